"""Below the dimension: sub-dimensions and indicators, as the dimension page shows them (issue 11, item 5).

- Sub-dimensions of a dimension exist in some years only (2011–2016 in the verified data; later years when an
  official workbook was loaded). The page shows the year in view if it has them, else the latest earlier year
  that has them, else the latest year; only years of the focus unit's unit set count (63 provinces until
  2024, 34 units from 2025), since the focus unit has no scores in the other set.
- Each sub-dimension of the focus unit against its comparison group's best and median, with its 95%
  confidence interval where stored.
- Indicators are not scores: a higher value is not always better (a share of people who paid a bribe), so
  they get no rank or group; the table sets the focus unit's value beside the group's and the nation's
  median and range, and sorts.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import parent_dimension
from papi_analysis.present import tables

INDICATOR, UNIT, PART = "Chỉ tiêu", "Đơn vị", "Thuộc"


def subdimension_years(scores: pd.DataFrame, dimension: str, year_sets: dict[int, str], unit_set: str) -> list[int]:
    """Years with a stored sub-dimension of `dimension`, in the unit set of the focus unit."""
    has = scores[scores.measure.str.startswith(dimension + ".")].year.unique()
    return sorted(int(y) for y in has if year_sets.get(int(y)) == unit_set)


def shown_year(years: list[int], year: int) -> int | None:
    """The year in view if it has sub-dimensions, else the latest year before it, else the latest."""
    if not years:
        return None
    if year in years:
        return year
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else years[-1]


def parts_axis(count: int) -> str:
    """The axis of a dimension's sub-dimensions: each is on 1/k–10/k, k the number of parts shown."""
    return f"điểm (mỗi thành phần từ {fmt.number(1 / count)} đến {fmt.number(10 / count)})"


def subdimension_profile(parts: pd.DataFrame) -> pd.DataFrame:
    """tables.subdimension_parts as the chart takes them: code, name, value, ci_low, ci_high, group_best,
    group_median."""
    return parts[["code", "name", "value", "ci_low", "ci_high", "group_best", "group_median"]]


def interval_text(low: float | None, high: float | None) -> str:
    """'0,63–0,77', or '—' where no interval is stored."""
    return fmt.MISSING if fmt.is_missing(low) or fmt.is_missing(high) else f"{fmt.number(low)}–{fmt.number(high)}"


def subdimension_rows(parts: pd.DataFrame) -> pd.DataFrame:
    """tables.subdimension_rows with the comparison group's median and, where stored, the 95% interval."""
    out = tables.subdimension_rows(parts)
    out["Trung vị nhóm so sánh"] = [fmt.number(v) for v in parts.group_median]
    if parts.ci_low.notna().any():
        out["Khoảng tin cậy 95%"] = [interval_text(lo, hi) for lo, hi in zip(parts.ci_low, parts.ci_high, strict=True)]
    return out


def indicator_rows(
    indicators: pd.DataFrame,
    labels: pd.DataFrame,
    unit_id: str,
    peers: Collection[str],
    dimension: str,
    year: int,
    focus: str,
) -> pd.DataFrame:
    """The indicators of a dimension in a year: the focus unit's value (column `focus`), the comparison group's
    median and the nation's median, lowest and highest; numbers stay numbers (the table sorts)."""
    named = labels[(labels.year == year) & (labels.kind == "indicator")]
    named = named[named.parent.fillna("").map(parent_dimension) == dimension].sort_values("sort_order")
    values = indicators[(indicators.year == year) & indicators.code.isin(list(named.code))]
    if named.empty or values.empty:
        return pd.DataFrame()
    by_code = values.groupby("code").value
    group = values[values.unit_id.isin(list(peers))].groupby("code").value.median()
    own = values[values.unit_id == unit_id].set_index("code").value
    codes = named.code.tolist()
    return pd.DataFrame(
        {
            "Mã": codes,
            INDICATOR: [
                vi if isinstance(vi, str) and vi else en for vi, en in zip(named.name_vi, named.name_en, strict=True)
            ],
            PART: named.parent.to_numpy(),
            UNIT: named.unit.fillna("").to_numpy(),
            focus: own.reindex(codes).to_numpy(),
            "Trung vị nhóm so sánh": group.reindex(codes).to_numpy(),
            "Trung vị cả nước": by_code.median().reindex(codes).to_numpy(),
            "Thấp nhất cả nước": by_code.min().reindex(codes).to_numpy(),
            "Cao nhất cả nước": by_code.max().reindex(codes).to_numpy(),
        }
    )
