"""The fast cell writers store exactly what the plain xlsxwriter calls store."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.core.values import ERROR_MARK
from pipeline.district.table import SumColumns
from pipeline.excel.fast_sheet import (
    FormulaSheet,
    formula_template,
    formula_writer,
    value_writer,
    write_value,
)

FORMULAS = [
    "=SUM(C10,D10)",
    '=IF(N(D5)=0,"",ROUND(N(C5)/D5*100,1))',
    '=COUNTIFS($C$9:$C$20,"15601",$E$9:$E$20,3)',
    "{=SUM(A1:A3*B1:B3)}",
    "=SORT(A1:A9)",
    "=XLOOKUP(A1,B1:B9,C1:C9)",
    "=_xlfn.SINGLE(A1)",
    "=SINGLE(A1)",
    "=MAPX(A1)+MAP(A1)",
    "=SUMIFS(A:A,B:B,\"SORT(\")",
]
VALUES = [1.5, 2.0, float("nan"), float("inf"), 3, True, None, "", "text", "=HYPERLINK(\"x\")",
          ERROR_MARK, date(2024, 3, 1), datetime(2024, 5, 6, 7, 8), np.float64(4.25), np.int64(7)]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_sheet_prepares_formulas_like_xlsxwriter(tmp_path, formula):
    book = xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    fast, plain = book.add_worksheet("a", worksheet_class=FormulaSheet), book.add_worksheet("b")
    assert isinstance(plain, Worksheet) and not isinstance(plain, FormulaSheet)
    assert fast._prepare_formula(formula) == plain._prepare_formula(formula)
    assert fast._prepare_formula(formula, True) == plain._prepare_formula(formula, True)
    book.close()


def test_formula_template_gives_the_row_formula():
    cols = {"a": 2, "b": 30}
    template = formula_template(SumColumns(("a", "b")), cols)
    assert template.replace("\x00", "12") == "=SUM(C12,AE12)"


def _cells(path):
    ws = openpyxl.load_workbook(path)["s"]
    return [(c.value, c.number_format, c.font.color.rgb if c.font.color else None)
            for row in ws.iter_rows() for c in row]


def test_value_writer_matches_write_value(tmp_path):
    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    paths = []
    for fast in (True, False):
        path = tmp_path / f"{fast}.xlsx"
        book = xlsxwriter.Workbook(str(path), options)
        ws = book.add_worksheet("s", worksheet_class=FormulaSheet)
        fmt, mark = book.add_format({"num_format": "0.0"}), book.add_format({"font_color": "red"})
        date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
        values = np.array([*VALUES, "x"], dtype=object)[:-1]
        write = value_writer(ws, 1, values, fmt, mark, date_fmt)
        for i, value in enumerate(values):
            if value == float("inf"):
                continue  # xlsxwriter refuses it either way
            if fast:
                write(i, i)
            else:
                chosen = date_fmt if isinstance(value, date) else fmt
                write_value(ws, i, 1, value, chosen, mark)
        formula = formula_writer(ws, 2, "=B\x00*2", values, fmt, lambda v: 0)
        formula(0, 0)
        book.close()
        paths.append(path)
    assert _cells(paths[0]) == _cells(paths[1])
