"""Benchmarks: DB build, all-province summary, ingest of a year, page run times, browser paint, each on the
real data and on synthetic data 10× its size.

Run: .venv/bin/python bench/run.py [--quick]
Prints a table and rewrites bench/RESULTS.md. Speed is measured here, never asserted in tests.
Everything is written to a temporary directory (PAPI_DB points there); data/ is only read.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit  # noqa: E402
from apptest import open_page  # noqa: E402
from dashboard import CHROMIUM, CHROMIUM_ARGS, running_dashboard  # noqa: E402
from helpers import csv_bytes, synthetic_year  # noqa: E402

from papi_analysis.paths import DATA_DIR  # noqa: E402
from papi_analysis.reading.ingest import parse_scores  # noqa: E402
from papi_analysis.results.comparison_group import comparison_group  # noqa: E402
from papi_analysis.results.metrics import rank_table  # noqa: E402
from papi_analysis.results.summary import province_summaries, province_summary  # noqa: E402
from papi_analysis.store import seed  # noqa: E402
from papi_analysis.store.database import Store  # noqa: E402

PAGES = ["overview", "comparison", "map", "dimension", "tasks", "data", "account", "upload", "uploads"]
ANALYST_PAGES = {"upload", "uploads"}
PAGE_GOAL_MS, FLOOR_RATIO_GOAL = 300, 3
URL_QUERY = {"year": "2022", "province": "soc-trang"}
SYNTHETIC_FROM = 2031  # first synthetic year of the 10× DB
COPIES = 10
SEED_10X = (
    "a copy of data/ with 630 provinces instead of 63: every province plus 9 copies named 'An Giang 2' … "
    "'An Giang 10' (same region and 2025 successor), whose scores are the province's own ±3% (dimensions within "
    "1–10, sub-dimensions within their range, TOTAL recomputed as the sum); the same 14 years and measures. More "
    "provinces rather than more years because the build runs every file through the upload validation, which "
    "accepts years up to the current one only."
)


@dataclass
class Row:
    what: str
    size: str
    times: list[float]
    goal: str = ""
    met: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return float(np.percentile(self.times, 95))


ROWS: list[Row] = []


def timed(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> list[float]:
    """Milliseconds of each of `runs` calls of fn; setup (untimed) runs before each call."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def record(what: str, size: str, times: list[float], goal_ms: float | None = None, note: str = "") -> Row:
    row = Row(what, size, times, note=note)
    if goal_ms is not None:
        row.goal, row.met = f"≤ {goal_ms:.0f} ms", "yes" if row.median <= goal_ms else "NO"
    ROWS.append(row)
    print(f"  {what} [{size}]: median {row.median:.1f} ms, p95 {row.p95:.1f} ms, {len(times)} runs", flush=True)
    return row


# --- 1. build ---------------------------------------------------------------------------------------------
def measure_build(data_dir: Path, workdir: Path, size: str, runs: int) -> Path:
    """Store(new file).ensure_built(data_dir): the dashboard's first start. Returns the built file."""
    target = workdir / f"build-{size}.duckdb"

    def remove_file():
        for path in workdir.glob(f"{target.name}*"):
            path.unlink()

    record(
        "DB build from seed files (first start)",
        size,
        timed(lambda: Store(target).ensure_built(data_dir), runs, remove_file),
        3000,
    )
    return target


def tenfold_seed_dir(workdir: Path) -> Path:
    """A copy of data/ with 10× the score rows, as SEED_10X says."""
    target = workdir / "data-10x"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("papi.duckdb*", "*.md"))
    ref = seed.read_reference(DATA_DIR).reference()
    rng = np.random.default_rng(10)
    provinces = pd.read_csv(DATA_DIR / "provinces.csv", dtype=str, keep_default_na=False)
    copies = [
        provinces.assign(
            gso_code=(provinces.gso_code.astype(int) + 100 * k).astype(str),
            province=provinces.province + f" {k}",
            province_ascii=provinces.province_ascii + f" {k}",
            slug=provinces.slug + f"-{k}",
            aliases="",
        )
        for k in range(2, COPIES + 1)
    ]
    pd.concat([provinces, *copies]).to_csv(target / "provinces.csv", index=False)
    for path in seed.score_files(DATA_DIR / "scores"):
        real = pd.read_csv(path)
        copies = [real]
        for k in range(2, COPIES + 1):
            copy = real.assign(province=real.province + f" {k}")
            if "measure" in copy:  # long layout: sub-dimensions
                siblings = [
                    len(ref.subdimensions_in_year(m.split(".")[0], y))
                    for m, y in zip(copy.measure, copy.year, strict=True)
                ]
                low, high = 1 / np.array(siblings), 10 / np.array(siblings)
                copy["value"] = (copy.value * rng.uniform(0.97, 1.03, len(copy))).clip(low, high)
            else:
                dims = [c for c in copy.columns if c.startswith("D")]
                copy[dims] = (copy[dims] * rng.uniform(0.97, 1.03, (len(copy), len(dims)))).clip(1, 10)
                copy["TOTAL"] = copy[dims].sum(axis=1).where(copy.TOTAL.notna())
            copies.append(copy)
        pd.concat(copies).to_csv(target / "scores" / path.name, index=False)
    return target


# --- 2. summary -------------------------------------------------------------------------------------------
def all_province_summary(scores: pd.DataFrame, ref, year: int) -> list[dict]:
    table = rank_table(scores, ref.units)
    return [
        province_summary(table, ref, unit_id, year, comparison_group(ref, unit_id, "old"), "old")
        for unit_id in ref.units_of_set("old").unit_id
    ]


def all_province_summary_batched(scores: pd.DataFrame, ref, year: int) -> dict[str, dict]:
    """The same through summary.province_summaries, which shares the per-year work among the provinces."""
    comparisons = {unit_id: comparison_group(ref, unit_id, "old") for unit_id in ref.units_of_set("old").unit_id}
    return province_summaries(rank_table(scores, ref.units), ref, year, "old", comparisons)


def measure_summary(db: Path, size: str, runs: int) -> None:
    store = Store(db)
    scores, ref = store.scores(), store.reference()
    one_by_one = all_province_summary(scores, ref, 2022)
    assert one_by_one == list(all_province_summary_batched(scores, ref, 2022).values()) and len(one_by_one) == 63
    note = f"rank_table over {len(scores)} rows"
    times = timed(lambda: all_province_summary(scores, ref, 2022), runs)
    record("Summary of all 63 provinces, 2022", size, times, 500, note=note + ", province_summary × 63")
    times = timed(lambda: all_province_summary_batched(scores, ref, 2022), runs)
    record("Summary of all 63 provinces, 2022, batched", size, times, 500, note=note + ", province_summaries")


# --- 3. ingest --------------------------------------------------------------------------------------------
def measure_ingest(db: Path, workdir: Path, size: str, runs: int) -> None:
    """Parse a 63-province wide CSV for 2025, preview + commit it, roll it back; on a copy of the DB."""
    copy = workdir / f"ingest-{size}.duckdb"
    shutil.copy(db, copy)
    store = Store(copy)
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
    record("Ingest 2025: parse + validate (63 × 9 values)", size, parse)
    record("Ingest 2025: preview + commit", size, write)
    record("Ingest 2025: parse + preview + commit", size, [a + b for a, b in zip(parse, write, strict=True)], 500)
    record("Ingest 2025: rollback", size, undo)


# --- 4. the 10× database ----------------------------------------------------------------------------------
SUBDIMENSIONS_SQL = """
SELECT setseed(0.1);
CREATE TEMP TABLE subs AS
    SELECT code, parent, count(*) OVER (PARTITION BY parent) AS n FROM measures
    WHERE kind = 'subdimension' AND first_year <= 2018 AND last_year IS NULL;
INSERT INTO scores
    SELECT s.year, s.unit_id, subs.code, least(greatest(s.value / n * (0.9 + 0.2 * random()), 1 / n), 10 / n),
           NULL, NULL, {upload}
    FROM scores s JOIN subs ON s.measure = subs.parent WHERE s.year >= 2018;
"""
SYNTHETIC_YEARS_SQL = """
CREATE TEMP TABLE bounds AS
    SELECT code, CASE kind WHEN 'subdimension' THEN 1 / n ELSE 1 END AS low,
           CASE kind WHEN 'subdimension' THEN 10 / n ELSE 10 END AS high
    FROM measures LEFT JOIN subs USING (code) WHERE kind <> 'aggregate';
INSERT INTO scores
    SELECT {first} + i, s.unit_id, s.measure, least(greatest(s.value * (0.97 + 0.06 * random()), low), high),
           NULL, NULL, {upload}
    FROM scores s JOIN bounds ON s.measure = bounds.code, range({years}) AS r(i) WHERE s.year = 2018 + i % 7;
INSERT INTO scores
    SELECT s.year, s.unit_id, 'TOTAL', sum(s.value), NULL, NULL, {upload}
    FROM scores s JOIN measures m ON s.measure = m.code AND m.kind = 'dimension'
    WHERE s.year >= {first} AND EXISTS (
        SELECT 1 FROM scores t
        WHERE t.measure = 'TOTAL' AND t.unit_id = s.unit_id AND t.year = 2018 + (s.year - {first}) % 7
    )
    GROUP BY s.year, s.unit_id;
"""


def tenfold_db(db: Path, workdir: Path) -> tuple[Path, str]:
    """A copy of the built DB grown to 10× its score rows with DuckDB SQL; returns the path and a description.

    SUBDIMENSIONS_SQL adds, for 2018–2024, scores of every sub-dimension the measures table lists from 2018 on:
    the dimension's value shared out among its n sub-dimensions ±10%, kept within 1/n–10/n. SYNTHETIC_YEARS_SQL
    then adds as many years from SYNTHETIC_FROM as make 10× the rows, year SYNTHETIC_FROM + i a copy of
    2018 + i % 7 with every value ±3% (kept in range) and TOTAL recomputed as the sum of the dimensions."""
    target = workdir / "tenfold.duckdb"
    shutil.copy(db, target)
    con = duckdb.connect(str(target))
    try:
        count = lambda sql: con.execute(sql).fetchone()[0]
        real = count("SELECT count(*) FROM scores")
        upload = count("SELECT max(upload_id) + 1 FROM uploads")
        con.execute(SUBDIMENSIONS_SQL.format(upload=upload))
        subs = count("SELECT count(*) FROM subs")
        per_year = count("SELECT count(*) / 7 FROM scores WHERE year >= 2018")
        years = math.ceil((COPIES * real - count("SELECT count(*) FROM scores")) / per_year)
        con.execute(SYNTHETIC_YEARS_SQL.format(upload=upload, first=SYNTHETIC_FROM, years=years))
        total = count("SELECT count(*) FROM scores")
        con.execute(
            "INSERT INTO uploads VALUES (?, 'seed', 'bench: synthetic 10× data', '', 0, ''::BLOB, 'bench', now(), "
            "?, 'old', false, 0, ?, 0, 0, NULL, NULL)",
            [upload, [*range(2018, 2025), *range(SYNTHETIC_FROM, SYNTHETIC_FROM + years)], total - real],
        )
    finally:
        con.close()
    description = (
        f"{total} score rows, {total / real:.2f}× the real {real}, all for the 63 provinces: the real data; scores "
        f"for the {subs} sub-dimensions the measures table lists from 2018 on, in 2018–2024 (the dimension's value "
        f"shared out among its n sub-dimensions ±10%, within 1/n–10/n); {years} synthetic years "
        f"{SYNTHETIC_FROM}–{SYNTHETIC_FROM + years - 1}, year {SYNTHETIC_FROM} + i a copy of year 2018 + i mod 7 "
        "(with those sub-dimensions) with every value ±3% (kept in range) and TOTAL recomputed as the sum of the "
        "dimensions. Inserted with DuckDB SQL into a copy of the built DB under one extra upload row: the upload "
        "validation accepts years up to the current one only."
    )
    return target, description


# --- 5. pages ---------------------------------------------------------------------------------------------
def page_run_times(app: Path, page: str, runs: int, analyst: bool = False) -> list[float]:
    """Run the app, switch to the page, run once more (caches warm), then time `runs` reruns."""
    secrets = {"analysts": {"bench": "x"}} if analyst else None
    session = {"_analyst": "bench"} if analyst else None
    at = open_page(page, secrets=secrets, session=session, params=URL_QUERY, script=str(app))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return timed(at.run, runs)


def empty_app(workdir: Path) -> Path:
    """The framework's floor: st.navigation with one page that writes an empty string, no sidebar."""
    folder = workdir / "empty_app"
    (folder / "views").mkdir(parents=True)
    (folder / "views" / "page.py").write_text('import streamlit as st\n\nst.write("")\n', encoding="utf-8")
    main = folder / "app.py"
    main.write_text('import streamlit as st\n\nst.navigation([st.Page("views/page.py")]).run()\n', encoding="utf-8")
    return main


def measure_floor(workdir: Path, runs: int) -> float:
    return record(
        "Empty Streamlit page (the floor)", "-", page_run_times(empty_app(workdir), "views/page.py", runs)
    ).median


def measure_pages(db: Path, size: str, runs: int, floor_ms: float) -> None:
    os.environ["PAPI_DB"] = str(db)
    for name in PAGES:
        times = page_run_times(ROOT / "app.py", f"pages/{name}.py", runs, analyst=name in ANALYST_PAGES)
        row = record(f"Page {name} (server-side run)", size, times)
        ratio = row.median / floor_ms
        row.goal = f"≤ {PAGE_GOAL_MS} ms, ≤ {FLOOR_RATIO_GOAL}× floor"
        row.met = f"{'yes' if row.median <= PAGE_GOAL_MS else 'NO'}, {'yes' if ratio <= FLOOR_RATIO_GOAL else 'NO'}"
        row.note = f"{ratio:.1f}× floor"


# --- 6. browser -------------------------------------------------------------------------------------------
def measure_first_paint(db: Path, loads: int) -> None:
    """`streamlit run app.py` + Playwright (Debian's Chromium): goto → '24/61' visible, a new context per load."""
    from playwright.sync_api import sync_playwright

    with running_dashboard(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def load():
            page = browser.new_page()
            page.goto(f"{url}/?year=2022&province=soc-trang")
            page.get_by_text("24/61").first.wait_for(timeout=60_000)
            page.close()

        record(
            "Browser: overview until '24/61' shown, server's first load",
            "real",
            timed(load, 1),
            note="cold server caches",
        )
        record("Browser: overview until '24/61' shown", "real", timed(load, loads), note="a fresh page each")
        browser.close()


# --- report -----------------------------------------------------------------------------------------------
def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "unknown CPU")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    ram_kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram_kib / 1024**2:.1f} GiB RAM, Linux {platform.release()} "
        f"(load average {os.getloadavg()[0]:.2f} before the run); "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}, "
        f"pandas {pd.__version__}"
    )


COLUMNS = ["what", "size", "runs", "median ms", "p95 ms", "goal", "met?", "note"]


def cells(row: Row) -> list[str]:
    return [row.what, row.size, str(len(row.times)), f"{row.median:.1f}", f"{row.p95:.1f}", row.goal, row.met, row.note]


def text_table() -> str:
    rows = [COLUMNS, *map(cells, ROWS)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    right = {2, 3, 4}
    lines = [
        "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table() -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|---|---:|---:|---:|---|---|---|"]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in ROWS]
    return "\n".join(lines)


NOTES = """\
- **Goals** are for the real data; at 10× the same goals are shown to see the headroom. The machine
  is shared with other work, so single runs can be noisy: compare medians.
- **DB build**: `Store(new file).ensure_built(data_dir)`, the dashboard's first start: migrations,
  reference tables, every seed score file through the upload parser/validation, diff and write path,
  the plan's tasks. A fresh file each run; the first run also pays one-time imports.
- **Summary of all 63 provinces**: `rank_table(scores, units)` once (all years and measures, each
  province compared with its own region), then `comparison_group` + `province_summary` for each of
  the 63 provinces for 2022. Scores and reference are read from the DB before timing. "Batched": the
  same summaries (checked equal) from one `province_summaries` call, which does the per-year work
  (year filter, records, units ahead) once instead of once per province.
- **Ingest 2025**: a synthetic wide CSV (`tests/helpers.synthetic_year` over the 63 province names)
  through `parse_scores`; then `store.preview` + `store.commit_scores` (one transaction, checked
  against the preview's signature); then `store.rollback` of that upload, timed apart. On a copy of
  the built DB.
- **Pages**: Streamlit AppTest on `app.py` with `?year=2022&province=soc-trang`, the AppTest
  workaround of `tests/apptest.py`; run, switch to the page, run once more to warm the caches,
  then time the reruns (what a user waits for on the server when clicking a widget with warm caches;
  AppTest recompiles app.py and the page on every run, 3–6 ms here, which the server does not).
  The floor is an app whose `st.navigation` has one page writing `st.write("")`, timed the same
  way; "× floor" is the page's median over the floor's.
- **Browser**: `streamlit run app.py --server.headless true` on the built real DB; Playwright
  driving Debian's Chromium (headless); time from `page.goto` until the text "24/61" (Sóc Trăng's
  2022 national rank) is visible, a new browser context (no cache) per load. The server's first load
  (cold caches) is reported apart from the following loads.
"""


def write_results(command: str, host: str, seed_note: str, db_note: str) -> None:
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Measured {date.today():%d/%m/%Y} on {host}.",
            "",
            f"Command: `{command}`",
            "",
            markdown_table(),
            "",
            "## What each measurement includes",
            "",
            NOTES,
            "## The 10× data",
            "",
            f"- **Build at 10×** (seed files): {seed_note}",
            f"- **Summary, ingest and pages at 10×** (database): {db_note}",
            "",
        ]
    )
    results = ROOT / "bench" / "RESULTS.md"
    previous = results.read_text(encoding="utf-8") if results.exists() else ""
    # The sections other scripts write (bench/load.py, bench/page_cost.py) are kept.
    kept = re.findall(r"<!-- bench/(\S+): start -->.*?<!-- bench/\1: end -->", previous, flags=re.S)
    for script in kept:
        start, end = f"<!-- bench/{script}: start -->", f"<!-- bench/{script}: end -->"
        text += "\n" + previous[previous.index(start) : previous.index(end) + len(end)] + "\n"
    results.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, for a smoke run")
    args = parser.parse_args()
    builds, runs, loads = (2, 5, 2) if args.quick else (5, 20, 5)
    host = machine()
    workdir = Path(tempfile.mkdtemp(prefix="papi-bench-"))
    os.environ["PAPI_DB"] = str(workdir / "unused.duckdb")  # never the default data/papi.duckdb
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True  # bare-mode noise
    try:
        print("DB build")
        db = measure_build(DATA_DIR, workdir, "real", builds)
        seed_dir = tenfold_seed_dir(workdir)
        big_seed = measure_build(seed_dir, workdir, "10×", builds)
        seed_rows = len(Store(big_seed).scores())
        print("summary and ingest")
        tenfold, db_note = tenfold_db(db, workdir)
        for size, path in (("real", db), ("10×", tenfold)):
            measure_summary(path, size, runs)
            measure_ingest(path, workdir, size, runs)
        print("pages")
        floor_ms = measure_floor(workdir, runs)
        for size, path in (("real", db), ("10×", tenfold)):
            measure_pages(path, size, runs, floor_ms)
        print("browser")
        measure_first_paint(db, loads)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    seed_note = f"{SEED_10X} {seed_rows} score rows."
    print()
    print(text_table())
    write_results(".venv/bin/python bench/run.py" + (" --quick" if args.quick else ""), host, seed_note, db_note)
    print("\nwritten bench/RESULTS.md")


if __name__ == "__main__":
    main()
