"""Faults of the machine, said in Vietnamese (issue 20): a full disk, a read-only folder, no permission, a file
another program holds locked, a lock held too long. One place that knows how each shows itself — an errno from
the operating system, or the text of a DuckDB or SQLite error (DuckDB's TransactionException "Failed to commit:
Could not write file …: No space left on device" once reached the analyst as a raw traceback) — and what to do.

`said` gives the message, or None for an error that is not such a fault (a bug stays a bug, with its traceback).
The store says what it did not write (store/database.py); the command line says the same for its own files.
"""

from __future__ import annotations

import errno
from pathlib import Path

from filelock import Timeout

# (errnos, words of the error's text in lower case, what happened, what to do)
_KINDS = [
    (
        (errno.ENOSPC, errno.EDQUOT),
        ("no space left on device", "disk quota exceeded", "database or disk is full"),
        "Ổ đĩa chứa {where} đã đầy.",
        "Hãy giải phóng dung lượng ổ đĩa (hoặc báo quản trị hệ thống) rồi thử lại.",
    ),
    (
        (errno.EFBIG,),
        ("file too large",),
        "{where} đã chạm giới hạn kích thước tệp của hệ thống.",
        "Hãy báo quản trị hệ thống.",
    ),
    (
        (errno.EROFS,),
        ("read-only file system", "readonly database"),
        "Thư mục chứa {where} chỉ cho phép đọc (read-only).",
        "Hãy báo quản trị hệ thống để cho phép ghi.",
    ),
    (
        (errno.EACCES, errno.EPERM),
        ("permission denied", "operation not permitted"),
        "Chương trình không có quyền ghi vào {where}.",
        "Hãy báo quản trị hệ thống để cấp quyền ghi.",
    ),
    (
        (errno.EAGAIN,),
        ("could not set lock", "conflicting lock", "database is locked"),
        "{where} đang bị một chương trình khác mở và khóa.",
        "Hãy đóng chương trình đó (ví dụ một cửa sổ duckdb đang mở tệp) rồi thử lại.",
    ),
]


def said(error: BaseException, where: str | Path | None = None) -> str | None:
    """What happened and what to do, in Vietnamese; None if the error is not a fault of the machine."""
    place = str(where) if where is not None else str(getattr(error, "filename", None) or "tệp")
    if isinstance(error, Timeout):
        return _capital(f"{place} đang bận: một lượt ghi khác chưa xong. Hãy thử lại sau ít phút.")
    code, text = getattr(error, "errno", None), str(error).lower()
    for codes, words, happened, remedy in _KINDS:
        if code in codes or any(w in text for w in words):
            return _capital(f"{happened.format(where=place)} {remedy}")
    return None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
