"""What every command of the command line shares: who ran it, and strict JSON."""

from __future__ import annotations

import argparse
import getpass
import json
import os
from datetime import date, datetime

import numpy as np
import pandas as pd

from papi_analysis import fmt
from papi_analysis.present.target_text import goal_problem
from papi_analysis.results.summary import ProvinceSummary
from papi_analysis.results.targets import RankGoal, Scope


def os_user() -> str:
    """The operating-system account running the command."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (a bare container)
        return f"uid {os.getuid()}"


def recorded_user(args: argparse.Namespace) -> str:
    """Who the upload history records: the OS account that ran the command, the one thing the command line
    knows for sure; a name given with --user is kept beside it (one line, at most 100 characters)."""
    account = f"dòng lệnh:{os_user()}"
    given = " ".join((args.user or "").split())[:100]
    return f"{given} ({account})" if given else account


def jsonable(value: object) -> object:
    """A value as strict JSON takes it: NaN, NaT and NA become None; arrays lists; times ISO text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    return None if fmt.is_missing(value) else value


def print_json(value: object) -> None:
    print(json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False))


class BadArguments(Exception):
    """Arguments that do not go together: the message is said and the command exits 2."""


def rank_goal(args: argparse.Namespace, summary: ProvinceSummary) -> RankGoal | None:
    """The --target-rank N [--regional] of summary and plan-draft (BadArguments when it cannot be aimed at)."""
    if args.target_rank is None:
        if args.regional:
            raise BadArguments("--regional đi cùng --target-rank N (hạng mục tiêu trong vùng).")
        return None
    goal = RankGoal(args.target_rank, Scope.REGIONAL if args.regional else Scope.NATIONAL)
    if problem := goal_problem(goal, summary):
        raise BadArguments(problem)
    return goal
