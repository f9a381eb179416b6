"""A problem found in an uploaded file, located by file, row, column and value, said in Vietnamese.

`Where` is the one way a located problem is made, for scores files and tasks files alike: a place in
the file (row as the user sees it, column as written, Excel cell) that says what is wrong there.
"""

from __future__ import annotations

from dataclasses import dataclass

from papi_analysis.limits import MAX_PROBLEMS

_SHOWN_VALUE = 120


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None  # the row number the user sees (header = 1 in CSV; Excel's own row)
    column: str | None = None  # the header as written in the file
    value: str | None = None
    cell: str | None = None  # Excel reference, e.g. 'E5'

    def __post_init__(self) -> None:
        if self.value is not None and len(self.value) > _SHOWN_VALUE:  # a 32 KB cell is named, not repeated
            object.__setattr__(self, "value", self.value[:_SHOWN_VALUE] + "…")

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f"cột {self.column}")
        if self.cell is not None:
            where.append(f"ô {self.cell}")
        shown = f" (giá trị '{self.value}')" if self.value not in (None, "") else ""
        return f"{', '.join(where)}{shown}: {self.message}"


@dataclass(frozen=True)
class Where:
    """A place in an uploaded file; `problem` says what is wrong there."""

    file: str
    row: int | None = None
    column: str | None = None
    cell: str | None = None

    def problem(self, message: str, value: str | None = None) -> Problem:
        return Problem(file=self.file, row=self.row, column=self.column, cell=self.cell, value=value, message=message)

    @classmethod
    def of_cell(cls, file: str, record) -> Where:
        """Where a read cell (a row of the reader's frames, with src_row, src_column, src_cell) came from."""
        cell = record.src_cell if isinstance(record.src_cell, str) else None
        return cls(file=file, row=int(record.src_row), column=record.src_column, cell=cell)


class InvalidFile(Exception):
    """Raised with every problem of a file at once; nothing has been written. (What a reader understood of a
    refused file travels in its own typed result: reading.ingest.ScoresReading.)"""

    def __init__(self, problems: list[Problem]):
        if len(problems) > MAX_PROBLEMS + 1:  # a hostile file can have a problem per row: list a readable number
            rest = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], Problem(file=problems[0].file, message=f"Còn {rest} lỗi khác.")]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
