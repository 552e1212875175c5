"""Write the commune workbook with xlsxwriter: one sheet per annex, derived from its definition.

The same writer makes the blank template, the pre-filled copy per unit and (with ``data``) a filled
workbook, so the bundled samples and the tests' workbooks go through the code path communes get.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pipeline import TEMPLATE_VERSION, __version__
from pipeline.annexes import Annex, Column, Row
from pipeline.annexes.compute import compute_fixed, compute_list_row
from pipeline.annexes.layout import (
    FIRST_DATA_ROW,
    GROUP_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    META_KEYS,
    META_NAMES,
    META_SHEET,
)
from pipeline.annexes.model import Link
from pipeline.config.period import Period
from pipeline.config.regions import REGIONS
from pipeline.config.registry import Unit
from pipeline.core.sample import SAMPLE_BANNER
from pipeline.excel.sheet_layout import (
    BLANK_DATE,
    set_page,
    text_height,
    write_banner,
    write_heading,
    write_signature,
    write_title,
)
from pipeline.excel.styles import Styles
from pipeline.excel.validation import data_validation_options
from pipeline.text.names import sentence_case, sentence_name, strip_unit_prefix

#: What a commune typed: fixed/key-value annexes {row code: {column key: value}}, list annexes
#: [{column key: value}, …].
UnitData = Mapping[str, Any]


@dataclass(frozen=True)
class WorkbookContext:
    """Who the workbook is for; ``unit`` None makes the blank template."""

    period: Period
    district: str
    province: str
    region: str
    unit: Unit | None = None
    #: The unit that consolidates: "Huyện Thường Xuân", or the province after the 2025 reform.
    parent: str = ""
    #: When the commune must send the workbook (None: no deadline set).
    deadline: date | None = None
    #: The office that receives it: "PHÒNG NÔNG NGHIỆP VÀ PTNT".
    office: str = ""
    #: A bundled sample: every sheet says it is sample data.
    sample: bool = False
    #: Cells pre-filled from the archive, (annex, row code or list row number, column key), each
    #: given the comment ``prefilled_note`` (pipeline.archive.prefill).
    prefilled: frozenset[tuple[str, str, str]] = frozenset()
    prefilled_note: str = ""

    @property
    def date_line(self) -> str:
        """ "Thọ Thanh, ngày ..... tháng ..... năm ........": the place is known, the date is not."""
        if self.unit is None:
            return BLANK_DATE
        return BLANK_DATE.replace(".......", self.unit.short_name or strip_unit_prefix(self.unit.name), 1)

    @property
    def receiver(self) -> str:
        """Who receives the file, as a sentence names it: "Phòng Nông nghiệp và PTNT huyện …"."""
        office = sentence_name(self.office) or "cơ quan tổng hợp"
        parent = self.parent or self.district
        return f"{office} {parent[:1].lower()}{parent[1:]}".strip() if parent else office

    @property
    def authority(self) -> str:
        return f"UBND {(self.parent or self.district).upper()}"

    @property
    def unit_heading(self) -> str:
        if self.unit is None:
            return "UBND XÃ ......................"
        return f"UBND {self.unit.name.upper()}"

    def prefill(self, key: str) -> object:
        values = {
            "unit_code": self.unit.code if self.unit else None,
            "unit_name": self.unit.name if self.unit else None,
            "district": self.district or None,
            "province": self.province,
            "period": str(self.period),
            "region": REGIONS.get(self.region, self.region),
        }
        return values[key]

    def locks(self, key: str) -> bool:
        """Prefilled identity cells are locked; unit cells only when the unit is known."""
        if key in ("unit_code", "unit_name"):
            return self.unit is not None
        return key != "region"


def write_workbook(path: Path, annexes: Mapping[str, Annex], ctx: WorkbookContext,
                   data: UnitData | None = None) -> Path:
    """Write one commune workbook atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent, prefix=".tmp-")
    os.close(fd)
    try:
        _build(Path(tmp), annexes, ctx, data or {})
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _build(path: Path, annexes: Mapping[str, Annex], ctx: WorkbookContext, data: UnitData) -> None:
    # Commune text must stay text: never turn "=…" into a formula or "123" into a number.
    workbook = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    })
    created = datetime.combine(ctx.period.start_date, datetime.min.time())
    workbook.set_properties({
        "title": f"Phụ biểu báo cáo NTM {ctx.period.label}",
        "subject": ctx.unit.name if ctx.unit else "Biểu mẫu trống",
        "author": "Phòng Nông nghiệp và PTNT",
        "comments": f"{TEMPLATE_VERSION}",
        "created": created,
    })
    workbook.set_custom_property("NTM_PhienBan", TEMPLATE_VERSION)
    workbook.set_custom_property("NTM_MaDonVi", ctx.unit.code if ctx.unit else "")
    workbook.set_custom_property("NTM_KyBaoCao", str(ctx.period))
    styles = Styles(workbook)
    _write_guide(workbook.add_worksheet(GUIDE_SHEET), styles, annexes, ctx)
    for annex in annexes.values():
        _write_annex(workbook.add_worksheet(annex.sheet), styles, annex, ctx, data.get(annex.code),
                     _Links(annexes, data))
    _write_meta(workbook, workbook.add_worksheet(META_SHEET), ctx)
    workbook.close()


# Sheets


@dataclass(frozen=True)
class _Links:
    """Where a linked cell points (another sheet's cell) and the value it shows."""

    annexes: Mapping[str, Annex]
    data: UnitData

    def formula(self, link: Link) -> str:
        target = self.annexes[link.annex]
        row = FIRST_DATA_ROW + [r.code for r in target.rows].index(link.row)
        col = [c.key for c in target.columns].index(link.column)
        sheet = target.sheet.replace("'", "''")
        ref = f"'{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"
        return f'=IF({ref}="","",{ref})'  # blank stays blank (a bare reference shows 0)

    def value(self, link: Link) -> object:
        value = (self.data.get(link.annex) or {}).get(link.row, {}).get(link.column)
        return "" if value is None else value


def _write_annex(ws: Worksheet, styles: Styles, annex: Annex, ctx: WorkbookContext,
                 data: Any, links: _Links) -> None:
    ncols = len(annex.columns)
    for i, width in enumerate(_widths(annex)):
        ws.set_column(i, i, width)
    _write_heading(ws, styles, annex, ctx)
    _write_group_header(ws, styles, annex)
    if annex.kind == "list":
        nrows = _write_list_rows(ws, styles, annex, list(data or []), ctx)
    else:
        nrows = _write_fixed_rows(ws, styles, annex, ctx, data or {}, links)
    last = FIRST_DATA_ROW + nrows - 1
    ws.add_table(HEADER_ROW, 0, last, ncols - 1, {
        "name": annex.table_name,
        "columns": [{"header": c.title, "header_format": styles.header()} for c in annex.columns],
        "autofilter": False,
        "style": "Table Style Light 1",
    })
    ws.set_row(HEADER_ROW, 48)
    end = _write_signature(ws, styles, annex, last + 2, ctx.date_line)
    _set_page(ws, annex, end)
    ws.freeze_panes(FIRST_DATA_ROW, 2 if annex.kind != "list" else 1)
    ws.protect("", {
        "format_columns": True, "format_rows": True, "insert_rows": annex.kind == "list",
        "delete_rows": annex.kind == "list", "select_locked_cells": True,
        "select_unlocked_cells": True,
    })


def _widths(annex: Annex) -> list[float]:
    """Column widths; the Mã column widens to its longest row code ("Ngày công")."""
    longest = max((len(annex.display_code(r)) for r in annex.rows), default=0)
    return [max(c.width, longest * 1.2 + 1.5) if c.key == "ma" else c.width for c in annex.columns]


def _write_heading(ws: Worksheet, styles: Styles, annex: Annex, ctx: WorkbookContext) -> None:
    widths = _widths(annex)
    # Balanced: one wide text column (PB09) must not squeeze the quốc hiệu into a sliver.
    write_heading(ws, styles, widths, ctx.authority, ctx.unit_heading, balanced=True)
    if ctx.sample:
        write_banner(ws, styles, len(widths) - 1, SAMPLE_BANNER)
    title = annex.title if annex.code == "TT" else f"Phụ biểu {annex.code[2:]}: {annex.title}"
    write_title(ws, styles, widths, title,
                f"(Kèm theo Báo cáo kết quả thực hiện Chương trình MTQG xây dựng NTM "
                f"{ctx.period.label})", annex.note, annex.unit_note, balanced=True)


def _write_group_header(ws: Worksheet, styles: Styles, annex: Annex) -> None:
    if not any(c.group for c in annex.columns):
        ws.set_row(GROUP_ROW, 6)  # no band above this table: keep the row, draw nothing
        return
    fmt = styles.header()
    i = 0
    while i < len(annex.columns):
        group = annex.columns[i].group
        j = i
        while j + 1 < len(annex.columns) and group and annex.columns[j + 1].group == group:
            j += 1
        if group and j > i:
            ws.merge_range(GROUP_ROW, i, GROUP_ROW, j, group, fmt)
        else:
            ws.write_blank(GROUP_ROW, i, None, fmt)
        i = j + 1
    ws.set_row(GROUP_ROW, 20)


def _list_cell(r: int, cols: Mapping[str, int], own: str, _row_code: str | None, col_key: str | None) -> str:
    """A list annex's formula cell address: same row, the named column (or the formula's own)."""
    return xl_rowcol_to_cell(r, cols[col_key or own])


def _addr_fixed(annex: Annex, row: Row) -> Any:
    rows = {r.code: FIRST_DATA_ROW + i for i, r in enumerate(annex.rows)}
    cols = {c.key: i for i, c in enumerate(annex.columns)}

    def addr(row_code: str | None, col_key: str | None, _col: str = "") -> str:
        return xl_rowcol_to_cell(rows[row_code or row.code], cols[col_key or _col])

    return addr


def _write_fixed_rows(ws: Worksheet, styles: Styles, annex: Annex, ctx: WorkbookContext,
                      data: Mapping[str, Mapping[str, object]], links: _Links) -> int:
    values = {r.code: dict(data.get(r.code, {})) for r in annex.rows}
    for row in annex.rows:
        if row.prefill and ctx.prefill(row.prefill) is not None and ctx.locks(row.prefill):
            values[row.code]["gia_tri"] = ctx.prefill(row.prefill)
        elif row.prefill and ctx.prefill(row.prefill) is not None:
            values[row.code].setdefault("gia_tri", ctx.prefill(row.prefill))
    computed = compute_fixed(annex, values)
    for i, row in enumerate(annex.rows):
        r = FIRST_DATA_ROW + i
        inputs = {c.key for c in annex.row_inputs(row)}
        locked_prefill = bool(row.prefill and ctx.prefill(row.prefill) is not None
                              and ctx.locks(row.prefill))
        for j, col in enumerate(annex.columns):
            kind = annex.cell_kind(row, col)
            if col.role == "label":
                text = {"ma": annex.display_code(row), "noi_dung": row.label, "dvt": row.unit,
                        "yeu_cau": row.requirement}.get(col.key, "")
                ws.write_string(r, j, text, styles.cell(style=row.style, wrap=True,
                                                        kind="text" if col.key != "ma" else "choice"))
            elif col.key in row.formulas:
                formula = row.formulas[col.key]
                addr = _addr_fixed(annex, row)
                text = formula.excel(partial(addr, _col=col.key))
                ws.write_formula(r, j, text, styles.cell(kind=formula.kind, role="formula",
                                                         style=row.style),
                                 computed[(row.code, col.key)])
            elif col.key in row.links:
                link = row.links[col.key]
                ws.write_formula(r, j, links.formula(link),
                                 styles.cell(kind=kind, role="formula", style=row.style),
                                 links.value(link))
            elif col.key in inputs:
                role = "label" if locked_prefill else "input"
                _write_value(ws, r, j, values[row.code].get(col.key), kind,
                             styles.cell(kind=kind, role=role, style=row.style, wrap=True))
                if role == "input":
                    _validate(ws, r, j, annex, row, col)
                    _mark_prefilled(ws, r, j, ctx, (annex.code, row.code, col.key))
            else:
                ws.write_blank(r, j, None, styles.cell(style=row.style))
        ws.set_row(r, _row_height(annex, [values[row.code].get(c.key) for c in annex.columns]
                                  + [row.label, row.requirement, row.unit]))
    return len(annex.rows)


def _mark_prefilled(ws: Worksheet, r: int, c: int, ctx: WorkbookContext | None,
                    key: tuple[str, str, str]) -> None:
    """A cell pre-filled from the archive says so in a comment (it stays editable)."""
    if ctx is not None and key in ctx.prefilled:
        ws.write_comment(r, c, ctx.prefilled_note, {"author": "NTM", "x_scale": 2, "y_scale": 1.2})


def _write_list_rows(ws: Worksheet, styles: Styles, annex: Annex,
                     rows: Sequence[Mapping[str, object]], ctx: WorkbookContext | None = None) -> int:
    nrows = max(annex.blank_rows, len(rows) + 5)
    cols = {c.key: i for i, c in enumerate(annex.columns)}
    for i in range(nrows):
        r = FIRST_DATA_ROW + i
        values = rows[i] if i < len(rows) else {}
        computed = compute_list_row(annex, values)
        for j, col in enumerate(annex.columns):
            if col.formula is not None:
                text = col.formula.excel(partial(_list_cell, r, cols, col.key))
                ws.write_formula(r, j, text, styles.cell(kind=col.kind, role="formula"),
                                 computed[col.key])
            else:
                _write_value(ws, r, j, values.get(col.key), col.kind,
                             styles.cell(kind=col.kind, role="input", wrap=True))
                _mark_prefilled(ws, r, j, ctx, (annex.code, str(i + 1), col.key))
        if values:
            ws.set_row(r, _row_height(annex, [values.get(c.key) for c in annex.columns]))
    for j, col in enumerate(annex.columns):
        if col.role == "input":
            _validate(ws, FIRST_DATA_ROW, j, annex, None, col, last_row=FIRST_DATA_ROW + nrows - 1)
    return nrows


def _row_height(annex: Annex, texts: Sequence[object]) -> float:
    """Height fitting wrapped text of a row (values, then the row label and requirement)."""
    widths = dict(zip((c.key for c in annex.columns), _widths(annex)))
    cols = [c.key for c in annex.columns] + ["noi_dung", "yeu_cau", "dvt"]
    # 1.1 characters per width unit: Times New Roman 12 in Excel and LibreOffice (0.95 left rows
    # visibly too tall).
    return text_height(((text, widths[key]) for key, text in zip(cols, texts) if key in widths),
                       chars_per_width=1.1)


def _write_value(ws: Worksheet, r: int, c: int, value: object, kind: str, fmt) -> None:
    """Write one input value; text always as a string, never as a formula."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, str(value), fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(r, c, value if isinstance(value, datetime)
                          else datetime.combine(value, datetime.min.time()), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _validate(ws: Worksheet, r: int, c: int, annex: Annex, row: Row | None, col: Column,
              last_row: int | None = None) -> None:
    options = data_validation_options(annex, row, col)
    if options:
        ws.data_validation(r, c, last_row if last_row is not None else r, c, options)


def _write_signature(ws: Worksheet, styles: Styles, annex: Annex, start: int,
                     date_line: str = BLANK_DATE) -> int:
    return write_signature(
        ws, styles, _widths(annex), start,
        left=(("NGƯỜI LẬP BIỂU", "bold"), ("(Ký, ghi rõ họ tên)", "italic")),
        right=(("TM. ỦY BAN NHÂN DÂN", "bold"), ("CHỦ TỊCH", "bold"), ("(Ký tên, đóng dấu)", "italic")),
        date_line=date_line, balanced=True,
    )


def _set_page(ws: Worksheet, annex: Annex, last_row: int) -> None:
    set_page(ws, len(annex.columns) - 1, last_row, (GROUP_ROW, HEADER_ROW))


def guide_lines(annexes: Mapping[str, Annex], ctx: WorkbookContext) -> tuple[str, ...]:
    """The numbered instructions of the "Hướng dẫn" sheet."""
    lists = "; ".join(f"{a.sheet}: {a.blank_rows} dòng" for a in annexes.values()
                      if a.kind == "list")
    due = (f"trước ngày {ctx.deadline.strftime('%d/%m/%Y')}" if ctx.deadline
           else "đúng hạn")
    return (
        "1. Biểu mẫu gồm các phụ biểu, mỗi phụ biểu một trang tính (xem danh sách bên dưới).",
        "2. Chỉ điền vào các ô màu vàng. Ô màu xanh là ô tự tính (tổng, đánh giá tiêu chí, tỷ lệ): "
        "không gõ đè lên.",
        "3. Số tiền ghi theo đơn vị triệu đồng. Tỷ lệ ghi số từ 0 đến 100 (ví dụ 96, không ghi 0,96).",
        "4. Cột Đánh giá chọn Đạt hoặc Chưa đạt trong danh sách thả xuống.",
        f"5. Mã đơn vị, tên đơn vị và kỳ báo cáo đã được điền sẵn: không sửa. Nếu sai, báo lại "
        f"{ctx.receiver} để nhận biểu đúng.",
        f"6. Các phụ biểu danh sách có sẵn dòng trống để điền, không cần chèn thêm dòng ({lists}). "
        "Điền lần lượt từ dòng đầu; dòng để trống không được tính. Nếu vẫn không đủ dòng: Review "
        "(Xem lại) > Unprotect Sheet (Bỏ bảo vệ trang tính, không có mật khẩu), đặt con trỏ ở ô "
        "cuối cùng của bảng và nhấn Tab để thêm dòng.",
        "7. Không đổi tên, xóa hoặc thêm trang tính; không chèn cột; không dán cả trang tính từ "
        "file của xã khác.",
        f"8. Lưu file dạng .xlsx (Excel Workbook), giữ nguyên tên file và gửi cho {ctx.receiver} "
        f"{due}.",
    )


def _write_guide(ws: Worksheet, styles: Styles, annexes: Mapping[str, Annex],
                 ctx: WorkbookContext) -> None:
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 100)
    ws.merge_range(0, 0, 0, 1, "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO NÔNG THÔN MỚI", styles.title())
    ws.merge_range(1, 0, 1, 1, f"Kỳ báo cáo: {ctx.period.label}"
                   + (f" — Đơn vị: {ctx.unit.name} (mã {ctx.unit.code})" if ctx.unit else ""),
                   styles.centered(italic=True))
    send = f"Gửi file cho {ctx.receiver}" + (
        f", hạn gửi: {ctx.deadline.strftime('%d/%m/%Y')}." if ctx.deadline else ".")
    row = 2
    if ctx.sample:
        write_banner(ws, styles, 1, SAMPLE_BANNER, row=row)
        row += 1
    ws.merge_range(row, 0, row, 1, send, styles.centered(bold=True))
    wrap = styles.get(text_wrap=True)
    lines = guide_lines(annexes, ctx)
    for i, line in enumerate(lines, start=row + 1):
        ws.merge_range(i, 0, i, 1, line, wrap)
        ws.set_row(i, text_height([(line, 114)], chars_per_width=1.1))
    top = row + 2 + len(lines)
    ws.write_string(top, 0, "Phụ biểu", styles.header())
    ws.write_string(top, 1, "Trang tính — nội dung", styles.header())
    for i, annex in enumerate(annexes.values(), start=1):
        ws.write_string(top + i, 0, annex.code, styles.cell(kind="choice"))
        ws.write_string(top + i, 1, f"{annex.sheet} — {sentence_case(annex.title)}"
                        + (" (không bắt buộc)" if annex.optional else ""), styles.cell())
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    ws.activate()


def _write_meta(workbook: xlsxwriter.Workbook, ws: Worksheet, ctx: WorkbookContext) -> None:
    values = {
        "template_version": TEMPLATE_VERSION,
        "unit_code": ctx.unit.code if ctx.unit else "",
        "unit_name": ctx.unit.name if ctx.unit else "",
        "period": str(ctx.period),
        "tool_version": __version__,
        "created": ctx.period.start_date.isoformat(),
    }
    for i, key in enumerate(META_KEYS):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, str(values[key]))
        if key in META_NAMES:
            workbook.define_name(META_NAMES[key], f"='{META_SHEET}'!$B${i + 1}")
    ws.protect("")
    ws.very_hidden()
