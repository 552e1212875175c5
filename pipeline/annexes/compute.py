"""Evaluate an annex's formula cells from its input values (what Excel would compute)."""

from __future__ import annotations

from collections.abc import Mapping

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
