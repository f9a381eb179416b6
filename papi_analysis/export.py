"""Tables as downloadable files: CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX.

Text cells starting with = + - @ (or tab / carriage return) are prefixed with an apostrophe so
a spreadsheet never runs them as formulas (OWASP "CSV injection"). Numbers are left as numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd

from .names import slugify

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


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
