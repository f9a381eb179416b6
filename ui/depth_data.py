"""Cached loaders of what lies below the dimensions (sub-dimensions in any year, indicators, confidence
intervals), keyed like ui/data.py by the database file's write stamp."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis import depth, intervals
from papi_analysis.comparison import Comparison
from ui import data


@st.cache_resource(**data.SHARED)
def _years(stamp: tuple[str, str], dimension: str, unit_set: str) -> list[int]:
    return depth.subdimension_years(data.scores(), dimension, data.year_unit_sets(), unit_set)


def subdimension_years(dimension: str, unit_set: str) -> list[int]:
    """Years with sub-dimension scores of `dimension` in a unit set's years (depth.subdimension_years)."""
    return _years(data.stamp(), dimension, unit_set)


@st.cache_resource(**data.PER_VIEW)
def _profile(stamp: tuple[str, str], comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    return depth.subdimension_profile(data.table(comparison), data.reference(), unit_id, comparison, dimension, year)


def subdimension_profile(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """depth.subdimension_profile: the sub-dimension chart's rows (shared, read-only)."""
    return _profile(data.stamp(), comparison, unit_id, dimension, year)


@st.cache_resource(**data.SHARED)
def _stored(stamp: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    store = data.store()
    return store.indicators(), store.labels()


@st.cache_resource(**data.PER_VIEW)
def _indicator_rows(
    stamp: tuple[str, str], comparison: Comparison, unit_id: str, dimension: str, year: int, focus: str
) -> pd.DataFrame:
    indicators, labels = _stored(stamp)
    return depth.indicator_rows(indicators, labels, unit_id, comparison.unit_ids, dimension, year, focus)


def indicator_rows(comparison: Comparison, unit_id: str, dimension: str, year: int, focus: str) -> pd.DataFrame:
    """depth.indicator_rows (shared, read-only)."""
    return _indicator_rows(data.stamp(), comparison, unit_id, dimension, year, focus)


@st.cache_resource(**data.PER_VIEW)
def _overlap_note(stamp: tuple[str, str], comparison: Comparison, unit_id: str, year: int) -> str | None:
    overlap = intervals.overlaps(data.table(comparison), unit_id, year)
    return None if overlap is None else intervals.overlap_note(overlap, data.reference(), unit_id, comparison.unit_ids)


def overlap_note(comparison: Comparison, unit_id: str, year: int) -> str | None:
    """intervals.overlap_note for the unit's aggregate, or None where no interval is stored."""
    return _overlap_note(data.stamp(), comparison, unit_id, year)
