"""Cached loaders of what lies below the dimensions (sub-dimensions in any year, indicators, confidence
intervals), keyed like ui/loaders.py by the database file's write stamp."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis.present import depth
from papi_analysis.results import intervals
from papi_analysis.results.comparison_group import Comparison
from ui import loaders


@st.cache_resource(**loaders.SHARED)
def _years(stamp: tuple[str, str], dimension: str, unit_set: str) -> list[int]:
    return depth.subdimension_years(loaders.scores(), dimension, loaders.year_unit_sets(), unit_set)


def subdimension_years(dimension: str, unit_set: str) -> list[int]:
    """Years with sub-dimension scores of `dimension` in a unit set's years (depth.subdimension_years)."""
    return _years(loaders.stamp(), dimension, unit_set)


@st.cache_resource(**loaders.PER_VIEW)
def _profile(stamp: tuple[str, str], comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    return depth.subdimension_profile(
        loaders.table(comparison), loaders.reference(), unit_id, comparison, dimension, year
    )


def subdimension_profile(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """depth.subdimension_profile: the sub-dimension chart's rows (shared, read-only)."""
    return _profile(loaders.stamp(), comparison, unit_id, dimension, year)


@st.cache_resource(**loaders.SHARED)
def _stored(stamp: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    store = loaders.store()
    return store.indicators(), store.labels()


@st.cache_resource(**loaders.PER_VIEW)
def _indicator_rows(
    stamp: tuple[str, str], comparison: Comparison, unit_id: str, dimension: str, year: int, focus: str
) -> pd.DataFrame:
    indicators, labels = _stored(stamp)
    return depth.indicator_rows(indicators, labels, unit_id, comparison.unit_ids, dimension, year, focus)


def indicator_rows(comparison: Comparison, unit_id: str, dimension: str, year: int, focus: str) -> pd.DataFrame:
    """depth.indicator_rows (shared, read-only)."""
    return _indicator_rows(loaders.stamp(), comparison, unit_id, dimension, year, focus)


@st.cache_resource(**loaders.PER_VIEW)
def _overlap_note(stamp: tuple[str, str], comparison: Comparison, unit_id: str, year: int) -> str | None:
    overlap = intervals.overlaps(loaders.table(comparison), unit_id, year)
    return (
        None if overlap is None else intervals.overlap_note(overlap, loaders.reference(), unit_id, comparison.unit_ids)
    )


def overlap_note(comparison: Comparison, unit_id: str, year: int) -> str | None:
    """intervals.overlap_note for the unit's aggregate, or None where no interval is stored."""
    return _overlap_note(loaders.stamp(), comparison, unit_id, year)
