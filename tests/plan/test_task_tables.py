"""plan.task_tables: the Nhiệm vụ page's tables and their downloads, built from the plan's tasks with their status
as of a day — the status as shown (with its quarter, "quá hạn"), a unit's role, the full list, the overdue list
longest first, the counts per unit and a task's history in Vietnam's time.

The tasks are those of Kế hoạch 120/KH-UBND (2023) in the seed database; the statuses are written here."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from papi_analysis.plan.plan_tasks import with_dimensions
from papi_analysis.plan.task_status import with_status
from papi_analysis.plan.task_tables import (
    GENERAL,
    PRINTED_COLUMNS,
    TASK_COLUMNS,
    by_unit,
    full_list,
    history_rows,
    overdue_rows,
    plan_source,
    task_rows,
)

PLAN = "120/KH-UBND-2023"
AS_OF = date(2024, 1, 15)  # Quý I/2024, after the plan's year


@pytest.fixture(scope="module")
def plan_tasks(store) -> pd.DataFrame:
    return with_dimensions(store.tasks())


@pytest.fixture(scope="module")
def no_history(store) -> pd.DataFrame:
    return store.task_statuses()  # the seed records no status: an empty frame with the stored columns


def history(no_history: pd.DataFrame, *changes: tuple) -> pd.DataFrame:
    """(task_id, period, status[, note, evidence, recorded_at, undone_at, undone_by]) as the store returns them."""
    rows = []
    for number, (task_id, period, status, *rest) in enumerate(changes, start=1):
        note, evidence, recorded_at, undone_at, undone_by = [*rest, *[None] * (5 - len(rest))]
        rows.append(
            {
                "change_id": number,
                "plan_id": PLAN,
                "task_id": task_id,
                "period": period,
                "status": status,
                "note": note,
                "evidence": evidence,
                "recorded_by": "lan",
                "recorded_at": recorded_at or datetime(2023, 10, 2, 3, 0),
                "upload_id": None,
                "undone_at": undone_at,
                "undone_by": undone_by,
            }
        )
    return pd.DataFrame(rows, columns=no_history.columns).astype({"recorded_at": "datetime64[us]"})


@pytest.fixture(scope="module")
def nothing_recorded(plan_tasks, no_history) -> pd.DataFrame:
    return with_status(plan_tasks, no_history, AS_OF)


@pytest.fixture(scope="module")
def some_recorded(plan_tasks, no_history) -> pd.DataFrame:
    recorded = history(
        no_history,
        ("T065", "2023-Q3", "Hoàn thành", "Đã ban hành Bộ tài liệu", "Quyết định 12/QĐ-SNV"),
        ("T078", "2023-Q3", "Đang triển khai"),
        ("T069", "2023-Q4", "Không thực hiện được"),
        ("T001", "2024-Q2", "Hoàn thành"),  # a later quarter than the day's: not yet in effect
    )
    return with_status(plan_tasks, recorded, AS_OF)


def row_of(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("Mã").loc[code]


# --- the list of tasks ----------------------------------------------------------------------------------
def test_a_task_row_shows_code_section_dimensions_leads_due_and_status(nothing_recorded):
    rows = task_rows(nothing_recorded)
    assert list(rows.columns) == TASK_COLUMNS and len(rows) == 88
    t002 = row_of(rows, "T002")
    assert (t002["Mục"], t002["Chỉ số"], t002["Thời hạn"], t002["Tình trạng"]) == (
        "II.1.2",
        "D1, D1.2, D3",
        "—",
        "Chưa báo cáo",
    )
    assert t002["Đơn vị chủ trì"] == "Các sở, ban, ngành tỉnh; UBND cấp huyện; UBND cấp xã"
    t065 = row_of(rows, "T065")
    assert (t065["Thời hạn"], t065["Tình trạng"]) == ("Tháng 7/2023", "Chưa báo cáo · quá hạn")
    assert row_of(rows, "T068")["Tình trạng"] == "Chưa báo cáo"  # Thường xuyên: never overdue


def test_a_recorded_status_is_shown_with_its_quarter(some_recorded):
    rows = task_rows(some_recorded)
    assert row_of(rows, "T065")["Tình trạng"] == "Hoàn thành (Quý III/2023)"
    assert row_of(rows, "T078")["Tình trạng"] == "Đang triển khai (Quý III/2023) · quá hạn"  # due 30/09/2023
    assert row_of(rows, "T069")["Tình trạng"] == "Không thực hiện được (Quý IV/2023)"
    assert row_of(rows, "T001")["Tình trạng"] == "Chưa báo cáo"


def test_a_units_role_in_each_task(nothing_recorded):
    rows = task_rows(nothing_recorded, unit="Sở Nội vụ")
    assert list(rows.columns) == [*TASK_COLUMNS[:5], "Vai trò", *TASK_COLUMNS[5:]]
    roles = rows.set_index("Mã")["Vai trò"]
    assert roles["T065"] == "Chủ trì"  # named as lead
    assert roles["T001"] == "Chủ trì chung"  # through "Các sở, ban, ngành tỉnh"
    assert roles["T071"] == "Phối hợp"  # named as partner
    assert roles["T062"] == ""  # Ủy ban MTTQ Việt Nam tỉnh's own task
    assert "Vai trò" not in task_rows(nothing_recorded, unit=None).columns


# --- the full list, for download and paper --------------------------------------------------------------
def test_the_full_list_keeps_every_column_of_a_task(some_recorded):
    rows = full_list(some_recorded)
    assert set(PRINTED_COLUMNS) <= set(rows.columns) and len(rows) == 88
    t065 = row_of(rows, "T065")
    assert (t065["Kế hoạch"], t065["Chỉ số nội dung"], t065["Chỉ số thành phần"]) == (PLAN, "D1", "D1.1")
    assert (t065["Thời hạn"], t065["Hạn (ngày)"], t065["Sản phẩm"]) == ("Tháng 7/2023", "31/07/2023", "Bộ tài liệu")
    assert (t065["Kết quả"], t065["Minh chứng"]) == ("Đã ban hành Bộ tài liệu", "Quyết định 12/QĐ-SNV")
    t002 = row_of(rows, "T002")
    assert (t002["Chỉ số nội dung"], t002["Chỉ số thành phần"], t002["Nhiệm vụ chung"]) == ("D1;D3", "D1.2", "")
    assert (t002["Thời hạn"], t002["Hạn (ngày)"], t002["Sản phẩm"], t002["Kết quả"]) == ("", "", "", "")
    t055 = row_of(rows, "T055")
    assert t055["Nhiệm vụ chung"] == "Có" and t055["Chỉ số nội dung"] == "D1;D2;D3;D4;D5;D6;D7;D8"


def test_the_source_line_of_the_plans_files():
    assert plan_source(PLAN) == ("Kế hoạch 120/KH-UBND-2023; tình trạng thực hiện do cán bộ ghi trên PAPI Dashboard")


# --- overdue --------------------------------------------------------------------------------------------
def test_overdue_tasks_longest_overdue_first_with_their_days(nothing_recorded):
    rows = overdue_rows(nothing_recorded, AS_OF)
    assert list(rows.columns) == ["Mã", "Nhiệm vụ", "Chỉ số", "Đơn vị chủ trì", "Hạn", "Quá hạn (ngày)", "Tình trạng"]
    assert rows["Mã"].tolist() == ["T046", "T065", "T078", "T066", "T069", "T070", "T074", "T075", "T076", "T085"]
    assert rows["Hạn"].tolist()[:4] == ["15/06/2023", "31/07/2023", "30/09/2023", "31/12/2023"]
    assert rows["Quá hạn (ngày)"].tolist() == [214, 168, 107, 15, 15, 15, 15, 15, 15, 15]
    chosen = rows.set_index("Mã")["Chỉ số"]
    assert (chosen["T046"], chosen["T076"], chosen["T085"]) == (GENERAL, GENERAL, "D5, D6")
    assert set(rows["Tình trạng"]) == {"Chưa báo cáo · quá hạn"}


def test_a_task_done_or_abandoned_is_no_longer_overdue(some_recorded):
    rows = overdue_rows(some_recorded, AS_OF)
    assert "T065" not in set(rows["Mã"]) and "T069" not in set(rows["Mã"])
    assert row_of(rows, "T078")["Tình trạng"] == "Đang triển khai (Quý III/2023) · quá hạn"
    assert len(rows) == 8


def test_nothing_is_overdue_before_the_first_due_date(plan_tasks, no_history):
    assert overdue_rows(with_status(plan_tasks, no_history, date(2023, 6, 15)), date(2023, 6, 15)).empty


# --- per unit -------------------------------------------------------------------------------------------
def test_each_unit_counts_its_tasks_by_role_with_done_and_overdue(some_recorded):
    units = ["Sở Nội vụ", "Sở Y tế", "Đài Truyền thanh", "Sở Ngoại vụ"]
    rows = by_unit(some_recorded, units).set_index("Đơn vị")
    assert list(rows.columns) == ["Chủ trì", "Chủ trì chung", "Phối hợp", "Hoàn thành", "Quá hạn"]
    assert rows.index.tolist() == units
    assert rows.loc["Sở Nội vụ"].tolist() == [11, 42, 2, 1, 4]  # T065 done; T069 abandoned: 6 overdue less 2
    assert rows.loc["Sở Y tế"].tolist() == [3, 43, 0, 0, 2]
    assert rows.loc["Đài Truyền thanh"].tolist() == [0, 0, 1, 0, 0]
    assert rows.loc["Sở Ngoại vụ"].tolist() == [0, 43, 0, 0, 1]  # named nowhere: every department shares 43 tasks


# --- history --------------------------------------------------------------------------------------------
def test_a_tasks_history_latest_first_in_vietnam_time(no_history):
    changes = history(
        no_history,
        ("T065", "2023-Q3", "Đang triển khai", None, None, datetime(2023, 9, 29, 17, 30)),
        ("T065", "2023-Q3", "Hoàn thành", "Đã ban hành", "12/QĐ-SNV", datetime(2023, 10, 2, 3, 0)),
        ("T065", "2023-Q4", "Hoàn thành", None, None, datetime(2023, 12, 31, 20, 0), datetime(2024, 1, 2, 1, 0), "hoa"),
    )
    rows = history_rows(changes)
    assert list(rows.columns) == [
        "Số",
        "Kỳ",
        "Tình trạng",
        "Kết quả",
        "Minh chứng",
        "Người ghi",
        "Thời điểm (giờ Việt Nam)",
        "Hiệu lực",
    ]
    assert rows["Số"].tolist() == [3, 2, 1]
    assert rows["Kỳ"].tolist() == ["Quý IV/2023", "Quý III/2023", "Quý III/2023"]
    # 17:30 UTC on 29/09 is already 30/09 in Vietnam; 20:00 UTC on 31/12 is New Year's Day
    assert rows["Thời điểm (giờ Việt Nam)"].tolist() == ["01/01/2024 03:00", "02/10/2023 10:00", "30/09/2023 00:30"]
    assert rows["Hiệu lực"].tolist() == [
        "Đã hoàn tác 02/01/2024 08:00 (giờ Việt Nam; hoa)",
        "Đang hiệu lực",
        "Đang hiệu lực",
    ]
    assert rows["Kết quả"].tolist() == ["", "Đã ban hành", ""] and rows["Minh chứng"].tolist()[1] == "12/QĐ-SNV"
