"""Evaluate an annex's formula cells from its input values (what Excel would compute)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pipeline.annexes.model import Annex

FixedValues = Mapping[str, Mapping[str, object]]


def compute_fixed(annex: Annex, values: FixedValues) -> dict[tuple[str, str], object]:
    """Every formula cell of a fixed annex, keyed by (row code, column key)."""
    done: dict[tuple[str, str], object] = {}
    formulas = {(r.code, key): f for r in annex.rows for key, f in r.formulas.items()}

    def get(row: str, col: str) -> object:
        if (row, col) in formulas:
            if (row, col) not in done:
                done[(row, col)] = formulas[(row, col)].evaluate(
                    lambda r, c: get(r if r is not None else row, c if c is not None else col)
                )
            return done[(row, col)]
        return values.get(row, {}).get(col)

    for row, col in formulas:
        get(row, col)
    return done


def compute_list_row(annex: Annex, row: Mapping[str, object]) -> dict[str, object]:
    """Formula columns of one row of a list annex."""
    def get(_row: str | None, col: str | None) -> object:
        return row.get(col) if col else None

    return {c.key: c.formula.evaluate(get) for c in annex.columns if c.formula is not None}


def compute_fixed_many(annex: Annex, wide: Mapping[str, pd.DataFrame],
                       index: pd.Index) -> dict[tuple[str, str], pd.Series]:
    """``compute_fixed`` for many units at once.

    ``wide`` maps a column key to a frame indexed like ``index`` (one row per unit and file) with one
    column per row code; missing cells are NaN.
    """
    done: dict[tuple[str, str], pd.Series] = {}
    formulas = {(r.code, key): f for r in annex.rows for key, f in r.formulas.items()}
    empty = pd.Series(None, index=index, dtype=object)

    def get(row: str, col: str) -> pd.Series:
        if (row, col) in formulas:
            if (row, col) not in done:
                done[(row, col)] = formulas[(row, col)].evaluate_many(
                    lambda r, c: get(r if r is not None else row, c if c is not None else col))
            return done[(row, col)]
        frame = wide.get(col)
        if frame is None or row not in frame.columns:
            return empty
        return frame[row].reindex(index)

    for row, col in formulas:
        get(row, col)
    return done


def compute_list_many(annex: Annex, rows: pd.DataFrame) -> dict[str, pd.Series]:
    """``compute_list_row`` for every row of every unit: ``rows`` has one column per column key."""
    empty = pd.Series(None, index=rows.index, dtype=object)

    def get(_row: str | None, col: str | None) -> pd.Series:
        return rows[col] if col in rows.columns else empty

    return {c.key: c.formula.evaluate_many(get) for c in annex.columns if c.formula is not None}
