"""The DuckDB file: schema and migrations, the first build from data/, reads, and the single write path.

Every access opens a short-lived connection under a process-wide and a cross-process file lock,
so the dashboard, the command line and tests can share one file: writes are serialised, each in
one transaction, and a reader sees a year before or after an upload, never half of it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock

from . import seed
from .changes import KEY, ScoreDiff, diff_scores
from .domain import UNIT_SET_LABELS
from .ingest import ParsedScores
from .migrations import MIGRATIONS
from .paths import DATA_DIR, db_path
from .reference import Reference

SYSTEM_USER = "hệ thống (dữ liệu gốc)"
_PROCESS_LOCK = threading.RLock()


class StoreError(Exception):
    """A write that was refused; the message is for the user (Vietnamese). Nothing was written."""


@dataclass(frozen=True)
class CommitResult:
    upload_id: int
    added: int
    changed: int
    removed: int


class Store:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else db_path()
        self._file_lock = FileLock(str(self.path) + ".lock")

    # connections ----------------------------------------------------------------------------
    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with _PROCESS_LOCK, self._file_lock:
            con = duckdb.connect(str(self.path), read_only=not write)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def read(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        with self._connect() as con:
            return con.execute(sql, list(params)).df()

    def version(self) -> str:
        """Changes whenever the file is written: a cheap cache key for readers in any process."""
        stats = [os.stat(p) for p in (self.path, Path(str(self.path) + ".wal")) if p.exists()]
        return ";".join(f"{s.st_mtime_ns}:{s.st_size}" for s in stats)

    # build ----------------------------------------------------------------------------------
    def ensure_built(self, data_dir: Path = DATA_DIR) -> bool:
        """Apply pending migrations; on first start load data_dir (data/). True if anything was done."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect(write=True) as con:
            con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
            applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
            pending = [(name, sql) for name, sql in MIGRATIONS if name not in applied]
            for name, sql in pending:
                con.execute("BEGIN TRANSACTION")
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, datetime.now()])
                con.execute("COMMIT")
            seeded = con.execute("SELECT count(*) FROM meta WHERE key = 'seeded_at'").fetchone()[0]
            if not seeded:
                con.execute("BEGIN TRANSACTION")
                try:
                    _seed(con, data_dir)
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
            return bool(pending) or not seeded

    # reads ----------------------------------------------------------------------------------
    def reference(self) -> Reference:
        with self._connect() as con:
            return _reference(con)

    def scores(self, years: Sequence[int] | None = None, measures: Sequence[str] | None = None) -> pd.DataFrame:
        with self._connect() as con:
            return _scores(con, years, measures)

    def years(self) -> pd.DataFrame:
        """Years with data: year, unit_set, units (count with an aggregate or any dimension)."""
        return self.read(
            """SELECT s.year, any_value(u.unit_set) AS unit_set, count(DISTINCT s.unit_id) AS units
               FROM scores s JOIN units u USING (unit_id) GROUP BY s.year ORDER BY s.year"""
        )

    def uploads(self) -> pd.DataFrame:
        return self.read(
            """SELECT upload_id, kind, file_name, sha256, size_bytes, uploaded_by, uploaded_at, years,
                      unit_set, replace_mode, rows_in_file, cells_added, cells_changed, cells_removed,
                      rolled_back_at, rolled_back_by
               FROM uploads ORDER BY upload_id DESC"""
        )

    def upload_changes(self, upload_id: int) -> pd.DataFrame:
        return self.read(
            "SELECT * FROM upload_changes WHERE upload_id = ? ORDER BY year, unit_id, measure", [upload_id]
        )

    def upload_file(self, upload_id: int) -> tuple[str, bytes]:
        with self._connect() as con:
            row = con.execute("SELECT file_name, content FROM uploads WHERE upload_id = ?", [upload_id]).fetchone()
        if row is None:
            raise StoreError(f"Không có lượt tải lên số {upload_id}.")
        return row[0], bytes(row[1])

    def plans(self) -> pd.DataFrame:
        return self.read("SELECT * FROM plans ORDER BY target_year DESC, plan_id")

    def tasks(self) -> pd.DataFrame:
        """Tasks with their measures as a list, in plan order."""
        return self.read(
            """SELECT t.*, coalesce(list(m.measure ORDER BY m.measure) FILTER (WHERE m.measure IS NOT NULL), [])
                          AS measures
               FROM tasks t LEFT JOIN task_measures m USING (plan_id, task_id)
               GROUP BY ALL ORDER BY t.plan_id, t.sort_order"""
        )

    # writes: scores -------------------------------------------------------------------------
    def preview(self, parsed: ParsedScores, replace: bool) -> ScoreDiff:
        with self._connect() as con:
            return _diff(con, parsed, replace)

    def commit_scores(
        self, parsed: ParsedScores, *, replace: bool, user: str, expected_signature: str | None = None
    ) -> CommitResult:
        """Write an upload in one transaction; refuse if the stored data moved since the preview."""
        with self.transaction() as con:
            diff = _diff(con, parsed, replace)
            if expected_signature is not None and diff.signature() != expected_signature:
                raise StoreError(
                    "Dữ liệu vừa được thay đổi bởi một lượt tải lên khác kể từ khi xem trước; "
                    "hãy xem lại bản xem trước rồi xác nhận lại. Chưa có gì được ghi."
                )
            if diff.needs_replace and not replace:
                raise StoreError(
                    f"Năm {', '.join(map(str, diff.existing_years))} đã có dữ liệu và tệp thay đổi "
                    f"{len(diff.changed)} giá trị: cần xác nhận thay thế (--replace). Chưa có gì được ghi."
                )
            if not diff.has_changes:
                raise StoreError("Không có thay đổi nào so với dữ liệu đang lưu; không ghi gì.")
            upload_id = _write_scores(con, parsed, diff, user=user, kind="scores")
        return CommitResult(upload_id, len(diff.added), len(diff.changed), len(diff.removed))

    def rollback(self, upload_id: int, user: str) -> CommitResult:
        """Restore exactly the values an upload replaced; refuse if a later upload changed them since."""
        with self.transaction() as con:
            row = con.execute("SELECT kind, rolled_back_at FROM uploads WHERE upload_id = ?", [upload_id]).fetchone()
            if row is None:
                raise StoreError(f"Không có lượt tải lên số {upload_id}.")
            kind, rolled_back_at = row
            if kind != "scores":
                raise StoreError(f"Lượt tải lên số {upload_id} là {_KIND_LABELS[kind]}, không hoàn tác được ở đây.")
            if rolled_back_at is not None:
                raise StoreError(f"Lượt tải lên số {upload_id} đã được hoàn tác trước đó.")
            changes = con.execute("SELECT * FROM upload_changes WHERE upload_id = ?", [upload_id]).df()
            later = con.execute(
                """SELECT DISTINCT s.upload_id FROM upload_changes c
                   JOIN scores s USING (year, unit_id, measure) WHERE c.upload_id = $id AND s.upload_id <> $id
                   UNION
                   SELECT DISTINCT later.upload_id FROM upload_changes mine
                   JOIN upload_changes later USING (year, unit_id, measure)
                   JOIN uploads u ON u.upload_id = later.upload_id
                   WHERE mine.upload_id = $id AND later.upload_id > $id AND u.rolled_back_at IS NULL""",
                {"id": upload_id},
            ).fetchall()
            if later:
                ids = ", ".join(str(r[0]) for r in sorted(later))
                raise StoreError(
                    f"Không hoàn tác được lượt {upload_id}: các giá trị đó đã được lượt tải lên sau "
                    f"({ids}) thay đổi. Hãy hoàn tác lượt sau trước."
                )
            _set_cells(con, _cells(changes, "old", changes.old_upload_id))
            con.execute(
                "UPDATE uploads SET rolled_back_at = ?, rolled_back_by = ? WHERE upload_id = ?",
                [datetime.now(), user, upload_id],
            )
        removed = int(changes.old_value.isna().sum())
        restored = len(changes) - removed
        return CommitResult(upload_id, 0, restored, removed)

    # writes: plans and tasks ----------------------------------------------------------------
    def commit_tasks(self, loaded, *, user: str, replace: bool) -> int:
        """Write a plan and its tasks (a tasks.LoadedTasks); several plans coexist."""
        if loaded.plan is None:
            raise StoreError(f"Chưa có thông tin kế hoạch {loaded.plan_id}. Chưa có gì được ghi.")
        with self.transaction() as con:
            exists = con.execute("SELECT count(*) FROM plans WHERE plan_id = ?", [loaded.plan_id]).fetchone()[0]
            if exists and not replace:
                raise StoreError(
                    f"Kế hoạch {loaded.plan_id} đã có; cần xác nhận thay thế danh sách nhiệm vụ. Chưa có gì được ghi."
                )
            return _write_tasks(con, loaded, user=user, kind="tasks", replace=bool(exists))


_KIND_LABELS = {"seed": "dữ liệu gốc", "scores": "điểm số", "tasks": "danh sách nhiệm vụ"}


def _reference(con: duckdb.DuckDBPyConnection) -> Reference:
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


def _scores(con, years=None, measures=None) -> pd.DataFrame:
    sql = "SELECT year, unit_id, measure, value, ci_low, ci_high, upload_id FROM scores WHERE true"
    params: list[object] = []
    if years is not None:
        sql += " AND list_contains(?, year)"
        params.append([int(y) for y in years])
    if measures is not None:
        sql += " AND list_contains(?, measure)"
        params.append(list(measures))
    return con.execute(sql + " ORDER BY year, measure, unit_id", params).df()


def _diff(con, parsed: ParsedScores, replace: bool) -> ScoreDiff:
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
    return diff_scores(parsed.frame, _scores(con, parsed.years), replace)


def _next_upload_id(con) -> int:
    return int(con.execute("SELECT coalesce(max(upload_id), 0) + 1 FROM uploads").fetchone()[0])


def _insert_upload(
    con,
    *,
    kind: str,
    file_name: str,
    content: bytes,
    user: str,
    years,
    unit_set,
    replace: bool,
    rows: int,
    counts: tuple[int, int, int],
) -> int:
    upload_id = _next_upload_id(con)
    con.execute(
        "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        [
            upload_id,
            kind,
            file_name,
            hashlib.sha256(content).hexdigest(),
            len(content),
            content,
            user,
            datetime.now(),
            years,
            unit_set,
            replace,
            rows,
            *counts,
        ],
    )
    return upload_id


def _insert_frame(con, table: str, frame: pd.DataFrame) -> None:
    con.register("incoming_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def _cells(changes: pd.DataFrame, side: str, upload_id) -> pd.DataFrame:
    """The 'old' or 'new' side of upload_changes as score rows (value NaN: the cell is absent)."""
    cells = changes[[*KEY, f"{side}_value", f"{side}_ci_low", f"{side}_ci_high"]]
    cells = cells.rename(columns=lambda c: c.removeprefix(f"{side}_"))
    return cells.assign(upload_id=upload_id)


def _set_cells(con, cells: pd.DataFrame) -> None:
    """Make every listed cell hold exactly the given value, or not exist: the one place scores change."""
    con.register("target_cells", cells)
    try:
        con.execute(
            "DELETE FROM scores WHERE (year, unit_id, measure) IN (SELECT year, unit_id, measure FROM target_cells)"
        )
        con.execute("INSERT INTO scores BY NAME SELECT * FROM target_cells WHERE value IS NOT NULL")
    finally:
        con.unregister("target_cells")


def _write_scores(con, parsed: ParsedScores, diff: ScoreDiff, *, user: str, kind: str) -> int:
    upload_id = _insert_upload(
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
    _insert_frame(con, "upload_changes", changes)
    _set_cells(con, _cells(changes, "new", upload_id))
    return upload_id


def _write_tasks(con, loaded, *, user: str, kind: str, replace: bool = False) -> int:
    plan_id = loaded.plan_id
    upload_id = _insert_upload(
        con,
        kind=kind,
        file_name=loaded.file,
        content=loaded.content,
        user=user,
        years=[int(loaded.plan["target_year"])],
        unit_set=None,
        replace=replace,
        rows=len(loaded.tasks),
        counts=(len(loaded.tasks), 0, 0),
    )
    con.execute("DELETE FROM task_measures WHERE plan_id = ?", [plan_id])
    con.execute("DELETE FROM tasks WHERE plan_id = ?", [plan_id])
    con.execute("DELETE FROM plans WHERE plan_id = ?", [plan_id])
    con.execute(
        "INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            plan_id,
            loaded.plan["title"],
            loaded.plan["issuing_body"],
            loaded.plan["issued_on"],
            int(loaded.plan["target_year"]),
            loaded.plan["province"],
            upload_id,
        ],
    )
    _insert_frame(con, "tasks", loaded.tasks)
    _insert_frame(con, "task_measures", loaded.task_measures)
    return upload_id


def _seed(con, data_dir: Path) -> None:
    """First start: reference tables, then every seed file through the ordinary write path."""
    from .tasks import load_seed_tasks  # tasks imports ingest helpers; keep start-up imports light

    reference = seed.read_reference(data_dir)
    for table, frame in (
        ("regions", reference.regions),
        ("units", reference.units),
        ("unit_lineage", reference.lineage),
        ("measures", reference.measures),
    ):
        _insert_frame(con, table, frame)
    ref = _reference(con)
    for parsed in seed.read_scores(ref, data_dir / "scores"):
        diff = _diff(con, parsed, replace=False)
        if diff.needs_replace:
            raise ValueError(f"{parsed.file} overlaps another seed file")
        _write_scores(con, parsed, diff, user=SYSTEM_USER, kind="seed")
    for loaded in load_seed_tasks(ref, data_dir / "plans.csv", data_dir / "tasks.csv"):
        _write_tasks(con, loaded, user=SYSTEM_USER, kind="seed")
    con.execute("INSERT INTO meta VALUES ('seeded_at', ?)", [datetime.now().isoformat(timespec="seconds")])


__all__ = ["KEY", "SYSTEM_USER", "CommitResult", "Store", "StoreError"]
