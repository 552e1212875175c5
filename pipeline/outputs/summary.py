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

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.district.tables import (
    CriteriaSummary, District, FundsSummary, OcopSummary,
)
from pipeline.district.table import (
    Across, Average, Col, CountOf, Sum, Table, Total, Weighted, is_blank, is_number,
)
from pipeline.excel.fast_sheet import (
    CellWriter, FormulaSheet, formula_template, formula_writer, value_writer,
)
from pipeline.result import RunResult
from pipeline.excel.sheet_layout import (
    BLANK_DATE, line_chars, set_page, text_height, write_heading, write_signature, write_title,
)
from pipeline.excel.styles import GROUP_FILL, HEADER_FILL, NUM_FORMATS, Styles
from pipeline.text.names import strip_unit_prefix
from pipeline.core.states import UnitStatus

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False}
#: Widths of the two columns every table starts with.
STT_WIDTH, LABEL_WIDTH = 5, 22
#: First row of the first table (under the heading, title and ĐVT lines of ``sheet_layout``).
TABLE_TOP = 7
STATE_COLOR = "#C00000"
STATUS_FILLS = {UnitStatus.MISSING: "#F4CCCC", UnitStatus.ERROR: "#FFC7CE", UnitStatus.WARN: "#FFEB9C"}
CHART_HEIGHT = 320
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
    _write_table_sheet(book, page, district.villages)             # TH03
    _write_funds(book, page, district.funds)                      # TH04
    _write_table_sheet(book, page, district.disbursement)         # TH05
    _write_table_sheet(book, page, district.debt)                 # TH06
    _write_ocop(book, page, district.ocop)                        # TH07
    _write_table_sheet(book, page, district.indicators)           # TH08
    _write_table_sheet(book, page, district.components)           # TH09
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
    chart = book.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Số tiêu chí đạt",
        "categories": [ws.name, placed.first, 1, placed.last, 1],
        "values": [ws.name, placed.first, placed.col[summary.count_key], placed.last,
                   placed.col[summary.count_key]],
        "data_labels": {"value": True},
        "fill": {"color": "#4F81BD"},
    })
    chart.set_title({"name": f"Số tiêu chí đạt của từng xã ({page.period_label})",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": "Times New Roman", "size": 9}})
    chart.set_x_axis({"min": 0, "max": summary.criteria, "major_unit": 1,
                      "num_font": {"name": "Times New Roman", "size": 9}})
    chart.set_legend({"none": True})
    page.close_sheet(ws, placed, row, chart, max(CHART_HEIGHT, 26 * len(table.rows) + 90))


def _write_bands(ws: Worksheet, page: _Page, summary: CriteriaSummary, placed: _Placed,
                 row: int) -> int:
    """Communes per band: a live COUNTIF over the band column, and the names."""
    styles, last = page.styles, placed.last_col
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


def _write_table_sheet(book: Workbook, page: _Page, table: Table) -> None:
    """A sheet holding one table and nothing else (TH03, TH05, TH06, TH08, TH09)."""
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table)
    page.close_sheet(ws, placed, placed.end + 1)


def _write_funds(book: Workbook, page: _Page, funds: FundsSummary) -> None:
    first, *more = funds.tables
    ws = _add_sheet(book, first.sheet)
    placed = page.open_sheet(ws, first)
    blocks = [placed]
    for table in more:
        blocks.append(_draw_table(ws, page, table, blocks[-1].end + 1, autofilter=False))
    row, source_rows = _write_sources(ws, page, funds, blocks, blocks[-1].end + 1)
    chart = book.add_chart({"type": "column"})
    chart.add_series({
        "name": funds.titles[0],
        "categories": [ws.name, source_rows[0], 0, source_rows[1], 0],
        "values": [ws.name, source_rows[0], 2, source_rows[1], 2],
        "data_labels": {"value": True, "num_format": "#,##0"},
        "fill": {"color": "#4F81BD"},
    })
    chart.set_title({"name": f"Vốn huy động theo nguồn ({page.period_label}, triệu đồng)",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_x_axis({"num_font": {"name": "Times New Roman", "size": 9}})
    chart.set_y_axis({"num_format": "#,##0", "num_font": {"name": "Times New Roman", "size": 9}})
    chart.set_legend({"none": True})
    page.close_sheet(ws, placed, row, chart, CHART_HEIGHT)


def _write_sources(ws: Worksheet, page: _Page, funds: FundsSummary, blocks: list[_Placed],
                   row: int) -> tuple[int, tuple[int, int]]:
    """Funds by top-level source with shares: live sums of the footers of each block."""
    styles = page.styles
    _box(ws, row, 0, row, blocks[0].last_col, "C. CƠ CẤU NGUỒN VỐN HUY ĐỘNG", styles.get(bold=True))
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
            value = sum(_number(table.footer_values[0].get(k)) for k in keys)
            total = _number(table.footer_values[0].get(funds.total_key))
            fmt = page.footer("money") if is_total else styles.cell(kind="money")
            pct = page.footer("percent") if is_total else styles.cell(kind="percent")
            own, tot = xl_rowcol_to_cell(r, 2 + 2 * i), xl_rowcol_to_cell(total_row, 2 + 2 * i)
            ws.write_formula(r, 2 + 2 * i, f"=SUM({cells})", fmt, _tidy(value))
            ws.write_formula(r, 3 + 2 * i, f'=IF(N({tot})=0,"",ROUND(N({own})/{tot}*100,1))', pct,
                             _tidy(round(value / total * 100 + 1e-9, 1)) if total else "")
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
        "data_labels": {"value": True},
        "fill": {"color": "#C0504D"},
    })
    chart.set_title({"name": f"Sản phẩm OCOP theo hạng sao ({page.period_label})",
                     "name_font": {"name": "Times New Roman", "size": 12}})
    chart.set_y_axis({"min": 0, "num_font": {"name": "Times New Roman", "size": 9}})
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
    ws = _add_sheet(book, table.sheet)
    placed = page.open_sheet(ws, table)
    set_page(ws, len(placed.widths) - 1, placed.end, (placed.top, placed.header_end))


# The page: heading, signature, charts


class _Page:
    """What every sheet shares: styles, the office's texts, and the sheet frame around tables."""

    def __init__(self, result: RunResult, styles: Styles) -> None:
        self.result = result
        self.settings = result.settings
        self.styles = styles
        self.period_label = result.period.label

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
        write_heading(ws, self.styles, widths, self.settings.authority, self.settings.office,
                      balanced=True)
        title = f"Biểu {table.code}: {table.title}" if table.code else table.title
        write_title(ws, self.styles, widths, title,
                    f"(Kèm theo Báo cáo kết quả thực hiện Chương trình MTQG xây dựng NTM "
                    f"{self.period_label})", self.coverage(table), table.unit_note, balanced=True)
        placed = _draw_table(ws, self, table, TABLE_TOP, autofilter=True)
        ws.freeze_panes(placed.first, 2)
        placed.widths = widths
        return placed

    def coverage(self, table: Table) -> str:
        registry = self.settings.registry.units
        text = f"Tổng hợp {self.used_units}/{len(registry)} đơn vị có báo cáo sử dụng được"
        return f"{table.note}. {text}" if table.note else text

    @functools.cached_property
    def used_units(self) -> int:
        """Registry units whose file is used (counted once, not once per sheet)."""
        units = self.result.units
        if units.empty:
            return 0
        codes = {r.code for r in self.settings.registry.units}
        return sum(1 for usable, code in zip(units["usable"].tolist(), units["unit_code"].tolist())
                   if usable and code in codes)

    def close_sheet(self, ws: Worksheet, placed: _Placed, row: int, chart=None,
                    chart_height: int = CHART_HEIGHT) -> None:
        """Signature block, print set-up down to it, then the chart (if any) below.

        The chart sits under the signature, outside the print area: the printout stays the
        official table, and the chart is there on screen to copy into the narrative report
        (select it to print it alone).
        """
        s = self.settings
        place = strip_unit_prefix(s.registry.name)
        end = write_signature(
            ws, self.styles, placed.widths, row,
            left=(("NGƯỜI LẬP BIỂU", "bold"), ("(Ký, ghi rõ họ tên)", "italic"), ("", "plain"),
                  ("", "plain"), ("", "plain"), (s.preparer, "bold")),
            right=((s.signer_title, "bold"), ("(Ký, ghi rõ họ tên)", "italic"), ("", "plain"),
                   ("", "plain"), ("", "plain"), (s.signer_name, "bold")),
            date_line=BLANK_DATE.replace(".......", place, 1), balanced=True,
        )
        set_page(ws, len(placed.widths) - 1, end, (placed.top, placed.header_end))
        if chart is not None:
            width = int(sum(_px(w) for w in placed.widths) * 0.98)
            chart.set_size({"width": min(width, 1100), "height": chart_height})
            chart.set_chartarea({"border": {"color": "#BFBFBF"}})
            ws.insert_chart(end + 1, 0, chart, {"x_offset": 4, "y_offset": 4,
                                                "object_position": 1})

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
                                   bg_color=HEADER_FILL, rotation=90, font_size=10)
        return self.styles.header()

    def section(self):
        return self.styles.get(bold=True, border=1, bg_color=GROUP_FILL, text_wrap=True)


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
        _box(ws, top, 0, top, last_col, table.caption, page.styles.get(bold=True))
        top += 1
    header_end = _draw_header(ws, page, table, top)
    placed = _Placed(top, header_end, header_end + 1, header_end, col, last_col)
    placed.widths = page.widths(table)
    r = _draw_rows(ws, page, table, placed)
    placed.last = r - 1
    if not placed.rows:
        _box(ws, r, 0, r, last_col, "Không có số liệu", page.state())
        r += 1
    for i, footer in enumerate(table.footers):
        _draw_footer(ws, page, table, placed, r, i)
        placed.footers.append(r)
        r += 1
    if autofilter and placed.rows:
        ws.autofilter(header_end, 0, placed.last, last_col)
    for note in table.notes:
        _box(ws, r, 0, r, last_col, note, page.styles.get(italic=True, font_size=11,
                                                           text_wrap=True, valign="top"))
        ws.set_row(r, _height([(note, sum(placed.widths))]))
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
    lines = max(1, int(_px(col.width) // 14))
    return min(409, math.ceil(len(col.title) / lines) * 5.2 + 12)


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
            ws.write_formula(r, j, totals[c.key].excel(lambda _k: rng, None), page.footer(c.kind),
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
        text = total.excel(lambda k, own=c.key: rng(k, own), lambda k, i, own=c.key: cell(k, i, own))
        ws.write_formula(r, j, text, page.footer(_total_kind(total, c)),
                         _cached(table.footer_values[index].get(c.key)))


def _total_kind(total: Total, col: Col) -> str:
    if isinstance(total, CountOf):
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
        return _tidy(float(value))
    return "" if is_blank(value) else str(value)


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _number(value: object) -> float:
    return float(value) if is_number(value) else 0.0


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
