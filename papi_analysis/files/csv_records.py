"""The text of a CSV file -> numbered records, bounded before any per-row work (limits.py), with the signs
that the file was cut short.

The separator choice is hand-written: csv.Sniffer chose ',' for a ';' file whose header holds
"Tỉnh, thành phố"; counting fields per line over the first lines does not.

Truncation (a file cut short by a failed download or copy) is decided on the last non-blank record:
- it has fewer fields than the header: a problem, with or without a final line ending;
- the file ends without a line ending (a normal CSV without one still loads) and its last field
  * ends inside an open quote, or is empty, or
  * is a number ending in '.', or with fewer decimals than every other number of its column
    (4.477977 cut to 4.47 or 4): a problem that says how to confirm the value (add the line ending).
Rows shorter than the header elsewhere are read with their missing trailing cells empty, as before.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from papi_analysis import fmt, limits
from papi_analysis.problems import InvalidFile, Problem

Record = list[str]
_NUMBER = re.compile(r"^[+-]?[0-9]*(\.[0-9]*)?$")
_SNIFF_CHARS = 64 * 1024


@dataclass
class CsvRecords:
    numbered: list[tuple[int, Record]]  # (record number as Excel shows it, fields), blank records left out
    ends_with_newline: bool
    delimiter: str = ","


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number (≥ 2) of fields."""
    lines = [line for line in text[:_SNIFF_CHARS].splitlines()[:30] if line.strip()]
    best, best_score = ",", (-1, 0)
    for delimiter in (",", ";", "\t"):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_error(error: csv.Error, number: int, file: str) -> Problem:
    text = str(error)
    if "field limit" in text:
        message = (
            f"Một ô dài hơn {fmt.integer(limits.MAX_FIELD_CHARS)} ký tự (giới hạn của một ô Excel): "
            "tệp không phải bảng số liệu hoặc bị hỏng."
        )
    elif "unexpected end of data" in text:
        message = "Tệp kết thúc giữa một ô trong dấu ngoặc kép: tệp có thể bị cắt cụt (thiếu phần cuối)."
    else:
        message = "Dấu ngoặc kép không đúng quy cách CSV (sau dấu đóng ngoặc phải là dấu phân cách hoặc xuống dòng)."
    return Problem(file=file, row=number, message=message)


def _over(file: str, number: int, what: str, limit: int) -> InvalidFile:
    return InvalidFile(
        [Problem(file=file, row=number, message=f"Tệp vượt giới hạn {fmt.integer(limit)} {what}; chưa đọc tiếp.")]
    )


def read_records(text: str, file: str) -> CsvRecords:
    """Every non-blank record with its number; stops at the first limit exceeded."""
    csv.field_size_limit(limits.MAX_FIELD_CHARS)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    numbered: list[tuple[int, Record]] = []
    cells, number = 0, 0
    try:
        for number, record in enumerate(reader, start=1):
            if number > limits.MAX_ROWS:
                raise _over(file, number, "dòng", limits.MAX_ROWS)
            if len(record) > limits.MAX_COLUMNS:
                raise _over(file, number, "cột", limits.MAX_COLUMNS)
            cells += len(record)
            if cells > limits.MAX_CELLS:
                raise _over(file, number, "ô", limits.MAX_CELLS)
            if any(field.strip() for field in record):
                numbered.append((number, record))
    except csv.Error as error:
        raise InvalidFile([_csv_error(error, number + 1, file)]) from None
    return CsvRecords(numbered=numbered, ends_with_newline=text.endswith(("\n", "\r")), delimiter=delimiter)


def header_of(cells: list) -> list[str]:
    """The header row as text, without the empty cells after its last title."""
    header = [str(c).strip() if c is not None else "" for c in cells]
    while header and not header[-1]:
        header.pop()
    return header


def _decimals(text: str) -> int | None:
    """Digits after the decimal mark of a number ('.' or, in a Vietnamese Excel CSV, ','), or None."""
    text = text.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".", 1)
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    return len(text.partition(".")[2])


def _cut_last_field(records: CsvRecords, width: int) -> str | None:
    """Why the last field of a file without a final line ending looks cut, or None."""
    rows = records.numbered
    field = rows[-1][1][width - 1].strip()
    if not field:
        return "ô cuối cùng trống"
    if field.endswith((".", ",")):
        mark = "dấu chấm" if field.endswith(".") else "dấu phẩy"
        return f"số cuối '{field}' kết thúc bằng {mark}"
    last = _decimals(field)
    others = [d for _, row in rows[1:-1] if len(row) >= width and (d := _decimals(row[width - 1])) is not None]
    if last is not None and others and last < min(others):
        return f"số cuối '{field}' có {last} chữ số thập phân, ít hơn mọi dòng khác của cột (ít nhất {min(others)})"
    return None


def truncation_problems(records: CsvRecords, file: str) -> list[Problem]:
    """Signs that the file was cut short (see the module docstring)."""
    if len(records.numbered) < 2:
        return []
    width = len(header_of(records.numbered[0][1]))
    number, last = records.numbered[-1]
    fields = len(last)
    if fields < width:
        return [
            Problem(
                file=file,
                row=number,
                message=f"Dòng cuối chỉ có {fields} ô, ít hơn {width} cột tiêu đề: "
                "tệp có thể bị cắt cụt (thiếu phần cuối). Hãy tải lại tệp đầy đủ.",
            )
        ]
    if records.ends_with_newline or width < 1:
        return []
    reason = _cut_last_field(records, width)
    if reason is None:
        return []
    return [
        Problem(
            file=file,
            row=number,
            value=last[width - 1].strip(),
            message=f"Tệp không kết thúc bằng dấu xuống dòng và {reason}: tệp có thể bị cắt cụt. "
            "Nếu dòng cuối đúng như vậy, hãy thêm một dấu xuống dòng ở cuối tệp rồi tải lại.",
        )
    ]
