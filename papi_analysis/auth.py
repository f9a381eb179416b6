"""Analyst accounts: salted scrypt password hashes in .streamlit/secrets.toml, and a throttle that
slows down repeated failed sign-ins. Viewing needs no account.

scrypt comes from the standard library (hashlib), so no extra dependency is needed; the hash
string records its parameters so they can be raised later without breaking old accounts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

SECTION = "analysts"
_N, _R, _P = 2**14, 8, 1
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300
FAILED_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng."


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = lambda b: base64.b64encode(b).decode()
    return f"scrypt${_N}${_R}${_P}${encode(salt)}${encode(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Verifying against this keeps a wrong name as slow as a wrong password.
_DUMMY_HASH = hash_password("", salt=b"\0" * 16)


@dataclass
class Throttle:
    """Failed attempts per account name, process-wide: after FREE_ATTEMPTS, wait 2, 4, 8 … seconds."""

    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, name: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            count, last = self._failures.get(name.casefold(), (0, 0.0))
        if count < FREE_ATTEMPTS:
            return 0.0
        delay = min(2.0 ** (count - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS)
        return max(0.0, last + delay - now)

    def failed(self, name: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            count, _ = self._failures.get(name.casefold(), (0, 0.0))
            self._failures[name.casefold()] = (count + 1, now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.casefold(), None)


THROTTLE = Throttle()


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str
    wait_seconds: float = 0.0


def sign_in(
    accounts: dict[str, str], name: str, password: str, throttle: Throttle = THROTTLE, now: float | None = None
) -> SignIn:
    """Check a name and password against {name: hash}; the message never says which was wrong."""
    name = name.strip()
    wait = throttle.wait_seconds(name, now)
    if wait > 0:
        return SignIn(False, f"Đăng nhập sai nhiều lần. Vui lòng thử lại sau {int(wait) + 1} giây.", wait)
    encoded = accounts.get(name)
    ok = verify_password(password, encoded if encoded else _DUMMY_HASH) and encoded is not None
    if ok:
        throttle.succeeded(name)
        return SignIn(True, f"Đã đăng nhập: {name}.")
    throttle.failed(name, now)
    return SignIn(False, FAILED_MESSAGE)


def add_analyst(secrets: Path, name: str, password: str) -> None:
    """Add or reset an analyst in secrets.toml, keeping every other setting in the file."""
    if not name.strip() or any(c in name for c in "\"'\n[]="):
        raise ValueError("Tên tài khoản không hợp lệ.")
    if len(password) < 8:
        raise ValueError("Mật khẩu cần ít nhất 8 ký tự.")
    data = {}
    if secrets.exists():
        with secrets.open("rb") as handle:
            data = tomllib.load(handle)
    data.setdefault(SECTION, {})[name.strip()] = hash_password(password)
    secrets.parent.mkdir(parents=True, exist_ok=True)
    secrets.write_text(tomli_w.dumps(data), encoding="utf-8")
    secrets.chmod(0o600)
