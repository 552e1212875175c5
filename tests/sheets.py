"""Test helpers that read generated workbooks with openpyxl (independent of the pipeline's reader)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = 8  # 1-based Excel row of the table header (the template's layout)


def header_columns(ws: Worksheet) -> dict[str, int]:
    """Header title -> 1-based column number."""
    return {c.value: c.column for c in ws[HEADER_ROW] if isinstance(c.value, str)}


def row_of(ws: Worksheet, code: str) -> int:
    """1-based row of the row whose stable code is ``code``: column A holds it, or (where the Mã
    column shows a person's code, "1" for "I.1") column B holds the label the annex definition
    gives that code."""
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if str(ws.cell(r, 1).value).strip() == code:
            return r
    labels = labels_of(code, ws.title)
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if str(ws.cell(r, 2).value).strip() in labels:
            return r
    raise KeyError(code)


def labels_of(code: str, sheet: str) -> set[str]:
    """Labels the annex definitions give row ``code`` (of the annex on ``sheet`` when there is one,
    else of every annex: a renamed sheet)."""
    from pipeline.annexes import load_annexes

    annexes = [a for a in load_annexes().values() if a.sheet == sheet] or list(load_annexes().values())
    return {r.label for a in annexes for r in a.rows if r.code == code}


def cell_at(ws: Worksheet, code: str, title: str):
    return ws.cell(row_of(ws, code), header_columns(ws)[title])


def list_rows(ws: Worksheet, key_title: str) -> list[dict[str, object]]:
    """Used rows of the sheet's Excel table, as {header title: value}."""
    from openpyxl.utils.cell import range_boundaries

    cols = header_columns(ws)
    (table,) = ws.tables.values()
    last = range_boundaries(table.ref)[3]
    out = []
    for r in range(HEADER_ROW + 1, last + 1):
        if ws.cell(r, cols[key_title]).value not in (None, ""):
            out.append({t: ws.cell(r, c).value for t, c in cols.items()})
    return out


def formula_cells(path) -> list[tuple[str, str, object, str]]:
    """(sheet, A1, cached value, formula) of every formula cell of a workbook."""
    from openpyxl import load_workbook

    formulas, cached = load_workbook(path), load_workbook(path, data_only=True)
    return [(ws.title, c.coordinate, cached[ws.title][c.coordinate].value, c.value)
            for ws in formulas.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]
