"""Benchmark of issue 10's file half: what the isolated parse costs on normal files, and what each hostile
file of the issue costs the process that receives it (the dashboard or the command line), before and
after.

Run: .venv/bin/python bench/hostile.py [--quick] [--before REV]
Writes bench/HOSTILE.md. Every measurement runs in a fresh Python process (the "server"): it reads the
file from disk, parses it once, and reports its wall time and the growth of its peak resident memory
(ru_maxrss after the parse minus before it); with the isolated parse, also the child's peak and CPU.
"Before" is the code at REV (default: the commit before issue 10's file work) parsing in-process, as
the dashboard did; that process is held to 6 GB of address space and 90 s so that the machine survives.
Files are built in bench/out/hostile/ (git-ignored); the 4.7 MB whitespace workbook takes a while once.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "hostile"
BEFORE = "9b7378c"  # the last commit before the bounded reader
CAP_BYTES, CAP_SECONDS = 6 * 1024**3, 90
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]


def build_files(quick: bool) -> dict[str, Path]:
    """The hostile files of the issue (and two normal ones), written once."""
    import hostile_files as hostile
    from helpers import csv_bytes, synthetic_year

    from papi_analysis.files import export
    from papi_analysis.paths import SCORES_DIR

    three = csv_bytes(synthetic_year(["Sóc Trăng", "Cà Mau", "An Giang"], 2024))
    with_huge = synthetic_year(["Sóc Trăng", "Cà Mau", "An Giang"], 2024).astype({"D3": object})
    with_huge.loc[1, "D3"] = "1e28"
    builders = {
        "normal: papi_2022.csv (63 provinces)": lambda: (SCORES_DIR / "papi_2022.csv").read_bytes(),
        "normal: 63-province XLSX export": lambda: export.xlsx_bytes(_frame_2022()),
        "one cell at XFD1048576 (XLSX)": hostile.far_cell,
        "12 M cells in 1 MB (XLSX)": lambda: hostile.many_cells(12_000_000),
        "4.7 MB of compressed whitespace (XLSX)": lambda: hostile.whitespace(300 if quick else 4_700),
        "UTF-8 BOM + invalid bytes": lambda: hostile.utf8_bom_then_invalid(three),
        "UTF-16 BOM, odd length": lambda: hostile.utf16_odd_length(three),
        "UTF-16 lone surrogate": lambda: hostile.utf16_lone_surrogate(three),
        "field over 128 KiB": lambda: hostile.huge_field(three),
        "value 1e28 in a row with TOTAL": lambda: csv_bytes(with_huge),
        "10^6 unknown names in 4 MB": lambda: b"province,D1\n" + b"xy,\n" * 1_000_000,
        "one 3 MB name": hostile.one_long_name,
        "90,000 distinct unknown names (under the row limit)": lambda: hostile.unknown_names(90_000),
        "largest CSV within the limits: 99,999 long rows": hostile.long_rows,
        "largest sheet within the limits: 500 × 999 cells (XLSX)": hostile.full_sheet,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    paths = {}
    for index, (label, build) in enumerate(builders.items()):
        suffix = "xlsx" if "XLSX" in label else "csv"
        path = OUT / f"{index:02d}_papi_2024.{suffix}"
        if not path.exists() or index < 2 or (quick and "whitespace" in label):
            path.write_bytes(build())
        paths[label] = path
    return paths


def _frame_2022():
    import pandas as pd

    from papi_analysis.paths import SCORES_DIR

    return pd.read_csv(SCORES_DIR / "papi_2022.csv", dtype={"year": "int64"})


def measure(mode: str, path: str, source: str) -> dict:
    """In this (fresh) process: parse the file once, in-process or isolated; time and memory."""
    sys.path.insert(0, source)
    from papi_analysis.problems import InvalidFile
    from papi_analysis.store.seed import read_reference

    ref = read_reference(ROOT / "data").reference()
    content = Path(path).read_bytes()
    if mode == "isolated":
        from papi_analysis.reading import isolated

        isolated.run(len, b"", file="warm-up")  # the fork server starts once per server, not per upload
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    child = None
    try:
        if mode == "isolated":
            from papi_analysis.reading.ingest import parse_scores

            outcome = isolated.run(parse_scores, content, Path(path).name, ref, file=Path(path).name)
            child = (outcome.usage.child_peak_mb, outcome.usage.child_cpu_seconds)
            result = "accepted" if outcome.problems is None else "refused: " + outcome.problems[0].message
        else:
            from papi_analysis.reading.ingest import parse_scores

            parse_scores(content, Path(path).name, ref)
            result = "accepted"
    except InvalidFile as error:
        result = "refused: " + error.problems[0].message
    except MemoryError:
        result = "MemoryError (6 GB cap)"
    except Exception as error:  # the old code's crashes are what is measured
        result = f"crash: {type(error).__name__}"
    seconds = time.perf_counter() - started
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return {"seconds": seconds, "growth_mb": growth, "child": child, "result": result[:90]}


def _cap() -> None:
    """In the measured process (before it starts Python): the address-space cap."""
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def run_measure(mode: str, path: Path, source: Path) -> dict:
    command = [sys.executable, __file__, "--measure", mode, str(path), str(source)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=_cap)
    try:
        stdout, _ = process.communicate(timeout=CAP_SECONDS)
    except subprocess.TimeoutExpired:
        peak = _peak_mb(process.pid)  # still running: its peak so far (VmHWM), then stop it
        process.kill()
        process.communicate()
        return {"seconds": CAP_SECONDS, "growth_mb": peak, "child": None, "result": f"still running at {CAP_SECONDS} s"}
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"seconds": None, "growth_mb": None, "child": None, "result": f"died ({process.returncode})"}
    return json.loads(lines[-1])


def _peak_mb(pid: int) -> float | None:
    """A process's peak resident memory so far, from /proc (an upper bound of its growth)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), None)


def overhead(paths: dict[str, Path], runs: int) -> list[str]:
    """Median time of a normal file parsed in-process vs isolated, in one process (fork server warm)."""
    # Like `.venv/bin/streamlit run app.py`: a main *script* importing streamlit (see isolated._preload).
    code = f"""
import sys, time, statistics, json
sys.path[:0] = [{str(ROOT)!r}]
from streamlit.web.cli import main as streamlit_main
from papi_analysis import isolated
from papi_analysis.ingest import parse_scores
from papi_analysis.seed import read_reference
def main():
    ref = read_reference().reference()
    out = {{}}
    for path in sys.argv[1:]:
        content = open(path, 'rb').read()
        started = time.perf_counter(); isolated.parse_scores(content, 'papi_2022.csv', ref)
        first = time.perf_counter() - started
        times = {{'in-process': [], 'isolated': []}}
        for _ in range({runs}):
            for mode, parse in (('in-process', parse_scores), ('isolated', isolated.parse_scores)):
                started = time.perf_counter(); parse(content, 'papi_2022.csv', ref)
                times[mode].append(time.perf_counter() - started)
        out[path] = {{m: statistics.median(t) * 1000 for m, t in times.items()}} | {{'first': first * 1000}}
    print(json.dumps(out))
if __name__ == '__main__':
    main()
"""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(code)
    normal = [(label, path) for label, path in paths.items() if label.startswith("normal")]
    done = subprocess.run([sys.executable, script.name, *[str(p) for _, p in normal]], capture_output=True, text=True)
    results = json.loads(done.stdout.splitlines()[-1])
    rows = []
    for label, path in normal:
        r = results[str(path)]
        rows.append(
            f"| {label} | {r['in-process']:.1f} | {r['isolated']:.1f} | {r['isolated'] - r['in-process']:+.1f} "
            f"| {r['isolated'] / r['in-process']:.1f}× | {r['first']:.0f} |"
        )
    return rows


def old_source(revision: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="papi_before_"))
    archive = subprocess.run(["git", "archive", revision, "papi_analysis"], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def _cell(value, unit: str = "", digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def report(quick: bool, before_rev: str) -> None:
    paths = build_files(quick)
    old = old_source(before_rev)
    lines = [
        "# Hostile files: cost before and after (issue 10, file half)",
        "",
        f"Measured {date.today():%d/%m/%Y} on {platform.processor() or platform.machine()}, 2 cores; "
        f"load average {open('/proc/loadavg').read().split()[0]} before the run. "
        f"Command: `.venv/bin/python bench/hostile.py{' --quick' if quick else ''}`.",
        "",
        "## Isolation overhead on normal files (median of 15 runs, ms)",
        "",
        "| file | in-process | isolated | overhead | ratio | first isolated call (starts the fork server) |",
        "|---|---:|---:|---:|---:|---:|",
        *overhead(paths, 15),
        "",
        f"## Each file, parsed once by a fresh server process (before: `{before_rev}`, in-process)",
        "",
        "Server = the process that received the file; its peak memory growth is ru_maxrss after − before the parse "
        f"(for a parse still running at {CAP_SECONDS} s: its whole peak resident memory at that moment).",
        "",
        "| file | size | before: s | before: server +MB | before: result | after: s | after: server +MB "
        "| after: child peak MB | after: result |",
        "|---|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for label, path in paths.items():
        was = run_measure("in-process", path, old)
        now = run_measure("isolated", path, ROOT)
        child = now["child"][0] if now["child"] else None
        size = f"{path.stat().st_size / 1024:,.0f} KB"
        before = f"{_cell(was['seconds'])} | {_cell(was['growth_mb'], '', 0)} | {was['result']}"
        after = f"{_cell(now['seconds'])} | {_cell(now['growth_mb'], '', 0)} | {_cell(child, '', 0)} | {now['result']}"
        lines.append(f"| {label} | {size} | {before} | {after} |")
        print(lines[-1], flush=True)
    (ROOT / "bench" / "HOSTILE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smaller whitespace workbook")
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--measure", nargs=3, metavar=("MODE", "PATH", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    report(args.quick, args.before)


if __name__ == "__main__":
    main()
