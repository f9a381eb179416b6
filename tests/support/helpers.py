"""Small builders of upload files for tests (synthetic values live only in tests, never in data/)."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import openpyxl
import pandas as pd

from papi_analysis.domain import TOTAL, dimensions_for_year
from papi_analysis.present.tables import scores_wide
from papi_analysis.store.database import Store


def year_frame(store: Store, year: int) -> pd.DataFrame:
    """The stored year in the wide upload layout (what the Dữ liệu page and `export` produce)."""
    return scores_wide(store.scores(), store.reference(), years=[year])


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    return frame.to_csv(index=False).encode(encoding)


def synthetic_year(names: list[str], year: int, base: float = 5.0) -> pd.DataFrame:
    """A plausible, internally consistent wide file: dimensions 1–10, TOTAL = their sum."""
    rows = []
    for i, name in enumerate(names):
        dims = {d: round(base + ((i * 7 + k * 3) % 40) / 10, 4) for k, d in enumerate(dimensions_for_year(year))}
        rows.append({"year": year, "province": name, **dims, TOTAL: round(sum(dims.values()), 4)})
    return pd.DataFrame(rows)


def load_synthetic_year(store: Store, year: int, unit_set: str, leave_out: tuple[str, ...] = ()) -> list[str]:
    """Commit synthetic_year for every unit of a set (but `leave_out`) through the upload path; the names."""
    from papi_analysis.reading.ingest import parse_scores

    ref = store.reference()
    names = [n for n in ref.units_of_set(unit_set).name_vi if n not in leave_out]
    parsed = parse_scores(csv_bytes(synthetic_year(names, year)), f"papi_{year}_synthetic.csv", ref, unit_set=unit_set)
    store.commit_scores(parsed, replace=False, user="kiểm thử (số liệu giả)")
    return names


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def frame_rows(frame: pd.DataFrame) -> list[list[object]]:
    return [list(frame.columns), *frame.astype(object).where(frame.notna(), None).values.tolist()]


def db_state(store: Store) -> tuple:
    """Everything a failed upload must leave untouched."""
    scores = store.scores().sort_values(["year", "unit_id", "measure"]).reset_index(drop=True)
    uploads = store.read("SELECT upload_id, rolled_back_at FROM uploads ORDER BY upload_id")
    changes = store.read("SELECT count(*) AS n FROM upload_changes").n.iloc[0]
    tasks = store.read("SELECT count(*) AS n FROM tasks").n.iloc[0]
    return scores, uploads, int(changes), int(tasks)


def assert_unchanged(store: Store, before: tuple) -> None:
    after = db_state(store)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])
    assert before[2:] == after[2:]


def figures(at) -> list[dict]:
    """The plotly figures of an AppTest page as dicts, typed arrays decoded."""
    out = []
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        for trace in figure["data"]:
            for axis in ("x", "y"):
                if isinstance(trace.get(axis), dict) and "bdata" in trace[axis]:
                    raw = base64.b64decode(trace[axis]["bdata"])
                    trace[axis] = np.frombuffer(raw, dtype=trace[axis]["dtype"]).tolist()
        out.append(figure)
    return out


def traces(figure: dict) -> dict[str, dict]:
    return {t["name"]: t for t in figure["data"] if t.get("name")}
