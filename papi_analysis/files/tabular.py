"""Read an uploaded file (CSV in any of the encodings Vietnamese offices produce, or XLSX) into a
plain table of cells with the row numbers the user sees. Knows nothing of PAPI.

Every file is held to the limits in limits.py before any per-row work: bytes first; for a CSV the
field size and the rows, columns and cells while the records are read (csv_records); for an XLSX the
zip's declared sizes, the shared strings and each sheet's declared and streamed size (xlsx_guard),
before openpyxl (read-only, streaming) reads the chosen sheet. `read_grid` gives the numbered rows as
they are in the file (for readers of other layouts); `read_table` makes the first row the header.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from papi_analysis import characters, limits
from papi_analysis.files import csv_records, xlsx_book, xlsx_guard, xlsx_sheet
from papi_analysis.files.decoding import NOT_TEXT, decode_text
from papi_analysis.problems import InvalidFile, Problem, Where

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other Office 97 files)

Cell = xlsx_book.Cell
Numbered = xlsx_book.Numbered
Merged = xlsx_sheet.Merged


@dataclass
class Table:
    file: str
    header: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]
    excel: bool = False
    sheet: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    delimiter: str | None = None  # a CSV's separator; None for a workbook

    def cell_ref(self, row_index: int, column_index: int) -> str | None:
        if not self.excel:
            return None
        return f"{get_column_letter(column_index + 1)}{self.row_numbers[row_index]}"

    def where(self, row_index: int, column_index: int | None, column: str | None = None) -> Where:
        """The place of a cell (column_index None: a column the file lacks), named `column` or by its header."""
        if column is None and column_index is not None:
            column = self.header[column_index]
        cell = self.cell_ref(row_index, column_index) if column_index is not None else None
        return Where(file=self.file, row=self.row_numbers[row_index], column=column, cell=cell)


@dataclass
class Grid:
    """The non-empty rows of a file or sheet, numbered as the user sees them."""

    file: str
    numbered: Numbered
    excel: bool = False
    sheet: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # signs of truncation, raised with the table's
    delimiter: str | None = None  # a CSV's separator; None for a workbook
    ends_with_newline: bool = True  # a CSV's last line has its line ending (a workbook: always)
    formulas: int = 0  # a sheet's formula cells, read as the values Excel saved
    merged: list[Merged] = field(default_factory=list)  # a sheet's merged ranges

    def truncation(self, header: int) -> list[Problem]:
        """Signs that a CSV was cut short, read with row `header` as the header (title rows above it are not the
        table: a cut last row is measured against the row that names the columns or the provinces)."""
        if self.excel:
            return []
        records = csv_records.CsvRecords(self.numbered[header:], self.ends_with_newline, self.delimiter or ",")
        return csv_records.truncation_problems(records, self.file)


def _fail(file: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(file=file, message=message)])


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4000] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return controls > 0


def _csv_grid(content: bytes, file: str) -> Grid:
    text, encoding = decode_text(content, file)
    if _looks_binary(text):
        raise _fail(file, NOT_TEXT)
    records = csv_records.read_records(unicodedata.normalize("NFC", text), file)
    notes = [] if encoding.startswith("UTF-8") else [f"Tệp được đọc theo bảng mã {encoding}."]
    return _storable(
        Grid(
            file=file,
            numbered=records.numbered,
            encoding=encoding,
            notes=notes,
            problems=csv_records.truncation_problems(records, file),
            delimiter=records.delimiter,
            ends_with_newline=records.ends_with_newline,
        )
    )


def excel_sheets(content: bytes, file: str = "") -> list[str]:
    """Names of the sheets of an XLSX file that hold at least one value (with or without <dimension>)."""
    book = xlsx_book.open_book(content, file)
    try:
        return [size.title for size in book.with_values()]
    finally:
        book.close()


def _choose(book: xlsx_book.Book, sheet: str | None, file: str, year: int | None = None) -> xlsx_guard.SheetSize:
    """The sheet asked for; else the only sheet with values; else the only one whose name holds `year`
    (a workbook that repeats older years on other sheets). Sheets are never added together."""
    sheets = book.with_values()
    if not sheets:
        raise _fail(file, "Tệp Excel không có dữ liệu.")
    if sheet is None:
        of_year = [size for size in sheets if year is not None and str(year) in size.title]
        if len(sheets) > 1 and len(of_year) == 1:
            return of_year[0]
        if len(sheets) > 1:
            names = ", ".join(f"'{size.title}'" for size in sheets)
            raise _fail(
                file,
                f"Tệp Excel có {len(sheets)} trang tính có dữ liệu ({names}); hãy chọn trang tính cần tải lên.",
            )
        return sheets[0]
    for size in book.sheets:
        if size.title == sheet:
            return size
    names = ", ".join(size.title for size in book.sheets)
    raise _fail(file, f"Không có trang tính '{sheet}' trong tệp (có: {names}).")


def _xlsx_grid(book: xlsx_book.Book, size: xlsx_guard.SheetSize, file: str) -> Grid:
    cells = xlsx_book.read_rows(book, size, file)
    if cells.problems:
        raise InvalidFile(cells.problems)
    grid = Grid(
        file=file,
        numbered=cells.numbered,
        excel=True,
        sheet=size.title,
        formulas=cells.formulas,
        merged=cells.merged,
    )
    return _storable(grid)


def _place(grid: Grid, line: int, j: int) -> Where:
    """A cell of the grid: its Excel reference in a workbook; in a CSV the column's header (or its number)."""
    if grid.excel:
        return Where(grid.file, row=line, cell=f"{get_column_letter(j + 1)}{line}")
    first, header = grid.numbered[0]
    name = header[j] if line != first and j < len(header) and header[j] else str(j + 1)
    return Where(grid.file, row=line, column=characters.shown(str(name)))


def _storable(grid: Grid) -> Grid:
    """The grid, if every text cell, over its whole length, and the sheet's name hold only characters XML and
    Word can hold (characters.py): one stored \\x01 once broke the report and the downloads of everyone (issue 20)."""
    problems = []
    if grid.sheet and (message := characters.problem(grid.sheet)):
        problems.append(Where(grid.file).problem(f"Tên trang tính: {message}", characters.shown(grid.sheet)))
    for line, cells in grid.numbered:
        for j, value in enumerate(cells):
            if isinstance(value, str) and (message := characters.problem(value)):
                problems.append(_place(grid, line, j).problem(message, characters.shown(value)))
                if len(problems) > limits.MAX_PROBLEMS:
                    raise InvalidFile(problems)
    if problems:
        raise InvalidFile(problems)
    return grid


@dataclass
class Sheets:
    """An uploaded file opened once: its sheets that hold values (a CSV: none, one grid), each read on demand."""

    file: str
    titles: list[str]
    book: xlsx_book.Book | None = None
    text: Grid | None = None  # a CSV's grid

    def grid(self, title: str | None = None) -> Grid:
        """The CSV's grid, or the sheet named `title`."""
        if self.book is None:
            return self.text
        for size in self.book.sheets:
            if size.title == title:
                return _xlsx_grid(self.book, size, self.file)
        names = ", ".join(size.title for size in self.book.sheets)
        raise _fail(self.file, f"Không có trang tính '{title}' trong tệp (có: {names}).")

    def close(self) -> None:
        if self.book is not None:
            self.book.close()

    def __enter__(self) -> Sheets:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def open_sheets(content: bytes, file: str) -> Sheets:
    """Any accepted file, bounded (limits.py), opened; raises InvalidFile with a message the user can act on. Every
    text of it can be stored and written anywhere (characters.py), its file name too."""
    if message := characters.problem(file):
        raise _fail(characters.xml_safe(file), f"Tên tệp: {message}")
    if len(content) > limits.MAX_UPLOAD_BYTES:
        size, limit = limits.megabytes(len(content)), limits.megabytes(limits.MAX_UPLOAD_BYTES)
        raise _fail(file, f"Tệp dung lượng {size}, vượt giới hạn {limit}.")
    if not content.strip():
        raise _fail(file, "Tệp rỗng: không có dòng dữ liệu nào.")
    if content.startswith(_OLE_MAGIC):
        raise _fail(file, "Định dạng Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu thành .xlsx hoặc CSV.")
    if content.startswith(_XLSX_MAGIC):
        book = xlsx_book.open_book(content, file)
        return Sheets(file=file, titles=[size.title for size in book.with_values()], book=book)
    return Sheets(file=file, titles=[], text=_csv_grid(content, file))


def to_table(grid: Grid) -> Table:
    """The grid with its first row as the header; rows longer than the header are problems."""
    file, numbered = grid.file, grid.numbered
    if not numbered:
        raise _fail(file, "Tệp rỗng: không có dòng dữ liệu nào.")
    header = csv_records.header_of(numbered[0][1])
    if len(header) < 2 or len(numbered) < 2:
        raise _fail(
            file,
            "Tệp không có dạng bảng: cần một dòng tiêu đề (ít nhất 2 cột) và các dòng dữ liệu bên dưới.",
        )
    problems, rows, numbers = list(grid.problems), [], []
    for line, cells in numbered[1:]:
        extra = [c for c in cells[len(header) :] if c is not None and str(c).strip()]
        if extra:
            problems.append(
                Problem(
                    file=file,
                    row=line,
                    message=f"Dòng có {len(header) + len(extra)} ô, nhiều hơn {len(header)} cột tiêu đề.",
                )
            )
            continue
        rows.append(list(cells[: len(header)]) + [None] * (len(header) - len(cells)))
        numbers.append(line)
    if problems:
        raise InvalidFile(problems)
    return Table(
        file=file,
        header=header,
        rows=rows,
        row_numbers=numbers,
        excel=grid.excel,
        sheet=grid.sheet,
        encoding=grid.encoding,
        notes=grid.notes,
        delimiter=grid.delimiter,
    )


def read_grid(content: bytes, file: str, sheet: str | None = None, year: int | None = None) -> Grid:
    """Any accepted file -> its numbered rows; raises InvalidFile with a message the user can act on. In a
    workbook of several sheets, `year` chooses the one sheet whose name holds it, if `sheet` is not given."""
    with open_sheets(content, file) as sheets:
        if sheets.book is None:
            return sheets.grid()
        return _xlsx_grid(sheets.book, _choose(sheets.book, sheet, file, year), file)


def read_table(content: bytes, file: str, sheet: str | None = None) -> Table:
    """Any accepted file -> Table; raises InvalidFile with a message the user can act on."""
    return to_table(read_grid(content, file, sheet))
