"""What a cell value is: the one definition of "a number", "blank" and how a total counts a value.

Used by the annex formulas (evaluated in Python for cached results and checks), the district totals
and the writers, so a value counts the same way everywhere — and the way Excel's SUM counts it:
numbers count, text, blanks and TRUE/FALSE do not.
"""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard

import numpy as np
import pandas as pd

#: Shown where a value had a Lỗi: not used, so the district sees it is missing (never a 0).
ERROR_MARK = "—"


def is_number(value: object) -> TypeGuard[float]:
    """A real, finite-or-infinite number (numpy scalars too), not a bool and not NaN."""
    kind = type(value)
    if kind is float:  # the common cases first: this runs for every cell of a table
        return value == value
    if kind is int:
        return True
    if value is None or kind is str:
        return False
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and not math.isnan(value))


def is_blank(value: object) -> bool:
    """None, NaN, or text of nothing but spaces."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def blank_mask(values: np.ndarray) -> np.ndarray:
    """``is_blank`` of every item of an object array, without a Python call per item."""
    values = np.asarray(values, dtype=object)
    out = pd.isna(values)  # None and NaN; NaT or pd.NA too, which is_blank does not count
    if out.any():
        missing = values[out]
        if not set(map(type, missing)) <= {type(None), float}:
            out[out] = [is_blank(v) for v in missing]
    text = np.fromiter((type(v) is str for v in values), dtype=bool, count=len(values))
    if text.any():
        out[text] = [not v.strip() for v in values[text]]
    return out


def as_number(value: object) -> float:
    """The value as a total counts it (Excel's SUM): a number, else 0 (text, blank, TRUE/FALSE)."""
    return float(value) if is_number(value) else 0.0


def tidy(value: float, ndigits: int | None = 6) -> float | int:
    """Whole numbers as int (as Excel shows them), after rounding to ``ndigits`` decimals to drop
    float noise (None keeps full precision: a cached result Excel would compute the same way).
    Never raises: an infinite or NaN value is returned as it is."""
    if not math.isfinite(value):
        return value
    if ndigits is not None:
        value = round(value, ndigits)
    return int(value) if value == int(value) else value
