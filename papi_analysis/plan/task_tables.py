"""The tables of the Nhiệm vụ page and their downloads, built from tasks with their status
(task_status.with_status); text as shown, no UI."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from papi_analysis import fmt
from papi_analysis.plan.agencies import role_in
from papi_analysis.plan.plan_tasks import unit_roles
from papi_analysis.plan.task_status import parse_period, status_display
from papi_analysis.times import from_utc

GENERAL = "Toàn bộ Chỉ số PAPI"  # a whole-index task, told apart from a dimension's own
TASK_COLUMNS = ["Mã", "Mục", "Nhiệm vụ", "Tình trạng", "Chỉ số", "Đơn vị chủ trì", "Thời hạn"]
# The full list on paper (full_list's columns a reader needs; the downloads keep every one).
PRINTED_COLUMNS = ["Mã", "Nhiệm vụ", "Chỉ số nội dung", "Đơn vị chủ trì", "Thời hạn", "Tình trạng"]


def _status(tasks: pd.DataFrame) -> list[str]:
    """'Hoàn thành', 'Đang triển khai (Quý III/2023)', 'Chưa báo cáo · quá hạn'."""
    shown = []
    for status, period, late in zip(tasks.status, tasks.status_period, tasks.overdue, strict=True):
        text = status_display(status)
        if isinstance(period, str):
            text += f" ({parse_period(period).label})"
        shown.append(text + (" · quá hạn" if late else ""))
    return shown


def plan_source(plan_id: str) -> str:
    """The source line of a file of the plan's tasks and statuses."""
    return f"Kế hoạch {plan_id}; tình trạng thực hiện do cán bộ ghi trên PAPI Dashboard"


def task_rows(tasks: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """One row per task: code, section, title, dimensions, leads, due, status; with the unit's role."""
    rows = pd.DataFrame(
        {
            "Mã": tasks.task_id,
            "Mục": tasks.section_ref,
            "Nhiệm vụ": tasks.title,
            "Tình trạng": _status(tasks),
            "Chỉ số": tasks.measures.map(", ".join),
            "Đơn vị chủ trì": tasks.lead,
            "Thời hạn": tasks.due_display,
        },
        columns=TASK_COLUMNS,
    )
    if unit:
        rows.insert(5, "Vai trò", unit_roles(tasks, unit).map(lambda r: r.label if r else "").to_numpy())
    return rows


def full_list(tasks: pd.DataFrame) -> pd.DataFrame:
    """Every column of the tasks, for download (and, without 'Nội dung', for the page)."""
    return pd.DataFrame(
        {
            "Kế hoạch": tasks.plan_id,
            "Mã": tasks.task_id,
            "Mục": tasks.section_ref,
            "Nhiệm vụ": tasks.title,
            "Nội dung": tasks.text,
            "Chỉ số nội dung": tasks.dimensions.map(";".join),
            "Chỉ số thành phần": tasks.subdimensions.map(";".join),
            "Nhiệm vụ chung": tasks.general.map({True: "Có", False: ""}),
            "Đơn vị chủ trì": tasks.lead,
            "Đơn vị phối hợp": tasks.coordinating,
            "Sản phẩm": tasks["product"].fillna(""),
            "Thời hạn": tasks.due_text.fillna(""),
            "Hạn (ngày)": [fmt.day(d) if pd.notna(d) else "" for d in tasks.due_date],
            "Tình trạng": _status(tasks),
            "Kết quả": tasks.note.fillna(""),
            "Minh chứng": tasks.evidence.fillna(""),
        }
    )


def overdue_rows(tasks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The overdue tasks, longest overdue first, with the days since their due date."""
    late = tasks[tasks.overdue].sort_values(["due_date", "sort_order"])
    days = [(as_of - pd.Timestamp(d).date()).days for d in late.due_date]
    return pd.DataFrame(
        {
            "Mã": late.task_id,
            "Nhiệm vụ": late.title,
            "Chỉ số": [GENERAL if g else ", ".join(ds) for g, ds in zip(late.general, late.dimensions, strict=True)],
            "Đơn vị chủ trì": late.lead,
            "Hạn": [fmt.day(d) for d in late.due_date],
            "Quá hạn (ngày)": days,
            "Tình trạng": _status(late),
        }
    )


def by_unit(tasks: pd.DataFrame, units: Iterable[str]) -> pd.DataFrame:
    """Per unit: tasks it leads by name, leads through a shared body, supports; of those, done and overdue."""
    columns = ["Đơn vị", "Chủ trì", "Chủ trì chung", "Phối hợp", "Hoàn thành", "Quá hạn"]
    counts = {unit: dict.fromkeys(columns[1:], 0) for unit in units}
    records = zip(tasks.lead_units, tasks.coordinating_units, tasks.status, tasks.overdue, strict=True)
    for leads, partners, status, overdue in records:
        for unit, row in counts.items():
            if (role := role_in(leads, partners, unit)) is not None:
                row[role.label] += 1
                row["Hoàn thành"] += status == "Hoàn thành"
                row["Quá hạn"] += bool(overdue)
    return pd.DataFrame([{"Đơn vị": unit, **row} for unit, row in counts.items()], columns=columns)


def history_rows(history: pd.DataFrame) -> pd.DataFrame:
    """A task's status changes, latest first; times in Vietnam's time zone."""
    rows = history.sort_values("change_id", ascending=False)
    return pd.DataFrame(
        {
            "Số": rows.change_id,
            "Kỳ": [parse_period(p).label for p in rows.period],
            "Tình trạng": rows.status,
            "Kết quả": rows.note.fillna(""),
            "Minh chứng": rows.evidence.fillna(""),
            "Người ghi": rows.recorded_by,
            "Thời điểm (giờ Việt Nam)": rows.recorded_at.map(from_utc),
            "Hiệu lực": [
                f"Đã hoàn tác {from_utc(t)} (giờ Việt Nam; {b})" if pd.notna(t) else "Đang hiệu lực"
                for t, b in zip(rows.undone_at, rows.undone_by, strict=True)
            ],
        }
    )
