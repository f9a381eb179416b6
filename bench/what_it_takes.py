"""Benchmark of what it takes (issue 22: targets for all measures of one unit in ≤ 50 ms; the plan draft from the
command line in ≤ 5 s).

Measures, on a copy of the seed database with a quarter of the plan's tasks given a status:
- targets.unit_targets for every measure of Sóc Trăng (2016: the aggregate, 6 dimensions and 22 sub-dimensions;
  2024: the aggregate and 8 dimensions), with a national and a regional rank goal, from the rank table the pages
  already hold; as a reference in the same run, summary.province_summary of the same view (what the overview
  computes for its headline anyway);
- `python -m papi_analysis plan-draft …` in a fresh process, start-up included; and, as the machine's noise
  reference in the same run, an empty Python process.
Wall and CPU time for each: on a shared, loaded machine the wall time can be several times the CPU time.

Run: .venv/bin/python bench/what_it_takes.py [--runs N] [--no-write]. Prints a table and writes the "What it
takes" section of bench/RESULTS.md. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from papi_analysis.plan.task_status import status_change  # noqa: E402
from papi_analysis.results.comparison_group import comparison_group  # noqa: E402
from papi_analysis.results.metrics import rank_table  # noqa: E402
from papi_analysis.results.summary import province_summary  # noqa: E402
from papi_analysis.results.targets import RankGoal, Scope, unit_targets  # noqa: E402
from papi_analysis.store.database import Store  # noqa: E402

TARGETS_GOAL_MS, DRAFT_GOAL_S = 50.0, 5.0
UNIT, PROVINCE = "old:soc-trang", "Sóc Trăng"


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each call (CPU: user and system time of this process and the children it waited for)."""
    walls, cpus = [], []
    for _ in range(runs):
        before, start = os.times(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(sum(os.times()[:4]) - sum(before[:4]))
    return walls, cpus


def in_process(store: Store, runs: int) -> list[tuple[str, int, tuple[list[float], list[float]]]]:
    ref = store.reference()
    comparison = comparison_group(ref, UNIT, "old")
    table = rank_table(store.scores(), ref.units, peers=comparison.peers)
    rows = []
    for year in (2016, 2024):
        for goal in (RankGoal(10), RankGoal(1, Scope.REGIONAL)):
            count = len(unit_targets(table, UNIT, year, goal).measures)  # warm
            times = timed(lambda y=year, g=goal: unit_targets(table, UNIT, y, g), runs)
            where = "national" if goal.scope is Scope.NATIONAL else "regional"
            rows.append((f"targets, {year}, {where} rank goal {goal.rank}", count, times))
        summary = timed(lambda y=year: province_summary(table, ref, UNIT, y, comparison, "old"), runs)
        rows.append((f"reference: province_summary, {year}", 0, summary))
    return rows


def command_line(db: Path, workdir: Path, runs: int) -> list[tuple[str, int, tuple[list[float], list[float]]]]:
    env = {**os.environ, "PAPI_DB": str(db)}
    out = workdir / "du-thao.docx"
    command = [sys.executable, "-m", "papi_analysis", "plan-draft", "--province", PROVINCE, "--year", "2024"]
    run = lambda: subprocess.run([*command, "-o", str(out)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    draft = timed(run, runs)
    empty = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
    return [("command line `plan-draft` (Sóc Trăng 2024; 66 of the 88 tasks carried), fresh process", 0, draft),
            ("reference: empty Python process", 0, empty)]  # fmt: skip


def lines_of(targets, draft, host: str, runs: int) -> list[str]:
    lines = [
        f"{host}. Runs: {runs} each, after one warm-up call. Load average at the end: "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}.",
        "",
        "| what | measures | min ms | median ms | median CPU ms | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for what, count, (walls, cpus) in targets:
        goal = (
            ""
            if what.startswith("reference")
            else ("met" if statistics.median(walls) * 1000 <= TARGETS_GOAL_MS else "NOT met")
        )
        lines.append(
            f"| {what} | {count or ''} | {min(walls) * 1000:.1f} | {statistics.median(walls) * 1000:.1f} | "
            f"{statistics.median(cpus) * 1000:.1f} | {goal} |"
        )
    lines += ["", "| what | min s | median s | median CPU s | goal |", "|---|---:|---:|---:|---|"]
    for what, _, (walls, cpus) in draft:
        goal = (
            "" if what.startswith("reference") else ("met" if statistics.median(walls) <= DRAFT_GOAL_S else "NOT met")
        )
        lines.append(
            f"| {what} | {min(walls):.2f} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} | {goal} |"
        )
    lines += [
        "",
        f"Goals: targets of every measure of one unit ≤ {TARGETS_GOAL_MS:.0f} ms; the plan draft from the command line "
        f"≤ {DRAFT_GOAL_S:.0f} s (wall, median). The draft includes section I's two charts (matplotlib) and the "
        "start-up of python-docx and matplotlib.",
    ]
    return lines


def main() -> None:
    from load import write_section
    from run import machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--draft-runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="papi-bench-targets-"))
    try:
        db = workdir / "papi.duckdb"
        store = Store(db)
        store.ensure_built()
        for task_id in store.tasks().task_id[::4]:
            store.record_status(status_change("120/KH-UBND-2023", task_id, "2023-Q4", "Hoàn thành", "bench"), "bench")
        targets = in_process(store, args.runs)
        draft = command_line(db, workdir, args.draft_runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = lines_of(targets, draft, machine(), args.runs)
    print("\n".join(lines))
    if not args.no_write:
        write_section("what_it_takes.py", "What it takes: targets and the plan draft", lines)
        print("\nwritten bench/RESULTS.md")


if __name__ == "__main__":
    main()
