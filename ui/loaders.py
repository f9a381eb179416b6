"""Cached loaders. Every key carries the database file's write stamp, so a write from any session,
worker or the command line is seen on the next run and nothing ever needs clearing.

A loader is written once, as the function of its arguments it computes, under `@stamped(...)`: the
decorator caches it per write stamp (st.cache_resource, one object shared by every session, never copied)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import ParamSpec, TypeVar

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
from papi_analysis.store import Store

# Results per view (province, year, comparison group): many entries, each small.
PER_VIEW = {"max_entries": 512, "show_spinner": False, "ttl": 3600}
# Frames every page reads are shared, not copied per run (st.cache_data would unpickle a copy each
# time): pages treat them as read-only and derive new frames instead of modifying them.
SHARED = {"max_entries": 8, "show_spinner": False, "ttl": 3600}

P = ParamSpec("P")
R = TypeVar("R")


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def _store(path: str) -> Store:
    store = Store(path)
    store.ensure_built()
    return store


def store() -> Store:
    return _store(str(db_path()))


def stamp() -> tuple[str, str]:
    """The database file and its write stamp: part of the key of anything derived from the data."""
    path = str(db_path())
    return path, _store(path).version()


def stamped(options: dict) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a loader per database write stamp: calls with the same arguments and stamp share one result.

    Streamlit keys a cached function by its module, qualified name and source; the keyed function below
    takes the loader's module and name, so each loader has a cache of its own."""

    def decorate(loader: Callable[P, R]) -> Callable[P, R]:
        def keyed(stamp: tuple[str, str], *args: P.args, **kwargs: P.kwargs) -> R:
            return loader(*args, **kwargs)

        keyed.__module__, keyed.__qualname__ = loader.__module__, loader.__qualname__
        cached = st.cache_resource(**options)(keyed)

        @functools.wraps(loader)
        def load(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached(stamp(), *args, **kwargs)

        return load

    return decorate


@stamped(SHARED)
def reference() -> Reference:
    return store().reference()


@stamped(SHARED)
def scores() -> pd.DataFrame:
    return store().scores()


@stamped(SHARED)
def years() -> pd.DataFrame:
    """Years with data and their unit set."""
    return store().years()


def year_unit_sets() -> dict[int, str]:
    frame = years()
    return dict(zip(frame.year.astype(int), frame.unit_set, strict=True))


@stamped(SHARED)
def _table(peers: tuple[str, ...] | None) -> pd.DataFrame:
    return rank_table(scores(), reference().units, peers=peers)


def table(comparison: Comparison | None = None) -> pd.DataFrame:
    """metrics.rank_table for a comparison group (None: every unit against its own region)."""
    return _table(comparison.peers if comparison else None)


@stamped(SHARED)
def tasks() -> pd.DataFrame:
    return with_dimensions(store().tasks())


@stamped(SHARED)
def plans() -> pd.DataFrame:
    return store().plans()


@stamped(SHARED)
def statuses() -> pd.DataFrame:
    """Every task status change (task_status.in_effect keeps those not undone)."""
    return store().task_statuses()


@stamped(PER_VIEW)
def plan_effect_of(plan_id: str, today: date) -> PlanEffect:
    """plan_effect.plan_effect of a whole plan (no filter), as of `today` (shared, read-only)."""
    all_plans, all_tasks = plans(), tasks()
    plan = all_plans.set_index("plan_id").loc[plan_id].to_dict() | {"plan_id": plan_id}
    chosen = all_tasks[all_tasks.plan_id == plan_id]
    return plan_effect(table(), reference(), plan, chosen, statuses(), year_unit_sets(), today)


@stamped(SHARED)
def tile_layout(unit_set: str) -> TileLayout:
    """The map's tiles and archipelagos for a unit set (data/tiles_*.csv)."""
    return read_layout(reference(), unit_set)


@stamped(SHARED)
def summary(year: int, unit_id: str, unit_set: str, comparison: Comparison) -> ProvinceSummary:
    return province_summary(table(comparison), reference(), unit_id, year, comparison, unit_set)


@stamped(PER_VIEW)
def _history(peers: tuple[str, ...] | None, unit_id: str, year: int) -> list[tuple[int, float]]:
    rows = same_era_history(_table(peers), unit_id, year)
    return list(zip(rows.year.astype(int).tolist(), rows.value.round(2).tolist(), strict=True))


def history(comparison: Comparison, unit_id: str, year: int) -> list[tuple[int, float]]:
    """(year, aggregate) in the years comparable with `year` (metrics.same_era_history), two decimals."""
    return _history(comparison.peers, unit_id, year)


@stamped(PER_VIEW)
def comparison_history(comparison: Comparison, unit_id: str, measure: str) -> History:
    """trends.comparison_history: the unit's lineage against its group (shared, read-only)."""
    return trends.comparison_history(table(comparison), reference(), unit_id, comparison, measure)


@stamped(PER_VIEW)
def subdimension_rows(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """depth.subdimension_rows (shared, read-only)."""
    return depth.subdimension_rows(table(comparison), reference(), unit_id, comparison, dimension, year)


@stamped(SHARED)
def subdimension_years(dimension: str) -> list[int]:
    """Years in which any sub-dimension of `dimension` has a stored score."""
    frame = scores()
    return sorted(int(y) for y in frame[frame.measure.str.startswith(dimension + ".")].year.unique())


@stamped(PER_VIEW)
def _year_rows(peers: tuple[str, ...] | None, year: int, measure: str) -> pd.DataFrame:
    frame = _table(peers)
    return frame[(frame.year == year) & (frame.measure == measure)]


def year_rows(comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    """The rank table's rows of one year and measure (shared, read-only)."""
    return _year_rows(comparison.peers, year, measure)


@stamped(PER_VIEW)
def changes(comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    """tables.change_table for the comparison group (shared, read-only)."""
    return tables.change_table(table(comparison), reference(), year, measure, comparison.unit_ids)
