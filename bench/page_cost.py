"""What one page view costs the server: CPU milliseconds (the server process's user+system time over a burst
of sessions, divided by the sessions) and bytes sent, per page, for one or more copies of the app.

Run: .venv/bin/python bench/page_cost.py [--app DIR[@option=value,…] ...] [--sessions 20] [--rounds 3] [--write]
`--app` defaults to this repository; give an older checkout too to compare before/after on one database, with
Streamlit options of its own after `@` (e.g. `@runner.postScriptGC=false`).
Every copy runs `streamlit run app.py` (through its own scripts/app_server.py, or this one's for a folder without
it) with its own .streamlit/config.toml, on loopback only. An empty app (one page writing "", with the dashboard's
config.toml) is measured the same way first: each page's cost is also given as a multiple of it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import wsclient  # noqa: E402
from load import QUERY, empty_app, free_port, started, streamlit_run, write_section  # noqa: E402

from papi_analysis.store.database import Store  # noqa: E402

PAGES = {"overview": "", "comparison": "so-sanh", "dimension": "chi-so-noi-dung"}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(port: int) -> int:
    """The process listening on `port` (the one we started), from /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"app_server.py" in b" ".join(command) and str(port).encode() in command:
                return int(entry.name)
    raise LookupError(port)


def page_cost(url: str, pid: int, page: str, sessions: int, rounds: int) -> tuple[float, int]:
    asyncio.run(wsclient.open_together(url, 2, QUERY, page))  # warm
    costs, sent = [], 0
    for _ in range(rounds):
        before = cpu_seconds(pid)
        visits = asyncio.run(wsclient.open_together(url, sessions, QUERY, page))
        costs.append(1000 * (cpu_seconds(pid) - before) / sessions)
        sent = visits[0].received_bytes
        assert not any(v.error for v in visits), {v.error for v in visits}
    return statistics.median(costs), sent


def launcher(folder: Path, port: int) -> list[str]:
    """`streamlit run` through the folder's own scripts/app_server.py (an older checkout serves as it did then)."""
    python, ours, *options = streamlit_run(port)
    own = folder / "scripts" / "app_server.py"
    return [python, str(own) if own.is_file() else ours, *options]


def label(spec: str) -> str:
    folder, _, options = spec.partition("@")
    return " ".join([Path(folder).resolve().name, *options.split(",")]).strip()


def measure_app(spec: str, env: dict, workdir: Path, sessions: int, rounds: int, pages: dict) -> list[tuple]:
    """(page, CPU ms per view, bytes) for one copy: `DIR` or `DIR@option=value,option=value` (Streamlit options
    for that copy)."""
    folder, _, options = spec.partition("@")
    flags = [f"--{o.strip()}" for o in options.split(",") if o.strip()]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    measured = []
    with started(launcher(Path(folder), port) + flags, Path(folder), url, env, workdir / f"{abs(hash(spec))}.log"):
        pid = server_pid(port)
        for name, page in pages.items():
            measured.append((name, *page_cost(url, pid, page, sessions, rounds)))
            print(measured[-1], flush=True)
    return measured


def rows(label: str, measured: list[tuple], empty: float) -> list[str]:
    return [f"| {label} | {name} | {cost:.1f} | {cost / empty:.1f} | {sent} |" for name, cost, sent in measured]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="append", help="DIR or DIR@opt=v,opt=v (default: this checkout)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the table to bench/RESULTS.md")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="papi-cost-"))
    header = (
        f"Measured {date.today():%d/%m/%Y}, load average {os.getloadavg()[0]:.2f} at the start. CPU ms per page "
        f"view: the server process's user+system time over {args.sessions} sessions opening the page at once, "
        f"÷ {args.sessions}, median of {args.rounds} rounds, warm caches; `?{QUERY}`."
    )
    lines = [header, "", "| app | page | CPU ms / view | ÷ empty app | bytes sent |", "|---|---|---:|---:|---:|"]
    print("\n".join(lines), flush=True)
    try:
        db = workdir / "papi.duckdb"
        Store(db).ensure_built()
        env = {**os.environ, "PAPI_DB": str(db)}
        empty = measure_app(str(empty_app(workdir / "empty", True)), env, workdir, args.sessions, args.rounds, {"": ""})
        lines += rows("empty app", [("—", *empty[0][1:])], empty[0][1])
        for spec in args.app or [str(ROOT)]:
            lines += rows(label(spec), measure_app(spec, env, workdir, args.sessions, args.rounds, PAGES), empty[0][1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(lines[4:]))
    if args.write:
        write_section("page_cost.py", "What one page view costs the server", lines)


if __name__ == "__main__":
    main()
