"""The check report workbook (KiemTra_…xlsx): status per unit, then every finding grouped by unit."""

from __future__ import annotations

import math
from pathlib import Path

import xlsxwriter

from pipeline.archive.history import describe
from pipeline.core.findings import label
from pipeline.core.sample import SAMPLE_BANNER
from pipeline.core.states import Level
from pipeline.excel.sheet_layout import write_banner
from pipeline.excel.styles import MARK_FILLS, Styles
from pipeline.result import RunResult

LEVEL_FILL = MARK_FILLS


def write_check_report(result: RunResult, path: Path, feedback: dict[str, str]) -> None:
    # Commune text stays text: a message quoting "=…" must never become a formula.
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False})
    styles = Styles(book)
    _write_units(book.add_worksheet("Tình trạng"), styles, result, feedback)
    _write_findings(book.add_worksheet("Phát hiện"), styles, result, feedback)
    changes = getattr(result, "changes", None)
    if changes is not None and len(changes):
        _write_changes(book.add_worksheet("Thay đổi so với lần nộp trước"), styles, result)
    book.close()


def _title(ws, styles: Styles, result: RunResult, text: str, ncols: int) -> None:
    ws.merge_range(0, 0, 0, ncols - 1, text, styles.title())
    ws.merge_range(1, 0, 1, ncols - 1, f"{result.settings.registry.name} — {result.period.label}",
                   styles.centered(italic=True))
    if result.used_samples:
        write_banner(ws, styles, ncols - 1, SAMPLE_BANNER)


def _write_units(ws, styles: Styles, result: RunResult, feedback: dict[str, str]) -> None:
    headers = ["Mã", "Đơn vị", "Tình trạng", "Lỗi", "Cảnh báo", "Lưu ý", "File", "Bản phản hồi"]
    widths = [8, 24, 14, 7, 9, 7, 36, 34]
    _title(ws, styles, result, "TÌNH HÌNH KIỂM TRA BÁO CÁO CÁC XÃ", len(headers))
    for i, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(i, i, w)
        ws.write_string(3, i, h, styles.header())
    text, num = styles.cell(), styles.cell(kind="int")
    for r, u in enumerate(result.units.itertuples(index=False), start=4):
        ws.write_string(r, 0, u.unit_code, text)
        ws.write_string(r, 1, u.unit_name, text)
        ws.write_string(r, 2, u.status, styles.cell(kind="choice"))
        for c, n in ((3, u.errors), (4, u.warnings), (5, u.infos)):
            ws.write_number(r, c, int(n), num)
        ws.write_string(r, 6, u.file, text)
        link = feedback.get(u.unit_code)
        if link:
            ws.write_url(r, 7, f"external:{link}", styles.cell(), string=link)
        else:
            ws.write_blank(r, 7, None, text)
    last = 3 + len(result.units)
    ws.autofilter(3, 0, last, len(headers) - 1)
    ws.freeze_panes(4, 2)
    _page(ws)


#: Columns of the "Phát hiện" sheet: title, width. The code stays, narrow and last, for filtering.
FINDING_COLUMNS = (("Mã đơn vị", 8), ("Đơn vị", 18), ("File", 22), ("Trang tính", 18), ("Ô", 6),
                   ("Mức", 9), ("Loại phát hiện", 16), ("Nội dung", 44), ("Cách sửa", 34),
                   ("Mở ô", 7), ("Mã phát hiện", 11))
#: Height of one line of 12-point Times New Roman, in points, and characters per unit of width.
LINE_HEIGHT = 15.75
CHARS_PER_WIDTH = 0.85


def _write_findings(ws, styles: Styles, result: RunResult, feedback: dict[str, str]) -> None:
    headers = [h for h, _w in FINDING_COLUMNS]
    widths = [w for _h, w in FINDING_COLUMNS]
    _title(ws, styles, result, "DANH SÁCH PHÁT HIỆN KHI KIỂM TRA BÁO CÁO", len(headers))
    for i, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(i, i, w)
        ws.write_string(3, i, h, styles.header())
    ws.set_row(3, row_height(headers, widths))
    names = {u.code: u.name for u in result.settings.registry.units}
    units = {u.unit_code: u.unit_name for u in result.units.itertuples(index=False)}
    findings = sorted(result.findings, key=lambda f: (f.unit_code or "~", f.file,
                                                      Level(f.level).rank, f.sheet, f.cell))
    wrap = styles.cell(wrap=True)
    r = 3
    if not findings:
        r += 1
        ws.merge_range(r, 0, r, len(headers) - 1, NO_FINDINGS, styles.cell(style="group"))
    current = None
    for f in findings:
        key = (f.unit_code, f.file)
        if key != current:
            current = key
            r += 1
            name = names.get(f.unit_code) or units.get(f.unit_code) or "(không xác định)"
            ws.merge_range(r, 0, r, len(headers) - 1, f"{f.unit_code or '—'}  {name}  —  {f.file}",
                           styles.cell(style="group"))
        r += 1
        values = [f.unit_code, names.get(f.unit_code, units.get(f.unit_code, "")), f.file, f.sheet,
                  f.cell, f.level, label(f.code), f.message, f.hint]
        ws.set_row(r, row_height(values, widths), None, {"level": 1})
        for c, v in enumerate(values):
            fmt = wrap if c != 5 else styles.get(border=1, bg_color=LEVEL_FILL.get(v, "#FFFFFF"))
            ws.write_string(r, c, str(v or ""), fmt)
        link = feedback.get(f.file) or feedback.get(f.unit_code)
        if link and f.sheet and f.cell:
            ws.write_url(r, 9, f"external:{link}#'{f.sheet}'!{f.cell}", styles.cell(), string="Mở ô")
        else:
            ws.write_blank(r, 9, None, styles.cell())
        ws.write_string(r, 10, f.code, styles.get(border=1, font_size=9, font_color="#595959"))
    ws.autofilter(3, 0, max(r, 4), len(headers) - 1)
    ws.freeze_panes(4, 0)
    _page(ws)


NO_FINDINGS = "Không có phát hiện nào: mọi file đọc được đều đúng biểu mẫu và số liệu hợp lệ."


def row_height(values, widths) -> float:
    """Points a row needs so that its wrapped texts show whole (LibreOffice does not grow a row
    written with a format on its own, and Excel only on opening)."""
    lines = 1
    for value, width in zip(values, widths):
        per_line = max(int(width * CHARS_PER_WIDTH), 1)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line))
                               for part in str(value or "").split("\n")))
    return lines * LINE_HEIGHT + 2
def _write_changes(ws, styles: Styles, result: RunResult) -> None:
    """Units that sent a new file for a period already archived: every cell whose value changed."""
    headers = ["Mã đơn vị", "Đơn vị", "File mới", "File trước", "Trang tính", "Ô", "Giá trị trước",
               "Giá trị mới"]
    widths = [8, 18, 26, 26, 20, 6, 18, 18]
    _title(ws, styles, result, "CÁC Ô THAY ĐỔI SO VỚI FILE XÃ ĐÃ NỘP TRƯỚC ĐÓ", len(headers))
    for i, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(i, i, w)
        ws.write_string(3, i, h, styles.header())
    names = {u.code: u.name for u in result.settings.registry.units}
    text = styles.cell(wrap=True)
    r = 3
    assert result.changes is not None  # this sheet is written only when there are changes
    for c in result.changes.itertuples(index=False):
        r += 1
        values = [c.unit_code, names.get(c.unit_code, ""), c.file, c.old_file, c.sheet, c.cell or "",
                  describe(c.old), describe(c.new)]
        for col, v in enumerate(values):
            ws.write_string(r, col, str(v), text)
    ws.autofilter(3, 0, max(r, 4), len(headers) - 1)
    ws.freeze_panes(4, 0)
    _page(ws)


def _page(ws) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
