"""The bounds PAPI publishes beside a score — the 95% confidence interval's low and high ends and the standard
error — in one table: the key (the stored column, the reader's target, the summary's JSON key), the suffix our
wide files write after a measure ('D1 ci_low', 'D1 se'), the names the dashboard gives them, and the spellings
files use for them (compared on names.plain: no case, diacritics or punctuation). Every module that names a
bound takes it from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    key: str  # the scores table's column; a line's target kind
    suffix: str  # after the measure in a wide file's header: 'D1 ci_low', 'TOTAL se'
    label: str  # the mapping editor's name: 'Cận dưới KTC 95%'
    short: str  # a table column: 'Cận dưới'
    noun: str  # in a sentence: 'cận dưới'
    headers: tuple[str, ...]  # a column header of our long layout, whole (plain)
    words: tuple[str, ...]  # what a label says to be this bound, anywhere in it (plain)


CI_LOW = Bound(
    key="ci_low",
    suffix="ci_low",
    label="Cận dưới KTC 95%",
    short="Cận dưới",
    noun="cận dưới",
    headers=("ci low", "ci lower", "can duoi"),
    words=("diem thap", "ci low", "ci lower", "lower bound", "can duoi", "gioi han duoi", "low ci", "lower ci"),
)
CI_HIGH = Bound(
    key="ci_high",
    suffix="ci_high",
    label="Cận trên KTC 95%",
    short="Cận trên",
    noun="cận trên",
    headers=("ci high", "ci upper", "can tren"),
    words=("diem cao", "ci high", "ci upper", "upper bound", "can tren", "gioi han tren", "high ci", "upper ci"),
)
STD_ERROR = Bound(
    key="std_error",
    suffix="se",
    label="Sai số chuẩn",
    short="Sai số chuẩn",
    noun="sai số chuẩn",
    headers=("se", "std error", "sai so chuan", "standard error"),
    words=("sai so chuan", "sai so", "standard error", "std error", "std err", "se"),
)
BOUNDS = (CI_LOW, CI_HIGH, STD_ERROR)
BOUND_KEYS = tuple(bound.key for bound in BOUNDS)  # the scores table's bound columns, in this order
_BY_NAME = {name: bound for bound in BOUNDS for name in (bound.key, bound.suffix)}


def bound(name: str) -> Bound:
    """A bound by its key or its suffix ('std_error' and 'se' are the same bound)."""
    return _BY_NAME[name]


def is_bound(name: str) -> bool:
    return name in _BY_NAME
