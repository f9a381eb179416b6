"""Analyst sign-in: salted scrypt password hashes (kept in .streamlit/secrets.toml, see `secrets_file`)
checked behind the shared throttle (`throttle`). Viewing needs no account.

scrypt comes from the standard library (hashlib). Parameters follow OWASP's current advice (N=2^17, r=8,
p=1: 128 MiB and a few hundred milliseconds per check); each hash records its own parameters, so older
hashes (N=2^14) are still accepted and are replaced by a current one at the next successful sign-in.
At most CONCURRENT_CHECKS checks run at once in a process, which bounds the memory they take.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import cache

from papi_analysis import faults
from papi_analysis.access.throttle import FREE_ATTEMPTS, MAX_DELAY_SECONDS, Throttle

SECTION = "analysts"
N, R, P = 2**17, 8, 1
MAX_N = 2**20  # a hash asking for more (1 GiB) is refused rather than computed
CONCURRENT_CHECKS = 2
FAILED_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng."
_CHECKS = threading.BoundedSemaphore(CONCURRENT_CHECKS)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    memory = 128 * r * (n + p + 2)  # what OpenSSL asks for; hashlib's default limit is 32 MiB
    with _CHECKS:
        return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=memory + 2**20)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = _scrypt(password, salt, N, R, P, 32)
    encode = lambda b: base64.b64encode(b).decode()
    return f"scrypt${N}${R}${P}${encode(salt)}${encode(digest)}"


def _parameters(encoded: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt" or int(n) > MAX_N or int(r) * int(p) >= 2**30:
            return None
        return int(n), int(r), int(p), base64.b64decode(salt), base64.b64decode(digest)
    except (ValueError, TypeError):
        return None


def verify_password(password: str, encoded: str) -> bool:
    parameters = _parameters(encoded)
    if parameters is None:
        return False
    n, r, p, salt, expected = parameters
    try:
        actual = _scrypt(password, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def is_current(encoded: str) -> bool:
    """Whether a hash already uses today's parameters (else it is upgraded at the next sign-in)."""
    parameters = _parameters(encoded)
    return parameters is not None and parameters[:3] == (N, R, P)


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps a wrong name as slow as a wrong password."""
    return hash_password("", salt=b"\0" * 16)


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str
    wait_seconds: float = 0.0
    stale_hash: str | None = None  # the account's hash, when it should be rewritten with today's parameters


def sign_in(
    accounts: dict[str, str],
    name: str,
    password: str,
    throttle: Throttle,
    now: float | None = None,
    client: str | None = None,
) -> SignIn:
    """Check a name and password against {name: hash}; the message never says which was wrong. `client`: the
    address the attempt came from (throttle.client_address): the throttle slows that address, not the name."""
    name = name.strip()
    try:
        wait = throttle.reserve(name, now, client)
    except (sqlite3.Error, OSError) as error:  # attempts that cannot be counted are not checked (issue 20)
        if (message := faults.said(error, f"tệp đếm đăng nhập sai ({throttle.path})")) is None:
            raise
        return SignIn(False, f"Chưa đăng nhập được: {message}")
    if wait > 0:
        return SignIn(False, f"Đăng nhập sai nhiều lần. Vui lòng thử lại sau {int(wait) + 1} giây.", wait)
    encoded = accounts.get(name)
    ok = verify_password(password, encoded if encoded else _dummy_hash()) and encoded is not None
    if not ok:
        return SignIn(False, FAILED_MESSAGE)
    throttle.succeeded(name, client)
    return SignIn(True, f"Đã đăng nhập: {name}.", stale_hash=None if is_current(encoded) else encoded)


__all__ = ["FREE_ATTEMPTS", "MAX_DELAY_SECONDS", "SignIn", "Throttle", "hash_password", "sign_in", "verify_password"]
