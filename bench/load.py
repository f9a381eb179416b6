"""Load: N viewers opening the overview at the same moment, over Streamlit's websocket on loopback.

Run: .venv/bin/python bench/load.py [--rounds 5] [--sessions 1 20 50] [--workers N] [--max-minutes 15]
Prints a table and writes the "Fifty viewers" section of bench/RESULTS.md (the rest of the file is kept).

Servers, all started by this script on free loopback ports and measured in the same run, round after
round in turn (so that the noise of a shared machine falls on all of them alike):
- empty app, our settings: st.navigation with one page writing "", with the dashboard's .streamlit/config.toml
- empty app, Streamlit's defaults: the same app with no config (what the issue's first measurement used)
- ours, one process: `streamlit run app.py`
- ours behind HAProxy: `scripts/serve --workers N` (default: one per core)
Each server is warmed first (one view, or two per worker). A round opens N sessions together (bench/wsclient:
one websocket each, the browser's own messages) and times each until its run's `script_finished`; the
round's p50 and p95 are kept, and the table gives the median over rounds. Bounded: every round has a
timeout and the whole run a deadline; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "scripts")]

import wsclient  # noqa: E402
from serve import free_port, stop, wait_healthy  # noqa: E402

from papi_analysis.store.database import Store  # noqa: E402

QUERY = "year=2022&province=soc-trang"
EMPTY_SERVED = "empty app behind HAProxy, {} workers"
OURS_SERVED = "ours behind HAProxy, {} workers"
RESULTS = ROOT / "bench" / "RESULTS.md"
ROUND_TIMEOUT = 180
READING = """\
How to read it. The goal (issue 18) is p95 at 50 sessions ≤ 3× the empty app served the same way: one process
against one process, scripts/serve with N workers against an empty app behind the same scripts/serve with N
workers (column "p95 ÷ empty served the same way"). "Empty, Streamlit defaults" is the floor issue 10 measured
(Streamlit's full gc.collect(2) after every run, which the dashboard's config.toml turns off). On this 2-core
machine the benchmark client shares the cores with the servers, so two workers cannot double the throughput."""


@dataclass
class Server:
    name: str
    url: str
    query: str
    rounds: dict[int, list[tuple[float, float]]] = field(default_factory=dict)  # sessions -> [(p50, p95)]

    def median(self, sessions: int, which: int) -> float:
        return statistics.median(r[which] for r in self.rounds[sessions])


@contextmanager
def started(command: list[str], cwd: Path, url: str, env: dict, log: Path) -> Iterator[None]:
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, [process], seconds=180)
            yield
        finally:
            stop([process])


def empty_app(folder: Path, settings: bool) -> Path:
    """st.navigation with one page writing "" — with the dashboard's config.toml or with none."""
    (folder / "views").mkdir(parents=True)
    (folder / "views" / "page.py").write_text('import streamlit as st\n\nst.write("")\n', encoding="utf-8")
    (folder / "app.py").write_text('import streamlit as st\n\nst.navigation([st.Page("views/page.py")]).run()\n')
    if settings:
        (folder / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    return folder


def streamlit_run(port: int) -> list[str]:
    """`streamlit run app.py` in the current folder, as scripts/dashboard starts it (scripts/app_server.py)."""
    launcher = str(ROOT / "scripts" / "app_server.py")
    return [
        sys.executable,
        launcher,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]


def behind_haproxy(stack: ExitStack, name: str, app_dir: Path, workdir: Path, env: dict, workers: int) -> Server:
    """scripts/serve with `workers` workers of the app in app_dir, as production serves the dashboard."""
    port = free_port()
    command = [sys.executable, "scripts/serve.py", "--port", str(port), "--workers", str(workers)]
    command += ["--address", "127.0.0.1", "--app-dir", str(app_dir)]
    url = f"http://127.0.0.1:{port}"
    stack.enter_context(started(command, ROOT, url, env, workdir / f"serve-{abs(hash(name))}.log"))
    return Server(name, url, QUERY if app_dir == ROOT else "")


def start_servers(stack: ExitStack, workdir: Path, workers: int) -> list[Server]:
    subprocess.run([str(ROOT / "scripts" / "install-haproxy")], check=True)  # as scripts/serve does
    db = workdir / "papi.duckdb"
    Store(db).ensure_built()
    env = {**os.environ, "PAPI_DB": str(db)}
    servers = []
    empty = empty_app(workdir / "empty", settings=True)
    for name, folder in (
        ("empty app, our settings", empty),
        ("empty app, Streamlit defaults", empty_app(workdir / "empty_defaults", settings=False)),
        ("ours, one process", ROOT),
    ):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = workdir / f"{len(servers)}.log"
        stack.enter_context(started(streamlit_run(port), folder, url, env, log))
        servers.append(Server(name, url, "" if "empty" in name else QUERY))
    servers.append(behind_haproxy(stack, EMPTY_SERVED.format(workers), empty, workdir, env, workers))
    servers.append(behind_haproxy(stack, OURS_SERVED.format(workers), ROOT, workdir, env, workers))
    return servers


def one_round(server: Server, sessions: int) -> tuple[float, float]:
    visits = asyncio.run(wsclient.open_together(server.url, sessions, server.query, timeout=ROUND_TIMEOUT))
    errors = {v.error for v in visits if v.error}
    if errors:
        raise RuntimeError(f"{server.name}, {sessions} sessions: {errors}")
    times = sorted(v.seconds for v in visits)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def measure(servers: list[Server], sessions: list[int], rounds: int, deadline: float, workers: int) -> int:
    for server in servers:  # warm: caches filled, every worker once or twice
        one_round(server, 2 * workers)
    done = 0
    for _ in range(rounds):
        if time.monotonic() > deadline:
            break
        for server in servers:
            for n in sessions:
                server.rounds.setdefault(n, []).append(one_round(server, n))
        done += 1
        print(f"round {done}: load average {os.getloadavg()[0]:.2f}", flush=True)
    return done


def table(servers: list[Server], sessions: list[int], workers: int) -> list[str]:
    """Each server's p50 and p95, and its p95 over the empty app served the same way (one process, or scripts/serve
    with as many workers) and over the empty app with Streamlit's defaults."""
    by_name = {s.name: s for s in servers}
    served = {OURS_SERVED.format(workers): by_name[EMPTY_SERVED.format(workers)]}
    default_floor = by_name["empty app, Streamlit defaults"]
    lines = ["| server | sessions | p50 s | p95 s | p95 ÷ empty served the same way | p95 ÷ empty (defaults) |"]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for server in servers:
        floor = served.get(server.name, by_name["empty app, our settings"])
        for n in sessions:
            p50, p95 = server.median(n, 0), server.median(n, 1)
            ratios = [p95 / f.median(n, 1) for f in (floor, default_floor)]
            lines.append(f"| {server.name} | {n} | {p50:.2f} | {p95:.2f} | {ratios[0]:.2f} | {ratios[1]:.2f} |")
    return lines


def write_section(script: str, title: str, lines: list[str]) -> None:
    """Write (or replace) this script's section of bench/RESULTS.md, between markers that bench/run.py keeps."""
    start, end = f"<!-- bench/{script}: start -->", f"<!-- bench/{script}: end -->"
    section = "\n".join([start, f"## {title} (bench/{script})", "", *lines, "", end])
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 20, 50])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--max-minutes", type=float, default=15, help="stop starting rounds after this")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    deadline = time.monotonic() + 60 * args.max_minutes
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="papi-load-"))
    try:
        with ExitStack() as stack:
            servers = start_servers(stack, workdir, args.workers)
            done = measure(servers, args.sessions, args.rounds, deadline, args.workers)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()
    header = (
        f"Measured {date.today():%d/%m/%Y}, {os.cpu_count()} cores; median of {done} rounds; load average "
        f"(1/5/15 min) {'/'.join(f'{x:.2f}' for x in load_before)} before, "
        f"{'/'.join(f'{x:.2f}' for x in load_after)} after. "
        f"Command: `.venv/bin/python bench/load.py {' '.join(sys.argv[1:])}`. Seconds from the moment all "
        "sessions start until each one's run has finished (script_finished), the overview at "
        f"`?{QUERY}`; the empty apps write an empty page."
    )
    lines = table(servers, args.sessions, args.workers)
    print("\n".join([header, "", *lines]))
    if not args.no_write:
        write_section("load.py", "Fifty viewers", [header, "", *lines, "", READING])
        print("\nwritten bench/RESULTS.md")


if __name__ == "__main__":
    main()
