"""Step 3 of reading a scores file: its units, years and numbers. Names are resolved once per distinct
spelling, within the unit set the file's names (and years) point to; only ASCII digits make a number or a
year; numbers are read column-wise (vectorised), and a problem is made only for a cell that is not one.

Decimal commas: a CSV separated by ';' or tabs (what Excel writes on a Vietnamese Windows) may write its
decimals with a comma — there the comma is unambiguous — and then a '.' in a number could be a thousands
separator, which is never guessed: such a cell is a problem. In a ','-separated file a decimal comma is a
problem with a clear message, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from papi_analysis import limits
from papi_analysis.domain import FIRST_YEAR, NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from papi_analysis.files.xlsx_sheet import ASCII_NUMBER
from papi_analysis.problems import Problem, Where
from papi_analysis.reading.context import ReadingContext
from papi_analysis.reference import Reference

NUMBER = ASCII_NUMBER.pattern  # the one rule for a number, in a CSV and in a workbook's raw cell text
DECIMAL_COMMA = r"[+-]?[0-9]+,[0-9]+"
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}(\.0)?")
OTHER_DIGITS = "Có chữ số không phải 0–9 (chữ số Ả Rập, chữ số toàn độ rộng…): chỉ chữ số 0–9 được đọc là số."


def other_digits(text: str) -> bool:
    return any(ch.isdigit() and not ch.isascii() for ch in text)


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


class UnitNames:
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


def parse_year(text: str, where: Where, problems: list[Problem]) -> int | None:
    last_year = date.today().year
    if not _YEAR.fullmatch(text):
        message = OTHER_DIGITS if other_digits(text) else "Năm không hợp lệ (cần 4 chữ số, ví dụ 2024)."
        problems.append(where.problem(message, text))
        return None
    year = int(float(text))
    if not FIRST_YEAR <= year <= last_year:
        message = f"Năm không hợp lý: PAPI có số liệu từ {FIRST_YEAR} đến nay ({last_year})."
        problems.append(where.problem(message, text))
        return None
    return year


def unit_years(units: pd.DataFrame, ctx: ReadingContext) -> tuple[list, list[Problem]]:
    """Each source unit's year: its year cell, else the file's year."""
    years, problems, chosen = [], [], ctx.choices.year
    for row in units.itertuples():
        if row.year_text is None:
            years.append(ctx.year)
            continue
        where = ctx.where(row=int(row.src_row), column=row.year_column, cell=row.year_cell)
        year = parse_year(row.year_text, where, problems) if row.year_text else None
        if not row.year_text:
            problems.append(where.problem("Thiếu năm."))
        elif year is not None and chosen is not None and year != chosen:
            problems.append(where.problem(f"Năm trong tệp khác năm đã chọn ({chosen}).", row.year_text))
        years.append(year)
    return years, problems


@dataclass
class Units:
    """The file's units resolved: unit_key -> unit_id and year; keys whose name failed are left out."""

    ids: dict[int, str] = field(default_factory=dict)
    years: dict[int, int | None] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)
    failed: set[int] = field(default_factory=set)
    unit_set: str = OLD_UNITS
    reason: str = ""
    certain: bool = False


def resolve_units(units: pd.DataFrame, ctx: ReadingContext, years: list) -> tuple:
    """(Units, problems): the unit set (detected from the names unless chosen), then every name once."""
    ref, unit_set = ctx.ref, ctx.choices.unit_set
    known_years = sorted({y for y in years if y is not None})
    named = [n for n in units.name if n]
    if unit_set is None:
        unit_set, reason, certain = detect_unit_set(named, known_years, ref)
    else:
        reason, certain = f"Do người tải lên chọn: {UNIT_SET_LABELS[unit_set]}.", True
    out = Units(unit_set=unit_set, reason=reason, certain=certain)
    names, problems = UnitNames(ref, unit_set), []
    for row, year in zip(units.itertuples(), years, strict=True):
        where = ctx.at_cell(row)
        unit_id = names.unit_id(row.name) if row.name else None
        if unit_id is None:
            message = names.unknown(row.name) if row.name else "Thiếu tên tỉnh."
            problems.append(where.problem(message, row.name or None))
            out.failed.add(row.unit_key)
            continue
        if ref.unit_name(unit_id) != row.name:
            out.renamed[row.name] = ref.unit_name(unit_id)
        out.ids[row.unit_key], out.years[row.unit_key] = unit_id, year
    return out, problems


def decimal_comma_file(texts: pd.Series, delimiter: str | None) -> bool:
    """A ';'- or tab-separated CSV that writes its decimals with a comma."""
    return delimiter in (";", "\t") and bool(texts.str.fullmatch(DECIMAL_COMMA).any())


def _number_message(text: str, decimal_comma: bool) -> str:
    if decimal_comma and re.fullmatch(NUMBER, text) and "." in text:
        return (
            "Tệp dùng dấu phẩy thập phân nên dấu chấm ở ô này có thể là dấu phân cách hàng nghìn; "
            f"không đoán: hãy ghi '{text.replace('.', ',')}' nếu là số thập phân, hoặc bỏ dấu chấm."
        )
    if re.fullmatch(DECIMAL_COMMA, text):
        return (
            f"Dùng dấu phẩy thập phân; hãy ghi bằng dấu chấm ({text.replace(',', '.')}) "
            "hoặc lưu tệp Excel dưới dạng số."
        )
    if _THOUSANDS.fullmatch(text):
        return "Có dấu phân cách hàng nghìn: không đoán giá trị; hãy ghi số không có dấu phân cách."
    return OTHER_DIGITS if other_digits(text) else "Không phải là số."


def numbers(cells: pd.DataFrame, ctx: ReadingContext, decimal_comma: bool) -> tuple[pd.Series, list[Problem]]:
    """Every cell's text as a float, NaN where it is no number (each such cell is a located problem)."""
    texts = cells.text.astype(str)
    plain_number = texts.str.fullmatch(NUMBER)
    if decimal_comma:
        comma = texts.str.fullmatch(DECIMAL_COMMA)
        readable = comma | (plain_number & ~texts.str.contains(".", regex=False))
        texts = texts.where(~comma, texts.str.replace(",", ".", regex=False))
    else:
        readable = plain_number
    values = pd.to_numeric(texts.where(readable), errors="coerce").astype("float64")
    too_big = readable & ~np.isfinite(values.fillna(0.0))
    problems = []
    for row in cells[~readable | too_big].itertuples():
        if too_big.loc[row.Index]:
            message = "Số quá lớn, không phải điểm PAPI."
        else:
            message = _number_message(row.text, decimal_comma)
        problems.append(ctx.at_cell(row).problem(message, row.text))
    return values.where(readable & ~too_big), problems
