"""Benchmarks: DB build, all-province summary, ingest of a year, page run times, browser paint.

Run: .venv/bin/python bench/run.py [--quick]
Prints a table and rewrites bench/RESULTS.md. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit  # noqa: E402
from helpers import csv_bytes, synthetic_year  # noqa: E402

from papi_analysis.ingest import parse_scores  # noqa: E402
from papi_analysis.metrics import rank_table  # noqa: E402
from papi_analysis.store import Store, _set_cells  # noqa: E402
from papi_analysis.summary import comparison_group, province_summaries  # noqa: E402

PAGES = ["overview", "comparison", "dimension", "tasks", "data", "account", "upload", "uploads"]
ANALYST_PAGES = {"upload", "uploads"}
ROWS: list[dict] = []


def timed(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def record(what: str, size: str, times: list[float], goal: float | None = None, note: str = "") -> dict:
    median = statistics.median(times)
    p95 = float(np.percentile(times, 95))
    row = {
        "what": what,
        "size": size,
        "runs": len(times),
        "median": median,
        "p95": p95,
        "goal": goal,
        "met": "" if goal is None else ("yes" if median <= goal else "NO"),
        "note": note,
    }
    ROWS.append(row)
    print(f"{what:<52} {size:<5} {len(times):>4} {median:>10.1f} {p95:>10.1f}  {row['met']}", flush=True)
    return row


# --- the analysis core ----------------------------------------------------------------------------
def bench_build(workdir: Path, runs: int) -> Path:
    target = workdir / "build.duckdb"

    def clean():
        for p in workdir.glob("build.duckdb*"):
            p.unlink()

    record("DB build from data/ (first start)", "real", timed(lambda: Store(target).ensure_built(), runs, clean), 3000)
    return target


def all_province_summary(store_scores: pd.DataFrame, ref, year: int) -> dict[str, dict]:
    table = rank_table(store_scores, ref.units)
    comparisons = {u: comparison_group(ref, u, "old") for u in ref.units_of_set("old").unit_id}
    return province_summaries(table, ref, year, "old", comparisons)


def bench_summary(db: Path, size: str, runs: int) -> None:
    store = Store(db)
    scores, ref = store.scores(), store.reference()
    summaries = all_province_summary(scores, ref, 2022)
    assert len(summaries) == 63
    record(
        "Summary of all 63 provinces, 2022 (ranks+summaries)",
        size,
        timed(lambda: all_province_summary(scores, ref, 2022), runs),
        500,
    )


def bench_ingest(db: Path, size: str, runs: int) -> None:
    store = Store(db)
    ref = store.reference()
    content = csv_bytes(synthetic_year(ref.units_of_set("old").name_vi.tolist(), 2025))
    parse, write, undo = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        parsed = parse_scores(content, "papi_2025.csv", ref)
        t1 = time.perf_counter()
        diff = store.preview(parsed, replace=False)
        result = store.commit_scores(parsed, replace=False, user="bench", expected_signature=diff.signature())
        t2 = time.perf_counter()
        store.rollback(result.upload_id, user="bench")
        t3 = time.perf_counter()
        parse.append((t1 - t0) * 1000)
        write.append((t2 - t1) * 1000)
        undo.append((t3 - t2) * 1000)
    record("Ingest a year: parse + validate (63 × 9 values)", size, parse)
    record("Ingest a year: preview + commit (one transaction)", size, write)
    record(
        "Ingest a year: total (parse + preview + commit)", size, [a + b for a, b in zip(parse, write, strict=True)], 500
    )
    record("Roll back that upload", size, undo)


def scaled_copy(db: Path, workdir: Path, factor: int) -> tuple[Path, float]:
    """A copy of the DB with factor× the score rows: the real years plus synthetic copies shifted back
    by 100, 200 … years, values perturbed by up to ±0.5%. Returns the path and the load time (ms)."""
    target = workdir / f"x{factor}.duckdb"
    shutil.copy(db, target)
    store = Store(target)
    real = store.scores()
    rng = np.random.default_rng(7)
    copies = []
    for k in range(1, factor):
        copy = real.assign(year=real.year - 100 * k, value=real.value * rng.uniform(0.995, 1.005, len(real)))
        copies.append(copy.assign(upload_id=1))
    extra = pd.concat(copies, ignore_index=True)[
        ["year", "unit_id", "measure", "value", "ci_low", "ci_high", "upload_id"]
    ]
    start = time.perf_counter()
    with store.transaction() as con:
        _set_cells(con, extra)
    load_ms = (time.perf_counter() - start) * 1000
    assert len(store.scores()) == factor * len(real)
    return target, load_ms


# --- pages --------------------------------------------------------------------------------------------
def _apptest_like_the_server() -> None:
    """Make AppTest rerun a page the way a running server does. (1) As in tests/test_pages.py:
    AppTest re-evaluates pages/ as multipage v1 before each run; the server does not. (2) AppTest
    builds a new ScriptCache per run and so recompiles every script each time; the server compiles
    a script once. Both would add time that users never wait for."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        original(self, *args, **kwargs)

    PagesManager.__init__ = init
    shared_cache = app_test.ScriptCache()
    app_test.ScriptCache = lambda: shared_cache


def page_times(app: Path, page: str | None, runs: int, analyst: bool = False) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app), default_timeout=120)
    at.secrets["analysts"] = {"bench": "x"}
    if analyst:
        at.session_state["_analyst"] = "bench"
    at.query_params.update({"year": "2022", "province": "soc-trang"})
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return timed(at.run, runs)


def empty_app(workdir: Path) -> Path:
    folder = workdir / "empty_app"
    (folder / "views").mkdir(parents=True, exist_ok=True)
    (folder / "views" / "page.py").write_text('import streamlit as st\nst.write("")\n', encoding="utf-8")
    main = folder / "app.py"
    main.write_text(
        'import streamlit as st\nst.navigation([st.Page("views/page.py", title="Trống")]).run()\n', encoding="utf-8"
    )
    return main


def bench_pages(db: Path, size: str, runs: int, floor: float | None) -> float:
    os.environ["PAPI_DB"] = str(db)
    if floor is None:
        floor = record(
            "Empty Streamlit page (the framework's floor)",
            "-",
            page_times(empty_app(Path(tempfile.mkdtemp())), None, runs),
        )["median"]
    for name in PAGES:
        times = page_times(ROOT / "app.py", f"pages/{name}.py", runs, analyst=name in ANALYST_PAGES)
        row = record(f"Page {name} (server-side run)", size, times, 300)
        ratio = row["median"] / floor
        row["note"] = f"{ratio:.1f}× floor"
        row["met"] = f"≤300 ms {row['met']}; ≤3× floor {'yes' if ratio <= 3 else 'NO'}"
    return floor


# --- browser ------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_browser(db: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env={**os.environ, "PAPI_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-first-run",
                ],
            )
            times = []
            for i in range(runs + 1):
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                start = time.perf_counter()
                page.goto(f"{url}/?year=2022&province=soc-trang")
                page.get_by_text("24/61").first.wait_for(timeout=60_000)
                if i:  # the first load warms the server's caches
                    times.append((time.perf_counter() - start) * 1000)
                page.close()
            browser.close()
        record("Browser: overview load until '24/61' is shown", "real", times, note="fresh page each run")
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- report -------------------------------------------------------------------------------------------
def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory / 1024 / 1024:.0f} GiB RAM; Linux {platform.release()}; "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}, "
        f"pandas {pd.__version__}"
    )


def write_results(extra_notes: list[str], command: str) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {date.today():%d/%m/%Y} on {machine()}.",
        "",
        f"Command: `{command}`",
        "",
        "| what | data | runs | median ms | p95 ms | goal ms | met | note |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in ROWS:
        goal = "" if r["goal"] is None else f"{r['goal']:.0f}"
        lines.append(
            f"| {r['what']} | {r['size']} | {r['runs']} | {r['median']:.1f} | {r['p95']:.1f} | {goal} | "
            f"{r['met']} | {r['note']} |"
        )
    lines += [
        "",
        "## What is measured",
        "",
        "- **DB build**: `Store(path).ensure_built()` on a new file: migrations, reference tables, every seed file "
        "through the upload validation and the write path, the plan's tasks.",
        "- **Summary of all 63 provinces**: `rank_table` over all years and measures once, then "
        "`province_summary` for each province (own region as comparison).",
        "- **Ingest**: a synthetic 2025 file of the 63 provinces (wide CSV) parsed and validated, then "
        "preview + commit in one transaction; rolled back after each run (timed separately).",
        "- **Pages**: Streamlit AppTest, year 2022, Sóc Trăng; one warm-up run, then the timed reruns "
        "(caches warm, as for a user clicking around). The floor is an app with `st.navigation` and one "
        "page that writes an empty string, timed the same way.",
        "- **Browser**: `streamlit run` + Playwright driving Debian's Chromium; a fresh page per load, "
        "timed from `goto` until the text 24/61 is visible; the first load (cold caches) is not counted.",
        *extra_notes,
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    args = parser.parse_args()
    builds, runs, page_runs, loads = (2, 5, 5, 2) if args.quick else (5, 20, 20, 5)
    _apptest_like_the_server()
    workdir = Path(tempfile.mkdtemp(prefix="papi-bench-"))
    print(f"{'what':<52} {'data':<5} {'runs':>4} {'median ms':>10} {'p95 ms':>10}  met")
    try:
        db = bench_build(workdir, builds)
        real_rows = len(Store(db).scores())
        bench_summary(db, "real", runs)
        bench_ingest(db, "real", runs)
        big, load_ms = scaled_copy(db, workdir, 10)
        record("Load 9 synthetic copies (10× rows) in one write", "10×", [load_ms], note="same SQL as every write")
        bench_summary(big, "10×", runs)
        bench_ingest(big, "10×", runs)
        floor = bench_pages(db, "real", page_runs, None)
        bench_pages(big, "10×", page_runs, floor)
        bench_browser(db, loads)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    notes = [
        "",
        f"10× data: the real scores ({real_rows} rows) plus nine synthetic copies "
        "with years shifted back by 100–900 years and values perturbed by up to ±0.5% (10× rows and years; "
        "the upload validation only accepts years from 2009, so the copies are loaded with the write "
        "path's SQL directly, not through a seed build).",
    ]
    write_results(notes, "python bench/run.py" + (" --quick" if args.quick else ""))
    print("\nwritten bench/RESULTS.md")


if __name__ == "__main__":
    main()
