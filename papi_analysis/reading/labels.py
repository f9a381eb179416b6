"""What the label of a row or column of a scores file means: a column role (year, province …), the aggregate
(unweighted or weighted), a dimension, a sub-dimension, a bound of the score before it (confidence interval,
standard error: papi_analysis.bounds), an indicator, or nothing known. Pure text rules over the labels the
official workbooks and the compilations made from them use (PAPI.md) and our own layouts; the Reference supplies
the catalogue's codes and names, and the names each year's file gave its sub-dimensions.

A label reads as a targets.Target, or as None: a label nobody recognises is listed, never guessed. A cell that is
not a label (a scale such as "1-10", a unit) is never read as one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from papi_analysis.bounds import BOUNDS
from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL
from papi_analysis.names import nfc, plain, strip_diacritics
from papi_analysis.reading import extras
from papi_analysis.reading.context import ReadingContext
from papi_analysis.reading.line_targets import IGNORED, INDICATOR_TARGET, Target, score

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
        "provinces",
        "province name",
        "ten tinh thanh pho",
    },
    "measure": {"measure", "chi so", "ma chi so", "code", "dimension", "indicator"},
    "value": {"value", "diem", "diem so", "gia tri", "score"},
}
# Names the files give a dimension beside the catalogue's (data/measures.csv): the English short names of the
# research compilations (PAPI.md, issue 19).
DIMENSION_NAMES = {
    "participation": "D1",
    "participation at local level": "D1",
    "transparency": "D2",
    "vertical accountability": "D3",
    "accountability": "D3",
    "control of corruption": "D4",
    "corruption control": "D4",
    "administrative procedures": "D5",
    "public administrative procedure": "D5",
    "service delivery": "D6",
    "public services": "D6",
    "environmental governance": "D7",
    "environment": "D7",
    "e governance": "D8",
    "egovernance": "D8",
}
_BOUND_RE = {b.key: re.compile(r"\b(?:" + "|".join(b.words) + r")\b") for b in BOUNDS}
_WEIGHTING = re.compile(
    r"\b(?:khong co trong so|khong trong so|unweighted|un weighted|non weighted|co trong so|weighted)\b"
)
_UNWEIGHTED = re.compile(r"\b(?:khong co trong so|khong trong so|unweighted|un weighted|non weighted)\b")
# The same words as written (diacritics, case), with their parentheses: removed to read what is weighted.
_WEIGHTING_WORDS = re.compile(
    r"\(?\s*\b(?:không có trọng số|không trọng số|có trọng số|un-?weighted|non-weighted|weighted)\b\s*\)?", re.I
)
_GLUED = re.compile(r"(?<=[^\W\d_])(?=[0-9])|(?<=[0-9])(?=[^\W\d_])")
_A_YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b")
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
    "papi index",
    "total papi",
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

    target: Target | None  # None: not recognised
    note: str = ""
    name_vi: str | None = None
    name_en: str | None = None
    unit: str | None = None  # an indicator's unit: '%', 'ngày' …
    code: str | None = None  # an indicator's code as written in the label: 'd101', '1.1.1'
    official: bool = False  # written as the official workbooks write labels, not as our own layouts
    strength: int = 2  # 1: a sub-dimension known by its number only (a name, where there is one, wins)


@functools.lru_cache(maxsize=8192)  # labels repeat (every CI row says "Điểm thấp"), and each is folded several times
def folded(text: str) -> str:
    """Lower case, no diacritics, single spaces, punctuation kept (numbers like '1.1' survive)."""
    return " ".join(strip_diacritics(nfc(str(text))).casefold().split())


def is_vietnamese(text: str) -> bool:
    """A letter with a diacritic ('—' or '€' are no sign), or a Vietnamese word written without them."""
    return any(ch.isalpha() and not ch.isascii() for ch in nfc(text)) or bool(_VIETNAMESE_WORDS.search(plain(text)))


def role_of(text: str) -> Target | None:
    """A column of our own layouts ('year', 'province', 'measure', 'value', a bound: 'ci_low'), or IGNORED for the
    columns people keep beside the data (region, ID, notes, source)."""
    key = plain(text)
    role = next((r for r, spellings in ROLE_HEADERS.items() if key in spellings), None)
    if role is not None:
        return Target(role)
    if found := next((b for b in BOUNDS if key in b.headers), None):
        return Target(found.key)
    return IGNORED if extras.header_kind(text) is not None else None


def _names(text: str, name: str) -> dict[str, str]:
    """The name part of a label, as name_vi or name_en by its language."""
    name = " ".join(name.strip(" :.-–—").split())
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
    """The aggregate, weighted or not: 'Tổng (không có trọng số)', 'Un-weighted2015PAPI' (a compilation's header,
    its year glued on and sometimes wrong: the year is never read from here)."""
    key = plain(_A_YEAR.sub(" ", _GLUED.sub(" ", str(text))))
    weighting = _WEIGHTING.search(key)
    rest = plain(re.sub(r"\([^)]*\)", " ", _WEIGHTING.sub(" ", key)))
    if rest not in _AGGREGATES and not (weighting and not rest):
        return None
    weighted = bool(weighting) and not _UNWEIGHTED.search(key)
    return Reading(score(WEIGHTED_TOTAL if weighted else TOTAL), official=bool(weighting))


def _by_name(ctx: ReadingContext, dimension: str, key: str, contained: bool = True) -> str | None:
    """The sub-dimension of a dimension a name means: the year's published name or the catalogue's (either
    language), closely matched; or (`contained`) the one whose whole name the label contains ('Hiệu quả của Ban
    Thanh tra Nhân dân' holds 'Ban Thanh tra nhân dân')."""
    ref, year = ctx.ref, ctx.year
    names = [(code, vi, en) for code, vi, en in ref.subdimension_names(dimension)]
    if year is not None:
        valid = set(ref.subdimensions_in_year(dimension, year))
        names = [n for n in names if n[0] in valid] or names
        names += [(code, plain(vi), plain(en)) for code, vi, en in ref.published_names(dimension, year)]
    scores: dict[str, float] = {}
    for code, *spellings in names:
        best = max((fuzz.token_sort_ratio(key, s) for s in spellings if s), default=0)
        scores[code] = max(scores.get(code, 0), best)
    best = max(scores, key=scores.get, default=None)
    if best is not None and scores[best] >= 88:
        return best
    if not contained:
        return None
    within = {code for code, *spellings in names if any(s and f" {s} " in f" {key} " for s in spellings)}
    return next(iter(within)) if len(within) == 1 else None


def _spellings(ctx: ReadingContext, code: str) -> set[str]:
    """A sub-dimension's names (plain), the catalogue's and its year's."""
    names = {plain(ctx.ref.measure_name(code)), plain(ctx.ref.measure_name_en(code))}
    if ctx.year is not None:
        names |= {plain(ctx.ref.measure_name(code, ctx.year)), plain(ctx.ref.measure_name_en(code, ctx.year))}
    return names


def _by_number(ctx: ReadingContext, dimension: str, number: str | None) -> str | None:
    """The sub-dimension a number means: in a known year, the year's n-th part of the dimension (the files number
    the parts of their own year: 2.1 is Poverty Lists before 2018); else our code of that number."""
    if number is None:
        return None
    ref, m = ctx.ref, int(number)
    if ctx.year is not None:
        valid = ref.subdimensions_in_year(dimension, ctx.year)
        return valid[m - 1] if 0 < m <= len(valid) else None
    code = f"{dimension}.{m}"
    return code if code in {c for c, _, _ in ref.subdimension_names(dimension)} else None


def subdimension_code(ctx: ReadingContext, dimension: str, number: str | None, name: str) -> Reading:
    """A sub-dimension by its name in the file, else by its number. Our codes are kept where PAPI renumbers (D5.2
    is always construction permits)."""
    key = plain(name)
    by_name = _by_name(ctx, dimension, key) if key else None
    by_number = _by_number(ctx, dimension, number)
    if by_name and by_number and by_name != by_number:
        return Reading(score(by_name), note=f"số {number[:2]} trong tệp; nhận theo tên là {by_name}")
    if by_name or by_number:
        code = by_name or by_number
        differs = bool(key) and key not in _spellings(ctx, code)
        note = f"tên khác danh mục ({ctx.ref.measure_name(code)})" if differs else ""
        return Reading(score(code), note=note, strength=2 if by_name else 1)
    shown = f"{dimension[1:]}.{number}" if number else dimension
    return Reading(None, note=f"chỉ số thành phần {shown} chưa có trong danh mục")


def _numbered(text: str, ctx: ReadingContext) -> Reading | None:
    """'Chỉ số thành phần 1.1: …', '1.1: …', 'Chỉ số nội dung 1: …', 'Dimension 1 …', '1: …'."""
    key = folded(text)
    if match := _SUBDIMENSION.match(key):
        name = _name_part(text, _SUBDIMENSION)
        found = subdimension_code(ctx, f"D{match.group('n')}", match.group("m"), name)
        return Reading(found.target, note=found.note, official=True, strength=found.strength, **_names(text, name))
    if match := _INDICATOR_CODE.match(key):
        return _indicator(text, code=match.group("code"), name=_name_part(text, _INDICATOR_CODE))
    if match := _DIMENSION.match(key):
        if match.group("word") is None and not re.match(r"^[1-8]\s*[:.)\-–—]", key):
            return None  # a bare number with a name needs a separator ('1: …') to be a dimension
        return Reading(score(f"D{match.group('n')}"), official=True)
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
    return Reading(INDICATOR_TARGET, unit=_unit(text), code=code, official=True, **names)


def _bound(text: str, ctx: ReadingContext) -> Reading | None:
    key = plain(text)
    found = next((b for b in BOUNDS if _BOUND_RE[b.key].search(key)), None)
    if found is None:
        return None
    rest = re.sub(r"\([^)]*\)", " ", text)
    for word in found.words:
        rest = re.sub(rf"\b{word}\b", " ", plain(rest))
    named = read_label(rest, ctx, roles=False, bounds=False) if rest.strip() else None
    ours = any(re.search(rf"\b{spelling}\b", key) for spelling in found.headers)  # 'D1 ci_low', our export
    if named and named.target and named.target.is_score:
        return Reading(Target(found.key, named.target.of), official=named.official or not ours)
    return Reading(Target(found.key), official=key not in found.headers)


def _measure(text: str, ctx: ReadingContext) -> Reading | None:
    """A measure by its code or name in the catalogue, or by a name the files use for a dimension."""
    if code := ctx.ref.measure_code(text):
        named = plain(text) != plain(code) and ctx.ref.measure_kind(code) == "subdimension"
        return Reading(score(code), **(_names(text, str(text)) if named else {}))
    if code := DIMENSION_NAMES.get(plain(text)):
        return Reading(score(code), official=True)
    return None


def _subdimension_named(text: str, ctx: ReadingContext) -> Reading | None:
    """A sub-dimension by its name alone ('Hiệu quả của Ban Thanh tra Nhân dân', a year's own name)."""
    key = plain(text)
    if not key or len(key) > 120:
        return None
    for dimension in ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"):
        if code := _by_name(ctx, dimension, key, contained=False):
            return Reading(score(code), official=True, **_names(text, str(text)))
    return None


def _weighted_part(text: str, ctx: ReadingContext) -> Reading | None:
    """A dimension's or part's weighted score ('Chỉ số nội dung 1: … (có trọng số)', '… (weighted)'): published,
    never stored (only the weighted aggregate is): not read, and said. An unweighted one is the score."""
    key = plain(text)
    weighting = _WEIGHTING.search(key)
    if not weighting:
        return None
    rest = _WEIGHTING_WORDS.sub(" ", str(text))
    found = _read_label(rest, ctx, False, False) if rest.strip() != str(text).strip() else Reading(None)
    target = found.target
    if target is None or not target.is_score or target.of in (TOTAL, WEIGHTED_TOTAL):
        return None
    if _UNWEIGHTED.search(key):
        return found
    return Reading(IGNORED, note=f"điểm có trọng số của {target.of}: không lưu (chỉ lưu điểm tổng hợp có trọng số)")


def read_label(text: str, ctx: ReadingContext, *, roles: bool = True, bounds: bool = True) -> Reading:
    """One label: roles only where columns have roles (provinces in rows); bounds as above. A scale or a unit
    written where a label could be ('1-10', '%') is not a label. Each distinct label is read once a year."""
    key = (str(text), roles, bounds, ctx.year)
    if key not in ctx.labels:
        ctx.labels[key] = _read_label(str(text), ctx, roles, bounds)
    return ctx.labels[key]


def _read_label(text: str, ctx: ReadingContext, roles: bool, bounds: bool) -> Reading:
    if not text.strip() or extras.is_scale(text):
        return Reading(None)
    if roles and (role := role_of(text)):
        return Reading(role)
    if bounds and (found := _bound(text, ctx)):
        return found
    if found := _aggregate(text):
        return found
    if found := _weighted_part(text, ctx):
        return found
    for read in (_measure, _numbered, _subdimension_named):
        if found := read(text, ctx):
            return found
    if _unit(text):
        return _indicator(text)
    return Reading(None)


def read_line(texts: list[str], ctx: ReadingContext, *, roles: bool = True) -> Reading:
    """The label cells of one line (a code, a Vietnamese and an English label …) read together: the cells that
    are recognised must agree (one reading, its names taken from each cell by its language); where they
    disagree, the line is not read and says so."""
    cells = [t for t in (str(x).strip() for x in texts) if t]
    if len(cells) > 1:  # a header's scale or unit row ('1-10', 'điểm', '%') beside the labels says no measure
        cells = [t for t in cells if not (extras.is_scale(t) or extras.is_unit_word(t))] or cells[:1]
    if not cells:
        return Reading(None)
    readings = [read_label(t, ctx, roles=roles) for t in cells]
    known = [r for r in readings if r.target is not None]
    if not known and len(cells) > 1:
        known = [read_label(" ".join(cells), ctx, roles=roles)]
        known = [r for r in known if r.target is not None]
    if not known:
        notes = [r.note for r in readings if r.note]
        return Reading(None, note=notes[0] if notes else "")
    strongest = max(r.strength for r in known)
    if len({r.target for r in known}) > 1:  # a name outweighs a number ('5.2: Giấy chứng nhận …' is D5.3)
        known = [r for r in known if r.strength == strongest]
    targets = {r.target for r in known}
    if len(targets) > 1:
        said = ", ".join(sorted(t.text for t in targets))
        return Reading(None, note=f"các ô nhãn của dòng/cột này chỉ những chỉ số khác nhau ({said}): chưa đọc")
    first = known[0]
    merged = {
        field: next((getattr(r, field) for r in known if getattr(r, field)), None)
        for field in ("name_vi", "name_en", "unit", "code")
    }
    note = next((r.note for r in known if r.note), "")
    return Reading(first.target, note=note, official=any(r.official for r in known), **merged)
