"""Fixed facts of the PAPI index that code relies on (names for display live in data/measures.csv)."""

from __future__ import annotations

TOTAL = "TOTAL"
# The weighted aggregate PAPI publishes beside the headline (unweighted) one; stored as a measure of its own.
WEIGHTED_TOTAL = "TOTAL_W"
DIMENSIONS = tuple(f"D{i}" for i in range(1, 9))
SIX_DIMENSIONS = DIMENSIONS[:6]

# 2018 added D7 and D8 and changed several dimensions: the aggregate moved from 6–60 to 8–80.
EIGHT_DIMENSION_FROM = 2018
FIRST_YEAR = 2009  # the first PAPI survey; all 63 provinces from 2011
ALL_PROVINCES_FROM = 2011
# D1, D3 and D5 were rebuilt in 2016: long trends of these dimensions compare different questions.
REBUILT_2016 = ("D1", "D3", "D5")

# Performance groups by quartile of the year's distribution, best first (see PAPI.md).
GROUPS = ("Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất")
WEAK_GROUPS = GROUPS[2:]

# Unit sets: the 63 provinces until 30/06/2025, the 34 units from 01/07/2025 (NQ 202/2025/QH15).
OLD_UNITS = "old"
NEW_UNITS = "new"
UNIT_SET_LABELS = {
    OLD_UNITS: "63 tỉnh, thành phố (trước 01/07/2025)",
    NEW_UNITS: "34 tỉnh, thành phố (từ 01/07/2025)",
}
UNIT_SET_SHORT = {OLD_UNITS: "63 tỉnh", NEW_UNITS: "34 đơn vị"}
UNIT_SET_NOUNS = {OLD_UNITS: "63 tỉnh, thành phố", NEW_UNITS: "34 tỉnh, thành phố"}
# The focus province when nobody chose one: the province this dashboard was built for.
HOME_PROVINCE = "Sóc Trăng"
REORGANISATION_DATE = "2025-07-01"
REORGANISATION_ACT = "Nghị quyết số 202/2025/QH15"


def dimensions_for_year(year: int) -> tuple[str, ...]:
    return DIMENSIONS if has_eight_dimensions(year) else SIX_DIMENSIONS


def has_eight_dimensions(year: int) -> bool:
    return year >= EIGHT_DIMENSION_FROM


def same_scale(year: int, other: int) -> bool:
    """Both years on the same aggregate scale (both before 2018, or both from 2018)."""
    return has_eight_dimensions(year) == has_eight_dimensions(other)


def crosses_method_change(previous_year: int | None, year: int) -> bool:
    """A change from previous_year to year compares a ranking of 6 dimensions with one of 8 (2017 -> 2018,
    or 2017 -> 2019 for a province without a 2018 score): shown only flagged, naming the year."""
    return previous_year is not None and not has_eight_dimensions(previous_year) and has_eight_dimensions(year)


def total_scale(year: int) -> tuple[float, float]:
    """Range of the unweighted aggregate in a year: 6–60 before 2018, 8–80 from 2018."""
    n = len(dimensions_for_year(year))
    return float(n), float(10 * n)


def scale_label(measure: str, year: int) -> str:
    """The axis unit of a measure in a year: 'điểm (thang 8–80)' or 'điểm (thang 1–10)'."""
    if measure == TOTAL:
        low, high = total_scale(year)
        return f"điểm (thang {int(low)}–{int(high)})"
    return "điểm (thang 1–10)"


def parent_dimension(code: str) -> str:
    """'D5.3' -> 'D5'; dimensions and the aggregate are their own parent."""
    return code.split(".", 1)[0]
