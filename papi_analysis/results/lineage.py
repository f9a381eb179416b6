"""Which unit a province is in another unit set — the 63 provinces until 30/06/2025 and the 34 units from
01/07/2025 (Nghị quyết 202/2025/QH15) — and a unit's history across the change.

A year's results come in one set. When the user moves between years of different sets, the focus unit
follows its lineage, and the province the user started from is remembered: Sóc Trăng 2024 → Cần Thơ 2025
→ Sóc Trăng 2024. A new unit's history is its predecessors' years before the change and its own after;
every series keeps its own name ("Cần Thơ (cũ)", "Sóc Trăng", "Hậu Giang", then "Cần Thơ").

A new unit *did not change* when it has a single predecessor: the same territory under the same or a new
name (Hà Nội; Huế, which was Thừa Thiên Huế). Its ranks are still among 34 units, so no rank change is
computed across the change either; only merged units list `predecessors` in the command line's JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from papi_analysis.domain import HOME_PROVINCE, NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from papi_analysis.reference import Reference


@dataclass(frozen=True)
class Focus:
    """The focus unit in a year's unit set, what to tell the user if it had to change, and the old
    province the user came from while the focus is the new unit that contains it."""

    unit_id: str
    notice: str | None = None
    origin: str | None = None


def default_unit(ref: Reference, unit_set: str) -> str:
    """The home province in the old set; the unit that contains it in the new set."""
    home = ref.unit_id(HOME_PROVINCE, OLD_UNITS)
    if unit_set == OLD_UNITS:
        return home
    return ref.successor(home) or str(ref.units_of_set(unit_set).unit_id.iloc[0])


def is_new(ref: Reference, unit_id: str) -> bool:
    return ref.unit(unit_id)["unit_set"] == NEW_UNITS


def counterpart(ref: Reference, unit_id: str, unit_set: str) -> str | None:
    """The same place in unit_set: an old province's successor; for a new unit, the old province
    whose name it keeps (new Cần Thơ → old Cần Thơ), if that province is one of its predecessors."""
    unit = ref.unit(unit_id)
    if unit["unit_set"] == unit_set:
        return unit_id
    if unit_set == NEW_UNITS:
        return ref.successor(unit_id)
    same_name = ref.unit_id(ref.unit_name(unit_id), OLD_UNITS)
    return same_name if same_name in ref.predecessors(unit_id) else None


def before_change(ref: Reference, unit_id: str, origin: str | None = None) -> list[str]:
    """The old provinces whose years come before a new unit's own: the one whose name it keeps first,
    then `origin` (the user's own province), then the others; nothing for an old province."""
    if not is_new(ref, unit_id):
        return []
    first = [counterpart(ref, unit_id, OLD_UNITS), origin]
    return list(dict.fromkeys([u for u in first if u in ref.predecessors(unit_id)] + ref.predecessors(unit_id)))


def changed(ref: Reference, unit_id: str) -> bool:
    """A new unit formed from more than one old province (see the module's docstring)."""
    return len(before_change(ref, unit_id)) > 1


def label(ref: Reference, unit_id: str) -> str:
    """A unit's name where both sets appear together: an old province whose name a new unit keeps is
    'Cần Thơ (cũ)'; every other unit is its name."""
    name = ref.unit_name(unit_id)
    if is_new(ref, unit_id):
        return name
    successor = ref.successor(unit_id)
    return f"{name} (cũ)" if successor and ref.unit_name(successor) == name else name


def formed_from(ref: Reference, unit_id: str, origin: str | None = None) -> str:
    """'gồm Cần Thơ, Sóc Trăng, Hậu Giang cũ' for a merged unit; 'cùng địa giới' for one that did not change."""
    olds = before_change(ref, unit_id, origin)
    if len(olds) < 2:
        return "cùng địa giới"
    return "gồm " + ", ".join(ref.unit_name(u) for u in olds) + " cũ"


def _kept_origin(ref: Reference, unit_id: str, origin: str | None) -> str | None:
    """The remembered old province, while the focus is the new unit that contains it."""
    if origin and is_new(ref, unit_id) and ref.successor(origin) == unit_id:
        return origin
    return None


def focus_in_set(ref: Reference, unit_id: str | None, unit_set: str, year: int, origin: str | None = None) -> Focus:
    """Keep the focus meaningful when a year uses another unit set; say so when it changes, and come back
    to the province the user started from (`origin`) when the year goes back to the old set."""
    if unit_id is None:
        default = default_unit(ref, unit_set)
        return Focus(default, origin=default_unit(ref, OLD_UNITS) if unit_set == NEW_UNITS else None)
    if ref.unit(unit_id)["unit_set"] == unit_set:
        return Focus(unit_id, origin=_kept_origin(ref, unit_id, origin))
    if unit_set == NEW_UNITS:
        successor = ref.successor(unit_id)
        if successor is None:
            return Focus(default_unit(ref, unit_set))
        change = f"{label(ref, unit_id)} → {ref.unit_name(successor)} ({formed_from(ref, successor, unit_id)})"
        return Focus(successor, f"Năm {year} dùng {UNIT_SET_LABELS[unit_set]}: {change}.", origin=unit_id)
    back = _kept_origin(ref, unit_id, origin) or counterpart(ref, unit_id, unit_set)
    if back is None:
        return Focus(default_unit(ref, unit_set))
    change = f"{ref.unit_name(unit_id)} → {label(ref, back)}"
    return Focus(back, f"Năm {year} dùng {UNIT_SET_LABELS[unit_set]}: {change}.")


def units_in_set(ref: Reference, unit_ids: Iterable[str], unit_set: str) -> list[str]:
    """A hand-picked list of units in another unit set: old provinces become their successors, new units
    all their predecessors (the same territory); order kept, no repeats."""
    found: list[str] = []
    for unit_id in unit_ids:
        if ref.unit(unit_id)["unit_set"] == unit_set:
            found.append(unit_id)
        elif unit_set == NEW_UNITS:
            found += [s] if (s := ref.successor(unit_id)) else []
        else:
            found += ref.predecessors(unit_id)
    return list(dict.fromkeys(found))


def new_units_note(ref: Reference) -> str:
    """What a 34-unit year means for the home province, said once where a new-units file is previewed."""
    home = default_unit(ref, NEW_UNITS)
    note = ref.merged_units_note(home) or ""
    return f"Từ 01/07/2025: {note} Xếp hạng, nhóm và so sánh vùng của năm này tính trong 34 đơn vị mới."
