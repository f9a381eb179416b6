"""Run by tests/support/small_disk.py in a process of its own: a copy of the built database in FOLDER, the fault,
the command line's writes (ingest, task-status, rollback) and a read (summary), the fault undone, then the
store compared with what it was. Prints one JSON line: each command's exit code and output, and `unchanged`.

    python fault_scenario.py full|readonly tmpfs|rlimit-fsize|chmod FOLDER SOURCE_DB
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import traceback
from pathlib import Path


def cli(*argv: str) -> dict:
    from papi_analysis.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except BaseException:  # a raw traceback is what the fault must never give
            code, err = -1, io.StringIO(err.getvalue() + traceback.format_exc())
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def fill(folder: Path) -> None:
    """Every free block of the file system taken."""
    with (folder / "filler").open("wb", buffering=0) as out:
        for size in (1 << 20, 4096, 1):
            try:
                while out.write(b"\0" * size):
                    pass
            except OSError:  # ENOSPC: the next, smaller size takes what is left
                continue


def apply(fault: str, mechanism: str, folder: Path, db: Path) -> None:
    if mechanism == "tmpfs" and fault == "full":
        fill(folder)
    elif mechanism == "tmpfs":
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    elif mechanism == "rlimit-fsize":
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))  # no file may grow at all
    else:  # chmod: a folder and a file without write permission (not for root)
        db.chmod(0o400)
        folder.chmod(0o500)


def undo(fault: str, mechanism: str, folder: Path, db: Path) -> None:
    if mechanism == "tmpfs" and fault == "full":
        (folder / "filler").unlink()
    elif mechanism == "tmpfs":
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
    elif mechanism == "rlimit-fsize":
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    else:
        folder.chmod(0o700)
        db.chmod(0o600)


def main(fault: str, mechanism: str, folder: Path, source: Path) -> dict:
    from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year

    from papi_analysis.store.database import Store

    db = folder / "papi.duckdb"
    shutil.copy(source, db)
    os.environ["PAPI_DB"] = str(db)
    store = Store(db)
    upload = Path(os.environ.get("TMPDIR", "/tmp")) / f"papi_2025_{os.getpid()}.csv"
    upload.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng", "Cà Mau"], 2025)))
    earlier = Path(str(upload).replace("2025", "2026"))
    earlier.write_bytes(csv_bytes(synthetic_year(["Bạc Liêu"], 2026)))
    assert cli("ingest", str(earlier))["code"] == 0  # an upload to undo under the fault
    before, statuses = db_state(store), len(store.task_statuses())
    last = int(store.uploads().upload_id.max())
    apply(fault, mechanism, folder, db)
    report = {
        "ingest": cli("ingest", str(upload)),
        "task-status": cli("task-status", "T065", "--period", "2023-Q3", "--status", "Hoàn thành"),
        "rollback": cli("rollback", str(last)),
        "summary": cli("summary", "--province", "Sóc Trăng", "--year", "2022"),
    }
    undo(fault, mechanism, folder, db)
    try:
        assert_unchanged(Store(db), before)
        report["unchanged"] = len(Store(db).task_statuses()) == statuses
    except AssertionError:
        report["unchanged"] = False
    upload.unlink()
    earlier.unlink()
    return report


if __name__ == "__main__":
    fault, mechanism, folder, source = sys.argv[1:5]
    print(json.dumps(main(fault, mechanism, Path(folder), Path(source)), ensure_ascii=False))
