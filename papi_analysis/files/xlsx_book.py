"""An XLSX workbook opened within the limits: its sheets surveyed (xlsx_guard), then one sheet read
by openpyxl in read-only (streaming) mode.

The workbook is opened with openpyxl's ExcelReader step by step instead of load_workbook, because
load_workbook(read_only=True) reads every sheet of a workbook without <dimension> to its end just to
size it; here only the sheet that is read is sized, after the guard has bounded it. (ExcelReader's
steps are openpyxl's own, as load_workbook calls them in the pinned openpyxl 3.1.5.)
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from papi_analysis import fmt, limits
from papi_analysis.files import xlsx_guard
from papi_analysis.problems import InvalidFile, Problem

Cell = str | float | int | None
Numbered = list[tuple[int, list[Cell]]]
_FORMULA = "Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức rồi tải lại."


@dataclass
class Book:
    reader: ExcelReader
    archive: zipfile.ZipFile  # the guard's view of the same bytes
    sheets: list[xlsx_guard.SheetSize]

    def with_values(self) -> list[xlsx_guard.SheetSize]:
        return [s for s in self.sheets if s.has_values]

    def close(self) -> None:
        self.reader.archive.close()
        self.archive.close()


def _damaged(file: str, error: Exception) -> InvalidFile:
    return InvalidFile([Problem(file=file, message=f"{xlsx_guard.DAMAGED} ({type(error).__name__})")])


def open_book(content: bytes, file: str) -> Book:
    """The workbook checked against every limit, its sheets counted; nothing read from a sheet yet."""
    archive = xlsx_guard.open_archive(content, file)
    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=False)
        reader.read_manifest()
        strings = reader.package.find(SHARED_STRINGS)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise _damaged(file, error) from None
    xlsx_guard.check_shared_strings(archive, strings.PartName[1:] if strings is not None else None, file)
    try:
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # date formats, as load_workbook does
        parts = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception as error:
        raise _damaged(file, error) from None
    return Book(reader=reader, archive=archive, sheets=xlsx_guard.survey(archive, parts, file))


def _check_text(value: Cell, file: str, row: int, coordinate: str) -> None:
    if isinstance(value, str) and len(value) > limits.MAX_FIELD_CHARS:
        message = f"Ô dài hơn {fmt.integer(limits.MAX_FIELD_CHARS)} ký tự (giới hạn của một ô Excel)."
        raise InvalidFile([Problem(file=file, row=row, cell=coordinate, message=message)])


def read_rows(book: Book, size: xlsx_guard.SheetSize, file: str) -> Numbered:
    """The sheet's non-empty rows, numbered as Excel shows them; formulas are refused, located."""
    size = xlsx_guard.measure(book.archive, size, file)
    xlsx_guard.check_sheet(size, file)
    try:
        ws = ReadOnlyWorksheet(book.reader.wb, size.title, size.path, book.reader.shared_strings)
        ws.reset_dimensions()  # the guard counted the real cells: read them all, whatever <dimension> says
        numbered, formulas = _rows(ws, file)
    except InvalidFile:
        raise
    except Exception as error:
        raise _damaged(file, error) from None
    if formulas:
        raise InvalidFile(formulas)
    return numbered


def _rows(ws: ReadOnlyWorksheet, file: str) -> tuple[Numbered, list[Problem]]:
    numbered: Numbered = []
    formulas: list[Problem] = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values: list[Cell] = []
        for cell in cells:
            value = cell.value
            if cell.data_type == "f":
                problem = Problem(file=file, row=number, cell=cell.coordinate, value=str(value)[:60], message=_FORMULA)
                formulas.append(problem)
            elif isinstance(value, str):
                _check_text(value, file, number, cell.coordinate)
                value = unicodedata.normalize("NFC", value)
            values.append(value)
        if any(v is not None and str(v).strip() for v in values):
            numbered.append((number, values))
    return numbered, formulas
