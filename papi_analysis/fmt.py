"""Vietnamese display of numbers, ranks, changes and dates (42,86 · 24/61 · tăng 27 bậc · 14/06/2023)."""

from __future__ import annotations

import functools
import math
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "vi_VN"
MISSING = "—"
_PLAIN_BELOW = 1e15  # beyond this, digits carry no meaning for a score and babel's context runs out


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pandas' NA all mean: no value."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not a missing scalar
        return False


def number(value: float | None, decimals: int = 2) -> str:
    """42.8559 -> '42,86'; 1234.5 -> '1.234,50'; 1e28 -> '1,00e+28'; missing -> '—'. Never raises:
    babel quantizes in a 28-digit decimal context, so huge values are written in scientific form."""
    if is_missing(value):
        return MISSING
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞"
    if abs(value) >= _PLAIN_BELOW:
        return f"{value:.{decimals}e}".replace(".", ",")
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return _plain(float(value) if isinstance(value, float) else value, decimals)
    return _plain.__wrapped__(value, decimals)


@functools.lru_cache(maxsize=16384)
def _plain(value: float | int, decimals: int) -> str:
    """babel's Vietnamese digits, remembered: a page writes the same few hundred numbers on every view, and
    babel takes 15 µs for each (a float subclass such as numpy's is passed as the float it equals)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(value, format=pattern, locale=LOCALE)
    return text.removeprefix("-") if _is_zero(text) else text  # never '-0,00'


def _is_zero(text: str) -> bool:
    """A number written with nothing but zeros ('0,00', '-0,00'): what a reader sees as no value at all."""
    return not any(ch in "123456789" for ch in text)


def signed(value: float | None, decimals: int = 2) -> str:
    """+2,82 / −0,41 (true minus sign), for change columns. A change that rounds to zero at these decimals
    has no sign: '0,00', never '−0,00' or '±0,00' (prose says 'không đổi': score_change)."""
    if is_missing(value):
        return MISSING
    text = number(abs(value), decimals)
    if _is_zero(text):
        return text
    return ("+" if value > 0 else "−") + text


def signed_exact(value: float | None, decimals: int = 10) -> str:
    """A change with every digit up to `decimals`, at least 4 shown: +2,8200; +0,000000003; −0,0000000001."""
    text = signed(value, decimals)
    whole, comma, fraction = text.partition(",")
    return f"{whole},{fraction.rstrip('0').ljust(4, '0')}" if comma else text


def integer(value: float | None) -> str:
    if is_missing(value):
        return MISSING
    if not math.isfinite(value) or abs(value) >= _PLAIN_BELOW:
        return number(value, 0)
    return format_decimal(int(value), locale=LOCALE)


def rank(position: float | None, of: float | None) -> str:
    """'24/61'."""
    if is_missing(position) or is_missing(of):
        return MISSING
    return f"{int(position)}/{int(of)}"


def rank_change(places: float | None) -> str:
    """Positive = moved up: 'tăng 27 bậc', 'giảm 3 bậc', 'giữ nguyên'."""
    if is_missing(places):
        return MISSING
    places = int(places)
    if places > 0:
        return f"tăng {places} bậc"
    if places < 0:
        return f"giảm {-places} bậc"
    return "giữ nguyên thứ hạng"


def rounds_to_zero(value: float, decimals: int = 2) -> bool:
    """True when the value is shown as zero at these decimals (0.004 -> '0,00'; babel rounds half to even)."""
    return _is_zero(number(abs(value), decimals))


def score_change(points: float | None) -> str:
    if is_missing(points):
        return MISSING
    if rounds_to_zero(points):
        return "không đổi"
    return f"{'tăng' if points > 0 else 'giảm'} {number(abs(points))} điểm"


def two_digits(count: int) -> str:
    """Official documents write small counts with two digits: '08 chỉ số', '03 chỉ số'."""
    return f"{count:02d}"


def day(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "dd/MM/yyyy", locale=LOCALE)


def moment(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM."""
    return MISSING if value is None else format_datetime(value, "dd/MM/yyyy HH:mm", locale=LOCALE)
