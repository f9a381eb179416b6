"""What it takes (issue 22): for the focus unit in a year and every measure it has a score for — the aggregate,
the dimensions, the sub-dimensions where stored — the points to the next performance group, the margin above
its own group's lower cut, the points to a target national or regional rank, and the places +0,10 would buy.

Every figure holds *if the other units keep their scores* (present/target_text.py says so in words):
- A group's cut is the lowest score the group rule (metrics.groups_if: the year's quartiles, linear
  percentiles, then performance_group) puts in that group with the unit at that score. The unit is one of the
  units the quartiles are computed over, so moving its own score moves them a little: the score to reach is
  the year's quartile when the quartile falls on a unit's score, and the next other unit's score above it when
  it falls between two. Either way it is one of the other units' scores, so the rule is evaluated at each of
  them (tests/results/test_targets.py recomputes it by hand).
- A rank follows the published two-decimal figures and equal figures share the better rank (metrics.rank_among);
  the regional rank is the same within the comparison group (the unit's region, or the group chosen).
Points are hundredths, as a leader reads them: the points needed are rounded up (adding them reaches the goal,
0,01 less does not), a margin is rounded down (losing it keeps the group, 0,01 more does not). Where the unit's
95% confidence interval is stored and the score to reach lies inside it, the difference is within the margin
of error (`within_ci`). No figure for a unit or a measure without a score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum

import numpy as np
import pandas as pd

from papi_analysis.domain import DIMENSIONS, GROUPS, TOTAL, parent_dimension
from papi_analysis.results.metrics import groups_if, published, rank_among

TENTH = 0.1  # the gain whose places are counted (ranks_per_tenth)
HUNDREDTH = 0.01
# What every figure assumes, said beside them (pages, command line, plan draft) and in `summary --json`.
TARGETS_NOTE = (
    "Giả định các tỉnh, thành phố khác giữ nguyên điểm năm {year}. Điểm cần thêm làm tròn lên, dư địa làm tròn "
    "xuống đến 0,01 điểm; thứ hạng theo điểm làm tròn 2 chữ số thập phân như số liệu công bố."
)


class Scope(Enum):
    NATIONAL = "national"
    REGIONAL = "regional"  # within the comparison group: the unit's region, another region or a chosen list


@dataclass(frozen=True)
class RankGoal:
    """A rank a leader aims for, nationally or within the comparison group."""

    rank: int
    scope: Scope = Scope.NATIONAL

    @property
    def cache_key(self) -> str:
        """Every field, as text: what a cache of results per goal is keyed on (as Comparison.cache_key)."""
        return f"{self.rank}:{self.scope.value}"


@dataclass(frozen=True)
class GroupStep:
    """A group's cut and the points between it and the unit's score."""

    group: str  # the group reached (to_next_group) or fallen into (margin_to_lower_group)
    cut: float  # the lowest score in the group above; for a margin, the lowest score that keeps the current group
    points: float  # hundredths: rounded up for a step, down for a margin
    within_ci: bool | None  # the cut lies inside the unit's 95% confidence interval (None: no interval stored)


@dataclass(frozen=True)
class RankStep:
    """The points that reach a rank goal (0 when the unit is already there or better)."""

    goal: RankGoal
    ranked: int  # units in the ranking (with a score)
    rank_now: int
    score: float  # the published figure reached
    points: float
    within_ci: bool | None  # the score to reach lies inside the unit's 95% confidence interval

    @property
    def reached(self) -> bool:
        return self.points == 0


@dataclass(frozen=True)
class MeasureTargets:
    """What it takes in one measure, if the other units keep their scores."""

    code: str
    score: float
    group: str
    national_rank: int
    national_n: int
    ci_low: float | None
    ci_high: float | None
    to_next_group: GroupStep | None  # None in the top group
    margin_to_lower_group: GroupStep | None  # None in the lowest group
    ranks_per_tenth: int  # national places +0,10 would buy
    to_rank: RankStep | None = None  # with a goal; None where the ranking has no such rank
    cuts: tuple[tuple[str, float], ...] = ()  # each group but the lowest: the lowest score in it (group_cuts)

    def to_group(self, group: str) -> GroupStep | None:
        """The step to a chosen group (a leader's target); None when the unit is in it or a better one."""
        if GROUPS.index(group) >= GROUPS.index(self.group):
            return None
        return _step_up(self.score, group, dict(self.cuts)[group], (self.ci_low, self.ci_high))

    @property
    def payoff(self) -> tuple:
        """Where effort pays most first: most places per +0,10, then fewest points to the next group."""
        step = self.to_next_group.points if self.to_next_group else math.inf
        return (-self.ranks_per_tenth, step)


@dataclass(frozen=True)
class UnitTargets:
    """A unit's targets in a year: the aggregate, the dimensions, then the sub-dimensions (each with a score)."""

    unit_id: str
    year: int
    goal: RankGoal | None
    measures: tuple[MeasureTargets, ...]

    def measure(self, code: str) -> MeasureTargets | None:
        return next((m for m in self.measures if m.code == code), None)

    @property
    def total(self) -> MeasureTargets | None:
        return self.measure(TOTAL)

    @property
    def dimensions(self) -> tuple[MeasureTargets, ...]:
        return tuple(m for m in self.measures if m.code in DIMENSIONS)

    def subdimensions(self, dimension: str) -> tuple[MeasureTargets, ...]:
        return tuple(m for m in self.measures if "." in m.code and parent_dimension(m.code) == dimension)

    def by_payoff(self, measures: tuple[MeasureTargets, ...] | None = None) -> list[MeasureTargets]:
        """The measures (default: the dimensions) ordered where effort pays most first."""
        chosen = self.dimensions if measures is None else measures
        return sorted(chosen, key=lambda m: m.payoff)  # stable: D1…D8 order among equals


# --- the computation ---------------------------------------------------------------------------------
def _up(points: float) -> float:
    """Hundredths, rounded up (float noise such as 0.30000000000000004 is not a hundredth more)."""
    return max(0.0, math.ceil(round(points * 100, 6)) / 100)


def _down(points: float) -> float:
    return max(0.0, math.floor(round(points * 100, 6)) / 100)


def _within(score: float, ci_low: float | None, ci_high: float | None) -> bool | None:
    if ci_low is None or ci_high is None:
        return None
    return bool(ci_low <= score <= ci_high)


def group_cuts(others: np.ndarray) -> dict[str, float]:
    """For each group but the lowest, the lowest score the group rule puts in it, the other units' scores
    staying as they are. That score is always one of theirs, so the rule is evaluated at each of them."""
    candidates = np.unique(others)
    if not len(candidates):
        return {}
    level = np.array([GROUPS.index(g) for g in groups_if(candidates, others)])  # 0: the best group
    return {group: float(candidates[level <= i].min()) for i, group in enumerate(GROUPS[:-1])}


def _step_up(score: float, group: str, cut: float, ci: tuple) -> GroupStep:
    """The group is reached from the cut up (group_cuts: the rule is monotone in the unit's score)."""
    points = _up(cut - score)
    if score + points < cut:  # a float an ulp short of the cut
        points = round(points + HUNDREDTH, 2)
    return GroupStep(group, cut, points, _within(cut, *ci))


def _margin(score: float, group: str, cut: float, ci: tuple) -> GroupStep:
    points = _down(score - cut)
    if points and score - points < cut:
        points = round(points - HUNDREDTH, 2)
    return GroupStep(group, cut, points, _within(cut, *ci))


def _rank_step(score: float, others: np.ndarray, goal: RankGoal, ci: tuple) -> RankStep | None:
    """The least hundredths that give the goal's rank or better; None when the ranking has no such rank."""
    ranked, now = len(others) + 1, rank_among(score, others)
    if not 1 <= goal.rank <= ranked:
        return None
    points = 0.0
    if now > goal.rank:
        figures = np.sort(published(others))[::-1]
        points = _up(figures[goal.rank - 1] - published(score))  # equal to the goal.rank-th other: its rank
        while rank_among(score + points, others) > goal.rank:  # the raw score rounds down at the edge
            points = round(points + HUNDREDTH, 2)
        while points >= HUNDREDTH and rank_among(score + points - HUNDREDTH, others) <= goal.rank:
            points = round(points - HUNDREDTH, 2)
    reached = float(published(score + points))
    return RankStep(goal, ranked, now, reached, points, _within(score + points, *ci))


@dataclass(frozen=True)
class _Year:
    """One year's rows of the target measures as arrays (pandas per measure would cost more than the maths)."""

    measure: np.ndarray
    unit_id: np.ndarray
    value: np.ndarray
    comparison_id: np.ndarray

    @classmethod
    def of(cls, rows: pd.DataFrame) -> _Year:
        group = rows.comparison_id.astype(object).where(rows.comparison_id.notna(), None)
        return cls(rows.measure.to_numpy(), rows.unit_id.to_numpy(), rows.value.to_numpy(float), group.to_numpy())

    def others(self, measure: str, unit_id: str, comparison_id: object = None) -> np.ndarray:
        """The other units' scores of a measure (within a comparison group when one is given)."""
        keep = (self.measure == measure) & (self.unit_id != unit_id)
        if comparison_id is not None:
            keep &= self.comparison_id == comparison_id
        return self.value[keep]


def _bound(row: dict, name: str) -> float | None:
    value = row.get(name)
    return None if value is None or pd.isna(value) else float(value)


def _measure_targets(row: dict, year: _Year, goal: RankGoal | None) -> MeasureTargets:
    """row: the unit's rank_table row of the measure."""
    others = year.others(row["measure"], row["unit_id"])
    score, group = float(row["value"]), str(row["performance_group"])
    ci = (_bound(row, "ci_low"), _bound(row, "ci_high"))
    cuts, level = group_cuts(others), GROUPS.index(group)
    above = GROUPS[level - 1] if level > 0 and cuts else None
    below = GROUPS[level + 1] if level < len(GROUPS) - 1 and cuts else None
    result = MeasureTargets(
        code=str(row["measure"]),
        score=score,
        group=group,
        national_rank=int(row["national_rank"]),
        national_n=int(row["national_n"]),
        ci_low=ci[0],
        ci_high=ci[1],
        to_next_group=_step_up(score, above, cuts[above], ci) if above else None,
        margin_to_lower_group=_margin(score, below, cuts[group], ci) if below else None,
        ranks_per_tenth=rank_among(score, others) - rank_among(score + TENTH, others),
        cuts=tuple(cuts.items()),
    )
    if goal is None:
        return result
    if goal.scope is Scope.REGIONAL:
        group_id = row.get("comparison_id")
        if group_id is None or pd.isna(group_id):
            return result
        others = year.others(row["measure"], row["unit_id"], group_id)
    return replace(result, to_rank=_rank_step(score, others, goal, ci))


def _order(code: str) -> tuple:
    """The aggregate, D1…D8, then the sub-dimensions ('D1.10' after 'D1.9')."""
    if code == TOTAL:
        return (0,)
    return (1 if "." not in code else 2, *(int(x) for x in code[1:].split(".")))


def is_target_measure(codes: pd.Series) -> pd.Series:
    """The measures targets are computed for: the aggregate, the dimensions and their sub-dimensions (not the
    weighted aggregate)."""
    return (codes == TOTAL) | codes.map(parent_dimension).isin(DIMENSIONS)


def unit_targets(table: pd.DataFrame, unit_id: str, year: int, goal: RankGoal | None = None) -> UnitTargets:
    """table: metrics.rank_table, computed with the comparison group whose rank a regional goal aims at."""
    year_rows = table[table.year.to_numpy() == year]
    year_rows = year_rows[is_target_measure(year_rows.measure).to_numpy()]
    focus = year_rows[year_rows.unit_id.to_numpy() == unit_id]
    arrays = _Year.of(year_rows)
    measures = [_measure_targets(row, arrays, goal) for row in focus.to_dict("records")]
    return UnitTargets(unit_id, year, goal, tuple(sorted(measures, key=lambda m: _order(m.code))))


# --- summary --json ----------------------------------------------------------------------------------
def _step_json(step: GroupStep | None) -> dict[str, object] | None:
    if step is None:
        return None
    return {
        "group": step.group,
        "points": step.points,
        "score": round(step.cut, 6),
        "within_margin_of_error": step.within_ci,
    }


def _rank_json(step: RankStep | None) -> dict[str, object] | None:
    if step is None:
        return None
    return {
        "rank": step.goal.rank,
        "points": step.points,
        "score": step.score,
        "scope": step.goal.scope.value,
        "ranked": step.ranked,
        "rank_now": step.rank_now,
        "within_margin_of_error": step.within_ci,
    }


def json_keys(targets: UnitTargets, code: str) -> dict[str, object]:
    """The keys `summary --json` adds to a measure's object (null where the unit has no score for it):
    to_next_group ({group, points, score, within_margin_of_error}; null in the top group), margin_to_lower_group
    (points; null in the lowest group), ranks_per_tenth, and with a goal to_rank ({rank, points, score, scope,
    ranked, rank_now, within_margin_of_error}; null where the ranking has no such rank)."""
    m = targets.measure(code)
    keys: dict[str, object] = {
        "to_next_group": _step_json(m.to_next_group) if m else None,
        "margin_to_lower_group": m.margin_to_lower_group.points if m and m.margin_to_lower_group else None,
        "ranks_per_tenth": m.ranks_per_tenth if m else None,
    }
    if targets.goal is not None:
        keys["to_rank"] = _rank_json(m.to_rank) if m else None
    return keys
