"""Province names as people type them: diacritics or not, any case, NFD, aliases, typos.

Matching folds every name to a plain key ("TP. Hồ Chí Minh" -> "ho chi minh"); the closest
names for a typo come from rapidfuzz.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from papi_analysis.limits import MAX_SUGGESTION_CHARS

_PUNCTUATION = re.compile(r"[\s.,;:_\-–—/()'\"]+")
# Administrative prefixes officials put before names (and the English words compilations add); they never
# start or end a unit's own name.
_PREFIXES = ("thanh pho ", "tinh ", "tp ", "city of ")
_SUFFIXES = (" city", " province")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=8192)  # labels and names repeat (every CI row of a workbook says "Điểm thấp")
def plain(text: str) -> str:
    """Comparison key for headers and labels: no diacritics, lower case, punctuation as single spaces."""
    return _PUNCTUATION.sub(" ", strip_diacritics(nfc(str(text))).casefold()).strip()


def fold(text: str) -> str:
    """Comparison key for unit names: plain() without the prefixes 'tỉnh', 'thành phố', 'TP' and the English
    ' City', ' Province' ('Ho Chi Minh City')."""
    key = plain(text)
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def slugify(text: str) -> str:
    """URL form of a name: 'Sóc Trăng' -> 'soc-trang'."""
    return _PUNCTUATION.sub("-", strip_diacritics(nfc(str(text))).casefold()).strip("-")


@dataclass
class NameIndex:
    """Looks up unit ids by any accepted spelling, within one unit set or across all."""

    _keys: dict[str, dict[str, str]] = field(default_factory=dict)  # unit_set -> key -> unit_id
    _display: dict[str, dict[str, str]] = field(default_factory=dict)  # unit_set -> key -> name

    def add(self, unit_set: str, unit_id: str, name: str, aliases: Iterable[str] = ()) -> None:
        keys = self._keys.setdefault(unit_set, {})
        display = self._display.setdefault(unit_set, {})
        for spelling in (name, unit_id.split(":")[-1], *aliases):
            if spelling:
                keys[fold(spelling)] = unit_id
                keys.setdefault(fold(spelling).replace(" ", ""), unit_id)  # 'Hanoi', 'Danang'
        display[fold(name)] = name

    def lookup(self, text: str, unit_set: str) -> str | None:
        keys, key = self._keys.get(unit_set, {}), fold(text)
        return keys.get(key) or keys.get(key.replace(" ", ""))

    def unit_sets_of(self, text: str) -> set[str]:
        key = fold(text)
        return {unit_set for unit_set, keys in self._keys.items() if key in keys or key.replace(" ", "") in keys}

    def suggest(self, text: str, unit_set: str | None = None, limit: int = 3) -> list[str]:
        """The closest official names, best first (no suggestion below a similarity of 60, none for a
        text longer than any name could be: the cost grows with the length)."""
        if len(text) > MAX_SUGGESTION_CHARS:
            return []
        names: dict[str, str] = {}
        for one_set, display in self._display.items():
            if unit_set is None or one_set == unit_set:
                names.update(display)
        matches = process.extract(fold(text), list(names), scorer=fuzz.WRatio, limit=limit * 2)
        seen: list[str] = []
        for key, score, _ in matches:
            if score >= 60 and names[key] not in seen:
                seen.append(names[key])
        return seen[:limit]
