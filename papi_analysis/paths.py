"""Where the project's files live; the DuckDB path (and the files beside it) come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
SCORES_DIR = DATA_DIR / "scores"
TASKS_CSV = DATA_DIR / "tasks.csv"
SECRETS_TOML = REPO_ROOT / ".streamlit" / "secrets.toml"


def db_path() -> Path:
    """The DuckDB file: env PAPI_DB, default data/papi.duckdb (git-ignored)."""
    return Path(os.environ.get("PAPI_DB") or DATA_DIR / "papi.duckdb")


def signin_path() -> Path:
    """The sign-in throttle's SQLite file, next to the database (shared by every worker)."""
    path = db_path()
    return path.with_name(path.name + ".signin.sqlite")
