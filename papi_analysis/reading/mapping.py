"""How the rows or columns of a scores file are read: one line per source row (provinces in columns), per
column (provinces in rows) or per distinct measure label (the long layout), each with what the reader
proposed and what it is finally read as. The analyst confirms or changes any line before committing; a
confirmed mapping is remembered and proposed again for the next file of the same shape.

The *shape* of a file is its layout and the sequence of its lines' labels, normalised (no case, diacritics or
punctuation): two workbooks whose rows say the same things in the same order have the same shape, whatever
their title rows, sheet names or values. A remembered mapping is reused whole for the same shape; for another
shape, a line the reader did not recognise takes the target the analyst gave the same label before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from papi_analysis.bounds import BOUNDS
from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL
from papi_analysis.names import plain
from papi_analysis.reading import line_targets
from papi_analysis.reading.context import Choices, Location, parse_location
from papi_analysis.reading.line_targets import IGNORED, INDICATOR_TARGET, ROLES, UNREAD_TARGET, Target
from papi_analysis.reference import Reference

LONG, WIDE, OFFICIAL_ROWS, OFFICIAL_COLUMNS = "long", "wide", "official_rows", "official_columns"
LAYOUT_LABELS = {
    LONG: "dạng dài (mỗi dòng một giá trị)",
    WIDE: "dạng rộng (mỗi tỉnh một dòng)",
    OFFICIAL_ROWS: "bảng tổng hợp PAPI công bố (mỗi tỉnh một dòng)",
    OFFICIAL_COLUMNS: "bảng chỉ tiêu PAPI công bố (mỗi tỉnh một cột)",
}
OFFICIAL = (OFFICIAL_ROWS, OFFICIAL_COLUMNS)
_ROLE_LABELS = {
    "year": "Cột năm",
    "province": "Cột tỉnh, thành phố",
    "measure": "Cột mã chỉ số",
    "value": "Cột giá trị",
}


@dataclass(frozen=True)
class Line:
    """One source row or column (or a distinct measure label) and what it is read as."""

    position: int  # grid row index (provinces in columns), column index (in rows), n-th label (long)
    where: str  # as the user finds it: 'dòng 12', 'cột C', '32 dòng'
    label: str
    automatic: Target  # what the reader alone proposed
    target: Target  # what it is read as
    proposed: Target | None = None  # what was proposed to the analyst (automatic, or remembered); None = automatic
    recognised: bool = True  # False: the reader did not know the label (listed; target UNREAD unless chosen)
    note: str = ""
    name_vi: str | None = None
    name_en: str | None = None
    unit: str | None = None
    code: str | None = None  # an indicator's code (written in the label, or made from it)
    parent: str | None = None  # the dimension or sub-dimension line nearest before it
    has_values: bool = True
    sheet: str | None = None  # the sheet it is on
    location: Location | None = None  # its row or column, as --map and --skip name it (None: the long layout)

    @property
    def offered(self) -> Target:
        return self.proposed or self.automatic


@dataclass(frozen=True)
class Remembered:
    """Confirmed mappings: whole, by shape; and the analyst's own choices for single labels."""

    by_shape: dict[str, tuple[Target, ...]] = field(default_factory=dict)
    by_label: dict[tuple[str, str], Target] = field(default_factory=dict)  # (layout, plain label) -> target


@dataclass(frozen=True)
class Mapping:
    layout: str
    lines: tuple[Line, ...]
    origin: str = "automatic"  # 'automatic', 'remembered' (a confirmed mapping was proposed), 'analyst'

    @cached_property
    def shape(self) -> str:
        text = "\x1f".join([self.layout, *(plain(line.label) for line in self.lines)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def official(self) -> bool:
        return self.layout in OFFICIAL

    def targets(self) -> tuple[Target, ...]:
        return tuple(line.target for line in self.lines)

    def of_sheet(self, sheet: str | None) -> Mapping:
        return replace(self, lines=tuple(ln for ln in self.lines if ln.sheet == sheet))

    def unknown(self) -> list[Line]:
        """Lines with values that the reader did not recognise and nobody mapped: listed, not read."""
        return [ln for ln in self.lines if ln.has_values and ln.target == UNREAD_TARGET]

    def new_indicators(self, known: Iterable[str]) -> list[Line]:
        seen = set(known)
        return [ln for ln in self.lines if ln.target == INDICATOR_TARGET and ln.code not in seen]

    def counts(self) -> dict[str, int]:
        """How many lines are read as each kind: aggregate, dimension, sub-dimension, bound, indicator, ignored."""
        kinds = [line.target.group() for line in self.lines if line.has_values]
        return {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}

    def resolved(self) -> tuple[dict[tuple[str | None, int], Target], list[Line]]:
        """Each read line's target by (sheet, position), a relative bound ('ci_low') made a bound of the nearest
        score line before it on its sheet ('ci_low:D1'); and the bounds with no score line before them."""
        found, orphans, last, sheet = {}, [], None, object()
        for line in self.lines:
            if line.sheet != sheet:
                last, sheet = None, line.sheet
            target = line.target
            if not target.is_read:
                continue
            if target.bound is not None and target.of is None:
                if last is None:
                    orphans.append(line)
                    continue
                target = target.of_measure(last)
            elif target.is_score:
                last = target.of
            found[(line.sheet, line.position)] = target
        return found, orphans

    def to_json(self) -> str:
        lines = [{"label": ln.label, "automatic": ln.automatic.text, "target": ln.target.text} for ln in self.lines]
        return json.dumps({"layout": self.layout, "lines": lines}, ensure_ascii=False)


def choices(ref: Reference, layout: str) -> list[Target]:
    """Every target a line of this layout can be read as, in the order the editor offers them."""
    measures = [TOTAL, WEIGHTED_TOTAL, *[c for c in ref.measures.code if c not in (TOTAL, WEIGHTED_TOTAL)]]
    scores = [line_targets.score(code) for code in measures]
    if layout == LONG:
        return [UNREAD_TARGET, *scores, INDICATOR_TARGET, IGNORED]
    roles = [Target(role) for role in ROLES] if layout != OFFICIAL_COLUMNS else []  # 'measure', 'value': read past
    bounds = [Target(b.key) for b in BOUNDS] + [Target(b.key, code) for code in measures for b in BOUNDS]
    return [UNREAD_TARGET, *roles, *scores, *bounds, INDICATOR_TARGET, IGNORED]


def target_label(target: Target, ref: Reference) -> str:
    """What a target is called in the editor: 'D1.1 Tri thức công dân (thành phần)', 'Cận dưới KTC 95% của D1'."""
    if (bound := target.bound) is not None:
        return f"{bound.label} " + (f"của {target.of}" if target.of else "(của điểm ở trên)")
    if target.is_role:
        return _ROLE_LABELS[target.kind]
    if target == INDICATOR_TARGET:
        return "Chỉ tiêu (không phải điểm)"
    if target == IGNORED:
        return "Bỏ qua"
    if target == UNREAD_TARGET:
        return "— chưa nhận ra (không đọc) —"
    code = str(target.of)
    if code == TOTAL:
        return "Tổng hợp (không trọng số)"
    if code == WEIGHTED_TOTAL:
        return "Tổng hợp có trọng số"
    if code in set(ref.measures.code):
        kind = "thành phần" if "." in code else "chỉ số nội dung"
        return f"{code} {ref.measure_name(code)} ({kind})"
    return code


def propose(mapping: Mapping, remembered: Remembered | None) -> Mapping:
    """The mapping to offer: a confirmed one of the same shape whole; else the analyst's earlier choices for
    labels the reader did not recognise."""
    if remembered is None:
        return mapping
    whole = remembered.by_shape.get(mapping.shape)
    if whole is not None and len(whole) == len(mapping.lines):
        lines = tuple(replace(ln, proposed=t, target=t) for ln, t in zip(mapping.lines, whole, strict=True))
        return replace(mapping, lines=lines, origin="remembered")
    lines, used = [], False
    for line in mapping.lines:
        earlier = remembered.by_label.get((mapping.layout, plain(line.label)))
        if earlier is not None and not line.recognised:
            line, used = replace(line, proposed=earlier, target=earlier), True
        lines.append(line)
    return replace(mapping, lines=tuple(lines), origin="remembered" if used else mapping.origin)


def _chosen(line: Line, n: int, choice: Choices, by_place: list[tuple[Location, Target]]) -> Target:
    """A line's target as the analyst chose it: by its place in the mapping, by its location, or skipped."""
    if n in choice.lines:
        return line_targets.parse(choice.lines[n])
    place = line.location
    if place is not None:
        for location, target in by_place:
            if location.matches(line.sheet, place.row, place.column):
                return target
        if any(loc.matches(line.sheet, place.row, place.column) for loc in choice.skipped_locations()):
            return IGNORED
    return line.offered


def choose(mapping: Mapping, choice: Choices) -> Mapping:
    """The analyst's choices over the offered mapping (context.Choices: lines, mapped, skip)."""
    by_place = [
        (loc, line_targets.parse(text)) for where, text in choice.mapped.items() if (loc := parse_location(where))
    ]
    if not (choice.lines or by_place or choice.skip):
        return mapping
    lines = tuple(replace(ln, target=_chosen(ln, n, choice, by_place)) for n, ln in enumerate(mapping.lines))
    changed = any(ln.target != ln.offered for ln in lines)
    return replace(mapping, lines=lines, origin="analyst" if changed else mapping.origin)


def remembered_from(rows: Iterable[tuple[str, str]]) -> Remembered:
    """Remembered mappings from stored (shape, mapping JSON) rows, oldest first (later ones win)."""
    by_shape: dict[str, tuple[Target, ...]] = {}
    by_label: dict[tuple[str, str], Target] = {}
    for shape, text in rows:
        stored = json.loads(text)
        by_shape[shape] = tuple(line_targets.parse(line["target"]) for line in stored["lines"])
        for line in stored["lines"]:
            if line["target"] != line["automatic"]:
                by_label[(stored["layout"], plain(line["label"]))] = line_targets.parse(line["target"])
    return Remembered(by_shape=by_shape, by_label=by_label)
