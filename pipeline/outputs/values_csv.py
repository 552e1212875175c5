"""values.csv: every usable value of the run, one line each (~6 M lines at national scale).

Written in chunks straight from the run's cells frame, without copying it. Each column of a chunk
becomes CSV fields once per distinct value (unit codes, annexes, cell addresses and most values
repeat from commune to commune), and the lines are joined by ``str.join``. The text is what
``DataFrame.to_csv(index=False, encoding="utf-8-sig")`` wrote: the csv module decides the quoting,
whole floats are written as integers and other floats as ``repr``, missing values as "", with a
UTF-8 BOM and ``os.linesep`` line ends.

Every text field is first made inert for spreadsheet programs (``neutralise``, OWASP's advice on
CSV injection): a text starting with = + - @ tab or carriage return, or with the quote itself,
gets a leading single quote, so ``=HYPERLINK(…)`` typed by a commune is never a live formula when a
clerk opens the file in Excel. Numbers are written by the tool and never quoted so. A machine
reader recovers the original text with ``restore`` (drop one leading quote from a text field).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

COLUMNS = ["unit_code", "unit_name", "annex", "row_code", "column", "value", "file", "cell"]
#: Lines per chunk: big enough for few Python steps, small enough to keep the memory flat.
CHUNK = 200_000
#: Characters that can make the csv module quote a field; text without them is written as is.
_SPECIAL = re.compile(r'[,"\r\n]')
#: First characters that make a spreadsheet program read a field as a formula (OWASP), plus the
#: neutralising quote itself, so that ``restore`` can always undo ``neutralise``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(text: str) -> str:
    """``text`` made inert in a spreadsheet: a leading ' when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(field: str) -> str:
    """The original text of a text field written by ``neutralise``."""
    return field[1:] if field.startswith("'") else field


def write_values_csv(cells: pd.DataFrame, names: Mapping[str, str], path: Path) -> None:
    """Write the usable values of ``cells``, with the unit names from ``names`` (code → name)."""
    eol = os.linesep
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(_line(COLUMNS, eol))
        if cells.empty:
            return
        rows = used_values(cells)
        arrays = {c: cells[c].to_numpy(dtype=object) for c in COLUMNS if c != "unit_name"}
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            units = arrays["unit_code"][part]
            fields = [_fields(_names_of(units, names), eol) if c == "unit_name" else
                      _fields(arrays[c][part], eol, whole_as_int=c == "value") for c in COLUMNS]
            fh.write(eol.join(map(",".join, zip(*fields))))
            fh.write(eol)


def used_values(cells: pd.DataFrame) -> np.ndarray:
    """Positions of the usable cells whose value is not missing and not ""."""
    value = cells["value"].to_numpy(dtype=object)
    keep = cells["usable"].to_numpy(dtype=bool, na_value=False) & ~pd.isna(value)
    keep[keep] = value[keep] != ""
    return np.flatnonzero(keep)


def _names_of(units: np.ndarray, names: Mapping[str, str]) -> np.ndarray:
    codes, uniques = pd.factorize(units)
    return np.array([names.get(u, "") for u in uniques] + [""], dtype=object)[codes]


def _fields(values: np.ndarray, eol: str, whole_as_int: bool = False) -> np.ndarray:
    """The CSV field of every item of ``values`` (an object array of str)."""
    if infer_dtype(values, skipna=False) == "string":
        return _text_fields(values, eol)
    out = np.empty(len(values), dtype=object)
    kinds = np.fromiter(map(type, values), dtype=object, count=len(values))
    text, real = kinds == str, kinds == float  # noqa: E721 (elementwise numpy comparison, not a type check)
    other = ~(text | real)
    out[text] = _text_fields(values[text], eol)
    if whole_as_int:  # floats by distinct value; 0.0 and -0.0 are one, both written "0"
        codes, uniques = pd.factorize(values[real].astype(np.float64))
        out[real] = np.array([_csv_field(_whole_as_int(u), eol) for u in uniques.tolist()] + [""],
                             dtype=object)[codes]
    else:
        out[real] = [_csv_field(v, eol) for v in values[real]]
    out[other] = [_csv_field(neutralise(str(v)) if isinstance(v, str) else
                             _whole_as_int(v) if whole_as_int else v, eol) for v in values[other]]
    return out


def _text_fields(values: np.ndarray, eol: str) -> np.ndarray:
    codes, uniques = pd.factorize(values)
    uniques = [neutralise(u) for u in uniques]
    fields = [u if not _SPECIAL.search(u) else _csv_field(u, eol) for u in uniques]
    return np.array([*fields, ""], dtype=object)[codes]


def _whole_as_int(value: object) -> object:
    """A float holding a whole number as an int (3.0 → 3), anything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_field(value: object, eol: str) -> str:
    """``value`` as the csv module writes it among other fields; missing values as ""."""
    if pd.isna(value) is True:  # None, NaN, NaT: what to_csv writes as ""
        return ""
    return _line([value, ""], eol)[:-1 - len(eol)]


def _line(values: list, eol: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=eol).writerow(values)
    return buf.getvalue()
