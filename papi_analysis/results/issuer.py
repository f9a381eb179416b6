"""Who issues a document drafted on a given day, and how it names the unit whose results it reports.

A provincial document is issued by a body that exists on the day it is drafted: from 01/07/2025
(Nghị quyết 202/2025/QH15) an old province's documents are issued by the new unit that contains it —
a report on Sóc Trăng's 2024 results drafted today comes from UBND thành phố Cần Thơ. Results of a unit
that no longer exists are named as such: "tỉnh Sóc Trăng (cũ), nay thuộc thành phố Cần Thơ", and an old
province whose name the new unit keeps is "thành phố Cần Thơ (cũ)" (PAPI.md, the 2025 reorganisation).
A unit that did not change (the new unit has it as its only predecessor) keeps its name when it keeps its
name ("thành phố Hà Nội"), and is "tỉnh Thừa Thiên Huế (cũ), nay là thành phố Huế" when it was renamed.
One rule for the results report and the plan draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from papi_analysis.domain import NEW_UNITS, REORGANISATION_DATE
from papi_analysis.reference import Reference

REORGANISED_ON = date.fromisoformat(REORGANISATION_DATE)


@dataclass(frozen=True)
class Issuer:
    """The People's Committee that issues a document, and how the document names the reported unit."""

    unit_id: str  # the unit whose UBND issues the document
    unit_name: str  # "thành phố Cần Thơ"
    place: str  # "Cần Thơ", as in "Cần Thơ, ngày … tháng … năm 2026"
    reported_name: str  # "tỉnh Sóc Trăng (cũ), nay thuộc thành phố Cần Thơ"; "tỉnh Sóc Trăng" before the change
    reported_is_former: bool  # the reported unit no longer exists on the drafting day (as itself)
    predecessors: tuple[str, ...] = ()  # the issuing unit's old provinces when it merged several (else empty)

    @property
    def committee(self) -> str:
        """The issuing body's first heading line as the Nghị định 30/2020/NĐ-CP layout writes it."""
        return "ỦY BAN NHÂN DÂN"

    @property
    def committee_unit(self) -> str:
        """The second heading line, e.g. "THÀNH PHỐ CẦN THƠ"."""
        return self.unit_name.upper()

    @property
    def short_body(self) -> str:
        """The issuing body as the text refers to it: "UBND thành phố Cần Thơ"."""
        return f"UBND {self.unit_name}"

    @property
    def unit_type(self) -> str:
        """ "tỉnh" or "thành phố", as the unit's own documents say it of themselves."""
        return self.unit_name.removesuffix(self.place).strip()

    @property
    def party_committee(self) -> str:
        """The unit's party committee as a report addresses it: "Thành ủy" of a city, "Tỉnh ủy" of a province."""
        return "Thành ủy" if self.unit_type == "thành phố" else "Tỉnh ủy"


def full_name(ref: Reference, unit_id: str) -> str:
    """A unit's name with its type: "tỉnh Sóc Trăng", "thành phố Cần Thơ"."""
    unit = ref.unit(unit_id)
    return f"{unit['unit_type']} {unit['name_vi']}"


def exists_on(ref: Reference, unit_id: str, day: date) -> bool:
    """Old provinces exist until 30/06/2025, the new units from 01/07/2025."""
    return (ref.unit(unit_id)["unit_set"] == NEW_UNITS) == (day >= REORGANISED_ON)


def unchanged(ref: Reference, old_unit_id: str) -> bool:
    """An old province that is, alone, a new unit under the same full name (Hà Nội)."""
    successor = ref.successor(old_unit_id)
    return (
        successor is not None
        and ref.predecessors(successor) == [old_unit_id]
        and full_name(ref, successor) == full_name(ref, old_unit_id)
    )


def former_name(ref: Reference, unit_id: str) -> str:
    """An old province named after the change: "thành phố Cần Thơ (cũ)" where its successor keeps the name,
    "tỉnh Thừa Thiên Huế (cũ), nay là thành phố Huế" where it only took a new name, else "tỉnh Sóc Trăng
    (cũ), nay thuộc thành phố Cần Thơ"; a province that did not change at all keeps its name."""
    if unchanged(ref, unit_id):
        return full_name(ref, unit_id)
    successor = ref.successor(unit_id)
    name = f"{full_name(ref, unit_id)} (cũ)"
    if successor is None or ref.unit_name(successor) == ref.unit_name(unit_id):
        return name
    alone = ref.predecessors(successor) == [unit_id]
    return f"{name}, {'nay là' if alone else 'nay thuộc'} {full_name(ref, successor)}"


def issuer(ref: Reference, reported_unit_id: str, drafted_on: date) -> Issuer:
    """Who issues, on `drafted_on`, a document on the results of `reported_unit_id`."""
    issuing = reported_unit_id
    former = not exists_on(ref, reported_unit_id, drafted_on)
    if former and ref.unit(reported_unit_id)["unit_set"] != NEW_UNITS:
        issuing = ref.successor(reported_unit_id) or reported_unit_id
    moved = issuing != reported_unit_id
    reported = former_name(ref, reported_unit_id) if moved else full_name(ref, reported_unit_id)
    merged = ref.predecessors(issuing) if moved else []
    return Issuer(
        unit_id=issuing,
        unit_name=full_name(ref, issuing),
        place=ref.unit_name(issuing),
        reported_name=reported,
        reported_is_former=moved and not unchanged(ref, reported_unit_id),
        predecessors=tuple(merged) if len(merged) > 1 else (),
    )
