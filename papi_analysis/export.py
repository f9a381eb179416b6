"""Tables as downloadable files: CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX.

Text that a spreadsheet could run as a formula — starting with = + - @ tab or CR, at the start of the
cell or after any line break inside it (a reader that splits rows on a bare CR would start a new row
there) — gets an apostrophe before it (OWASP "CSV injection"). Numbers are left as numbers.
The CSV quotes every cell that holds a CR, an LF, the separator or a quote, and ends rows with CRLF
(RFC 4180, as Excel writes): Python's csv module quotes a bare CR only if it is in the row ending.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

import pandas as pd

from .names import slugify

# Where a formula could start: the start of the text, or right after a CR or LF inside it.
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")


def neutralise_text(text: str) -> str:
    """'=1+1' -> "'=1+1"; 'ghi chú\n=1+1' -> "ghi chú\n'=1+1"."""
    return _FORMULA_START.sub("'", text)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: neutralise_text(v) if isinstance(v, str) else v)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    text = neutralise(frame).to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "PAPI") -> bytes:
    buffer = io.BytesIO()
    safe = neutralise(frame)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31])
        sheet_ws = writer.sheets[sheet[:31]]
        for cells in sheet_ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never let openpyxl read a text as a formula
        for column_cells in sheet_ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column_cells)
            sheet_ws.column_dimensions[column_cells[0].column_letter].width = min(max(8, width + 2), 60)
    return buffer.getvalue()


def file_name(parts: Iterable[object], extension: str, prefix: str = "papi") -> str:
    """('2022', 'Đồng bằng sông Cửu Long') -> 'papi_2022_dong-bang-song-cuu-long.csv'."""
    slugs = [slugify(str(p)) for p in parts if p not in (None, "", [])]
    return "_".join([prefix, *[s for s in slugs if s]]) + f".{extension}"


def file_bytes(frame: pd.DataFrame, extension: str, sheet: str = "PAPI") -> bytes:
    if extension == "csv":
        return csv_bytes(frame)
    if extension == "xlsx":
        return xlsx_bytes(frame, sheet)
    raise ValueError(f"unknown export format {extension!r}")


MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
