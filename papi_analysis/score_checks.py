"""The checks a file's scores must pass together, after every cell was read (ingest): scales, duplicates,
missing dimension columns, the aggregate against its dimensions (and blank aggregates), sub-dimensions
against their dimension. Each returns located problems; none touches the database.

The sums are checked within the file: a dimension whose file row also holds every sub-dimension of its
year must equal their sum (within SUM_TOLERANCE). Files that hold sub-dimensions only (the seed files
2011–2016) are checked against the stored dimensions by tests/test_store.py, not on upload.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import pandas as pd

from . import fmt
from .domain import EIGHT_DIMENSION_FROM, TOTAL, dimensions_for_year, parent_dimension, total_scale
from .problems import Problem
from .reference import Reference

SUM_TOLERANCE = 0.01
_BOUND_TOLERANCE = 0.005


class Record(NamedTuple):
    """One value read from the file, with where it was read (checks iterate these, not a DataFrame:
    iterating pandas' Arrow-backed text columns row by row costs seconds on a large file)."""

    year: int
    unit_id: str
    measure: str
    value: float
    ci_low: float | None
    ci_high: float | None
    src_row: int
    src_column: str
    src_cell: str | None
    src_text: str


ByUnit = dict[tuple[int, str], dict[str, Record]]


def located(record, file: str, message: str) -> Problem:
    """A problem at the file cell a record was read from."""
    return Problem(
        file=file,
        row=int(record.src_row),
        column=record.src_column,
        value=record.src_text,
        cell=record.src_cell,
        message=message,
    )


def _scale(ref: Reference, measure: str, year: int) -> tuple[float, float, str] | None:
    kind, dimension = ref.measure_kind(measure), parent_dimension(measure)
    if kind == "aggregate":
        low, high = total_scale(year)
        return low, high, f"điểm tổng hợp năm {year}"
    if kind == "dimension":
        return 1.0, 10.0, "chỉ số nội dung"
    siblings = ref.subdimensions_in_year(dimension, year)
    if measure not in siblings:
        return None  # a sub-dimension outside its known years: its bounds are unknown
    count = len(siblings)
    return 1.0 / count, 10.0 / count, f"chỉ số thành phần ({count} thành phần của {dimension})"


def check_values(records: list[Record], file: str, ref: Reference) -> list[Problem]:
    problems = []
    for r in records:
        dimension = parent_dimension(r.measure)
        if dimension not in dimensions_for_year(r.year) and r.measure != TOTAL:
            message = f"{dimension} chỉ có từ năm {EIGHT_DIMENSION_FROM}; năm {r.year} có 6 chỉ số nội dung."
            problems.append(located(r, file, message))
            continue
        scale = _scale(ref, r.measure, r.year)
        if scale is None:
            continue
        low, high, label = scale
        if not low - _BOUND_TOLERANCE <= r.value <= high + _BOUND_TOLERANCE:
            message = f"Ngoài thang điểm: {label} phải từ {fmt.number(low)} đến {fmt.number(high)}."
            problems.append(located(r, file, message))
        for bound, text in ((r.ci_low, "cận dưới"), (r.ci_high, "cận trên")):
            if bound is not None and not pd.isna(bound):
                if (text == "cận dưới" and bound > r.value) or (text == "cận trên" and bound < r.value):
                    message = f"Khoảng tin cậy không chứa giá trị ({text} {fmt.number(bound)})."
                    problems.append(located(r, file, message))
    return problems


def check_duplicates(records: list[Record], file: str, ref: Reference) -> list[Problem]:
    problems = []
    first_row: dict[tuple, int] = {}
    reported: set[tuple[int, int]] = set()
    for r in records:
        key = (r.year, r.unit_id, r.measure)
        if key not in first_row:
            first_row[key] = int(r.src_row)
            continue
        pair = (first_row[key], int(r.src_row))
        if pair not in reported:
            reported.add(pair)
            message = (
                f"Trùng với dòng {first_row[key]}: "
                f"{ref.unit_name(r.unit_id)}, {r.measure}, năm {r.year} xuất hiện hai lần."
            )
            problems.append(located(r, file, message))
    return problems


def check_missing_columns(measure_columns: dict, years: list[int], file: str) -> list[Problem]:
    columns = set(measure_columns)
    dimensions = dimensions_for_year(max(years))
    if not columns & ({TOTAL} | set(dimensions)):
        return []  # a file of sub-dimensions only
    needed = [d for d in dimensions if d not in columns]
    if not needed:
        return []
    message = f"Thiếu cột {', '.join(needed)}: năm {max(years)} có {len(dimensions)} chỉ số nội dung."
    return [Problem(file=file, message=message)]


def by_unit(records: list[Record]) -> ByUnit:
    """The records of each (year, unit), by measure."""
    cells: ByUnit = defaultdict(dict)
    for r in records:
        cells[(r.year, r.unit_id)][r.measure] = r
    return cells


def check_totals(
    units: ByUnit,
    file: str,
    ref: Reference,
    warnings: list[str],
    unreadable: set[tuple[int | None, str]],
    blank_totals: dict[tuple[int, str], Problem],
) -> list[Problem]:
    """Aggregate = sum of dimensions; a province with an aggregate has every dimension.

    A blank aggregate cell in a row that has every dimension is a problem (the province would drop out
    of the year's ranking without a word); rows with only some dimensions and no aggregate are how PAPI
    publishes partial results (Bắc Ninh 2022) and stay a warning.
    """
    problems, partial = [], []
    for (year, unit_id), cells in units.items():
        if (year, unit_id) in unreadable:
            continue
        dims = dimensions_for_year(year)
        present = [d for d in dims if d in cells]
        total = cells.get(TOTAL)
        if total is None:
            if present and len(present) < len(dims):
                partial.append(f"{ref.unit_name(unit_id)} {year} ({len(present)}/{len(dims)} chỉ số)")
            elif present and (year, unit_id) in blank_totals:
                problems.append(blank_totals[(year, unit_id)])
            continue
        missing = [d for d in dims if d not in cells]
        if missing:
            message = f"Có điểm tổng hợp nhưng thiếu {', '.join(missing)} của {ref.unit_name(unit_id)}."
            problems.append(located(total, file, message))
            continue
        dimension_sum = sum(cells[d].value for d in dims)
        if abs(total.value - dimension_sum) > SUM_TOLERANCE:
            message = _sum_message("Điểm tổng hợp", "các chỉ số nội dung", total, dimension_sum)
            problems.append(located(total, file, message))
    if partial:
        warnings.append(
            "Không có điểm tổng hợp, chỉ có một phần chỉ số nội dung (lưu đúng như công bố): "
            + "; ".join(partial)
            + "."
        )
    return problems


def _sum_message(what: str, parts: str, record, parts_sum: float) -> str:
    gap = abs(record.value - parts_sum)
    return (
        f"{what} khác tổng {parts} ({fmt.number(parts_sum, 4)}), chênh {fmt.number(gap, 4)} "
        f"> {fmt.number(SUM_TOLERANCE)}."
    )


def check_subdimension_sums(units: ByUnit, file: str, ref: Reference) -> list[Problem]:
    """A dimension equals the sum of its sub-dimensions when the file holds all of them for that row."""
    problems = []
    for (year, _unit_id), cells in units.items():
        for dimension in dimensions_for_year(year):
            parts = ref.subdimensions_in_year(dimension, year)
            record = cells.get(dimension)
            if record is None or not parts or any(p not in cells for p in parts):
                continue
            parts_sum = sum(cells[p].value for p in parts)
            if abs(record.value - parts_sum) > SUM_TOLERANCE:
                message = _sum_message(dimension, f"các chỉ số thành phần ({', '.join(parts)})", record, parts_sum)
                problems.append(located(record, file, message))
    return problems
