"""The cells of every unit as one long frame, built from compact per-file blocks.

Each worker reads and normalizes its workbooks and sends back a ``CellBlock`` per file: typed
arrays (rule slot, list row, sheet, Excel row and column, number) and a few sparse object lists
(clean text, unparsed raw text, parse codes). The main process then never holds a workbook's raw
cells or one string per cell: the repeated texts of the frame (annex, row code, column, sheet, cell
address, rule kind) are taken from small tables, so every row refers to one shared string.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.read import MAX_SHEET_ROWS, xl_rowcol_to_cell
from pipeline.slots import Slots

#: Columns of the frame handed to validation, in order.
FRAME_COLUMNS = ("unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "raw",
                 "value", "number", "parse_code", "present", "slot", "kind", "min", "max",
                 "max_length", "required", "unique")


@dataclass
class CellBlock:
    """The normalized cells of one workbook, as columns cheap to pickle and to concatenate."""

    sheets: list[str] = field(default_factory=list)
    slot: array = field(default_factory=lambda: array("h"))
    item: array = field(default_factory=lambda: array("h"))      # list row number; 0: fixed row
    sheet: array = field(default_factory=lambda: array("b"))     # index into ``sheets``
    row: array = field(default_factory=lambda: array("i"))       # 0-based Excel row
    col: array = field(default_factory=lambda: array("h"))       # 0-based Excel column
    number: array = field(default_factory=lambda: array("d"))    # NaN unless a number
    present: array = field(default_factory=lambda: array("b"))   # something was typed
    value: list = field(default_factory=list)    # clean non-numeric value, else None
    raw: list = field(default_factory=list)      # what was typed, kept only where it did not parse
    code: list = field(default_factory=list)     # parse code (normalize.Parsed.code) or None

    def __len__(self) -> int:
        return len(self.slot)


_ITEMS = np.array([str(n) for n in range(MAX_SHEET_ROWS + 1)], dtype=object)


def cells_frame(blocks: Sequence[tuple[str, str, CellBlock]], slots: Slots) -> pd.DataFrame:
    """One row per cell of ``blocks`` ((unit code, file, block) of each usable file)."""
    blocks = [b for b in blocks if len(b[2])]
    if not blocks:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in FRAME_COLUMNS})
    counts = np.array([len(b) for _u, _f, b in blocks])
    which = np.repeat(np.arange(len(blocks)), counts)

    def numbers(name: str, dtype) -> np.ndarray:
        return np.concatenate([np.frombuffer(getattr(b, name), dtype=dtype) for _u, _f, b in blocks])

    def objects(name: str) -> np.ndarray:
        out = np.empty(len(which), dtype=object)
        at = 0
        for _u, _f, b in blocks:
            part = getattr(b, name)
            out[at:at + len(part)] = part
            at += len(part)
        return out

    slot = numbers("slot", np.int16).astype(np.intp)
    item = numbers("item", np.int16).astype(np.intp)
    row, col = numbers("row", np.int32), numbers("col", np.int16)
    # Sheet names: one small table for all files, each file's indices shifted into it.
    names = [s for _u, _f, b in blocks for s in b.sheets]
    offsets = np.cumsum([0] + [len(b.sheets) for _u, _f, b in blocks[:-1]])
    sheet = np.array(names, dtype=object)[numbers("sheet", np.int8).astype(np.intp) + offsets[which]]
    number = numbers("number", np.float64)
    value = objects("value")
    filled = np.flatnonzero(~np.isnan(number))
    value[filled] = number[filled]  # boxes each number once, where the clean value is a number
    row_key = slots.column("row_key")[slot]
    return pd.DataFrame({
        "unit_code": np.array([u for u, _f, _b in blocks], dtype=object)[which],
        "file": np.array([f for _u, f, _b in blocks], dtype=object)[which],
        "sheet": sheet,
        "cell": _addresses(row, col),
        "annex": slots.column("annex")[slot],
        "row_code": np.where(item > 0, _ITEMS[np.minimum(item, len(_ITEMS) - 1)], row_key),
        "column": slots.column("column")[slot],
        "role": slots.column("role")[slot],
        "raw": objects("raw"),
        "value": value,
        "number": number,
        "parse_code": objects("code"),
        "present": numbers("present", np.int8).astype(bool),
        "slot": slot,
        **{k: slots.column(k)[slot] for k in ("kind", "min", "max", "max_length", "required",
                                              "unique")},
    }, copy=False)


def _addresses(row: np.ndarray, col: np.ndarray) -> np.ndarray:
    """A1 addresses; one string per distinct (row, column), shared by every unit's cell there."""
    width = int(col.max()) + 1
    key = row.astype(np.int64) * width + col
    distinct = np.unique(key)
    lookup = np.array([xl_rowcol_to_cell(int(k // width), int(k % width)) for k in distinct],
                      dtype=object)
    return lookup[np.searchsorted(distinct, key)]
