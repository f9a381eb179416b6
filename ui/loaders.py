"""Cached loaders. Every key carries the database file's write stamp, so a write from any session,
worker or the command line is seen on the next run and nothing ever needs clearing.

A loader is written once, as the function of its arguments it computes, under `@stamped(...)`: the
decorator caches it per write stamp (st.cache_resource, one object shared by every session, never copied)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from papi_analysis.paths import db_path
from papi_analysis.plan.plan_effect import PlanEffect, plan_effect
from papi_analysis.plan.plan_tasks import with_dimensions
from papi_analysis.present import depth, report, tables
from papi_analysis.present.tiles import TileLayout, read_layout
from papi_analysis.reference import Reference
from papi_analysis.results import trends
from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.metrics import rank_table, same_era_history
from papi_analysis.results.summary import ProvinceSummary, province_summary
from papi_analysis.results.trends import History
from papi_analysis.store import Store
from ui import per_run

# Results per view (province, year, comparison group): many entries, each small.
PER_VIEW = {"max_entries": 512, "show_spinner": False, "ttl": 3600}
# Frames every page reads are shared, not copied per run (st.cache_data would unpickle a copy each
# time): pages treat them as read-only and derive new frames instead of modifying them.
SHARED = {"max_entries": 8, "show_spinner": False, "ttl": 3600}

P = ParamSpec("P")
R = TypeVar("R")


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def _built(path: str) -> Store:
    store = Store(path)
    store.ensure_built()
    return store


_stores: dict[str, Store] = {}  # looked up on every loader call: a dict, not a cached function's hashing


def store() -> Store:
    path = str(db_path())
    if path not in _stores:
        _stores[path] = _built(path)
    return _stores[path]


# One stamp per page run (and per write the run makes): a run reads one state of the data, and asks the
# file system once, not at every loader call. Beside it, what the run's loaders returned: a page asks for
# reference() a dozen times a run, and each ask of Streamlit's cache hashes its key again (issue 18: about a tenth
# of a view's Python time went to such asks). Kept in the run's own dict (ui/per_run.py).
@dataclass(frozen=True)
class _RunMemo:
    writes: int  # the store's count of writes when the stamp was read
    stamp: tuple[str, str]
    results: dict = field(default_factory=dict)  # (loader, key) -> what it returned in this run and stamp


def _run_memo() -> _RunMemo | None:
    """This run's memo (a new one after a write), or None outside a page run."""
    run = per_run.kept()
    if run is None:
        return None
    found, memo = store(), run.get("loaders")
    if memo is None or memo.writes != found.writes:
        memo = run["loaders"] = _RunMemo(found.writes, _stamp_of(found))
    return memo


def _stamp_of(found: Store) -> tuple[str, str]:
    return str(found.path), found.version()


def stamp() -> tuple[str, str]:
    """The database file and its write stamp when this page run started, or when it last wrote: part of the key
    of anything derived from the data. A write from any process is seen by the next run."""
    memo = _run_memo()
    return _stamp_of(store()) if memo is None else memo.stamp


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:  # a list among a loader's arguments: Streamlit's cache hashes it, a dict cannot
        return False
    return True


_PLAIN = (str, int, float, type(None), date, Enum)  # values whose repr is exact and stable (bool is an int)


def key_text(key: tuple) -> str | None:
    """A cache key made only of plain values (and tuples of them) as one text, or None. Streamlit hashes one text
    in 40 µs and the same key as nested tuples in 105 µs (issue 18): a page asks its caches fifteen times a run."""
    plain = lambda value: all(map(plain, value)) if isinstance(value, tuple) else isinstance(value, _PLAIN)
    return repr(key) if plain(key) else None


def cache_key(value: object) -> object:
    """What a cache hashes for an argument: its `cache_key` text where it has one (a view, a comparison group:
    hashing those objects field by field costs far more than the lookup saves), else the value itself."""
    return getattr(value, "cache_key", value)


def stamped(options: dict) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a loader per database write stamp: calls with the same arguments and stamp share one result.

    Streamlit keys a cached function by its module, qualified name and source; the keyed function below
    takes the loader's module and name, so each loader has a cache of its own. Streamlit hashes the
    arguments to find the entry: they are passed as their cache_key, the objects themselves beside them under
    names that start with "_" (which Streamlit does not hash). Every cached function here is called with its
    arguments by name: Streamlit finds a positional argument's name with inspect.signature on every call, about a
    twentieth of a page view's Python time (py-spy, issue 18)."""

    def decorate(loader: Callable[P, R]) -> Callable[P, R]:
        def keyed(key: object, _args: tuple, _kwargs: dict) -> R:  # key: the stamp and the arguments (key_text)
            return loader(*_args, **_kwargs)

        keyed.__module__, keyed.__qualname__ = loader.__module__, loader.__qualname__
        cached = st.cache_resource(**options)(keyed)

        @functools.wraps(loader)
        def load(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (tuple(map(cache_key, args)), tuple((k, cache_key(v)) for k, v in sorted(kwargs.items())))
            memo = _run_memo()
            stamped_key = (memo.stamp if memo else stamp(), key)
            text = key_text(stamped_key)
            ask = lambda: cached(key=stamped_key if text is None else text, _args=args, _kwargs=kwargs)
            if memo is None or (text is None and not _hashable(key)):
                return ask()
            if (keyed, key) not in memo.results:
                memo.results[keyed, key] = ask()
            return memo.results[keyed, key]

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


@stamped(SHARED)
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
def region_labels() -> dict[str, str]:
    """Region id -> "Vùng …", for the comparison box."""
    regions = reference().regions
    return dict(zip(regions.region_id, "Vùng " + regions.name_vi, strict=True))


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
def plan_for(year: int, unit_id: str, unit_set: str, comparison: Comparison) -> dict | None:
    """report.plan_for: the plan that follows a view's results, if the province has one."""
    return report.plan_for(plans(), summary(year, unit_id, unit_set, comparison))


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
def subdimension_parts(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """tables.subdimension_parts (shared, read-only)."""
    return tables.subdimension_parts(table(comparison), reference(), unit_id, comparison, dimension, year)


@stamped(PER_VIEW)
def subdimension_rows(comparison: Comparison, unit_id: str, dimension: str, year: int) -> pd.DataFrame:
    """depth.subdimension_rows (shared, read-only)."""
    return depth.subdimension_rows(subdimension_parts(comparison, unit_id, dimension, year))


@stamped(SHARED)
def subdimension_years(dimension: str) -> list[int]:
    """Years in which any sub-dimension of `dimension` has a stored score."""
    frame = scores()
    return sorted(int(y) for y in frame[frame.measure.str.startswith(dimension + ".")].year.unique())


@stamped(PER_VIEW)
def _year_rows(peers: tuple[str, ...] | None, year: int, measure: str) -> pd.DataFrame:
    frame = _table(peers)
    return frame[(frame.year == year) & (frame.measure == measure)]


@stamped(PER_VIEW)
def group_ranking(comparison: Comparison, year: int, measure: str) -> tables.GroupRanking:
    """tables.group_ranking of the comparison group (shared, read-only)."""
    return tables.group_ranking(table(comparison), reference(), year, measure, comparison.unit_ids)


def year_rows(comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    """The rank table's rows of one year and measure (shared, read-only)."""
    return _year_rows(comparison.peers, year, measure)


@stamped(PER_VIEW)
def changes(comparison: Comparison, year: int, measure: str) -> pd.DataFrame:
    """tables.change_table for the comparison group (shared, read-only)."""
    return tables.change_table(table(comparison), reference(), year, measure, comparison.unit_ids)
