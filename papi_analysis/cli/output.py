"""What every command of the command line shares: who ran it, strict JSON, and output a terminal cannot act on."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import date, datetime

import numpy as np
import pandas as pd

from papi_analysis import characters, fmt
from papi_analysis.present.target_text import goal_problem
from papi_analysis.results.summary import ProvinceSummary
from papi_analysis.results.targets import RankGoal, Scope

JSON_HELP = "in kết quả dạng JSON (null, không bao giờ NaN)"


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
    if message := characters.problem(given):
        raise ValueError(f"--user: {message}")
    return f"{given} ({account})" if given else account


def jsonable(value: object) -> object:
    """A value as strict JSON takes it: NaN, NaT and NA become None; arrays lists; times ISO text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)  # DuckDB's datetime64[us] and pandas' [ns] alike
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    return None if fmt.is_missing(value) else value


def print_json(value: object) -> None:
    print(json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False))


class _Printable:
    """A text stream that writes control characters as '\\u001b' (characters.printable): a cell holding
    ESC ] 0 ; PWNED BEL ESC [ 2 J cannot retitle or clear the terminal of whoever runs the command (issue 20)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(characters.printable(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def printable_output() -> Iterator[None]:
    """Everything printed meanwhile, on stdout and stderr, without control characters but line feed and tab."""
    with redirect_stdout(_Printable(sys.stdout)), redirect_stderr(_Printable(sys.stderr)):
        yield


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
