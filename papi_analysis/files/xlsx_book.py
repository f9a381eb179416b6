"""An XLSX workbook opened within the limits: its sheets surveyed (xlsx_guard), then a sheet's cells read as
written (xlsx_sheet).

The workbook is opened with openpyxl's ExcelReader step by step instead of load_workbook, because
load_workbook(read_only=True) reads every sheet of a workbook without <dimension> to its end just to
size it; here only the sheet that is read is sized, after the guard has bounded it. (ExcelReader's
steps are openpyxl's own, as load_workbook calls them in the pinned openpyxl 3.1.5.)
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.xml.constants import SHARED_STRINGS

from papi_analysis.files import xlsx_guard, xlsx_sheet
from papi_analysis.problems import InvalidFile, Problem

Cell = xlsx_sheet.Cell
Numbered = xlsx_sheet.Numbered


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


def read_rows(book: Book, size: xlsx_guard.SheetSize, file: str) -> xlsx_sheet.SheetCells:
    """The sheet's non-empty rows, numbered as Excel shows them, its formulas counted and its merged ranges; the
    problems of its cells (numbers not written in ASCII digits, formulas without a saved value, cells out of
    order or twice) are returned with it, located, for the reader to refuse together with its own."""
    size = xlsx_guard.measure(book.archive, size, file)
    xlsx_guard.check_sheet(size, file)
    wb = book.reader.wb
    styles = xlsx_sheet.Styles(
        dates=frozenset(getattr(wb, "_date_formats", ())),
        durations=frozenset(getattr(wb, "_timedelta_formats", ())),
        epoch=wb.epoch,
    )
    try:
        return xlsx_sheet.read_cells(book.archive, size.path, file, book.reader.shared_strings, styles)
    except InvalidFile:
        raise
    except Exception as error:
        raise _damaged(file, error) from None
