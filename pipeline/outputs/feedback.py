"""Feedback copies: each commune's own workbook, flagged cells coloured and commented, plus a list.

openpyxl edits a copy of the commune's file (the original under input/ is only read); formats it
cannot edit (.xls, .ods) get the list of findings alone in the check report.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink

from pipeline.annexes import load_annexes
from pipeline.core.findings import Finding
from pipeline.core.sample import SAMPLE_BANNER, sample_name
from pipeline.core.states import Level
from pipeline.excel.styles import MARK_FILLS
from pipeline.result import RunResult
from pipeline.text.names import ascii_name, sentence_name, strip_unit_prefix

#: Fill of a flagged cell by level (openpyxl colours have no "#").
FILLS: dict[str, str] = {level: colour.lstrip("#") for level, colour in MARK_FILLS.items()}
#: What each mark means, in the legend of the "Cần sửa" sheet.
MEANING: dict[str, str] = {Level.ERROR: "không được tổng hợp, phải sửa",
                            Level.WARNING: "vẫn tổng hợp nhưng cần kiểm tra lại",
                            Level.INFO: "để biết, không phải sửa"}
LIST_SHEET = "Cần sửa"
#: Days the commune is given to send the corrected file back, counted from the run.
RESEND_DAYS = 7
#: Rows of the "Cần sửa" sheet: title, unit and period, what to do, then the legend (one row per
#: mark used), a blank row and the table.
LEGEND_ROW = 4
HEADERS = ("STT", "Mức", "Trang tính", "Ô", "Vị trí", "Nội dung", "Cách sửa")
WIDTHS = (6, 10, 20, 7, 34, 56, 46)
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
              and r.path.suffix.lower() in EDITABLE
              and not (result.other_period and _only_wrong_period(by_file[r.file]))]
    names = copy_names(result, wanted)
    banner = SAMPLE_BANNER if result.used_samples else None
    for r in wanted:
        name = sample_name(names[r.file], result.used_samples)
        findings = by_file[r.file]
        try:
            _write_copy(r.path, folder / name, findings, _header(result, r),
                        _places(result, r.file, findings), banner)
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


def _only_wrong_period(findings: list[Finding]) -> bool:
    return all(f.code == "period-mismatch" for f in findings
               if f.level in (Level.ERROR, Level.WARNING))


def _header(result: RunResult, r) -> tuple[str, str]:
    """The two lines under the title: whose file and which period; what to do and by when."""
    unit = r.unit_name or "(không xác định)"
    code = f" (mã {r.unit_code})" if r.unit_code else ""
    due = (result.started.date() + timedelta(days=RESEND_DAYS)).strftime("%d/%m/%Y")
    office = sentence_name(result.settings.office) or "cơ quan tổng hợp"
    return (f"Đơn vị: {unit}{code}. Kỳ báo cáo: {result.period.label}. File: {r.file}.",
            f"Đề nghị đơn vị sửa các nội dung dưới đây ngay trong file này (ô được tô màu, rê chuột "
            f"vào ô để đọc ghi chú) rồi gửi lại cho {office} {_place_of(result)} trước ngày {due}.")


def _place_of(result: RunResult) -> str:
    """ "Huyện Thường Xuân" inside a sentence: "huyện Thường Xuân"."""
    name = result.settings.registry.name.strip()
    return name[:1].lower() + name[1:]


def _places(result: RunResult, file: str, findings: list[Finding]) -> dict[tuple[str, str], str]:
    """(sheet, cell) → where that is in words: the row's label and the column's title."""
    wanted = {f.cell for f in findings if f.cell}
    cells = result.cells
    if not wanted or cells.empty:
        return {}
    mine = cells[(cells["file"] == file) & cells["cell"].isin(wanted)]
    annexes = load_annexes()
    places = {}
    for sheet, cell, annex, row_code, column in mine[["sheet", "cell", "annex", "row_code",
                                                      "column"]].itertuples(index=False):
        places[(sheet, cell)] = _place(annexes.get(annex), row_code, column)
    return places


def _place(annex, row_code: object, column: object) -> str:
    if annex is None:
        return ""
    try:
        title = annex.column(str(column)).title
    except KeyError:
        title = str(column)
    if annex.kind == "list" or pd.isna(row_code):
        where = f"dòng thứ {row_code}" if not pd.isna(row_code) else ""
    else:
        try:
            row = annex.row(str(row_code))
            where = f"{row_code}. {row.label}" if annex.kind == "fixed" else row.label
        except KeyError:
            where = str(row_code)
    if annex.kind == "keyvalue":
        return where
    return f"{where} — cột “{title}”" if where else f"cột “{title}”"


def _write_copy(source: Path, target: Path, findings: list[Finding], header: tuple[str, str],
                places: dict[tuple[str, str], str], banner: str | None = None) -> None:
    with warnings.catch_warnings():  # openpyxl's notes on parts it drops never reach the console
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=False)
    for f in sorted(findings, key=lambda f: -Level(f.level).rank):  # the most severe mark wins
        if f.sheet in book.sheetnames and f.cell:
            cell = book[f.sheet][f.cell]
            cell.fill = PatternFill("solid", fgColor=FILLS.get(f.level, FILLS[Level.INFO]))
            text = f"[{f.level}] {f.message}\nCách sửa: {f.hint}"
            if cell.comment is not None:
                text = cell.comment.text + "\n\n" + text
            cell.comment = Comment(text, "Phòng NN&PTNT", width=320, height=140)
    _write_list(book, findings, header, places, banner)
    tmp = target.with_name(".tmp-" + target.name)
    book.save(tmp)
    tmp.replace(target)


def _write_list(book, findings: list[Finding], header: tuple[str, str],
                places: dict[tuple[str, str], str], banner: str | None = None) -> None:
    if LIST_SHEET in book.sheetnames:
        del book[LIST_SHEET]
    ws = book.create_sheet(LIST_SHEET, 0)
    last = len(HEADERS)
    ws.cell(1, 1, "DANH SÁCH NỘI DUNG CẦN SỬA").font = Font(name=FONT, bold=True, size=14)
    shift = 0
    if banner:  # a sample run's copies say so, under the title
        ws.cell(2, 1, banner).font = Font(name=FONT, bold=True, size=13, color="C00000")
        shift = 1
    for row, text in zip((2 + shift, 3 + shift), header):
        cell = ws.cell(row, 1, text)
        cell.font = Font(name=FONT, italic=row == 3 + shift, bold=row == 2 + shift)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        ws.row_dimensions[row].height = 34
    levels = sorted({f.level for f in findings}, key=lambda level: Level(level).rank)
    _legend(ws, levels, LEGEND_ROW + shift)
    header_row = LEGEND_ROW + shift + len(levels) + 1
    for c, title in enumerate(HEADERS, 1):
        cell = ws.cell(header_row, c, title)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ordered = sorted(findings, key=lambda f: (Level(f.level).rank, f.sheet, f.cell))
    for i, f in enumerate(ordered, 1):
        row = header_row + i
        values = (i, f.level, f.sheet, f.cell, places.get((f.sheet, f.cell), ""), f.message, f.hint)
        for c, value in enumerate(values, 1):
            cell = ws.cell(row, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BORDER
            cell.font = Font(name=FONT)
        if f.sheet in book.sheetnames and f.cell:
            link = ws.cell(row=row, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
            link.font = Font(name=FONT, color="0563C1", underline="single")
        ws.cell(row=row, column=2).fill = PatternFill("solid", fgColor=FILLS.get(f.level, FILLS[Level.INFO]))
        ws.row_dimensions[row].height = _height(values)
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    book.active = 0
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == LIST_SHEET


def _legend(ws, levels: list[str], top: int) -> None:
    """One row per mark used in this copy (from row ``top``): the coloured cell, then its meaning."""
    ws.cell(top, 1, "Màu:").font = Font(name=FONT, bold=True)
    for row, level in enumerate(levels, top):
        cell = ws.cell(row, 2, level)
        cell.fill = PatternFill("solid", fgColor=FILLS[level])
        cell.font = Font(name=FONT, bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        meaning = ws.cell(row, 3, f"ô tô màu này: {MEANING[level]}")
        meaning.font = Font(name=FONT, italic=True)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)


def _height(values) -> float:
    """Points a list row needs for its wrapped texts (LibreOffice keeps the height it is given)."""
    lines = 1
    for value, width in zip(values, WIDTHS):
        per_line = max(int(width * 0.85), 1)
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in str(value).split("\n")))
    return lines * 15.75 + 2
