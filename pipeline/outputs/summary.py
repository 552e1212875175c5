"""The district summary workbook (TongHop_NTM_…xlsx): TH00–TH09 and "Dữ liệu chi tiết".

``write_summary`` is the facade: it consolidates the run and hands each district table to one small
``_write_*`` function per sheet. ``_draw_table`` draws any ``district_table.Table`` in the official
look (multi-row merged headers, a row per unit, live totals), and ``sheet_layout`` draws the heading,
signature and page set-up the commune template uses too.

Every formula is written with the value it computes (``write_formula(..., value)``), so the file is
right before and after Excel recalculates. Commune text only ever goes through ``write_string``, and
the workbook refuses to turn strings into formulas, numbers or links anyway.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.core.sample import SAMPLE_BANNER
from pipeline.core.states import UnitStatus
from pipeline.core.values import as_number, is_blank, is_number, tidy
from pipeline.district.table import (
    Across,
    Average,
    Col,
    CountNumbers,
    CountOf,
    Sum,
    Table,
    Total,
    Weighted,
)
from pipeline.district.tables import (
    CriteriaSummary,
    District,
    FundsSummary,
    OcopSummary,
    RecognitionSummary,
)
from pipeline.excel.fast_sheet import (
    CellWriter,
    FormulaSheet,
    formula_template,
    formula_writer,
    value_writer,
)
from pipeline.excel.sheet_layout import (
    PRINT_WIDTH_PX,
    line_chars,
    set_page,
    text_height,
    write_banner,
    write_heading,
    write_signature,
    write_title,
)
from pipeline.excel.styles import GROUP_FILL, HEADER_FILL, NUM_FORMATS, Styles
from pipeline.result import RunResult
from pipeline.text.names import strip_unit_prefix
from pipeline.text.numbers import vn_number

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False}
#: Widths of the two columns every table starts with.
STT_WIDTH, LABEL_WIDTH = 5, 22
#: First row of the first table (under the heading, title and ĐVT lines of ``sheet_layout``).
TABLE_TOP = 7
STATE_COLOR = "#C00000"
STATUS_FILLS = {UnitStatus.MISSING: "#F4CCCC", UnitStatus.ERROR: "#FFC7CE", UnitStatus.WARN: "#FFEB9C"}
CHART_HEIGHT = 320
#: Printed body text at least 9 pt: the 11 pt notes need 82 %. A table that would print smaller on
#: one page wide is split into pages at this scale instead (STT and unit columns on each).
MIN_PRINT_SCALE = 85
#: Axis and label font of the charts: 11 pt prints at 9 pt or more at MIN_PRINT_SCALE.
CHART_FONT = {"name": "Times New Roman", "size": 11}
#: How much wider LibreOffice draws columns than ``_px`` estimates (measured on its PDF output).
LIBREOFFICE_WIDTH = 1.36
#: Pixels of the default row height (15.75 pt), to reserve rows for a chart in the print area.
ROW_PX = 21
DEFAULT_ROW_PT = 15.75
#: Characters of wrapped Times New Roman text per unit of column width (row heights).
CHARS_PER_WIDTH = 1.15


def write_summary(result: RunResult, district: District, path: Path) -> Path:
    """Write the district summary (the tables of ``district``, built from ``result``) to ``path``."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    page = _Page(result, Styles(book))
    book.set_properties({
        "title": f"Tổng hợp báo cáo NTM {result.period.label}",
        "subject": result.settings.registry.name,
        "author": result.settings.office,
        "company": result.settings.authority,
        # The only part of the file that changes between two runs on the same input.
        "created": _created(result),
    })
    _write_status(book, page, district.status)                   # TH00
    for summary in district.criteria:                             # TH01, TH02
        _write_criteria(book, page, summary)
    if district.recognition is not None:                          # TH10
        _write_recognition(book, page, district.recognition)
    _write_table_sheet(book, page, district.villages)             # TH03
    _write_funds(book, page, district.funds)                      # TH04
    _write_table_sheet(book, page, district.disbursement,         # TH05
                       district.disbursement_components)
    _write_table_sheet(book, page, district.debt)                 # TH06
    _write_ocop(book, page, district.ocop)                        # TH07
    _write_table_sheet(book, page, district.indicators)           # TH08
    if district.indicator_comparison is not None:                 # TH08b
        _write_table_sheet(book, page, district.indicator_comparison)
    _write_table_sheet(book, page, district.components)           # TH09
    if district.narrative is not None:                            # TH11
        _write_table_sheet(book, page, district.narrative)
    if district.targets is not None:                              # TH12
        _write_table_sheet(book, page, district.targets)
    if district.trend is not None:                                # Xu hướng (kho lưu trữ)
        _write_trend(book, page, district.trend, district.comparison)
    _write_details(book, page, district.details)                  # Dữ liệu chi tiết
    book.close()
    return Path(path)


def _add_sheet(book: Workbook, name: str) -> Worksheet:
    return book.add_worksheet(name, worksheet_class=FormulaSheet)


def _created(result: RunResult) -> datetime:
    started = getattr(result, "started", None)
    return started if isinstance(started, datetime) else datetime.now().replace(microsecond=0)


# Sheets (one function each)


def _write_status(book: Workbook, page: _Page, table: Table) -> None:
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table)
    col = placed.col["tinh_trang"]
    for status, fill in STATUS_FILLS.items():
        ws.conditional_format(placed.first, col, placed.last, col, {
            "type": "cell", "criteria": "==", "value": f'"{status}"',
            "format": page.styles.get(bg_color=fill)})
    page.close_sheet(ws, placed, placed.end + 1)


def _write_criteria(book: Workbook, page: _Page, summary: CriteriaSummary) -> None:
    table = summary.table
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table)
    row = _write_bands(ws, page, summary, placed, placed.end + 1)
    row = _write_lines(ws, page, row, "XÃ CÓ TIÊU CHÍ KHÔNG CÒN ĐẠT SO VỚI 31/12 NĂM TRƯỚC",
                       summary.lost or ["Không có."], placed.widths)
    chart = book.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Số tiêu chí đạt",
        "categories": [ws.name, placed.first, 1, placed.last, 1],
        "values": [ws.name, placed.first, placed.col[summary.count_key], placed.last,
                   placed.col[summary.count_key]],
        "data_labels": {"value": True, "font": CHART_FONT},
        "fill": {"color": "#4F81BD"},
    })
    chart.set_title({"name": f"Số tiêu chí đạt của từng xã ({page.period_label})",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_y_axis({"reverse": True, "num_font": CHART_FONT})
    chart.set_x_axis({"min": 0, "max": summary.criteria, "major_unit": 1,
                      "num_font": CHART_FONT})
    chart.set_legend({"none": True})
    page.close_sheet(ws, placed, row, chart, max(CHART_HEIGHT, 26 * len(table.rows) + 90))


def _write_lines(ws: Worksheet, page: _Page, row: int, heading: str, lines: Sequence[str],
                 widths: Sequence[float]) -> int:
    """A bold heading and one wrapped line per item, on the first printed page's columns."""
    first, last = page.text_first, min(len(widths) - 1, page.text_last)
    _box(ws, row, first, row, last, heading, page.styles.get(bold=True))
    for i, line in enumerate(lines, start=1):
        _box(ws, row + i, first, row + i, last, f"- {line}", page.styles.get(text_wrap=True))
        ws.set_row(row + i, _height([(line, sum(widths[first:last + 1]))]))
    return row + len(lines) + 2


def _write_bands(ws: Worksheet, page: _Page, summary: CriteriaSummary, placed: _Placed,
                 row: int) -> int:
    """Communes per band: a live COUNTIF over the band column, and the names."""
    styles, last = page.styles, min(placed.last_col, page.text_last)
    band_col = placed.col[summary.band_key]
    rng = _range(placed.first, placed.last, band_col)
    _box(ws, row, 0, row, last, "PHÂN LOẠI XÃ THEO SỐ TIÊU CHÍ ĐẠT", styles.get(bold=True))
    heads = ((0, 1, "Nhóm"), (2, 3, "Số xã"), (4, last, "Tên xã"))
    for c0, c1, text in heads:
        _box(ws, row + 1, c0, row + 1, c1, text, styles.header())
    r = row + 2
    for label, count, names in summary.bands:
        _box(ws, r, 0, r, 1, label, styles.cell(style="total"))
        _box(ws, r, 2, r, 3, "", styles.cell(kind="int"))
        ws.write_formula(r, 2, f'=COUNTIF({rng},"{label}")', styles.cell(kind="int"), count)
        _box(ws, r, 4, r, last, names, styles.cell(wrap=True))
        ws.set_row(r, _height([(names, page.span_width(placed, 4, last))]))
        r += 1
    _box(ws, r, 0, r, 1, "Cộng", page.footer_label())
    _box(ws, r, 2, r, 3, "", page.footer("int"))
    ws.write_formula(r, 2, f"=SUM({_range(row + 2, r - 1, 2)})", page.footer("int"),
                     sum(count for _l, count, _n in summary.bands))
    _box(ws, r, 4, r, last, "", page.footer("text"))
    return r + 2


def _write_recognition(book: Workbook, page: _Page, summary: RecognitionSummary) -> None:
    """TH10: the table, then per level the communes recognised (live COUNT) and those proposed."""
    table = summary.table
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table)
    styles, last = page.styles, min(placed.last_col, page.text_last)
    row = placed.end + 1
    _box(ws, row, 0, row, last, "TỔNG HỢP THEO MỨC ĐẠT CHUẨN", styles.get(bold=True))
    split = max(4, (last + 4) // 2)
    heads = ((0, 1, "Mức đạt chuẩn"), (2, 2, "Số xã"), (3, split - 1, "Tên xã đã được công nhận"),
             (split, last, f"Đề nghị công nhận năm {vn_number(summary.year, group=False)}"))
    for c0, c1, text in heads:
        _box(ws, row + 1, c0, row + 1, c1, text, styles.header())
    ws.set_row(row + 1, 36)
    r = row + 2
    for (label, count, names, proposed), key in zip(summary.levels, summary.year_keys):
        _box(ws, r, 0, r, 1, label, styles.cell(style="total"))
        ws.write_formula(r, 2, f"=COUNT({_range(placed.first, placed.last, placed.col[key])})",
                         styles.cell(kind="int"), count)
        _box(ws, r, 3, r, split - 1, names, styles.cell(wrap=True))
        _box(ws, r, split, r, last, proposed, styles.cell(wrap=True))
        ws.set_row(r, _height([(names, page.span_width(placed, 3, split - 1)),
                               (proposed, page.span_width(placed, split, last))]))
        r += 1
    page.close_sheet(ws, placed, r + 1)


def _write_table_sheet(book: Workbook, page: _Page, table: Table, *more: Table | None) -> None:
    """A sheet holding one table, and the tables ``more`` under it (TH03, TH05, TH06, TH08 …)."""
    ws = _add_sheet(book, table.sheet)
    present = tuple(t for t in more if t is not None)
    placed = page.open_sheet(ws, table, widths_from=present)
    end = placed.end
    for other in present:
        end = _draw_table(ws, page, other, end + 1, autofilter=False).end
    page.close_sheet(ws, placed, end + 1)


def _write_funds(book: Workbook, page: _Page, funds: FundsSummary) -> None:
    first, *more = funds.tables
    ws = _add_sheet(book, first.sheet)
    placed = page.open_sheet(ws, first)
    blocks = [placed]
    for table in more:
        blocks.append(_draw_table(ws, page, table, blocks[-1].end + 1, autofilter=False))
    row, source_rows = _write_sources(ws, page, funds, blocks, blocks[-1].end + 1)
    if funds.plan is not None:
        row = _draw_table(ws, page, funds.plan, row, autofilter=False).end + 1
    chart = book.add_chart({"type": "column"})
    chart.add_series({
        "name": funds.titles[0],
        "categories": [ws.name, source_rows[0], 0, source_rows[1], 0],
        "values": [ws.name, source_rows[0], 2, source_rows[1], 2],
        "data_labels": {"value": True, "num_format": "#,##0", "font": CHART_FONT},
        "fill": {"color": "#4F81BD"},
    })
    chart.set_title({"name": f"Vốn huy động theo nguồn ({page.period_label}, triệu đồng)",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_x_axis({"num_font": CHART_FONT})
    chart.set_y_axis({"num_format": "#,##0", "num_font": CHART_FONT})
    chart.set_legend({"none": True})
    page.close_sheet(ws, placed, row, chart, CHART_HEIGHT)


def _write_sources(ws: Worksheet, page: _Page, funds: FundsSummary, blocks: list[_Placed],
                   row: int) -> tuple[int, tuple[int, int]]:
    """Funds by top-level source with shares: live sums of the footers of each block."""
    styles = page.styles
    _box(ws, row, 0, row, min(blocks[0].last_col, page.text_last), "C. CƠ CẤU NGUỒN VỐN HUY ĐỘNG",
         styles.get(bold=True))
    _box(ws, row + 1, 0, row + 1, 1, "Nguồn vốn", styles.header())
    for i, what in enumerate(funds.titles):
        ws.write_string(row + 1, 2 + 2 * i, what, styles.header())
        ws.write_string(row + 1, 3 + 2 * i, "Tỷ trọng (%)", styles.header())
    ws.set_row(row + 1, 36)
    lines = [*funds.sources, ("Tổng số", (funds.total_key,))]
    first = row + 2
    total_row = first + len(lines) - 1
    for j, (label, keys) in enumerate(lines):
        r = first + j
        is_total = r == total_row
        _box(ws, r, 0, r, 1, label, page.footer_label() if is_total else styles.cell(style="total"))
        for i, (table, block) in enumerate(zip(funds.tables, blocks)):
            cells = ",".join(xl_rowcol_to_cell(block.footers[0], block.col[k]) for k in keys)
            value = sum(as_number(table.footer_values[0].get(k)) for k in keys)
            total = as_number(table.footer_values[0].get(funds.total_key))
            fmt = page.footer("money") if is_total else styles.cell(kind="money")
            pct = page.footer("percent") if is_total else styles.cell(kind="percent")
            own, tot = xl_rowcol_to_cell(r, 2 + 2 * i), xl_rowcol_to_cell(total_row, 2 + 2 * i)
            ws.write_formula(r, 2 + 2 * i, f"=SUM({cells})", fmt, tidy(value, None))
            ws.write_formula(r, 3 + 2 * i, f'=IF(N({tot})=0,"",ROUND(N({own})/{tot}*100,1))', pct,
                             tidy(round(value / total * 100 + 1e-9, 1), None) if total else "")
    return total_row + 2, (first, total_row - 1)


def _write_ocop(book: Workbook, page: _Page, ocop: OcopSummary) -> None:
    ws = _add_sheet(book, ocop.stars.sheet)
    placed = page.open_sheet(ws, ocop.stars, widths_from=(ocop.stars, ocop.products))
    products = _draw_table(ws, page, ocop.products, placed.end + 1, autofilter=False)
    if products.last >= products.first:
        _count_products(ws, page, ocop, placed, products)
    chart = book.add_chart({"type": "column"})
    keys = list(ocop.star_of)
    chart.add_series({
        "name": "Số sản phẩm OCOP",
        "categories": [ws.name, placed.header_end, placed.col[keys[0]], placed.header_end,
                       placed.col[keys[-1]]],
        "values": [ws.name, placed.footers[0], placed.col[keys[0]], placed.footers[0],
                   placed.col[keys[-1]]],
        "data_labels": {"value": True, "font": CHART_FONT},
        "fill": {"color": "#C0504D"},
    })
    chart.set_title({"name": f"Sản phẩm OCOP theo hạng sao ({page.period_label})",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_x_axis({"num_font": CHART_FONT})
    chart.set_y_axis({"min": 0, "num_font": CHART_FONT})
    chart.set_legend({"none": True})
    page.close_sheet(ws, placed, products.end + 1, chart, CHART_HEIGHT)


def _count_products(ws: Worksheet, page: _Page, ocop: OcopSummary, stars: _Placed,
                    products: _Placed) -> None:
    """Turn the xã × stars counts into live COUNTIFS over the product list below them."""
    codes = _abs_range(products.first, products.last, products.col[ocop.code_key])
    marks = _abs_range(products.first, products.last, products.col[ocop.star_key])
    fmt = page.styles.cell(kind="int")
    rows = ocop.stars.rows
    states = rows["state"].to_numpy(dtype=object)
    for key, star in ocop.star_of.items():
        counts = rows[key].to_numpy(dtype=object)
        for unit, state, count, r in zip(rows.index, states, counts, stars.rows):
            if not state:
                ws.write_formula(r, stars.col[key], f'=COUNTIFS({codes},"{unit}",{marks},{star})',
                                 fmt, count)


def _write_trend(book: Workbook, page: _Page, table: Table, comparison: Table | None) -> None:
    """Key figures over the archived periods, with a line chart of the average criteria met; then
    PB08 compared with the same period last year and the previous period."""
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table, widths_from=[comparison] if comparison else ())
    end = placed.end
    if comparison is not None:
        end = _draw_table(ws, page, comparison, end + 1, autofilter=False).end
    chart = book.add_chart({"type": "line"})
    for key, color in (("tb_tieu_chi", "#4F81BD"),):
        chart.add_series({
            "name": table.column(key).title,
            "categories": [ws.name, placed.first, 1, placed.last, 1],
            "values": [ws.name, placed.first, placed.col[key], placed.last, placed.col[key]],
            "data_labels": {"value": True, "num_format": "#,##0.0"},
            "marker": {"type": "circle"}, "line": {"color": color},
        })
    chart.set_title({"name": "Bình quân số tiêu chí NTM đạt/xã qua các kỳ",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_x_axis({"num_font": {"name": "Times New Roman", "size": 9}})
    chart.set_y_axis({"num_font": {"name": "Times New Roman", "size": 9}})
    chart.set_legend({"none": True})
    page.close_sheet(ws, placed, end + 1, chart, CHART_HEIGHT)


def _write_details(book: Workbook, page: _Page, table: Table) -> None:
    """The trace of every value, for the district's own checks on screen: not printed."""
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table)
    # Printing the workbook prints the official tables: of this sheet only its title and note.
    set_page(ws, len(placed.widths) - 1, placed.top - 1, (placed.top, placed.header_end))


# The page: heading, signature, charts


class _Page:
    """What every sheet shares: styles, the office's texts, and the sheet frame around tables."""

    def __init__(self, result: RunResult, styles: Styles) -> None:
        self.result = result
        self.settings = result.settings
        self.styles = styles
        self.period_label = result.period.label
        #: Per sheet (set by ``open_sheet``): printed page breaks, and the last column of the first
        #: printed page, which the heading, title, notes and signature stay within.
        self.breaks: list[int] = []
        self.text_last = 10**6
        self.text_first = 0

    def widths(self, table: Table) -> list[float]:
        return [STT_WIDTH, LABEL_WIDTH, *(c.width for c in table.columns)]

    def open_sheet(self, ws: Worksheet, table: Table,
                   widths_from: Sequence[Table] = ()) -> _Placed:
        """Heading, title and the main table (frozen, filtered); returns where it landed."""
        widths = self.widths(table)
        for other in widths_from:
            more = self.widths(other)
            widths = [max(a, b) for a, b in zip(widths, more)] + more[len(widths):]
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        self.breaks = column_breaks(widths, [(), ()] + [c.groups for c in table.columns])
        # Heading, title and texts stay on the first printed page's columns.
        self.text_last = (self.breaks[0] if self.breaks else len(widths)) - 1
        # Split across pages, the STT and unit columns repeat on each: texts keep off them, or
        # every later page would print a clipped piece of each.
        self.text_first = 2 if self.breaks else 0
        first_page = widths[:self.text_last + 1]
        write_heading(ws, self.styles, first_page, self.settings.authority, self.settings.office,
                      balanced=True, first=self.text_first)
        if self.result.used_samples:
            write_banner(ws, self.styles, self.text_last, SAMPLE_BANNER, first=self.text_first)
        title = f"Biểu {table.code}: {table.title}" if table.code else table.title
        write_title(ws, self.styles, first_page, f"{title} {self.period_label.upper()}",
                    self.annex_line, table.note, table.unit_note, balanced=True,
                    first=self.text_first)
        placed = _draw_table(ws, self, table, TABLE_TOP, autofilter=True)
        ws.freeze_panes(placed.first, 2)
        placed.widths = widths
        return placed

    @property
    def annex_line(self) -> str:
        """The line under the title, with room for the number and date of the report it goes with."""
        year = vn_number(self.result.period.year, group=False)
        return (f"(Kèm theo Báo cáo số ........../BC-........ ngày ....../....../{year} của "
                f"UBND {self.registry_name})")

    @property
    def registry_name(self) -> str:
        """"huyện Thường Xuân": the registry's name as it reads inside a sentence."""
        name = self.settings.registry.name
        return name[:1].lower() + name[1:]

    def close_sheet(self, ws: Worksheet, placed: _Placed, row: int, chart=None,
                    chart_height: int = CHART_HEIGHT) -> None:
        """Signature block, then the chart (if any) below it, and the print set-up down to both."""
        s = self.settings
        place = strip_unit_prefix(s.registry.name)
        year = vn_number(self.result.period.year, group=False)
        first_page = placed.widths[:self.text_last + 1]
        end = write_signature(
            ws, self.styles, first_page, row,
            left=(("NGƯỜI LẬP BIỂU", "bold"), ("(Ký, ghi rõ họ tên)", "italic"), ("", "plain"),
                  ("", "plain"), ("", "plain"), (s.preparer, "bold")),
            right=((s.signer_title, "bold"), ("(Ký, ghi rõ họ tên)", "italic"), ("", "plain"),
                   ("", "plain"), ("", "plain"), (s.signer_name, "bold")),
            date_line=f"{place}, ngày ..... tháng ..... năm {year}", balanced=True,
            first=self.text_first,
        )
        last = end
        if chart is not None:  # below the signature, inside the print area
            width = int(sum(_px(w) for w in first_page) * 0.98)
            chart.set_size({"width": min(width, 1100), "height": chart_height})
            chart.set_chartarea({"border": {"color": "#BFBFBF"}})
            ws.insert_chart(end + 1, 0, chart, {"x_offset": 4, "y_offset": 4,
                                                "object_position": 1})
            last = end + 2 + math.ceil(chart_height / ROW_PX)
        set_page(ws, len(placed.widths) - 1, last, (placed.top, placed.header_end),
                 column_breaks=self.breaks, scale=MIN_PRINT_SCALE)

    def span_width(self, placed: _Placed, first: int, last: int) -> float:
        return sum(placed.widths[first:last + 1])

    # Formats

    def footer(self, kind: str):
        props = {"border": 1, "bold": True, "bg_color": GROUP_FILL}
        if kind in NUM_FORMATS:
            props["num_format"] = NUM_FORMATS[kind]
        if kind in ("choice", "text"):
            props["align"] = "center"
        return self.styles.get(**props)

    def footer_label(self):
        return self.styles.get(border=1, bold=True, bg_color=GROUP_FILL, align="center",
                               text_wrap=True)

    def state(self):
        return self.styles.get(border=1, italic=True, align="center", font_color=STATE_COLOR)

    def mark(self):
        return self.styles.get(border=1, align="center", font_color=STATE_COLOR)

    def data(self, col: Col):
        return self.styles.cell(kind=col.kind, wrap=col.wrap)

    def header(self, rotate: bool = False):
        if rotate:
            return self.styles.get(bold=True, align="center", text_wrap=True, border=1,
                                   bg_color=HEADER_FILL, rotation=90)
        return self.styles.header()

    def section(self):
        return self.styles.get(bold=True, border=1, bg_color=GROUP_FILL, text_wrap=True)


def column_breaks(widths: Sequence[float], groups: Sequence[tuple[str, ...]]) -> list[int]:
    """First columns of the later printed pages, or [] when the sheet fits one page wide at
    ``MIN_PRINT_SCALE`` or more. Pages break at a header band's edge where that wastes less than
    half a page; the first two columns (STT, unit) repeat on each page."""
    px = [_px(w) for w in widths]
    groups = list(groups) + [()] * (len(px) - len(groups))  # columns of a second, wider table
    # LibreOffice draws a column about 1.35 times as wide as xlsxwriter's pixel estimate (its
    # default-font metrics): plan for the wider of the two, so neither adds a break of its own.
    capacity = PRINT_WIDTH_PX * 100 / MIN_PRINT_SCALE / LIBREOFFICE_WIDTH
    if sum(px) <= capacity:
        return []
    breaks, start, used, edge = [], 2, sum(px[:2]), None
    for i in range(2, len(px)):
        if i > start and groups[i] != groups[i - 1]:
            edge = i
        if used + px[i] > capacity and i > start:
            cut = edge if edge is not None and sum(px[start:edge]) >= capacity / 2 else i
            breaks.append(cut)
            start, used, edge = cut, sum(px[:2]) + sum(px[cut:i]), None
        used += px[i]
    return breaks


# Drawing one table


@dataclass
class _Placed:
    """Where a table landed: header rows, data rows, footer rows, column of each key."""

    top: int
    header_end: int
    first: int
    last: int
    col: dict[str, int]
    last_col: int
    rows: list[int] = field(default_factory=list)
    footers: list[int] = field(default_factory=list)
    end: int = 0
    widths: list[float] = field(default_factory=list)


def _draw_table(ws: Worksheet, page: _Page, table: Table, top: int, *, autofilter: bool) -> _Placed:
    """Caption, merged headers, a row per unit (or the unit's state across it), footers, notes."""
    col = {c.key: 2 + i for i, c in enumerate(table.columns)}
    last_col = 1 + len(table.columns)
    if table.caption:
        _box(ws, top, page.text_first, top, min(last_col, page.text_last), table.caption,
             page.styles.get(bold=True))
        top += 1
    header_end = _draw_header(ws, page, table, top)
    placed = _Placed(top, header_end, header_end + 1, header_end, col, last_col)
    placed.widths = page.widths(table)
    r = _draw_rows(ws, page, table, placed)
    placed.last = r - 1
    if not placed.rows:
        _box(ws, r, 0, r, last_col, "Không có số liệu", page.state())
        r += 1
    for i, _footer in enumerate(table.footers):
        _draw_footer(ws, page, table, placed, r, i)
        placed.footers.append(r)
        r += 1
    if autofilter and placed.rows:
        ws.autofilter(header_end, 0, placed.last, last_col)
    text_last = min(last_col, page.text_last)
    for note in table.notes:
        _box(ws, r, page.text_first, r, text_last, note, page.styles.get(italic=True, font_size=11,
                                                            text_wrap=True, valign="top"))
        ws.set_row(r, _height([(note, sum(placed.widths[:text_last + 1]))]))
        r += 1
    placed.end = r
    return placed


def _draw_header(ws: Worksheet, page: _Page, table: Table, top: int) -> int:
    """Multi-row header: equal neighbouring bands merge across, titles merge down to the bottom."""
    cols = table.columns
    depth = 1 + max((len(c.groups) for c in cols), default=0)
    bottom = top + depth - 1
    fmt = page.header()
    _box(ws, top, 0, bottom, 0, "STT", fmt)
    _box(ws, top, 1, bottom, 1, table.label_title, fmt)
    heights = [DEFAULT_ROW_PT + 4] * depth
    for level in range(depth):
        i = 0
        while i < len(cols):
            c = cols[i]
            if level < len(c.groups):
                j = i
                while (j + 1 < len(cols) and len(cols[j + 1].groups) > level
                       and cols[j + 1].groups[:level + 1] == c.groups[:level + 1]):
                    j += 1
                _box(ws, top + level, 2 + i, top + level, 2 + j, c.groups[level], fmt)
                width = sum(x.width for x in cols[i:j + 1])
                heights[level] = max(heights[level], _height([(c.groups[level], width)]) + 4)
                i = j + 1
                continue
            if level == len(c.groups):
                _box(ws, top + level, 2 + i, bottom, 2 + i, c.title, page.header(c.rotate))
                need = _rotated_height(c) if c.rotate else _height([(c.title, c.width)]) + 4
                share = need - sum(heights[level:depth - 1])
                heights[depth - 1] = max(heights[depth - 1], share)
            i += 1
    for level, height in enumerate(heights):
        ws.set_row(top + level, min(height, 409))
    return bottom


def _rotated_height(col: Col) -> float:
    """Height of a header rotated 90°: its text in as many lines as the column width allows."""
    lines = max(1, int(_px(col.width) // 17))
    return min(409, math.ceil(len(col.title) / lines) * 6.4 + 12)


def _draw_rows(ws: Worksheet, page: _Page, table: Table, placed: _Placed) -> int:
    """A row per line of ``table.rows``: STT, the unit, then its cells or its state across."""
    rows = table.rows
    labels = rows["label"].to_numpy(dtype=object)
    states = rows["state"].to_numpy(dtype=object)
    sections = rows["section"].to_numpy(dtype=object) if "section" in rows else None
    writers = [_column_writer(ws, page, placed, c, rows[c.key].to_numpy(dtype=object))
               for c in table.columns]
    # Wrapped texts, and the rows where one of them is longer than a line (a taller row).
    wrapped = [(rows[c.key].to_numpy(dtype=object), c.width) for c in table.columns if c.wrap]
    wrapped.append((labels, LABEL_WIDTH))
    tall = np.zeros(len(rows), dtype=bool)
    for values, width in wrapped:
        fit = _one_line(width)
        tall |= np.fromiter((isinstance(t, str) and (len(t) > fit or "\n" in t) for t in values),
                            dtype=bool, count=len(values))
    stt, label_fmt, state_fmt = page.styles.cell(kind="int"), page.styles.cell(wrap=True), page.state()
    r, current, number = placed.first, object(), 0
    for i in range(len(rows)):
        if sections is not None and sections[i] != current:
            current, number = sections[i], 0
            _draw_section(ws, page, table, placed, r, current)
            r += 1
        number += 1
        ws.write_number(r, 0, number, stt)
        ws.write_string(r, 1, str(labels[i]), label_fmt)
        placed.rows.append(r)
        if states[i]:
            _box(ws, r, 2, r, placed.last_col, states[i], state_fmt)
        else:
            for write in writers:
                write(r, i)
            if tall[i]:
                height = _height([(values[i], width) for values, width in wrapped])
                if height > DEFAULT_ROW_PT:
                    ws.set_row(r, height)
        r += 1
    return r


def _column_writer(ws: Worksheet, page: _Page, placed: _Placed, c: Col, values) -> CellWriter:
    """How the cells of column ``c`` are written: a live formula, or the value with its format."""
    j = placed.col[c.key]
    if c.formula is not None:
        return formula_writer(ws, j, formula_template(c.formula, placed.col), values, page.data(c),
                              _cached)
    date_fmt = page.data(c) if c.kind == "date" else page.styles.cell(kind="date")
    return value_writer(ws, j, values, page.data(c), page.mark(), date_fmt)


def _draw_section(ws: Worksheet, page: _Page, table: Table, placed: _Placed, r: int,
                  name: str) -> None:
    """A band row naming the section, with its subtotals (SUBTOTAL skips the other bands)."""
    totals = table.section_totals
    text_end = min([placed.col[k] for k in totals] or [placed.last_col + 1]) - 1
    _box(ws, r, 0, r, text_end, name, page.section())
    ws.set_row(r, _height([(name, sum(placed.widths[:text_end + 1]))]))
    count = int((table.rows["section"] == name).sum())
    for c in table.columns:
        j = placed.col[c.key]
        if c.key in totals:
            rng = _range(r + 1, r + count, j)
            ws.write_formula(r, j, totals[c.key].excel(partial(_same, rng), _no_footer_cell), page.footer(c.kind),
                             _cached(table.section_values[name].get(c.key)))
        elif j > text_end:
            ws.write_blank(r, j, None, page.footer("text"))


def _draw_footer(ws: Worksheet, page: _Page, table: Table, placed: _Placed, r: int,
                 index: int) -> None:
    footer = table.footers[index]
    _box(ws, r, 0, r, 1, footer.label, page.footer_label())
    first, last = placed.first, placed.last

    def rng(key: str | None, own: str) -> str:
        return _range(first, last, placed.col[key or own])

    def cell(key: str | None, i: int, own: str) -> str:
        return xl_rowcol_to_cell(placed.footers[i] if i < index else r, placed.col[key or own])

    for c in table.columns:
        j = placed.col[c.key]
        total = footer.totals.get(c.key)
        if total is None:
            ws.write_blank(r, j, None, page.footer("text"))
            continue
        text = total.excel(partial(rng, own=c.key), partial(cell, own=c.key))
        ws.write_formula(r, j, text, page.footer(_total_kind(total, c)),
                         _cached(table.footer_values[index].get(c.key)))


def _total_kind(total: Total, col: Col) -> str:
    if isinstance(total, (CountOf, CountNumbers)):
        return "int"
    if isinstance(total, Average):
        return "number"
    if isinstance(total, Across):
        return total.formula.kind
    if isinstance(total, (Sum, Weighted)) and col.kind in NUM_FORMATS:
        return col.kind
    return "int"


# Cells


def _cached(value: object) -> object:
    """The value stored with a formula: numbers and text as they are, nothing as ""."""
    if is_number(value):
        return tidy(float(value), None)
    return "" if is_blank(value) else str(value)


def _box(ws: Worksheet, r0: int, c0: int, r1: int, c1: int, text: str, fmt) -> None:
    """Text over a block of cells; a single cell is written, not merged."""
    if (r0, c0) == (r1, c1):
        ws.write_string(r0, c0, text, fmt)
    else:
        ws.merge_range(r0, c0, r1, c1, text, fmt)


def _range(first: int, last: int, col: int) -> str:
    return f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"


def _abs_range(first: int, last: int, col: int) -> str:
    name = xl_col_to_name(col)
    return f"${name}${first + 1}:${name}${last + 1}"


def _height(texts, max_lines: int = 24) -> float:
    """Row height for wrapped Times New Roman text (narrower than the font widths are measured in)."""
    return text_height(texts, max_lines, chars_per_width=CHARS_PER_WIDTH, line_height=15.5)


def _one_line(width: float) -> int:
    """The longest text ``_height`` keeps on one line (the default height) in a column ``width``."""
    return line_chars(width, CHARS_PER_WIDTH)


def _px(width: float) -> int:
    """Pixels of a column of ``width`` characters (Excel's default font, as xlsxwriter sizes it)."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def _same(value: str, _key: str | None) -> str:
    return value


def _no_footer_cell(_key: str | None, _i: int) -> str:
    raise AssertionError("a section total refers to no footer")

