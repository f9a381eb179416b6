"""The year's change in the aggregate, dimension by dimension (issue 22's waterfall): the aggregate is the sum of
the dimensions, so its change from the previous year is the sum of theirs, plus the rounding of the published
figures. Refused rather than bridged where the parts do not add up to the whole: across the 2018 method change
(6 dimensions on 6–60 against 8 on 8–80), without a previous year, or where a dimension lacks a score in either
year (it would carry the whole difference)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

import pandas as pd

from papi_analysis.domain import TOTAL, crosses_method_change, dimensions_for_year


class Refusal(Enum):
    NO_TOTAL = "no_total"  # no aggregate this year
    NO_PREVIOUS = "no_previous"  # no earlier year with an aggregate
    METHOD_CHANGE = "method_change"  # the previous year is on the six-dimension scale
    MISSING_DIMENSION = "missing_dimension"  # a dimension without a score in either year


@dataclass(frozen=True)
class TotalChange:
    """The aggregate's change from previous_year to year and each dimension's share of it."""

    unit_id: str
    year: int
    previous_year: int | None
    previous_total: float | None
    total: float | None
    parts: tuple[tuple[str, float], ...] = ()  # (dimension, change), D1…D8
    refusal: Refusal | None = None
    missing: tuple[str, ...] = ()  # the dimensions without a score in either year (MISSING_DIMENSION)

    @property
    def change(self) -> float | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total

    @property
    def rounding(self) -> float:
        """The published aggregate's change less the sum of the dimensions' (their rounding); 0 when refused."""
        if self.refusal is not None or self.change is None:
            return 0.0
        return self.change - sum(change for _, change in self.parts)


def total_change(table: pd.DataFrame, unit_id: str, year: int) -> TotalChange:
    """table: metrics.rank_table (its previous_year: the aggregate's last earlier year with a score, which every
    dimension is compared with)."""
    rows = table[table.unit_id.to_numpy() == unit_id]
    now = _values(rows, year)
    if TOTAL not in now:
        return TotalChange(unit_id, year, None, None, None, refusal=Refusal.NO_TOTAL)
    total_row = rows[(rows.year.to_numpy() == year) & (rows.measure.to_numpy() == TOTAL)].iloc[0]
    if pd.isna(total_row.previous_year):
        return TotalChange(unit_id, year, None, None, now[TOTAL], refusal=Refusal.NO_PREVIOUS)
    previous_year = int(total_row.previous_year)
    before = _values(rows, previous_year)
    change = TotalChange(unit_id, year, previous_year, before[TOTAL], now[TOTAL])
    if crosses_method_change(previous_year, year):
        return replace(change, refusal=Refusal.METHOD_CHANGE)
    codes = dimensions_for_year(year)
    missing = tuple(code for code in codes if code not in now or code not in before)
    if missing:
        return replace(change, refusal=Refusal.MISSING_DIMENSION, missing=missing)
    return replace(change, parts=tuple((code, now[code] - before[code]) for code in codes))


def _values(rows: pd.DataFrame, year: int) -> dict[str, float]:
    chosen = rows[rows.year.to_numpy() == year]
    return dict(zip(chosen.measure, chosen.value.astype(float), strict=True))
