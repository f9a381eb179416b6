"""Parse and validate a file of PAPI scores into a clean long frame. Never touches the database.

Two layouts are accepted:
- long: ``year, province, measure, value`` (+ optional ``ci_low, ci_high``), one value per row;
- wide: one row per province, one column per measure (codes D1…D8, TOTAL, D5.3, or the
  Vietnamese or English names), with a ``year`` column or the year given by the caller.

Every problem is collected (file, row, column, value, message in Vietnamese) and raised together
as InvalidFile; a file with any error yields nothing to write.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from . import fmt
from .domain import (
    EIGHT_DIMENSION_FROM,
    FIRST_YEAR,
    NEW_UNITS,
    OLD_UNITS,
    TOTAL,
    UNIT_SET_LABELS,
    dimensions_for_year,
    parent_dimension,
    total_scale,
)
from .names import plain
from .problems import InvalidFile, Problem
from .reference import Reference
from .tabular import Table, read_table

SUM_TOLERANCE = 0.01
_BOUND_TOLERANCE = 0.005

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
# Columns people keep beside the data (our own export adds the region): read past in silence.
_IGNORED_HEADERS = {"region", "vung", "stt", "tt", "so tt", "no", "gso code", "ma tinh"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


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


def _map_headers(table: Table, ref: Reference, problems: list[Problem]) -> tuple[dict, dict, list]:
    roles: dict[str, int] = {}
    measures: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(table.header):
        key = plain(header)
        role = next((r for r, spellings in _ROLE_HEADERS.items() if key in spellings), None)
        code = None if role else ref.measure_code(header)
        target, name = (roles, role) if role else (measures, code)
        if name is None:
            if key and key not in _IGNORED_HEADERS:
                ignored.append(header)
            continue
        if name in target:
            problems.append(
                Problem(
                    file=table.file,
                    row=table.row_numbers[0] - 1 if not table.excel else None,
                    column=header,
                    message=f"Cột trùng: '{table.header[target[name]]}' và '{header}' cùng là {name}.",
                )
            )
        target[name] = index
    return roles, measures, ignored


def _parse_number(cell: _Cell, problems: list[Problem]) -> float | None:
    text = cell.text
    if _DECIMAL_COMMA.match(text):
        problems.append(
            cell.problem(
                f"Dùng dấu phẩy thập phân; hãy ghi bằng dấu chấm ({text.replace(',', '.')}) "
                "hoặc lưu tệp Excel dưới dạng số."
            )
        )
        return None
    if not _NUMBER.match(text):
        problems.append(cell.problem("Không phải là số."))
        return None
    return float(text)


def _parse_year(cell: _Cell, problems: list[Problem]) -> int | None:
    text = cell.text
    last_year = date.today().year
    if not re.fullmatch(r"\d{4}(\.0)?", text):
        problems.append(cell.problem("Năm không hợp lệ (cần 4 chữ số, ví dụ 2024)."))
        return None
    year = int(float(text))
    if not FIRST_YEAR <= year <= last_year:
        problems.append(cell.problem(f"Năm không hợp lý: PAPI có số liệu từ {FIRST_YEAR} đến nay ({last_year})."))
        return None
    return year


def detect_unit_set(names: list[str], years: list[int], ref: Reference) -> tuple[str, str, bool]:
    """Which unit set a file's names belong to: (unit_set, reason in Vietnamese, certain?)."""
    old_only = sorted({n for n in names if ref.names.unit_sets_of(n) == {OLD_UNITS}})
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
    roles, measure_columns, ignored = _map_headers(table, ref, problems)
    if ignored:
        warnings.append("Bỏ qua các cột không nhận ra: " + ", ".join(f"'{h}'" for h in ignored) + ".")
    if "province" not in roles:
        problems.append(
            Problem(
                file=file,
                message="Không tìm thấy cột tỉnh (tiêu đề 'province' hoặc 'Tỉnh').",
                row=table.row_numbers[0] - 1 if table.row_numbers else None,
            )
        )
    layout = "long" if {"measure", "value"} <= roles.keys() else "wide"
    if layout == "wide" and not measure_columns and "province" in roles:
        problems.append(
            Problem(
                file=file,
                message="Không tìm thấy cột chỉ số nào (D1…D8, TOTAL hoặc tên chỉ số) "
                "và cũng không phải dạng dài (year, province, measure, value).",
            )
        )
    if layout == "wide" and {"ci_low", "ci_high"} & roles.keys():
        problems.append(
            Problem(
                file=file,
                message="Khoảng tin cậy (ci_low, ci_high) chỉ dùng với dạng dài "
                "(year, province, measure, value): mỗi dòng một giá trị.",
            )
        )
    if layout == "long" and "year" not in roles:
        problems.append(Problem(file=file, message="Dạng dài cần cột 'year' (Năm)."))
    if problems:
        raise InvalidFile(problems)

    def cell(row_index: int, column_index: int) -> _Cell:
        return _Cell(
            file=file,
            row=table.row_numbers[row_index],
            column=table.header[column_index],
            text=_cell_text(table.rows[row_index][column_index]),
            cell=table.cell_ref(row_index, column_index),
        )

    default_year = year
    if "year" not in roles and default_year is None:
        found = _YEAR_IN_NAME.findall(file)
        if len(found) == 1:
            default_year = int(found[0])
            warnings.append(f"Năm {default_year} lấy từ tên tệp.")
        else:
            raise InvalidFile(
                [
                    Problem(
                        file=file, message="Không xác định được năm: thêm cột 'year' (Năm) hoặc chọn năm của số liệu."
                    )
                ]
            )

    # Pass 1: years and names, to settle the unit set before resolving any name.
    row_years: list[int | None] = []
    for i in range(len(table.rows)):
        if "year" in roles:
            c = cell(i, roles["year"])
            y = _parse_year(c, problems) if c.text else None
            if not c.text:
                problems.append(c.problem("Thiếu năm.", with_value=False))
            elif y is not None and year is not None and y != year:
                problems.append(c.problem(f"Năm trong tệp khác năm đã chọn ({year})."))
            row_years.append(y)
        else:
            row_years.append(default_year)
    names = [cell(i, roles["province"]).text for i in range(len(table.rows))]
    known_years = sorted({y for y in row_years if y is not None})
    if unit_set is None:
        unit_set, reason, certain = detect_unit_set([n for n in names if n], known_years, ref)
    else:
        reason, certain = f"Do người tải lên chọn: {UNIT_SET_LABELS[unit_set]}.", True

    # Pass 2: every value.
    records: list[dict] = []
    renamed: dict[str, str] = {}
    unreadable: set[tuple[int | None, str]] = set()
    for i, name in enumerate(names):
        c = cell(i, roles["province"])
        y = row_years[i]
        if not name:
            problems.append(c.problem("Thiếu tên tỉnh.", with_value=False))
            continue
        unit_id = ref.unit_id(name, unit_set)
        if unit_id is None:
            problems.append(_unknown_unit(c, ref, unit_set))
            continue
        if ref.unit_name(unit_id) != name:
            renamed[name] = ref.unit_name(unit_id)
        if layout == "long":
            mc = cell(i, roles["measure"])
            code = ref.measure_code(mc.text) if mc.text else None
            if code is None:
                problems.append(mc.problem("Không nhận ra chỉ số (cần D1…D8, TOTAL, mã như D5.3 hoặc tên chỉ số)."))
                continue
            vc = cell(i, roles["value"])
            if not vc.text:
                problems.append(vc.problem("Thiếu giá trị.", with_value=False))
                continue
            cells = [(code, vc)]
        else:
            cells = [(code, cell(i, index)) for code, index in measure_columns.items()]
            cells = [(code, vc) for code, vc in cells if vc.text]
        # Confidence bounds exist in the long layout only: one value per row.
        bounds = [_optional_number(cell(i, roles[b]), problems) if b in roles else None for b in ("ci_low", "ci_high")]
        for code, vc in cells:
            value = _parse_number(vc, problems)
            if value is None or y is None:
                unreadable.add((y, unit_id))  # its own problem is reported; skip the sum checks
                continue
            records.append(
                dict(
                    year=y,
                    unit_id=unit_id,
                    measure=code,
                    value=value,
                    ci_low=bounds[0],
                    ci_high=bounds[1],
                    src_row=vc.row,
                    src_column=vc.column,
                    src_cell=vc.cell,
                    src_text=vc.text,
                )
            )

    columns = [
        "year",
        "unit_id",
        "measure",
        "value",
        "ci_low",
        "ci_high",
        "src_row",
        "src_column",
        "src_cell",
        "src_text",
    ]
    frame = pd.DataFrame.from_records(records, columns=columns)
    problems += _check_values(frame, file, ref)
    problems += _check_duplicates(frame, file, ref)
    if layout == "wide" and known_years:
        problems += _check_missing_columns(measure_columns, known_years, file)
    problems += _check_totals(frame, file, ref, warnings, unreadable)
    if frame.empty and not problems:
        problems.append(Problem(file=file, message="Tệp không có giá trị điểm nào."))
    if problems:
        raise InvalidFile(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    clean = frame[["year", "unit_id", "measure", "value", "ci_low", "ci_high"]].astype(
        {"year": "int64", "value": "float64", "ci_low": "float64", "ci_high": "float64"}
    )
    return ParsedScores(
        file=file,
        content=content,
        layout=layout,
        unit_set=unit_set,
        unit_set_reason=reason,
        unit_set_certain=certain,
        frame=clean.reset_index(drop=True),
        rows_in_file=len(table.rows),
        warnings=warnings,
        renamed=renamed,
    )


def _optional_number(c: _Cell, problems: list[Problem]) -> float | None:
    return _parse_number(c, problems) if c.text else None


def _unknown_unit(c: _Cell, ref: Reference, unit_set: str) -> Problem:
    other = OLD_UNITS if unit_set == NEW_UNITS else NEW_UNITS
    elsewhere = ref.unit_id(c.text, other)
    if elsewhere and unit_set == NEW_UNITS:
        successor = ref.successor(elsewhere)
        detail = f"{ref.unit_name(elsewhere)} không còn là đơn vị riêng từ 01/07/2025"
        detail += f" (nay thuộc {ref.unit_name(successor)})." if successor else "."
    elif elsewhere:
        detail = f"'{c.text}' là đơn vị từ 01/07/2025, không có trong danh mục 63 tỉnh cũ."
    else:
        close = ref.names.suggest(c.text, unit_set)
        detail = "Không nhận ra tỉnh/thành phố" + (f"; có phải: {', '.join(close)}?" if close else ".")
    return c.problem(detail)


def _problem(record, file: str, message: str) -> Problem:
    return Problem(
        file=file,
        row=int(record.src_row),
        column=record.src_column,
        value=record.src_text,
        cell=record.src_cell,
        message=message,
    )


def _check_values(frame: pd.DataFrame, file: str, ref: Reference) -> list[Problem]:
    problems = []
    kinds = dict(zip(ref.measures.code, ref.measures.kind, strict=True))
    for r in frame.itertuples():
        kind = kinds[r.measure]
        dimension = parent_dimension(r.measure)
        if dimension not in dimensions_for_year(r.year) and r.measure != TOTAL:
            problems.append(
                _problem(
                    r, file, f"{dimension} chỉ có từ năm {EIGHT_DIMENSION_FROM}; năm {r.year} có 6 chỉ số nội dung."
                )
            )
            continue
        if kind == "aggregate":
            low, high = total_scale(r.year)
            label = f"điểm tổng hợp năm {r.year}"
        elif kind == "dimension":
            low, high = 1.0, 10.0
            label = "chỉ số nội dung"
        else:
            siblings = ref.subdimensions_in_year(dimension, r.year)
            if r.measure not in siblings:
                continue  # a sub-dimension outside its known years: its bounds are unknown
            low, high = 1.0 / len(siblings), 10.0 / len(siblings)
            label = f"chỉ số thành phần ({len(siblings)} thành phần của {dimension})"
        if not low - _BOUND_TOLERANCE <= r.value <= high + _BOUND_TOLERANCE:
            problems.append(
                _problem(r, file, f"Ngoài thang điểm: {label} phải từ {fmt.number(low)} đến {fmt.number(high)}.")
            )
        for bound, text in ((r.ci_low, "cận dưới"), (r.ci_high, "cận trên")):
            if bound is not None and not pd.isna(bound):
                if (text == "cận dưới" and bound > r.value) or (text == "cận trên" and bound < r.value):
                    problems.append(
                        _problem(r, file, f"Khoảng tin cậy không chứa giá trị ({text} {fmt.number(bound)}).")
                    )
    return problems


def _check_duplicates(frame: pd.DataFrame, file: str, ref: Reference) -> list[Problem]:
    problems = []
    first_row: dict[tuple, int] = {}
    reported: set[tuple[int, int]] = set()
    for r in frame.itertuples():
        key = (r.year, r.unit_id, r.measure)
        if key in first_row:
            pair = (first_row[key], int(r.src_row))
            if pair not in reported:
                reported.add(pair)
                problems.append(
                    _problem(
                        r,
                        file,
                        f"Trùng với dòng {first_row[key]}: "
                        f"{ref.unit_name(r.unit_id)}, {r.measure}, năm {r.year} xuất hiện hai lần.",
                    )
                )
        else:
            first_row[key] = int(r.src_row)
    return problems


def _check_missing_columns(measure_columns: dict, years: list[int], file: str) -> list[Problem]:
    columns = set(measure_columns)
    if not columns & ({TOTAL} | set(dimensions_for_year(max(years)))):
        return []  # a file of sub-dimensions only
    needed = [d for d in dimensions_for_year(max(years)) if d not in columns]
    if not needed:
        return []
    return [
        Problem(
            file=file,
            message=f"Thiếu cột {', '.join(needed)}: năm {max(years)} có "
            f"{len(dimensions_for_year(max(years)))} chỉ số nội dung.",
        )
    ]


def _check_totals(
    frame: pd.DataFrame, file: str, ref: Reference, warnings: list[str], unreadable: set[tuple[int | None, str]]
) -> list[Problem]:
    """Aggregate = sum of dimensions; a province with an aggregate has every dimension."""
    problems = []
    by_unit: dict[tuple[int, str], dict[str, object]] = defaultdict(dict)
    for r in frame.itertuples():
        if r.measure == TOTAL or ref.measure_kind(r.measure) == "dimension":
            by_unit[(r.year, r.unit_id)][r.measure] = r
    partial = []
    for (year, unit_id), cells in by_unit.items():
        if (year, unit_id) in unreadable:
            continue
        dims = dimensions_for_year(year)
        present = [d for d in dims if d in cells]
        total = cells.get(TOTAL)
        if total is None:
            if present and len(present) < len(dims):
                partial.append(f"{ref.unit_name(unit_id)} {year} ({len(present)}/{len(dims)} chỉ số)")
            continue
        missing = [d for d in dims if d not in cells]
        if missing:
            problems.append(
                _problem(
                    total, file, f"Có điểm tổng hợp nhưng thiếu {', '.join(missing)} của {ref.unit_name(unit_id)}."
                )
            )
            continue
        dimension_sum = sum(cells[d].value for d in dims)
        if abs(total.value - dimension_sum) > SUM_TOLERANCE:
            problems.append(
                _problem(
                    total,
                    file,
                    f"Điểm tổng hợp khác tổng các chỉ số nội dung "
                    f"({fmt.number(dimension_sum, 4)}), chênh {fmt.number(abs(total.value - dimension_sum), 4)} "
                    f"> {fmt.number(SUM_TOLERANCE)}.",
                )
            )
    if partial:
        warnings.append(
            "Không có điểm tổng hợp, chỉ có một phần chỉ số nội dung (lưu đúng như công bố): "
            + "; ".join(partial)
            + "."
        )
    return problems
