"""Tables as downloadable files, in three flavours:

- CSV (`csv`): UTF-8 with BOM (so Excel shows Vietnamese), ',' and a decimal point — the file to upload again.
- CSV for Excel in the Vietnamese locale (`csv-vi`): UTF-8 with BOM, ';' between cells and a decimal comma;
  Excel set to Vietnamese opens it in columns (it reads ',' as the decimal mark). Every published digit is kept,
  as in the standard CSV: the upload reads this flavour too (issue 11), so a file opened in Excel, corrected in
  one cell and uploaded again changes that cell only, never every score by rounding.
- XLSX (`xlsx`): a frozen header row, an autofilter, column widths, numbers as numbers shown with up to 4
  decimals (the cell keeps the stored value), text cells as text.

Numbers carry no float noise: computed columns are rounded to 4 decimals where the tables are built
(tables.DECIMALS), and every float is written at most to NOISE_DECIMALS, which keeps every digit PAPI published
(the seed's longest values have 10 decimals) while dropping binary noise (0.47618910000000003 -> 0.4761891).
Every file ends with a column 'Nguồn' naming the source on each row: a column, not a line above or below the
table, so an exported file still uploads as-is (the reader skips the column; a title line would be read as the
header, a last line as a row cut short).

A character XML 1.0 cannot hold (a C0 control, U+FFFE, U+FFFF) is written as U+FFFD in every flavour
(characters.xml_safe): such a value can no longer be uploaded (the door refuses it), but one stored by any other
way must not make a download fail for everyone (issue 20).

Text that a spreadsheet could run as a formula — starting with = + - @ tab or CR, at the start of the cell or
after any line break inside it (a reader that splits rows on a bare CR would start a new row there) — gets an
apostrophe before it in the CSVs (OWASP "CSV injection"); in the XLSX it is a text cell with Excel's 'quote
prefix' style (no formula can run, no apostrophe shown). The CSVs quote every cell that holds a CR, an LF,
the separator or a quote, and end rows with CRLF (RFC 4180, as Excel writes): both line-ending characters are
in the row terminator, so Python's csv module quotes a bare CR too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date

import pandas as pd
from openpyxl.utils import get_column_letter

from papi_analysis import characters, fmt
from papi_analysis.names import slugify

SOURCE_COLUMN = "Nguồn"
SOURCE = "PAPI — CECODES, VFF-CRT, RTA, UNDP (papi.org.vn)"
NOISE_DECIMALS = 10
XLSX_NUMBER_FORMAT = "0.0###"  # 42,86 · 42,8559 · 4,4518 (Excel writes the decimal mark of its locale)
FORMATS = ("csv", "csv-vi", "xlsx")
MIME = {
    "csv": "text/csv",
    "csv-vi": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SUFFIX = {"csv": "", "csv-vi": "_excel-vn", "xlsx": ""}
_EXTENSION = {"csv": "csv", "csv-vi": "csv", "xlsx": "xlsx"}

# Where a formula could start: the start of the text, or right after a CR or LF inside it.
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")
_NEUTRALISED = re.compile(r"(?:^|(?<=[\r\n]))'(?=[=+\-@\t\r])")


def neutralise_text(text: str) -> str:
    """'=1+1' -> "'=1+1"; 'ghi chú\n=1+1' -> "ghi chú\n'=1+1"."""
    return _FORMULA_START.sub("'", text)


def unneutralise_text(text: str) -> str:
    """What neutralise_text added taken away, for one of our files uploaded again (a tasks template, a status
    report): "'- việc 1\n'- việc 2" -> '- việc 1\n- việc 2'."""
    return _NEUTRALISED.sub("", text)


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def _is_float(column: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(column)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = out[column].map(lambda v: neutralise_text(v) if isinstance(v, str) else v)
    return out


def xml_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells and column names with U+FFFD in place of characters XML cannot hold (characters.py)."""
    out = frame.rename(columns=lambda c: characters.xml_safe(c) if isinstance(c, str) else c)
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = out[column].map(lambda v: characters.xml_safe(v) if isinstance(v, str) else v)
    return out


def source_line(day: date, source: str = SOURCE) -> str:
    """'PAPI — CECODES, VFF-CRT, RTA, UNDP (papi.org.vn); xuất từ PAPI Dashboard ngày 27/11/2025'."""
    return f"{source}; xuất từ PAPI Dashboard ngày {fmt.day(day)}"


def with_source(frame: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """The table with its source as the last column, on every row (None: as it is)."""
    if source is None:
        return frame
    return frame.assign(**{SOURCE_COLUMN: source})


def without_noise(frame: pd.DataFrame) -> pd.DataFrame:
    """Floats at most to NOISE_DECIMALS: no 0.47618910000000003, every published digit kept."""
    floats = [c for c in frame.columns if _is_float(frame[c])]
    return frame.assign(**{c: frame[c].round(NOISE_DECIMALS) for c in floats}) if floats else frame


def csv_bytes(frame: pd.DataFrame, source: str | None = None) -> bytes:
    safe = neutralise(without_noise(xml_safe(with_source(frame, source))))
    text = safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig")


def decimal_comma(value: object) -> object:
    """42.85590744 -> '42,85590744'; 0.6000000000000001 -> '0,6'; 40.0 -> '40' (no float noise, no trailing
    zeros, no negative zero)."""
    if value is None or pd.isna(value):
        return ""
    text = f"{round(float(value), NOISE_DECIMALS):.{NOISE_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def csv_vi_bytes(frame: pd.DataFrame, source: str | None = None) -> bytes:
    """The CSV that Excel in the Vietnamese locale opens in columns: ';', decimal comma, UTF-8 BOM."""
    safe = neutralise(xml_safe(with_source(frame, source)))  # text only: a number written '-0,5' is not a formula
    floats = {c: safe[c].map(decimal_comma) for c in safe.columns if _is_float(safe[c])}
    text = safe.assign(**floats).to_csv(index=False, sep=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "PAPI", source: str | None = None) -> bytes:
    table = without_noise(xml_safe(with_source(frame, source)))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, index=False, sheet_name=sheet[:31])
        _shape(writer.sheets[sheet[:31]], table)
    return buffer.getvalue()


def _shape(ws, table: pd.DataFrame) -> None:
    """Frozen header, autofilter, widths; text cells as text (never a formula), numbers with 4 decimals shown."""
    floats = {i + 1 for i, c in enumerate(table.columns) if _is_float(table[c])}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl reads a text starting with '=' as a formula otherwise
                if _FORMULA_START.match(cell.value):
                    cell.quotePrefix = True  # stays text when edited in Excel or LibreOffice
            elif cell.column in floats and cell.value is not None:
                cell.number_format = XLSX_NUMBER_FORMAT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for index, column in enumerate(table.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in table[column].head(500) if not pd.isna(v)])
        ws.column_dimensions[get_column_letter(index)].width = min(max(8, longest + 2), 60)


def file_name(parts: Iterable[object], extension: str, prefix: str = "papi") -> str:
    """('2022', 'Đồng bằng sông Cửu Long') -> 'papi_2022_dong-bang-song-cuu-long.csv'; a format of FORMATS
    ('csv-vi' -> '…_excel-vn.csv') or a plain extension ('png', 'docx')."""
    slugs = [slugify(str(p)) for p in parts if p not in (None, "", [])]
    stem = "_".join([prefix, *[s for s in slugs if s]]) + _SUFFIX.get(extension, "")
    return f"{stem}.{_EXTENSION.get(extension, extension)}"


def file_bytes(frame: pd.DataFrame, extension: str, sheet: str = "PAPI", source: str | None = None) -> bytes:
    if extension == "csv":
        return csv_bytes(frame, source)
    if extension == "csv-vi":
        return csv_vi_bytes(frame, source)
    if extension == "xlsx":
        return xlsx_bytes(frame, sheet, source)
    raise ValueError(f"unknown export format {extension!r}")
