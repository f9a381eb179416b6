"""What an upload would change: cells added, changed and removed against what is stored.

An upload writes three kinds of cells, each kept in its table with its before/after per upload (what rollback
restores), and each diffed the same way (`CellTable`):
- scores: a province's value of a measure in a year, with its bounds (ci_low, ci_high, std_error);
- indicators: a province's value of an indicator in a year;
- labels: the names a year's file gives its sub-dimensions, and its indicators' names, parents and units.
Replacing removes the stored cells of the file's (year, measure) or (year, indicator) that the file lacks;
labels are only ever added or changed.

Two values are the same when they agree to EXACT_DECIMALS decimals, the precision every export writes (so a
file exported and uploaded again changes nothing); any larger change, however small, is reported and written
(a change of 1e-9 or 3e-8 was neither, issue 20). The preview says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from papi_analysis.files.export import NOISE_DECIMALS

EXACT_DECIMALS = NOISE_DECIMALS
PRECISION_NOTE = (
    f"Giá trị được so đến {EXACT_DECIMALS} chữ số thập phân (độ chính xác của mọi tệp xuất): mọi thay đổi lớn hơn "
    "đều được liệt kê và ghi, kể cả khi chỉ khác ở chữ số thập phân thứ 9."
)


@dataclass(frozen=True)
class CellTable:
    table: str  # the live table
    changes: str  # its before/after per upload
    key: tuple[str, ...]
    values: tuple[str, ...]  # the first is never NULL in a stored cell: NULL there means "no cell"
    scope: tuple[str, ...]  # the part of the key that puts stored cells in a file's scope

    def change_columns(self) -> list[str]:
        old = [f"old_{c}" for c in self.values]
        return [*self.key, *old, "old_upload_id", *(f"new_{c}" for c in self.values)]


SCORES = CellTable(
    "scores",
    "upload_changes",
    ("year", "unit_id", "measure"),
    ("value", "ci_low", "ci_high", "std_error"),
    ("year", "measure"),
)
INDICATORS = CellTable(
    "indicator_values", "upload_indicator_changes", ("year", "unit_id", "code"), ("value",), ("year", "code")
)
LABELS = CellTable(
    "published_labels",
    "upload_label_changes",
    ("year", "kind", "code"),
    ("sort_order", "parent", "name_vi", "name_en", "unit"),
    ("year", "kind", "code"),
)
TABLES = (SCORES, INDICATORS, LABELS)


@dataclass
class CellDiff:
    table: CellTable
    added: pd.DataFrame  # key + new_*
    changed: pd.DataFrame  # key + old_* + new_* + old_upload_id
    removed: pd.DataFrame  # key + old_* + old_upload_id
    unchanged: int

    @property
    def has_changes(self) -> bool:
        return bool(len(self.added) or len(self.changed) or len(self.removed))

    @property
    def overwrites(self) -> int:
        """Changed cells where a stored value (or bound) is replaced or dropped; a bound added where none was
        stored (the official workbook's depth over a year already loaded) is not counted."""
        if self.changed.empty:
            return 0
        lost = [
            self.changed[f"old_{c}"].notna() & ~_same(self.changed[f"old_{c}"], self.changed[f"new_{c}"])
            for c in self.table.values
        ]
        return int(np.logical_or.reduce(lost).sum())

    def as_changes(self) -> pd.DataFrame:
        """One row per touched cell with before and after: what the table's changes record."""
        columns = self.table.change_columns()
        touched = [f.reindex(columns=columns) for f in (self.added, self.changed, self.removed) if len(f)]
        if not touched:  # nothing changes (e.g. the same file was just committed by someone else)
            return pd.DataFrame(columns=columns)
        rows = pd.concat(touched, ignore_index=True)
        return rows.reindex(columns=columns).sort_values(list(self.table.key), ignore_index=True)


@dataclass
class ScoreDiff:
    """Everything an upload would change; the score fields are those of its scores."""

    scores: CellDiff
    replace: bool
    existing_years: list[int]  # years of the file that already hold values for its measures or indicators
    indicators: CellDiff | None = None
    labels: CellDiff | None = None

    @property
    def added(self) -> pd.DataFrame:
        return self.scores.added

    @property
    def changed(self) -> pd.DataFrame:
        return self.scores.changed

    @property
    def removed(self) -> pd.DataFrame:
        return self.scores.removed

    @property
    def unchanged(self) -> int:
        return self.scores.unchanged

    @property
    def parts(self) -> list[CellDiff]:
        return [p for p in (self.scores, self.indicators, self.labels) if p is not None]

    @property
    def values(self) -> list[CellDiff]:
        """The parts that hold values (scores, indicators), counted as the upload's cells."""
        return [p for p in (self.scores, self.indicators) if p is not None]

    @property
    def has_changes(self) -> bool:
        return any(p.has_changes for p in self.parts)

    @property
    def needs_replace(self) -> bool:
        """Changing or removing a stored value is replacing: it needs the second confirmation. Adding bounds
        (confidence interval, standard error) to stored values that had none is not."""
        return any(p.overwrites or len(p.removed) for p in self.values)

    def counts(self) -> dict[str, int]:
        """Values (scores and indicators) added, changed, removed and unchanged."""
        return {
            "added": sum(len(p.added) for p in self.values),
            "changed": sum(len(p.changed) for p in self.values),
            "removed": sum(len(p.removed) for p in self.values),
            "unchanged": sum(p.unchanged for p in self.values),
        }

    def signature(self) -> str:
        """Fingerprint of the exact change, to detect that the stored data moved after the preview."""
        digest = hashlib.sha256()
        for part in self.parts:
            changes = part.as_changes()
            digest.update("\x1f".join(map(str, changes.columns)).encode() + b"\x1e")
            digest.update(pd.util.hash_pandas_object(changes, index=False).to_numpy().tobytes())
        return digest.hexdigest()


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    both_missing = a.isna() & b.isna()
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        # half a unit of the last exported decimal, and the float spacing an export's rounding may add
        tolerance = 0.5 * 10.0**-EXACT_DECIMALS + np.spacing(np.maximum(a.abs(), b.abs()).fillna(0))
        close = (a - b).abs() <= tolerance
        return both_missing | close.fillna(False)
    equal = (a.astype(object) == b.astype(object)) & a.notna() & b.notna()
    return both_missing | equal


def diff_cells(incoming: pd.DataFrame, stored: pd.DataFrame, table: CellTable, replace: bool) -> CellDiff:
    """incoming: key + values from ingest; stored: key + values + upload_id of the same years."""
    key, values = list(table.key), list(table.values)
    if incoming.empty:  # the file holds none of these cells: nothing of them is in its scope
        none = pd.DataFrame(columns=table.change_columns())
        return CellDiff(table=table, added=none, changed=none, removed=none, unchanged=0)
    new = incoming[key + values].rename(columns={c: f"new_{c}" for c in values})
    old = stored[key + values + ["upload_id"]].rename(
        columns={**{c: f"old_{c}" for c in values}, "upload_id": "old_upload_id"}
    )
    scope = incoming[list(table.scope)].drop_duplicates()
    old = old.merge(scope, on=list(table.scope))
    both = new.merge(old, on=key, how="outer", indicator=True)
    added = both[both._merge == "left_only"].drop(columns="_merge")
    matched = both[both._merge == "both"].drop(columns="_merge")
    same = np.logical_and.reduce([_same(matched[f"old_{c}"], matched[f"new_{c}"]) for c in values])
    same = np.asarray(same, dtype=bool).reshape(len(matched))
    removed = both[both._merge == "right_only"].drop(columns="_merge") if replace else old.iloc[0:0]
    return CellDiff(
        table=table,
        added=added.reset_index(drop=True),
        changed=matched[~same].reset_index(drop=True),
        removed=removed.reset_index(drop=True),
        unchanged=int(same.sum()),
    )
