"""Following the plan through the year: statuses per quarter with their history and undo, overdue on fixed
dates, each unit's tasks in every role, the quarterly report file in and out, and undoing uploads."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from helpers import assert_unchanged, db_state

from papi_analysis import times
from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan.agencies import Role
from papi_analysis.plan.plan_tasks import filter_tasks, parse_tasks, specific_to, unit_roles, with_dimensions
from papi_analysis.plan.status_file import COLUMNS, parse_status_file, report_xlsx
from papi_analysis.plan.task_status import (
    Period,
    default_period,
    latest,
    parse_period,
    plan_periods,
    status_change,
    with_status,
)
from papi_analysis.problems import InvalidFile
from papi_analysis.store.database import StoreError

PLAN = "120/KH-UBND-2023"


@pytest.fixture(scope="module")
def tasks(store):
    return with_dimensions(store.tasks())


def record(store, task_id: str, period: str, status: str, **kwargs) -> int:
    return store.record_status(status_change(PLAN, task_id, period, status, **kwargs), user="lan")


def status_of(store, tasks, task_id: str, as_of: date) -> tuple:
    row = with_status(tasks, store.task_statuses(), as_of).set_index("task_id").loc[task_id]
    return row.status, row.status_period, bool(row.overdue)


# --- periods ------------------------------------------------------------------------------------
def test_periods_are_quarters_written_the_official_way():
    q3 = parse_period("2023-Q3")
    assert (str(q3), q3.label, q3.start, q3.end) == ("2023-Q3", "Quý III/2023", date(2023, 7, 1), date(2023, 9, 30))
    assert parse_period("Quý IV/2023") == Period(2023, 4) and Period(2023, 4).next() == Period(2024, 1)
    with pytest.raises(ValueError, match="2023-Q3"):
        parse_period("2023-Q5")


def test_a_plan_reports_from_its_issue_quarter_and_defaults_to_its_year_end():
    periods = plan_periods(date(2023, 6, 14), 2023, today=date(2026, 11, 27))
    assert [str(p) for p in periods] == ["2024-Q4", "2024-Q3", "2024-Q2", "2024-Q1", "2023-Q4", "2023-Q3", "2023-Q2"]
    assert default_period(periods, 2023, date(2026, 11, 27)) == Period(2023, 4)
    running = plan_periods(date(2023, 6, 14), 2023, today=date(2023, 8, 2))
    assert [str(p) for p in running] == ["2023-Q3", "2023-Q2"] and default_period(
        running, 2023, date(2023, 8, 2)
    ) == Period(2023, 3)


def test_a_status_is_validated_and_kept_as_plain_text():
    change = status_change(PLAN, "T001", "2023-Q3", "hoan thanh", " Đã  xong\n", "[Báo cáo](https://x.vn/a)\n số 12")
    assert change.status.value == "Hoàn thành" and change.note == "Đã xong"
    assert change.evidence == "[Báo cáo](https://x.vn/a) số 12"  # kept verbatim as text, one line
    with pytest.raises(ValueError, match="Chưa triển khai, Đang triển khai, Hoàn thành, Không thực hiện được"):
        status_change(PLAN, "T001", "2023-Q3", "Xong")
    with pytest.raises(ValueError, match="vượt giới hạn 2000"):
        status_change(PLAN, "T001", "2023-Q3", "Hoàn thành", note="x" * 2001)


def test_times_are_shown_in_vietnam_time():
    assert times.from_utc(datetime(2023, 7, 1, 17, 30)) == "02/07/2023 00:30"  # statuses are stored in UTC


# --- history and undo -----------------------------------------------------------------------------
@pytest.mark.slow
def test_every_change_is_kept_with_who_and_when_and_undo_restores_the_previous(fresh_store, tasks):
    first = record(fresh_store, "T065", "2023-Q3", "Đang triển khai", note="Đang soạn")
    second = record(fresh_store, "T065", "2023-Q3", "Hoàn thành", evidence="123/BC-SNV")
    history = fresh_store.task_statuses()
    assert history.change_id.tolist() == [first, second] and set(history.recorded_by) == {"lan"}
    assert history.recorded_at.notna().all()
    assert status_of(fresh_store, tasks, "T065", date(2023, 9, 30))[:2] == ("Hoàn thành", "2023-Q3")
    with pytest.raises(StoreError, match="cập nhật sau đó"):
        fresh_store.undo_status(first, "lan")  # the later change must be undone first
    fresh_store.undo_status(second, "hoa")
    assert status_of(fresh_store, tasks, "T065", date(2023, 9, 30))[:2] == ("Đang triển khai", "2023-Q3")
    undone = fresh_store.task_statuses().set_index("change_id").loc[second]
    assert undone.undone_by == "hoa" and pd.notna(undone.undone_at)  # kept, marked undone
    with pytest.raises(StoreError, match="đã được hoàn tác"):
        fresh_store.undo_status(second, "hoa")
    with pytest.raises(StoreError, match="đã đúng như vậy"):
        record(fresh_store, "T065", "2023-Q3", "Đang triển khai", note="Đang soạn")
    with pytest.raises(StoreError, match="Không có nhiệm vụ T999"):
        record(fresh_store, "T999", "2023-Q3", "Hoàn thành")


def test_a_status_carries_forward_until_a_later_period_says_otherwise(fresh_store, tasks):
    record(fresh_store, "T001", "2023-Q2", "Đang triển khai")
    record(fresh_store, "T001", "2023-Q4", "Hoàn thành")
    assert status_of(fresh_store, tasks, "T001", date(2023, 8, 15))[:2] == ("Đang triển khai", "2023-Q2")
    assert status_of(fresh_store, tasks, "T001", date(2024, 1, 5))[:2] == ("Hoàn thành", "2023-Q4")
    assert status_of(fresh_store, tasks, "T001", date(2023, 3, 1))[0] is None


# --- overdue --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_overdue_on_fixed_dates(fresh_store, tasks):
    # T065 (PL.1.1) is due "Tháng 7/2023" = 31/07/2023; T068 (PL.1.4) is "Thường xuyên".
    assert status_of(fresh_store, tasks, "T065", date(2023, 7, 31))[2] is False
    assert status_of(fresh_store, tasks, "T065", date(2023, 8, 1))[2] is True
    assert status_of(fresh_store, tasks, "T068", date(2030, 1, 1))[2] is False
    record(fresh_store, "T065", "2023-Q4", "Hoàn thành")
    assert status_of(fresh_store, tasks, "T065", date(2023, 9, 30))[2] is True  # done only reported for Q4
    assert status_of(fresh_store, tasks, "T065", date(2023, 12, 31))[2] is False
    record(fresh_store, "T069", "2023-Q4", "Không thực hiện được", note="Không có kinh phí")
    assert status_of(fresh_store, tasks, "T069", date(2024, 2, 1))[2] is False  # closed, with its reason


# --- each unit's tasks ----------------------------------------------------------------------------
def test_a_departments_view_has_its_own_shared_and_partner_tasks(tasks):
    roles = unit_roles(tasks, "Sở Nội vụ").set_axis(tasks.task_id)
    assert (roles["T060"], roles["T001"], roles["T071"], roles["T055"]) == (
        Role.LEAD,
        Role.SHARED,  # Mục II: "Các sở, ban, ngành tỉnh"
        Role.PARTNER,
        Role.LEAD,  # "Phối hợp với Sở Nội vụ …"
    )
    led = filter_tasks(tasks, unit="Sở Nội vụ", role="lead")
    supported = filter_tasks(tasks, unit="Sở Nội vụ", role="partner")
    every = filter_tasks(tasks, unit="Sở Nội vụ")
    assert len(every) == len(led) + len(supported) > 50 and set(supported.task_id) == {"T071", "T072"}
    assert roles.isna().sum() == len(tasks) - len(every)


def test_no_weak_dimension_looks_empty_for_a_department_that_shares_its_tasks(tasks):
    for unit in ("Sở Nội vụ", "Sở Y tế", "Công an tỉnh"):
        mine = filter_tasks(tasks, unit=unit)
        assert all(len(specific_to(mine, code)) for code in ("D1", "D2", "D6", "D8")), unit


def test_the_unspecific_body_is_credited_to_nobody(tasks):
    assert filter_tasks(tasks, unit="UBND cấp xã", role="lead").task_id.str.startswith("T0").all()
    assert (unit_roles(tasks, "Đài Truyền thanh") == Role.PARTNER).sum() == 1


# --- the quarterly report file --------------------------------------------------------------------
def _filled(content: bytes, rows: dict[str, tuple]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in rows:
            row[5].value, row[6].value, row[7].value = rows[row[0].value]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_the_quarterly_report_goes_out_and_comes_back_then_is_undone(fresh_store, tasks):
    q3 = Period(2023, 3)
    record(fresh_store, "T066", "2023-Q3", "Đang triển khai")
    current = with_status(tasks, fresh_store.task_statuses(), q3.end)
    exported = report_xlsx(current, q3)
    link = "https://soctrang.gov.vn/van-ban/123"
    formula = _filled(exported, {"T065": ("Hoàn thành", None, '=HYPERLINK("https://x.vn")')})
    with pytest.raises(InvalidFile, match="ô H68"):
        parse_status_file(formula, "bao-cao-q3.xlsx", PLAN, tasks, fresh_store.task_statuses(), q3)
    filled = _filled(
        exported, {"T065": ("Hoàn thành", "Đã ban hành bộ tài liệu", link), "T066": ("đang triển khai", None, None)}
    )
    imported = parse_status_file(filled, "bao-cao-q3.xlsx", PLAN, tasks, fresh_store.task_statuses(), q3)
    assert [c.task_id for c in imported.changes] == ["T065"] and imported.unchanged == 1
    assert imported.changes[0].evidence == link  # kept as text
    assert imported.preview()["Trước"].tolist() == ["Chưa báo cáo"]
    upload_id = fresh_store.commit_status_import(imported, user="lan")
    upload = fresh_store.uploads().set_index("upload_id").loc[upload_id]
    assert (upload.kind, upload.cells_added) == ("status", 1)
    assert fresh_store.upload_file(upload_id)[1] == filled
    assert status_of(fresh_store, tasks, "T065", q3.end)[0] == "Hoàn thành"
    result = fresh_store.rollback(upload_id, "lan")
    assert "bỏ 1 tình trạng" in result.message
    assert status_of(fresh_store, tasks, "T065", q3.end)[0] is None
    with pytest.raises(StoreError, match="đã được hoàn tác"):
        fresh_store.rollback(upload_id, "lan")


def test_the_report_file_offers_drop_downs_for_period_and_status(store, tasks):
    """Issue 21: an agency picks Kỳ báo cáo and Tình trạng from a list (Excel's data validation)."""
    q4, q3 = Period(2023, 4), Period(2023, 3)
    current = with_status(tasks, store.task_statuses(), q4.end)
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(current, q4, [q4, q3]))).active
    assert [c.value for c in sheet[1]][4:6] == ["Kỳ báo cáo", "Tình trạng"]
    assert {row[4].value for row in sheet.iter_rows(min_row=2)} == {"Quý IV/2023"}
    lists = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(lists) == {"E2:E89", "F2:F89"}  # every task's row (88 tasks), nothing else
    assert lists["E2:E89"].formula1 == '"Quý IV/2023,Quý III/2023"'
    assert lists["F2:F89"].formula1 == '"Chưa triển khai,Đang triển khai,Hoàn thành,Không thực hiện được"'
    assert all(v.type == "list" and v.showErrorMessage and "Chọn một trong" in v.error for v in lists.values())


def test_a_row_of_another_period_is_refused_and_an_older_file_still_reads(store, tasks):
    q4 = Period(2023, 4)
    rows = [
        ["T065", "", "", "", "Quý III/2023", "Hoàn thành", "", ""],
        ["T066", "", "", "", "2023-Q4", "Hoàn thành", "", ""],
    ]
    content = pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(index=False).encode()
    with pytest.raises(InvalidFile) as caught:
        parse_status_file(content, "q4.csv", PLAN, tasks, store.task_statuses(), q4)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "Kỳ báo cáo") and "đang nhập cho Quý IV/2023" in problem.message
    before_issue_21 = [c for c in COLUMNS if c != "Kỳ báo cáo"]
    old = pd.DataFrame([["T065", "", "", "", "Hoàn thành", "", ""]], columns=before_issue_21)
    imported = parse_status_file(old.to_csv(index=False).encode(), "q4.csv", PLAN, tasks, store.task_statuses(), q4)
    assert [c.task_id for c in imported.changes] == ["T065"]


@pytest.mark.slow
def test_a_bad_status_file_names_every_problem_and_writes_nothing(fresh_store, tasks):
    before = db_state(fresh_store)
    history_before = fresh_store.task_statuses()
    frame = pd.DataFrame(
        [
            ["T065", "", "", "", "", "Xong rồi", "", ""],
            ["T999", "", "", "", "", "Hoàn thành", "", ""],
            ["T066", "", "", "", "", "", "Có kết quả", ""],
            ["T065", "", "", "", "", "Hoàn thành", "", ""],
            ["", "", "", "", "", "Hoàn thành", "", ""],
        ],
        columns=list(COLUMNS),
    )
    with pytest.raises(InvalidFile) as caught:
        parse_status_file(frame.to_csv(index=False).encode(), "q3.csv", PLAN, tasks, history_before, Period(2023, 3))
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(2, "Tình trạng"), (3, "Mã"), (4, "Tình trạng"), (5, "Mã"), (6, "Mã")}
    assert_unchanged(fresh_store, before)
    assert fresh_store.task_statuses().equals(history_before)


def test_a_stale_status_preview_is_refused(fresh_store, tasks):
    frame = pd.DataFrame([["T065", "", "", "", "", "Hoàn thành", "", ""]], columns=list(COLUMNS))
    imported = parse_status_file(
        frame.to_csv(index=False).encode(), "q3.csv", PLAN, tasks, fresh_store.task_statuses(), Period(2023, 3)
    )
    record(fresh_store, "T001", "2023-Q3", "Đang triển khai")  # someone else, meanwhile
    with pytest.raises(StoreError, match="vừa được cập nhật"):
        fresh_store.commit_status_import(imported, user="lan")


# --- undoing a tasks upload -------------------------------------------------------------------------
def _loaded(store, rows: pd.DataFrame):
    plans = {p["plan_id"]: p for p in store.plans().to_dict("records")}
    return parse_tasks(rows.to_csv(index=False).encode(), "kh.csv", store.reference(), plans)


@pytest.mark.slow
def test_a_tasks_upload_is_undone_and_a_later_one_must_go_first(fresh_store):
    seed = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False)
    original = fresh_store.tasks()
    record(fresh_store, "T001", "2023-Q3", "Hoàn thành")
    first = fresh_store.commit_tasks(_loaded(fresh_store, seed.head(3)), user="lan", replace=True)
    second = fresh_store.commit_tasks(_loaded(fresh_store, seed.head(5)), user="lan", replace=True)
    assert len(fresh_store.tasks()) == 5
    with pytest.raises(StoreError, match=f"lượt tải lên sau \\({second}\\)"):
        fresh_store.rollback(first, "lan")
    fresh_store.rollback(second, "lan")
    assert len(fresh_store.tasks()) == 3
    result = fresh_store.rollback(first, "lan")
    assert "trở lại 88 nhiệm vụ" in result.message
    pd.testing.assert_frame_equal(fresh_store.tasks(), original)
    assert latest(fresh_store.task_statuses()).status.tolist() == ["Hoàn thành"]  # statuses are kept
    seed_upload = int(fresh_store.uploads().query("kind == 'seed'").upload_id.max())
    with pytest.raises(StoreError, match="dữ liệu gốc"):
        fresh_store.rollback(seed_upload, "lan")


@pytest.mark.slow
def test_undoing_a_new_plan_removes_it(fresh_store):
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(2).assign(plan_id="95/KH-UBND-2024")
    loaded = _loaded(fresh_store, rows)
    loaded.plan = {
        "plan_id": "95/KH-UBND-2024",
        "title": "Kế hoạch 2024",
        "issuing_body": "UBND tỉnh Sóc Trăng",
        "issued_on": date(2024, 5, 20),
        "target_year": 2024,
        "province": "Sóc Trăng",
    }
    upload_id = fresh_store.commit_tasks(loaded, user="lan", replace=False)
    assert "95/KH-UBND-2024" in set(fresh_store.plans().plan_id)
    assert "được gỡ (2 nhiệm vụ)" in fresh_store.rollback(upload_id, "lan").message
    assert set(fresh_store.plans().plan_id) == {PLAN} and len(fresh_store.tasks()) == 88


def test_uploads_may_be_status_files_and_nothing_else(fresh_store):
    insert = (
        "INSERT INTO uploads (upload_id, kind, file_name, sha256, size_bytes, content, uploaded_by,"
        " uploaded_at, replace_mode, rows_in_file, cells_added, cells_changed, cells_removed)"
        " VALUES (?, ?, 'x', 'x', 0, '', 'x', now(), false, 0, 0, 0, 0)"
    )
    with fresh_store.transaction() as con:
        con.execute(insert, [9998, "status"])
    with pytest.raises(Exception, match="CHECK"):
        with fresh_store.transaction() as con:
            con.execute(insert, [9999, "other"])
    assert set(fresh_store.uploads().upload_id) >= {9998} and 9999 not in set(fresh_store.uploads().upload_id)
