"""What a row or column of a scores file is read as: a Target — a score of a measure ('D1', 'TOTAL', 'D5.3'),
a bound of a score (papi_analysis.bounds: of the score line above it, or of a named measure), an indicator, a
column role of our own layouts (year, province, measure, value), ignored, or unread (a label nobody
recognised: listed, never guessed).

A target is a small frozen value, never a string to split. Its text ('D1', 'ci_low', 'ci_low:D1', 'ignore') is
what the mapping editor offers, what a remembered mapping stores and what the command line's --map takes; `parse`
reads it back (also the spellings of earlier versions: 'se', 'se:D1').
"""

from __future__ import annotations

from dataclasses import dataclass

from papi_analysis.bounds import BOUNDS, Bound, bound, is_bound
from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL
from papi_analysis.names import plain

SCORE, INDICATOR, IGNORE, UNREAD = "score", "indicator", "ignore", "unread"
ROLES = ("year", "province", "measure", "value")  # the columns of our long and wide layouts


@dataclass(frozen=True)
class Target:
    kind: str  # SCORE, a bound's key, INDICATOR, IGNORE, UNREAD or a role
    of: str | None = None  # the measure of a score, or of a bound (None: of the nearest score line above)

    @property
    def bound(self) -> Bound | None:
        return bound(self.kind) if is_bound(self.kind) else None

    @property
    def is_score(self) -> bool:
        return self.kind == SCORE

    @property
    def is_role(self) -> bool:
        return self.kind in ROLES

    @property
    def is_read(self) -> bool:
        """Read as values: a score, a bound or an indicator."""
        return self.kind in (SCORE, INDICATOR) or self.bound is not None

    @property
    def text(self) -> str:
        if self.kind == SCORE:
            return str(self.of)
        return f"{self.kind}:{self.of}" if self.of else self.kind

    def of_measure(self, measure: str) -> Target:
        """A bound of the score above, made a bound of `measure`."""
        return Target(self.kind, measure)

    def group(self) -> str:
        """What the mapping's counts call it: 'aggregate', 'weighted', 'dimension', 'subdimension', a bound's key,
        'indicator', 'ignore', 'unread', 'role'."""
        if self.kind == SCORE:
            if self.of in (TOTAL, WEIGHTED_TOTAL):
                return "aggregate" if self.of == TOTAL else "weighted"
            return "subdimension" if "." in str(self.of) else "dimension"
        return "role" if self.is_role else self.kind

    def __str__(self) -> str:
        return self.text


def score(measure: str) -> Target:
    return Target(SCORE, measure)


UNREAD_TARGET = Target(UNREAD)
IGNORED = Target(IGNORE)
INDICATOR_TARGET = Target(INDICATOR)
BOUND_TARGETS = tuple(Target(b.key) for b in BOUNDS)

# Words an analyst may type for a target on the command line (compared on names.plain).
_WORDS = {
    "bo qua": IGNORED,
    "khong doc": IGNORED,
    "chi tieu": INDICATOR_TARGET,
    **{plain(b.noun): Target(b.key) for b in BOUNDS},
}


def parse(text: str) -> Target:
    """A target from its text (see the module docstring); a measure code is not checked against the catalogue
    here (mapping.choices says what a line may be)."""
    text = str(text).strip()
    kind, _, of = text.partition(":")
    if is_bound(kind):
        return Target(bound(kind).key, of or None)
    if kind in (INDICATOR, IGNORE, UNREAD, *ROLES) and not of:
        return Target(kind)
    if found := _WORDS.get(plain(text)):
        return found
    return score(text)
