"""Parse and validate a file of PAPI scores into a clean long frame. Never touches the database.

Two layouts are accepted:
- long: ``year, province, measure, value`` (+ optional ``ci_low, ci_high``), one value per row;
- wide: one row per province, one column per measure (codes D1…D8, TOTAL, D5.3, or the
  Vietnamese or English names), with a ``year`` column or the year given by the caller.

Every problem is collected (file, row, column, value, message in Vietnamese) and raised together
as InvalidFile; a file with any error yields nothing to write. The checks across cells (scales,
sums, duplicates) are in score_checks. Only ASCII digits make a number or a year; measure codes
match the catalogue exactly; names are resolved once per distinct spelling.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from . import limits, score_checks
from .domain import FIRST_YEAR, NEW_UNITS, OLD_UNITS, TOTAL, UNIT_SET_LABELS, dimensions_for_year
from .names import plain
from .problems import InvalidFile, Problem
from .reference import Reference
from .tabular import Table, read_table

SUM_TOLERANCE = score_checks.SUM_TOLERANCE

_ROLE_HEADERS = {
    "year": {"year", "nam", "nam khao sat"},
    "province": {
        "province",
        "tinh",
        "tinh thanh pho",
        "tinh thanh",
        "ten tinh",
        "dia phuong",
        "don vi",
        "unit",
        "tinh thanh pho truc thuoc trung uong",
    },
    "measure": {"measure", "chi so", "ma chi so", "code", "dimension", "indicator"},
    "value": {"value", "diem", "diem so", "gia tri", "score"},
    "ci_low": {"ci low", "ci_low", "can duoi", "ci lower"},
    "ci_high": {"ci high", "ci_high", "can tren", "ci upper"},
}
# Columns people keep beside the data (our own export adds the region and the source): read past in silence.
_IGNORED_HEADERS = {"region", "vung", "stt", "tt", "so tt", "no", "gso code", "ma tinh", "nguon", "source"}
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_YEAR = re.compile(r"[0-9]{4}(\.0)?")
_YEAR_IN_NAME = re.compile(r"(?<![0-9])(20[0-9][0-9])(?![0-9])")
_LOOKS_LIKE_CODE = re.compile(r"d[0-9]")  # on plain(): 'D1.9' -> 'd1 9', 'D3.x' -> 'd3 x'
_BOUNDS = ("ci_low", "ci_high")
_OTHER_DIGITS = "Có chữ số không phải 0–9 (chữ số Ả Rập, chữ số toàn độ rộng…): chỉ chữ số 0–9 được đọc là số."


@dataclass
class ParsedScores:
    file: str
    content: bytes
    layout: str  # 'long' or 'wide'
    unit_set: str
    unit_set_reason: str
    unit_set_certain: bool
    frame: pd.DataFrame  # year, unit_id, measure, value, ci_low, ci_high
    rows_in_file: int
    warnings: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # spelling in file -> official name

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.frame.year.unique())


@dataclass
class _Cell:
    file: str
    row: int
    column: str
    text: str
    cell: str | None

    def problem(self, message: str, with_value: bool = True) -> Problem:
        return Problem(
            file=self.file,
            row=self.row,
            column=self.column,
            cell=self.cell,
            message=message,
            value=self.text if with_value else None,
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) >= 1000 else repr(value)
    return str(value).replace("\u00a0", " ").strip()


@dataclass
class _Columns:
    roles: dict[str, int]  # 'year', 'province', 'measure', 'value', 'ci_low', 'ci_high' -> column index
    measures: dict[str, int]  # measure code -> column index (wide layout)

    @cached_property  # asked for every row; the roles are complete once the headers are mapped
    def layout(self) -> str:
        return "long" if {"measure", "value"} <= self.roles.keys() else "wide"


def _map_headers(table: Table, ref: Reference, problems: list[Problem], warnings: list[str]) -> _Columns:
    columns = _Columns(roles={}, measures={})
    ignored: list[str] = []
    header_row = table.row_numbers[0] - 1 if table.row_numbers and not table.excel else None
    for index, header in enumerate(table.header):
        key = plain(header)
        role = next((r for r, spellings in _ROLE_HEADERS.items() if key in spellings), None)
        code = None if role else ref.measure_code(header)
        target, name = (columns.roles, role) if role else (columns.measures, code)
        if name is None:
            if _LOOKS_LIKE_CODE.match(key):
                message = f"Cột '{header}' có dạng mã chỉ số nhưng không có trong danh mục (D1…D8, TOTAL, D5.3…)."
                problems.append(Problem(file=table.file, row=header_row, column=header, message=message))
            elif key and key not in _IGNORED_HEADERS:
                ignored.append(header)
            continue
        if name in target:
            message = f"Cột trùng: '{table.header[target[name]]}' và '{header}' cùng là {name}."
            problems.append(Problem(file=table.file, row=header_row, column=header, message=message))
        target[name] = index
    if ignored:
        warnings.append("Bỏ qua các cột không nhận ra: " + ", ".join(f"'{h}'" for h in ignored) + ".")
    return columns


def _layout_problems(columns: _Columns, table: Table) -> list[Problem]:
    file, roles, problems = table.file, columns.roles, []
    if "province" not in roles:
        problems.append(
            Problem(
                file=file,
                message="Không tìm thấy cột tỉnh (tiêu đề 'province' hoặc 'Tỉnh').",
                row=table.row_numbers[0] - 1 if table.row_numbers else None,
            )
        )
    wide = columns.layout == "wide"
    if wide and not columns.measures and "province" in roles:
        message = (
            "Không tìm thấy cột chỉ số nào (D1…D8, TOTAL hoặc tên chỉ số) "
            "và cũng không phải dạng dài (year, province, measure, value)."
        )
        problems.append(Problem(file=file, message=message))
    if wide and {"ci_low", "ci_high"} & roles.keys():
        message = (
            "Khoảng tin cậy (ci_low, ci_high) chỉ dùng với dạng dài "
            "(year, province, measure, value): mỗi dòng một giá trị."
        )
        problems.append(Problem(file=file, message=message))
    if not wide and "year" not in roles:
        problems.append(Problem(file=file, message="Dạng dài cần cột 'year' (Năm)."))
    return problems


def _other_digits(text: str) -> bool:
    return any(ch.isdigit() and not ch.isascii() for ch in text)


def _parse_number(cell: _Cell, problems: list[Problem]) -> float | None:
    text = cell.text
    if _DECIMAL_COMMA.fullmatch(text):
        problems.append(
            cell.problem(
                f"Dùng dấu phẩy thập phân; hãy ghi bằng dấu chấm ({text.replace(',', '.')}) "
                "hoặc lưu tệp Excel dưới dạng số."
            )
        )
        return None
    if not _NUMBER.fullmatch(text):
        problems.append(cell.problem(_OTHER_DIGITS if _other_digits(text) else "Không phải là số."))
        return None
    value = float(text)
    if not math.isfinite(value):
        problems.append(cell.problem("Số quá lớn, không phải điểm PAPI."))
        return None
    return value


def _parse_year(cell: _Cell, problems: list[Problem]) -> int | None:
    text = cell.text
    last_year = date.today().year
    if not _YEAR.fullmatch(text):
        message = _OTHER_DIGITS if _other_digits(text) else "Năm không hợp lệ (cần 4 chữ số, ví dụ 2024)."
        problems.append(cell.problem(message))
        return None
    year = int(float(text))
    if not FIRST_YEAR <= year <= last_year:
        problems.append(cell.problem(f"Năm không hợp lý: PAPI có số liệu từ {FIRST_YEAR} đến nay ({last_year})."))
        return None
    return year


def detect_unit_set(names: list[str], years: list[int], ref: Reference) -> tuple[str, str, bool]:
    """Which unit set a file's names belong to: (unit_set, reason in Vietnamese, certain?)."""
    names = sorted(set(names))
    old_only = [n for n in names if ref.names.unit_sets_of(n) == {OLD_UNITS}]
    if old_only:
        shown = ", ".join(old_only[:4]) + (" …" if len(old_only) > 4 else "")
        return OLD_UNITS, f"Tệp có tên chỉ tồn tại trước 01/07/2025 ({shown}).", True
    in_new = [n for n in names if NEW_UNITS in ref.names.unit_sets_of(n)]
    if names and len(in_new) == len(names):
        distinct = len({ref.unit_id(n, NEW_UNITS) for n in in_new})
        if years and min(years) >= 2025:
            certain = distinct == len(ref.units_of_set(NEW_UNITS))
            return NEW_UNITS, f"Tệp có {distinct} tên, đều là tên đơn vị từ 01/07/2025, năm ≥ 2025.", certain
        return (
            OLD_UNITS,
            "Mọi tên trong tệp đều có trong cả hai danh mục; năm trước 2025 nên hiểu là 63 tỉnh cũ.",
            False,
        )
    return OLD_UNITS, "Phần lớn tên thuộc danh mục 63 tỉnh, thành phố trước 01/07/2025.", False


class _UnitNames:
    """Names resolved once per distinct spelling; spelling suggestions for a bounded number of them."""

    def __init__(self, ref: Reference, unit_set: str):
        self.ref, self.unit_set = ref, unit_set
        self._ids: dict[str, str | None] = {}
        self._unknown: dict[str, str] = {}

    def unit_id(self, name: str) -> str | None:
        if name not in self._ids:
            self._ids[name] = self.ref.unit_id(name, self.unit_set)
        return self._ids[name]

    def unknown(self, name: str) -> str:
        if name not in self._unknown:
            self._unknown[name] = self._why_unknown(name, suggest=len(self._unknown) < limits.MAX_SUGGESTED_NAMES)
        return self._unknown[name]

    def _why_unknown(self, name: str, suggest: bool) -> str:
        ref, unit_set = self.ref, self.unit_set
        other = OLD_UNITS if unit_set == NEW_UNITS else NEW_UNITS
        elsewhere = ref.unit_id(name, other)
        if elsewhere and unit_set == NEW_UNITS:
            successor = ref.successor(elsewhere)
            detail = f"{ref.unit_name(elsewhere)} không còn là đơn vị riêng từ 01/07/2025"
            return detail + (f" (nay thuộc {ref.unit_name(successor)})." if successor else ".")
        if elsewhere:
            return f"'{name}' là đơn vị từ 01/07/2025, không có trong danh mục 63 tỉnh cũ."
        close = ref.names.suggest(name, unit_set) if suggest else []
        return "Không nhận ra tỉnh/thành phố" + (f"; có phải: {', '.join(close)}?" if close else ".")


@dataclass
class _Reading:
    """Everything read from the cells, before the checks across cells."""

    records: list[score_checks.Record] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    unreadable: set[tuple[int | None, str]] = field(default_factory=set)  # skip their sum checks
    blank_totals: dict[tuple[int, str], Problem] = field(default_factory=dict)


class _Sheet:
    """The table's cells as _Cell, with a measure-code lookup memoised per distinct text."""

    def __init__(self, table: Table, ref: Reference):
        self.table, self.ref = table, ref
        self._codes: dict[str, str | None] = {}

    def cell(self, row_index: int, column_index: int) -> _Cell:
        table = self.table
        return _Cell(
            file=table.file,
            row=table.row_numbers[row_index],
            column=table.header[column_index],
            text=_cell_text(table.rows[row_index][column_index]),
            cell=table.cell_ref(row_index, column_index),
        )

    def measure_code(self, text: str) -> str | None:
        if text not in self._codes:
            self._codes[text] = self.ref.measure_code(text)
        return self._codes[text]


def _default_year(columns: _Columns, year: int | None, file: str, warnings: list[str]) -> int | None:
    if "year" in columns.roles or year is not None:
        return year
    found = _YEAR_IN_NAME.findall(file)
    if len(found) != 1:
        message = "Không xác định được năm: thêm cột 'year' (Năm) hoặc chọn năm của số liệu."
        raise InvalidFile([Problem(file=file, message=message)])
    warnings.append(f"Năm {found[0]} lấy từ tên tệp.")
    return int(found[0])


def _row_years(sheet: _Sheet, columns: _Columns, year: int | None, default: int | None, problems: list) -> list:
    if "year" not in columns.roles:
        return [default] * len(sheet.table.rows)
    years: list[int | None] = []
    for i in range(len(sheet.table.rows)):
        c = sheet.cell(i, columns.roles["year"])
        y = _parse_year(c, problems) if c.text else None
        if not c.text:
            problems.append(c.problem("Thiếu năm.", with_value=False))
        elif y is not None and year is not None and y != year:
            problems.append(c.problem(f"Năm trong tệp khác năm đã chọn ({year})."))
        years.append(y)
    return years


def _row_cells(sheet: _Sheet, columns: _Columns, i: int, reading: _Reading, key: tuple, problems: list) -> list:
    """The (measure, cell) pairs of one row that hold a value; a blank TOTAL cell is remembered."""
    if columns.layout == "long":
        mc = sheet.cell(i, columns.roles["measure"])
        code = sheet.measure_code(mc.text) if mc.text else None
        if code is None:
            problems.append(mc.problem("Không nhận ra chỉ số (cần D1…D8, TOTAL, mã như D5.3 hoặc tên chỉ số)."))
            return []
        vc = sheet.cell(i, columns.roles["value"])
        if not vc.text:
            problems.append(vc.problem("Thiếu giá trị.", with_value=False))
            return []
        return [(code, vc)]
    cells = [(code, sheet.cell(i, index)) for code, index in columns.measures.items()]
    for code, vc in cells:
        if code == TOTAL and not vc.text and key[0] is not None:
            message = (
                f"Ô {TOTAL} trống nhưng dòng có đủ {len(dimensions_for_year(key[0]))} chỉ số nội dung: điền điểm "
                f"tổng hợp (tổng các chỉ số nội dung), hoặc bỏ cả cột {TOTAL} nếu tệp không có điểm tổng hợp."
            )
            reading.blank_totals[key] = vc.problem(message, with_value=False)
    return [(code, vc) for code, vc in cells if vc.text]


def _read_values(sheet: _Sheet, columns: _Columns, years: list, names: _UnitNames, problems: list) -> _Reading:
    reading, roles = _Reading(), columns.roles
    for i, y in enumerate(years):
        c = sheet.cell(i, roles["province"])
        if not c.text:
            problems.append(c.problem("Thiếu tên tỉnh.", with_value=False))
            continue
        unit_id = names.unit_id(c.text)
        if unit_id is None:
            problems.append(c.problem(names.unknown(c.text)))
            continue
        if names.ref.unit_name(unit_id) != c.text:
            reading.renamed[c.text] = names.ref.unit_name(unit_id)
        cells = _row_cells(sheet, columns, i, reading, (y, unit_id), problems)
        # Confidence bounds exist in the long layout only: one value per row.
        bounds = [_optional_number(sheet.cell(i, roles[b]), problems) if b in roles else None for b in _BOUNDS]
        for code, vc in cells:
            value = _parse_number(vc, problems)
            if value is None or y is None:
                reading.unreadable.add((y, unit_id))  # its own problem is reported; skip the sum checks
                continue
            reading.records.append(
                score_checks.Record(y, unit_id, code, value, bounds[0], bounds[1], vc.row, vc.column, vc.cell, vc.text)
            )
    return reading


def _optional_number(c: _Cell, problems: list[Problem]) -> float | None:
    return _parse_number(c, problems) if c.text else None


def _no_total_warning(columns: _Columns, years: list[int]) -> list[str]:
    if columns.layout != "wide" or TOTAL in columns.measures or not years:
        return []
    if not set(dimensions_for_year(max(years))) <= columns.measures.keys():
        return []
    return [f"Tệp không có cột điểm tổng hợp ({TOTAL}): các tỉnh sẽ không có điểm tổng hợp năm {max(years)}."]


def _checks(table: Table, ref: Reference, columns: _Columns, reading: _Reading, warnings: list[str]) -> list:
    file, records = table.file, reading.records
    years = sorted({r.year for r in records})
    problems = score_checks.check_values(records, file, ref)
    problems += score_checks.check_duplicates(records, file, ref)
    if columns.layout == "wide" and years:
        problems += score_checks.check_missing_columns(columns.measures, years, file)
    units = score_checks.by_unit(records)
    problems += score_checks.check_totals(units, file, ref, warnings, reading.unreadable, reading.blank_totals)
    problems += score_checks.check_subdimension_sums(units, file, ref)
    warnings += _no_total_warning(columns, years)
    return problems


def parse_scores(
    content: bytes,
    file: str,
    ref: Reference,
    *,
    year: int | None = None,
    unit_set: str | None = None,
    sheet: str | None = None,
) -> ParsedScores:
    """Validate a scores file completely; raise InvalidFile listing every problem."""
    table = read_table(content, file, sheet=sheet)
    problems: list[Problem] = []
    warnings = list(table.notes)
    columns = _map_headers(table, ref, problems, warnings)
    problems += _layout_problems(columns, table)
    if problems:
        raise InvalidFile(problems)
    sheet_cells = _Sheet(table, ref)
    default_year = _default_year(columns, year, file, warnings)
    # Pass 1: years and names, to settle the unit set before resolving any name.
    years = _row_years(sheet_cells, columns, year, default_year, problems)
    names = [sheet_cells.cell(i, columns.roles["province"]).text for i in range(len(table.rows))]
    known_years = sorted({y for y in years if y is not None})
    if unit_set is None:
        unit_set, reason, certain = detect_unit_set([n for n in names if n], known_years, ref)
    else:
        reason, certain = f"Do người tải lên chọn: {UNIT_SET_LABELS[unit_set]}.", True
    # Pass 2: every value.
    reading = _read_values(sheet_cells, columns, years, _UnitNames(ref, unit_set), problems)
    problems += _checks(table, ref, columns, reading, warnings)
    if not reading.records and not problems:
        problems.append(Problem(file=file, message="Tệp không có giá trị điểm nào."))
    if problems:
        raise InvalidFile(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    frame = pd.DataFrame.from_records(reading.records, columns=score_checks.Record._fields)
    clean = frame[["year", "unit_id", "measure", "value", "ci_low", "ci_high"]].astype(
        {"year": "int64", "value": "float64", "ci_low": "float64", "ci_high": "float64"}
    )
    return ParsedScores(
        file=file,
        content=content,
        layout=columns.layout,
        unit_set=unit_set,
        unit_set_reason=reason,
        unit_set_certain=certain,
        frame=clean.reset_index(drop=True),
        rows_in_file=len(table.rows),
        warnings=warnings,
        renamed=reading.renamed,
    )
