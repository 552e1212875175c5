"""Each formula gives the same value one unit at a time and for many units at once."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from pipeline.annexes.compute import (
    compute_fixed,
    compute_fixed_cells,
    compute_fixed_many,
    compute_list_cells,
    compute_list_many,
    compute_list_row,
)
from pipeline.annexes.formulas import Cells

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


def _cells(values: list) -> Cells:
    """Values and numbers side by side, as the cells frame holds them (the rules' path)."""
    number = [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in values]
    return Cells(np.array(values, dtype=object), np.array(number, dtype=float))


def _same(got, want) -> bool:
    return got == want or (got in ("", None) and want in ("", None))


@pytest.mark.parametrize("code", ["PB01", "PB02", "PB04"])
def test_fixed_formulas_over_cells_equal_scalar(annexes, code):
    annex = annexes[code]
    rng = random.Random(5)
    units = [_random_fixed(annex, rng) for _ in range(60)]
    many = compute_fixed_cells(annex, lambda row, col: _cells([u.get(row, {}).get(col) for u in units]))
    for i, unit in enumerate(units):
        for cell, value in compute_fixed(annex, unit).items():
            got = many[cell].value[i]
            assert _same(got, value), (i, cell, got, value)
            assert np.isnan(many[cell].number[i]) == (not isinstance(value, (int, float))), (i, cell)


@pytest.mark.parametrize("code", ["PB05", "PB06"])
def test_list_formulas_over_cells_equal_scalar(annexes, code):
    annex = annexes[code]
    rng = random.Random(13)
    keys = [c.key for c in annex.columns if c.role == "input"]
    rows = [{k: rng.choice(VALUES) for k in keys} for _ in range(200)]
    many = compute_list_cells(annex, lambda col: _cells([r.get(col) for r in rows]))
    for i, row in enumerate(rows):
        for key, value in compute_list_row(annex, row).items():
            assert many[key].value[i] == value, (i, key, row)
            assert np.isnan(many[key].number[i]) == (value == ""), (i, key, row)
