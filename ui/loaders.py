"""Cached loaders. Every key carries the database file's write stamp, so a write from any session,
worker or the command line is seen on the next run and nothing ever needs clearing."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from papi_analysis.paths import db_path
from papi_analysis.plan.plan_effect import PlanEffect, plan_effect
from papi_analysis.plan.plan_tasks import with_dimensions
from papi_analysis.present import depth, tables
from papi_analysis.present.tiles import TileLayout, read_layout
from papi_analysis.reference import Reference
from papi_analysis.results import trends
from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.metrics import rank_table, same_era_history
from papi_analysis.results.summary import ProvinceSummary, province_summary
from papi_analysis.results.trends import History
from papi_analysis.store.database import Store

# Results per view (province, year, comparison group): many entries, each small.
PER_VIEW = {"max_entries": 512, "show_spinner": False, "ttl": 3600}
# Frames every page reads are shared, not copied per run (st.cache_data would unpickle a copy each
# time): pages treat them as read-only and derive new frames instead of modifying them.
SHARED = {"max_entries": 8, "show_spinner": False, "ttl": 3600}


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def _store(path: str) -> Store:
    store = Store(path)
    store.ensure_built()
    return store


def store() -> Store:
    return _store(str(db_path()))


def _key() -> tuple[str, str]:
    path = str(db_path())
    return path, _store(path).version()


def stamp() -> tuple[str, str]:
    """The database file and its write stamp: part of the key of anything derived from the data."""
    return _key()


@st.cache_resource(**SHARED)
def _reference(path: str, stamp: str) -> Reference:
    return _store(path).reference()


@st.cache_resource(**SHARED)
def _scores(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).scores()


@st.cache_resource(**SHARED)
def _years(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).years()


@st.cache_resource(**SHARED)
def _table(path: str, stamp: str, peers: tuple[str, ...] | None) -> pd.DataFrame:
    return rank_table(_scores(path, stamp), _reference(path, stamp).units, peers=peers)


@st.cache_resource(**SHARED)
def _tasks(path: str, stamp: str) -> pd.DataFrame:
    return with_dimensions(_store(path).tasks())


@st.cache_resource(**SHARED)
def _plans(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).plans()


@st.cache_resource(**SHARED)
def _statuses(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).task_statuses()


@st.cache_resource(**PER_VIEW)
def _plan_effect(path: str, stamp: str, plan_id: str, today: date) -> PlanEffect:
    plans, tasks = _plans(path, stamp), _tasks(path, stamp)
    plan = plans.set_index("plan_id").loc[plan_id].to_dict() | {"plan_id": plan_id}
    years = _years(path, stamp)
    sets = dict(zip(years.year.astype(int), years.unit_set, strict=True))
    table, ref = _table(path, stamp, None), _reference(path, stamp)
    return plan_effect(table, ref, plan, tasks[tasks.plan_id == plan_id], _statuses(path, stamp), sets, today)


@st.cache_resource(**SHARED)
def _layout(path: str, stamp: str, unit_set: str) -> TileLayout:
    return read_layout(_reference(path, stamp), unit_set)


@st.cache_resource(**SHARED)
def _summary(path: str, stamp: str, year: int, unit_id: str, unit_set: str, comparison: Comparison) -> ProvinceSummary:
    table = _table(path, stamp, comparison.peers)
    return province_summary(table, _reference(path, stamp), unit_id, year, comparison, unit_set)


@st.cache_resource(**PER_VIEW)
def _history(path: str, stamp: str, peers: tuple[str, ...] | None, unit_id: str, year: int) -> list[float]:
    return same_era_history(_table(path, stamp, peers), unit_id, year).value.round(2).tolist()


@st.cache_resource(**PER_VIEW)
def _comparison_history(path: str, stamp: str, comparison: Comparison, unit_id: str, measure: str) -> History:
    table = _table(path, stamp, comparison.peers)
    return trends.comparison_history(table, _reference(path, stamp), unit_id, comparison, measure)


@st.cache_resource(**PER_VIEW)
def _subdimension_rows(
    path: str, stamp: str, comparison: Comparison, unit_id: str, dimension: str, year: int
) -> pd.DataFrame:
    table = _table(path, stamp, comparison.peers)
    return depth.subdimension_rows(table, _reference(path, stamp), unit_id, comparison, dimension, year)


@st.cache_resource(**SHARED)
def _subdimension_years(path: str, stamp: str, dimension: str) -> list[int]:
    scores = _scores(path, stamp)
    return sorted(int(y) for y in scores[scores.measure.str.startswith(dimension + ".")].year.unique())


@st.cache_resource(**PER_VIEW)
def _year_rows(path: str, stamp: str, peers: tuple[str, ...] | None, year: int, measure: str) -> pd.DataFrame:
    table = _table(path, stamp, peers)
    return table[(table.year == year) & (table.measure == measure)]


@st.cache_resource(**PER_VIEW)
def _changes(path: str, stamp: str, comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    table = _table(path, stamp, comparison.peers)
    return tables.change_table(table, _reference(path, stamp), year, measure, comparison.unit_ids)


def reference() -> Reference:
    return _reference(*_key())


def scores() -> pd.DataFrame:
    return _scores(*_key())


def years() -> pd.DataFrame:
    """Years with data and their unit set."""
    return _years(*_key())


def year_unit_sets() -> dict[int, str]:
    frame = years()
    return dict(zip(frame.year.astype(int), frame.unit_set, strict=True))


def table(comparison: Comparison | None = None) -> pd.DataFrame:
    """metrics.rank_table for a comparison group (None: every unit against its own region)."""
    return _table(*_key(), comparison.peers if comparison else None)


def summary(year: int, unit_id: str, unit_set: str, comparison: Comparison) -> ProvinceSummary:
    return _summary(*_key(), year, unit_id, unit_set, comparison)


def tile_layout(unit_set: str) -> TileLayout:
    """The map's tiles and archipelagos for a unit set (data/tiles_*.csv)."""
    return _layout(*_key(), unit_set)


def history(comparison: Comparison, unit_id: str, year: int) -> list[float]:
    """The unit's aggregate in the years comparable with `year` (metrics.same_era_history), two decimals."""
    return _history(*_key(), comparison.peers, unit_id, year)


def comparison_history(comparison: Comparison, unit_id: str, measure: str) -> History:
    """history.comparison_history: the unit's lineage against its group (shared, read-only)."""
    return _comparison_history(*_key(), comparison, unit_id, measure)


def subdimension_rows(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """depth.subdimension_rows (shared, read-only)."""
    return _subdimension_rows(*_key(), comparison, unit_id, dimension, year)


def subdimension_years(dimension: str) -> list[int]:
    """Years in which any sub-dimension of `dimension` has a stored score."""
    return _subdimension_years(*_key(), dimension)


def year_rows(comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    """The rank table's rows of one year and measure (shared, read-only)."""
    return _year_rows(*_key(), comparison.peers, year, measure)


def changes(comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    """tables.change_table for the comparison group (shared, read-only)."""
    return _changes(*_key(), comparison, year, measure)


def tasks() -> pd.DataFrame:
    return _tasks(*_key())


def plans() -> pd.DataFrame:
    return _plans(*_key())


def statuses() -> pd.DataFrame:
    """Every task status change (task_status.in_effect keeps those not undone)."""
    return _statuses(*_key())


def plan_effect_of(plan_id: str, today: date) -> PlanEffect:
    """plan_effect.plan_effect of a whole plan (no filter), as of `today` (shared, read-only)."""
    return _plan_effect(*_key(), plan_id, today)
