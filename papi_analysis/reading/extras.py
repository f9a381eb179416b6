"""What in a scores file is not data, recognised by its header or by its content (issue 19, items 1 and 3): ID and
row-number columns, scale columns ("1-10", "8-80", "%"), unit columns, notes, the region, a second column (or row)
of the unit names in another language, blank separators; summary rows or columns (highest, lowest, mean,
median, the national figure, in Vietnamese and English, and their codes such as 999). Each is skipped and said,
with the words the preview uses. Compared on names.plain (no case, diacritics or punctuation).
"""

from __future__ import annotations

import re

from papi_analysis.names import plain

ID, SCALE, UNIT, NOTES, REGION, NAMES, SEPARATOR, SUMMARY = (
    "id",
    "scale",
    "unit",
    "notes",
    "region",
    "names",
    "separator",
    "summary",
)
WHY = {
    ID: "mã hoặc số thứ tự, không phải số liệu",
    SCALE: "thang điểm, không phải số liệu",
    UNIT: "đơn vị tính, không phải số liệu",
    NOTES: "ghi chú",
    REGION: "vùng",
    NAMES: "tên tỉnh, thành phố (ngôn ngữ khác)",
    SEPARATOR: "trống (ngăn cách)",
    SUMMARY: "dòng tổng hợp (không phải một tỉnh, thành phố)",
}
HEADERS = {
    ID: {"stt", "tt", "so tt", "so thu tu", "no", "id", "tinhid", "tinh id", "provid", "ma tinh", "gso code", "ma gso"},
    SCALE: {"thang diem", "scale", "thang diem scale", "thang do", "thang diem thang do", "range"},
    UNIT: {"don vi tinh", "don vi do", "unit of measure", "units", "don vi tinh unit", "dvt"},
    NOTES: {"ghi chu", "notes", "note", "chu thich", "ghi chu notes", "nguon", "source"},
    REGION: {"region", "vung", "vung kinh te xa hoi"},
}
_SUMMARY = re.compile(
    r"\b(?:diem cao nhat|cao nhat|diem thap nhat|thap nhat|trung binh(?: ca nuoc)?|trung vi|ca nuoc|toan quoc|"
    r"highest|lowest|mean|median|average|national(?: average| mean)?|maximum|minimum|max|min|viet nam|vietnam)\b"
)
SUMMARY_CODES = {"99", "999", "9999"}
_SCALE_TEXT = re.compile(r"^(?:thang\s*)?\(?\s*[0-9]+(?:[.,][0-9]+)?\s*(?:-|–|—|den|to)\s*[0-9]+(?:[.,][0-9]+)?\s*\)?")
_UNIT_WORDS = {
    "diem",
    "point",
    "points",
    "score",
    "ngay",
    "days",
    "day",
    "gio",
    "hours",
    "lan",
    "times",
    "nguoi",
    "people",
    "dong",
    "trieu dong",
    "nghin dong",
    "vnd",
    "km",
    "phut",
    "minutes",
    "ho",
    "households",
    "ty le",
    "percent",
}


def header_kind(text: str) -> str | None:
    """The kind of a column (or row) by its header: ID, SCALE, UNIT, NOTES, REGION; None if none of these."""
    key = plain(text)
    return next((kind for kind, words in HEADERS.items() if key in words), None)


def is_scale(text: str) -> bool:
    """A scale written in a cell: '1-10', '8–80', '0 - 100 %', '(1-10)', 'thang 1–10 điểm', '%'."""
    raw = str(text).strip().casefold()
    if raw in ("%", "(%)", "% (0-100)"):
        return True
    match = _SCALE_TEXT.match(raw)
    return bool(match) and plain(raw[match.end() :]) in ("", "diem", "points", "%", "phan tram")


def is_unit_word(text: str) -> bool:
    key = plain(text)
    return str(text).strip() in ("%", "(%)") or key in _UNIT_WORDS


def is_summary(text: str) -> bool:
    """A label of a summary row or column: 'Điểm cao nhất', 'Highest', 'Trung bình cả nước', 'Median', '999'."""
    raw = str(text).strip()
    if raw in SUMMARY_CODES:
        return True
    return bool(_SUMMARY.search(plain(raw))) if raw else False


def _integer(text: str) -> int | None:
    """A whole number written as one ('12'; a score that happens to be whole is written '12.0' by a workbook)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def content_kind(texts: list[str]) -> str | None:
    """The kind of a column (or row) by its cells' texts: every one a scale, or a unit; or whole numbers, each
    once, that count rows or name codes (STT 1, 2, 3 …, GSO codes): an ID. None otherwise."""
    cells = [t for t in texts if t]
    if len(cells) < 2:
        return None
    if all(is_scale(t) for t in cells):
        return SCALE
    if all(is_unit_word(t) for t in cells):
        return UNIT
    numbers = [_integer(t) for t in cells]
    if None not in numbers and len(set(numbers)) == len(numbers):
        return ID
    return None
