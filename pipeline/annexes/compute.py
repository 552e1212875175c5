"""Evaluate an annex's formula cells from its input values (what Excel would compute)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

import pandas as pd

from pipeline.annexes.formulas import Cells, Formula
from pipeline.annexes.model import Annex

FixedValues = Mapping[str, Mapping[str, object]]


def _solve(annex: Annex, evaluate: Callable[[Formula, Callable], object],
           read: Callable[[str, str], object]) -> dict[tuple[str, str], object]:
    """Every formula cell of a fixed annex, keyed by (row code, column key): ``evaluate(formula,
    get)``, where ``get`` gives another formula cell's result or ``read(row, column)`` for an input."""
    done: dict[tuple[str, str], object] = {}
    formulas = {(r.code, key): f for r in annex.rows for key, f in r.formulas.items()}

    def get(row: str, col: str) -> object:
        if (row, col) in formulas:
            if (row, col) not in done:
                done[(row, col)] = evaluate(
                    formulas[(row, col)],
                    lambda r, c: get(r if r is not None else row, c if c is not None else col))
            return done[(row, col)]
        return read(row, col)

    for row, col in formulas:
        get(row, col)
    return done


def compute_fixed(annex: Annex, values: FixedValues) -> dict[tuple[str, str], object]:
    """Every formula cell of a fixed annex, keyed by (row code, column key)."""
    return _solve(annex, lambda f, get: f.evaluate(get), lambda row, col: values.get(row, {}).get(col))


def compute_list_row(annex: Annex, row: Mapping[str, object]) -> dict[str, object]:
    """Formula columns of one row of a list annex."""
    def get(_row: str | None, col: str | None) -> object:
        return row.get(col) if col else None

    return {c.key: c.formula.evaluate(get) for c in annex.columns if c.formula is not None}


def compute_fixed_cells(annex: Annex, read: Callable[[str, str], Cells]) -> dict[tuple[str, str], Cells]:
    """``compute_fixed`` for many units at once: ``read(row, column)`` gives an input cell of every
    unit, and so does each result."""
    solved = _solve(annex, lambda f, get: f.evaluate_cells(get), read)
    return {key: cast(Cells, cells) for key, cells in solved.items()}


def compute_list_cells(annex: Annex, read: Callable[[str], Cells]) -> dict[str, Cells]:
    """``compute_list_row`` for many rows at once: ``read(column)`` gives that column of every row."""
    def get(_row: str | None, col: str | None) -> Cells:
        assert col is not None  # list formulas read columns of their own row
        return read(col)

    return {c.key: c.formula.evaluate_cells(get) for c in annex.columns if c.formula is not None}


def compute_fixed_many(annex: Annex, wide: Mapping[str, pd.DataFrame],
                       index: pd.Index) -> dict[tuple[str, str], pd.Series]:
    """``compute_fixed`` for many units at once.

    ``wide`` maps a column key to a frame indexed like ``index`` (one row per unit and file) with one
    column per row code; missing cells are NaN.
    """
    empty = Cells.of([None] * len(index))

    def read(row: str, col: str) -> Cells:
        frame = wide.get(col)
        if frame is None or row not in frame.columns:
            return empty
        return Cells.of(frame[row].reindex(index))

    return {cell: pd.Series(c.value, index=index) for cell, c in compute_fixed_cells(annex, read).items()}


def compute_list_many(annex: Annex, rows: pd.DataFrame) -> dict[str, pd.Series]:
    """``compute_list_row`` for every row of every unit: ``rows`` has one column per column key."""
    empty = Cells.of([None] * len(rows))

    def read(col: str) -> Cells:
        return Cells.of(rows[col]) if col in rows.columns else empty

    return {key: pd.Series(c.value, index=rows.index) for key, c in compute_list_cells(annex, read).items()}
