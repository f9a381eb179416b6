"""The year of a scores file's rows that carry no year cell (issue 19, item 6): the year the analyst gave (the
page's field, `--year`), else the sheet's name, else the title rows above the table, else the file's name — the
first that names exactly one year. Where two of them name different years (the 2011 workbook's tab says
"2012PAPI"), the reading says so and the year is not confirmed until the analyst gives it. A file name is not
heard against the sheet of a workbook that holds several year sheets: it names the newest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A year, not a date's or a document number's part ('01/07/2025', 'Nghị quyết 202/2025/QH15').
_YEAR = re.compile(r"(?<![0-9/])((?:19|20)[0-9]{2})(?![0-9/])")
CHOSEN, SHEET, TITLE, FILE = "năm đã chọn", "tên trang tính", "dòng tiêu đề", "tên tệp"


def years_in(texts: list[object]) -> set[int]:
    """The years named in some texts (ASCII digits only: 'papi_٢٠٢٤' names none)."""
    return {int(y) for t in texts if isinstance(t, str) for y in _YEAR.findall(t)}


@dataclass(frozen=True)
class FileYear:
    """The year found, where it was found, and what the other places say."""

    year: int | None
    source: str = ""
    others: tuple[tuple[str, int], ...] = ()  # (place, year) of the places naming another year

    @property
    def chosen(self) -> bool:
        return self.source == CHOSEN

    @property
    def confirmed(self) -> bool:
        """Given by the analyst, or nothing disagrees."""
        return self.chosen or not self.others

    def note(self) -> str | None:
        """What the preview says about the year (None: nothing worth saying)."""
        if self.year is None or (self.chosen and not self.others):
            return None
        said = "; ".join(f"{place} ghi năm {year}" for place, year in self.others)
        if not self.others:
            return f"Năm {self.year} lấy từ {self.source}."
        if self.chosen:
            return f"Năm {self.year} theo năm đã chọn; {said}."
        return (
            f"Năm {self.year} lấy từ {self.source}, nhưng {said}: hãy xác nhận năm của số liệu (chọn năm ở ô «Năm», "
            "hoặc --year trên dòng lệnh) trước khi ghi."
        )


def file_year(chosen: int | None, sheet: str | None, titles: list[object], file: str, one_sheet: bool) -> FileYear:
    """See the module docstring. `titles`: the cells above the table; `one_sheet`: the workbook has no other year
    sheet (then its file name is heard too)."""
    places = [(SHEET, years_in([sheet])), (TITLE, years_in(titles))]
    if one_sheet:
        places.append((FILE, years_in([file])))
    named = [(place, next(iter(found))) for place, found in places if len(found) == 1]
    if chosen is not None:
        return FileYear(chosen, CHOSEN, tuple((p, y) for p, y in named if y != chosen))
    if not named:
        return FileYear(None)
    place, year = named[0]
    return FileYear(year, place, tuple((p, y) for p, y in named[1:] if y != year))
