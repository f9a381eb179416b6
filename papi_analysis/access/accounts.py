"""Accounts in .streamlit/secrets.toml: add an analyst or a department reporter, read who an account is, or
rewrite a hash with today's parameters.

    [analysts]
    lan = "scrypt$…"
    [reporters.hoa]
    hash = "scrypt$…"
    unit = "Sở Nội vụ"

A name is one account: adding it in one section takes it out of the other.

The file is only ever replaced whole: the new content goes to a temporary file created 0600 in the same
folder (never readable by others, not even for an instant), is flushed to disk, then renamed over the
old one, so a reader sees the old file or the new one, never half of it. A lock file serialises writers
(add-analyst and hash upgrades from several dashboard workers)."""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

import tomli_w
from filelock import FileLock

from papi_analysis import characters
from papi_analysis.access.passwords import SECTION, hash_password, verify_password
from papi_analysis.access.permissions import Account

MIN_PASSWORD_CHARS = 8
REPORTERS = "reporters"


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically; the file is 0600 from its first byte."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _update(path: Path, change: Callable[[dict], bool]) -> bool:
    """Read, change and rewrite the file under its lock; `change` returns False to leave it as it is."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    with FileLock(str(path) + ".lock", mode=0o600):
        data = _read(path)
        if not change(data):
            return False
        write_private(path, tomli_w.dumps(data))
        return True


def _new_hash(name: str, password: str) -> str:
    if not name.strip() or any(c in name for c in "\"'\n\r[]=") or characters.problem(name):
        raise ValueError("Tên tài khoản không hợp lệ.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự.")
    return hash_password(password)


def add_analyst(path: Path, name: str, password: str) -> None:
    """Add or reset an analyst, keeping every other setting in the file."""
    encoded, name = _new_hash(name, password), name.strip()

    def change(data: dict) -> bool:
        data.get(REPORTERS, {}).pop(name, None)
        data.setdefault(SECTION, {})[name] = encoded
        return True

    _update(path, change)


def add_reporter(path: Path, name: str, password: str, unit: str) -> None:
    """Add or reset a department reporter of `unit` (its stored spelling: agencies.find_unit)."""
    if not unit.strip():
        raise ValueError("Cần tên đơn vị của tài khoản báo cáo.")
    encoded, name = _new_hash(name, password), name.strip()

    def change(data: dict) -> bool:
        data.get(SECTION, {}).pop(name, None)
        data.setdefault(REPORTERS, {})[name] = {"hash": encoded, "unit": unit.strip()}
        return True

    _update(path, change)


def password_hashes(secrets: Mapping) -> dict[str, str]:
    """Every account's name -> password hash (analysts and reporters), from the secrets' sections."""
    reporters = {str(k): str(v.get("hash", "")) for k, v in dict(secrets.get(REPORTERS, {})).items()}
    return reporters | {str(k): str(v) for k, v in dict(secrets.get(SECTION, {})).items()}


def account_named(secrets: Mapping, name: str) -> Account | None:
    """Who an account is: an analyst, a reporter of its unit, or None when the name has no account."""
    if name in dict(secrets.get(SECTION, {})):
        return Account.analyst(name)
    reporter = dict(secrets.get(REPORTERS, {})).get(name)
    if reporter is None or not str(reporter.get("unit", "")).strip():
        return None
    return Account.reporter(name, str(reporter["unit"]).strip())


def upgrade_hash(path: Path, name: str, password: str, old_hash: str) -> bool:
    """After a sign-in with an old-parameter hash: store a hash with today's parameters, unless the file
    no longer holds that old hash (another worker upgraded it, or the account was reset meanwhile)."""
    if not path.exists() or not verify_password(password, old_hash):
        return False
    encoded = hash_password(password)

    def change(data: dict) -> bool:
        analysts, reporters = data.get(SECTION, {}), data.get(REPORTERS, {})
        if analysts.get(name) == old_hash:
            analysts[name] = encoded
        elif isinstance(reporters.get(name), dict) and reporters[name].get("hash") == old_hash:
            reporters[name]["hash"] = encoded
        else:
            return False
        return True

    return _update(path, change)
