"""Password hashes as the first release wrote them (scrypt N=2^14), for the tests of their upgrade."""

from __future__ import annotations

import base64
import hashlib
import os

OLD_N = 2**14


def old_hash(password: str) -> str:
    """A hash made with the parameters of the first release (N=2^14)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=OLD_N, r=8, p=1, dklen=32)
    return f"scrypt${OLD_N}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
