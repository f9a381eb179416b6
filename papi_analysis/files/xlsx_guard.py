"""Check an XLSX workbook against the limits (limits.py) before openpyxl builds anything from it.

1. the zip directory: number of parts, the declared uncompressed size of each part and of all
   (zipfile never inflates a part beyond its declared size: it stops there and fails the CRC check);
1b. the parts openpyxl parses whole into a tree (content types, the workbook part, its relationships, the
   styles, external links; issue 20): each within MAX_XLSX_WHOLE_PART_BYTES and its count of elements
   (content types, defined names, relationships, style records), counted while streaming and stopping there;
2. the shared-strings part: its strings are counted while streaming, stopping at the limit;
3. the sheets: each sheet's XML is streamed until its first value (enough to know it holds one; an
   empty sheet to its end), counting cells against one budget of MAX_CELLS for the whole survey; the
   sheet that is read is then streamed whole, counting rows, columns and cells (MAX_CELLS again) and
   noting its <dimension>: it must be within the row and column limits, both as declared and as counted
   (a workbook without <dimension> is bounded the same way). Sheets that are not read are never parsed
   further, so a workbook repeating older years on other sheets costs little more than its one sheet.
The counting uses expat's event interface: no tree is built, so memory stays flat whatever the XML.
A DOCTYPE (entity tricks) is refused; an XLSX never has one.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from papi_analysis import fmt, limits
from papi_analysis.problems import InvalidFile, Problem

_CHUNK = 64 * 1024
_COORDINATE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_RANGE_END = re.compile(r"(?:.*:)?\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
DAMAGED = "Không mở được tệp Excel: tệp bị hỏng hoặc không phải .xlsx."


class _Enough(Exception):
    """Raised from an expat handler when the survey knows what it needs of a sheet (it holds a value)."""


class _Stop(Exception):
    """Raised from an expat handler to stop reading: a limit was passed."""

    def __init__(self, message: str):
        self.message = message


def _fail(file: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(file=file, message=message)])


def open_archive(content: bytes, file: str) -> zipfile.ZipFile:
    """The workbook's zip, refused if its parts are too many or too large once inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _fail(file, DAMAGED) from None
    if len(parts) > limits.MAX_XLSX_PARTS:
        raise _fail(file, f"Tệp Excel có {fmt.integer(len(parts))} phần, vượt giới hạn {limits.MAX_XLSX_PARTS}.")
    names: set[str] = set()
    for part in parts:  # zipfile would read the last of two parts of the same name: refused, never guessed
        if part.filename in names:
            message = f"Tệp Excel có hai phần cùng tên '{part.filename[:80]}': không biết phần nào đúng (tệp hỏng)."
            raise _fail(file, message)
        names.add(part.filename)
    largest = max(parts, key=lambda p: p.file_size, default=None)
    if largest is not None and largest.file_size > limits.MAX_XLSX_PART_BYTES:
        raise _fail(
            file,
            f"Phần '{largest.filename[:80]}' của tệp Excel khi giải nén là {limits.megabytes(largest.file_size)}, "
            f"vượt giới hạn {limits.megabytes(limits.MAX_XLSX_PART_BYTES)}.",
        )
    total = sum(p.file_size for p in parts)
    if total > limits.MAX_XLSX_UNCOMPRESSED_BYTES:
        raise _fail(
            file,
            f"Tệp Excel khi giải nén là {limits.megabytes(total)}, "
            f"vượt giới hạn {limits.megabytes(limits.MAX_XLSX_UNCOMPRESSED_BYTES)}.",
        )
    check_whole_parts(archive, file)
    return archive


def _stream(archive: zipfile.ZipFile, path: str, file: str, start, text=None) -> None:
    """Feed one part to expat with the given handlers; a _Stop becomes the file's refusal."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = start
    if text is not None:
        parser.CharacterDataHandler = text

    def no_doctype(*_args) -> None:
        raise _Stop("Tệp Excel chứa khai báo DOCTYPE (không có trong tệp Excel thật).")

    parser.StartDoctypeDeclHandler = no_doctype
    try:
        with archive.open(path) as source:
            while chunk := source.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop as stop:
        raise _fail(file, stop.message) from None
    except (expat.ExpatError, zlib.error, zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, RuntimeError):
        raise _fail(file, DAMAGED) from None  # RuntimeError: encrypted, or an unknown compression method


# --- the parts openpyxl reads whole --------------------------------------------------------------------
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "ms-excel.template.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)  # openpyxl's own order of preference (reader.excel._find_workbook_part)
_EXTERNAL_LINK = "/externalLink"


@dataclass(frozen=True)
class _WholePart:
    """A part parsed whole: `counted` elements (local names; empty: every element) at most `limit`."""

    label: str  # what is counted, in Vietnamese
    counted: frozenset[str]
    limit: int


_CONTENT_TYPES = _WholePart("khai báo kiểu nội dung", frozenset({"Default", "Override"}), limits.MAX_XLSX_CONTENT_TYPES)
_DEFINED_NAMES = _WholePart(
    "tên được định nghĩa (Defined Names)", frozenset({"definedName"}), limits.MAX_XLSX_DEFINED_NAMES
)
_RELATIONSHIPS = _WholePart("liên kết giữa các phần", frozenset({"Relationship"}), limits.MAX_XLSX_RELATIONSHIPS)
_STYLES = _WholePart("mục định dạng (styles)", frozenset(), limits.MAX_XLSX_STYLE_ELEMENTS)
_OTHER = _WholePart("phần tử XML", frozenset(), limits.MAX_XLSX_PART_ELEMENTS)


def _rels_path(path: str) -> str:
    folder, name = posixpath.split(path)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _check_whole(archive: zipfile.ZipFile, path: str, file: str, kind: _WholePart, on_element=None) -> None:
    """One part openpyxl will parse whole: its inflated size, its counted elements and all its elements."""
    try:
        info = archive.getinfo(path)
    except KeyError:
        return  # a missing part is openpyxl's to report (damaged file)
    if info.file_size > limits.MAX_XLSX_WHOLE_PART_BYTES:
        size, limit = limits.megabytes(info.file_size), limits.megabytes(limits.MAX_XLSX_WHOLE_PART_BYTES)
        raise _fail(file, f"Phần '{path[:80]}' của tệp Excel khi giải nén là {size}, vượt giới hạn {limit}.")
    counted = elements = 0

    def start(name: str, attrs: dict) -> None:
        nonlocal counted, elements
        local = name.rpartition(" ")[2]
        elements += 1
        counted += not kind.counted or local in kind.counted
        if counted > kind.limit:
            raise _Stop(f"Tệp Excel có hơn {fmt.integer(kind.limit)} {kind.label} (phần '{path[:80]}').")
        if elements > limits.MAX_XLSX_PART_ELEMENTS:
            raise _Stop(
                f"Phần '{path[:80]}' của tệp Excel có hơn {fmt.integer(limits.MAX_XLSX_PART_ELEMENTS)} phần tử XML."
            )
        if on_element is not None:
            on_element(local, attrs)

    _stream(archive, path, file, start)


def check_whole_parts(archive: zipfile.ZipFile, file: str) -> None:
    """The content types, the workbook part, its relationships, the styles and the external links, each within
    its limits before openpyxl builds a tree of it (issue 20)."""
    workbooks: dict[str, str] = {}

    def content_type(local: str, attrs: dict) -> None:
        if local == "Override" and attrs.get("ContentType") in _WORKBOOK_TYPES:
            workbooks.setdefault(attrs["ContentType"], attrs.get("PartName", "").lstrip("/"))

    _check_whole(archive, "[Content_Types].xml", file, _CONTENT_TYPES, content_type)
    workbook = next((workbooks[t] for t in _WORKBOOK_TYPES if t in workbooks), "xl/workbook.xml")
    _check_whole(archive, workbook, file, _DEFINED_NAMES)
    links: list[str] = []

    def relationship(local: str, attrs: dict) -> None:
        target = attrs.get("Target", "")
        if (
            local == "Relationship"
            and attrs.get("Type", "").endswith(_EXTERNAL_LINK)
            and attrs.get("TargetMode") != "External"
        ):
            links.append(
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(workbook), target))
            )

    _check_whole(archive, _rels_path(workbook), file, _RELATIONSHIPS, relationship)
    _check_whole(archive, "xl/styles.xml", file, _STYLES)  # openpyxl reads this very path (ARC_STYLE)
    for link in links[: limits.MAX_XLSX_PARTS]:
        _check_whole(archive, link, file, _OTHER)
        _check_whole(archive, _rels_path(link), file, _RELATIONSHIPS)


def check_shared_strings(archive: zipfile.ZipFile, path: str | None, file: str) -> None:
    """Count the shared strings (openpyxl loads them all at once), stopping at the limit."""
    if path is None:
        return
    count = 0

    def start(name: str, _attrs: dict) -> None:
        nonlocal count
        if name.endswith(" si") or name == "si":
            count += 1
            if count > limits.MAX_SHARED_STRINGS:
                raise _Stop(f"Tệp Excel có hơn {fmt.integer(limits.MAX_SHARED_STRINGS)} chuỗi văn bản dùng chung.")

    _stream(archive, path, file, start)


@dataclass
class SheetSize:
    title: str
    path: str
    rows: int = 0  # the largest row number seen
    columns: int = 0  # the largest column number seen
    cells: int = 0
    has_values: bool = False
    declared: tuple[int, int] | None = None  # (columns, rows) of <dimension>, if any
    whole: bool = False  # streamed to its end (rows, columns, cells are the sheet's, not a prefix's)


class _SheetScan:
    """expat handlers that count one sheet; `budget` is what the workbook has left of MAX_CELLS."""

    def __init__(self, size: SheetSize, budget: int, until_value: bool = False):
        self.size, self.budget, self.until_value = size, budget, until_value
        self.row = self.column = 0
        self.in_value = False

    def start(self, name: str, attrs: dict) -> None:
        size = self.size
        if name.endswith(" c") or name == "c":
            size.cells += 1
            if size.cells > self.budget:
                raise _Stop(f"Tệp Excel có hơn {fmt.integer(limits.MAX_CELLS)} ô (trang tính '{size.title[:60]}').")
            self._cell(attrs.get("r"))
        elif name.endswith(" row") or name == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() and len(r) < 9 else self.row + 1
            self.column = 0
            size.rows = max(size.rows, self.row)
        elif name.endswith(" dimension") or name == "dimension":
            match = _RANGE_END.fullmatch(attrs.get("ref", ""))
            size.declared = (column_index_from_string(match.group(1)), int(match.group(2))) if match else None
        self.in_value = name.endswith((" v", " t")) or name in ("v", "t")

    def _cell(self, ref: str | None) -> None:
        size = self.size
        if ref is None:
            self.column += 1
        elif match := _COORDINATE.fullmatch(ref):
            self.column = column_index_from_string(match.group(1))
            size.rows = max(size.rows, int(match.group(2)))
        else:
            raise _Stop(f"Trang tính '{size.title[:60]}' có ô với địa chỉ không hợp lệ.")
        size.columns = max(size.columns, self.column)

    def text(self, data: str) -> None:
        if self.in_value and not self.size.has_values and data.strip():
            self.size.has_values = True
            if self.until_value:
                raise _Enough


def survey(archive: zipfile.ZipFile, sheets: list[tuple[str, str]], file: str) -> list[SheetSize]:
    """Every sheet (title, path in the zip): does it hold a value? Streamed until its first value, within one
    cell budget for the whole survey."""
    sizes, budget = [], limits.MAX_CELLS
    for title, path in sheets:
        scan = _SheetScan(SheetSize(title=title, path=path), budget, until_value=True)
        try:
            _stream(archive, path, file, scan.start, scan.text)
            scan.size.whole = True
        except _Enough:
            pass
        budget -= scan.size.cells
        sizes.append(scan.size)
    return sizes


def measure(archive: zipfile.ZipFile, size: SheetSize, file: str) -> SheetSize:
    """The sheet that is read, streamed whole: its rows, columns, cells (within MAX_CELLS) and <dimension>."""
    if size.whole:
        return size
    scan = _SheetScan(SheetSize(title=size.title, path=size.path), limits.MAX_CELLS)
    _stream(archive, size.path, file, scan.start, scan.text)
    scan.size.whole = True
    return scan.size


_LAST_EXCEL_COLUMN = 18_278  # XFD is 16,384; letters run out at ZZZ (a row of unnumbered cells can go beyond)


def _letters(column: int) -> str:
    return get_column_letter(column) if 1 <= column <= _LAST_EXCEL_COLUMN else ""


def _over(columns: int, rows: int) -> str | None:
    if rows > limits.MAX_ROWS:
        return f"có dòng số {fmt.integer(rows)}, vượt giới hạn {fmt.integer(limits.MAX_ROWS)} dòng"
    if columns > limits.MAX_COLUMNS:
        letters = _letters(columns)
        where = f"{letters} (cột số {fmt.integer(columns)})" if letters else f"số {fmt.integer(columns)}"
        return f"có cột {where}, vượt giới hạn {fmt.integer(limits.MAX_COLUMNS)} cột"
    return None


def check_sheet(size: SheetSize, file: str) -> None:
    """The sheet to be read: its declared <dimension> and its counted extent within the limits."""
    title = size.title[:60]
    if size.declared and (reason := _over(*size.declared)):
        corner = f"{_letters(size.declared[0])}{size.declared[1]}"
        raise _fail(file, f"Trang tính '{title}' khai báo vùng dữ liệu đến ô {corner}: {reason}.")
    if reason := _over(size.columns, size.rows):
        raise _fail(file, f"Trang tính '{title}' {reason}.")
