"""The bytes of an uploaded text file -> text, in the encodings Vietnamese offices produce (UTF-8 with or
without BOM, UTF-16, Windows-1258); a byte that does not decode is a problem located by line, never an
exception and never a silent replacement.

Encoding detection is hand-written: the candidates are few and known, and general detectors confuse
Windows-1258 with its Western siblings. A file without a BOM that is mostly valid UTF-8 with a few bad
bytes is damaged UTF-8 (located problems), not Windows-1258 (which would turn every name into mojibake).
"""

from __future__ import annotations

import codecs
import re
import threading

from papi_analysis.problems import InvalidFile, Problem

NOT_TEXT = "Không đọc được tệp: đây không phải tệp văn bản CSV hay bảng tính Excel (.xlsx)."
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LISTED = 20  # bad places listed one by one; the rest are counted
_spans = threading.local()


def _note_span(error: UnicodeDecodeError) -> tuple[str, int]:
    _spans.found.append((error.start, error.end, error.reason))
    return "\ufffd", error.end


codecs.register_error("papi-note-span", _note_span)


def _decode_noting(data: bytes, codec: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text with U+FFFD for every bad byte sequence, and where those sequences are (byte offsets)."""
    _spans.found = []
    try:
        return data.decode(codec, errors="papi-note-span"), _spans.found
    finally:
        _spans.found = []


def _line_breaks(text: str, after_cr: bool) -> int:
    """Line endings in a piece of text as the CSV reader counts them (\r\n, \r or \n), a \r\n split
    between this piece and the one before (after_cr) counted once."""
    breaks = len(_LINE_BREAK.findall(text))
    return breaks - 1 if after_cr and text.startswith("\n") else breaks


def _problems(data: bytes, codec: str, label: str, spans: list[tuple[int, int, str]], file: str) -> list[Problem]:
    problems, line, position, after_cr = [], 1, 0, False
    for start, end, reason in spans[:_LISTED]:
        piece = data[position:start].decode(codec, errors="replace")
        line += _line_breaks(piece, after_cr)
        position, after_cr = start, piece.endswith("\r") or (after_cr and not piece)
        shown = data[start : min(end, start + 8)].hex(" ")
        if end >= len(data) and reason in ("unexpected end of data", "truncated data"):
            message = f"Tệp kết thúc giữa một ký tự {label}: tệp có thể bị cắt cụt (thiếu phần cuối)."
        elif "surrogate" in reason:
            message = f"Ký tự {label} không hợp lệ (nửa cặp thay thế đơn lẻ); tệp bị hỏng ở dòng này."
        else:
            message = f"Byte không hợp lệ trong bảng mã {label}; tệp bị hỏng ở dòng này hoặc không phải {label}."
        problems.append(Problem(file=file, row=line, value=f"byte {shown}", message=message))
    if len(spans) > _LISTED:
        problems.append(Problem(file=file, message=f"Còn {len(spans) - _LISTED} chỗ byte không hợp lệ khác."))
    return problems


def _strict(data: bytes, codec: str, label: str, file: str) -> str:
    text, spans = _decode_noting(data, codec)
    if spans:
        raise InvalidFile(_problems(data, codec, label, spans, file))
    return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a BOM: the zero byte sits beside every ASCII character."""
    if sample.count(b"\x00") <= len(sample) // 4:
        return None
    return "utf-16-be" if sample[0::2].count(b"\x00") > len(sample) // 4 else "utf-16-le"


def _mostly_utf8(text: str, bad: int) -> bool:
    """Damaged UTF-8 rather than another encoding: more well-formed multi-byte characters than bad bytes."""
    decoded = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return decoded > bad


def decode_text(content: bytes, file: str) -> tuple[str, str]:
    """Return the text and the name of the encoding it was read in; InvalidFile with located problems."""
    if content.startswith(codecs.BOM_UTF8):
        return _strict(content[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8", file), "UTF-8 (BOM)"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            return _strict(content[len(bom) :], codec, "UTF-16", file), "UTF-16"
    sample = content[:4000]
    if codec := _utf16_without_bom(sample):
        return _strict(content, codec, "UTF-16", file), "UTF-16"
    if sum(1 for byte in sample if byte < 32 and byte not in b"\t\r\n") > len(sample) // 100:
        raise InvalidFile([Problem(file=file, message=NOT_TEXT)])
    text, spans = _decode_noting(content, "utf-8")
    if not spans:
        return text, "UTF-8"
    if _mostly_utf8(text, len(spans)):
        raise InvalidFile(_problems(content, "utf-8", "UTF-8", spans, file))
    try:
        return content.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError:
        raise InvalidFile(
            [
                Problem(
                    file=file,
                    message="Không nhận ra bảng mã của tệp. Hãy lưu tệp dưới dạng CSV UTF-8 "
                    "(Excel: Lưu thành → CSV UTF-8).",
                )
            ]
        ) from None
