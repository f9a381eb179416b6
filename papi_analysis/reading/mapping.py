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

from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL
from papi_analysis.names import plain
from papi_analysis.reading.labels import BOUNDS, IGNORE, INDICATOR, ROLES, UNREAD
from papi_analysis.reference import Reference

LONG, WIDE, OFFICIAL_ROWS, OFFICIAL_COLUMNS = "long", "wide", "official_rows", "official_columns"
LAYOUT_LABELS = {
    LONG: "dạng dài (mỗi dòng một giá trị)",
    WIDE: "dạng rộng (mỗi tỉnh một dòng)",
    OFFICIAL_ROWS: "bảng tổng hợp PAPI công bố (mỗi tỉnh một dòng)",
    OFFICIAL_COLUMNS: "bảng chỉ tiêu PAPI công bố (mỗi tỉnh một cột)",
}
OFFICIAL = (OFFICIAL_ROWS, OFFICIAL_COLUMNS)
_BOUND_LABELS = {"ci_low": "Cận dưới KTC 95%", "ci_high": "Cận trên KTC 95%", "se": "Sai số chuẩn"}
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
    automatic: str  # what the reader alone proposed
    target: str  # what it is read as
    proposed: str = ""  # what was proposed to the analyst (automatic, or remembered); '' = automatic
    recognised: bool = True  # False: the reader did not know the label (listed; target UNREAD unless chosen)
    note: str = ""
    name_vi: str | None = None
    name_en: str | None = None
    unit: str | None = None
    code: str | None = None  # an indicator's code (written in the label, or made from it)
    parent: str | None = None  # the dimension or sub-dimension line nearest before it
    has_values: bool = True

    @property
    def offered(self) -> str:
        return self.proposed or self.automatic


@dataclass(frozen=True)
class Remembered:
    """Confirmed mappings: whole, by shape; and the analyst's own choices for single labels."""

    by_shape: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_label: dict[tuple[str, str], str] = field(default_factory=dict)  # (layout, plain label) -> target


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

    def targets(self) -> tuple[str, ...]:
        return tuple(line.target for line in self.lines)

    def unknown(self) -> list[Line]:
        """Lines with values that the reader did not recognise and nobody mapped: listed, not read."""
        return [ln for ln in self.lines if ln.has_values and ln.target == UNREAD]

    def new_indicators(self, known: Iterable[str]) -> list[Line]:
        seen = set(known)
        return [ln for ln in self.lines if ln.target == INDICATOR and ln.code not in seen]

    def counts(self) -> dict[str, int]:
        """How many lines are read as each kind: aggregate, dimension, sub-dimension, bound, indicator, ignored."""
        kinds = [target_kind(line.target) for line in self.lines if line.has_values]
        return {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}

    def resolved(self) -> tuple[dict[int, str], list[Line]]:
        """Each read line's target by position, a relative bound ('ci_low') given the measure of the nearest
        score line before it ('ci_low:D1'); and the bounds with no score line before them."""
        targets, orphans, last_measure = {}, [], None
        for line in self.lines:
            target = line.target
            if target in (IGNORE, UNREAD) or target in ROLES:
                continue
            if target in BOUNDS:
                if last_measure is None:
                    orphans.append(line)
                    continue
                target = f"{target}:{last_measure}"
            elif target != INDICATOR and ":" not in target:
                last_measure = target
            targets[line.position] = target
        return targets, orphans

    def to_json(self) -> str:
        lines = [{"label": ln.label, "automatic": ln.automatic, "target": ln.target} for ln in self.lines]
        return json.dumps({"layout": self.layout, "lines": lines}, ensure_ascii=False)


def target_kind(target: str) -> str:
    """'aggregate', 'weighted', 'dimension', 'subdimension', 'ci_low'/'ci_high'/'se', 'indicator', 'ignore',
    'role'."""
    if target in (TOTAL, WEIGHTED_TOTAL):
        return "aggregate" if target == TOTAL else "weighted"
    if target == UNREAD:
        return "unread"
    if target in (INDICATOR, IGNORE):
        return target
    if target.split(":")[0] in BOUNDS:
        return target.split(":")[0]
    if target in ROLES:
        return "role"
    return "subdimension" if "." in target else "dimension"


def choices(ref: Reference, layout: str) -> list[str]:
    """Every target a line of this layout can be read as, in the order the editor offers them."""
    measures = [TOTAL, WEIGHTED_TOTAL, *[c for c in ref.measures.code if c not in (TOTAL, WEIGHTED_TOTAL)]]
    if layout == LONG:
        return [UNREAD, *measures, INDICATOR, IGNORE]
    roles = list(ROLES) if layout != OFFICIAL_COLUMNS else []  # 'measure', 'value' are read past in a wide file
    bounds = [*BOUNDS, *(f"{kind}:{code}" for code in measures for kind in BOUNDS)]
    return [UNREAD, *roles, *measures, *bounds, INDICATOR, IGNORE]


def target_label(target: str, ref: Reference) -> str:
    """What a target is called in the editor: 'D1.1 Tri thức công dân (thành phần)', 'Cận dưới KTC 95% của D1'."""
    kind, _, code = target.partition(":")
    if kind in _BOUND_LABELS:
        return f"{_BOUND_LABELS[kind]} " + (f"của {code}" if code else "(của điểm ở trên)")
    if target in _ROLE_LABELS:
        return _ROLE_LABELS[target]
    if target == INDICATOR:
        return "Chỉ tiêu (không phải điểm)"
    if target == IGNORE:
        return "Bỏ qua"
    if target == UNREAD:
        return "— chưa nhận ra (không đọc) —"
    if target == TOTAL:
        return "Tổng hợp (không trọng số)"
    if target == WEIGHTED_TOTAL:
        return "Tổng hợp có trọng số"
    if target in set(ref.measures.code):
        kind = "thành phần" if "." in target else "chỉ số nội dung"
        return f"{target} {ref.measure_name(target)} ({kind})"
    return target


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


def choose(mapping: Mapping, overrides: dict[int, str] | None) -> Mapping:
    """The analyst's choices over the offered mapping: the n-th line (in the mapping's order) -> its target."""
    if not overrides:
        return mapping
    lines = tuple(replace(ln, target=overrides.get(n, ln.offered)) for n, ln in enumerate(mapping.lines))
    changed = any(ln.target != ln.offered for ln in lines)
    return replace(mapping, lines=lines, origin="analyst" if changed else mapping.origin)


def remembered_from(rows: Iterable[tuple[str, str]]) -> Remembered:
    """Remembered mappings from stored (shape, mapping JSON) rows, oldest first (later ones win)."""
    by_shape: dict[str, tuple[str, ...]] = {}
    by_label: dict[tuple[str, str], str] = {}
    for shape, text in rows:
        stored = json.loads(text)
        by_shape[shape] = tuple(line["target"] for line in stored["lines"])
        for line in stored["lines"]:
            if line["target"] != line["automatic"]:
                by_label[(stored["layout"], plain(line["label"]))] = line["target"]
    return Remembered(by_shape=by_shape, by_label=by_label)
