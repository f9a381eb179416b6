"""Committing uploads: preview = what is written, round trip, rollback restores exactly, concurrency,
the 2025 unit sets, exports (BOM, formula-safe) and the command line on the same paths."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile

import openpyxl
import pandas as pd
import pytest
from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year, year_frame

from papi_analysis.cli.main import main, os_user
from papi_analysis.files import export
from papi_analysis.reading.ingest import parse_scores
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.summary import Status, province_summary
from papi_analysis.store.database import StoreError


def parse(store, frame: pd.DataFrame, name: str = "papi_2025.csv", **kwargs):
    return parse_scores(csv_bytes(frame), name, store.reference(), **kwargs)


@pytest.mark.slow
def test_round_trip_export_then_upload_is_no_change(fresh_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PAPI_DB", str(fresh_store.path))
    out = tmp_path / "papi_2022.csv"
    assert main(["export", "--year", "2022", "-o", str(out)]) == 0
    before = db_state(fresh_store)
    assert main(["ingest", str(out)]) == 0
    assert "Không có thay đổi nào" in capsys.readouterr().out
    assert_unchanged(fresh_store, before)
    xlsx = tmp_path / "papi_2022.xlsx"
    assert main(["export", "--year", "2022", "--format", "xlsx", "-o", str(xlsx)]) == 0
    diff = fresh_store.preview(parse_scores(xlsx.read_bytes(), xlsx.name, fresh_store.reference()), replace=True)
    assert not diff.has_changes and diff.unchanged == len(fresh_store.scores(years=[2022]))


@pytest.mark.slow
def test_new_year_upload_then_rollback_restores_the_exact_state(fresh_store):
    before = db_state(fresh_store)
    names = fresh_store.reference().units_of_set("old").name_vi.tolist()
    parsed = parse(fresh_store, synthetic_year(names, 2025))
    diff = fresh_store.preview(parsed, replace=False)
    assert diff.counts() == {"added": 63 * 9, "changed": 0, "removed": 0, "unchanged": 0}
    result = fresh_store.commit_scores(parsed, replace=False, user="lan", expected_signature=diff.signature())
    stored = fresh_store.scores(years=[2025])
    assert len(stored) == 63 * 9 and set(stored.upload_id) == {result.upload_id}
    upload = fresh_store.uploads().set_index("upload_id").loc[result.upload_id]
    assert (upload.uploaded_by, upload.kind, list(upload.years), upload.cells_added) == ("lan", "scores", [2025], 567)
    assert fresh_store.upload_file(result.upload_id) == ("papi_2025.csv", parsed.content)
    fresh_store.rollback(result.upload_id, user="lan")
    after = db_state(fresh_store)
    pd.testing.assert_frame_equal(before[0], after[0])
    assert fresh_store.uploads().set_index("upload_id").loc[result.upload_id].rolled_back_by == "lan"
    with pytest.raises(StoreError, match="đã được hoàn tác"):
        fresh_store.rollback(result.upload_id, user="lan")


@pytest.mark.slow
def test_replacing_values_needs_replace_and_rollback_restores_old_values(fresh_store):
    before = db_state(fresh_store)
    frame = year_frame(fresh_store, 2022).drop(columns=["Vùng"])
    soc_trang = frame["Tỉnh, thành phố"] == "Sóc Trăng"
    frame.loc[soc_trang, "D1"] += 0.1
    frame.loc[soc_trang, "TOTAL"] += 0.1
    frame = frame[frame["Tỉnh, thành phố"] != "Cà Mau"]  # replace mode removes what the file lacks
    parsed = parse(fresh_store, frame, "sua_2022.csv")
    plain = fresh_store.preview(parsed, replace=False)
    assert plain.needs_replace and len(plain.changed) == 2 and len(plain.removed) == 0
    with pytest.raises(StoreError, match="cần xác nhận thay thế"):
        fresh_store.commit_scores(parsed, replace=False, user="lan")
    assert_unchanged(fresh_store, before)
    replace = fresh_store.preview(parsed, replace=True)
    assert len(replace.removed) == 9 and len(replace.changed) == 2
    result = fresh_store.commit_scores(parsed, replace=True, user="lan", expected_signature=replace.signature())
    assert fresh_store.scores(years=[2022]).query("unit_id == 'old:ca-mau' and measure == 'TOTAL'").empty
    fresh_store.rollback(result.upload_id, user="lan")
    pd.testing.assert_frame_equal(before[0], db_state(fresh_store)[0])  # values and their upload_id exactly


@pytest.mark.slow
def test_rollback_refuses_when_a_later_upload_changed_the_same_values(fresh_store):
    names = ["Sóc Trăng", "Cà Mau"]
    first = fresh_store.commit_scores(parse(fresh_store, synthetic_year(names, 2025)), replace=False, user="a")
    second = fresh_store.commit_scores(
        parse(fresh_store, synthetic_year(names, 2025, base=4.0)), replace=True, user="b"
    )
    with pytest.raises(StoreError, match=f"lượt tải lên sau \\({second.upload_id}\\)"):
        fresh_store.rollback(first.upload_id, user="a")
    fresh_store.rollback(second.upload_id, user="b")
    fresh_store.rollback(first.upload_id, user="a")
    assert fresh_store.scores(years=[2025]).empty


@pytest.mark.slow
def test_a_stale_preview_is_refused(fresh_store):
    parsed = parse(fresh_store, synthetic_year(["Sóc Trăng", "Cà Mau"], 2025))
    stale = fresh_store.preview(parsed, replace=False).signature()
    fresh_store.commit_scores(
        parse(fresh_store, synthetic_year(["Sóc Trăng"], 2025, base=3.0)), replace=False, user="other"
    )
    with pytest.raises(StoreError, match="vừa được thay đổi"):
        fresh_store.commit_scores(parsed, replace=False, user="lan", expected_signature=stale)


@pytest.mark.slow
def test_two_concurrent_uploads_never_interleave(fresh_store):
    """Two analysts commit the same new year at the same moment from previews of the same state:
    exactly one upload lands whole, the other is refused and writes nothing."""
    names = fresh_store.reference().units_of_set("old").name_vi.tolist()
    files = [parse(fresh_store, synthetic_year(names, 2025, base=b)) for b in (4.0, 5.0)]
    signatures = [fresh_store.preview(f, replace=False).signature() for f in files]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def commit(i):
        barrier.wait()
        try:
            results.append(
                fresh_store.commit_scores(files[i], replace=False, user=f"u{i}", expected_signature=signatures[i])
            )
        except StoreError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1 and len(errors) == 1
    stored = fresh_store.scores(years=[2025])
    assert len(stored) == 63 * 9 and set(stored.upload_id) == {results[0].upload_id}


@pytest.mark.slow
def test_concurrent_readers_see_a_year_whole(fresh_store):
    names = fresh_store.reference().units_of_set("old").name_vi.tolist()
    parsed = parse(fresh_store, synthetic_year(names, 2025))
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(len(fresh_store.scores(years=[2025])))

    reader = threading.Thread(target=read)
    reader.start()
    result = fresh_store.commit_scores(parsed, replace=False, user="lan")
    fresh_store.rollback(result.upload_id, user="lan")
    stop.set()
    reader.join()
    assert seen <= {0, 63 * 9}


@pytest.mark.slow
def test_a_2025_file_of_the_34_new_units(fresh_store):
    ref = fresh_store.reference()
    names = ref.units_of_set("new").name_vi.tolist()
    parsed = parse(fresh_store, synthetic_year(names, 2025))
    assert parsed.unit_set == "new"
    fresh_store.commit_scores(parsed, replace=False, user="lan")
    table = rank_table(fresh_store.scores(), ref.units)
    totals = table[(table.year == 2025) & (table.measure == "TOTAL")]
    assert set(totals.national_n) == {34} and totals.unit_id.str.startswith("new:").all()
    comparison = comparison_group(ref, "new:can-tho", "new")
    assert len(comparison.unit_ids) == 6
    summary = province_summary(table, ref, "new:can-tho", 2025, comparison, "new")
    assert summary.total.comparison_n == 6 and summary.total.previous_year is None  # no silent old-vs-new change
    assert "Sóc Trăng" in ref.merged_units_note("new:can-tho")
    old = province_summary(table, ref, "old:soc-trang", 2025, comparison_group(ref, "old:soc-trang", "old"), "new")
    assert old.status is Status.NOT_A_UNIT and "thuộc Cần Thơ" in old.message
    mixed = parse(fresh_store, synthetic_year(["Sóc Trăng"], 2025))
    with pytest.raises(StoreError, match="Một năm chỉ dùng một danh mục"):
        fresh_store.preview(mixed, replace=True)


def test_csv_export_has_bom_and_neutralised_formulas():
    frame = pd.DataFrame(
        {
            "Tỉnh, thành phố": ['=HYPERLINK("x")', "+1", "-cmd", "@SUM", "Sóc Trăng"],
            "Điểm": [1.5, -2.0, 3.0, 4.0, 42.8559],
        }
    )
    content = export.csv_bytes(frame)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
    assert rows["Tỉnh, thành phố"].tolist() == ['\'=HYPERLINK("x")', "'+1", "'-cmd", "'@SUM", "Sóc Trăng"]
    assert rows["Điểm"].tolist() == [1.5, -2.0, 3.0, 4.0, 42.8559]  # numbers stay numbers
    # XLSX (issue 14): a text cell with the quote-prefix style, never a formula, and no apostrophe to see.
    content = export.xlsx_bytes(frame)
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c.value for c in book.active["A"]][1:]
    assert cells[0] == '=HYPERLINK("x")' and book.active["A2"].data_type == "s" and book.active["A2"].quotePrefix
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert export.file_name([2022, "Đồng bằng sông Cửu Long"], "csv") == "papi_2022_dong-bang-song-cuu-long.csv"


@pytest.mark.slow
def test_cli_ingest_dry_run_uploads_rollback(fresh_db_env, tmp_path, capsys):
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng", "Bạc Liêu"], 2025)))
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "63 tỉnh, thành phố (trước 01/07/2025)" in out and "Thêm 18" in out and "không ghi gì" in out
    assert_unchanged(fresh_db_env, before)
    assert main(["ingest", str(path), "--user", "lan"]) == 0
    upload_id = int(capsys.readouterr().out.split("lượt tải lên số ")[1].split(".")[0])
    assert main(["uploads", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["upload_id"] == upload_id and listed[0]["uploaded_by"] == f"lan (dòng lệnh:{os_user()})"
    assert main(["rollback", str(upload_id)]) == 0
    assert_unchanged(fresh_db_env, (before[0], *db_state(fresh_db_env)[1:]))
    assert main(["rollback", "9999"]) == 1
    assert "Không có lượt tải lên số 9999" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_units_override_and_year_from_argument(fresh_db_env, tmp_path, capsys):
    frame = synthetic_year(["Cần Thơ", "Vĩnh Long"], 2025).drop(columns=["year"])
    path = tmp_path / "ket_qua.csv"
    path.write_bytes(csv_bytes(frame))
    assert main(["ingest", str(path), "--year", "2025", "--units", "new", "--dry-run"]) == 0
    assert "34 tỉnh, thành phố (từ 01/07/2025)" in capsys.readouterr().out
    assert main(["ingest", str(path), "--dry-run"]) == 1
    assert "Không xác định được năm" in capsys.readouterr().err


def test_export_filters_and_file(fresh_db_env, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert (
        main(
            [
                "export",
                "--year",
                "2022",
                "--region",
                "Đồng bằng sông Cửu Long",
                "--measure",
                "TOTAL",
                "D1",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    rows = pd.read_csv(out, encoding="utf-8-sig")
    assert len(rows) == 13 and list(rows.columns) == ["Năm", "Tỉnh, thành phố", "Vùng", "TOTAL", "D1", "Nguồn"]
    assert rows["Nguồn"].str.startswith("PAPI — CECODES, VFF-CRT, RTA, UNDP (papi.org.vn); xuất từ").all()
    soc_trang = rows[rows["Tỉnh, thành phố"] == "Sóc Trăng"].iloc[0]
    assert soc_trang.TOTAL == pytest.approx(42.8559, abs=1e-4)


@pytest.mark.parametrize(
    ("option", "name", "said"),
    [("--region", "Nowhere", "Không có vùng 'Nowhere'."), ("--measure", "D9", "Không có chỉ số 'D9'.")],
)
def test_export_names_an_unknown_region_or_measure_and_writes_nothing(
    fresh_db_env, tmp_path, capsys, option, name, said
):
    out = tmp_path / "x.csv"
    assert (
        main(["export", option, "TOTAL" if option == "--measure" else "Đồng bằng sông Cửu Long", name, "-o", str(out)])
        == 2
    )
    assert capsys.readouterr().err.strip() == said and not out.exists()


@pytest.mark.slow
def test_a_second_process_waits_for_the_writer_instead_of_failing(fresh_store, tmp_path):
    """The dashboard and the command line are separate processes. While one holds a write
    transaction, the other's upload waits on the file lock and then lands (DuckDB alone would
    refuse the second process with a lock error)."""
    env = {**os.environ, "PAPI_DB": str(fresh_store.path)}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nfrom papi_analysis.store import Store\n"
            "with Store().transaction():\n    print('locked', flush=True)\n    time.sleep(2)",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng", "Bạc Liêu"], 2025)))
    ingest = subprocess.run(
        [sys.executable, "-m", "papi_analysis", "ingest", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    holder.wait(timeout=30)
    assert ingest.returncode == 0, ingest.stderr
    assert len(fresh_store.scores(years=[2025])) == 18
