"""Whether the focus unit's aggregate differs from other units' beyond chance, from the 95% confidence intervals
PAPI publishes (issue 11, item 5).

The rule is the conservative one readers of PAPI use: two units whose intervals overlap are not said to differ
significantly ("không khác biệt có ý nghĩa thống kê"). Only units with a stored interval that year are
compared; where the focus unit has none, nothing is said.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import TOTAL
from papi_analysis.reference import Reference


@dataclass(frozen=True)
class Overlap:
    low: float
    high: float
    overlapping: tuple[str, ...]  # unit ids whose interval meets the focus unit's (the focus unit not counted)
    compared: int  # other units with an interval that year


def overlaps(table: pd.DataFrame, unit_id: str, year: int, measure: str = TOTAL) -> Overlap | None:
    """table: rows with year, unit_id, measure, value, ci_low, ci_high (a rank table or the stored scores)."""
    if "ci_low" not in table.columns:
        return None
    rows = table[(table.year == year) & (table.measure == measure) & table.ci_low.notna() & table.ci_high.notna()]
    focus = rows[rows.unit_id == unit_id]
    if focus.empty:
        return None
    low, high = float(focus.ci_low.iloc[0]), float(focus.ci_high.iloc[0])
    others = rows[rows.unit_id != unit_id].sort_values("value", ascending=False)
    meet = others[(others.ci_low <= high) & (others.ci_high >= low)]
    return Overlap(low=low, high=high, overlapping=tuple(meet.unit_id), compared=len(others))


def overlap_note(overlap: Overlap, ref: Reference, unit_id: str, group: tuple[str, ...] = ()) -> str:
    """The overview's sentence: the interval, how many units the focus unit does not differ from, and which of
    them are in its comparison group."""
    name = ref.unit_name(unit_id)
    count = len(overlap.overlapping)
    text = (
        f"Khoảng tin cậy 95% của điểm tổng hợp: {fmt.number(overlap.low)}–{fmt.number(overlap.high)}. "
        f"{name} không khác biệt có ý nghĩa thống kê với {count} tỉnh, thành phố "
        f"(khoảng tin cậy giao nhau; trong {overlap.compared} tỉnh, thành phố có khoảng tin cậy năm này)"
    )
    in_group = [ref.unit_name(u) for u in overlap.overlapping if u in set(group)]
    if in_group:
        text += ", trong nhóm so sánh: " + ", ".join(in_group)
    return text + "."
