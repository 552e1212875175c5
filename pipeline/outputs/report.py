"""The check report workbook (KiemTra_…xlsx): status per unit, then every finding grouped by unit."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from pipeline.result import RunResult
from pipeline.excel.styles import Styles
from pipeline.core.states import Level

LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
LEVEL_FILL = {Level.ERROR: "#FFC7CE", Level.WARNING: "#F8CBAD", Level.INFO: "#DDEBF7"}


def write_check_report(result: RunResult, path: Path, feedback: dict[str, str]) -> None:
    # Commune text stays text: a message quoting "=…" must never become a formula.
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False})
    styles = Styles(book)
    _write_units(book.add_worksheet("Tình trạng"), styles, result, feedback)
    _write_findings(book.add_worksheet("Phát hiện"), styles, result, feedback)
    book.close()


def _title(ws, styles: Styles, result: RunResult, text: str, ncols: int) -> None:
    ws.merge_range(0, 0, 0, ncols - 1, text, styles.title())
    ws.merge_range(1, 0, 1, ncols - 1, f"{result.settings.registry.name} — {result.period.label}",
                   styles.centered(italic=True))


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


def _write_findings(ws, styles: Styles, result: RunResult, feedback: dict[str, str]) -> None:
    headers = ["Mã đơn vị", "Đơn vị", "File", "Trang tính", "Ô", "Mức", "Mã phát hiện", "Nội dung",
               "Cách sửa", "Mở ô"]
    widths = [8, 18, 22, 18, 6, 9, 16, 44, 34, 8]
    _title(ws, styles, result, "DANH SÁCH PHÁT HIỆN KHI KIỂM TRA BÁO CÁO", len(headers))
    for i, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(i, i, w)
        ws.write_string(3, i, h, styles.header())
    names = {u.code: u.name for u in result.settings.registry.units}
    units = {u.unit_code: u.unit_name for u in result.units.itertuples(index=False)}
    findings = sorted(result.findings, key=lambda f: (f.unit_code or "~", f.file,
                                                      LEVEL_ORDER.get(f.level, 3), f.sheet, f.cell))
    wrap = styles.cell(wrap=True)
    r = 3
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
        ws.set_row(r, None, None, {"level": 1})
        values = [f.unit_code, names.get(f.unit_code, units.get(f.unit_code, "")), f.file, f.sheet,
                  f.cell, f.level, f.code, f.message, f.hint]
        for c, v in enumerate(values):
            fmt = styles.cell(wrap=True) if c != 5 else styles.get(border=1, bg_color=LEVEL_FILL.get(v, "#FFFFFF"))
            ws.write_string(r, c, str(v or ""), fmt if c != 7 else wrap)
        link = feedback.get(f.file) or feedback.get(f.unit_code)
        if link and f.sheet and f.cell:
            ws.write_url(r, 9, f"external:{link}#'{f.sheet}'!{f.cell}", styles.cell(), string="Mở ô")
        else:
            ws.write_blank(r, 9, None, styles.cell())
    ws.autofilter(3, 0, max(r, 4), len(headers) - 1)
    ws.freeze_panes(4, 0)
    _page(ws)


def _page(ws) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
