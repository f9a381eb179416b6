"""Cached loaders of what it takes (issue 22): a unit's targets and the year's change in its aggregate by
dimension, keyed like ui/loaders.py by the database file's write stamp."""

from __future__ import annotations

from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.targets import RankGoal, UnitTargets, unit_targets
from papi_analysis.results.total_change import TotalChange, total_change
from ui.loaders import PER_VIEW, stamped, table


@stamped(PER_VIEW)
def targets(comparison: Comparison, unit_id: str, year: int, goal: RankGoal | None) -> UnitTargets:
    """targets.unit_targets with the comparison group's ranking for a regional goal (shared, read-only)."""
    return unit_targets(table(comparison), unit_id, year, goal)


@stamped(PER_VIEW)
def change_by_dimension(comparison: Comparison, unit_id: str, year: int) -> TotalChange:
    """total_change.total_change: the aggregate's change from the year before, dimension by dimension."""
    return total_change(table(comparison), unit_id, year)
