"""The sign-in throttle: failed attempts per account name, in a small SQLite file next to the database, so
every dashboard worker counts the same attempts.

Why SQLite and not a table in the DuckDB file: every write to the DuckDB file changes its write stamp,
which every cache is keyed on, so a burst of wrong passwords would make every worker rebuild every cached
frame; and each attempt would queue behind uploads on the store's single write lock. SQLite's
`BEGIN IMMEDIATE` is an atomic read-modify-write across processes on its own small file.

An attempt is counted *before* its password is checked, in the same transaction that decides whether it
must wait: of many simultaneous attempts on one name only FREE_ATTEMPTS reach the password check. A
success clears the name. The table is bounded: names idle for FORGET_AFTER_SECONDS are dropped, and past
MAX_NAMES the least recently tried go first.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300
MAX_NAMES = 10_000
FORGET_AFTER_SECONDS = 24 * 3600
MAX_NAME_CHARS = 200  # longer names are counted by their first characters

_SCHEMA = "CREATE TABLE IF NOT EXISTS failures (name TEXT PRIMARY KEY, attempts INTEGER NOT NULL, last REAL NOT NULL)"


def delay_seconds(attempts: int) -> float:
    """How long after the last attempt the next one may be checked: 0, then 2, 4, 8 … seconds."""
    if attempts < FREE_ATTEMPTS:
        return 0.0
    return float(min(2.0 ** (attempts - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS))


def _wait(attempts: int, last: float, now: float) -> float:
    delay = delay_seconds(attempts)
    return max(0.0, last + delay - now) if delay else 0.0


class Throttle:
    def __init__(self, path: Path | str, max_names: int = MAX_NAMES):
        self.path = Path(path)
        self.max_names = max_names

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a second process waits for the first (busy timeout)."""
        if not self.path.exists():  # created private: it names the accounts being tried
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute(_SCHEMA)
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def _key(name: str) -> str:
        return name.strip().casefold()[:MAX_NAME_CHARS]

    def reserve(self, name: str, now: float | None = None) -> float:
        """Count an attempt on `name` unless it must wait; returns the wait (0: counted, go ahead and check)."""
        key = self._key(name)
        with self._immediate() as con:
            now = time.time() if now is None else now  # read under the lock: never before an earlier holder's
            row = con.execute("SELECT attempts, last FROM failures WHERE name = ?", [key]).fetchone()
            attempts, last = row or (0, 0.0)
            wait = _wait(attempts, last, now)
            if wait > 0:
                return wait
            con.execute(
                "INSERT INTO failures VALUES (?, 1, ?) "
                "ON CONFLICT (name) DO UPDATE SET attempts = attempts + 1, last = excluded.last",
                [key, now],
            )
            if row is None:
                self._prune(con, now)
        return 0.0

    def _prune(self, con: sqlite3.Connection, now: float) -> None:
        con.execute("DELETE FROM failures WHERE last < ?", [now - FORGET_AFTER_SECONDS])
        con.execute(
            "DELETE FROM failures WHERE name IN (SELECT name FROM failures ORDER BY last DESC LIMIT -1 OFFSET ?)",
            [self.max_names],
        )

    def succeeded(self, name: str) -> None:
        with self._immediate() as con:
            con.execute("DELETE FROM failures WHERE name = ?", [self._key(name)])

    def wait_seconds(self, name: str, now: float | None = None) -> float:
        """The wait before `name` may try again (without counting an attempt)."""
        now = time.time() if now is None else now
        with self._immediate() as con:
            row = con.execute("SELECT attempts, last FROM failures WHERE name = ?", [self._key(name)]).fetchone()
        attempts, last = row or (0, 0.0)
        return _wait(attempts, last, now)

    def names(self) -> int:
        """How many names the table holds."""
        with self._immediate() as con:
            return int(con.execute("SELECT count(*) FROM failures").fetchone()[0])
