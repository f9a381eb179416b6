"""The SQL of every write, run on a connection inside a transaction the caller holds.

Also the few reads a write decides on (the stored reference, the stored scores, the diff an upload
would make), so that they see the same transaction. Nothing here opens a connection, begins,
commits or takes a lock: `Store` does that (for uploads, rollbacks, tasks files and the first
build), and `seed` writes through these same functions inside the store's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

import duckdb
import pandas as pd

from .changes import KEY, ScoreDiff, diff_scores
from .domain import UNIT_SET_LABELS
from .ingest import ParsedScores
from .reference import Reference
from .tasks import LoadedTasks

Connection = duckdb.DuckDBPyConnection

# Named so that a table gaining a column cannot shift values into the wrong one.
_UPLOAD_COLUMNS = (
    "upload_id",
    "kind",
    "file_name",
    "sha256",
    "size_bytes",
    "content",
    "uploaded_by",
    "uploaded_at",
    "years",
    "unit_set",
    "replace_mode",
    "rows_in_file",
    "cells_added",
    "cells_changed",
    "cells_removed",
)
_PLAN_COLUMNS = ("plan_id", "title", "issuing_body", "issued_on", "target_year", "province", "upload_id")


class StoreError(Exception):
    """A write that was refused; the message is for the user (Vietnamese). Nothing was written."""


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


# reads a write decides on ------------------------------------------------------------------
def stored_reference(con: Connection) -> Reference:
    units = con.execute(
        """SELECT u.*, r.name_vi AS region_name FROM units u JOIN regions r USING (region_id)
           ORDER BY u.unit_set DESC, u.gso_code, u.name_vi"""
    ).df()
    units["aliases"] = units.aliases.map(list)
    measures = con.execute("SELECT * FROM measures ORDER BY sort_order").df()
    measures = measures.astype({"first_year": "Int64", "last_year": "Int64"})
    regions = con.execute("SELECT * FROM regions ORDER BY sort_order").df()
    lineage = con.execute("SELECT * FROM unit_lineage").df()
    return Reference(units=units, measures=measures, regions=regions, lineage=lineage)


def stored_scores(
    con: Connection, years: Sequence[int] | None = None, measures: Sequence[str] | None = None
) -> pd.DataFrame:
    sql = "SELECT year, unit_id, measure, value, ci_low, ci_high, upload_id FROM scores WHERE true"
    params: list[object] = []
    if years is not None:
        sql += " AND list_contains(?, year)"
        params.append([int(y) for y in years])
    if measures is not None:
        sql += " AND list_contains(?, measure)"
        params.append(list(measures))
    return con.execute(sql + " ORDER BY year, measure, unit_id", params).df()


def score_diff(con: Connection, parsed: ParsedScores, replace: bool) -> ScoreDiff:
    """What writing `parsed` would change; refused if a year is stored in the other unit set."""
    stored_sets = con.execute(
        """SELECT DISTINCT s.year, u.unit_set FROM scores s JOIN units u USING (unit_id)
           WHERE list_contains(?, s.year)""",
        [parsed.years],
    ).fetchall()
    clash = sorted(year for year, unit_set in stored_sets if unit_set != parsed.unit_set)
    if clash:
        stored = UNIT_SET_LABELS[next(s for y, s in stored_sets if y == clash[0])]
        raise StoreError(
            f"Năm {', '.join(map(str, clash))} đang lưu theo {stored}; tệp dùng "
            f"{UNIT_SET_LABELS[parsed.unit_set]}. Một năm chỉ dùng một danh mục đơn vị: hãy hoàn tác "
            "lượt tải lên cũ của năm đó trước. Chưa có gì được ghi."
        )
    return diff_scores(parsed.frame, stored_scores(con, parsed.years), replace)


# writes ------------------------------------------------------------------------------------
def insert_frame(con: Connection, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame's rows, matching its columns to the table's by name."""
    con.register("incoming_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def insert_upload(
    con: Connection,
    *,
    kind: str,
    file_name: str,
    content: bytes,
    user: str,
    years: Sequence[int] | None,
    unit_set: str | None,
    replace: bool,
    rows: int,
    counts: tuple[int, int, int],
) -> int:
    """Archive a file that changes the data; returns its new upload_id."""
    upload_id = int(con.execute("SELECT coalesce(max(upload_id), 0) + 1 FROM uploads").fetchone()[0])
    digest = hashlib.sha256(content).hexdigest()
    values = [upload_id, kind, file_name, digest, len(content), content, user, datetime.now()]
    values += [years, unit_set, replace, rows, *counts]
    con.execute(_insert_sql("uploads", _UPLOAD_COLUMNS), values)
    return upload_id


def cells(changes: pd.DataFrame, side: str, upload_id: int | pd.Series) -> pd.DataFrame:
    """The 'old' or 'new' side of upload_changes as score rows (value NaN: the cell is absent)."""
    side_cells = changes[[*KEY, f"{side}_value", f"{side}_ci_low", f"{side}_ci_high"]]
    side_cells = side_cells.rename(columns=lambda c: c.removeprefix(f"{side}_"))
    return side_cells.assign(upload_id=upload_id)


def set_cells(con: Connection, target: pd.DataFrame) -> None:
    """Make every listed cell hold exactly the given value, or not exist: the one place scores change."""
    con.register("target_cells", target)
    try:
        con.execute(
            "DELETE FROM scores WHERE (year, unit_id, measure) IN (SELECT year, unit_id, measure FROM target_cells)"
        )
        con.execute("INSERT INTO scores BY NAME SELECT * FROM target_cells WHERE value IS NOT NULL")
    finally:
        con.unregister("target_cells")


def write_scores(con: Connection, parsed: ParsedScores, diff: ScoreDiff, *, user: str, kind: str) -> int:
    """Archive the file, record every changed cell's before/after, then change the cells."""
    upload_id = insert_upload(
        con,
        kind=kind,
        file_name=parsed.file,
        content=parsed.content,
        user=user,
        years=parsed.years,
        unit_set=parsed.unit_set,
        replace=diff.replace,
        rows=parsed.rows_in_file,
        counts=(len(diff.added), len(diff.changed), len(diff.removed)),
    )
    changes = diff.as_changes()
    changes.insert(0, "upload_id", upload_id)
    insert_frame(con, "upload_changes", changes)
    set_cells(con, cells(changes, "new", upload_id))
    return upload_id


def write_tasks(con: Connection, loaded: LoadedTasks, *, user: str, kind: str, replace: bool = False) -> int:
    """Archive a tasks file and make its plan and tasks the stored ones for that plan_id."""
    plan_id, plan = loaded.plan_id, loaded.plan
    upload_id = insert_upload(
        con,
        kind=kind,
        file_name=loaded.file,
        content=loaded.content,
        user=user,
        years=[int(plan["target_year"])],
        unit_set=None,
        replace=replace,
        rows=len(loaded.tasks),
        counts=(len(loaded.tasks), 0, 0),
    )
    con.execute("DELETE FROM task_measures WHERE plan_id = ?", [plan_id])
    con.execute("DELETE FROM tasks WHERE plan_id = ?", [plan_id])
    con.execute("DELETE FROM plans WHERE plan_id = ?", [plan_id])
    plan_row = [plan_id, plan["title"], plan["issuing_body"], plan["issued_on"], int(plan["target_year"])]
    con.execute(_insert_sql("plans", _PLAN_COLUMNS), [*plan_row, plan["province"], upload_id])
    insert_frame(con, "tasks", loaded.tasks)
    insert_frame(con, "task_measures", loaded.task_measures)
    return upload_id
