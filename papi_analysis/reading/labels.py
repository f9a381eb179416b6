"""What the label of a row or column of a scores file means: a column role (year, province …), the aggregate
(unweighted or weighted), a dimension, a sub-dimension, a bound of the score before it (confidence interval,
standard error), an indicator, or nothing known. Pure text rules over the labels the official workbooks use
(PAPI.md) and our own layouts; the Reference supplies the catalogue's codes and names.

Targets are strings: a measure code ('TOTAL', 'TOTAL_W', 'D1', 'D1.1'); a bound 'ci_low' / 'ci_high' / 'se'
(of the nearest score before it) or 'ci_low:D1' (of a named measure); 'indicator'; 'ignore'; or a column role
('year', 'province', 'measure', 'value'). A label nobody recognises reads as None (the target UNREAD): it is
listed, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL
from papi_analysis.names import nfc, plain, strip_diacritics
from papi_analysis.reference import Reference

IGNORE = "ignore"
UNREAD = "unread"  # a label nobody recognised: not read, listed; the analyst may choose what it is
INDICATOR = "indicator"
BOUNDS = ("ci_low", "ci_high", "se")
ROLES = ("year", "province", "measure", "value")

ROLE_HEADERS = {
    "year": {"year", "nam", "nam khao sat"},
    "province": {
        "province",
        "tinh",
        "tinh thanh pho",
        "tinh thanh",
        "ten tinh",
        "dia phuong",
        "don vi",
        "unit",
        "tinh thanh pho truc thuoc trung uong",
    },
    "measure": {"measure", "chi so", "ma chi so", "code", "dimension", "indicator"},
    "value": {"value", "diem", "diem so", "gia tri", "score"},
    "ci_low": {"ci low", "can duoi", "ci lower"},
    "ci_high": {"ci high", "can tren", "ci upper"},
    "se": {"se", "std error", "sai so chuan", "standard error"},
}
# Columns people keep beside the data (our own export adds the region and the source): read past in silence.
IGNORED_HEADERS = {"region", "vung", "stt", "tt", "so tt", "no", "gso code", "ma tinh", "nguon", "source"}
# A province row's or column's cells that are not units: the national figures some workbooks add.
NOT_UNITS = {
    "ca nuoc",
    "toan quoc",
    "trung binh",
    "trung binh ca nuoc",
    "trung vi",
    "national",
    "national average",
    "average",
    "mean",
    "median",
    "viet nam",
    "vietnam",
    "cao nhat",
    "thap nhat",
    "min",
    "max",
}

_BOUND_WORDS = {
    "ci_low": ("diem thap", "ci low", "ci lower", "lower bound", "can duoi", "gioi han duoi", "low ci", "lower ci"),
    "ci_high": ("diem cao", "ci high", "ci upper", "upper bound", "can tren", "gioi han tren", "high ci", "upper ci"),
    "se": ("sai so chuan", "sai so", "standard error", "std error", "std err", "se"),
}
_BOUND_RE = {kind: re.compile(r"\b(?:" + "|".join(words) + r")\b") for kind, words in _BOUND_WORDS.items()}
_WEIGHTING = re.compile(r"\b(?:khong co trong so|khong trong so|unweighted|non weighted|co trong so|weighted)\b")
_UNWEIGHTED = re.compile(r"\b(?:khong co trong so|khong trong so|unweighted|non weighted)\b")
_AGGREGATES = {
    "papi",
    "chi so papi",
    "chi so papi tong hop",
    "papi tong hop",
    "tong hop",
    "tong",
    "tong papi",
    "tong diem",
    "tong diem papi",
    "diem tong hop",
    "chi so tong hop",
    "aggregate",
    "papi aggregate",
    "aggregate papi",
    "total",
    "papi score",
    "papi aggregate score",
    "aggregate papi score",
}
_SEP = r"\s*(?:[:.\-–—)]\s*|\s+|$)"
_DIM_WORDS = r"(?:chi so noi dung|cs noi dung|noi dung|dimension|dim\.?|linh vuc)"
_SUB_WORDS = r"(?:chi so (?:noi dung )?thanh phan|noi dung thanh phan|thanh phan|sub[- ]?dimension|sub[- ]?dim\.?)"
_DIMENSION = re.compile(rf"^(?:(?P<word>{_DIM_WORDS})\s*)?(?P<n>[1-8])(?!\.?\d){_SEP}(?P<name>.*)$")
_SUBDIMENSION = re.compile(
    rf"^(?:(?P<word>{_SUB_WORDS}|{_DIM_WORDS})\s*)?(?P<n>[1-8])\.(?P<m>\d{{1,2}})(?!\.?\d){_SEP}(?P<name>.*)$"
)
_INDICATOR_CODE = re.compile(
    r"^(?:(?:chi tieu|indicator)\s*)?(?P<code>[a-z]{1,2}\d{3,4}[a-z]?|[1-8]\.\d{1,2}\.\d{1,2}[a-z]?)"
    rf"(?![\d.]){_SEP}(?P<name>.*)$"
)
_PERCENT = re.compile(r"%|\b(?:ty le|phan tram|percent|percentage|proportion|share of)\b")
_UNIT_IN_PARENTHESES = re.compile(r"\(([^()]{1,25})\)\s*$")
# Units an indicator label may end with, in parentheses: '(ngày)', '(triệu đồng)'.
_UNIT_WORDS = {"ngay", "so ngay", "gio", "phut", "lan", "km", "dong", "nghin dong", "trieu dong", "vnd", "nguoi", "ho"}
_UNIT_WORDS |= {"days", "day", "hours", "minutes", "times", "people", "households"}
_VIETNAMESE_WORDS = re.compile(r"\b(?:chi so|thanh phan|noi dung|ty le|diem|nguoi|tong hop|trong so|chi tieu)\b")


@dataclass(frozen=True)
class Reading:
    """What one label (or the label cells of one line) was read as."""

    target: str | None  # None: not recognised
    note: str = ""
    name_vi: str | None = None
    name_en: str | None = None
    unit: str | None = None  # an indicator's unit: '%', 'ngày' …
    code: str | None = None  # an indicator's code as written in the label: 'd101', '1.1.1'
    official: bool = False  # written as the official workbooks write labels, not as our own layouts
    strength: int = 2  # 1: a sub-dimension known by its number only (a name, where there is one, wins)


def folded(text: str) -> str:
    """Lower case, no diacritics, single spaces, punctuation kept (numbers like '1.1' survive)."""
    return " ".join(strip_diacritics(nfc(str(text))).casefold().split())


def is_vietnamese(text: str) -> bool:
    return any(ord(ch) > 127 for ch in nfc(text)) or bool(_VIETNAMESE_WORDS.search(plain(text)))


def role_of(text: str) -> str | None:
    """A column role of our own layouts ('year', 'province', … 'ci_low'), or 'ignore' for known extras."""
    key = plain(text)
    role = next((r for r, spellings in ROLE_HEADERS.items() if key in spellings), None)
    return role or (IGNORE if key in IGNORED_HEADERS else None)


def _names(text: str, name: str) -> dict[str, str]:
    """The name part of a label, as name_vi or name_en by its language."""
    name = name.strip(" :.-–—")
    if not name:
        return {}
    return {"name_vi": name} if is_vietnamese(text) else {"name_en": name}


def _name_part(text: str, pattern: re.Pattern[str]) -> str:
    """The label's own text after its number, with its case and diacritics (the pattern ran on folded text)."""
    match = pattern.match(folded(text))
    if not match:
        return ""
    tail = len(match.group("name"))
    original = " ".join(nfc(str(text)).split())
    return original[len(original) - tail :] if tail else ""


def _aggregate(text: str) -> Reading | None:
    key = plain(text)
    weighting = _WEIGHTING.search(key)
    rest = plain(re.sub(r"\([^)]*\)", " ", _WEIGHTING.sub(" ", key)))
    if rest not in _AGGREGATES and not (weighting and not rest):
        return None
    weighted = bool(weighting) and not _UNWEIGHTED.search(key)
    return Reading(WEIGHTED_TOTAL if weighted else TOTAL, official=bool(weighting))


def subdimension_code(ref: Reference, dimension: str, number: str | None, name: str) -> Reading:
    """A sub-dimension by its name in the file (the catalogue's Vietnamese or English name, closely matched),
    else by its number. Our codes are kept where PAPI renumbers (D5.2 is always construction permits)."""
    parts = ref.subdimension_names(dimension)
    key = plain(name)
    by_name = None
    if key:
        scores = {code: max(fuzz.token_sort_ratio(key, vi), fuzz.token_sort_ratio(key, en)) for code, vi, en in parts}
        best = max(scores, key=scores.get, default=None)
        by_name = best if best is not None and scores[best] >= 88 else None
    by_number = f"{dimension}.{int(number)}" if number is not None else None
    if by_number not in {code for code, _, _ in parts}:
        by_number = None
    if by_name and by_number and by_name != by_number:
        return Reading(by_name, note=f"số {number[:2]} trong tệp; nhận theo tên là {by_name}")
    if by_name or by_number:
        code = by_name or by_number
        differs = bool(key) and by_name is None
        note = f"tên khác danh mục ({ref.measure_name(code)})" if differs else ""
        return Reading(code, note=note, strength=2 if by_name else 1)
    shown = f"{dimension[1:]}.{number}" if number else dimension
    return Reading(None, note=f"chỉ số thành phần {shown} chưa có trong danh mục")


def _numbered(text: str, ref: Reference) -> Reading | None:
    """'Chỉ số thành phần 1.1: …', '1.1: …', 'Chỉ số nội dung 1: …', 'Dimension 1 …', '1: …'."""
    key = folded(text)
    if match := _SUBDIMENSION.match(key):
        name = _name_part(text, _SUBDIMENSION)
        found = subdimension_code(ref, f"D{match.group('n')}", match.group("m"), name)
        return Reading(found.target, note=found.note, official=True, strength=found.strength, **_names(text, name))
    if match := _INDICATOR_CODE.match(key):
        return _indicator(text, code=match.group("code"), name=_name_part(text, _INDICATOR_CODE))
    if match := _DIMENSION.match(key):
        if match.group("word") is None and not re.match(r"^[1-8]\s*[:.)\-–—]", key):
            return None  # a bare number with a name needs a separator ('1: …') to be a dimension
        return Reading(f"D{match.group('n')}", official=True)
    return None


def _unit(text: str) -> str | None:
    """'%' for a share; else a unit word in the label's last parentheses ('ngày'); None if neither."""
    if _PERCENT.search(folded(text)):
        return "%"
    match = _UNIT_IN_PARENTHESES.search(nfc(str(text)))
    inside = match.group(1).strip() if match else ""
    return inside if plain(inside) in _UNIT_WORDS else None


def _indicator(text: str, code: str | None = None, name: str | None = None) -> Reading:
    names = _names(text, name) if code else _names(text, text)
    return Reading(INDICATOR, unit=_unit(text), code=code, official=True, **names)


def _bound(text: str, ref: Reference) -> Reading | None:
    key = plain(text)
    kind = next((k for k, pattern in _BOUND_RE.items() if pattern.search(key)), None)
    if kind is None:
        return None
    rest = re.sub(r"\([^)]*\)", " ", text)
    for word in _BOUND_WORDS[kind]:
        rest = re.sub(rf"\b{word}\b", " ", plain(rest))
    named = read_label(rest, ref, roles=False, bounds=False) if rest.strip() else None
    ours = any(re.search(rf"\b{spelling}\b", key) for spelling in ROLE_HEADERS[kind])  # 'D1 ci_low', our export
    if named and named.target and named.target not in (INDICATOR, IGNORE) and ":" not in named.target:
        return Reading(f"{kind}:{named.target}", official=named.official or not ours)
    return Reading(kind, official=key not in ROLE_HEADERS.get(kind, ()))


def read_label(text: str, ref: Reference, *, roles: bool = True, bounds: bool = True) -> Reading:
    """One label: roles only where columns have roles (provinces in rows); bounds as above."""
    if not str(text).strip():
        return Reading(None)
    if roles and (role := role_of(text)):
        return Reading(role)
    if bounds and (found := _bound(text, ref)):
        return found
    if found := _aggregate(text):
        return found
    if code := ref.measure_code(text):
        named = plain(text) != plain(code) and ref.measure_kind(code) == "subdimension"
        return Reading(code, **(_names(text, str(text)) if named else {}))
    if found := _numbered(text, ref):
        return found
    if _unit(text):
        return _indicator(text)
    return Reading(None)


def read_line(texts: list[str], ref: Reference, *, roles: bool = True) -> Reading:
    """The label cells of one line (a code, a Vietnamese and an English label …) read together: the cells
    that are recognised must agree; names are taken from each cell by its language."""
    cells = [t for t in (str(x).strip() for x in texts) if t]
    if not cells:
        return Reading(None)
    readings = [read_label(t, ref, roles=roles) for t in cells]
    known = [r for r in readings if r.target is not None]
    if not known and len(cells) > 1:
        known = [read_label(" ".join(cells), ref, roles=roles)]
        known = [r for r in known if r.target is not None]
    if not known:
        notes = [r.note for r in readings if r.note]
        return Reading(None, note=notes[0] if notes else "")
    strongest = max(r.strength for r in known)
    if len({r.target for r in known}) > 1:  # a name outweighs a number ('5.2: Giấy chứng nhận …' is D5.3)
        known = [r for r in known if r.strength == strongest]
    targets = {r.target for r in known}
    if len(targets) > 1:
        return Reading(None, note="các ô nhãn của dòng này chỉ những chỉ số khác nhau")
    first = known[0]
    merged = {
        field: next((getattr(r, field) for r in known if getattr(r, field)), None)
        for field in ("name_vi", "name_en", "unit", "code")
    }
    note = next((r.note for r in known if r.note), "")
    return Reading(first.target, note=note, official=any(r.official for r in known), **merged)
