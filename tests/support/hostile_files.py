"""The hostile files of issue 10, built in memory (shared by tests/test_hostile.py and bench/hostile.py).

XLSX files are an openpyxl workbook whose first sheet's XML is replaced by a stream of our own, so a
sheet can lack <dimension>, declare any range or hold millions of cells while the zip stays small.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator

import openpyxl
from openpyxl.utils import get_column_letter

SHEET_XML = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def xlsx_with_sheet(
    chunks: Iterable[bytes], titles: tuple[str, ...] = ("Sheet",), level: int = 6, strings: list[str] | None = None
) -> bytes:
    """A real workbook (styles, rels, content types) whose first sheet's XML is `chunks`; with `strings`,
    also a shared-strings part (openpyxl itself writes inline strings only)."""
    book = openpyxl.Workbook()
    book.active.title = titles[0]
    for title in titles[1:]:
        book.create_sheet(title)["A1"] = "ghi chú"
    template = io.BytesIO()
    book.save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and strings is not None:
                data = data.replace(b"</Types>", _SHARED_TYPE + b"</Types>")
            if item.filename != SHEET_XML:
                z.writestr(item, data)
                continue
            with z.open(SHEET_XML, "w", force_zip64=True) as sheet:
                for chunk in chunks:
                    sheet.write(chunk)
        if strings is not None:
            items = "".join(f"<si><t>{text}</t></si>" for text in strings)
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}" count="{len(strings)}">{items}</sst>')
    return out.getvalue()


def sheet_xml(rows: Iterable[bytes], dimension: str | None = None, before: Iterable[bytes] = ()) -> Iterator[bytes]:
    yield _HEAD
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield from before
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def cell(ref: str, value: object, shared: int | None = None) -> bytes:
    if shared is not None:
        return f'<c r="{ref}" t="s"><v>{shared}</v></c>'.encode()
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'.encode()
    return f'<c r="{ref}"><v>{value}</v></c>'.encode()


def row(number: int, cells: Iterable[bytes]) -> bytes:
    return f'<row r="{number}">'.encode() + b"".join(cells) + b"</row>"


# --- XLSX -----------------------------------------------------------------------------------------
def far_cell(with_dimension: bool = True) -> bytes:
    """One cell at XFD1048576 (1.6 KB): the server once grew past 3.8 GB loading it."""
    rows = [row(1, [cell("A1", "year"), cell("B1", "province")]), row(1048576, [cell("XFD1048576", 1)])]
    return xlsx_with_sheet(sheet_xml(rows, "A1:XFD1048576" if with_dimension else None))


def many_cells(count: int = 12_000_000, per_row: int = 500) -> bytes:
    """`count` empty cells in rows of `per_row`, no <dimension> (12 M cells ≈ 1 MB compressed)."""

    def rows() -> Iterator[bytes]:
        full = b"<row>" + b"<c/>" * per_row + b"</row>"
        for _ in range(count // per_row):
            yield full

    return xlsx_with_sheet(sheet_xml(rows()), level=9)


def full_sheet(rows: int = 500, columns: int = 999) -> bytes:
    """The largest sheet within the limits: a header (year, province, measures…) and numbers."""
    header = ["year", "province", "D1", *[f"ghi chú {i}" for i in range(columns - 3)]]
    head = row(1, [cell(f"{get_column_letter(c + 1)}1", h) for c, h in enumerate(header)])

    def body() -> Iterator[bytes]:
        for r in range(2, rows + 1):
            cells = [cell(f"A{r}", 2024), cell(f"B{r}", "Cà Mau" if r == 2 else f"x{r}")]
            yield row(r, cells + [cell(f"{get_column_letter(c)}{r}", 5.5) for c in range(3, columns + 1)])

    return xlsx_with_sheet(sheet_xml([head, *body()]))


def long_rows(count: int = 99_999) -> bytes:
    """The longest CSV within the limits: `count` long rows of real names, years and codes (so many
    repeat: every row is read and checked, then the duplicates are refused)."""
    units = ["Sóc Trăng", "Cà Mau", "An Giang", "Bạc Liêu", "Hậu Giang", "Cần Thơ", "Long An"]
    measures = ["D1", "D2", "D3", "D4", "D5", "D6"]
    lines = (f"{2011 + i % 6},{units[i % 7]},{measures[i % 6]},5.5\n".encode() for i in range(count))
    return b"year,province,measure,value\n" + b"".join(lines)


def whitespace(megabytes: int) -> bytes:
    """A sheet padded with `megabytes` of whitespace (4.7 MB compressed once took 4.85 GB to load)."""
    block = b" " * (1024 * 1024)
    rows = [row(1, [cell("A1", "year"), cell("B1", "province")])]
    return xlsx_with_sheet(sheet_xml(rows, "A1:B1", before=(block for _ in range(megabytes))), level=9)


def grid(values: list[list[object]]) -> list[bytes]:
    """Rows of values (up to 26 columns, None = no cell) as sheet XML rows from A1."""
    return [
        row(r, [cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(cells) if v is not None])
        for r, cells in enumerate(values, start=1)
    ]


def sheets_without_dimension(first: list[list[object]], second_title: str = "Ghi chú") -> bytes:
    """A workbook whose first sheet has data but no <dimension>, and a second sheet with a note."""
    return xlsx_with_sheet(sheet_xml(grid(first)), titles=("Dữ liệu", second_title))


# --- CSV ------------------------------------------------------------------------------------------
def utf8_bom_then_invalid(csv: bytes) -> bytes:
    return codecs.BOM_UTF8 + csv.replace("Sóc Trăng".encode(), b"S\xff\xfec Tr\x81ng", 1)


def utf16_odd_length(csv: bytes) -> bytes:
    return codecs.BOM_UTF16_LE + csv.decode().encode("utf-16-le") + b"7"


def utf16_lone_surrogate(csv: bytes) -> bytes:
    text = csv.decode().encode("utf-16-le")
    cut = text.index("Sóc".encode("utf-16-le"))
    return codecs.BOM_UTF16_LE + text[:cut] + b"\x00\xd8" + text[cut:]


def huge_field(csv: bytes, size: int = 200 * 1024) -> bytes:
    header, rest = csv.split(b"\n", 1)
    return header + b"\n" + rest.replace("Cà Mau".encode(), b"C" * size, 1)


def unknown_names(count: int) -> bytes:
    """`count` rows with distinct unknown names (10^6 in ~4 MB once ran over 60 s)."""
    lines = (f"2024,x{i},5\n".encode() for i in range(count))
    return b"year,province,D1\n" + b"".join(lines)


def one_long_name(size: int = 3 * 1024 * 1024) -> bytes:
    return b"year,province,D1\n2024," + b"y" * size + b",5\n"


# --- behaviours of a parse gone wrong, run in the isolated child ---------------------------------
def exhaust_memory() -> bytes:
    from papi_analysis import limits

    return bytearray(limits.PARSE_MEMORY_BYTES + 256 * 1024 * 1024)


def sleep_long() -> None:
    import time

    time.sleep(120)


def die() -> None:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def break_down() -> None:
    raise RuntimeError("a bug, not a bad file")


# --- XLSX parts openpyxl reads whole (issue 20): styles, defined names, content types, relationships ------
def with_part(content: bytes, name: str, chunks: Iterable[bytes]) -> bytes:
    """The workbook `content` with its part `name` replaced by (or added as) the streamed `chunks`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
    ):
        for item in source.infolist():
            if item.filename != name:
                z.writestr(item.filename, source.read(item.filename))
        with z.open(name, "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk)
    return out.getvalue()


def _numbered(head: bytes, item: Callable[[int], str], count: int, tail: bytes) -> Iterator[bytes]:
    """head, item(0) … item(count - 1), tail: streamed in chunks, never held whole."""
    yield head
    for start in range(0, count, 10_000):
        yield "".join(item(i) for i in range(start, min(count, start + 10_000))).encode()
    yield tail


def _part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        return source.read(name)


def bloated_styles(content: bytes, xfs: int = 1_500_000) -> bytes:
    """`xfs` cell formats in styles.xml (~60 bytes each; 1.5 M make a status file of ~400 KB that once took the
    Streamlit worker from 544 MB to 3 GB)."""
    head, rest = _part(content, "xl/styles.xml").split(b"<cellXfs", 1)
    tail = b"</cellXfs>" + rest.split(b"</cellXfs>", 1)[1]
    item = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="0"/>'.format
    chunks = _numbered(head + f'<cellXfs count="{xfs}">'.encode(), lambda i: item(i % 5), xfs, tail)
    return with_part(content, "xl/styles.xml", chunks)


def defined_names(content: bytes, count: int = 1_200_000) -> bytes:
    workbook = _part(content, "xl/workbook.xml").replace(b"<definedNames/>", b"<definedNames></definedNames>")
    head, tail = workbook.split(b"</definedNames>", 1)
    item = '<definedName name="n{}">S!$A$1</definedName>'.format
    return with_part(content, "xl/workbook.xml", _numbered(head, item, count, b"</definedNames>" + tail))


def content_types(content: bytes, count: int = 1_400_000) -> bytes:
    head, tail = _part(content, "[Content_Types].xml").split(b"</Types>", 1)
    item = '<Override PartName="/xl/x{}.xml" ContentType="application/xml"/>'.format
    return with_part(content, "[Content_Types].xml", _numbered(head, item, count, b"</Types>" + tail))


def relationships(content: bytes, count: int = 1_000_000) -> bytes:
    path = "xl/_rels/workbook.xml.rels"
    head, tail = _part(content, path).split(b"</Relationships>", 1)
    item = '<Relationship Type="http://x/y" Target="x{0}.xml" Id="rX{0}"/>'.format
    return with_part(content, path, _numbered(head, item, count, b"</Relationships>" + tail))
