"""Read an uploaded file (CSV in any of the encodings Vietnamese offices produce, or XLSX) into a
plain table of cells with the row numbers the user sees. Knows nothing of PAPI.

Encoding detection is hand-written: the candidates are few and known (UTF-8 with or without BOM,
UTF-16, Windows-1258), and general detectors confuse Windows-1258 with its Western siblings.
The separator choice is hand-written too: csv.Sniffer chose ',' for a ';' file whose header holds
"Tỉnh, thành phố"; counting fields per line over the first lines does not.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

from .fmt import number
from .problems import InvalidFile, Problem

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other Office 97 files)

Cell = str | float | int | None
_NOT_TEXT = "Không đọc được tệp: đây không phải tệp văn bản CSV hay bảng tính Excel (.xlsx)."


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

    def cell_ref(self, row_index: int, column_index: int) -> str | None:
        if not self.excel:
            return None
        return f"{get_column_letter(column_index + 1)}{self.row_numbers[row_index]}"


def _fail(file: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(file=file, message=message)])


def decode_text(content: bytes, file: str) -> tuple[str, str]:
    """Return the text and the name of the encoding it was read in."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "UTF-16"
    sample = content[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: the zero byte sits beside every ASCII character.
        even_zeros = sample[0::2].count(b"\x00")
        codec = "utf-16-be" if even_zeros > len(sample) // 4 else "utf-16-le"
        try:
            return content.decode(codec), "UTF-16"
        except UnicodeDecodeError:
            raise _fail(file, _NOT_TEXT) from None
    if sum(1 for byte in sample if byte < 32 and byte not in b"\t\r\n") > len(sample) // 100:
        raise _fail(file, _NOT_TEXT)
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError:
        raise _fail(
            file,
            "Không nhận ra bảng mã của tệp. Hãy lưu tệp dưới dạng CSV UTF-8 (Excel: Lưu thành → CSV UTF-8).",
        ) from None


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number (≥ 2) of fields."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", (-1, 0)
    for delimiter in (",", ";", "\t"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4000] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return controls > 0


def _read_csv(content: bytes, file: str) -> Table:
    text, encoding = decode_text(content, file)
    if _looks_binary(text):
        raise _fail(file, _NOT_TEXT)
    text = unicodedata.normalize("NFC", text)
    delimiter = _delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    notes = [] if encoding.startswith("UTF-8") else [f"Tệp được đọc theo bảng mã {encoding}."]
    return _to_table(file, numbered, excel=False, encoding=encoding, notes=notes)


def excel_sheets(content: bytes) -> list[str]:
    """Names of the non-empty sheets of an XLSX file."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [ws.title for ws in book.worksheets if ws.max_row and ws.max_row > 0 and _has_cells(ws)]
    finally:
        book.close()


def _has_cells(ws) -> bool:
    return any(cell is not None and cell != "" for row in ws.iter_rows(values_only=True) for cell in row)


def _read_xlsx(content: bytes, file: str, sheet: str | None) -> Table:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise _fail(file, f"Không mở được tệp Excel ({type(error).__name__}).") from None
    sheets = [ws for ws in book.worksheets if _has_cells(ws)]
    if not sheets:
        raise _fail(file, "Tệp Excel không có dữ liệu.")
    if sheet is None:
        if len(sheets) > 1:
            names = ", ".join(f"'{ws.title}'" for ws in sheets)
            raise _fail(
                file,
                f"Tệp Excel có {len(sheets)} trang tính có dữ liệu ({names}); hãy chọn trang tính cần tải lên.",
            )
        ws = sheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise _fail(file, f"Không có trang tính '{sheet}' trong tệp (có: {', '.join(book.sheetnames)}).")
    formulas = [
        Problem(
            file=file,
            row=cell.row,
            cell=cell.coordinate,
            value=str(cell.value)[:60],
            message="Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức rồi tải lại.",
        )
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    if formulas:
        raise InvalidFile(formulas)
    numbered = []
    for index, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in values]
        if any(c is not None and str(c).strip() for c in cells):
            numbered.append((index, cells))
    return _to_table(file, numbered, excel=True, sheet=ws.title)


def _to_table(file: str, numbered: list[tuple[int, list[Cell]]], **kwargs) -> Table:
    if not numbered:
        raise _fail(file, "Tệp rỗng: không có dòng dữ liệu nào.")
    _, header_cells = numbered[0]
    header = [str(c).strip() if c is not None else "" for c in header_cells]
    while header and not header[-1]:
        header.pop()
    if len(header) < 2 or len(numbered) < 2:
        raise _fail(
            file,
            "Tệp không có dạng bảng: cần một dòng tiêu đề (ít nhất 2 cột) và các dòng dữ liệu bên dưới.",
        )
    problems, rows, numbers = [], [], []
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
        padded = list(cells[: len(header)]) + [None] * (len(header) - len(cells))
        rows.append(padded)
        numbers.append(line)
    if problems:
        raise InvalidFile(problems)
    return Table(file=file, header=header, rows=rows, row_numbers=numbers, **kwargs)


def read_table(content: bytes, file: str, sheet: str | None = None) -> Table:
    """Any accepted file -> Table; raises InvalidFile with a message the user can act on."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise _fail(
            file,
            f"Tệp dung lượng {number(len(content) / 1024 / 1024, 1)} MB, vượt giới hạn "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB.",
        )
    if not content.strip():
        raise _fail(file, "Tệp rỗng: không có dòng dữ liệu nào.")
    if content.startswith(_OLE_MAGIC):
        raise _fail(file, "Định dạng Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu thành .xlsx hoặc CSV.")
    if content.startswith(_XLSX_MAGIC):
        return _read_xlsx(content, file, sheet)
    return _read_csv(content, file)
