"""Faults of the machine say what happened and leave the store as it was (issue 20): a full disk (a
TransactionException traceback before), a read-only folder, a database file another program holds locked, a
write lock held too long, and the sign-in throttle's file on a full disk. The full disk and the read-only folder
are real: a small tmpfs of the test's own (tests/support/small_disk.py says how, and what it falls back to)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
import small_disk
from filelock import FileLock
from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year

from papi_analysis.access import passwords
from papi_analysis.access.throttle import Throttle
from papi_analysis.cli.main import main
from papi_analysis.reading.ingest import parse_scores
from papi_analysis.store import database
from papi_analysis.store.database import StoreError

WRITES = ("ingest", "task-status", "rollback")


def assert_said(report: dict, words: str) -> None:
    for command in WRITES:
        result = report[command]
        assert result["code"] == 1 and "Traceback" not in result["err"], (command, result)
        assert words in result["err"] and "Chưa ghi gì; dữ liệu vẫn như trước." in result["err"], (command, result)
    assert report["unchanged"]


@pytest.mark.slow
def test_a_full_disk_says_so_and_leaves_the_store_as_it_was(built_db, tmp_path):
    report = small_disk.run("full", tmp_path / "dia-nho", built_db, size_mb=16)
    said = {"tmpfs": "Ổ đĩa chứa cơ sở dữ liệu", "rlimit-fsize": "đã chạm giới hạn kích thước tệp"}[report["how"]]
    assert_said(report, said)
    assert report["summary"]["code"] == 0  # reading goes on


@pytest.mark.slow
def test_a_read_only_folder_says_so_and_still_serves_reads(built_db, tmp_path):
    if small_disk.how("readonly") == "none":
        pytest.skip("root without a mount namespace: no folder is read-only to it")
    report = small_disk.run("readonly", tmp_path / "chi-doc", built_db, size_mb=16)
    said = {"tmpfs": "chỉ cho phép đọc (read-only)", "chmod": "không có quyền ghi"}[report["how"]]
    assert_said(report, said)
    assert report["summary"]["code"] == 0 and "Sóc Trăng" in report["summary"]["out"]


@pytest.mark.slow
def test_a_database_another_program_holds_is_said_and_nothing_is_written(fresh_db_env, tmp_path, capsys):
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng"], 2025)))
    before = db_state(fresh_db_env)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print(1, flush=True); time.sleep(60)",
            str(fresh_db_env.path),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        holder.stdout.readline()
        assert main(["ingest", str(path)]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "đang bị một chương trình khác mở và khóa" in err and "Traceback" not in err
    assert_unchanged(fresh_db_env, before)


@pytest.mark.slow
def test_a_write_lock_held_too_long_is_said(fresh_store, monkeypatch):
    monkeypatch.setattr(database, "LOCK_SECONDS", 0.5)
    parsed = parse_scores(csv_bytes(synthetic_year(["Sóc Trăng"], 2025)), "p.csv", fresh_store.reference())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import filelock, sys, time; l = filelock.FileLock(sys.argv[1]); l.acquire(); "
            "print(1, flush=True); time.sleep(60)",
            str(fresh_store.path) + ".lock",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        holder.stdout.readline()
        with pytest.raises(StoreError, match="đang bận: một lượt ghi khác chưa xong"):
            fresh_store.commit_scores(parsed, replace=False, user="lan")
    finally:
        holder.kill()
        holder.wait()
    assert FileLock(str(fresh_store.path) + ".lock").acquire(timeout=5)


def test_a_full_disk_under_the_sign_in_throttle_refuses_sign_in_in_words(tmp_path, monkeypatch):
    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    throttle = Throttle(tmp_path / "t.sqlite")
    monkeypatch.setattr(throttle, "reserve", full)
    result = passwords.sign_in({"lan": "h"}, "lan", "x", throttle, client="203.0.113.7")
    assert not result.ok and result.message.startswith("Chưa đăng nhập được: Ổ đĩa chứa tệp đếm đăng nhập sai")


def test_the_command_line_says_when_its_output_file_cannot_be_written(tmp_path, capsys):
    assert main(["export", "--year", "2022", "-o", "/dev/full"]) == 1  # a device that is always full
    err = capsys.readouterr().err
    assert err.startswith("Ổ đĩa chứa tệp /dev/full đã đầy. Hãy giải phóng dung lượng ổ đĩa") and "Traceback" not in err
