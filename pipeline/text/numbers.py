"""The one way a number is written for a person: Vietnamese form (1.234,5; 1.000.000; 96%).

Every message, note, hint, tooltip and document the tool writes formats its numbers here, so a
value reads the same in a finding, the commune's workbook and the district's report.
"""

from __future__ import annotations

import math
from decimal import Decimal
from numbers import Real

#: Above this magnitude a number is written as a power of ten (a message never prints 309 digits).
_LARGEST_PLAIN = 1e15
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def vn_number(value: object, decimals: int = 2, *, group: bool = True) -> str:
    """``value`` the Vietnamese way: "." groups thousands, "," marks decimals, trailing zeros dropped.

    >>> vn_number(1234.5), vn_number(1e6), vn_number(90.0), vn_number(0.125, 1)
    ('1.234,5', '1.000.000', '90', '0,1')

    ``group=False`` writes a year or a code without grouping (2024, not 2.024). Anything that is not
    a real number (text, None) is returned as ``str(value)``; NaN and infinities are written as words.
    """
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return "" if value is None else str(value)
    number = float(value)
    if math.isnan(number):
        return "không xác định"
    if math.isinf(number):
        return "vô cùng lớn" if number > 0 else "vô cùng nhỏ"
    if abs(number) >= _LARGEST_PLAIN:
        mantissa, exponent = f"{number:.2e}".split("e")
        return f"{vn_number(float(mantissa), 2)} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    text = f"{number:,.{max(decimals, 0)}f}" if group else f"{number:.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vn_count(n: float) -> str:
    """A whole count: 10.040."""
    return vn_number(int(n), 0)


def vn_percent(value: object, decimals: int = 1) -> str:
    """A rate already in percent (0–100): 96%, 79,6%."""
    return f"{vn_number(value, decimals)}%"


def vn_range(low: object, high: object, *, group: bool = True, suffix: str = "", decimals: int = 6) -> str:
    """Bounds in words: "từ 0 đến 1.000.000", "từ 98% trở lên", "không quá 100"; "" when unbounded.

    A missing bound is None or NaN. ``group=False`` for years (từ 1990 đến 2100); ``suffix="%"``
    for rates.
    """
    def given(x: object) -> bool:
        return x is not None and not (isinstance(x, float) and math.isnan(x))

    def show(x: object) -> str:
        return vn_number(x, decimals, group=group) + suffix

    if given(low) and given(high):
        return f"từ {show(low)} đến {show(high)}"
    if given(low):
        return f"từ {show(low)} trở lên"
    return f"không quá {show(high)}" if given(high) else ""
