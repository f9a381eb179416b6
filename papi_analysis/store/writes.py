"""The SQL of every write, run on a connection inside a transaction the caller holds (the reads a write
decides on are in `reads`). Nothing here opens a connection, begins,
commits or takes a lock: `Store` does that (for uploads, rollbacks, tasks files and the first
build), and `seed` writes through these same functions inside the store's transaction.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Sequence
from datetime import datetime

import duckdb
import pandas as pd

from papi_analysis.plan.plan_tasks import LoadedTasks
from papi_analysis.reading.ingest import ParsedScores
from papi_analysis.store.upload_diff import LABELS, SCORES, TABLES, CellTable, ScoreDiff

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


def cells(changes: pd.DataFrame, side: str, upload_id: int | pd.Series, table: CellTable = SCORES) -> pd.DataFrame:
    """The 'old' or 'new' side of a table's changes as its rows (first value NULL: the cell is absent)."""
    side_cells = changes[[*table.key, *(f"{side}_{c}" for c in table.values)]]
    side_cells = side_cells.rename(columns=lambda c: c.removeprefix(f"{side}_"))
    return side_cells.assign(upload_id=upload_id)


def set_cells(con: Connection, target: pd.DataFrame, table: CellTable = SCORES) -> None:
    """Make every listed cell hold exactly the given values, or not exist: the one place stored cells change."""
    key = ", ".join(table.key)
    con.register("target_cells", target)
    try:
        con.execute(f"DELETE FROM {table.table} WHERE ({key}) IN (SELECT {key} FROM target_cells)")
        con.execute(f"INSERT INTO {table.table} BY NAME SELECT * FROM target_cells WHERE {table.values[0]} IS NOT NULL")
    finally:
        con.unregister("target_cells")


def _insert_mapping(con: Connection, parsed: ParsedScores, upload_id: int, user: str) -> None:
    """The mapping the upload was committed with: proposed again for files of the same shape."""
    mapping = parsed.mapping
    mapping_id = int(con.execute("SELECT coalesce(max(mapping_id), 0) + 1 FROM layout_mappings").fetchone()[0])
    con.execute(
        _insert_sql("layout_mappings", _MAPPING_COLUMNS),
        [mapping_id, mapping.shape, mapping.layout, mapping.to_json(), upload_id, user, datetime.now()],
    )


_MAPPING_COLUMNS = ("mapping_id", "shape", "layout", "mapping", "upload_id", "confirmed_by", "confirmed_at")


def write_scores(con: Connection, parsed: ParsedScores, diff: ScoreDiff, *, user: str, kind: str) -> int:
    """Archive the file, record every changed cell's before/after (scores, indicators, labels), then change the
    cells; an analyst's upload also keeps the mapping it was read with."""
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
        counts=operator.itemgetter("added", "changed", "removed")(diff.counts()),
    )
    for part in diff.parts:
        changes = part.as_changes()
        if changes.empty:
            continue
        changes.insert(0, "upload_id", upload_id)
        insert_frame(con, part.table.changes, changes)
        set_cells(con, cells(changes, "new", upload_id, part.table), part.table)
    if kind == "scores" and parsed.mapping is not None:
        _insert_mapping(con, parsed, upload_id, user)
    return upload_id


def _later_uploads(con: Connection, table: CellTable, upload_id: int) -> set[int]:
    """Uploads other than this one that hold or changed a cell this one touched since."""
    key = ", ".join(table.key)
    rows = con.execute(
        f"""SELECT DISTINCT s.upload_id FROM {table.changes} c
            JOIN {table.table} s USING ({key}) WHERE c.upload_id = $id AND s.upload_id <> $id
            UNION
            SELECT DISTINCT later.upload_id FROM {table.changes} mine
            JOIN {table.changes} later USING ({key})
            JOIN uploads u ON u.upload_id = later.upload_id
            WHERE mine.upload_id = $id AND later.upload_id > $id AND u.rolled_back_at IS NULL""",
        {"id": upload_id},
    ).fetchall()
    return {int(r[0]) for r in rows}


def rollback_cells(con: Connection, upload_id: int, user: str) -> tuple[int, int]:
    """Every cell an upload touched gets exactly its former values back (scores, indicators, labels); refused
    if a later upload changed one of them since. Returns (values restored, values removed)."""
    later = set().union(*(_later_uploads(con, table, upload_id) for table in TABLES))
    if later:
        ids = ", ".join(map(str, sorted(later)))
        raise StoreError(
            f"Không hoàn tác được lượt {upload_id}: các giá trị đó đã được lượt tải lên sau "
            f"({ids}) thay đổi. Hãy hoàn tác lượt sau trước."
        )
    restored = removed = 0
    for table in TABLES:
        changes = con.execute(f"SELECT * FROM {table.changes} WHERE upload_id = ?", [upload_id]).df()
        set_cells(con, cells(changes, "old", changes.old_upload_id, table), table)
        if table is not LABELS:
            gone = int(changes[f"old_{table.values[0]}"].isna().sum())
            restored, removed = restored + len(changes) - gone, removed + gone
    mark_rolled_back(con, upload_id, user)
    return restored, removed


def write_tasks(con: Connection, loaded: LoadedTasks, *, user: str, kind: str, replace: bool = False) -> int:
    """Archive a tasks file and make its plan and tasks the stored ones for that plan_id; what it replaces
    is kept (archive_plan) so that the upload can be undone. Counts: tasks written, 0, tasks replaced."""
    plan_id, plan = loaded.plan_id, loaded.plan
    replaced = int(con.execute("SELECT count(*) FROM tasks WHERE plan_id = ?", [plan_id]).fetchone()[0])
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
        counts=(len(loaded.tasks), 0, replaced),
    )
    archive_plan(con, plan_id, upload_id)
    delete_plan(con, plan_id)
    plan_row = [plan_id, plan["title"], plan["issuing_body"], plan["issued_on"], int(plan["target_year"])]
    con.execute(_insert_sql("plans", _PLAN_COLUMNS), [*plan_row, plan["province"], upload_id])
    insert_frame(con, "tasks", loaded.tasks)
    insert_frame(con, "task_measures", loaded.task_measures)
    return upload_id


# plans and tasks: what an upload replaced, and undoing it ------------------------------------------
_ARCHIVES = (("plans", "plans_replaced"), ("tasks", "tasks_replaced"), ("task_measures", "task_measures_replaced"))


def _archived_columns(con: Connection, archive: str) -> str:
    """The columns an archive keeps (all but replaced_by), named: a column added to the live table later
    is simply not archived."""
    names = [d[0] for d in con.execute(f"SELECT * FROM {archive} LIMIT 0").description]
    return ", ".join(n for n in names if n != "replaced_by")


def archive_plan(con: Connection, plan_id: str, upload_id: int) -> None:
    """Keep the plan row, tasks and links an upload is about to replace, keyed by that upload."""
    for table, archive in _ARCHIVES:
        columns = _archived_columns(con, archive)
        con.execute(
            f"INSERT INTO {archive} (replaced_by, {columns}) SELECT ?, {columns} FROM {table} WHERE plan_id = ?",
            [upload_id, plan_id],
        )


def delete_plan(con: Connection, plan_id: str) -> int:
    """Remove a plan with its tasks and links; returns how many tasks it had."""
    count = int(con.execute("SELECT count(*) FROM tasks WHERE plan_id = ?", [plan_id]).fetchone()[0])
    for table in ("task_measures", "tasks", "plans"):
        con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [plan_id])
    return count


def mark_rolled_back(con: Connection, upload_id: int, user: str) -> None:
    con.execute(
        "UPDATE uploads SET rolled_back_at = ?, rolled_back_by = ? WHERE upload_id = ?",
        [datetime.now(), user, upload_id],
    )


def rollback_tasks(con: Connection, upload_id: int, user: str) -> tuple[str, int, int]:
    """Undo a tasks upload: its plan goes back to what the upload replaced (or away, if the plan was new).
    Refused when a later upload has replaced the plan since. Returns (plan_id, tasks restored, tasks removed)."""
    row = con.execute("SELECT plan_id FROM plans WHERE upload_id = ?", [upload_id]).fetchall()
    if not row:
        later = con.execute("SELECT max(replaced_by) FROM plans_replaced WHERE upload_id = ?", [upload_id]).fetchone()[
            0
        ]
        raise StoreError(
            f"Không hoàn tác được lượt {upload_id}: danh sách nhiệm vụ của lượt này đã được lượt tải lên sau "
            f"({later}) thay thế. Hãy hoàn tác lượt sau trước."
        )
    plan_id = row[0][0]
    removed = delete_plan(con, plan_id)
    for table, archive in _ARCHIVES:
        columns = _archived_columns(con, archive)
        con.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {archive} WHERE replaced_by = ?", [upload_id]
        )
    restored = int(con.execute("SELECT count(*) FROM tasks WHERE plan_id = ?", [plan_id]).fetchone()[0])
    mark_rolled_back(con, upload_id, user)
    return plan_id, restored, removed


# task statuses ------------------------------------------------------------------------------------
_STATUS_COLUMNS = (
    "change_id",
    "plan_id",
    "task_id",
    "period",
    "status",
    "note",
    "evidence",
    "recorded_by",
    "recorded_at",
    "upload_id",
)


def write_status_changes(
    con: Connection, changes: pd.DataFrame, *, user: str, at: datetime, upload_id: int | None = None
) -> list[int]:
    """Insert status changes (columns plan_id, task_id, period, status, note, evidence); returns their ids."""
    first = int(con.execute("SELECT coalesce(max(change_id), 0) + 1 FROM task_status").fetchone()[0])
    ids = list(range(first, first + len(changes)))
    rows = changes[["plan_id", "task_id", "period", "status", "note", "evidence"]].assign(
        change_id=ids, recorded_by=user, recorded_at=at, upload_id=upload_id
    )
    con.executemany(_insert_sql("task_status", _STATUS_COLUMNS), rows[list(_STATUS_COLUMNS)].values.tolist())
    return ids


def _later_changes(con: Connection, change_ids: Sequence[int]) -> list[str]:
    """Task codes whose status for the same period was changed again after one of these changes."""
    return [
        r[0]
        for r in con.execute(
            """SELECT DISTINCT later.task_id FROM task_status mine JOIN task_status later
                   USING (plan_id, task_id, period)
               WHERE list_contains(?, mine.change_id) AND later.change_id > mine.change_id
                 AND later.undone_at IS NULL AND NOT list_contains(?, later.change_id)
               ORDER BY 1""",
            [list(change_ids), list(change_ids)],
        ).fetchall()
    ]


def require_task(con: Connection, plan_id: str, task_id: str) -> None:
    found = con.execute("SELECT 1 FROM tasks WHERE plan_id = ? AND task_id = ?", [plan_id, task_id]).fetchall()
    if not found:
        raise StoreError(f"Không có nhiệm vụ {task_id} trong kế hoạch {plan_id}. Chưa có gì được ghi.")


def undo_status_changes(con: Connection, change_ids: Sequence[int], user: str, at: datetime) -> None:
    """Mark changes undone, so each task's previous status for the period is in effect again; refused for a
    change that does not exist or is already undone, and if a later change of the same task and period is in
    effect (that one must be undone first)."""
    found = dict(
        con.execute(
            "SELECT change_id, undone_at IS NOT NULL FROM task_status WHERE list_contains(?, change_id)",
            [list(change_ids)],
        ).fetchall()
    )
    for change_id in change_ids:
        if change_id not in found:
            raise StoreError(f"Không có thay đổi tình trạng số {change_id}.")
        if found[change_id]:
            raise StoreError(f"Thay đổi tình trạng số {change_id} đã được hoàn tác trước đó.")
    later = _later_changes(con, change_ids)
    if later:
        raise StoreError(
            f"Không hoàn tác được: tình trạng của {', '.join(later)} đã được cập nhật sau đó. "
            "Hãy hoàn tác thay đổi sau trước."
        )
    con.execute(
        "UPDATE task_status SET undone_at = ?, undone_by = ? WHERE list_contains(?, change_id) AND undone_at IS NULL",
        [at, user, list(change_ids)],
    )


def rollback_status(con: Connection, upload_id: int, user: str, at: datetime) -> int:
    """Undo every change a status file made (those still in effect); returns how many."""
    ids = [
        r[0]
        for r in con.execute(
            "SELECT change_id FROM task_status WHERE upload_id = ? AND undone_at IS NULL", [upload_id]
        ).fetchall()
    ]
    undo_status_changes(con, ids, user, at)
    mark_rolled_back(con, upload_id, user)
    return len(ids)
