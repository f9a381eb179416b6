"""What every step of reading a scores file shares, in one value instead of parameters threaded through each
signature: the file, the reference, the analyst's choices, the sheet being read, the file's year, and what the
reading says about the file as it goes (warnings, and the rows and columns it skipped and why).

`Choices` are the analyst's (the upload page's widgets, or the command line's options): the year, the unit set,
the sheet, where the units are (rows or columns), the target of any line (by its place in the mapping, or by
its location: 'AF', 'cột AF', 'dòng 12'), and the rows or columns to skip ('dòng 66', 'cột E').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from papi_analysis.names import plain
from papi_analysis.problems import Where
from papi_analysis.reference import Reference

ROWS, COLUMNS = "rows", "columns"  # where a file's units are: one per row, or one per column
_LOCATION = re.compile(r"^(?:(?P<word>dong|row|cot|column|col)\s*)?(?P<at>[a-z]{1,3}|[0-9]{1,7})$")


@dataclass(frozen=True)
class Location:
    """A row (its number as the user sees it) or a column (its number, 1 = A) of a sheet (None: any sheet)."""

    row: int | None = None
    column: int | None = None
    sheet: str | None = None

    def matches(self, sheet: str | None, row: int | None = None, column: int | None = None) -> bool:
        same_sheet = self.sheet is None or sheet is None or plain(self.sheet) == plain(sheet)
        return same_sheet and ((row is not None and row == self.row) or (column is not None and column == self.column))

    def __str__(self) -> str:
        place = f"dòng {self.row}" if self.row is not None else f"cột {get_column_letter(int(self.column))}"
        return f"{self.sheet}!{place}" if self.sheet else place


def parse_location(text: str) -> Location | None:
    """'dòng 66', '66', 'row 66' -> row 66; 'cột AF', 'AF' -> column AF; 'Trang 1!AF' names the sheet too."""
    sheet, _, rest = str(text).rpartition("!")
    match = _LOCATION.match(plain(rest))
    if match is None:
        return None
    at, word = match.group("at"), match.group("word") or ""
    sheet = sheet.strip() or None
    if at.isdigit():
        return Location(row=int(at), sheet=sheet) if word not in ("cot", "column", "col") and int(at) > 0 else None
    if word in ("dong", "row"):
        return None
    return Location(column=column_index_from_string(at.upper()), sheet=sheet)


@dataclass(frozen=True)
class Choices:
    """What the analyst chose (see the module docstring); nothing chosen: everything is read from the file."""

    year: int | None = None
    unit_set: str | None = None
    sheet: str | None = None
    units_in: str | None = None  # ROWS, COLUMNS or None (found from the content)
    lines: dict[int, str] = field(default_factory=dict)  # the n-th line of the mapping -> its target's text
    mapped: dict[str, str] = field(default_factory=dict)  # a line's location ('AF', 'dòng 12') -> target text
    skip: tuple[str, ...] = ()  # locations of rows or columns not to read

    def skipped_locations(self) -> list[Location]:
        return [loc for text in self.skip if (loc := parse_location(text)) is not None]


@dataclass(frozen=True)
class Skipped:
    """A row or column that is not data, and why: said in the preview ("bỏ qua dòng 66 'Điểm cao nhất': dòng
    tổng hợp")."""

    where: str
    text: str
    why: str

    def __str__(self) -> str:
        said = f" '{self.text[:60]}'" if self.text else ""
        return f"bỏ qua {self.where}{said}: {self.why}"


@dataclass
class ReadingContext:
    """See the module docstring. `sheet` is the sheet being read; `sheets` how many the reading takes."""

    file: str
    ref: Reference
    choices: Choices = field(default_factory=Choices)
    sheet: str | None = None
    sheets: int = 1
    year: int | None = None  # the year of the rows that have no year cell (years.FileYear decides it)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    labels: dict = field(default_factory=dict)  # each distinct label read once (labels.read_label)

    @property
    def place(self) -> str:
        """The file as problems name it: with the sheet when the reading takes several sheets."""
        return f"{self.file}, trang '{self.sheet}'" if self.sheets > 1 and self.sheet else self.file

    def where(self, row: int | None = None, column: str | None = None, cell: str | None = None) -> Where:
        return Where(self.place, row=row, column=column, cell=cell)

    def at_cell(self, record) -> Where:
        """Where a read cell (a row of the reader's frames: src_row, src_column, src_cell, src_sheet) came from."""
        sheet = getattr(record, "src_sheet", None)
        place = f"{self.file}, trang '{sheet}'" if self.sheets > 1 and isinstance(sheet, str) else self.file
        return Where.of_cell(place, record)

    def skip(self, where: str, text: str, why: str) -> None:
        prefix = f"trang '{self.sheet}' " if self.sheets > 1 and self.sheet else ""
        self.skipped.append(Skipped(prefix + where, text, why))

    def chosen_skip(self, row: int | None = None, column: int | None = None) -> bool:
        return any(loc.matches(self.sheet, row, column) for loc in self.choices.skipped_locations())
