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

from pipeline.annexes.slots import Slots
from pipeline.intake.read import xl_rowcol_to_cell
from pipeline.intake.safety import MAX_SHEET_ROWS

#: Columns of the frame handed to validation, in order.
FRAME_COLUMNS = ("unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "raw",
                 "value", "number", "parse_code", "present", "slot", "kind", "min", "max",
                 "max_length", "required", "unique")


@dataclass
class CellBlock:
    """The normalized cells of one workbook, as columns cheap to pickle and to concatenate.

    Object fields are sparse: most cells are numbers, so the clean text, the raw value that did
    not parse and the parse code are kept only where there is one, with their cell positions.
    """

    sheets: list[str] = field(default_factory=list)
    slot: array = field(default_factory=lambda: array("h"))
    item: array = field(default_factory=lambda: array("h"))      # list row number; 0: fixed row
    sheet: array = field(default_factory=lambda: array("b"))     # index into ``sheets``
    row: array = field(default_factory=lambda: array("i"))       # 0-based Excel row
    col: array = field(default_factory=lambda: array("h"))       # 0-based Excel column
    number: array = field(default_factory=lambda: array("d"))    # NaN unless a number
    present: array = field(default_factory=lambda: array("B"))   # something was typed (0/1)
    value: Sparse = field(default_factory=lambda: Sparse())      # clean value when not a number
    raw: Sparse = field(default_factory=lambda: Sparse())        # what was typed, where unparsed
    code: Sparse = field(default_factory=lambda: Sparse())       # normalize.Parsed.code

    def __len__(self) -> int:
        return len(self.slot)


@dataclass
class Sparse:
    """Values at a few positions of a block."""

    at: array = field(default_factory=lambda: array("i"))
    values: list = field(default_factory=list)


_ITEMS = np.array([str(n) for n in range(MAX_SHEET_ROWS + 1)], dtype=object)


def cells_frame(blocks: Sequence[tuple[str, str, CellBlock]], slots: Slots) -> pd.DataFrame:
    """One row per cell of ``blocks`` ((unit code, file, block) of each usable file)."""
    blocks = [b for b in blocks if len(b[2])]
    if not blocks:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in FRAME_COLUMNS})
    parts = [b for _u, _f, b in blocks]
    counts = np.array([len(b) for b in parts])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    which = np.repeat(np.arange(len(parts)), counts)
    n = int(counts.sum())

    def numbers(name: str, dtype) -> np.ndarray:
        return np.frombuffer(b"".join(getattr(b, name) for b in parts), dtype=dtype)

    def objects(name: str) -> np.ndarray:
        out = np.empty(n, dtype=object)
        sparse = [getattr(b, name) for b in parts]
        at = np.frombuffer(b"".join(s.at for s in sparse), dtype=np.int32)
        if len(at):
            lengths = np.array([len(s.at) for s in sparse])
            at = at + np.repeat(starts, lengths)
            out[at] = [v for s in sparse for v in s.values]
        return out

    slot = numbers("slot", np.int16).astype(np.intp)
    item = numbers("item", np.int16).astype(np.intp)
    # Sheet names: one small table for all files, each file's indices shifted into it.
    names = np.array([s for b in parts for s in b.sheets], dtype=object)
    offsets = np.concatenate([[0], np.cumsum([len(b.sheets) for b in parts])[:-1]])
    sheet = names[numbers("sheet", np.int8).astype(np.intp) + offsets[which]]
    number = numbers("number", np.float64)
    value = objects("value")
    filled = np.flatnonzero(~np.isnan(number))
    value[filled] = number[filled]  # boxes each number once, where the clean value is a number
    row_key = slots.column("row_key")[slot]
    columns = {
        "unit_code": np.array([u for u, _f, _b in blocks], dtype=object)[which],
        "file": np.array([f for _u, f, _b in blocks], dtype=object)[which],
        "sheet": sheet,
        "cell": _addresses(numbers("row", np.int32), numbers("col", np.int16)),
        "annex": slots.column("annex")[slot],
        "row_code": np.where(item > 0, _ITEMS[np.minimum(item, len(_ITEMS) - 1)], row_key),
        "column": slots.column("column")[slot],
        "role": slots.column("role")[slot],
        "raw": objects("raw"),
        "value": value,
        "number": number,
        "parse_code": objects("code"),
        "present": numbers("present", np.uint8).astype(bool),
        "slot": slot,
        "kind": pd.Categorical.from_codes(*_codes(slots, "kind", slot)),
        **{k: slots.column(k)[slot] for k in ("min", "max", "max_length", "required", "unique")},
    }
    # Object columns stay ``object`` (pandas would otherwise copy every text into a str array).
    # E721: compares a numpy dtype with ``object`` (dtype equality), not two types.
    return pd.DataFrame({k: pd.Series(v, dtype=object, copy=False)
                         if getattr(v, "dtype", None) == object  # noqa: E721
                         else v for k, v in columns.items()}, copy=False)


def _codes(slots: Slots, name: str, slot: np.ndarray) -> tuple[np.ndarray, list]:
    """Categorical codes of a rule column for each cell, and its categories."""
    codes, categories = pd.factorize(slots.column(name))
    return codes[slot], list(categories)


def _addresses(row: np.ndarray, col: np.ndarray) -> np.ndarray:
    """A1 addresses; one string per distinct (row, column), shared by every unit's cell there."""
    width = int(col.max()) + 1
    key = row.astype(np.int64) * width + col
    lookup = np.empty(int(key.max()) + 1, dtype=object)
    for k in np.flatnonzero(np.bincount(key)):
        lookup[k] = xl_rowcol_to_cell(int(k // width), int(k % width))
    return lookup[key]
