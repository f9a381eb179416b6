"""Cached loaders of what lies below the dimensions (sub-dimensions in any year, indicators, confidence
intervals), keyed like ui/loaders.py by the database file's write stamp."""

from __future__ import annotations

import pandas as pd

from papi_analysis.present import depth
from papi_analysis.results import intervals
from papi_analysis.results.comparison_group import Comparison
from ui.loaders import PER_VIEW, SHARED, reference, scores, stamped, store, subdimension_parts, table, year_unit_sets


@stamped(SHARED)
def subdimension_years(dimension: str, unit_set: str) -> list[int]:
    """Years with sub-dimension scores of `dimension` in a unit set's years (depth.subdimension_years)."""
    return depth.subdimension_years(scores(), dimension, year_unit_sets(), unit_set)


@stamped(PER_VIEW)
def subdimension_profile(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """depth.subdimension_profile: the sub-dimension chart's rows (shared, read-only)."""
    return depth.subdimension_profile(subdimension_parts(comparison, unit_id, dimension, year))


@stamped(SHARED)
def _stored() -> tuple[pd.DataFrame, pd.DataFrame]:
    return store().indicators(), store().labels()


@stamped(PER_VIEW)
def indicator_rows(comparison: Comparison, unit_id: str, dimension: str, year: int, focus: str) -> pd.DataFrame:
    """depth.indicator_rows (shared, read-only)."""
    indicators, labels = _stored()
    return depth.indicator_rows(indicators, labels, unit_id, comparison.unit_ids, dimension, year, focus)


@stamped(PER_VIEW)
def overlap_note(comparison: Comparison, unit_id: str, year: int) -> str | None:
    """intervals.overlap_note for the unit's aggregate, or None where no interval is stored."""
    overlap = intervals.overlaps(table(comparison), unit_id, year)
    if overlap is None:
        return None
    return intervals.overlap_note(overlap, reference(), unit_id, comparison.unit_ids)
