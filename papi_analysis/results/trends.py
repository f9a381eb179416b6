"""Series for trend charts, across the 2025 reorganisation: a unit's history is its own years plus, for a
new unit, its predecessors' years before the change, each series under its own name ("Cần Thơ (cũ)",
"Sóc Trăng", "Hậu Giang", then "Cần Thơ"). Lines never join across the change: a score among 63 provinces
and a score among 34 units are different series (no interpolation, no sum, no average of predecessors)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from papi_analysis.domain import NEW_UNITS, TOTAL, same_scale
from papi_analysis.reference import Reference
from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.lineage import before_change, label
from papi_analysis.results.metrics import comparison_by_year

_COLUMNS = ["series", "year", "value"]


@dataclass(frozen=True)
class History:
    """What charts.trend draws: the series, which one is the focus unit, which are its predecessors, and the
    first year of the 34 units (None while there is none; the chart marks it only where lines span it)."""

    frame: pd.DataFrame  # series, year, value
    focus: str
    predecessors: tuple[str, ...] = ()
    change_year: int | None = None


def first_year_of_new_units(table: pd.DataFrame) -> int | None:
    """The first year whose results are in the 34 new units (None while every year is in the 63)."""
    new = table.loc[table.unit_id.str.startswith(NEW_UNITS + ":"), "year"]
    return None if new.empty else int(new.min())


def _rows(table: pd.DataFrame, unit_ids: Iterable[str], measure: str) -> pd.DataFrame:
    return table.loc[(table.measure.to_numpy() == measure) & table.unit_id.isin(list(unit_ids)).to_numpy()]


def lineage_series(table: pd.DataFrame, ref: Reference, unit_ids: Iterable[str], measure: str) -> pd.DataFrame:
    """series, year, value of each unit and, for a new unit, of its predecessors before the change."""
    lineage = {}
    for unit_id in unit_ids:
        lineage |= {old: label(ref, old) for old in before_change(ref, unit_id)}
        lineage[unit_id] = ref.unit_name(unit_id)
    rows = _rows(table, lineage, measure)
    frame = pd.DataFrame({"series": rows.unit_id.map(lineage), "year": rows.year, "value": rows.value})
    order = {name: i for i, name in enumerate(lineage.values())}
    return frame.sort_values(["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c)


def _history(table: pd.DataFrame, ref: Reference, unit_id: str, frame: pd.DataFrame) -> History:
    predecessors = tuple(label(ref, u) for u in before_change(ref, unit_id))
    # Also for an old province: the national median of a 2024 view runs on into the 34 units' years.
    change_year = first_year_of_new_units(table)
    return History(frame.reset_index(drop=True), ref.unit_name(unit_id), predecessors, change_year)


def unit_history(table: pd.DataFrame, ref: Reference, unit_id: str, year: int, measure: str = TOTAL) -> History:
    """The unit's lineage for a measure; the aggregate only in the years on the same scale as `year`."""
    frame = lineage_series(table, ref, [unit_id], measure)
    if measure == TOTAL:
        frame = frame[frame.year.map(lambda y: same_scale(y, year))]
    return _history(table, ref, unit_id, frame)


def group_history(table: pd.DataFrame, ref: Reference, unit_id: str, comparison: Comparison, measure: str) -> History:
    """Every member of the comparison group with its lineage (the comparison page's trend)."""
    return _history(table, ref, unit_id, lineage_series(table, ref, comparison.unit_ids, measure))


def comparison_history(
    table: pd.DataFrame, ref: Reference, unit_id: str, comparison: Comparison, measure: str
) -> History:
    """The focus unit's lineage, the group's best and median (in both unit sets) and the national median."""
    reference = comparison_by_year(table, comparison.all_ids, measure)
    references = {
        f"Cao nhất {comparison.label}": reference.comparison_best,
        f"Trung vị {comparison.label}": reference.comparison_median,
        "Trung vị cả nước": reference.national_median,
    }
    lines = [lineage_series(table, ref, [unit_id], measure)]
    lines += [pd.DataFrame({"series": name, "year": v.index, "value": v.to_numpy()}) for name, v in references.items()]
    return _history(table, ref, unit_id, pd.concat(lines).dropna(subset=["value"])[_COLUMNS])


def missing_years_note(table: pd.DataFrame, ref: Reference, unit_id: str, measure: str) -> str | None:
    """Years PAPI published the measure in a series' unit set but not for that unit (each series of the
    lineage in its own set's years), e.g. 'Không có điểm (PAPI không công bố): Tiền Giang năm 2024.'"""
    rows = table.loc[table.measure.to_numpy() == measure, ["year", "unit_id"]]
    sets = rows.unit_id.map(lambda u: ref.unit(u)["unit_set"])
    published = {s: set(rows.year[sets == s]) for s in set(sets)}
    parts = []
    names = {old: label(ref, old) for old in before_change(ref, unit_id)} | {unit_id: ref.unit_name(unit_id)}
    for unit, name in names.items():
        have = set(rows.year[rows.unit_id == unit])
        missing = sorted(published.get(ref.unit(unit)["unit_set"], set()) - have)
        if missing:
            parts.append(f"{name} năm {', '.join(map(str, missing))}")
    return f"Không có điểm (PAPI không công bố): {'; '.join(parts)}." if parts else None
