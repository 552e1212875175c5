"""Feedback copies: each commune's own workbook, flagged cells coloured and commented, plus a list.

openpyxl edits a copy of the commune's file (the original under input/ is only read); formats it
cannot edit (.xls, .ods) get the list of findings alone in the check report.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink

from pipeline.core.findings import Finding
from pipeline.result import RunResult
from pipeline.text.names import ascii_name, strip_unit_prefix
from pipeline.core.states import Level

# Orange, not yellow, for warnings: the template already marks input cells pale yellow.
FILLS = {Level.ERROR: "FFC7CE", Level.WARNING: "F8CBAD", Level.INFO: "DDEBF7"}
LIST_SHEET = "Cần sửa"
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
EDITABLE = {".xlsx", ".xlsm"}
FONT = "Times New Roman"


def feedback_name(unit_code: str, unit_name: str, file: str) -> str:
    if unit_code:
        return f"{unit_code}_{ascii_name(strip_unit_prefix(unit_name) if unit_name else '')}.xlsx"
    return f"khong_ro_{ascii_name(Path(file).stem)}.xlsx"


def copy_names(result: RunResult, files: list) -> dict[str, str]:
    """A feedback file name for each input file (by its path relative to input/) that cannot clash
    with another's: the file a unit's row shows gets ``<code>_<Name>.xlsx``; any other file (an old
    file in input/ky_truoc/, a superseded or unidentified one) gets its relative path appended
    (``…__ky_truoc_15652_ThoThanh_2023H2.xlsx``), and a counter if that still clashes (names are
    compared case-insensitively, as Windows does)."""
    shown = set(result.units["file"]) if "file" in result.units else set()
    used: set[str] = set()
    names: dict[str, str] = {}
    for r in sorted(files, key=lambda r: (r.file not in shown, r.file)):
        base = feedback_name(r.unit_code or "", r.unit_name or "", r.file)
        if r.file not in shown or not r.unit_code:
            base = f"{base[:-5]}__{ascii_name(str(Path(r.file).with_suffix('')).replace('/', '_')) or 'file'}.xlsx"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base[:-5]}_{n}.xlsx"
        used.add(name.lower())
        names[r.file] = name
    return names


def write_feedback(result: RunResult, folder: Path,
                   failures: list[Finding] | None = None) -> dict[str, str]:
    """Write one copy per input file with a Lỗi or Cảnh báo. Returns input file → relative path of
    its copy, and unit code → the copy of the file the unit's row shows. A copy that cannot be
    written becomes a "feedback-failed" finding in ``failures`` (never a silently missing copy)."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_file[f.file].append(f)
    written: dict[str, str] = {}
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [r for r in result.files
              if r.opened and any(f.level in (Level.ERROR, Level.WARNING) for f in by_file.get(r.file, []))
              and r.path.suffix.lower() in EDITABLE]
    names = copy_names(result, wanted)
    for r in wanted:
        name = names[r.file]
        try:
            _write_copy(r.path, folder / name, by_file[r.file])
        except Exception as exc:  # the file's findings are still in the check report
            if failures is not None:
                failures.append(Finding.make("feedback-failed", unit_code=r.unit_code or "", file=r.file,
                                             detail=f"{type(exc).__name__}: {str(exc)[:150]}"))
            continue
        written[r.file] = f"phan_hoi/{name}"
    if "file" in result.units:
        for u in result.units.itertuples(index=False):
            if u.unit_code and u.file in written:
                written[u.unit_code] = written[u.file]
    return written


def _write_copy(source: Path, target: Path, findings: list[Finding]) -> None:
    with warnings.catch_warnings():  # openpyxl's notes on parts it drops never reach the console
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=False)
    for f in findings:
        if f.sheet in book.sheetnames and f.cell:
            cell = book[f.sheet][f.cell]
            cell.fill = PatternFill("solid", fgColor=FILLS.get(f.level, FILLS[Level.INFO]))
            text = f"[{f.level}] {f.message}\nCách sửa: {f.hint}"
            if cell.comment is not None:
                text = cell.comment.text + "\n\n" + text
            cell.comment = Comment(text, "Phòng NN&PTNT", width=320, height=140)
    _write_list(book, findings)
    tmp = target.with_name(".tmp-" + target.name)
    book.save(tmp)
    tmp.replace(target)


def _write_list(book, findings: list[Finding]) -> None:
    if LIST_SHEET in book.sheetnames:
        del book[LIST_SHEET]
    ws = book.create_sheet(LIST_SHEET, 0)
    ws.append(["DANH SÁCH NỘI DUNG CẦN SỬA"])
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws.append(["Ô được tô màu trong các trang tính: đỏ = Lỗi (không được tổng hợp), vàng = Cảnh báo, "
               "xanh = Lưu ý. Rê chuột vào ô để xem ghi chú."])
    ws.append([])
    ws.append(["STT", "Mức", "Trang tính", "Ô", "Nội dung", "Cách sửa"])
    for cell in ws[4]:
        cell.font = Font(name=FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    for i, f in enumerate(sorted(findings, key=lambda f: (order.get(f.level, 3), f.sheet, f.cell)), 1):
        ws.append([i, f.level, f.sheet, f.cell, f.message, f.hint])
        row = ws.max_row
        if f.sheet in book.sheetnames and f.cell:
            link = ws.cell(row=row, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
            link.font = Font(name=FONT, color="0563C1", underline="single")
        ws.cell(row=row, column=2).fill = PatternFill("solid", fgColor=FILLS.get(f.level, FILLS[Level.INFO]))
    for col, width in zip("ABCDEF", (6, 10, 22, 8, 60, 50)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BORDER
            if cell.column != 4:
                cell.font = Font(name=FONT)
    ws.merge_cells("A2:F2")
    ws["A2"].font = Font(name=FONT, italic=True)
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[2].height = 32
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    book.active = 0
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == LIST_SHEET
