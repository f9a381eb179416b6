"""Step 4 of reading a scores file: the checks its values must pass together, on the long frame of every value
read (columns year, unit_id, measure, value, the bounds and where each value was read: src_sheet, src_row,
src_column, src_cell, src_text). Each check is vectorised over the frame (or over a pivot of one row
per province and year) and returns located problems; a message is built only for a value that fails.

- Values: a dimension only in its years; every value on its scale (a sub-dimension on 1/k–10/k, k the number
  of parts of its dimension that year); a confidence interval contains its value; a standard error is ≥ 0.
- Duplicates: a province, measure and year once.
- The aggregate against its dimensions, sub-dimensions against their dimension. An aggregate or dimension not
  published (0 or empty) is stored as published and said, never a problem.

The parts of a dimension in a year are the catalogue's; where PAPI published another set that adds up to the
dimension (a sub-dimension dropped, e.g. construction permits), the file's set is used. The sums are checked
within the file; files that hold sub-dimensions only (the seed files 2011–2016) are checked against the
stored dimensions by tests/store/test_store.py, not on upload.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import (
    EIGHT_DIMENSION_FROM,
    TOTAL,
    WEIGHTED_TOTAL,
    dimensions_for_year,
    parent_dimension,
    total_scale,
)
from papi_analysis.problems import Problem
from papi_analysis.reading.context import ReadingContext
from papi_analysis.reference import Reference

SUM_TOLERANCE = 0.01
_SCALE_TOLERANCE = 0.005
KEY = ["year", "unit_id", "measure"]
Parts = dict[tuple[int, str], list[str]]


def located(record, ctx: ReadingContext, message: str) -> Problem:
    """A problem at the file cell a record (a row of the frame) was read from."""
    return ctx.at_cell(record).problem(message, record.src_text)


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (year, unit_id), one column per measure: the values."""
    return frame.pivot_table(index=["year", "unit_id"], columns="measure", values="value", aggfunc="first")


def subdimension_parts(frame: pd.DataFrame, ref: Reference) -> Parts:
    """The parts of each dimension in each year of the file (see the module docstring)."""
    subs = frame[frame.measure.str.contains(".", regex=False)]
    parts: Parts = {}
    if subs.empty:
        return parts
    wide = _wide(frame)
    for (year, dimension), group in subs.groupby([subs.year, subs.measure.map(parent_dimension)]):
        catalogue = ref.subdimensions_in_year(dimension, int(year))
        published = sorted(set(group.measure))
        parts[(int(year), dimension)] = catalogue
        if set(published) >= set(catalogue) or dimension not in wide.columns:
            continue
        rows = wide.loc[int(year)][[dimension, *published]].dropna()
        if len(rows) and (rows[published].sum(axis=1) - rows[dimension]).abs().max() <= SUM_TOLERANCE:
            parts[(int(year), dimension)] = published
    return parts


def _scale(ref: Reference, measure: str, year: int, parts: Parts) -> tuple[float, float, str] | None:
    if measure == WEIGHTED_TOTAL:
        return None  # PAPI does not document the weighted aggregate's range: not checked
    kind, dimension = ref.measure_kind(measure), parent_dimension(measure)
    if kind == "aggregate":
        low, high = total_scale(year)
        return low, high, f"điểm tổng hợp năm {year}"
    if kind == "dimension":
        return 1.0, 10.0, "chỉ số nội dung"
    siblings = parts.get((year, dimension)) or ref.subdimensions_in_year(dimension, year)
    if measure not in siblings:
        return None  # a sub-dimension outside its known years: its bounds are unknown
    count = len(siblings)
    return 1.0 / count, 10.0 / count, f"chỉ số thành phần ({count} thành phần của {dimension})"


def _out_of_years(frame: pd.DataFrame) -> pd.Series:
    dimension = frame.measure.map(parent_dimension)
    eight = frame.year >= EIGHT_DIMENSION_FROM
    late = dimension.isin(["D7", "D8"]) & ~eight
    return late & ~frame.measure.isin([TOTAL, WEIGHTED_TOTAL])


def check_values(frame: pd.DataFrame, ctx: ReadingContext, parts: Parts | None = None) -> list[Problem]:
    ref = ctx.ref
    parts = parts if parts is not None else subdimension_parts(frame, ref)
    early = _out_of_years(frame)
    problems = [
        located(
            r,
            ctx,
            f"{parent_dimension(r.measure)} chỉ có từ năm {EIGHT_DIMENSION_FROM}; năm {r.year} có "
            f"{len(dimensions_for_year(r.year))} chỉ số nội dung.",
        )
        for r in frame[early].itertuples()
    ]
    rest = frame[~early]
    scales = {key: _scale(ref, key[0], int(key[1]), parts) for key in set(zip(rest.measure, rest.year, strict=True))}
    bounds = [scales[key] or (-np.inf, np.inf, "") for key in zip(rest.measure, rest.year, strict=True)]
    low = np.array([b[0] for b in bounds]) - _SCALE_TOLERANCE
    high = np.array([b[1] for b in bounds]) + _SCALE_TOLERANCE
    outside = (rest.value.to_numpy() < low) | (rest.value.to_numpy() > high)
    for r in rest[outside].itertuples():
        lo, hi, label = scales[(r.measure, r.year)]
        problems.append(located(r, ctx, f"Ngoài thang điểm: {label} phải từ {fmt.number(lo)} đến {fmt.number(hi)}."))
    problems += _bound_problems(rest, ctx)
    return problems


def _bound_problems(frame: pd.DataFrame, ctx: ReadingContext) -> list[Problem]:
    problems = []
    for column, text, wrong in (
        ("ci_low", "cận dưới", frame.ci_low > frame.value),
        ("ci_high", "cận trên", frame.ci_high < frame.value),
    ):
        for r in frame[wrong.fillna(False)].itertuples():
            bound = getattr(r, column)
            problems.append(located(r, ctx, f"Khoảng tin cậy không chứa giá trị ({text} {fmt.number(bound)})."))
    for r in frame[(frame.std_error < 0).fillna(False)].itertuples():
        problems.append(located(r, ctx, f"Sai số chuẩn âm ({fmt.number(r.std_error, 4)})."))
    return problems


def check_duplicates(frame: pd.DataFrame, ctx: ReadingContext) -> list[Problem]:
    """A (year, unit, measure) read twice: one problem per pair of source rows."""
    repeated = frame.duplicated(KEY, keep="first")
    if not repeated.any():
        return []
    first_row = frame[~repeated].set_index(KEY).src_row
    again = frame[repeated].assign(
        first=[first_row.loc[k] for k in zip(*(frame[repeated][c] for c in KEY), strict=True)]
    )
    again = again.drop_duplicates(["first", "src_row"])
    said = "Trùng với dòng {}: {}, {}, năm {} xuất hiện hai lần."
    return [
        located(r, ctx, said.format(int(r.first), ctx.ref.unit_name(r.unit_id), r.measure, r.year))
        for r in again.itertuples()
    ]


def check_missing_columns(measures: Iterable[str], years: list[int], ctx: ReadingContext, what: str) -> list[Problem]:
    """A file with the aggregate or any dimension holds every dimension of its year."""
    present = set(measures)
    dimensions = dimensions_for_year(max(years))
    if not present & ({TOTAL} | set(dimensions)):
        return []  # a file of sub-dimensions only
    needed = [d for d in dimensions if d not in present]
    if not needed:
        return []
    message = f"Thiếu {what} {', '.join(needed)}: năm {max(years)} có {len(dimensions)} chỉ số nội dung."
    return [ctx.where().problem(message)]


def _sum_message(what: str, parts: str, value: float, parts_sum: float) -> str:
    gap = abs(value - parts_sum)
    return (
        f"{what} khác tổng {parts} ({fmt.number(parts_sum, 4)}), chênh {fmt.number(gap, 4)} "
        f"> {fmt.number(SUM_TOLERANCE)}."
    )


def _totals_state(main: pd.DataFrame) -> pd.DataFrame:
    """Per (year, unit_id), in the file's order: the aggregate, how many of the year's dimensions are present (of
    how many) and their sum."""
    order = pd.MultiIndex.from_frame(main[["year", "unit_id"]].drop_duplicates())
    wide = _wide(main)
    blocks = []
    for year, block in wide.groupby(level=0, sort=False):
        dims = list(dimensions_for_year(int(year)))
        values = block.reindex(columns=[TOTAL, *dims])
        blocks.append(
            pd.DataFrame(
                {
                    "total": values[TOTAL],
                    "present": values[dims].notna().sum(axis=1),
                    "expected": len(dims),
                    "sum": values[dims].sum(axis=1),
                }
            )
        )
    return pd.concat(blocks).reindex(order) if blocks else pd.DataFrame(columns=["total", "present", "expected", "sum"])


def check_totals(frame: pd.DataFrame, ctx: ReadingContext, *, unreadable: set, sums_warn: bool = False) -> list:
    """The aggregate equals the sum of its dimensions (within SUM_TOLERANCE).

    An aggregate or a dimension not published (empty, or 0 in the file) is stored as published, with a word:
    rows without the aggregate, or with only some dimensions, are how PAPI publishes partial results (Bắc Ninh
    2022), and an aggregate without its dimensions is kept as it is. sums_warn: a sum that differs is a
    warning (the official workbooks round their published figures), not a problem. Flagged vectorised;
    messages for flagged rows only.
    """
    ref = ctx.ref
    main = frame[frame.measure.isin([TOTAL, *{d for y in set(frame.year) for d in dimensions_for_year(y)}])]
    state = _totals_state(main)
    state = state[pd.Series([key not in unreadable for key in state.index], index=state.index, dtype=bool)]
    no_total = state.total.isna()
    gap = (state.total - state["sum"]).abs()
    flagged = state[
        (no_total & (state.present > 0))
        | (~no_total & (state.present < state.expected))
        | (~no_total & (gap > SUM_TOLERANCE))
    ]
    totals = frame[frame.measure == TOTAL].drop_duplicates(["year", "unit_id"]).set_index(["year", "unit_id"])
    problems, partial, alone, differ = [], [], [], []
    for (year, unit_id), row in flagged.iterrows():
        said = f"{ref.unit_name(unit_id)} {year} ({int(row.present)}/{int(row.expected)} chỉ số)"
        if pd.isna(row.total):
            partial.append(said)
        elif row.present < row.expected:
            alone.append(said)
        elif sums_warn:
            differ.append(f"{ref.unit_name(unit_id)} {year} (chênh {fmt.number(abs(row.total - row['sum']), 4)})")
        else:
            message = _sum_message("Điểm tổng hợp", "các chỉ số nội dung", row.total, float(row["sum"]))
            problems.append(located(totals.loc[(year, unit_id)], ctx, message))
    ctx.warnings.extend(_totals_warnings(partial, alone, differ))
    return problems


def _totals_warnings(partial: list[str], alone: list[str], differ: list[str]) -> list[str]:
    warnings = []
    if partial:
        warnings.append(
            "Không có điểm tổng hợp (ô trống hoặc 0: PAPI không công bố), lưu đúng như công bố: "
            + "; ".join(partial)
            + ". Các tỉnh, thành phố này không được xếp hạng điểm tổng hợp năm đó."
        )
    if alone:
        warnings.append(
            "Có điểm tổng hợp nhưng thiếu một phần chỉ số nội dung (lưu đúng như công bố): " + "; ".join(alone) + "."
        )
    if differ:
        warnings.append(
            f"Điểm tổng hợp khác tổng các chỉ số nội dung quá {fmt.number(SUM_TOLERANCE)} (lưu đúng như tệp; "
            "bảng PAPI công bố làm tròn từng chỉ số): " + "; ".join(differ[:10]) + (" …" if len(differ) > 10 else "")
        )
    return warnings


def check_subdimension_sums(frame: pd.DataFrame, ctx: ReadingContext, parts: Parts | None = None) -> list[Problem]:
    """A dimension equals the sum of its sub-dimensions when the file holds all of them for that row."""
    parts = parts if parts is not None else subdimension_parts(frame, ctx.ref)
    if not parts:
        return []
    wide = _wide(frame)
    where = frame.drop_duplicates(KEY).set_index(KEY)  # one record per cell: the one a problem points at
    problems = []
    for (year, dimension), codes in parts.items():
        if dimension not in wide.columns or any(c not in wide.columns for c in codes) or not codes:
            continue
        rows = wide.loc[[year]][[dimension, *codes]].dropna()
        gaps = (rows[codes].sum(axis=1) - rows[dimension]).abs()
        for _, unit_id in gaps[gaps > SUM_TOLERANCE].index:
            record = where.loc[(year, unit_id, dimension)].copy()
            parts_sum = float(rows.loc[(year, unit_id), codes].sum())
            message = _sum_message(dimension, f"các chỉ số thành phần ({', '.join(codes)})", record.value, parts_sum)
            problems.append(located(record, ctx, message))
    return problems
