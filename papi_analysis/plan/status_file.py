"""Statuses as a file, in the shape of an agency's quarterly report: one row per task with
Mã, Nhiệm vụ, Đơn vị, Thời hạn, Kỳ báo cáo, Tình trạng, Kết quả, Minh chứng.

Export fills the period and the status as of it, with a drop-down list (data validation) on Kỳ báo cáo and
Tình trạng so an agency picks a value rather than types one; import reads Mã, Kỳ báo cáo, Tình trạng, Kết quả
and Minh chứng (the other columns are for the reader and are ignored; a file without Kỳ báo cáo, as exported
before issue 21, still reads), validates every row like any upload — every problem located by row, column and
cell, nothing written if there is one; a row of another period than the one imported is one — and keeps only
the rows that change a task's status as of the period. Rows without a status are left alone (an agency reports
on its own tasks only).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from papi_analysis import fmt
from papi_analysis.files import export
from papi_analysis.files.tabular import read_table
from papi_analysis.names import plain
from papi_analysis.plan.task_status import (
    MAX_EVIDENCE,
    MAX_NOTE,
    STATUSES,
    Period,
    StatusChange,
    clean_text,
    in_effect,
    latest,
    parse_period,
    parse_status,
    status_display,
)
from papi_analysis.problems import InvalidFile, Problem

PERIOD = "Kỳ báo cáo"
COLUMNS = ("Mã", "Nhiệm vụ", "Đơn vị", "Thời hạn", PERIOD, "Tình trạng", "Kết quả", "Minh chứng")
_READ = {"ma": "Mã", "ky bao cao": PERIOD, "tinh trang": "Tình trạng", "ket qua": "Kết quả", "minh chung": "Minh chứng"}


def units_cell(lead_units: list[str], coordinating_units: list[str]) -> str:
    text = "Chủ trì: " + "; ".join(lead_units)
    return text + (f". Phối hợp: {'; '.join(coordinating_units)}" if len(coordinating_units) else "")


def report_frame(tasks: pd.DataFrame, period: Period) -> pd.DataFrame:
    """tasks (task_status.with_status output) in the quarterly report's columns, for the period."""
    return pd.DataFrame(
        {
            "Mã": tasks.task_id,
            "Nhiệm vụ": tasks.title,
            "Đơn vị": [
                units_cell(list(a), list(b)) for a, b in zip(tasks.lead_units, tasks.coordinating_units, strict=True)
            ],
            "Thời hạn": tasks.due_display,
            PERIOD: period.label,
            "Tình trạng": tasks.status.map(lambda s: s or ""),
            "Kết quả": tasks.note.map(lambda v: "" if fmt.is_missing(v) else v),
            "Minh chứng": tasks.evidence.map(lambda v: "" if fmt.is_missing(v) else v),
        },
        columns=list(COLUMNS),
    )


def report_xlsx(tasks: pd.DataFrame, period: Period, periods: Sequence[Period] = ()) -> bytes:
    """The report file of the period; Kỳ báo cáo offers `periods` (the plan's, latest first) and Tình trạng the
    four statuses as drop-down lists."""
    content = export.xlsx_bytes(report_frame(tasks, period), sheet=str(period))
    book = openpyxl.load_workbook(io.BytesIO(content))
    choices = {PERIOD: [p.label for p in periods] or [period.label], "Tình trạng": list(STATUSES)}
    for name, values in choices.items():
        _drop_down(book.active, COLUMNS.index(name) + 1, max(len(tasks), 1), name, values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _drop_down(sheet, column: int, rows: int, name: str, values: list[str]) -> None:
    """A list to pick from on a column's data rows; anything else typed there is refused by Excel and
    LibreOffice with a message in Vietnamese."""
    listed = ",".join(values)
    check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showDropDown=False)
    check.showErrorMessage = True
    check.errorTitle = f"{name} không hợp lệ"
    check.error = f"Chọn một trong: {'; '.join(values)}."
    check.promptTitle, check.prompt, check.showInputMessage = name, f"Chọn trong danh sách ({len(values)} mục).", True
    letter = get_column_letter(column)
    check.add(f"{letter}2:{letter}{rows + 1}")
    sheet.add_data_validation(check)


def file_name(plan_id: str, period: Period, unit: str | None = None) -> str:
    return export.file_name([plan_id, str(period), unit], "xlsx", prefix="tinh-trang-nhiem-vu")


def signature(history: pd.DataFrame, plan_id: str, period: Period) -> str:
    """What a preview was computed against: the plan's changes in effect up to the period."""
    rows = in_effect(history)
    ids = sorted(rows[(rows.plan_id == plan_id) & (rows.period <= str(period))].change_id.astype(int))
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


@dataclass
class StatusImport:
    file: str
    content: bytes
    plan_id: str
    period: Period
    changes: list[StatusChange]
    before: dict[str, dict | None]  # task_id -> its status as of the period before the file (None: none)
    titles: dict[str, str]
    rows_in_file: int
    unchanged: int
    blank: int
    signature: str
    warnings: list[str] = field(default_factory=list)

    @property
    def new_in_period(self) -> int:
        """Changes to tasks without a status of this very period yet."""
        return sum(1 for c in self.changes if not (self.before[c.task_id] or {}).get("status_period") == str(c.period))

    def preview(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "Mã": [c.task_id for c in self.changes],
                "Nhiệm vụ": [self.titles[c.task_id] for c in self.changes],
                "Trước": [_before_text(self.before[c.task_id]) for c in self.changes],
                "Sau": [c.status.value for c in self.changes],
                "Kết quả": [c.note or "" for c in self.changes],
                "Minh chứng": [c.evidence or "" for c in self.changes],
            }
        )


def _before_text(record: dict | None) -> str:
    if not record:
        return status_display(None)
    return f"{record['status']} ({parse_period(record['status_period']).label})"


class _Reader:
    """The cells of a status file by column name, and its problems located by row, column and cell."""

    def __init__(self, content: bytes, file: str):
        self.file, self.table, self.problems = file, read_table(content, file), []
        self.column: dict[str, int] = {}
        for index, name in enumerate(self.table.header):
            if (key := plain(name)) in _READ and _READ[key] not in self.column:
                self.column[_READ[key]] = index
        missing = [c for c in ("Mã", "Tình trạng") if c not in self.column]
        if missing:
            message = f"Thiếu cột: {', '.join(missing)} (tệp cần các cột {', '.join(COLUMNS)})."
            raise InvalidFile([Problem(file=file, message=message)])

    def get(self, index: int, name: str) -> str:
        value = self.table.rows[index][self.column[name]] if name in self.column else None
        return "" if fmt.is_missing(value) else export.unneutralise_text(str(value)).strip()

    def report(self, index: int, name: str, message: str, value: str | None = None) -> None:
        self.problems.append(self.table.where(index, self.column.get(name), name).problem(message, value))


def _other_period(reader: _Reader, index: int, period: Period) -> bool:
    """A row that says it reports another period than the one imported (reported as a problem)."""
    text = reader.get(index, PERIOD)
    if not text:
        return False
    try:
        said = parse_period(text)
    except ValueError as error:
        reader.report(index, PERIOD, str(error), text[:80])
        return True
    if said != period:
        again = f"chọn kỳ {said.label} ở bộ lọc rồi tải lên lại"
        reader.report(index, PERIOD, f"Dòng báo cáo {said.label}, đang nhập cho {period.label}: {again}.", text[:80])
    return said != period


def _row_change(reader: _Reader, index: int, plan_id: str, period: Period) -> StatusChange | None:
    """The status a row records (None: nothing, or a problem was reported)."""
    values = {name: reader.get(index, name) for name in ("Tình trạng", "Kết quả", "Minh chứng")}
    if not values["Tình trạng"]:
        if values["Kết quả"] or values["Minh chứng"]:
            reader.report(index, "Tình trạng", "Có kết quả hoặc minh chứng nhưng chưa ghi tình trạng.")
        return None
    if _other_period(reader, index, period):
        return None
    checks = (
        ("Tình trạng", lambda v: parse_status(v)),
        ("Kết quả", lambda v: clean_text(v, MAX_NOTE, "Kết quả")),
        ("Minh chứng", lambda v: clean_text(v, MAX_EVIDENCE, "Minh chứng", one_line=True)),
    )
    parsed = {}
    for name, check in checks:
        try:
            parsed[name] = check(values[name])
        except ValueError as error:
            reader.report(index, name, str(error), values[name][:80])
    if len(parsed) < len(checks):
        return None
    task_id = reader.get(index, "Mã")
    return StatusChange(plan_id, task_id, period, parsed["Tình trạng"], parsed["Kết quả"], parsed["Minh chứng"])


def parse_status_file(
    content: bytes, file: str, plan_id: str, tasks: pd.DataFrame, history: pd.DataFrame, period: Period
) -> StatusImport:
    """tasks: the plan's tasks; history: the stored changes (task_status). Raises InvalidFile."""
    reader = _Reader(content, file)
    titles = dict(zip(tasks.task_id, tasks.title, strict=True))
    current = latest(history[history.plan_id == plan_id], period).set_index("task_id")
    changes, before, seen, unchanged, blank = [], {}, {}, 0, 0
    for index in range(len(reader.table.rows)):
        code, row = reader.get(index, "Mã"), reader.table.row_numbers[index]
        if not code:
            if any(reader.get(index, n) for n in ("Tình trạng", "Kết quả", "Minh chứng")):
                reader.report(index, "Mã", "Dòng có tình trạng hoặc kết quả nhưng không có mã nhiệm vụ.")
            continue
        if code not in titles or code in seen:
            problem = (
                f"Mã nhiệm vụ trùng với dòng {seen[code]}."
                if code in seen
                else f"Không có nhiệm vụ mã này trong kế hoạch {plan_id}."
            )
            reader.report(index, "Mã", problem, code)
            continue
        seen[code] = row
        change = _row_change(reader, index, plan_id, period)
        if change is None:
            blank += not reader.get(index, "Tình trạng")
            continue
        record = current.loc[code].to_dict() if code in current.index else None
        if change.same_as(record):
            unchanged += 1
            continue
        before[code], changes = record, [*changes, change]
    if reader.problems:
        raise InvalidFile(reader.problems)
    return StatusImport(
        file=file,
        content=content,
        plan_id=plan_id,
        period=period,
        changes=changes,
        before=before,
        titles=titles,
        rows_in_file=len(reader.table.rows),
        unchanged=unchanged,
        blank=blank,
        signature=signature(history, plan_id, period),
        warnings=list(reader.table.notes),
    )
