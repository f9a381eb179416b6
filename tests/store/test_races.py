"""Two writers at once and files others could read: the same file committed twice at the same moment (by
two sessions, or two command-line processes) writes once and tells the other why; the database, its WAL
and the folders the store creates are private to the owner."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import csv_bytes, synthetic_year

from papi_analysis.reading.ingest import parse_scores
from papi_analysis.store.database import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_two_analysts_commit_the_same_file_at_once(fresh_store):
    ref = fresh_store.reference()
    parsed = parse_scores(csv_bytes(synthetic_year(["Sóc Trăng", "Cà Mau"], 2025)), "papi_2025.csv", ref)
    signatures = [fresh_store.preview(parsed, replace=False).signature() for _ in range(2)]  # both previewed
    start, outcomes = threading.Barrier(2), []

    def commit(signature: str) -> None:
        start.wait()
        try:
            outcomes.append(fresh_store.commit_scores(parsed, replace=False, user="lan", expected_signature=signature))
        except StoreError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=commit, args=(s,)) for s in signatures]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [o for o in outcomes if isinstance(o, StoreError)]
    assert len(outcomes) == 2 and len(refused) == 1, outcomes
    assert "Không có thay đổi nào" in str(refused[0]) and "không ghi gì" in str(refused[0])
    assert len(fresh_store.uploads().query("kind == 'scores'")) == 1
    assert len(fresh_store.scores(years=[2025])) == 18


@pytest.mark.slow
def test_two_command_lines_ingest_the_same_file_at_once(fresh_db_env, tmp_path):
    upload = tmp_path / "papi_2025.csv"
    upload.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng", "Cà Mau"], 2025)))
    command = [sys.executable, "-m", "papi_analysis", "ingest", str(upload), "--user", "lan"]
    runs = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    finished = [(r.wait(timeout=120), *r.communicate()) for r in runs]
    assert all("Traceback" not in err for _, _, err in finished), finished
    assert sorted(code for code, _, _ in finished) in ([0, 0], [0, 1])  # the second: no change, or refused
    assert sum("Đã ghi lượt tải lên số" in out for _, out, _ in finished) == 1
    other = next(out + err for _, out, err in finished if "Đã ghi lượt" not in out)
    assert "Không có thay đổi nào" in other, other  # never pandas' "No objects to concatenate"
    assert len(fresh_db_env.uploads().query("kind == 'scores'")) == 1


@pytest.mark.slow
def test_the_database_and_its_folders_are_private(tmp_path, monkeypatch):
    previous = os.umask(0o022)  # a usual umask: files 0644, folders 0755
    try:
        path = tmp_path / "moi" / "con" / "papi.duckdb"
        store = Store(path)
        store.ensure_built()
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
        with store._connect(write=True) as con:  # a committed write stays in the WAL until the connection closes
            con.execute("CREATE TABLE scratch AS SELECT range AS x FROM range(100000)")
            wal = Path(str(path) + ".wal")
            assert wal.exists() and mode(wal) == 0o600
        assert os.umask(0o022) == 0o022  # the store gave the process its umask back
    finally:
        os.umask(previous)


def test_an_existing_database_readable_by_others_is_made_private(fresh_store):
    fresh_store.path.chmod(0o644)
    fresh_store.ensure_built()
    assert mode(fresh_store.path) == 0o600


@pytest.mark.slow
@pytest.mark.parametrize("given", [None, "lan", "  lan\nx  "])
def test_the_command_line_records_the_os_account(fresh_db_env, tmp_path, given):
    from papi_analysis.cli.main import main, os_user

    upload = tmp_path / "papi_2025.csv"
    upload.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng"], 2025)))
    assert main(["ingest", str(upload), *(["--user", given] if given else [])]) == 0
    recorded = fresh_db_env.uploads().uploaded_by.iloc[0]
    account = f"dòng lệnh:{os_user()}"
    assert recorded == (f"{' '.join(given.split())} ({account})" if given else account)
