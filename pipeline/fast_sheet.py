"""Writing many cells quickly with xlsxwriter: cheaper inner loops and one writer per column.

A district table at national scale has ~2 million cells. ``FastSheet`` gives the same file as a
plain worksheet with less work per cell (see there); ``value_writer`` and ``formula_writer`` pick
the format and the write call of a column once, so the per-cell work is one type check and one
xlsxwriter call.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple, Worksheet

from pipeline.annexes.formulas import Formula
from pipeline.district_table import ERROR_MARK, is_blank, is_number

#: Every function name ``Worksheet._prepare_formula`` may rewrite, without the word boundary it
#: uses (so this matches whenever it could): when none is there, its rewrites do nothing.
_REWRITTEN = re.compile(
    r"(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|MAKEARRAY"
    r"|MAP|RANDARRAY|REDUCE|SCAN|INGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|TOCOL|TOROW"
    r"|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\("
)
#: Cell types ``FastSheet`` writes itself.
_DIRECT = (CellNumberTuple, CellStringTuple, CellBlankTuple)
def _cell_xml(ref: str, cell) -> str | None:
    """The <c> element of a number, shared string or blank with a cell format, else None."""
    kind = type(cell)
    if kind not in _DIRECT or cell.format is None:
        return None
    style = cell.format._get_xf_index()
    if kind is CellNumberTuple:
        return f'<c r="{ref}" s="{style}"><v>{cell.number:.16G}</v></c>'
    if kind is CellStringTuple:  # ``string`` is the index in the shared strings
        return f'<c r="{ref}" s="{style}" t="s"><v>{cell.string}</v></c>'
    return f'<c r="{ref}" s="{style}"/>'


@functools.cache
def _col_name(col: int) -> str:
    return xl_col_to_name(col)


#: Stands for the row number in a formula template (never part of a formula's own text).
ROW = "\x00"

#: ``write(r, i)``: write item ``i`` of the column's values into row ``r``.
CellWriter = Callable[[int, int], None]


class FastSheet(Worksheet):
    """A worksheet with two of xlsxwriter's inner loops made cheaper, for the same file.

    ``write_formula`` skips the renaming of dynamic-array functions when none can be in the
    formula. When the workbook is saved, the row spans come from each row's first and last column,
    and numbers, shared strings and blanks with a cell format (nearly every cell we write) are put
    out as one string per row; any other cell, and any sheet with comments or in constant_memory
    mode, goes through xlsxwriter. xlsxwriter is pinned (pyproject.toml) and
    tests/test_fast_sheet.py compares the files of both.
    """

    def _write_rows(self) -> None:
        """xlsxwriter's loop over rows and cells, with the common cells written in one go."""
        if self.constant_memory or self.comments:
            super()._write_rows()
            return
        self._calculate_spans()
        write, table, info = self.fh.write, self.table, self.row_info
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table[row]
            if not cells and row not in info:
                continue
            span = self.row_spans.get(row // 16)
            if not cells:
                self._write_empty_row(row, span, info.get(row))
                continue
            self._write_row(row, span, info.get(row))
            number, parts = str(row + 1), []
            for col in sorted(cells):
                cell = cells[col]
                xml = _cell_xml(_col_name(col) + number, cell)
                if xml is None:  # any other kind of cell: xlsxwriter writes it
                    write("".join(parts))
                    parts = []
                    self._write_cell(row, col, cell)
                else:
                    parts.append(xml)
            write("".join(parts))
            self._xml_end_tag("row")

    def _calculate_spans(self) -> None:
        """The first and last used column of each block of 16 rows ("1:12"), as xlsxwriter has it."""
        if self.comments:
            super()._calculate_spans()
            return
        spans: dict[int, tuple[int, int]] = {}
        for row, cells in self.table.items():
            if cells:
                low, high = min(cells), max(cells)
                if row // 16 in spans:
                    was = spans[row // 16]
                    low, high = min(low, was[0]), max(high, was[1])
                spans[row // 16] = (low, high)
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in spans.items()}

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
    return formula.excel(lambda _row, key: xl_col_to_name(col_of[key]) + ROW)


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
            write_number(r, c, float(v), fmt)
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
