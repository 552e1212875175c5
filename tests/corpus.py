"""A corpus of broken commune workbooks, made the way communes really break them.

Every public function takes a source workbook (one of the bundled samples in
``templates/mau/<period>/``) and a destination path, writes a broken copy there and returns the
destination. The source is never modified. Content edits go through openpyxl (load, edit, save),
as when a clerk edits and saves in a spreadsheet program; file-level damage is done on the raw
zip or bytes.

Note for readers of the results: a workbook saved by openpyxl carries no cached results for its
formula cells (openpyxl cannot compute them). A reader must recompute totals or tolerate empty
formula results: that is also what a file saved by some other programs looks like.

Addresses used by the tests are found in the workbook itself with ``find_row``/``find_column``
(column A holds the row code of fixed annexes; row 8 holds the table header).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

#: Excel row (1-based) of the table header and of the first data row.
HEADER_ROW = 8
FIRST_DATA_ROW = 9
META_SHEET = "_meta"
#: 1-based rows of the hidden meta sheet (values in column B).
META_ROW = {"template_version": 1, "unit_code": 2, "unit_name": 3, "period": 4}

SHEET_TT = "Thông tin chung"
SHEET_PB01 = "Tiêu chí NTM"
SHEET_PB03 = "Thôn NTM kiểu mẫu"
SHEET_PB04 = "Huy động nguồn lực"
SHEET_PB05 = "Giải ngân vốn"
SHEET_PB06 = "Nợ đọng XDCB"
SHEET_PB08 = "Chỉ tiêu chủ yếu"
SHEET_PB09 = "Nội dung thành phần"

VALUE_TT = "Giá trị"
DONE = "Thực hiện kỳ báo cáo"
ASSESSMENT = "Đánh giá kỳ báo cáo"

#: What the clerk typed in the tests' cases (the tests read them from here).
TEXT_NUMBER = "1.234,5"
TEXT_NUMBER_VALUE = 1234.5
GARBAGE = "không rõ"
FORMULA_LIKE_TEXTS = {
    "1": '=HYPERLINK("http://x","y")',
    "2": "+ Làm mới 2,5 km đường giao thông nội đồng",
    "3": "- Hỗ trợ 5 mô hình sản xuất",
    "4": "@Thôn 2: hoàn thành nhà văn hóa",
}
TCVN3_NAME = "Th«n 1"        # "Thôn 1" typed with the .VnTime font (TCVN3/ABC)
NFD_NAME = unicodedata.normalize("NFD", "Thôn Đồng Tâm")


# Finding places in a workbook (shared with the tests)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


def find_column(ws: Worksheet, title: str, header_row: int = HEADER_ROW) -> int:
    """1-based column whose header cell (row 8) holds ``title``."""
    for cell in ws[header_row]:
        if _text(cell.value) == unicodedata.normalize("NFC", title):
            return cell.column
    raise KeyError(f"{ws.title!r}: no header {title!r} in row {header_row}")


def find_row(ws: Worksheet, code: str, column: int = 1) -> int:
    """1-based row whose column A (the ``Mã`` column) holds the row code ``code``."""
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, min_col=column, max_col=column):
        if _text(row[0].value) == code:
            return row[0].row
    # The Mã column shows a person's code ("1" for "I.1"): the row of the code's label.
    from sheets import labels_of

    labels = labels_of(code, ws.title)
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, min_col=column + 1, max_col=column + 1):
        if _text(row[0].value) in labels:
            return row[0].row
    raise KeyError(f"{ws.title!r}: no row with code {code!r}")


def address(ws: Worksheet, code: str, title: str) -> str:
    """A1 address of the cell of fixed row ``code`` under header ``title``."""
    return f"{get_column_letter(find_column(ws, title))}{find_row(ws, code)}"


def first_blank_row(ws: Worksheet, key_title: str) -> int:
    """First data row of a list annex whose key column is empty."""
    col = find_column(ws, key_title)
    r = FIRST_DATA_ROW
    while ws.cell(r, col).value not in (None, ""):
        r += 1
    return r


def used_rows(ws: Worksheet, key_title: str) -> list[int]:
    col = find_column(ws, key_title)
    rows = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        value = ws.cell(r, col).value
        if isinstance(value, str) and value.strip().upper().startswith(("NGƯỜI LẬP", "TM.")):
            break
        if value not in (None, ""):
            rows.append(r)
    return rows


def cell_at(path: Path, sheet: str, code: str, title: str) -> str:
    """Address of a fixed-row cell, read from the workbook at ``path``."""
    wb = openpyxl.load_workbook(path)
    try:
        return address(wb[sheet], code, title)
    finally:
        wb.close()


# Plumbing


def _edit(src: Path, dst: Path, change: Callable[[Workbook], None]) -> Path:
    """Open ``src`` with openpyxl, apply ``change``, save as ``dst`` (the source is untouched)."""
    src, dst = Path(src), Path(dst)
    if src.resolve() == dst.resolve():
        raise ValueError("the corpus never writes over its source")
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(src)
    try:
        change(wb)
        wb.save(dst)
    finally:
        wb.close()
    return dst


def _set(ws: Worksheet, row: int, col: int, value: object, *, as_text: bool = False) -> None:
    cell = ws.cell(row, col)
    cell.value = value
    if as_text:
        # openpyxl turns any string starting with "=" into a formula; a typed text stays text.
        cell.data_type = "s"


def _set_custom_property(wb: Workbook, name: str, value: str) -> None:
    props = getattr(wb, "custom_doc_props", None)
    if props is None:
        return
    for prop in props.props:
        if prop.name == name:
            prop.value = value


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML."""
    workbook = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {m.group(1): m.group(2) for m in re.finditer(
        r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(
        r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for m in re.finditer(r'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        name = (m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", '"').replace("&apos;", "'"))
        target = targets[m.group(2)].lstrip("/")
        out[name] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _rewrite_zip(src: Path, dst: Path,
                 replace: dict[str, Callable[[zipfile.ZipFile, _Member], None]],
                 extra: Iterable[tuple[zipfile.ZipInfo, Callable[[zipfile.ZipFile, _Member], None]]] = (),
                 ) -> Path:
    """Copy the zip ``src`` to ``dst`` member by member; ``replace`` writes chosen members itself."""
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in replace:
                replace[info.filename](zin, _Member(zout, info))
            else:
                zout.writestr(info, zin.read(info.filename), compress_type=info.compress_type)
        for info, write in extra:
            write(zin, _Member(zout, info))
    return dst


class _Member:
    """One member of the output zip, written by a replacement function."""

    def __init__(self, zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.zout = zout
        self.name = info.filename
        self.date_time = info.date_time

    def stream(self, compress: int = zipfile.ZIP_DEFLATED, level: int | None = None):
        info = zipfile.ZipInfo(self.name, date_time=self.date_time)
        info.compress_type = compress
        if level is not None:
            info._compresslevel = level  # type: ignore[attr-defined]
        return self.zout.open(info, "w", force_zip64=True)


# Content defects (openpyxl)


def money_as_text(src: Path, dst: Path) -> Path:
    """PB04 row III "Thực hiện kỳ báo cáo" typed as text with Vietnamese separators: "1.234,5".

    The clerk's computer has Vietnamese regional settings off, so Excel kept what she typed with a
    dot for thousands and a comma for decimals as text (green triangle in the corner).
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB04]
        _set(ws, find_row(ws, "III"), find_column(ws, DONE), TEXT_NUMBER)
    return _edit(src, dst, change)


def garbage_in_number(src: Path, dst: Path) -> Path:
    """PB08 row 1 (meetings held) "Thực hiện kỳ báo cáo" = "không rõ".

    The clerk did not know the figure yet and wrote "không rõ" (unknown) in the number cell, after
    lifting the sheet protection so that the validation no longer stopped her.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB08]
        _set(ws, find_row(ws, "1"), find_column(ws, DONE), GARBAGE)
    return _edit(src, dst, change)


def percent_over_100(src: Path, dst: Path) -> Path:
    """PB08 row 9 (household waste collection %) "Thực hiện kỳ báo cáo" = 120.

    The clerk typed the number of households served in hundreds instead of the rate. (Row 8,
    BHYT, shows PB01's indicator 15.1 through a formula: it is not typed in PB08.)
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB08]
        _set(ws, find_row(ws, "9"), find_column(ws, DONE), 120)
    return _edit(src, dst, change)


#: PB01 indicator rows edited by the assessment cases: row code → typed assessment.
ASSESSMENT_NORMALIZED = {"1.1": "đạt", "1.2": "DAT"}
ASSESSMENT_BAD = {"2.1": "Tốt"}


def assessment_case(src: Path, dst: Path) -> Path:
    """PB01 "Đánh giá kỳ báo cáo" typed by hand: "đạt" (lower case) and "DAT" (no diacritics).

    The clerk typed over the dropdown instead of choosing from it; the words mean "Đạt".
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB01]
        col = find_column(ws, ASSESSMENT)
        for code, text in ASSESSMENT_NORMALIZED.items():
            _set(ws, find_row(ws, code), col, text)
    return _edit(src, dst, change)


def assessment_not_in_list(src: Path, dst: Path) -> Path:
    """PB01 indicator 2.1 "Đánh giá kỳ báo cáo" = "Tốt" (good), a word outside Đạt / Chưa đạt."""
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB01]
        col = find_column(ws, ASSESSMENT)
        for code, text in ASSESSMENT_BAD.items():
            _set(ws, find_row(ws, code), col, text)
    return _edit(src, dst, change)


OVERWRITTEN_TOTAL = 999


def formula_overwritten(src: Path, dst: Path) -> Path:
    """PB04 group row I "Thực hiện kỳ báo cáo": the SUM formula typed over with 999.

    The clerk had the central budget figure from the finance office and typed it on the group row
    instead of on its lines I.1 and I.2, which stay as they were.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB04]
        row, col = find_row(ws, "I"), find_column(ws, DONE)
        lines = [ws.cell(find_row(ws, c), col).value or 0 for c in ("I.1", "I.2")]
        value = OVERWRITTEN_TOTAL if sum(lines) != OVERWRITTEN_TOTAL else OVERWRITTEN_TOTAL + 1
        _set(ws, row, col, value)
    return _edit(src, dst, change)


def debt_paid_over_opening(src: Path, dst: Path) -> Path:
    """PB06: a new work whose "Đã xử lý trong kỳ" (150) exceeds "Nợ đầu kỳ" (100).

    The clerk put the whole contract payment in "đã xử lý", not only the part that cleared old debt.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB06]
        r = first_blank_row(ws, "Tên công trình")
        _set(ws, r, find_column(ws, "Tên công trình"), "Nhà văn hóa thôn 5")
        _set(ws, r, find_column(ws, "Năm hoàn thành"), 2022)
        _set(ws, r, find_column(ws, "Nợ đầu kỳ"), 100)
        _set(ws, r, find_column(ws, "Đã xử lý trong kỳ"), 150)
        _set(ws, r, find_column(ws, "Nguồn dự kiến xử lý"), "Ngân sách xã")
    return _edit(src, dst, change)


def disbursed_over_plan(src: Path, dst: Path) -> Path:
    """PB05: a new work disbursed 650 against a plan of 500.

    The clerk counted the commune's own contribution in "Giải ngân" along with the central funds.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB05]
        r = first_blank_row(ws, "Tên công trình/nội dung")
        _set(ws, r, find_column(ws, "Tên công trình/nội dung"), "Đường giao thông thôn 3 (mới)")
        _set(ws, r, find_column(ws, "Nội dung thành phần (1–11)"), "2")
        _set(ws, r, find_column(ws, "Nguồn vốn"), "Đầu tư phát triển")
        _set(ws, r, find_column(ws, "Kế hoạch vốn giao"), 500)
        _set(ws, r, find_column(ws, "Giải ngân đến kỳ báo cáo"), 650)
    return _edit(src, dst, change)


def village_duplicated(src: Path, dst: Path) -> Path:
    """PB03: the first thôn entered twice (the clerk copied the row to fill the next one and forgot
    to change the name)."""
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB03]
        name_col = find_column(ws, "Tên thôn")
        first = used_rows(ws, "Tên thôn")[0]
        r = first_blank_row(ws, "Tên thôn")
        for c in range(1, ws.max_column + 1):
            if ws.cell(first, c).data_type != "f":
                _set(ws, r, c, ws.cell(first, c).value)
        _set(ws, r, name_col, ws.cell(first, name_col).value)
        # a plausible different count on the copy, so only the name is duplicated
        _set(ws, r, find_column(ws, "Số tiêu chí NTM kiểu mẫu đạt"), 9)
        _set(ws, r, find_column(ws, "Năm được công nhận NTM kiểu mẫu"), None)
    return _edit(src, dst, change)


def met_exceeds_total(src: Path, dst: Path) -> Path:
    """PB03 first thôn: 17 model-village criteria met out of 15 (the clerk counted sub-criteria)."""
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB03]
        first = used_rows(ws, "Tên thôn")[0]
        _set(ws, first, find_column(ws, "Số tiêu chí NTM kiểu mẫu đạt"), 17)
        _set(ws, first, find_column(ws, "Tổng số tiêu chí NTM kiểu mẫu"), 15)
    return _edit(src, dst, change)


def villages_exceed(src: Path, dst: Path) -> Path:
    """PB08 row 12 (villages meeting the security standard) = TT số thôn + 2.

    The clerk counted the two schools of the report's sentence "7/7 thôn và 2 nhà trường" as
    villages.
    """
    def change(wb: Workbook) -> None:
        tt = wb[SHEET_TT]
        villages = int(tt.cell(find_row(tt, "SO_THON"), find_column(tt, VALUE_TT)).value)
        ws = wb[SHEET_PB08]
        _set(ws, find_row(ws, "12"), find_column(ws, DONE), villages + 2)
    return _edit(src, dst, change)


def _shift_ranges(ranges: Iterable[str], at: int) -> list[str]:
    """Ranges moved for a row inserted at 1-based row ``at`` (ranges across ``at`` grow)."""
    out = []
    for text in ranges:
        rng = CellRange(text)
        if rng.min_row >= at:
            rng.shift(row_shift=1)
        elif rng.max_row >= at:
            rng.expand(down=1)
        out.append(rng.coord)
    return out


def insert_row(ws: Worksheet, at: int) -> None:
    """Insert a sheet row at 1-based row ``at`` as Excel does: tables, merges, validations,
    print area and row heights follow (openpyxl's insert_rows only moves the cells)."""
    below = [str(r) for r in ws.merged_cells.ranges if r.max_row >= at]
    for text in below:
        ws.unmerge_cells(text)
    heights = {r: (d.height, d.customHeight) for r, d in list(ws.row_dimensions.items()) if r >= at}
    ws.insert_rows(at)
    for text in _shift_ranges(below, at):
        ws.merge_cells(text)
    for r in sorted(heights, reverse=True):
        ws.row_dimensions[r + 1].height = heights[r][0]
    ws.row_dimensions[at].height = None
    for table in ws.tables.values():
        table.ref = _shift_ranges([table.ref], at)[0]
        if table.autoFilter is not None and table.autoFilter.ref:
            table.autoFilter.ref = table.ref
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange(" ".join(_shift_ranges([str(r) for r in dv.sqref.ranges], at)))
    if ws.print_area:
        areas = [a.split("!")[-1].replace("$", "") for a in str(ws.print_area).split(",")]
        ws.print_area = ",".join(_shift_ranges(areas, at))


INSERTED_LABEL = "Số hộ làm mới nhà vệ sinh hợp vệ sinh"
INSERTED_VALUE = 25


def row_inserted(src: Path, dst: Path) -> Path:
    """PB08: a row inserted after row 4 with a label and values, and nothing in the Mã column.

    The commune wanted to report one more indicator its district does not ask for, so it lifted
    the protection, inserted a row inside the table and typed it there.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB08]
        at = find_row(ws, "4") + 1
        insert_row(ws, at)
        _set(ws, at, find_column(ws, "Nội dung"), INSERTED_LABEL)
        _set(ws, at, find_column(ws, "ĐVT"), "hộ")
        _set(ws, at, find_column(ws, DONE), INSERTED_VALUE)
        _set(ws, at, find_column(ws, "Kế hoạch năm"), 40)
    return _edit(src, dst, change)


RENAMED_SHEET = "Bieu 08"


def sheet_renamed(src: Path, dst: Path) -> Path:
    """The PB08 sheet "Chỉ tiêu chủ yếu" renamed to "Bieu 08" (the clerk numbers sheets after the
    paper forms, without diacritics because an old mail program mangled them once)."""
    def change(wb: Workbook) -> None:
        wb[SHEET_PB08].title = RENAMED_SHEET
    return _edit(src, dst, change)


def sheet_deleted(src: Path, dst: Path) -> Path:
    """The PB08 sheet "Chỉ tiêu chủ yếu" deleted (the clerk thought it was the same as PB01)."""
    def change(wb: Workbook) -> None:
        wb.remove(wb[SHEET_PB08])
    return _edit(src, dst, change)


#: PB08 rows whose "Thực hiện kỳ báo cáo" cells the merge case joins (top cell first).
MERGED_ROWS = ("5", "6")


def merged_cells(src: Path, dst: Path) -> Path:
    """PB08 "Thực hiện kỳ báo cáo" of rows 5 and 6 merged into one cell.

    Both rates were 100 %, so the clerk (in WPS Spreadsheets, which lets her merge inside a table)
    merged the two cells to "make it neater". Row 6 loses its value.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB08]
        col = get_column_letter(find_column(ws, DONE))
        top, bottom = (find_row(ws, c) for c in MERGED_ROWS)
        ws.merge_cells(f"{col}{top}:{col}{bottom}")
    return _edit(src, dst, change)


OTHER_UNIT = "15658"


def _sibling(src: Path, code: str) -> Path:
    found = sorted(Path(src).parent.glob(f"{code}_*.xlsx"))
    if not found:
        raise FileNotFoundError(f"no sample for unit {code} beside {src}")
    return found[0]


def sheet_from_other_unit(src: Path, dst: Path, other: Path | None = None) -> Path:
    """The whole "Thông tin chung" sheet pasted from another commune's file (unit 15658).

    The clerk had the neighbouring commune's finished workbook as a model, copied its first sheet
    over her own (after lifting protection) and forgot to put her own details back. The hidden
    template fields still say this unit.
    """
    other = Path(other) if other else _sibling(src, OTHER_UNIT)
    model = openpyxl.load_workbook(other)
    try:
        theirs = model[SHEET_TT]
        copied = {(r, c): theirs.cell(r, c).value
                  for r in range(FIRST_DATA_ROW, theirs.max_row + 1)
                  for c in range(1, theirs.max_column + 1)
                  if not isinstance(theirs.cell(r, c).value, type(None))}
    finally:
        model.close()

    def change(wb: Workbook) -> None:
        ws = wb[SHEET_TT]
        for (r, c), value in copied.items():
            _set(ws, r, c, value)
    return _edit(src, dst, change)


LAST_PERIOD = "2023-H1"


def last_years_file(src: Path, dst: Path) -> Path:
    """Last year's file sent again: the 2023-H1 workbook (period 2023-H1 everywhere: hidden meta,
    document property, TT "Kỳ báo cáo", and the "6 tháng đầu năm 2023" line of each sheet)."""
    def change(wb: Workbook) -> None:
        tt = wb[SHEET_TT]
        col = find_column(tt, VALUE_TT)
        current = _text(tt.cell(find_row(tt, "KY"), col).value)
        _set(tt, find_row(tt, "KY"), col, LAST_PERIOD)
        meta = wb[META_SHEET]
        meta.cell(META_ROW["period"], 2).value = LAST_PERIOD
        meta.cell(6, 2).value = "2023-01-01"
        _set_custom_property(wb, "NTM_KyBaoCao", LAST_PERIOD)
        year, last_year = current[:4], LAST_PERIOD[:4]
        for ws in wb.worksheets:
            for row in ws.iter_rows(max_row=6):
                for cell in row:
                    if isinstance(cell.value, str) and year in cell.value:
                        cell.value = cell.value.replace(year, last_year)
    return _edit(src, dst, change)


UNKNOWN_UNIT = "99999"


def unknown_unit(src: Path, dst: Path) -> Path:
    """A file from a unit outside the district: code 99999 in TT, the hidden meta and the document
    property (a commune of another district e-mailed the wrong office)."""
    def change(wb: Workbook) -> None:
        tt = wb[SHEET_TT]
        col = find_column(tt, VALUE_TT)
        _set(tt, find_row(tt, "MA_DV"), col, UNKNOWN_UNIT)
        _set(tt, find_row(tt, "TEN_DV"), col, "Xã Ngoài Huyện")
        meta = wb[META_SHEET]
        meta.cell(META_ROW["unit_code"], 2).value = UNKNOWN_UNIT
        meta.cell(META_ROW["unit_name"], 2).value = "Xã Ngoài Huyện"
        _set_custom_property(wb, "NTM_MaDonVi", UNKNOWN_UNIT)
        for ws in wb.worksheets:
            for row in ws.iter_rows(max_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("UBND XÃ"):
                        cell.value = "UBND XÃ NGOÀI HUYỆN"
    return _edit(src, dst, change)


def formula_like_text(src: Path, dst: Path) -> Path:
    """PB09 "Kết quả chủ yếu" texts starting with "=", "+", "-" and "@", stored as text.

    Clerks start bullet lines with "+" and "-"; one pasted a HYPERLINK formula's text from a web
    page. None of it is a formula in the file and none may become one downstream.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB09]
        col = find_column(ws, "Kết quả chủ yếu")
        for code, text in FORMULA_LIKE_TEXTS.items():
            _set(ws, find_row(ws, code), col, text, as_text=True)
    return _edit(src, dst, change)


def legacy_font_text(src: Path, dst: Path) -> Path:
    """PB03 first thôn name typed in TCVN3 (.VnTime font): "Th«n 1" for "Thôn 1".

    The clerk copied the name list from an old Word document written with the ABC keyboard.
    """
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB03]
        first = used_rows(ws, "Tên thôn")[0]
        _set(ws, first, find_column(ws, "Tên thôn"), TCVN3_NAME)
    return _edit(src, dst, change)


def nfd_text(src: Path, dst: Path) -> Path:
    """PB03 first thôn name in decomposed Unicode (NFD): "Thôn Đồng Tâm" pasted from a web page
    (or typed with Unikey set to "Unicode tổ hợp")."""
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB03]
        first = used_rows(ws, "Tên thôn")[0]
        _set(ws, first, find_column(ws, "Tên thôn"), NFD_NAME)
    return _edit(src, dst, change)


CORRECTED_MEETINGS = 8


def corrected_resend(src: Path, dst: Path) -> Path:
    """The same unit's workbook sent again a few days later with one correction (PB08 row 1 =
    8 meetings); the copy gets a newer modification time than any sample."""
    def change(wb: Workbook) -> None:
        ws = wb[SHEET_PB08]
        _set(ws, find_row(ws, "1"), find_column(ws, DONE), CORRECTED_MEETINGS)
    _edit(src, dst, change)
    stamp = datetime(2024, 7, 10, 9, 30).timestamp()
    os.utime(dst, (stamp, stamp))
    return Path(dst)


def renamed_copy(src: Path, dst: Path) -> Path:
    """A byte-identical copy under the name the clerk chose, e.g. "Báo cáo xã Thọ Thanh.xlsx"
    in a sub-folder named after the commune (the district saves each e-mail's attachment so)."""
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


# File-level damage (bytes and zip)


def not_a_zip(src: Path, dst: Path) -> Path:
    """A CSV export of the PB08 sheet renamed to .xlsx (the clerk's "Save As" chose CSV, then she
    renamed the file so the district would accept it)."""
    wb = openpyxl.load_workbook(src, read_only=True)
    try:
        rows = [[_text(v) for v in row] for row in wb[SHEET_PB08].iter_rows(values_only=True)]
    finally:
        wb.close()
    text = "\r\n".join(",".join(f'"{v}"' if "," in v else v for v in row) for row in rows)
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(text.encode("utf-8"))
    return Path(dst)


def html_as_xls(src: Path, dst: Path) -> Path:
    """An HTML table saved with an .xls name, as old government software exports "Excel" files."""
    html = ("<html><head><meta charset='utf-8'></head><body><table>"
            "<tr><td>Mã</td><td>Nội dung</td><td>Thực hiện kỳ báo cáo</td></tr>"
            "<tr><td>1</td><td>Số cuộc họp</td><td>7</td></tr></table></body></html>")
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(html.encode("utf-8"))
    return Path(dst)


def truncated(src: Path, dst: Path, keep: float = 0.6) -> Path:
    """The attachment's download stopped part-way: only the first 60 % of the bytes arrived."""
    data = Path(src).read_bytes()
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(data[: int(len(data) * keep)])
    return Path(dst)


def _padded_sheet(extra_bytes: int):
    """A writer for the sheet member that inserts ``extra_bytes`` of XML whitespace in it."""
    def write(zin: zipfile.ZipFile, out: _Member) -> None:
        xml = zin.read(out.name)
        cut = xml.rindex(b"</sheetData>") + len(b"</sheetData>")
        chunk = b" " * (1 << 20)
        with out.stream(level=9) as fh:
            fh.write(xml[:cut])
            left = extra_bytes
            while left > 0:
                fh.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            fh.write(xml[cut:])
    return write


ZIP_BOMB_BYTES = 120 * 1024 * 1024


def zip_bomb(src: Path, dst: Path) -> Path:
    """A valid workbook whose PB08 sheet XML expands to more than 100 MB (120 MB of whitespace),
    while the file itself stays a few hundred KB: a "zip bomb", as a tampered or machine-generated
    file can be."""
    with zipfile.ZipFile(src) as zf:
        part = _sheet_parts(zf)[SHEET_PB08]
    return _rewrite_zip(src, dst, {part: _padded_sheet(ZIP_BOMB_BYTES)})


def zip_bomb_forged_sizes(src: Path, dst: Path) -> Path:
    """The zip bomb again, but the zip headers lie: the sheet's uncompressed size is declared as
    its original size, so only really decompressing it shows the 120 MB."""
    zip_bomb(src, dst)
    with zipfile.ZipFile(src) as zf:
        part = _sheet_parts(zf)[SHEET_PB08]
        honest = zf.getinfo(part).file_size
    data = bytearray(Path(dst).read_bytes())
    name = part.encode("utf-8")
    # Local file header: size fields at +22 (uncompressed, 4 bytes); zip64 extra holds the real one.
    for m in re.finditer(re.escape(b"PK\x03\x04"), data):
        start = m.start()
        n, k = struct.unpack_from("<HH", data, start + 26)
        if bytes(data[start + 30: start + 30 + n]) == name:
            _forge_sizes(data, start + 30 + n, k, honest, local=True, header=start)
    for m in re.finditer(re.escape(b"PK\x01\x02"), data):
        start = m.start()
        n, k = struct.unpack_from("<HH", data, start + 28)
        if bytes(data[start + 46: start + 46 + n]) == name:
            _forge_sizes(data, start + 46 + n, k, honest, local=False, header=start)
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


def _forge_sizes(data: bytearray, extra_at: int, extra_len: int, size: int, *, local: bool,
                 header: int) -> None:
    """Write ``size`` as the uncompressed size, in the zip64 extra field when there is one."""
    p = extra_at
    while p < extra_at + extra_len:
        tag, length = struct.unpack_from("<HH", data, p)
        if tag == 0x0001:
            struct.pack_into("<Q", data, p + 4, size)  # first zip64 value: uncompressed size
        p += 4 + length
    offset = 22 if local else 24
    current = struct.unpack_from("<I", data, header + offset)[0]
    if current != 0xFFFFFFFF:
        struct.pack_into("<I", data, header + offset, size)


MILLION = 1_000_000


def million_rows(src: Path, dst: Path, rows: int = MILLION) -> Path:
    """The PB08 sheet with a million more filled rows below its table: the clerk selected the whole
    column D and filled it down (Ctrl+D) with 1. The file stays a few MB; the sheet is huge."""
    def write(zin: zipfile.ZipFile, out: _Member) -> None:
        xml = zin.read(out.name).decode("utf-8")
        last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
        end = last + rows
        xml = re.sub(r'<dimension ref="([A-Z]+)1:([A-Z]+)\d+"/>',
                     lambda m: f'<dimension ref="{m.group(1)}1:{m.group(2)}{end}"/>', xml, count=1)
        cut = xml.rindex("</sheetData>")
        with out.stream(level=1) as fh:
            fh.write(xml[:cut].encode("utf-8"))
            block = 20_000
            for start in range(last + 1, end + 1, block):
                stop = min(start + block, end + 1)
                fh.write("".join(f'<row r="{r}"><c r="D{r}"><v>1</v></c></row>'
                                 for r in range(start, stop)).encode("ascii"))
            fh.write(xml[cut:].encode("utf-8"))
    with zipfile.ZipFile(src) as zf:
        part = _sheet_parts(zf)[SHEET_PB08]
    return _rewrite_zip(src, dst, {part: write})


BIG_FILE_BYTES = 100 * 1024 * 1024


def hundred_mb(src: Path, dst: Path) -> Path:
    """A 100 MB workbook: the clerk pasted a full-resolution scan of the signed report into it
    (an uncompressible 100 MB picture stored in xl/media)."""
    def write(_zin: zipfile.ZipFile, out: _Member) -> None:
        with out.stream(compress=zipfile.ZIP_STORED) as fh:
            for _ in range(BIG_FILE_BYTES // (1 << 20)):
                fh.write(os.urandom(1 << 20))
    info = zipfile.ZipInfo("xl/media/image1.jpeg", date_time=(2024, 7, 1, 0, 0, 0))
    return _rewrite_zip(src, dst, {}, extra=[(info, write)])


ENCRYPTION_PASSWORD = "thothanh2024"


def encrypted(src: Path, dst: Path) -> Path:
    """The workbook saved with a password to open (File > Info > Protect Workbook > Encrypt with
    Password): Excel wraps the encrypted package in an OLE container with an "EncryptionInfo"
    stream. Uses msoffcrypto-tool when installed, else builds that container itself."""
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        Path(dst).write_bytes(fake_encrypted_container(Path(src).read_bytes()))
        return Path(dst)
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        OOXMLFile(fin).encrypt(ENCRYPTION_PASSWORD, fout)
    return Path(dst)


def encrypted_container(src: Path, dst: Path) -> Path:
    """The encrypted workbook's container built by hand (no msoffcrypto-tool needed): what
    ``encrypted`` makes, in shape."""
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(fake_encrypted_container(Path(src).read_bytes()))
    return Path(dst)


def fake_encrypted_container(package: bytes) -> bytes:
    """A minimal, well-formed OLE compound file (CFB v3) with the two streams of an encrypted
    OOXML file: "EncryptionInfo" (agile, version 4.4) and "EncryptedPackage" (the size of the
    package followed by opaque bytes). Not decryptable: a stand-in for the container's shape."""
    sector = 512
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        b'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    body = struct.pack("<Q", len(package)) + bytes((b * 7 + 3) & 0xFF for b in package[:8192])
    # Streams of at least 4096 bytes live in ordinary sectors (no mini stream needed).
    streams = [("EncryptionInfo", info.ljust(4096, b" ")), ("EncryptedPackage", body.ljust(4096, b"\0"))]
    fat_sector, dir_sector, next_free = 0, 1, 2
    starts, chains = [], []
    for _name, data in streams:
        count = -(-len(data) // sector)
        starts.append(next_free)
        chains.append(list(range(next_free, next_free + count)))
        next_free += count
    total = next_free
    fat = [0xFFFFFFFF] * (sector // 4)
    fat[fat_sector] = 0xFFFFFFFD  # FATSECT
    fat[dir_sector] = 0xFFFFFFFE  # ENDOFCHAIN
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            fat[a] = b
        fat[chain[-1]] = 0xFFFFFFFE
    assert total <= len(fat)

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    none = 0xFFFFFFFF
    # Directory tree ordered by (length, upper-case name): EncryptionInfo < EncryptedPackage.
    directory = (entry("Root Entry", 5, none, none, 2, 0xFFFFFFFE, 0)
                 + entry("EncryptionInfo", 2, none, none, none, starts[0], len(streams[0][1]))
                 + entry("EncryptedPackage", 2, 1, none, none, starts[1], len(streams[1][1]))
                 + b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", none, none, none)
                 + b"\0" * 48)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, dir_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", fat_sector) + b"\xff" * (4 * 108))
    assert len(header) == sector and len(directory) == sector
    out = io.BytesIO()
    out.write(header)
    out.write(struct.pack(f"<{sector // 4}I", *fat))
    out.write(directory)
    for _name, data in streams:
        out.write(data.ljust(-(-len(data) // sector) * sector, b"\0"))
    return out.getvalue()


def excel_lock_file(src: Path, dst: Path) -> Path:
    """Excel's owner file "~$<name>.xlsx", left beside the workbook while the clerk had it open
    (165 bytes: the user name in ANSI and UTF-16)."""
    user = "Can bo NTM"
    data = (bytes([len(user)]) + user.encode("ascii").ljust(53, b" ")
            + struct.pack("<H", len(user)) + user.encode("utf-16-le").ljust(109, b"\0"))
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(data[:165])
    return Path(dst)


def pdf_report(src: Path, dst: Path) -> Path:
    """The signed narrative report as PDF, dropped in the input folder with the workbooks."""
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
           b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n")
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(pdf)
    return Path(dst)


def text_note(src: Path, dst: Path) -> Path:
    """A plain-text note from the commune ("ghi chú.txt") saved beside its workbook."""
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_text("Xã Thọ Thanh gửi báo cáo 6 tháng đầu năm 2024.\r\n", encoding="utf-8")
    return Path(dst)
