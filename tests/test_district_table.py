"""The vectorised and fast-path helpers of district_table agree with their plain definitions."""

from __future__ import annotations

import math
import numbers
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from pipeline.core.values import blank_mask, is_blank, is_number

ODD = [None, "", " ", "x", "—", 0, 0.0, -1.5, float("nan"), float("inf"), np.float64("nan"),
       np.float64(2.5), np.int64(3), True, False, np.bool_(True), date(2024, 1, 2),
       datetime(2024, 1, 2, 3, 4), pd.NaT, Decimal("1.5"), Decimal("NaN"), 10**30]


def _plain_is_number(value: object) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and not math.isnan(value))


def test_is_number_fast_path_matches_the_definition():
    for value in ODD:
        if value is pd.NaT:
            continue  # math.isnan refuses NaT: neither version is ever asked about it
        assert is_number(value) == _plain_is_number(value), repr(value)


def test_blank_mask_matches_is_blank():
    values = np.empty(len(ODD), dtype=object)
    values[:] = ODD
    assert blank_mask(values).tolist() == [is_blank(v) for v in ODD]
    plain = np.array([None, "", 1.0, "a", float("nan")], dtype=object)
    assert blank_mask(plain).tolist() == [True, True, False, False, True]
    assert blank_mask(np.array([], dtype=object)).tolist() == []
