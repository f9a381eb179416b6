"""What one page view costs the server: CPU milliseconds (the server process's user+system time over a burst
of sessions, divided by the sessions) and bytes sent, per page, for one or more copies of the app.

Run: .venv/bin/python bench/page_cost.py [--app DIR ...] [--sessions 20] [--rounds 3] [--option runner.x=y]
`--app` defaults to this repository; give an older checkout too to compare before/after on one database.
Every copy runs `streamlit run app.py` with its own .streamlit/config.toml, on loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import wsclient  # noqa: E402
from load import QUERY, free_port, started, streamlit_run  # noqa: E402

from papi_analysis.store import Store  # noqa: E402

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
            if b"streamlit" in b" ".join(command) and str(port).encode() in command:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="append", type=Path, help="a checkout of the app (default: this one)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--option", action="append", default=[], help="a Streamlit option for every copy, k=v")
    args = parser.parse_args()
    apps = args.app or [ROOT]
    workdir = Path(tempfile.mkdtemp(prefix="papi-cost-"))
    try:
        db = workdir / "papi.duckdb"
        Store(db).ensure_built()
        env = {**os.environ, "PAPI_DB": str(db)}
        print(f"load average {os.getloadavg()[0]:.2f}; CPU ms per page view (median of {args.rounds} rounds)")
        print("| app | page | CPU ms / view | bytes sent |\n|---|---|---:|---:|")
        for number, app in enumerate(apps):
            with ExitStack() as stack:
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                options = [f"--{o.split('=', 1)[0]}={o.split('=', 1)[1]}" for o in args.option]
                command = streamlit_run(port) + options
                stack.enter_context(started(command, app, url, env, workdir / f"{number}.log"))
                pid = server_pid(port)
                label = " ".join([app.resolve().name, *args.option])
                for name, page in PAGES.items():
                    cost, sent = page_cost(url, pid, page, args.sessions, args.rounds)
                    print(f"| {label} | {name} | {cost:.1f} | {sent} |", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
