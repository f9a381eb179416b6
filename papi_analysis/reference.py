"""Reference data every other module looks things up in: units, regions, measures, and names."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from papi_analysis.domain import NEW_UNITS, OLD_UNITS, TOTAL
from papi_analysis.names import NameIndex, plain, strip_diacritics

# Header spellings of the aggregate beyond its code and names in data/measures.csv.
_TOTAL_SYNONYMS = ("tong", "tong hop", "tong papi", "papi", "chi so papi", "diem tong hop", "aggregate")


class UnknownName(LookupError):
    """A name that matches no unit; carries the closest official names."""

    def __init__(self, text: str, suggestions: list[str]):
        self.text, self.suggestions = text, suggestions
        hint = f" Có phải: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Không tìm thấy tỉnh/thành phố '{text}'.{hint}")


@dataclass
class Reference:
    units: pd.DataFrame  # unit_id, unit_set, name_vi, slug, unit_type, region_id, region_name, aliases
    measures: pd.DataFrame  # code, kind, parent, name_vi, name_en, short_vi, first_year, last_year
    regions: pd.DataFrame  # region_id, name_vi, name_en, sort_order
    lineage: pd.DataFrame  # old_unit_id, new_unit_id
    published: pd.DataFrame | None = None  # year, code, name_vi, name_en: a year's file's names of sub-dimensions
    names: NameIndex = field(init=False)
    _measure_keys: dict[str, str] = field(init=False)
    _code_keys: dict[str, str] = field(init=False)
    _measure_rows: dict[str, dict[str, object]] = field(init=False)
    _unit_rows: dict[str, dict[str, object]] = field(init=False)
    _region_names: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = NameIndex()
        for unit in self.units.itertuples():
            self.names.add(unit.unit_set, unit.unit_id, unit.name_vi, list(unit.aliases))
        keys: dict[str, str] = {}
        for m in self.measures.itertuples():
            for spelling in (m.code, m.name_vi, m.name_en, m.short_vi):
                if isinstance(spelling, str) and spelling:
                    keys.setdefault(plain(spelling), m.code)
        for synonym in _TOTAL_SYNONYMS:
            keys.setdefault(synonym, TOTAL)
        self._measure_keys = keys
        self._code_keys = {plain(code): code for code in self.measures.code}
        self._unit_names = dict(zip(self.units.unit_id, self.units.name_vi, strict=True))
        self._unit_rows = {row["unit_id"]: row for row in self.units.to_dict("records")}
        self._members: dict[tuple[str, str], list[str]] = {}
        self._region_names = dict(zip(self.regions.region_id, self.regions.name_vi, strict=True))
        # Looked up on every page run (the sidebar, lineage): dictionaries, not frame filters.
        self._successors = dict(zip(self.lineage.old_unit_id, self.lineage.new_unit_id, strict=True))
        self._predecessors: dict[str, list[str]] = {}
        for old, new in zip(self.lineage.old_unit_id, self.lineage.new_unit_id, strict=True):
            self._predecessors.setdefault(new, []).append(old)
        self._sets: dict[str, pd.DataFrame] = {}
        self._sorted: dict[str, list[str]] = {}
        self._measure_rows = {row["code"]: row for row in self.measures.to_dict("records")}
        self._subdimensions: dict[tuple[str, int], list[str]] = {}
        self._subdimension_names: dict[str, list[tuple[str, str, str]]] = {}
        self._published_names: dict[tuple[str, int], list[tuple[str, str, str]]] = {}
        published = self.published if self.published is not None else pd.DataFrame(columns=["year", "code"])
        self._published = {
            (int(r["year"]), r["code"]): r for r in published.to_dict("records") if r.get("name_vi") or r.get("name_en")
        }

    # measures -------------------------------------------------------------------------------
    def measure_code(self, text: str) -> str | None:
        """'D5.3', 'd5.3', 'Thủ tục hành chính công', 'Public Administrative Procedures',
        'D5 - Thủ tục hành chính công' -> code. Exact: a code, a name, or a code followed by that same
        measure's name; never a prefix ('D1.9' and 'D3.x' are not D1 and D3, they are unknown)."""
        key = plain(text)
        if key in self._measure_keys:
            return self._measure_keys[key]
        for code_key, code in self._code_keys.items():
            if key.startswith(code_key + " ") and self._measure_keys.get(key[len(code_key) + 1 :]) == code:
                return code
        return None

    def measure(self, code: str) -> dict[str, object]:
        return self._measure_rows[code]

    def measure_name(self, code: str, year: int | None = None) -> str:
        """The Vietnamese name; with a year, the name that year's file gave it (sub-dimensions), if stored."""
        published = self._published.get((int(year), code)) if year is not None else None
        if published is not None and isinstance(published.get("name_vi"), str) and published["name_vi"]:
            return str(published["name_vi"])
        return str(self._measure_rows[code]["name_vi"])

    def measure_name_en(self, code: str, year: int | None = None) -> str:
        published = self._published.get((int(year), code)) if year is not None else None
        if published is not None and isinstance(published.get("name_en"), str) and published["name_en"]:
            return str(published["name_en"])
        return str(self._measure_rows[code]["name_en"])

    def published_names(self, dimension: str, year: int) -> list[tuple[str, str, str]]:
        """The names a year's file gave the sub-dimensions of a dimension, as stored: (code, Vietnamese, English)."""
        key = (dimension, int(year))
        if key not in self._published_names:
            self._published_names[key] = [
                (code, *(row[c] if isinstance(row.get(c), str) else "" for c in ("name_vi", "name_en")))
                for (y, code), row in self._published.items()
                if y == int(year) and code.startswith(dimension + ".")
            ]
        return self._published_names[key]

    def measure_kind(self, code: str) -> str:
        return str(self._measure_rows[code]["kind"])

    def subdimension_names(self, dimension: str) -> list[tuple[str, str, str]]:
        """The catalogue's sub-dimensions of a dimension, every year: (code, plain Vietnamese, plain English)."""
        if dimension not in self._subdimension_names:
            self._subdimension_names[dimension] = [
                (m["code"], plain(m["name_vi"]), plain(m["name_en"]))
                for m in self._measure_rows.values()
                if m["kind"] == "subdimension" and m["parent"] == dimension
            ]
        return self._subdimension_names[dimension]

    def subdimensions_in_year(self, dimension: str, year: int) -> list[str]:
        key = (dimension, year)
        if key not in self._subdimensions:
            self._subdimensions[key] = [
                m["code"]
                for m in self._measure_rows.values()
                if m["kind"] == "subdimension"
                and m["parent"] == dimension
                and (pd.isna(m["first_year"]) or m["first_year"] <= year)
                and (pd.isna(m["last_year"]) or m["last_year"] >= year)
            ]
        return self._subdimensions[key]

    # units ----------------------------------------------------------------------------------
    def unit_name(self, unit_id: str) -> str:
        return self._unit_names[unit_id]

    def unit(self, unit_id: str) -> dict[str, object]:
        """A unit's row of the units table (unit_set, name_vi, slug, unit_type, region_id, …)."""
        return self._unit_rows[unit_id]

    def unit_id(self, text: str, unit_set: str = OLD_UNITS) -> str | None:
        return self.names.lookup(text, unit_set)

    def units_named(self, text: str) -> list[str]:
        """Every unit a name can mean, in either unit set; UnknownName if none."""
        found = [u for s in (OLD_UNITS, NEW_UNITS) if (u := self.unit_id(text, s))]
        if not found:
            raise UnknownName(text, self.names.suggest(text))
        return found

    def find_unit(self, text: str, unit_set: str) -> str:
        """The unit a name means in a year's unit set, else in the other set; UnknownName if none."""
        found = self.unit_id(text, unit_set) or self.unit_id(text, other_unit_set(unit_set))
        if found is None:
            raise UnknownName(text, self.names.suggest(text, unit_set) or self.names.suggest(text))
        return found

    def units_of_set(self, unit_set: str) -> pd.DataFrame:
        if unit_set not in self._sets:
            self._sets[unit_set] = self.units[self.units.unit_set == unit_set]
        return self._sets[unit_set]

    def name_order(self, unit_id: str) -> tuple[str, str]:
        """A sort key, alphabetical the Vietnamese way enough for a list: the name without diacritics, then
        the name."""
        name = self.unit_name(unit_id)
        return strip_diacritics(name).casefold(), name

    def units_sorted(self, unit_set: str) -> list[str]:
        """A unit set's ids in name_order."""
        if unit_set not in self._sorted:
            self._sorted[unit_set] = sorted(self.units_of_set(unit_set).unit_id, key=self.name_order)
        return self._sorted[unit_set]

    def successor(self, old_unit_id: str) -> str | None:
        return self._successors.get(old_unit_id)

    def predecessors(self, new_unit_id: str) -> list[str]:
        return list(self._predecessors.get(new_unit_id, ()))

    def merged_units_note(self, unit_id: str) -> str | None:
        """'TP. Cần Thơ (từ 01/07/2025) gồm Cần Thơ, Hậu Giang, Sóc Trăng' for a merged new unit."""
        olds = self.predecessors(unit_id)
        if not unit_id.startswith(NEW_UNITS + ":") or len(olds) < 2:
            return None
        names = ", ".join(self.unit_name(u) for u in olds)
        return f"{self.unit_name(unit_id)} từ 01/07/2025 gồm địa bàn các tỉnh, thành phố cũ: {names}."

    def region_name(self, region_id: str) -> str:
        return self._region_names[region_id]

    def region_id(self, text: str) -> str | None:
        key = plain(text)
        for region in self.regions.itertuples():
            if key in (plain(region.name_vi), plain(region.region_id), plain(region.name_en)):
                return region.region_id
        return None

    def members(self, region_id: str, unit_set: str) -> list[str]:
        key = (region_id, unit_set)
        if key not in self._members:
            u = self.units
            self._members[key] = u.loc[(u.region_id == region_id) & (u.unit_set == unit_set), "unit_id"].tolist()
        return self._members[key]


def other_unit_set(unit_set: str) -> str:
    return NEW_UNITS if unit_set == OLD_UNITS else OLD_UNITS
