"""One worksheet's cells read from its XML as Excel wrote them (issue 19, item 2; issue 20, items 3–4).

openpyxl turns a cell's raw text into a number with float(), which also reads '४३.५', '1_000' and ' 4.5 ', and
keeps the last of two cells with the same address. Here the sheet's XML is streamed (ElementTree's pull parser,
one row at a time with lxml, the guard having bounded the sheet first) and every cell is taken as written:

- a number is read from its raw text by the same ASCII rule as a CSV's (resolve.NUMBER): anything else is a
  located problem; a date-formatted number becomes a date, as openpyxl does (the tasks files use dates);
- a formula gives the value Excel saved with it (and is counted); a formula without a saved value is a
  located problem — the file was written by a program that does not compute formulas;
- rows and cells must come in order, each address once: a row number or a cell address repeated, or out of
  order, is a located problem, never resolved by "last wins";
- merged ranges are returned, for the reader to decide whether one hides a label over several lines.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601

from papi_analysis import fmt, limits
from papi_analysis.problems import InvalidFile, Problem

Cell = str | float | int | bool | datetime | None
Numbered = list[tuple[int, list[Cell]]]
ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
Element = etree._Element


@dataclass(frozen=True)
class Merged:
    """A merged range: first and last row numbers and column numbers (1-based, inclusive)."""

    ref: str
    rows: tuple[int, int]
    columns: tuple[int, int]


@dataclass
class SheetCells:
    numbered: Numbered = field(default_factory=list)  # the non-empty rows, numbered as Excel shows them
    formulas: int = 0  # formula cells read as the value Excel saved
    merged: list[Merged] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Styles:
    """What a cell's style says about its number: a date (and the workbook's epoch)."""

    dates: frozenset[int] = frozenset()
    durations: frozenset[int] = frozenset()
    epoch: datetime | None = None


def _address(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}" if 0 < column <= 18_278 else f"R{row}C{column}"


_LOCAL: dict[object, str] = {}
_ADDRESS = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _local(tag: object) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    if tag not in _LOCAL:
        _LOCAL[tag] = tag.rpartition("}")[2] if isinstance(tag, str) else ""
    return _LOCAL[tag]


class _Reader:
    """The state of one sheet's read: the previous row and cell, and what was found."""

    def __init__(self, file: str, strings: list, styles: Styles):
        self.file, self.strings, self.styles = file, strings, styles
        self.out = SheetCells()
        self.row = 0
        self.columns: dict[str, int] = {}

    def problem(self, message: str, row: int | None = None, cell: str | None = None, value: str | None = None):
        self.out.problems.append(Problem(file=self.file, row=row, cell=cell, value=value, message=message))

    def read_row(self, element: Element) -> None:
        number = self._row_number(element.get("r"))
        values: dict[int, Cell] = {}
        column = 0
        for c in element:
            if _local(c.tag) != "c":
                continue
            column = self._cell_column(c.get("r"), number, column, values)
            if column:
                values[column] = self._value(c, number, column)
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values.values()):
            width = max(values)
            self.out.numbered.append((number, [values.get(j) for j in range(1, width + 1)]))

    def _row_number(self, text: str | None) -> int:
        if text is None:
            self.row += 1
            return self.row
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= 10**7:
            self.problem(f"Dòng có số '{text[:20]}' không hợp lệ: tệp bị hỏng.", row=self.row + 1)
            self.row += 1
            return self.row
        number = int(text)
        if number <= self.row:
            said = "xuất hiện hai lần" if number == self.row else f"đứng sau dòng {self.row}"
            self.problem(f"Dòng {number} {said} trong tệp (thứ tự dòng hỏng): không biết dòng nào đúng.", row=number)
        self.row = max(self.row, number)
        return number

    def _column_of(self, letters: str) -> int:
        if letters not in self.columns:
            self.columns[letters] = column_index_from_string(letters.upper())
        return self.columns[letters]

    def _cell_column(self, ref: str | None, number: int, previous: int, values: dict) -> int:
        """The cell's column (0: refused); a cell without an address follows the previous one."""
        if ref is None:
            return previous + 1
        match = _ADDRESS.fullmatch(ref)
        if match is None:
            self.problem("Ô có địa chỉ không hợp lệ: tệp bị hỏng.", row=number, value=ref[:20])
            return 0
        column, row = self._column_of(match.group(1)), int(match.group(2))
        if row != number:
            self.problem(f"Ô {ref} nằm trong dòng {number} của tệp: địa chỉ ô không khớp dòng.", row=number, cell=ref)
            return 0
        if column in values or column <= previous:
            said = "xuất hiện hai lần" if column in values else f"đứng sau ô {_address(previous, number)}"
            self.problem(f"Ô {ref} {said} (thứ tự ô hỏng): không biết giá trị nào đúng.", row=number, cell=ref)
            return 0
        return column

    def _value(self, c: Element, number: int, column: int) -> Cell:
        kind = c.get("t", "n")
        formula = raw = inline = None
        for child in c:
            name = _local(child.tag)
            if name == "v":
                raw = child.text or ""
            elif name == "f":
                formula = child
            elif name == "is":
                inline = child
        if formula is not None:
            self.out.formulas += 1
            if raw is None or (raw == "" and kind not in ("str", "inlineStr")):
                message = (
                    "Ô có công thức nhưng tệp không lưu giá trị của nó (tệp được ghi bằng chương trình không tính "
                    "công thức): mở tệp bằng Excel rồi lưu lại, hoặc dán giá trị (Paste Values) thay cho công thức."
                )
                self.problem(message, row=number, cell=_address(column, number), value=(formula.text or "")[:60])
                return None
        if kind == "n" and raw:
            if ASCII_NUMBER.fullmatch(raw) and not c.get("s"):
                return float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            return self._number(raw, c.get("s"), number, _address(column, number))
        if kind == "inlineStr":
            text = "".join(_inline_text(inline)) if inline is not None else ""
            return self._text(text, number, _address(column, number))
        if raw is None or raw == "":
            return None
        return self._typed(kind, raw, c.get("s"), number, _address(column, number))

    def _typed(self, kind: str, raw: str, style: str | None, number: int, address: str) -> Cell:
        if kind == "n":
            return self._number(raw, style, number, address)
        if kind == "s":
            if not (raw.isascii() and raw.isdigit()) or int(raw) >= len(self.strings):
                self.problem("Ô trỏ tới một chuỗi văn bản không có trong tệp: tệp bị hỏng.", row=number, cell=address)
                return None
            return self._text(str(self.strings[int(raw)]), number, address)
        if kind == "b":
            if raw not in ("0", "1"):
                self.problem("Ô đúng/sai có giá trị không hợp lệ.", row=number, cell=address, value=raw[:20])
                return None
            return raw == "1"
        if kind == "d":
            try:
                return from_ISO8601(raw)
            except ValueError:
                self.problem("Ô ngày có giá trị không hợp lệ.", row=number, cell=address, value=raw[:20])
                return None
        return self._text(raw, number, address)  # 'str' (a formula's text), 'e' (an error such as #N/A)

    def _number(self, raw: str, style: str | None, number: int, address: str) -> Cell:
        if not ASCII_NUMBER.fullmatch(raw):
            message = (
                "Ô số được ghi bằng ký tự khác chữ số 0–9, dấu chấm, dấu trừ (chữ số Ả Rập, Devanagari, toàn độ rộng, "
                "dấu cách, '_'…): chỉ chữ số 0–9 được đọc là số."
            )
            self.problem(message, row=number, cell=address, value=raw[:40])
            return None
        value: float | int = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
        styles = self.styles
        if style and style.isdigit() and int(style) in styles.dates:
            try:
                return from_excel(value, styles.epoch, timedelta=int(style) in styles.durations)
            except (OverflowError, ValueError):
                return value
        return value

    def _text(self, text: str, number: int, address: str) -> str:
        if len(text) > limits.MAX_FIELD_CHARS:
            message = f"Ô dài hơn {fmt.integer(limits.MAX_FIELD_CHARS)} ký tự (giới hạn của một ô Excel)."
            raise InvalidFile([Problem(file=self.file, row=number, cell=address, message=message)])
        return unicodedata.normalize("NFC", text)

    def merge(self, element: Element) -> None:
        ref = element.get("ref", "")
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            self.problem("Vùng ô gộp có địa chỉ không hợp lệ: tệp bị hỏng.", value=ref[:20])
            return
        if None in (first_column, first_row, last_column, last_row):
            self.problem("Vùng ô gộp có địa chỉ không hợp lệ: tệp bị hỏng.", value=ref[:20])
            return
        self.out.merged.append(Merged(ref, (first_row, last_row), (first_column, last_column)))


def _inline_text(element: Element) -> list[str]:
    """The text runs of an inline string (<t>, and <r><t> of rich text), without phonetic runs (<rPh>)."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts += [t.text or "" for t in child if _local(t.tag) == "t"]
    return parts


def read_cells(archive: zipfile.ZipFile, path: str, file: str, strings: list, styles: Styles) -> SheetCells:
    """Every cell of one sheet part (see the module docstring). The guard has streamed the part before (its
    size, its cells, no DOCTYPE), so a failure to parse here is a damaged file."""
    reader = _Reader(file, strings, styles)
    with archive.open(path) as source:
        events = etree.iterparse(  # huge_tree: the guard has bounded the part (whitespace may run long)
            source,
            events=("end",),
            tag=("{*}row", "{*}mergeCell"),
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
        )
        for _, element in events:
            if _local(element.tag) == "row":
                reader.read_row(element)
            else:
                reader.merge(element)
            element.clear()
            while element.getprevious() is not None:  # the rows read so far: memory stays flat
                del element.getparent()[0]
    return reader.out
