"""The comparison group a focus unit is measured against: its own region (the default), another
region, or a hand-picked list of units. Shared by the dashboard's sidebar and the command line.

In a year of the 34 new units the group also knows what it was before the change (`history_ids`): a
region's 63-province members, or the predecessors of a hand-picked list, so its best and median can be
drawn since 2011. Ranks never mix the sets: a year's scores are all in one set."""

from __future__ import annotations

from dataclasses import dataclass

from papi_analysis.domain import NEW_UNITS, OLD_UNITS
from papi_analysis.reference import Reference
from papi_analysis.results.lineage import before_change, counterpart

CUSTOM_GROUP = "Nhóm so sánh tự chọn"


@dataclass(frozen=True)
class Comparison:
    """The group the focus unit is compared with."""

    label: str
    unit_ids: tuple[str, ...]  # always includes the focus unit
    region_id: str | None = None  # None: a hand-picked list
    phrase: str = "trong nhóm so sánh tự chọn"  # how the plan's prose names the group
    own_region: bool = False  # the focus unit's own region (the default)
    history_ids: tuple[str, ...] = ()  # the group in the 63 provinces, when unit_ids are new units

    @property
    def is_region(self) -> bool:
        return self.region_id is not None

    @property
    def cache_key(self) -> str:
        """Every field, as text: what a cache of results per group is keyed on (hashing the object itself
        costs a caller ~0.3 ms a lookup; this is exact, since every field is a string, a bool or a tuple)."""
        return repr(self)

    @property
    def peers(self) -> tuple[str, ...] | None:
        """What metrics.rank_table takes: None compares every unit with its own region, so one
        table serves every focus unit that keeps the default."""
        return None if self.own_region else self.all_ids

    @property
    def all_ids(self) -> tuple[str, ...]:
        """The members in both unit sets (for the group's best and median over the years)."""
        return tuple(dict.fromkeys(self.unit_ids + self.history_ids))


def comparison_group(
    ref: Reference,
    focus_unit_id: str,
    unit_set: str,
    *,
    region_id: str | None = None,
    unit_ids: list[str] | tuple[str, ...] | None = None,
) -> Comparison:
    """A hand-picked list if unit_ids is given, else a region (default: the focus unit's own),
    among the units of the year's unit set."""
    if unit_ids:
        members = tuple(dict.fromkeys([focus_unit_id, *unit_ids]))
        return Comparison(label=CUSTOM_GROUP, unit_ids=members, history_ids=_before(ref, members, unit_set))
    own_region = str(ref.unit(focus_unit_id)["region_id"])
    region_id = region_id or own_region
    members = tuple(dict.fromkeys([*ref.members(region_id, unit_set), focus_unit_id]))
    history: tuple[str, ...] = ()
    if unit_set == NEW_UNITS:
        # Each unit is ranked in its own region when the group is the focus's region (peers None), so only
        # the region's old members may stand for it; another region is a list, so the focus's past joins it.
        history = tuple(ref.members(region_id, OLD_UNITS))
        if region_id != own_region:
            history = tuple(dict.fromkeys([*history, *_before(ref, (focus_unit_id,), unit_set)]))
    phrase = f"các tỉnh khu vực {ref.region_name(region_id)}"
    if region_id != own_region:
        phrase = f"trong nhóm {ref.unit_name(focus_unit_id)} và {phrase}"
    return Comparison(
        label=ref.region_name(region_id),
        unit_ids=members,
        region_id=region_id,
        phrase=phrase,
        own_region=region_id == own_region,
        history_ids=history,
    )


def _before(ref: Reference, unit_ids: tuple[str, ...], unit_set: str) -> tuple[str, ...]:
    if unit_set != NEW_UNITS:
        return ()
    return tuple(dict.fromkeys(old for u in unit_ids for old in before_change(ref, u)))


def provisional_regions_note(ref: Reference, comparison: Comparison, unit_set: str) -> str | None:
    """Said where a region groups the 34 new units: their regions are data, not yet an official text.
    Names the units placed otherwise than the old province whose name they keep (new Tây Ninh)."""
    if unit_set != NEW_UNITS or not comparison.is_region:
        return None
    moved = [
        f"{ref.unit_name(u)} ({ref.region_name(str(ref.unit(u)['region_id']))})"
        for u in ref.units_of_set(NEW_UNITS).unit_id
        if (old := counterpart(ref, u, OLD_UNITS)) and ref.unit(old)["region_id"] != ref.unit(u)["region_id"]
    ]
    note = (
        "Vùng của các tỉnh, thành phố mới là tạm xác định (chưa có văn bản phân vùng lại): mỗi đơn vị tính vào "
        "vùng của tỉnh cũ mà đơn vị giữ tên"
    )
    return note + (f", trừ {', '.join(moved)}." if moved else ".")


def region_by_name(ref: Reference, text: str) -> str:
    """A region id from its name (any spelling); ValueError listing the regions if none matches."""
    region_id = ref.region_id(text)
    if region_id is None:
        raise ValueError(f"Không có vùng '{text}'. Các vùng: {', '.join(ref.regions.name_vi)}.")
    return region_id
