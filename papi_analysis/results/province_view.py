"""A province's summary as the command line and the report ask for it: a name (of either unit set) and a
year, answered for the unit that year's results are about."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import REORGANISATION_DATE, UNIT_SET_LABELS
from papi_analysis.reference import Reference
from papi_analysis.results.comparison_group import comparison_group, region_by_name
from papi_analysis.results.lineage import counterpart, label
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.summary import ProvinceSummary, province_summary
from papi_analysis.store.database import Store


def _year_unit_set(store: Store, year: int) -> str | None:
    years = store.years()
    match = years[years.year == year]
    return None if match.empty else str(match.unit_set.iloc[0])


def build_summary(store: Store, ref: Reference, province: str, year: int, region: str | None = None) -> ProvinceSummary:
    """The summary of a province name and year (raises UnknownName / ValueError)."""
    return build_view(store, ref, province, year, region)[0]


def build_view(
    store: Store, ref: Reference, province: str, year: int, region: str | None = None
) -> tuple[ProvinceSummary, pd.DataFrame]:
    """The summary of a province name and year, and the rank table it was computed from. A province of
    the other unit set answers for the unit it is in that year (Sóc Trăng in 2025: Cần Thơ), saying so first."""
    unit_set = _year_unit_set(store, year)
    if unit_set is None:
        available = ", ".join(map(str, store.years().year))
        raise ValueError(f"Chưa có số liệu PAPI năm {year} (có: {available}).")
    asked = ref.find_unit(province, unit_set)
    unit_id = counterpart(ref, asked, unit_set) or asked
    region_id = region_by_name(ref, region) if region else None
    comparison = comparison_group(ref, unit_id, unit_set, region_id=region_id)
    table = rank_table(store.scores(), ref.units, peers=comparison.peers)
    summary = province_summary(table, ref, unit_id, year, comparison, unit_set)
    if unit_id != asked:
        summary = replace(summary, lineage_note=_lineage_note(ref, asked, unit_id, year, unit_set))
    return summary, table


def _lineage_note(ref: Reference, asked: str, unit_id: str, year: int, unit_set: str) -> str:
    """Said before the answer when the name asked for is a unit of the other set."""
    year_set = f"PAPI {year} đánh giá theo {UNIT_SET_LABELS[unit_set]}"
    name, answer = ref.unit_name(asked), label(ref, unit_id)
    if ref.successor(asked) == unit_id:
        return (
            f"Từ {fmt.day(REORGANISATION_DATE)}, {name} thuộc {answer}. {year_set}: kết quả dưới đây là của {answer}."
        )
    return f"{year_set}: kết quả dưới đây là của {answer}, nay thuộc {name}."
