"""Normalize raw cells (long form, all units at once) into typed values, using the annex rules.

Parsing is not validating: this step turns what communes type (``1.234,5``, ``90%``, ``đạt``, TCVN3
text) into clean values and notes what it changed; it never decides that a value is wrong. A value
it cannot convert stays missing, and the schema (``schema.py``) reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

from pipeline.annexes import Annex
from pipeline.findings import WARNING, Finding
from pipeline.normalize import Parsed, clean_text, parse_choice, parse_number

NUMERIC = ("int", "money", "number", "percent", "year")
#: Columns of the long cells frame produced by intake.
CELL_COLUMNS = ("unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "raw")
#: Conversions that may have guessed wrong: a 0.8 % poverty rate typed as 0,8 becomes 80.
DOUBTFUL = frozenset({"percent-from-fraction", "number-ambiguous-separator"})
#: Normalizations too trivial to report (stray spaces).
QUIET = frozenset({"text-space"})
RULE_COLUMNS = ("kind", "min", "max", "choices", "max_length", "required", "unique", "title",
                "row_label")


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
    max_length = (row.max_length if row is not None and col.kind == "row" else None) or col.max_length
    required = (row.required and col.role == "input") if row is not None else col.required
    return {
        "annex": annex.code, "row_key": row_key, "column": col.key, "kind": kind,
        "min": lo, "max": hi, "choices": annex.cell_choices(row, col), "max_length": max_length,
        "required": bool(required) and formula is None, "unique": col.key in annex.unique,
        "title": col.title, "row_label": row.label if row is not None else "",
    }


def with_rules(cells: pd.DataFrame, rules: pd.DataFrame, annexes: Mapping[str, Annex]) -> pd.DataFrame:
    """Attach the rule of each cell (list annexes match on row "*").

    A left join on (annex, row key, column), done as a look-up of each cell's position in the
    rules table (the rules are unique per key), so millions of cells are not merged row by row.
    """
    list_annexes = [a.code for a in annexes.values() if a.kind == "list"]
    row_key = cells["row_code"].where(~cells["annex"].isin(list_annexes), "*")
    keys = ["annex", "row_key", "column"]
    index = pd.MultiIndex.from_frame(rules[keys])
    if not index.is_unique:  # not the case for annex rules; keep the join's semantics
        return cells.assign(row_key=row_key).merge(rules, on=keys, how="left")
    at = index.get_indexer(pd.MultiIndex.from_arrays(
        [cells["annex"].to_numpy(), row_key.to_numpy(), cells["column"].to_numpy()]))
    missing = at < 0
    out = {k: cells[k] for k in cells.columns}
    out["row_key"] = row_key
    for key in rules.columns:
        if key in keys:
            continue
        column = rules[key]
        if missing.any():
            column = pd.concat([column, pd.Series([None])], ignore_index=True)
            taken = column.take(np.where(missing, len(column) - 1, at))
        else:
            taken = column.take(at)
        out[key] = taken.set_axis(cells.index)
    return pd.DataFrame(out, index=cells.index, copy=False)


@lru_cache(maxsize=65536)
def _parse(raw: object, kind: str, choices: tuple[str, ...]) -> Parsed:
    if kind in NUMERIC:
        return parse_number(raw, percent=kind == "percent", integer=kind in ("int", "year"))
    if kind == "choice":
        if isinstance(raw, float) and raw.is_integer():
            raw = str(int(raw))
        return parse_choice(raw, choices) if choices else clean_text(raw)
    if kind == "value":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return Parsed(float(raw), True, None, None)
        number = parse_number(raw)
        return number if number.ok and number.value is not None else clean_text(raw)
    if kind == "date":
        return _parse_date(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    return clean_text(raw)


def _parse_date(raw: object) -> Parsed:
    if isinstance(raw, datetime):
        return Parsed(raw.date(), True, None, None)
    if isinstance(raw, date):
        return Parsed(raw, True, None, None)
    if isinstance(raw, str):
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
            try:
                return Parsed(datetime.strptime(raw.strip(), fmt).date(), True, None, None)
            except ValueError:
                continue
    return Parsed(None, False, None, "not-a-date")


def normalize_cells(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    """Add ``value`` (clean), ``number`` (float or NaN) and ``parse_code`` to a frame with rules.

    Blank cells and numbers Excel already typed (the common case) are handled as whole columns;
    only the other cells go through the parser, one call per distinct (raw, kind, choices).
    """
    n = len(frame)
    raw = frame["raw"].to_numpy(dtype=object)
    is_float = np.fromiter((isinstance(v, float) for v in raw), dtype=bool, count=n)
    floats = np.full(n, np.nan)
    floats[is_float] = raw[is_float].astype(float)
    blank = (is_float & np.isnan(floats)) | np.fromiter((v is None for v in raw), dtype=bool, count=n)
    typed = is_float & ~blank & frame["kind"].isin(NUMERIC).to_numpy()
    values = np.empty(n, dtype=object)
    numbers = np.full(n, np.nan)
    codes = np.empty(n, dtype=object)
    values[typed] = raw[typed]
    numbers[typed] = floats[typed]
    findings = []
    rest = np.flatnonzero(~(blank | typed))
    if len(rest):
        part = {k: frame[k].to_numpy(dtype=object)[rest] for k in ("kind", "choices", "role")}
        where = {k: frame[k].to_numpy(dtype=object) for k in ("unit_code", "file", "sheet", "cell")}
        for i, raw_value, kind, choices, role in zip(rest, raw[rest], part["kind"], part["choices"],
                                                     part["role"]):
            parsed = _parse(raw_value, kind if isinstance(kind, str) else "text",
                            choices if isinstance(choices, tuple) else ())
            value = parsed.value if parsed.ok else None
            values[i] = value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers[i] = float(value)
            codes[i] = parsed.code
            if parsed.ok and parsed.note and role == "input" and parsed.code not in QUIET:
                code = "text-legacy-font" if parsed.code in ("text-tcvn3", "text-vni") else "value-normalized"
                findings.append(Finding.make(
                    code, unit_code=where["unit_code"][i], file=where["file"][i],
                    sheet=where["sheet"][i], cell=where["cell"][i], note=parsed.note,
                    level=WARNING if parsed.code in DOUBTFUL else None))
    out = frame.assign(value=values, number=numbers, parse_code=codes)
    return out, findings
