"""The rule of every cell an annex defines, numbered: a cell's *slot*.

``rules_table`` lists, for each (annex, row key, column) a commune fills or the template computes,
its kind, bounds, choices and other rules, all derived from the annex definitions. The reader tags
each cell it reads with its slot, normalization and validation look the rule up by slot, and the
cells frame takes its repeated texts (annex, row, column, role, kind) from these few rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from pipeline.annexes import Annex, load_annexes
from pipeline.annexes.model import NUMERIC_KINDS


def rules_table(annexes: Mapping[str, Annex]) -> pd.DataFrame:
    """One row per (annex, row key, column) with the rules of that cell; list annexes use row "*"."""
    records = []
    for annex in annexes.values():
        if annex.kind == "list":
            for col in annex.columns:
                if col.role == "label":
                    continue
                records.append(_rule_record(annex, None, col, "*"))
            continue
        for row in annex.rows:
            keys = {c.key for c in annex.row_inputs(row)} | set(row.formulas)
            for col in annex.columns:
                if col.key in keys:
                    records.append(_rule_record(annex, row, col, row.code))
    return pd.DataFrame.from_records(records)


def _rule_record(annex: Annex, row, col, row_key: str) -> dict:
    lo, hi = annex.cell_bounds(row, col)
    kind = annex.cell_kind(row, col)
    formula = row.formulas.get(col.key) if row is not None else col.formula
    if formula is not None:
        kind = formula.kind
        lo = hi = None
    max_length = annex.cell_max_length(row, col)
    required = (row.required and col.role == "input") if row is not None else col.required
    return {
        "annex": annex.code, "row_key": row_key, "column": col.key,
        "role": "formula" if formula is not None else "input", "kind": kind,
        "min": lo, "max": hi, "choices": annex.cell_choices(row, col), "max_length": max_length,
        "required": bool(required) and formula is None, "unique": col.key in annex.unique,
        "title": col.title, "row_label": row.label if row is not None else "",
    }



_RULE_DTYPES = {"min": float, "max": float, "max_length": float, "required": bool, "unique": bool}


@dataclass
class Slots:
    """The rules table (``rules_table``) numbered: one slot per (annex, row key, column).

    List annexes share one slot per column (row key "*"). The plain lists are for the per-cell
    loops of the readers; ``column`` gives whole rule columns as arrays for the frame.
    """

    rules: pd.DataFrame
    index: dict[tuple[str, str, str], int]
    list_annexes: frozenset[str]
    row_keys: list[str]
    columns: list[str]
    roles: list[str]
    kinds: list[str]
    numeric: list[bool]
    choices: list[tuple[str, ...]]
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, annexes: Mapping[str, Annex]) -> Slots:
        rules = rules_table(annexes)
        keys = zip(rules["annex"], rules["row_key"], rules["column"])
        return cls(
            rules=rules,
            index={key: i for i, key in enumerate(keys)},
            list_annexes=frozenset(a.code for a in annexes.values() if a.kind == "list"),
            row_keys=list(rules["row_key"]),
            columns=list(rules["column"]),
            roles=list(rules["role"]),
            kinds=list(rules["kind"]),
            numeric=[k in NUMERIC_KINDS for k in rules["kind"]],
            choices=[c if isinstance(c, tuple) else () for c in rules["choices"]],
        )

    def slot(self, annex: str, row_code: str, column: str) -> int | None:
        row_key = "*" if annex in self.list_annexes else row_code
        return self.index.get((annex, row_key, column))

    def column(self, name: str) -> np.ndarray:
        """One rule column as an array indexed by slot (object columns share their strings)."""
        if name not in self._arrays:
            column = self.rules[name]
            dtype = _RULE_DTYPES.get(name)
            if dtype is float:
                array = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
            elif dtype is bool:
                array = column.fillna(False).astype(bool).to_numpy()
            else:
                array = column.to_numpy(dtype=object)
            self._arrays[name] = array
        return self._arrays[name]


@lru_cache(maxsize=1)
def default_slots() -> Slots:
    """The slots of the standard annexes (built once per process, like ``load_annexes``)."""
    return Slots.build(load_annexes())
