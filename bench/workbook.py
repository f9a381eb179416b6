"""Benchmark of issue 11, item 9 (and issue 19, item 11): a full official-style workbook (63 provinces × ~300
rows: the aggregate, the weighted aggregate, 8 dimensions, their sub-dimensions, CI and standard-error rows,
indicators) from file to committed store, as an analyst loads it, through the one upload path the page and the
command line share (store.scores_upload): read in the isolated child (with the remembered mappings), previewed
(diff and plausibility warnings), committed with the preview's signature.

Run: .venv/bin/python bench/workbook.py [--runs N] [--no-write]
Writes the "Official workbook" section of bench/RESULTS.md (the rest of the file is kept). Each run commits
to a fresh copy of the built database (the copy is not timed). The same run also times the isolated parse
of the seed file papi_2022.csv (63 rows × 11 columns) as a reference on this noisy machine: the ratio says
what the workbook costs over the smallest real upload.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support"), str(ROOT / "bench")]

from official_workbooks import Options, transposed  # noqa: E402

from papi_analysis.paths import SCORES_DIR  # noqa: E402
from papi_analysis.reading import isolated  # noqa: E402
from papi_analysis.reading.context import Choices  # noqa: E402
from papi_analysis.store import scores_upload  # noqa: E402
from papi_analysis.store.database import Store  # noqa: E402

GOAL_MS = 1000
OPTIONS = Options(indicators=5, extra_years=(2021, 2020), metadata_sheet=True)  # ~290 rows on its sheet


def _load(path: Path, db: Path) -> dict[str, float]:
    """One analyst's load, step by step (milliseconds)."""
    store, times = Store(db), {}
    start = time.perf_counter()
    content = path.read_bytes()
    ref, remembered = store.reference(), store.remembered()
    times["reference"] = (time.perf_counter() - start) * 1000
    parsed = isolated.read_scores(content, path.name, ref, Choices(year=2022), remembered).value()
    times["parse"] = (time.perf_counter() - start) * 1000 - sum(times.values())
    shown = scores_upload.preview(store, parsed, replace=False, ref=ref)
    times["preview"] = (time.perf_counter() - start) * 1000 - sum(times.values())
    scores_upload.commit(store, shown, "bench", scores_upload.Confirmed(year=True))
    times["commit"] = (time.perf_counter() - start) * 1000 - sum(times.values())
    times["total"] = (time.perf_counter() - start) * 1000
    return times


def measure(runs: int, workdir: Path) -> tuple[dict[str, list[float]], list[float], dict[str, int]]:
    built = workdir / "built.duckdb"
    Store(built).ensure_built()
    content, _ = transposed(Store(built), 2022, OPTIONS)
    path = workdir / "2024PAPI_ProvincialIndicators_BangChiTieuCapTinh_34_TinhThanh.xlsx"
    path.write_bytes(content)
    parsed = isolated.parse_scores(content, path.name, Store(built).reference(), year=2022)
    size = {
        "bytes": len(content),
        "rows": len(parsed.mapping.lines),
        "scores": len(parsed.frame),
        "indicators": len(parsed.indicators),
    }
    steps: dict[str, list[float]] = {}
    reference = []
    small = (SCORES_DIR / "papi_2022.csv").read_bytes()
    for n in range(runs + 1):  # the first run warms the fork server and the imports: not counted
        db = workdir / f"run{n}.duckdb"
        shutil.copy(built, db)
        times = _load(path, db)
        start = time.perf_counter()
        isolated.parse_scores(small, "papi_2022.csv", Store(db).reference())
        small_ms = (time.perf_counter() - start) * 1000
        db.unlink()
        if n:
            for step, ms in times.items():
                steps.setdefault(step, []).append(ms)
            reference.append(small_ms)
        steps_said = f"parse {times['parse']:.0f}, commit {times['commit']:.0f}"
        print(f"  run {n}: {times['total']:.0f} ms ({steps_said})", flush=True)
    return steps, reference, size


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(steps: dict[str, list[float]], reference: list[float], size: dict[str, int], host: str) -> list[str]:
    total = statistics.median(steps["total"])
    lines = [
        f"Measured on {host}. Command: `.venv/bin/python bench/workbook.py --runs {len(steps['total'])}`.",
        "",
        f"The workbook: {size['bytes'] / 1024:.0f} KiB, 3 year sheets and the sheet of the 34 new units; the 2022 "
        f"sheet has {size['rows']} rows × 63 provinces, read as {size['scores']} scores (with their bounds) and "
        f"{size['indicators']} indicator values (SYNTHETIC depth, tests/official_workbooks.py).",
        "",
        "| step | median ms | p95 ms |",
        "|---|---:|---:|",
    ]
    names = {
        "reference": "reference data and remembered mappings read",
        "parse": "isolated parse (fork-server child: read, map, check)",
        "preview": "preview (diff of scores, indicators, names; plausibility)",
        "commit": "commit (one transaction, before/after of every cell)",
        "total": "**file to committed store**",
    }
    for step, label in names.items():
        lines.append(f"| {label} | {statistics.median(steps[step]):.0f} | {_p95(steps[step]):.0f} |")
    small = statistics.median(reference)
    lines += [
        "",
        f"Goal ≤ {GOAL_MS} ms: {'met' if total <= GOAL_MS else 'NOT met'} (median {total:.0f} ms). In the same run "
        f"the isolated parse of papi_2022.csv took {small:.0f} ms (median): the whole workbook, committed, costs "
        f"{total / small:.1f}× that.",
    ]
    return lines


def main() -> None:
    # Imported here, not above: every parse child re-runs this script's top level (multiprocessing's fork
    # server does so for a main script), and bench/run.py imports Streamlit and Playwright's helpers.
    from load import write_section
    from run import machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    host = machine()
    workdir = Path(tempfile.mkdtemp(prefix="papi-bench-workbook-"))
    os.environ["PAPI_DB"] = str(workdir / "unused.duckdb")
    try:
        steps, reference, size = measure(args.runs, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = report(steps, reference, size, host)
    print("\n".join(lines))
    if not args.no_write:
        write_section("workbook.py", "Official workbook, file to committed store", lines)
        print("\nwritten bench/RESULTS.md")


if __name__ == "__main__":
    main()
