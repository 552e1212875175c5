"""Each formula gives the same value one unit at a time and for many units at once."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pipeline.annexes.compute import compute_fixed, compute_fixed_many, compute_list_many, compute_list_row

VALUES = [None, "", 0, 0.0, 3, 12.5, -1, "Đạt", "Chưa đạt", "abc", 1e6]


def _random_fixed(annex, rng):
    data = {}
    for row in annex.rows:
        for col in annex.row_inputs(row):
            if rng.random() < 0.8:
                data.setdefault(row.code, {})[col.key] = rng.choice(VALUES)
    return data


@pytest.mark.parametrize("code", ["PB01", "PB02", "PB04"])
def test_fixed_formulas_vectorized_equal_scalar(annexes, code):
    annex = annexes[code]
    rng = random.Random(7)
    units = [_random_fixed(annex, rng) for _ in range(60)]
    index = pd.RangeIndex(len(units))
    columns = {c.key for r in annex.rows for c in annex.row_inputs(r)}
    wide = {col: pd.DataFrame([{r: u.get(r, {}).get(col) for r in u} for u in units], index=index)
            for col in columns}
    many = compute_fixed_many(annex, wide, index)
    for i, unit in enumerate(units):
        exp = compute_fixed(annex, unit)
        for cell, value in exp.items():
            got = many[cell].iloc[i]
            assert got == value or (got in ("", None) and value in ("", None)), (i, cell, got, value)


@pytest.mark.parametrize("code", ["PB05", "PB06"])
def test_list_formulas_vectorized_equal_scalar(annexes, code):
    annex = annexes[code]
    rng = random.Random(11)
    keys = [c.key for c in annex.columns if c.role == "input"]
    rows = [{k: rng.choice(VALUES) for k in keys} for _ in range(200)]
    many = compute_list_many(annex, pd.DataFrame(rows))
    for i, row in enumerate(rows):
        for key, value in compute_list_row(annex, row).items():
            assert many[key].iloc[i] == value, (i, key, row)
