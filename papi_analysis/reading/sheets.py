"""Which sheets of a workbook a reading takes (issue 19, item 5): the sheet chosen; else the only one with
values; else the one whose name holds the year given. The 2011–2017 workbooks hold a summary sheet and six detail
sheets "Điểm thành phần 1" … "6" (one misspelt "Điêm thành phần 5"): the summary sheet is read with its detail
sheets, in one preview. Year sheets are never added together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from papi_analysis.files.tabular import Sheets
from papi_analysis.names import plain
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading.years import years_in

_DETAIL = re.compile(r"^diem thanh phan\s*[1-8]$")  # plain(): 'Điêm thành phần 5' -> 'diem thanh phan 5'


def is_detail(title: str) -> bool:
    return bool(_DETAIL.match(plain(title)))


@dataclass(frozen=True)
class Chosen:
    main: str | None  # None: a CSV
    details: tuple[str, ...] = ()
    year_sheets: int = 1  # how many sheets name a year (one: the file's name may be heard on the year)

    @property
    def titles(self) -> tuple[str | None, ...]:
        return (self.main, *self.details)


def _refuse(file: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(file=file, message=message)])


def choose(sheets: Sheets, sheet: str | None, year: int | None) -> Chosen:
    """The sheets to read (see the module docstring)."""
    titles, file = sheets.titles, sheets.file
    if sheets.book is None:
        return Chosen(None)
    if not titles:
        raise _refuse(file, "Tệp Excel không có dữ liệu.")
    year_sheets = sum(1 for t in titles if years_in([t]))
    details = tuple(t for t in titles if is_detail(t))
    if sheet is not None:
        if sheet not in [size.title for size in sheets.book.sheets]:
            names = ", ".join(size.title for size in sheets.book.sheets)
            raise _refuse(file, f"Không có trang tính '{sheet}' trong tệp (có: {names}).")
        return Chosen(sheet, () if is_detail(sheet) else details, year_sheets)
    main = [t for t in titles if t not in details]
    if len(main) > 1 and year is not None:
        main = [t for t in main if year in years_in([t])] or main
    if len(main) == 1:
        return Chosen(main[0], details, year_sheets)
    if not main and len(details) == 1:
        return Chosen(details[0], (), year_sheets)
    names = ", ".join(f"'{t}'" for t in titles)
    raise _refuse(file, f"Tệp Excel có {len(titles)} trang tính có dữ liệu ({names}); hãy chọn trang tính cần tải lên.")
