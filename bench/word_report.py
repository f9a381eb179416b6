"""Benchmark of the Word report (issue 13: generated in ≤ 5 s).

Measures, on a copy of the seed database with a quarter of statuses recorded:
- in the dashboard's process (the overview's button): the summary, tasks and statuses read from the store, then
  the .docx built (charts drawn, document written) — first call (imports matplotlib and python-docx) and warm;
- on the command line: `python -m papi_analysis report …` in a fresh process, start-up included;
- as the machine's noise reference, in the same run: an empty Python process.
Each row gives wall time and CPU time (this process's, or the child's): on a shared, loaded machine the wall
time can be several times the CPU time, which is what the report itself costs.

Run: .venv/bin/python bench/word_report.py [--runs N]. Prints a table and rewrites bench/RESULTS-report.md.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from papi_analysis.plan.task_status import status_change  # noqa: E402
from papi_analysis.store.database import Store  # noqa: E402

GOAL_S = 5.0
PROVINCE, YEAR = "Sóc Trăng", 2022


def seconds(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each call (CPU: this process plus the children it waited for)."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu, children = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        fn()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(time.perf_counter() - start)
        child = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        cpus.append(time.process_time() - cpu + child)
    return walls, cpus


def in_process(store: Store) -> bytes:
    """What the overview's button does, reads included."""
    from papi_analysis.cli.main import build_view
    from papi_analysis.plan.plan_tasks import with_dimensions
    from papi_analysis.present.report import ReportData, plan_for, report_docx

    ref = store.reference()
    summary, table = build_view(store, ref, PROVINCE, YEAR)
    plan = plan_for(store.plans(), summary)
    tasks = with_dimensions(store.tasks())
    data = ReportData(summary, table, ref, plan, tasks, store.task_statuses(), date.today())
    return report_docx(data)


def with_statuses(db: Path) -> None:
    store = Store(db)
    for task_id in store.tasks().task_id[::4]:
        store.record_status(status_change("120/KH-UBND-2023", task_id, "2023-Q4", "Đang triển khai", "bench"), "bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    workdir = Path(tempfile.mkdtemp(prefix="papi-bench-report-"))
    db = workdir / "papi.duckdb"
    Store(db).ensure_built()
    with_statuses(db)
    env = {**os.environ, "PAPI_DB": str(db)}
    store = Store(db)
    rows = []
    first = seconds(lambda: in_process(store), 1)
    rows.append(("In the dashboard's process, first report (imports matplotlib, python-docx)", first))
    size = len(in_process(store))
    rows.append(("In the dashboard's process, warm", seconds(lambda: in_process(store), runs)))
    out = workdir / "bao-cao.docx"
    command = [sys.executable, "-m", "papi_analysis", "report", "--province", PROVINCE, "--year", str(YEAR)]
    cli = seconds(lambda: subprocess.run([*command, "-o", str(out)], cwd=ROOT, env=env, check=True), runs)
    rows.append(("Command line `report`, fresh process", cli))
    empty = seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
    rows.append(("Empty Python process (noise reference)", empty))
    shutil.rmtree(workdir)
    write(rows, size, runs)


def write(rows: list[tuple[str, tuple[list[float], list[float]]]], size: int, runs: int) -> None:
    lines = [
        "# Word report benchmark (bench/word_report.py)",
        "",
        f"{date.today():%d/%m/%Y}, {platform.node()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
        f"report of {PROVINCE} {YEAR} with the plan's tasks (a quarter of them with a status): {size // 1024} KiB, "
        f"2 charts. Goal: ≤ {GOAL_S:.0f} s. Runs: {runs} (first report: 1). Load average at the end: "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}.",
        "",
        "| what | median wall s | max wall s | median CPU s | goal met (wall) |",
        "|---|---|---|---|---|",
    ]
    for what, (walls, cpus) in rows:
        goal = "" if "noise" in what else ("yes" if statistics.median(walls) <= GOAL_S else "NO")
        lines.append(
            f"| {what} | {statistics.median(walls):.2f} | {max(walls):.2f} | {statistics.median(cpus):.2f} | {goal} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "RESULTS-report.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
