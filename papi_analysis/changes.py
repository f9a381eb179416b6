"""What an upload would change: cells added, changed and removed against the stored scores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

KEY = ["year", "unit_id", "measure"]
VALUES = ["value", "ci_low", "ci_high"]
_TOLERANCE = 1e-9


@dataclass
class ScoreDiff:
    added: pd.DataFrame  # KEY + new_value, new_ci_low, new_ci_high
    changed: pd.DataFrame  # KEY + old_* + new_* + old_upload_id
    removed: pd.DataFrame  # KEY + old_* + old_upload_id
    unchanged: int
    replace: bool
    existing_years: list[int]  # years of the file that already hold values for its measures

    @property
    def has_changes(self) -> bool:
        return bool(len(self.added) or len(self.changed) or len(self.removed))

    @property
    def needs_replace(self) -> bool:
        """Changing or removing a stored value is replacing: it needs the second confirmation."""
        return bool(len(self.changed) or len(self.removed))

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
        }

    def as_changes(self) -> pd.DataFrame:
        """One row per touched cell with before and after: what upload_changes records."""
        frames = [self.added, self.changed, self.removed]
        columns = KEY + [f"old_{c}" for c in VALUES] + ["old_upload_id"] + [f"new_{c}" for c in VALUES]
        touched = [f.reindex(columns=columns) for f in frames if len(f)]
        if not touched:  # nothing changes (e.g. the same file was just committed by someone else)
            return pd.DataFrame(columns=columns)
        rows = pd.concat(touched, ignore_index=True)
        return rows.reindex(columns=columns).sort_values(KEY, ignore_index=True)

    def signature(self) -> str:
        """Fingerprint of the exact change, to detect that the stored data moved after the preview."""
        text = self.as_changes().to_csv(index=False, float_format="%.12g")
        return hashlib.sha256(text.encode()).hexdigest()


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    both_missing = a.isna() & b.isna()
    close = (a - b).abs() <= _TOLERANCE * np.maximum(1.0, a.abs().fillna(0))
    return both_missing | close.fillna(False)


def diff_scores(incoming: pd.DataFrame, stored: pd.DataFrame, replace: bool) -> ScoreDiff:
    """incoming: KEY + VALUES from ingest; stored: KEY + VALUES + upload_id of the same years."""
    new = incoming[KEY + VALUES].rename(columns={c: f"new_{c}" for c in VALUES})
    old = stored[KEY + VALUES + ["upload_id"]].rename(
        columns={**{c: f"old_{c}" for c in VALUES}, "upload_id": "old_upload_id"}
    )
    scope = incoming[["year", "measure"]].drop_duplicates()
    old = old.merge(scope, on=["year", "measure"])
    both = new.merge(old, on=KEY, how="outer", indicator=True)
    added = both[both._merge == "left_only"].drop(columns="_merge")
    matched = both[both._merge == "both"].drop(columns="_merge")
    same = np.logical_and.reduce([_same(matched[f"old_{c}"], matched[f"new_{c}"]) for c in VALUES])
    changed = matched[~same].copy()
    removed = both[both._merge == "right_only"].drop(columns="_merge") if replace else old.iloc[0:0]
    return ScoreDiff(
        added=added.reset_index(drop=True),
        changed=changed.reset_index(drop=True),
        removed=removed.reset_index(drop=True),
        unchanged=int(same.sum()),
        replace=replace,
        existing_years=sorted(int(y) for y in old.year.unique()),
    )
