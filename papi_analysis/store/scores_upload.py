"""A scores upload from file to store, the same for the upload page and the command line (issue 19, item 9):

    read     the file in the isolated child (reading.isolated), with the analyst's choices (reading.context.Choices:
             year, unit set, sheet, where the units are, any line's target, rows or columns to skip) and the
             mappings confirmed before (Store.remembered);
    preview  what committing would change against the store — values added, changed and removed (each removal
             listed), the names a year's file gives its parts, the plausibility warnings (reading.plausibility),
             the year to confirm — and what must be confirmed before it can be written;
    commit   with the preview's signature: nothing is written if the stored data moved since, if nothing would
             change, or if something the preview asks to confirm was not confirmed (a year in doubt, names alone,
             deletions).
A commit reports what it wrote, names included: never "0 changes" after writing something.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from papi_analysis import fmt
from papi_analysis.access.permissions import Account
from papi_analysis.reading import isolated, plausibility
from papi_analysis.reading.context import Choices
from papi_analysis.reading.ingest import ParsedScores, ScoresReading
from papi_analysis.reference import Reference
from papi_analysis.store.database import CommitResult, Store, StoreError
from papi_analysis.store.upload_diff import ScoreDiff


def read(
    store: Store, content: bytes, file: str, choices: Choices | None = None, ref: Reference | None = None
) -> ScoresReading:
    """The file read in the isolated child, with the analyst's choices and the remembered mappings (`ref`: the
    store's reference, if the caller has it)."""
    return isolated.read_scores(content, file, ref or store.reference(), choices or Choices(), store.remembered())


@dataclass(frozen=True)
class Confirmed:
    """What the analyst confirmed after seeing the preview."""

    year: bool = False  # the year in doubt is right (or the analyst gave the year)
    names: bool = False  # write the names even though no value changes
    deletions: int | None = None  # how many stored values the analyst saw would be deleted


@dataclass
class Preview:
    parsed: ParsedScores
    diff: ScoreDiff
    replace: bool
    warnings: list[str]  # the file's, then the plausibility warnings

    @property
    def values_change(self) -> bool:
        return any(part.has_changes for part in self.diff.values)

    @property
    def names_only(self) -> bool:
        return not self.values_change and self.diff.labels is not None and self.diff.labels.has_changes

    @property
    def nothing(self) -> bool:
        return not self.diff.has_changes

    @property
    def deletions(self) -> int:
        return sum(len(part.removed) for part in self.diff.values)

    def names(self) -> str:
        """The names that would be written, in words: '22 tên thành phần (chỉ có tiếng Anh)'."""
        labels = self.diff.labels
        if labels is None or not labels.has_changes:
            return ""
        rows = pd.concat([labels.added, labels.changed], ignore_index=True)
        said = []
        for kind, noun in (("measure", "tên chỉ số thành phần"), ("indicator", "tên chỉ tiêu")):
            part = rows[rows.kind == kind]
            if part.empty:
                continue
            vi, en = part.new_name_vi.notna().any(), part.new_name_en.notna().any()
            language = " (chỉ có tiếng Anh)" if en and not vi else " (chỉ có tiếng Việt)" if vi and not en else ""
            said.append(f"{fmt.integer(len(part))} {noun}{language}")
        return ", ".join(said)

    def to_confirm(self, confirmed: Confirmed) -> list[str]:
        """What must still be confirmed before committing (empty: ready), in Vietnamese."""
        needed = []
        if not self.parsed.year_confirmed and not confirmed.year:
            needed.append(self.parsed.file_year.note() or "Hãy xác nhận năm của số liệu.")
        if self.names_only and not confirmed.names:
            needed.append(f"Số liệu không đổi; chỉ có tên thay đổi ({self.names()}): chỉ ghi nếu chọn ghi tên.")
        if self.diff.needs_replace and not self.replace:
            years = ", ".join(map(str, self.diff.existing_years))
            counts = self.diff.counts()
            needed.append(
                f"Năm {years} đã có dữ liệu và tệp thay đổi {counts['changed']} giá trị: cần xác nhận thay thế."
            )
        if self.deletions and confirmed.deletions != self.deletions:
            needed.append(
                f"Ghi tệp này sẽ xóa {fmt.integer(self.deletions)} giá trị đang lưu (đã liệt kê): "
                "cần xác nhận việc xóa."
            )
        return needed


def preview(store: Store, parsed: ParsedScores, replace: bool, ref: Reference | None = None) -> Preview:
    """What committing `parsed` would change, with every warning about it (`ref`: the reference the file was read
    with, if the caller has it)."""
    diff = store.preview(parsed, replace=replace)
    ref = ref or store.reference()
    extra = plausibility.warnings(parsed.frame, store.scores(), ref.unit_name)
    return Preview(parsed=parsed, diff=diff, replace=replace, warnings=[*parsed.warnings, *extra])


def commit(store: Store, shown: Preview, user: str | Account, confirmed: Confirmed) -> CommitResult:
    """Write what the preview showed, in one transaction; StoreError (nothing written) if anything the preview
    asks is not confirmed, if nothing would change, or if the stored data moved since."""
    if shown.nothing:
        raise StoreError("Không có thay đổi nào so với dữ liệu đang lưu; không ghi gì.")
    needed = shown.to_confirm(confirmed)
    if needed:
        raise StoreError(" ".join(needed) + " Chưa có gì được ghi.")
    return store.commit_scores(
        shown.parsed, replace=shown.replace, user=user, expected_signature=shown.diff.signature()
    )


def done_message(result: CommitResult) -> str:
    """What a commit wrote, in words (names included: never '0 changes' after writing)."""
    names = f"; {fmt.integer(result.names)} tên" if result.names else ""
    return (
        f"Đã ghi lượt tải lên số {result.upload_id}: thêm {result.added}, thay đổi {result.changed}, "
        f"xóa {result.removed} giá trị{names}."
    )


def removed_lines(shown: Preview, unit_name, limit: int = 200) -> list[str]:
    """Every stored value the commit would delete, one line each (at most `limit`, then how many more)."""
    lines = []
    for part in shown.diff.values:
        for row in part.removed.to_dict("records"):
            what = row.get("measure") or row.get("code")
            lines.append(f"{row['year']} {unit_name(row['unit_id'])} {what}: {fmt.number(row['old_value'], 4)}")
    more = len(lines) - limit
    return lines[:limit] + ([f"… và {fmt.integer(more)} giá trị khác"] if more > 0 else [])
