"""Writing many cells quickly with xlsxwriter: a cheaper formula path and one writer per column.

A district table at national scale has ~2 million cells. ``write_formula`` runs ~30 regular
expressions per formula (the dynamic-array functions it renames to ``_xlfn.…``); ``FormulaSheet``
skips them when one search shows none of those names can be in the formula, which gives the same
stored formula. ``column_writer`` picks the format and the write call of a column once, so the
per-cell work is one type check and one xlsxwriter call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import cast

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from pipeline.annexes.formulas import Formula
from pipeline.core.values import ERROR_MARK, is_blank, is_number

#: Every function name ``Worksheet._prepare_formula`` may rewrite, without the word boundary it
#: uses (so this matches whenever it could): when none is there, its rewrites do nothing.
_REWRITTEN = re.compile(
    r"(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|MAKEARRAY"
    r"|MAP|RANDARRAY|REDUCE|SCAN|INGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|TOCOL|TOROW"
    r"|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\("
)
#: Stands for the row number in a formula template (never part of a formula's own text).
ROW = "\x00"

#: ``write(r, i)``: write item ``i`` of the column's values into row ``r``.
CellWriter = Callable[[int, int], None]


class FormulaSheet(Worksheet):
    """A worksheet whose ``write_formula`` skips xlsxwriter's renaming when nothing needs it."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        if self.use_future_functions or expand_future_functions:
            return super()._prepare_formula(formula, expand_future_functions)
        # The same trimming as xlsxwriter: array braces, then the leading "=".
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        if _REWRITTEN.search(formula):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula


def formula_template(formula: Formula, col_of: dict[str, int]) -> str:
    """The formula of a row with ``ROW`` for its row number ("=SUM(C\\x00,D\\x00)")."""
    def addr(_row: str | None, key: str | None) -> str:
        assert key is not None  # a row formula names the columns it reads
        return xl_col_to_name(col_of[key]) + ROW

    return formula.excel(addr)


def write_value(ws: Worksheet, r: int, c: int, value: object, fmt, mark_fmt) -> None:
    """One value; text always as a string (commune text may start with "=")."""
    if is_blank(value):
        ws.write_blank(r, c, None, fmt)
    elif value == ERROR_MARK:
        ws.write_string(r, c, ERROR_MARK, mark_fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), fmt)
    elif is_number(value):
        ws.write_number(r, c, float(value), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def value_writer(ws: Worksheet, c: int, values: Sequence[object], fmt, mark_fmt,
                 date_fmt) -> CellWriter:
    """Writes ``values[i]`` as ``write_value`` would; dates of a non-date column get ``date_fmt``.

    The common types (float, str, None, int) are handled inline; anything else goes through
    ``write_value``.
    """
    write_number, write_string, write_blank = ws.write_number, ws.write_string, ws.write_blank

    def write(r: int, i: int) -> None:
        v = values[i]
        t = type(v)
        if t is float:
            if v != v:  # NaN
                write_blank(r, c, None, fmt)
            else:
                write_number(r, c, v, fmt)
        elif t is str:
            if not v:
                write_blank(r, c, None, fmt)
            else:
                write_string(r, c, v, mark_fmt if v == ERROR_MARK else fmt)
        elif v is None:
            write_blank(r, c, None, fmt)
        elif t is int:
            write_number(r, c, float(cast(int, v)), fmt)
        else:
            write_value(ws, r, c, v, date_fmt if isinstance(v, date) else fmt, mark_fmt)

    return write


def formula_writer(ws: Worksheet, c: int, template: str, values: Sequence[object], fmt,
                   cached: Callable[[object], object]) -> CellWriter:
    """Writes the formula ``template`` for row ``r``, stored with ``cached(values[i])``."""
    write_formula = ws.write_formula

    def write(r: int, i: int) -> None:
        write_formula(r, c, template.replace(ROW, str(r + 1)), fmt, cached(values[i]))

    return write
