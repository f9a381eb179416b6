"""Shared fixtures: one DuckDB file built from data/ per test session, copied for tests that write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papi_analysis.store.database import Store


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="also write screenshots of every page at desktop and phone widths to tests/e2e/screenshots/",
    )
    parser.addoption(
        "--fuzz",
        action="store",
        nargs="?",
        const="20",
        default=None,
        help="the long fuzz run: N times the bounded example counts, random (default 20), and the `fuzz` tests",
    )
    parser.addoption(
        "--busy",
        action="store_true",
        help="keep one core loaded by a bounded busy loop for the whole run (to prove the browser tests race-free)",
    )


# A busy loop that stops by itself after an hour even if the run is killed before it can stop it.
BUSY_LOOP = "import time\nend = time.monotonic() + 3600\nwhile time.monotonic() < end:\n    pass\n"


def pytest_configure(config):
    if config.getoption("--fuzz"):
        os.environ["PAPI_FUZZ"] = config.getoption("--fuzz")  # read by tests/behaviour/test_fuzz.py when imported
    if config.getoption("--busy"):
        config._papi_busy = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])


def pytest_unconfigure(config):
    if busy := getattr(config, "_papi_busy", None):
        busy.kill()
        busy.wait()


# Whole folders the fast lane (-m "not slow and not e2e") leaves out: AppTest runs of whole pages, and the issue
# suites (fuzzing, whole workbooks, hostile files, subprocesses). Elsewhere a test over ~0.3 s is marked on its own.
SLOW_FOLDERS = {"pages", "behaviour"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PAPI_FUZZ"):
        return
    skip = pytest.mark.skip(reason="long fuzz run: pytest --fuzz [N] or PAPI_FUZZ=N")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    import duckdb
    import pandas
    import plotly
    import streamlit

    return (
        f"duckdb {duckdb.__version__}, streamlit {streamlit.__version__}, "
        f"pandas {pandas.__version__}, plotly {plotly.__version__}"
    )


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "papi.duckdb"
    Store(path).ensure_built()
    return path


@pytest.fixture(scope="session")
def store(built_db) -> Store:
    """The seed database, read-only by convention (tests that write use fresh_store)."""
    return Store(built_db)


@pytest.fixture(scope="session")
def ref(store):
    return store.reference()


@pytest.fixture(scope="session")
def scores(store):
    return store.scores()


@pytest.fixture(scope="session")
def new_units_db(built_db, tmp_path_factory) -> Path:
    """The seed data plus a SYNTHETIC 2025 in the 34 new units (tests/helpers.synthetic_year), read-only."""
    from helpers import load_synthetic_year

    path = tmp_path_factory.mktemp("db_2025") / "papi.duckdb"
    shutil.copy(built_db, path)
    load_synthetic_year(Store(path), 2025, "new")
    return path


@pytest.fixture(scope="session")
def new_units_store(new_units_db) -> Store:
    return Store(new_units_db)


@pytest.fixture
def fresh_store(built_db, tmp_path) -> Store:
    path = tmp_path / "papi.duckdb"
    shutil.copy(built_db, path)
    return Store(path)


@pytest.fixture
def fresh_db_env(fresh_store, monkeypatch) -> Store:
    """A writable copy that the app and the command line find through PAPI_DB."""
    monkeypatch.setenv("PAPI_DB", str(fresh_store.path))
    return fresh_store


@pytest.fixture(autouse=True)
def _db_env(built_db, monkeypatch):
    if "PAPI_DB" not in os.environ or not os.environ["PAPI_DB"].startswith(str(built_db.parent.parent)):
        monkeypatch.setenv("PAPI_DB", str(built_db))
