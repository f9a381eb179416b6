"""Ranks, changes, performance groups, gaps and weak dimensions (pure pandas, no I/O).

Rules (the README lists them for users too):
- Ranks are computed per year and measure among the units with a value, on the published
  two-decimal figures; equal two-decimal scores share the better rank (method 'min').
- Performance groups are quartiles of the year's raw values (linear-interpolated percentiles):
  Cao nhất ≥ P75 > Trung bình cao ≥ P50 > Trung bình thấp ≥ P25 > Thấp nhất. groups_if and rank_among apply
  the same two rules to a score a unit does not have yet (results/targets.py: what it takes).
- A change compares with the previous year in which the same unit has a value for the measure.
  Across 2017→2018 the aggregate changed scale (6–60 → 8–80): its change is not computed and the
  row is flagged; dimension changes across the break are computed but flagged too.
- Gaps are reference minus value (positive: behind the reference).
- Weak dimensions are the dimensions in the two lower groups (Trung bình thấp, Thấp nhất),
  weakest group first, then by national rank.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from papi_analysis.bounds import BOUND_KEYS
from papi_analysis.domain import DIMENSIONS, EIGHT_DIMENSION_FROM, GROUPS, TOTAL, WEAK_GROUPS, same_scale

_CELL = ["year", "measure"]
PEERS = "peers"  # comparison_id of the hand-picked group
PUBLISHED_DECIMALS = 2  # published documents quote scores at two decimals, and ranks follow those figures
QUARTILES = (0.25, 0.5, 0.75)  # the groups' cuts, linear-interpolated (numpy's and pandas' default, as PAPI)


def published(values):
    """The figures ranks follow: scores at two decimals (a Series, an array or a number)."""
    return np.round(values, PUBLISHED_DECIMALS)


def _ranks(frame: pd.DataFrame, by: list[str]) -> tuple[pd.Series, pd.Series]:
    grouped = frame.groupby(by, sort=False)["score_2dp"]
    return grouped.rank(ascending=False, method="min"), grouped.transform("size")


def rank_among(value: float, others: np.ndarray) -> int:
    """The rank `value` would have among `others` (the other units' scores of a year and measure, in a ranking):
    rank_table's rule — on the published figures, equal figures sharing the better rank ('min'), i.e. one plus
    the number of others whose figure is higher."""
    return 1 + int(np.count_nonzero(published(np.asarray(others, dtype=float)) > published(float(value))))


def group_of(values: np.ndarray, q25: np.ndarray, q50: np.ndarray, q75: np.ndarray) -> np.ndarray:
    """The performance group of each value against its year's quartiles (arrays)."""
    return np.select([values >= q75, values >= q50, values >= q25], GROUPS[:3], GROUPS[3])


def performance_group(values: pd.Series, q25: pd.Series, q50: pd.Series, q75: pd.Series) -> pd.Series:
    return pd.Series(group_of(values, q25, q50, q75), index=values.index)


def groups_if(candidates: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The performance group each candidate score would put a unit in, the other units' scores of the year
    and measure staying as they are: the year's quartiles recomputed with the unit at that score (it is one
    of the units the cuts are computed over), then group_of."""
    candidates = np.asarray(candidates, dtype=float)
    others = np.asarray(others, dtype=float)
    grid = np.column_stack([np.broadcast_to(others, (len(candidates), len(others))), candidates])
    q25, q50, q75 = np.quantile(grid, QUARTILES, axis=1)
    return group_of(candidates, q25, q50, q75)


def rank_table(
    scores: pd.DataFrame,
    units: pd.DataFrame,
    peers: Collection[str] | None = None,
    measures: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per (year, unit, measure) with a value, enriched with every metric.

    scores: year, unit_id, measure, value (and ci_low, ci_high, std_error if stored: kept). units: unit_id,
    region_id.
    peers: the comparison group's unit ids; None means each unit's own region. Columns
    ``comparison_*`` hold the rank, size, best, median and mean within that group (NaN outside it);
    ``comparison_id`` names the group (a region id, or PEERS).
    """
    bounds = [c for c in BOUND_KEYS if c in scores.columns]  # carried through: the pages show them beside the value
    frame = scores.loc[scores.value.notna(), ["year", "unit_id", "measure", "value", *bounds]]
    if measures is not None:
        frame = frame[frame.measure.isin(list(measures))]
    frame = frame.merge(units[["unit_id", "region_id"]], on="unit_id", how="left")
    frame["score_2dp"] = published(frame.value)

    frame["national_rank"], frame["national_n"] = _ranks(frame, _CELL)
    national = frame.groupby(_CELL, sort=False)["value"]
    frame["national_best"] = national.transform("max")
    frame["national_median"] = national.transform("median")
    quartiles = national.quantile(list(QUARTILES)).unstack()  # linear interpolation, as PAPI
    quartiles.columns = ["p25", "p50", "p75"]
    frame = frame.join(quartiles, on=_CELL)
    frame["performance_group"] = performance_group(frame.value, frame.p25, frame.p50, frame.p75)

    if peers is None:
        frame["comparison_id"] = frame.region_id
    else:
        frame["comparison_id"] = np.where(frame.unit_id.isin(list(peers)), PEERS, None)
    in_group = frame[frame.comparison_id.notna()]
    by = [*_CELL, "comparison_id"]
    ranks, sizes = _ranks(in_group, by)
    frame["comparison_rank"], frame["comparison_n"] = ranks, sizes
    group_values = in_group.groupby(by, sort=False)["value"]
    frame["comparison_best"] = group_values.transform("max")
    frame["comparison_median"] = group_values.transform("median")
    frame["comparison_mean"] = group_values.transform("mean")

    for reference in ("national_best", "national_median", "comparison_best", "comparison_median"):
        frame[f"gap_to_{reference}"] = frame[reference] - frame.value

    frame = frame.sort_values(["unit_id", "measure", "year"], ignore_index=True)
    previous = frame.groupby(["unit_id", "measure"], sort=False)[
        ["year", "value", "national_rank", "comparison_rank"]
    ].shift(1)
    frame["previous_year"] = previous.year.astype("Int64")
    frame["previous_value"] = previous.value
    frame["previous_national_rank"] = previous.national_rank
    frame["previous_comparison_rank"] = previous.comparison_rank
    frame["scale_break"] = crosses_scale_break(frame.previous_year, frame.year)
    change = frame.value - frame.previous_value
    frame["change"] = change.where(~(frame.scale_break & (frame.measure == TOTAL)))
    frame["national_rank_change"] = frame.previous_national_rank - frame.national_rank
    frame["comparison_rank_change"] = frame.previous_comparison_rank - frame.comparison_rank
    return frame.sort_values(["year", "measure", "national_rank", "unit_id"], ignore_index=True)


def crosses_scale_break(previous_year: pd.Series, year: pd.Series) -> pd.Series:
    """True where a change from previous_year to year crosses the 2018 method change."""
    crosses = (previous_year < EIGHT_DIMENSION_FROM) & (year >= EIGHT_DIMENSION_FROM)
    return crosses.fillna(False).astype(bool)


def comparison_by_year(table: pd.DataFrame, unit_ids: Collection[str], measure: str) -> pd.DataFrame:
    """Per year: the comparison group's best, median and mean, and the national median, read from
    rank_table rows of the group's members (computed with this group's peers)."""
    rows = table[(table.measure == measure) & table.unit_id.isin(list(unit_ids))]
    group = rows.groupby("year")[["comparison_best", "comparison_median", "comparison_mean"]].first()
    national = table[table.measure == measure].groupby("year")[["national_best", "national_median"]].first()
    return group.join(national, how="outer").sort_index()


def comparison_profile(table: pd.DataFrame, unit_ids: Collection[str], year: int) -> pd.DataFrame:
    """comparison_by_year for one year, one row per measure."""
    rows = table[table.year.to_numpy() == year]
    group = rows[rows.unit_id.isin(list(unit_ids))].groupby("measure")
    national = rows.groupby("measure")[["national_best", "national_median"]].first()
    profile = group[["comparison_best", "comparison_median", "comparison_mean"]].first()
    return profile.join(national, how="outer")


def same_era_history(table: pd.DataFrame, unit_id: str, year: int, measure: str = TOTAL) -> pd.DataFrame:
    """A unit's rows of a measure in the years on the same scale as `year` (no line across 2018)."""
    rows = table[(table.unit_id == unit_id) & (table.measure == measure)]
    return rows[rows.year.map(lambda y: same_scale(y, year))].sort_values("year")


def weakest_first(unit_year: pd.DataFrame | list[dict]) -> list[str]:
    """Every dimension that has a group, weakest group first, then by national rank (worst first)."""
    records = unit_year.to_dict("records") if isinstance(unit_year, pd.DataFrame) else unit_year
    severity = {g: i for i, g in enumerate(reversed(GROUPS))}
    grouped = [r for r in records if r["measure"] in DIMENSIONS and r["performance_group"] in severity]
    grouped.sort(key=lambda r: (severity[r["performance_group"]], -r["national_rank"]))
    return [r["measure"] for r in grouped]


def weak_dimensions(unit_year: pd.DataFrame | list[dict]) -> list[str]:
    """Dimensions in the two lower groups, weakest group first, then by national rank (worst first)."""
    records = unit_year.to_dict("records") if isinstance(unit_year, pd.DataFrame) else unit_year
    groups = {r["measure"]: r["performance_group"] for r in records}
    return [m for m in weakest_first(records) if groups[m] in WEAK_GROUPS]


def units_ahead(year_rows: pd.DataFrame, measure: str = TOTAL) -> dict[str, list[str]]:
    """For every unit of a year's rows: the units ranked above it in its comparison group, best first."""
    rows = year_rows.loc[
        (year_rows.measure.to_numpy() == measure) & year_rows.comparison_rank.notna().to_numpy(),
        ["unit_id", "comparison_id", "comparison_rank"],
    ].sort_values("comparison_rank")
    ahead: dict[str, list[str]] = {}
    for _, group in rows.groupby("comparison_id", sort=False):
        ranked = list(zip(group.unit_id, group.comparison_rank, strict=True))
        for unit_id, rank in ranked:
            ahead[unit_id] = [other for other, other_rank in ranked if other_rank < rank]
    return ahead


def ahead_in_comparison(table: pd.DataFrame, unit_id: str, year: int, measure: str = TOTAL) -> list[str]:
    """Unit ids ranked above the focus unit in its comparison group, best first."""
    return units_ahead(table[table.year.to_numpy() == year], measure).get(unit_id, [])
