"""A signed-in session that survives a reload: a signed, expiring cookie the browser cannot read (HttpOnly).

Streamlit keeps who is signed in per websocket session; a reload opens a new one. The cookie carries the
account's name, role and unit, a fingerprint of its password hash (a reset password ends every session of the
account) and a random session id, signed with a key kept beside the database (every worker shares it) and valid
for MAX_AGE_SECONDS. Signing out records the session id as ended, so the cookie is refused even if the browser
still sends it. Nothing secret ever goes in a URL.

How the browser gets an HttpOnly cookie: the page, just signed in, receives a *hand-off* token valid for
HANDOFF_SECONDS and posts it to the server's own endpoint (ui/session_routes.py), which answers with Set-Cookie;
JavaScript never sees the cookie itself. On a reload the websocket's request carries the cookie
(st.context.cookies) and `account()` tells who it is.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from papi_analysis.access.accounts import account_named, password_hashes
from papi_analysis.access.permissions import Account, AccountRole

COOKIE = "papi_phien"
MAX_AGE_SECONDS = 8 * 3600  # a working day
HANDOFF_SECONDS = 60
MAX_COOKIE_CHARS = 1000
_SCHEMA = "CREATE TABLE IF NOT EXISTS ended (session TEXT PRIMARY KEY, until REAL NOT NULL)"


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _key(path: Path) -> bytes:
    """The signing key: created once, 0600, atomically (a worker never reads half a key written by another)."""
    if not path.exists():
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # 0600
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(32))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)  # fails if another worker made it first: theirs is the key
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_bytes()


class Sessions:
    """Issue, read and end signed sessions; the key and the list of ended sessions sit beside the database."""

    def __init__(self, database: Path | str):
        database = Path(database)
        self.key_path = database.with_name(database.name + ".session-key")
        self.ended_path = database.with_name(database.name + ".sessions.sqlite")
        key = _key(self.key_path)
        self._cookie = URLSafeTimedSerializer(key, salt="papi-phien")
        self._handoff = URLSafeTimedSerializer(key, salt="papi-phien-trao-tay")

    # --- issuing ----------------------------------------------------------------------------------------
    def issue(self, account: Account, password_hash: str) -> str:
        """The cookie's value for an account just signed in with a password."""
        payload = {
            "n": account.name,
            "r": account.role.value,
            "u": account.unit,
            "h": fingerprint(password_hash),
            "s": secrets.token_hex(16),
        }
        return self._cookie.dumps(payload)

    def handoff(self, cookie: str) -> str:
        """A short-lived token the page posts to the server, which sets the cookie from it."""
        return self._handoff.dumps(cookie)

    def from_handoff(self, token: str, now: float | None = None) -> str | None:
        """The cookie value a fresh hand-off token carries; None when forged or older than HANDOFF_SECONDS."""
        try:
            cookie = self._handoff.loads(token[: 2 * MAX_COOKIE_CHARS], max_age=HANDOFF_SECONDS)
        except BadSignature:
            return None
        return cookie if isinstance(cookie, str) and self._payload(cookie, now) is not None else None

    # --- reading ----------------------------------------------------------------------------------------
    def _payload(self, cookie: str, now: float | None = None) -> dict | None:
        if not cookie or len(cookie) > MAX_COOKIE_CHARS:
            return None
        try:
            payload = self._cookie.loads(cookie, max_age=MAX_AGE_SECONDS)
        except BadSignature:  # SignatureExpired is one
            return None
        return payload if isinstance(payload, dict) and not self.ended(str(payload.get("s")), now) else None

    def account(self, cookie: str | None, secrets_: Mapping) -> Account | None:
        """Who a cookie signs in: its account as the secrets hold it now (same role, unit and password)."""
        payload = self._payload(cookie or "")
        if payload is None:
            return None
        name = str(payload.get("n"))
        account = account_named(secrets_, name)
        stored = password_hashes(secrets_).get(name)
        if account is None or stored is None or account.role is AccountRole.OPERATOR:
            return None
        now_is = (account.role.value, account.unit, fingerprint(stored))
        return account if now_is == (payload.get("r"), payload.get("u"), payload.get("h")) else None

    # --- ending -----------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if not self.ended_path.exists():  # private: it lists sessions
            os.close(os.open(self.ended_path, os.O_CREAT | os.O_WRONLY, 0o600))
        con = sqlite3.connect(self.ended_path, timeout=30, isolation_level=None)
        con.execute(_SCHEMA)
        return con

    def end(self, cookie: str | None, now: float | None = None) -> None:
        """Sign a session out for good (its cookie is refused from now on, wherever it is sent from)."""
        payload = self._payload(cookie or "", now)
        if payload is None:
            return
        now = time.time() if now is None else now
        with closing(self._connect()) as con:
            con.execute("DELETE FROM ended WHERE until < ?", [now])  # expired cookies are refused anyway
            con.execute("INSERT OR REPLACE INTO ended VALUES (?, ?)", [str(payload["s"]), now + MAX_AGE_SECONDS])

    def ended(self, session: str, now: float | None = None) -> bool:
        if not self.ended_path.exists():
            return False
        now = time.time() if now is None else now
        with closing(self._connect()) as con:
            row = con.execute("SELECT 1 FROM ended WHERE session = ? AND until >= ?", [session, now]).fetchone()
        return row is not None
