"""The sign-in throttle: failed attempts per account name *and* client address, and per client address, in a
small SQLite file next to the database, so every dashboard worker counts the same attempts.

Who is slowed (issue 20): a stranger's failures slow that stranger, never the owner. Failures are counted per
(client address, account name): after FREE_ATTEMPTS the next attempt from that address on that name waits 2, 4,
8 … up to MAX_DELAY_SECONDS; the owner, signing in from another address, is not slowed at all (a day of 300
wrong attempts once kept the owner out of all 144 real sign-ins). Failures are also counted per client address
over all names: past FREE_ATTEMPTS_PER_CLIENT its attempts wait the same way, so random names from one address
cannot make the workers compute scrypt (128 MiB, a few hundred ms) without end. A success clears the pair and
the address. The owner whose own address is slowed is let in by the command line: `add-analyst` (a new
password) or `unlock NAME` clears every lock on the name.

Why SQLite and not a table in the DuckDB file: every write to the DuckDB file changes its write stamp,
which every cache is keyed on, so a burst of wrong passwords would make every worker rebuild every cached
frame; and each attempt would queue behind uploads on the store's single write lock. SQLite's
`BEGIN IMMEDIATE` is an atomic read-modify-write across processes on its own small file.

An attempt is counted *before* its password is checked, in the same transaction that decides whether it
must wait: of many simultaneous attempts only FREE_ATTEMPTS reach the password check. The table is bounded:
rows idle for FORGET_AFTER_SECONDS are dropped, and past MAX_NAMES rows of a kind the least recently tried go.

The client address (`client_address`): the TCP peer; behind scripts/serve's HAProxy (the peer is loopback,
which Streamlit reports as no address) the last X-Forwarded-For value, which that proxy sets. An IPv6 address
counts by its /64 network (one subscriber's whole block).
"""

from __future__ import annotations

import ipaddress
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

FREE_ATTEMPTS = 3  # per (client, name)
FREE_ATTEMPTS_PER_CLIENT = 10  # per client, over all names
MAX_DELAY_SECONDS = 300
MAX_NAMES = 10_000
FORGET_AFTER_SECONDS = 24 * 3600
MAX_NAME_CHARS = 200  # longer names are counted by their first characters
LOOPBACK = "loopback"  # a browser on this machine, or a proxy that said nothing
PAIR, CLIENT = "pair", "client"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS attempts (kind TEXT NOT NULL, client TEXT NOT NULL, name TEXT NOT NULL, "
    "attempts INTEGER NOT NULL, last REAL NOT NULL, PRIMARY KEY (kind, client, name))"
)


def delay_seconds(attempts: int, free: int = FREE_ATTEMPTS) -> float:
    """How long after the last attempt the next one may be checked: 0, then 2, 4, 8 … up to the ceiling."""
    if attempts < free:
        return 0.0
    return float(min(2.0 ** min(attempts - free + 1, 30), MAX_DELAY_SECONDS))


def _wait(attempts: int, last: float, now: float, free: int) -> float:
    delay = delay_seconds(attempts, free)
    return max(0.0, last + delay - now) if delay else 0.0


def client_address(peer: str | None, forwarded_for: list[str] = ()) -> str:
    """Whom to count an attempt against: the TCP peer (`st.context.ip_address`); when that is loopback (None:
    our own HAProxy, or a browser on this machine) the last X-Forwarded-For address, the one the proxy added
    (a client's own header comes before it). Anything that is not an address counts as LOOPBACK."""
    if peer is None:
        values = [v.strip() for header in forwarded_for for v in header.split(",") if v.strip()]
        peer = values[-1] if values else None
    try:
        address = ipaddress.ip_address((peer or "").strip("[]"))
    except ValueError:
        return LOOPBACK
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped
        return str(mapped) if mapped else str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class Throttle:
    def __init__(self, path: Path | str, max_names: int = MAX_NAMES):
        self.path = Path(path)
        self.max_names = max_names

    def _open(self, retry: bool = True) -> sqlite3.Connection:
        """A connection in a write transaction. The counts are not worth an fsync per attempt (a flood of refused
        attempts would be a flood of disk syncs): synchronous is off, so a crash of the machine may lose the last
        counts or break the file, and a broken file is started afresh rather than stopping every sign-in."""
        if not self.path.exists():  # created private: it names the accounts being tried
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA synchronous=OFF")
            con.execute("BEGIN IMMEDIATE")
            con.execute(_SCHEMA)
        except sqlite3.DatabaseError as error:
            con.close()
            if isinstance(error, sqlite3.OperationalError) or not retry:  # busy, locked, read-only: say so
                raise
            self.path.unlink(missing_ok=True)
            return self._open(retry=False)
        return con

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a second process waits for the first (busy timeout)."""
        with closing(self._open()) as con:
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def _key(name: str) -> str:
        return name.strip().casefold()[:MAX_NAME_CHARS]

    @staticmethod
    def _row(con: sqlite3.Connection, kind: str, client: str, name: str) -> tuple[int, float]:
        row = con.execute(
            "SELECT attempts, last FROM attempts WHERE kind = ? AND client = ? AND name = ?", [kind, client, name]
        ).fetchone()
        return row or (0, 0.0)

    def _waits(self, con: sqlite3.Connection, name: str, client: str | None, now: float) -> tuple[float, bool]:
        """The wait of (client, name) and of the client; whether the pair is new."""
        pair = self._row(con, PAIR, client or "", self._key(name))
        wait = _wait(*pair, now, FREE_ATTEMPTS)
        if client is not None:  # None: a caller that knows no client (tests, tools): the pair alone
            wait = max(wait, _wait(*self._row(con, CLIENT, client, ""), now, FREE_ATTEMPTS_PER_CLIENT))
        return wait, pair == (0, 0.0)

    def reserve(self, name: str, now: float | None = None, client: str | None = None) -> float:
        """Count an attempt on `name` from `client` unless it must wait; returns the wait (0: counted, go ahead
        and check the password)."""
        with self._immediate() as con:
            now = time.time() if now is None else now  # read under the lock: never before an earlier holder's
            wait, new = self._waits(con, name, client, now)
            if wait > 0:
                return wait
            counted = [(PAIR, client or "", self._key(name))] + ([(CLIENT, client, "")] if client is not None else [])
            for kind, who, key in counted:
                con.execute(
                    "INSERT INTO attempts VALUES (?, ?, ?, 1, ?) ON CONFLICT (kind, client, name) "
                    "DO UPDATE SET attempts = attempts + 1, last = excluded.last",
                    [kind, who, key, now],
                )
            if new:
                self._prune(con, now)
        return 0.0

    def _prune(self, con: sqlite3.Connection, now: float) -> None:
        con.execute("DELETE FROM attempts WHERE last < ?", [now - FORGET_AFTER_SECONDS])
        for kind in (PAIR, CLIENT):
            con.execute(
                "DELETE FROM attempts WHERE kind = ? AND rowid IN "
                "(SELECT rowid FROM attempts WHERE kind = ? ORDER BY last DESC LIMIT -1 OFFSET ?)",
                [kind, kind, self.max_names],
            )

    def succeeded(self, name: str, client: str | None = None) -> None:
        """A right password from `client`: its failures on the name and its own count are cleared (None: the
        name's failures from every address)."""
        with self._immediate() as con:
            if client is None:
                con.execute("DELETE FROM attempts WHERE kind = ? AND name = ?", [PAIR, self._key(name)])
                return
            con.execute(
                "DELETE FROM attempts WHERE kind = ? AND client = ? AND name = ?", [PAIR, client, self._key(name)]
            )
            con.execute("DELETE FROM attempts WHERE kind = ? AND client = ?", [CLIENT, client])

    def unlock(self, name: str) -> int:
        """Every lock on an account name, from any address, cleared (the owner's way in); how many there were."""
        with self._immediate() as con:
            return con.execute("DELETE FROM attempts WHERE kind = ? AND name = ?", [PAIR, self._key(name)]).rowcount

    def wait_seconds(self, name: str, now: float | None = None, client: str | None = None) -> float:
        """The wait before `client` may try `name` again (without counting an attempt)."""
        now = time.time() if now is None else now
        with self._immediate() as con:
            return self._waits(con, name, client, now)[0]

    def names(self) -> int:
        """How many (client, name) pairs the table holds."""
        with self._immediate() as con:
            return int(con.execute("SELECT count(*) FROM attempts WHERE kind = ?", [PAIR]).fetchone()[0])
