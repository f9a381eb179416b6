"""Which unit a province is in another unit set: the 63 provinces until 30/06/2025 and the 34 units
from 01/07/2025 (Nghị quyết 202/2025/QH15). A year's results come in one set; when the user moves
between years of different sets, the focus unit follows its lineage."""

from __future__ import annotations

from dataclasses import dataclass

from .domain import HOME_PROVINCE, NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from .reference import Reference


@dataclass(frozen=True)
class Focus:
    """The focus unit in a year's unit set, and what to tell the user if it had to change."""

    unit_id: str
    notice: str | None = None


def default_unit(ref: Reference, unit_set: str) -> str:
    """The home province in the old set; the unit that contains it in the new set."""
    home = ref.unit_id(HOME_PROVINCE, OLD_UNITS)
    if unit_set == OLD_UNITS:
        return home
    return ref.successor(home) or str(ref.units_of_set(unit_set).unit_id.iloc[0])


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


def focus_in_set(ref: Reference, unit_id: str | None, unit_set: str, year: int) -> Focus:
    """Keep the focus meaningful when a year uses another unit set; say so when it changes."""
    if unit_id is None:
        return Focus(default_unit(ref, unit_set))
    if ref.unit(unit_id)["unit_set"] == unit_set:
        return Focus(unit_id)
    replacement = counterpart(ref, unit_id, unit_set)
    if replacement is None:
        return Focus(default_unit(ref, unit_set))
    notice = f"Năm {year} dùng {UNIT_SET_LABELS[unit_set]}: {ref.unit_name(unit_id)} → {ref.unit_name(replacement)}."
    return Focus(replacement, notice)


def new_units_note(ref: Reference) -> str:
    """What a 34-unit year means for the home province, said once where a new-units file is previewed."""
    home = default_unit(ref, NEW_UNITS)
    note = ref.merged_units_note(home) or ""
    return f"Từ 01/07/2025: {note} Xếp hạng, nhóm và so sánh vùng của năm này tính trong 34 đơn vị mới."
