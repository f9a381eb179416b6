"""Warnings — not errors — about an upload that reads fine but may not be what the analyst thinks it is; said in
the preview, beside what would change (issue 11, item 4). The file is compared with what is stored:

- a year whose values equal another stored year's: at least SAME_MIN values in common with that year and at
  least SAME_SHARE of them identical to full precision (two real years never share more than a handful of
  values to 6 digits: a 2025 file that is the 2024 file under a new name);
- a dimension that moved more than BIG_MOVE points (on its 1–10 scale) for many provinces since the latest
  stored year before it: "many" is at least MANY_SHARE of the provinces compared and at least MANY_MIN of them
  (real changes of a dimension between two years are mostly under one point; a quarter of the provinces
  moving more than two points points to rows or columns read as the wrong dimension, or a method change).

The aggregate against the sum of its dimensions is checked while reading (score_checks.check_totals): a
problem in our own layouts, which hold full-precision values; a warning in the official workbooks, which
publish rounded figures (and are read as published).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS, EIGHT_DIMENSION_FROM

SAME_MIN, SAME_SHARE = 10, 0.5
BIG_MOVE, MANY_SHARE, MANY_MIN = 2.0, 0.25, 5
_EXACT = 1e-12


def same_as_stored_year(frame: pd.DataFrame, stored: pd.DataFrame) -> list[str]:
    """frame: the file's year, unit_id, measure, value; stored: every stored score."""
    warnings = []
    for year, cells in frame.groupby("year"):
        others = stored[stored.year != year][["year", "unit_id", "measure", "value"]]
        both = cells[["unit_id", "measure", "value"]].merge(others, on=["unit_id", "measure"], suffixes=("", "_stored"))
        both["same"] = (both.value - both.value_stored).abs() <= _EXACT
        counts = both.groupby("year").same.agg(["size", "sum"])
        for other, row in counts[
            (counts["size"] >= SAME_MIN) & (counts["sum"] >= SAME_SHARE * counts["size"])
        ].iterrows():
            warnings.append(
                f"Năm {year} trong tệp có {fmt.integer(row['sum'])}/{fmt.integer(row['size'])} giá trị giống hệt năm "
                f"{other} đã lưu: có thể tệp là số liệu năm {other}? Kiểm tra năm của tệp trước khi ghi."
            )
    return warnings


def _moves(cells: pd.DataFrame, stored: pd.DataFrame, year: int, dimension: str) -> tuple[int | None, pd.DataFrame]:
    before = stored[(stored.measure == dimension) & (stored.year < year)]
    if before.empty:
        return None, before
    previous = int(before.year.max())
    now = cells[cells.measure == dimension][["unit_id", "value"]]
    then = before[before.year == previous][["unit_id", "value"]]
    both = now.merge(then, on="unit_id", suffixes=("", "_before"))
    return previous, both.assign(move=both.value - both.value_before)


def big_moves(frame: pd.DataFrame, stored: pd.DataFrame, unit_name: Callable[[str], str]) -> list[str]:
    warnings = []
    for year, cells in frame.groupby("year"):
        for dimension in [d for d in DIMENSIONS if d in set(cells.measure)]:
            previous, both = _moves(cells, stored, int(year), dimension)
            if previous is None or both.empty:
                continue
            moved = both[both.move.abs() > BIG_MOVE].sort_values("move", key=abs, ascending=False)
            if len(moved) < max(MANY_MIN, MANY_SHARE * len(both)):
                continue
            examples = ", ".join(f"{unit_name(r.unit_id)} {fmt.signed(r.move)}" for r in moved.head(3).itertuples())
            method = " (PAPI đổi cách tính từ năm 2018)" if previous < EIGHT_DIMENSION_FROM <= year else ""
            warnings.append(
                f"{dimension}: {len(moved)}/{len(both)} tỉnh, thành phố thay đổi hơn {fmt.number(BIG_MOVE, 0)} điểm so "
                f"với năm {previous}{method}, ví dụ {examples}. Kiểm tra các dòng/cột đã được đọc đúng chỉ số chưa."
            )
    return warnings


def warnings(frame: pd.DataFrame, stored: pd.DataFrame, unit_name: Callable[[str], str]) -> list[str]:
    """Every plausibility warning for a file's scores against the stored scores."""
    if frame.empty:
        return []
    return same_as_stored_year(frame, stored) + big_moves(frame, stored, unit_name)
