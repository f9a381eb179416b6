"""The DuckDB file: migrations and the first build, reads, and the single write path.

Every access opens a short-lived connection under a process-wide and a cross-process file lock,
so the dashboard, the command line and tests can share one file: writes are serialised, each in
one `transaction()` (migrations and the first build too), and a reader sees a year before or after
an upload, never half of it. A fault of the machine (a full disk, a read-only folder, a file another program
holds, a lock held past LOCK_SECONDS) is a StoreError that says so (faults.py); DuckDB has then written nothing
of the transaction. In a read-only folder the store still serves reads.

The SQL of the writes themselves is in `writes`; reading data/ for the first build is in `seed`.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock

from papi_analysis import faults
from papi_analysis.access.permissions import Account, Action, as_account, require, require_tasks
from papi_analysis.paths import DATA_DIR, db_path
from papi_analysis.plan.status_file import StatusImport, signature
from papi_analysis.plan.task_status import StatusChange, latest, utc_now
from papi_analysis.reading.ingest import ParsedScores
from papi_analysis.reading.mapping import Remembered
from papi_analysis.reference import Reference
from papi_analysis.store import migrations, seed
from papi_analysis.store.reads import (
    change_task,
    remembered_mappings,
    score_diff,
    status_history,
    stored_cells,
    stored_reference,
    stored_scores,
    task_units,
)
from papi_analysis.store.seed import SYSTEM_USER
from papi_analysis.store.upload_diff import INDICATORS, LABELS, ScoreDiff
from papi_analysis.store.writes import (
    StoreError,
    insert_upload,
    require_task,
    rollback_cells,
    rollback_status,
    rollback_tasks,
    undo_status_changes,
    write_scores,
    write_status_changes,
    write_tasks,
)

_PROCESS_LOCK = threading.RLock()
PRIVATE_UMASK = 0o077  # files 0600, folders 0700: the database holds every uploaded file
LOCK_SECONDS = 120  # a write waits this long for another (a commit takes ~0.15 s, the first build a few s)


@contextmanager
def _private_files() -> Iterator[None]:
    """Files created meanwhile (the database, its WAL) are readable by the owner only. The umask is
    process-wide: held only under the process lock, it can make a file another thread creates meanwhile
    stricter, never looser."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def _make_private_file(path: Path) -> None:
    """A file from before the store made it private; on a read-only mount nothing can change, or be written."""
    try:
        path.chmod(0o600)
    except OSError as error:
        if error.errno != errno.EROFS:
            raise


def _make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parent 0700 (mkdir -p would use the default mode for parents)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)


@dataclass(frozen=True)
class CommitResult:
    upload_id: int
    added: int
    changed: int
    removed: int
    message: str = ""  # what a rollback of a tasks or status upload did, for the user
    names: int = 0  # names a year's file gives its parts, written or restored


class Store:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else db_path()
        self._file_lock = FileLock(str(self.path) + ".lock", mode=0o600)
        self.writes = 0  # transactions this object committed: a reader in this process knows it wrote

    # connections ----------------------------------------------------------------------------
    @contextmanager
    def _locked(self, write: bool = True) -> Iterator[None]:
        # Both locks are re-entrant, so a caller may hold them across several transactions.
        with _PROCESS_LOCK:
            locked = self._acquire(write)
            try:
                yield
            finally:
                if locked:
                    self._file_lock.release()

    def _acquire(self, write: bool) -> bool:
        """The file lock, waiting at most LOCK_SECONDS; a reader in a read-only folder (the lock file cannot be
        made there, and no writer can share it) reads without it."""
        try:
            self._file_lock.acquire(timeout=LOCK_SECONDS)
        except OSError as error:
            if write or error.errno not in (errno.EROFS, errno.EACCES):
                raise
            return False
        return True

    @contextmanager
    def _faults_said(self, write: bool) -> Iterator[None]:
        """A full disk, a read-only folder, a lock another program holds: a StoreError saying so in Vietnamese
        (faults.py), never a raw traceback; DuckDB has written nothing of the transaction (issue 20)."""
        try:
            yield
        except (duckdb.Error, OSError) as error:
            message = faults.said(error, f"cơ sở dữ liệu ({self.path})")
            if message is None:
                raise
            raise StoreError(f"{message} Chưa ghi gì; dữ liệu vẫn như trước." if write else message) from error

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._faults_said(write), self._locked(write), _private_files() if write else nullcontext():
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
                with suppress(duckdb.Error):  # a fault may have ended the transaction already
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
            self.writes += 1

    def read(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        with self._connect() as con:
            return con.execute(sql, list(params)).df()

    def version(self) -> str:
        """Changes whenever the file is written: a cheap cache key for readers in any process (asked on every
        page run, so two stat calls and nothing more)."""
        stamps = []
        for path in (str(self.path), str(self.path) + ".wal"):
            try:
                found = os.stat(path)
            except FileNotFoundError:
                continue
            stamps.append(f"{found.st_mtime_ns}:{found.st_size}")
        return ";".join(stamps)

    # build ----------------------------------------------------------------------------------
    def ensure_built(self, data_dir: Path = DATA_DIR) -> bool:
        """Apply pending migrations; on first start load data_dir (data/). True if anything was done."""
        _make_private_folder(self.path.parent)
        if self.path.exists() and self.path.stat().st_mode & 0o077:
            _make_private_file(self.path)
        if self.path.exists() and self._up_to_date():  # nothing to write: a read-only folder serves as it is
            return False
        # Held across the steps so that two processes starting at once cannot both see a
        # migration as pending, or both seed: the second waits, then finds nothing to do.
        with self._locked():
            applied = self._apply_migrations()
            seeded = self._seed_once(data_dir)
        return applied or seeded

    def _up_to_date(self) -> bool:
        """Every migration applied and the first build done, seen through a read-only connection."""
        with self._connect() as con:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if not {"schema_migrations", "meta"} <= tables:
                return False
            done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
            seeded = con.execute("SELECT 1 FROM meta WHERE key = 'seeded_at'").fetchall()
        return bool(seeded) and all(name in done for name, _ in migrations.MIGRATIONS)

    def _apply_migrations(self) -> bool:
        """Each pending migration in its own transaction with its record: all of it, or none of it."""
        with self.transaction() as con:
            con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
            done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
        pending = [(name, sql) for name, sql in migrations.MIGRATIONS if name not in done]
        for name, sql in pending:
            with self.transaction() as con:
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", [name, datetime.now()])
        return bool(pending)

    def _seed_once(self, data_dir: Path) -> bool:
        """Load data_dir if the database has never been seeded; a failure leaves it unseeded."""
        with self.transaction() as con:
            # fetchall, not fetchone: an unfinished result would block register() in the seed.
            if con.execute("SELECT 1 FROM meta WHERE key = 'seeded_at'").fetchall():
                return False
            seed.load_into(con, data_dir)
        return True

    # reads ----------------------------------------------------------------------------------
    def reference(self) -> Reference:
        with self._connect() as con:
            return stored_reference(con)

    def scores(self, years: Sequence[int] | None = None, measures: Sequence[str] | None = None) -> pd.DataFrame:
        with self._connect() as con:
            return stored_scores(con, years, measures)

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
                      rolled_back_at, rolled_back_by,
                      (SELECT count(*) FROM upload_label_changes c WHERE c.upload_id = u.upload_id) AS names_changed
               FROM uploads u ORDER BY upload_id DESC"""
        )

    def upload_changes(self, upload_id: int) -> pd.DataFrame:
        return self.read(
            "SELECT * FROM upload_changes WHERE upload_id = ? ORDER BY year, unit_id, measure", [upload_id]
        )

    def upload_indicator_changes(self, upload_id: int) -> pd.DataFrame:
        return self.read(
            "SELECT * FROM upload_indicator_changes WHERE upload_id = ? ORDER BY year, unit_id, code", [upload_id]
        )

    def indicators(self, years: Sequence[int] | None = None) -> pd.DataFrame:
        """Indicator values: year, unit_id, code, value, upload_id."""
        with self._connect() as con:
            return stored_cells(con, INDICATORS, years)

    def labels(self, years: Sequence[int] | None = None) -> pd.DataFrame:
        """What each year's file called its sub-dimensions and indicators (published_labels)."""
        with self._connect() as con:
            return stored_cells(con, LABELS, years)

    def remembered(self) -> Remembered:
        """Mappings analysts confirmed (with uploads that stand), to propose for files of the same shape."""
        with self._connect() as con:
            return remembered_mappings(con)

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
        """What committing would change (the upload's preview, with its warnings: store.scores_upload)."""
        with self._connect() as con:
            return score_diff(con, parsed, replace)

    def commit_scores(
        self, parsed: ParsedScores, *, replace: bool, user: str | Account, expected_signature: str | None = None
    ) -> CommitResult:
        """Write an upload in one transaction; refuse if the stored data moved since the preview. user: the
        signed-in Account (checked: access.permissions), or the command line's name."""
        by = as_account(user)
        require(by, Action.UPLOAD_SCORES)
        with self.transaction() as con:
            diff = score_diff(con, parsed, replace)
            if not diff.has_changes:
                raise StoreError(
                    "Không có thay đổi nào so với dữ liệu đang lưu (có thể tệp này vừa được ghi ở một phiên khác); "
                    "không ghi gì."
                )
            if expected_signature is not None and diff.signature() != expected_signature:
                raise StoreError(
                    "Dữ liệu vừa được thay đổi bởi một lượt tải lên khác kể từ khi xem trước; "
                    "hãy xem lại bản xem trước rồi xác nhận lại. Chưa có gì được ghi."
                )
            if diff.needs_replace and not replace:
                raise StoreError(
                    f"Năm {', '.join(map(str, diff.existing_years))} đã có dữ liệu và tệp thay đổi "
                    f"{diff.counts()['changed']} giá trị: cần xác nhận thay thế (--replace). Chưa có gì được ghi."
                )
            upload_id = write_scores(con, parsed, diff, user=by.recorded_as, kind="scores")
        counts = diff.counts()
        names = len(diff.labels.as_changes()) if diff.labels is not None else 0
        return CommitResult(upload_id, counts["added"], counts["changed"], counts["removed"], names=names)

    def rollback(self, upload_id: int, user: str | Account) -> CommitResult:
        """Undo an upload: scores get exactly their former values back, a plan its former tasks, statuses
        their former values; refused if a later upload (or status change) changed the same things since."""
        by = as_account(user)
        require(by, Action.ROLLBACK)
        user = by.recorded_as
        with self.transaction() as con:
            row = con.execute("SELECT kind, rolled_back_at FROM uploads WHERE upload_id = ?", [upload_id]).fetchone()
            if row is None:
                raise StoreError(f"Không có lượt tải lên số {upload_id}.")
            kind, rolled_back_at = row
            if kind == "seed":
                raise StoreError(f"Lượt tải lên số {upload_id} là {_KIND_LABELS[kind]}, không hoàn tác được.")
            if rolled_back_at is not None:
                raise StoreError(f"Lượt tải lên số {upload_id} đã được hoàn tác trước đó.")
            if kind == "tasks":
                plan_id, restored, removed = rollback_tasks(con, upload_id, user)
                message = f"Đã hoàn tác lượt tải lên số {upload_id}: kế hoạch {plan_id} " + (
                    f"trở lại {restored} nhiệm vụ như trước lượt đó." if restored else f"được gỡ ({removed} nhiệm vụ)."
                )
                return CommitResult(upload_id, 0, restored, removed, message)
            if kind == "status":
                undone = rollback_status(con, upload_id, user, utc_now())
                message = f"Đã hoàn tác lượt tải lên số {upload_id}: bỏ {undone} tình trạng do lượt đó ghi."
                return CommitResult(upload_id, 0, 0, undone, message)
            return self._rollback_scores(con, upload_id, user)

    @staticmethod
    def _rollback_scores(con, upload_id: int, user: str) -> CommitResult:
        restored, removed = rollback_cells(con, upload_id, user)
        return CommitResult(upload_id, 0, restored, removed)

    # writes: plans and tasks ----------------------------------------------------------------
    def commit_tasks(self, loaded, *, user: str | Account, replace: bool) -> int:
        """Write a plan and its tasks (a tasks.LoadedTasks); several plans coexist."""
        by = as_account(user)
        require(by, Action.LOAD_TASKS)
        if loaded.plan is None:
            raise StoreError(f"Chưa có thông tin kế hoạch {loaded.plan_id}. Chưa có gì được ghi.")
        with self.transaction() as con:
            exists = con.execute("SELECT count(*) FROM plans WHERE plan_id = ?", [loaded.plan_id]).fetchone()[0]
            if exists and not replace:
                raise StoreError(
                    f"Kế hoạch {loaded.plan_id} đã có; cần xác nhận thay thế danh sách nhiệm vụ. Chưa có gì được ghi."
                )
            return write_tasks(con, loaded, user=by.recorded_as, kind="tasks", replace=bool(exists))

    # writes: task statuses ------------------------------------------------------------------
    def record_status(self, change: StatusChange, user: str | Account) -> int:
        """Record one task's status for a period; returns the change id. Refused for an unknown task, for a task
        the account may not report on (a reporter: another unit's), or when the task's status for that period
        already says exactly this."""
        by = as_account(user)
        require(by, Action.RECORD_STATUS)
        with self.transaction() as con:
            require_task(con, change.plan_id, change.task_id)
            require_tasks(by, Action.RECORD_STATUS, task_units(con, change.plan_id, [change.task_id]))
            history = status_history(con, change.plan_id)
            current = latest(history[history.task_id == change.task_id], change.period, exact=True)
            if change.same_as(current.iloc[0].to_dict() if len(current) else None):
                raise StoreError(
                    f"Tình trạng {change.period.label} của {change.task_id} đã đúng như vậy; không ghi gì."
                )
            frame = pd.DataFrame([change.row()])
            return write_status_changes(con, frame, user=by.recorded_as, at=utc_now())[0]

    def undo_status(self, change_id: int, user: str | Account) -> None:
        """Undo one status change (the task's previous status for the period is in effect again); a reporter
        only a change of its own unit's task."""
        by = as_account(user)
        require(by, Action.UNDO_STATUS)
        with self.transaction() as con:
            if (about := change_task(con, change_id)) is not None:
                require_tasks(by, Action.UNDO_STATUS, task_units(con, about[0], [about[1]]))
            undo_status_changes(con, [change_id], by.recorded_as, utc_now())

    def commit_status_import(self, imported: StatusImport, user: str | Account) -> int:
        """Write a status file's changes in one transaction, archived as an upload of kind 'status';
        refused if the plan's statuses changed since the preview, or if it changes a task the account may not
        report on."""
        by = as_account(user)
        require(by, Action.IMPORT_STATUSES)
        if not imported.changes:
            raise StoreError("Tệp không thay đổi tình trạng nào so với dữ liệu đang lưu; không ghi gì.")
        user = by.recorded_as
        with self.transaction() as con:
            history = status_history(con, imported.plan_id)
            if signature(history, imported.plan_id, imported.period) != imported.signature:
                raise StoreError(
                    "Tình trạng nhiệm vụ vừa được cập nhật kể từ khi xem trước; hãy tải tệp lên lại để xem trước. "
                    "Chưa có gì được ghi."
                )
            for change in imported.changes:
                require_task(con, change.plan_id, change.task_id)
            touched = task_units(con, imported.plan_id, [c.task_id for c in imported.changes])
            require_tasks(by, Action.IMPORT_STATUSES, touched)
            new = imported.new_in_period
            upload_id = insert_upload(
                con,
                kind="status",
                file_name=imported.file,
                content=imported.content,
                user=user,
                years=[imported.period.year],
                unit_set=None,
                replace=False,
                rows=imported.rows_in_file,
                counts=(new, len(imported.changes) - new, 0),
            )
            frame = pd.DataFrame([c.row() for c in imported.changes])
            write_status_changes(con, frame, user=user, at=utc_now(), upload_id=upload_id)
        return upload_id

    def task_statuses(self, plan_id: str | None = None) -> pd.DataFrame:
        """Every status change, undone ones too (task_status.in_effect keeps the others)."""
        with self._connect() as con:
            return status_history(con, plan_id)


_KIND_LABELS = {"seed": "dữ liệu gốc", "scores": "điểm số", "tasks": "danh sách nhiệm vụ", "status": "tình trạng"}


__all__ = ["SYSTEM_USER", "CommitResult", "Store", "StoreError"]
