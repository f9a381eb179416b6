"""Tables the dashboard shows and exports, built from the store's frames (no I/O, no UI)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from papi_analysis import fmt
from papi_analysis.bounds import BOUNDS
from papi_analysis.domain import DIMENSIONS, TOTAL, WEIGHTED_TOTAL, crosses_method_change, dimensions_for_year
from papi_analysis.present.prose import METHOD_CHANGE
from papi_analysis.reference import Reference
from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.metrics import comparison_profile
from papi_analysis.results.summary import MeasureResult, ProvinceSummary

YEAR, PROVINCE, REGION = "Năm", "Tỉnh, thành phố", "Vùng"
NOTE = "Ghi chú"
AGGREGATE_WORDS = {TOTAL: "Tổng hợp", WEIGHTED_TOTAL: "Tổng hợp có trọng số"}  # on screen, never a bare code
DECIMALS = 4  # computed numbers (changes, gaps) as PAPI publishes them; stored scores keep every published digit


def method_notes(previous_years: pd.Series, years: pd.Series | int) -> pd.Series:
    """Per row: METHOD_CHANGE where the change compares a year before 2018 with one from 2018, else ''."""
    years = pd.Series(years, index=previous_years.index)
    return pd.Series(
        [
            METHOD_CHANGE if not pd.isna(p) and crosses_method_change(int(p), int(y)) else ""
            for p, y in zip(previous_years, years, strict=True)
        ],
        index=previous_years.index,
        dtype=object,
    )


def measure_labels(ref: Reference, year: int) -> dict[str, str]:
    """The aggregate and the year's dimensions, as a measure picker names them: 'Tổng hợp', 'D1 Tham gia'…"""
    return {TOTAL: "Tổng hợp"} | {m: f"{m} {ref.measure(m)['short_vi']}" for m in dimensions_for_year(year)}


def measure_order(ref: Reference, codes: Collection[str]) -> list[str]:
    order = dict(zip(ref.measures.code, ref.measures.sort_order, strict=True))
    return sorted(codes, key=lambda c: order.get(c, 10_000))


def scores_wide(
    scores: pd.DataFrame,
    ref: Reference,
    *,
    years: Collection[int] | None = None,
    unit_ids: Collection[str] | None = None,
    region_ids: Collection[str] | None = None,
    measures: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per year and unit, one column per measure code, in the upload's wide layout
    (so an exported year can be uploaded again as-is). Full precision; empty = not published."""
    rows = scores
    if years:
        rows = rows[rows.year.isin(list(years))]
    if measures:
        rows = rows[rows.measure.isin(list(measures))]
    units = ref.units.set_index("unit_id")
    if unit_ids:
        rows = rows[rows.unit_id.isin(list(unit_ids))]
    if region_ids:
        rows = rows[rows.unit_id.map(units.region_id).isin(list(region_ids))]
    wide = rows.pivot_table(index=["year", "unit_id"], columns="measure", values="value", aggfunc="first")
    wide = wide.reindex(columns=measure_order(ref, wide.columns))
    wide = _with_bound_columns(wide, rows, ref).reset_index()
    wide.columns.name = None
    wide.insert(2, REGION, wide.unit_id.map(units.region_name))
    wide.insert(2, PROVINCE, wide.unit_id.map(units.name_vi))
    order = wide.unit_id.map(units.gso_code)
    wide = wide.assign(_order=order).sort_values(["year", "_order", PROVINCE]).drop(columns=["_order", "unit_id"])
    return wide.rename(columns={"year": YEAR}).reset_index(drop=True)


def _with_bound_columns(wide: pd.DataFrame, rows: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """The stored bounds beside their measure, only where any is stored (the upload reads them back)."""
    columns = []
    for code in wide.columns:
        columns.append((code, wide[code]))
        for bound in BOUNDS:  # after their measure: 'TOTAL ci_low', 'D1 ci_high', 'D1 se' (read back as such)
            if bound.key not in rows.columns:
                continue
            values = rows[rows.measure == code].set_index(["year", "unit_id"])[bound.key]
            if values.notna().any():
                columns.append((f"{code} {bound.suffix}", values.reindex(wide.index)))
    return pd.DataFrame(dict(columns), index=wide.index)


def change_table(
    table: pd.DataFrame, ref: Reference, year: int, measure: str, unit_ids: Collection[str]
) -> pd.DataFrame:
    """Score and rank changes versus the previous year for the group (numbers kept numeric so the
    table sorts; the page formats them)."""
    rows = table[(table.year == year) & (table.measure == measure) & table.unit_id.isin(list(unit_ids))]
    rows = rows.sort_values("national_rank")
    frame = pd.DataFrame(
        {
            PROVINCE: rows.unit_id.map(ref.unit_name),
            "Điểm": rows.value.round(2),
            "Năm so sánh": rows.previous_year,
            "Điểm năm so sánh": rows.previous_value.round(2),
            "Thay đổi điểm": rows.change.round(2),
            "Hạng toàn quốc": rows.national_rank.astype("Int64"),
            "Thay đổi hạng toàn quốc": rows.national_rank_change.astype("Int64"),
            "Hạng trong nhóm": rows.comparison_rank.astype("Int64"),
            "Thay đổi hạng trong nhóm": rows.comparison_rank_change.astype("Int64"),
            "Nhóm": rows.performance_group,
        }
    ).reset_index(drop=True)
    notes = method_notes(frame["Năm so sánh"], year)
    return frame.assign(**{NOTE: notes}) if notes.astype(bool).any() else frame  # the 2018 flag, when there is one


CHANGE_COLUMNS = ("Thay đổi điểm", "Thay đổi hạng toàn quốc", "Thay đổi hạng trong nhóm")


def method_marks(frame: pd.DataFrame) -> pd.DataFrame | None:
    """Per cell of a table's change columns: True where the change spans 2017→2018 (its row's NOTE says so) and
    there is a change to mark; None when no row does."""
    if NOTE not in frame:
        return None
    spans = frame[NOTE].astype(bool)
    columns = [c for c in CHANGE_COLUMNS if c in frame]
    return pd.DataFrame({c: spans & frame[c].notna() for c in columns}, index=frame.index)


def upload_change_rows(changes: pd.DataFrame, ref: Reference, what: str) -> pd.DataFrame:
    """An upload's before/after cells as the history shows them; what: 'measure' (scores) or 'code' (indicators)."""
    return pd.DataFrame(
        {
            YEAR: changes.year,
            PROVINCE: changes.unit_id.map(ref.unit_name),
            "Chỉ số" if what == "measure" else "Chỉ tiêu": changes[what].replace(AGGREGATE_WORDS),
            "Trước": changes.old_value.map(lambda v: fmt.number(v, DECIMALS)),
            "Sau": changes.new_value.map(lambda v: fmt.number(v, DECIMALS)),
        }
    )


@dataclass(frozen=True)
class GroupRanking:
    """A comparison group's ranked bar for a year and measure: the rows of units with a score (unit_id, name,
    value, national_rank), the year's national median (None: nobody has a score) and the names of the group's
    units without a score, which are left out of the comparison, never counted as 0."""

    rows: pd.DataFrame
    national_median: float | None
    unscored: list[str]


def group_ranking(
    table: pd.DataFrame, ref: Reference, year: int, measure: str, unit_ids: Collection[str]
) -> GroupRanking:
    year_rows = table[(table.year == year) & (table.measure == measure)]
    rows = year_rows[year_rows.unit_id.isin(list(unit_ids))]
    median = float(year_rows.national_median.iloc[0]) if len(year_rows) else None
    scored = set(rows.unit_id)
    unscored = [ref.unit_name(u) for u in unit_ids if u not in scored]
    return GroupRanking(rows.assign(name=rows.unit_id.map(ref.unit_name)), median, unscored)


def summary_rows(summary: ProvinceSummary) -> pd.DataFrame:
    """The aggregate, then the dimensions (dimension_rows), as the report's table shows them."""
    total = summary.total
    if total is None:
        return dimension_rows(summary)
    first = {"Chỉ số nội dung": "Chỉ số tổng hợp (PAPI)", **_result_cells(total)}
    if not total.comparable:
        first["Thay đổi"] = "không so sánh *"
    return pd.concat([pd.DataFrame([first]), dimension_rows(summary)], ignore_index=True)


def _result_cells(d: MeasureResult) -> dict[str, object]:
    """A measure's cells in the overview's and the report's tables; ' *' marks a change across 2018, and the
    year compared with is named on every row."""
    flag = "" if d.comparable else " *"
    return {
        "Điểm": d.score_display,
        "Toàn quốc": fmt.rank(d.national_rank, d.national_n),
        "Trong nhóm": fmt.rank(d.comparison_rank, d.comparison_n),
        "Nhóm": d.performance_group,
        "Thay đổi": fmt.signed(d.change) + flag,
        "Thay đổi hạng": fmt.rank_change(d.national_rank_change) + (flag if d.national_rank_change is not None else ""),
        "So với năm": fmt.MISSING if d.previous_year is None else str(d.previous_year),
    }


def heatmap_frame(table: pd.DataFrame, ref: Reference, year: int, unit_ids: Collection[str]) -> pd.DataFrame:
    """Group units × (aggregate + dimensions): value and performance group, long form."""
    rows = table[(table.year == year) & table.unit_id.isin(list(unit_ids)) & table.measure.isin([TOTAL, *DIMENSIONS])]
    out = rows[["unit_id", "measure", "value", "performance_group", "national_rank"]].copy()
    out["province"] = out.unit_id.map(ref.unit_name)
    return out


def template_wide(ref: Reference, unit_set: str, year: int) -> pd.DataFrame:
    """An empty wide upload file for a year: one row per unit of the set, one column per measure."""
    units = ref.units_of_set(unit_set).sort_values(["gso_code", "name_vi"])
    columns = {YEAR: year, PROVINCE: units.name_vi.tolist()}
    frame = pd.DataFrame(columns)
    for code in [*dimensions_for_year(year), TOTAL]:
        frame[code] = None
    return frame


def template_long(ref: Reference, unit_set: str, year: int) -> pd.DataFrame:
    """An empty long upload file: year, province, measure, value, ci_low, ci_high."""
    units = ref.units_of_set(unit_set).sort_values(["gso_code", "name_vi"]).name_vi
    measures = [*dimensions_for_year(year), TOTAL]
    return pd.DataFrame(
        [
            {"year": year, "province": name, "measure": code, "value": None, "ci_low": None, "ci_high": None}
            for name in units
            for code in measures
        ]
    )


def dimension_rows(summary: ProvinceSummary) -> pd.DataFrame:
    """The overview's dimension table, as text; 'Nhóm' holds the performance group's name."""
    return pd.DataFrame({"Chỉ số nội dung": f"{d.code} · {d.name_vi}", **_result_cells(d)} for d in summary.dimensions)


def predecessor_rows(summary: ProvinceSummary) -> pd.DataFrame:
    """A new unit's old provinces in their latest year with an aggregate, as text; 'Nhóm' holds the group."""
    return pd.DataFrame(
        {
            "Tỉnh, thành phố cũ": p.label,
            "Năm": fmt.MISSING if p.year is None else str(p.year),
            "Điểm tổng hợp": p.total_display,
            "Xếp hạng toàn quốc": fmt.rank(p.national_rank, p.national_n),
            "Nhóm": p.performance_group,
        }
        for p in summary.before_change
    )


def dimension_export(summary: ProvinceSummary) -> pd.DataFrame:
    """The overview's dimension table for download: numbers as numbers."""
    return pd.DataFrame(
        {
            YEAR: summary.year,
            PROVINCE: summary.province,
            "Mã": d.code,
            "Chỉ số nội dung": d.name_vi,
            "Điểm": d.score,
            "Hạng toàn quốc": d.national_rank,
            "Số tỉnh xếp hạng": d.national_n,
            "Hạng trong nhóm": d.comparison_rank,
            "Số tỉnh trong nhóm": d.comparison_n,
            "Nhóm": d.performance_group,
            "Năm so sánh": d.previous_year,
            "Thay đổi điểm": _rounded(d.change),
            "Cách điểm cao nhất nhóm": _rounded(d.gap_to_comparison_best),
            "Cách điểm cao nhất cả nước": _rounded(d.gap_to_national_best),
            NOTE: "" if d.comparable else METHOD_CHANGE,
        }
        for d in summary.dimensions
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def radar_frame(table: pd.DataFrame, ref: Reference, summary: ProvinceSummary) -> pd.DataFrame:
    """One row per dimension of the year: the focus unit, the comparison group's mean, the national best."""
    codes = list(dimensions_for_year(summary.year))
    profile = comparison_profile(table, summary.comparison.unit_ids, summary.year).reindex(codes)
    focus = {d.code: d.score for d in summary.dimensions}
    return pd.DataFrame(
        {
            "code": codes,
            "short_name": [ref.measure(c)["short_vi"] for c in codes],
            "focus": [focus.get(c) for c in codes],
            "group_mean": profile.comparison_mean.to_numpy(),
            "national_best": profile.national_best.to_numpy(),
        }
    )


def subdimension_parts(
    table: pd.DataFrame, ref: Reference, unit_id: str, comparison: Comparison, dimension: str, year: int
) -> pd.DataFrame:
    """The focus unit's sub-dimensions of a dimension in a year, in the catalogue's order, with the comparison
    group's best and median: the one builder of the report's table, the dimension page's table and its chart.
    Columns: code, name (the year's own), value, ci_low, ci_high, national_rank, national_n, performance_group,
    group_best, group_median."""
    codes = [c for c in ref.measures.code if c.startswith(dimension + ".")]
    rows = table[(table.year == year) & (table.unit_id == unit_id) & table.measure.isin(codes)]
    rows = rows.set_index("measure").reindex([c for c in codes if c in set(rows.measure)])
    profile = comparison_profile(table, comparison.unit_ids, year).reindex(rows.index)
    missing = pd.Series(None, index=rows.index, dtype="Float64")
    return pd.DataFrame(
        {
            "code": rows.index,
            "name": [ref.measure_name(c, year) for c in rows.index],
            "value": rows.value.to_numpy(),
            "ci_low": rows.get("ci_low", missing).to_numpy(),
            "ci_high": rows.get("ci_high", missing).to_numpy(),
            "national_rank": rows.national_rank.to_numpy(),
            "national_n": rows.national_n.to_numpy(),
            "performance_group": rows.performance_group.to_numpy(),
            "group_best": profile.comparison_best.to_numpy(),
            "group_median": profile.comparison_median.to_numpy(),
        }
    )


def subdimension_rows(parts: pd.DataFrame) -> pd.DataFrame:
    """subdimension_parts as the report's table shows them; 'Nhóm' holds the group's name."""
    return pd.DataFrame(
        {
            "Mã": parts.code.to_numpy(),
            "Chỉ số thành phần": parts.name.to_numpy(),
            "Điểm": [fmt.number(v) for v in parts.value],
            "Hạng toàn quốc": [fmt.rank(r, n) for r, n in zip(parts.national_rank, parts.national_n, strict=True)],
            "Nhóm": parts.performance_group.to_numpy(),
            "Cao nhất nhóm so sánh": [fmt.number(v) for v in parts.group_best],
        }
    )


def ranks_long(
    table: pd.DataFrame,
    ref: Reference,
    *,
    years: Collection[int] = (),
    unit_ids: Collection[str] = (),
    region_ids: Collection[str] = (),
    measures: Collection[str] = (),
) -> pd.DataFrame:
    """One row per year, unit and measure with its ranks, group and change (empty filters: all)."""
    rows = table
    for column, chosen in (("year", years), ("unit_id", unit_ids), ("region_id", region_ids), ("measure", measures)):
        if chosen:
            rows = rows[rows[column].isin(list(chosen))]
    rows = rows.sort_values(["year", "measure", "national_rank"])
    bounds = {  # named as the upload reads them back (bounds.Bound.headers)
        bound.short: rows[bound.key] for bound in BOUNDS if bound.key in rows.columns and rows[bound.key].notna().any()
    }
    return pd.DataFrame(
        {
            YEAR: rows.year,
            PROVINCE: rows.unit_id.map(ref.unit_name),
            REGION: rows.region_id.map(ref.region_name),
            "Chỉ số": rows.measure,
            "Điểm": rows.value,
            **bounds,
            "Hạng toàn quốc": rows.national_rank.astype("Int64"),
            "Số tỉnh xếp hạng": rows.national_n.astype("Int64"),
            "Hạng trong vùng": rows.comparison_rank.astype("Int64"),
            "Số tỉnh trong vùng": rows.comparison_n.astype("Int64"),
            "Nhóm": rows.performance_group,
            "Năm so sánh": rows.previous_year,
            "Thay đổi điểm": rows.change.round(DECIMALS),
            "Thay đổi hạng toàn quốc": rows.national_rank_change.astype("Int64"),
            NOTE: method_notes(rows.previous_year, rows.year),
        }
    ).reset_index(drop=True)


def export_name_parts(
    ref: Reference,
    *,
    years: Collection[int] = (),
    unit_ids: Collection[str] = (),
    region_ids: Collection[str] = (),
    measures: Collection[str] = (),
) -> list[object]:
    """What a download of filtered scores is named after: years, regions, up to 3 units, one measure."""
    years = list(years)
    year_part = str(years[0]) if len(years) == 1 else f"{min(years)}-{max(years)}" if years else "2011-nay"
    parts: list[object] = [year_part, *[ref.region_name(r) for r in region_ids]]
    if 0 < len(unit_ids) <= 3:
        parts += [ref.unit_name(u) for u in unit_ids]
    if len(measures) == 1:
        parts.append(next(iter(measures)))
    return parts


def side_by_side(table: pd.DataFrame, ref: Reference, year: int, unit_ids: Collection[str]) -> pd.DataFrame:
    """Several units' results of one year next to each other (the old provinces a new unit was formed from):
    a row for the aggregate and each of the year's dimensions, a column per unit ('Sóc Trăng (cũ)') holding
    'điểm (hạng toàn quốc)'; the last row the aggregate's performance group. Nothing is added up."""
    measures = [TOTAL, *dimensions_for_year(year)]
    rows = table[(table.year == year) & table.unit_id.isin(list(unit_ids)) & table.measure.isin(measures)]
    cells = {(r.unit_id, r.measure): r for r in rows.itertuples()}
    labels = {TOTAL: "Chỉ số tổng hợp (PAPI)"} | {m: f"{m} · {ref.measure_name(m)}" for m in measures[1:]}
    out = {"Chỉ số": [*labels.values(), "Nhóm hiệu quả (tổng hợp)"]}
    for unit_id in unit_ids:
        column = []
        for m in measures:
            r = cells.get((unit_id, m))
            cell = None if r is None else f"{fmt.number(r.value)} ({fmt.rank(r.national_rank, r.national_n)})"
            column.append(cell or fmt.MISSING)
        total = cells.get((unit_id, TOTAL))
        column.append(fmt.MISSING if total is None else total.performance_group)
        out[f"{ref.unit_name(unit_id)} (cũ)"] = column
    return pd.DataFrame(out)
