"""Who does a task: one spelling per body, the bodies several units share, and a unit's role in a task.

A task names one or more units as *chủ trì* (lead) and any number as *phối hợp* (partner). Some leads are
shared bodies: "Các sở, ban, ngành tỉnh" gives the task to every provincial department at once, so a
department's own view must include those tasks (as leads, through the shared body). The unspecific
"Các cơ quan, đơn vị có liên quan" assigns nothing to anyone in particular and is never credited to a unit.
The rules and the spellings are documented in data/TASKS.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from papi_analysis.names import nfc, plain

RELATED = "Các cơ quan, đơn vị có liên quan"
# The six ways the plan spells the same unspecific body; all are stored as RELATED.
RELATED_SPELLINGS = (
    "Các ngành có liên quan",
    "Các cơ quan có liên quan",
    "Các cơ quan liên quan",
    "Các cơ quan, đơn vị",
    "Các ngành khác có liên quan",
    RELATED,
)
DEPARTMENTS = "Các sở, ban, ngành tỉnh"
SELF_INSPECTION = "Các cơ quan, đơn vị khác (tự kiểm tra)"
# Provincial bodies that are not called "Sở …" but are among "các sở, ban, ngành" the plan addresses
# (section IV.1: the heads of provincial departments and of central agencies in the province).
PROVINCIAL_OFFICES = ("Thanh tra tỉnh", "Văn phòng UBND tỉnh", "Công an tỉnh")
LOCAL_GOVERNMENTS = ("UBND cấp huyện", "UBND cấp xã")
_RELATED_KEYS = {plain(s) for s in RELATED_SPELLINGS}


class Role(Enum):
    LEAD = "lead"  # named as chủ trì
    SHARED = "shared"  # chủ trì through a shared body such as "Các sở, ban, ngành tỉnh"
    PARTNER = "partner"  # named as phối hợp

    @property
    def label(self) -> str:
        return {
            Role.LEAD: "Chủ trì",
            Role.SHARED: "Chủ trì chung",
            Role.PARTNER: "Phối hợp",
        }[self]


# The role filter of the page and of `tasks --role`: which roles each choice keeps. "named" and "shared" tell a
# department's own tasks from those of every department ("Các sở, ban, ngành tỉnh", issue 21); "lead" keeps both.
ROLE_CHOICES = {
    "any": (Role.LEAD, Role.SHARED, Role.PARTNER),
    "named": (Role.LEAD,),
    "shared": (Role.SHARED,),
    "partner": (Role.PARTNER,),
    "lead": (Role.LEAD, Role.SHARED),
}
ROLE_CHOICE_LABELS = {
    "any": "Chủ trì hoặc phối hợp",
    "named": "Chủ trì (đích danh)",
    "shared": "Chủ trì chung (các sở, ban, ngành)",
    "partner": "Phối hợp",
    "lead": "Chủ trì (đích danh và chung)",
}
# A unit's tasks in this order: those naming it (as lead, then as partner) before those of every department.
ROLE_ORDER = (Role.LEAD, Role.PARTNER, Role.SHARED)
SHARED_BODIES = (DEPARTMENTS, SELF_INSPECTION, RELATED)


def canonical(name: str) -> str:
    """The stored spelling of a unit: the six spellings of the unspecific body become one."""
    name = " ".join(nfc(str(name)).split())
    return RELATED if plain(name) in _RELATED_KEYS else name


def is_department(unit: str) -> bool:
    """A provincial department or office, covered by "Các sở, ban, ngành tỉnh"."""
    return unit.startswith("Sở ") or unit in PROVINCIAL_OFFICES


def _covered_by(body: str, unit: str) -> bool:
    if body == DEPARTMENTS:
        return is_department(unit)
    if body == SELF_INSPECTION:  # every agency inspects itself (annex 5.2)
        return is_department(unit) or unit in LOCAL_GOVERNMENTS
    return False


def role_in(lead_units: Iterable[str], coordinating_units: Iterable[str], unit: str) -> Role | None:
    """How a unit takes part in a task: named as lead, named as partner, lead through a shared body, or not."""
    leads, partners = list(lead_units), list(coordinating_units)
    if unit in leads:
        return Role.LEAD
    if unit in partners:
        return Role.PARTNER
    if any(_covered_by(body, unit) for body in leads):
        return Role.SHARED
    return None


def units_named(lead_units: Iterable[Iterable[str]], coordinating_units: Iterable[Iterable[str]]) -> list[str]:
    """Every unit a list of tasks names in either role, specific agencies first, then the shared bodies."""
    named = {u for units in (*lead_units, *coordinating_units) for u in units}
    shared = set(SHARED_BODIES)
    return sorted(named - shared, key=plain) + sorted(named & shared, key=plain)


def find_unit(text: str, known: Iterable[str]) -> str | None:
    """A known unit by any case, diacritics or spacing ('so noi vu' -> 'Sở Nội vụ')."""
    key = plain(canonical(text))
    return next((u for u in known if plain(u) == key), None)
