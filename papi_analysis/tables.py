"""Tables the dashboard shows and exports, built from the store's frames (no I/O, no UI)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from .domain import DIMENSIONS, TOTAL, dimensions_for_year
from .reference import Reference

YEAR, PROVINCE, REGION = "Năm", "Tỉnh, thành phố", "Vùng"


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
    wide = wide.reindex(columns=measure_order(ref, wide.columns)).reset_index()
    wide.columns.name = None
    wide.insert(2, REGION, wide.unit_id.map(units.region_name))
    wide.insert(2, PROVINCE, wide.unit_id.map(units.name_vi))
    order = wide.unit_id.map(units.gso_code)
    wide = wide.assign(_order=order).sort_values(["year", "_order", PROVINCE]).drop(columns=["_order", "unit_id"])
    return wide.rename(columns={"year": YEAR}).reset_index(drop=True)


def change_table(
    table: pd.DataFrame, ref: Reference, year: int, measure: str, unit_ids: Collection[str]
) -> pd.DataFrame:
    """Score and rank changes versus the previous year for the group (numbers kept numeric so the
    table sorts; the page formats them)."""
    rows = table[(table.year == year) & (table.measure == measure) & table.unit_id.isin(list(unit_ids))]
    rows = rows.sort_values("national_rank")
    return pd.DataFrame(
        {
            PROVINCE: rows.unit_id.map(ref.unit_name),
            "Điểm": rows.value.round(2),
            "Năm so sánh": rows.previous_year,
            "Điểm năm so sánh": rows.previous_value.round(2),
            "Thay đổi điểm": rows.change.round(2),
            "Hạng toàn quốc": rows.national_rank.astype("Int64"),
            "Thay đổi hạng toàn quốc": rows.national_rank_change.astype("Int64"),
            "Hạng trong nhóm": rows.group_rank.astype("Int64"),
            "Thay đổi hạng trong nhóm": rows.group_rank_change.astype("Int64"),
            "Nhóm": rows.performance_group,
        }
    ).reset_index(drop=True)


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
