"""The official page furniture shared by every workbook we draw: heading blocks, title, signature, print.

A Vietnamese administrative table carries the issuing body on the left and the quốc hiệu / tiêu ngữ on
the right, a centred title, a signature block under the table, and prints A4 landscape one page wide
with its header rows repeated. The commune template (``template.py``) and the district summary
(``write_summary.py``) both draw it from here; each passes its own texts and column widths.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from xlsxwriter.worksheet import Worksheet

from pipeline.excel.styles import Styles

#: (first column, last column), both inclusive.
Span = tuple[int, int]
#: One line of a signature block: its text and how it is set ("" lines are left blank).
Line = tuple[str, Literal["bold", "italic", "plain"]]

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: Date line of a signature block, left for the signer to fill in by hand.
BLANK_DATE = "......., ngày ..... tháng ..... năm ........"
#: Points per wrapped line of 12 pt Times New Roman.
LINE_HEIGHT = 16.5
#: Share of the total width given to the left heading block.
LEFT_SHARE = 0.45
PAGE_FOOTER = "&C&\"Times New Roman\"&12Trang &P/&N"


def _shifted(widths: Sequence[float], balanced: bool, first: int) -> tuple[Span, Span]:
    """``spans`` of the columns from ``first`` on (a sheet whose first columns repeat on every
    printed page keeps its heading off them)."""
    (a, b), (c, d) = spans(widths[first:], balanced)
    return (a + first, b + first), (c + first, d + first)


def spans(widths: Sequence[float], balanced: bool = False) -> tuple[Span, Span]:
    """Left and right column spans of the heading blocks, split by width (about 45 % left).

    By default the left block takes columns until it reaches 45 %; ``balanced`` splits at the
    column boundary nearest to 45 %, so one wide column (a text column) cannot squeeze the other
    block into a sliver.
    """
    total, acc, split = sum(widths), 0.0, 1
    if balanced and len(widths) > 1:
        bounds = [sum(widths[:i]) for i in range(1, len(widths))]
        split = 1 + min(range(len(bounds)), key=lambda i: abs(bounds[i] - total * LEFT_SHARE))
        return (0, split - 1), (split, len(widths) - 1)
    for i, w in enumerate(widths):
        acc += w
        if acc >= total * LEFT_SHARE:
            split = max(1, i + 1) if i + 1 < len(widths) else len(widths) - 1
            break
    return (0, split - 1), (split, len(widths) - 1)


def merge(ws: Worksheet, row: int, span: Span, text: str, fmt) -> None:
    """Text across a span; a one-column span is a plain cell (Excel refuses 1×1 merges)."""
    if span[0] == span[1]:
        ws.write_string(row, span[0], text, fmt)
    else:
        ws.merge_range(row, span[0], row, span[1], text, fmt)


def write_heading(ws: Worksheet, styles: Styles, widths: Sequence[float], authority: str,
                  issuer: str, *, balanced: bool = False, first: int = 0) -> None:
    """Rows 1–2: the issuing body (authority above, issuer in bold) and the quốc hiệu, tiêu ngữ."""
    left, right = _shifted(widths, balanced, first)
    merge(ws, 0, left, authority, styles.centered())
    merge(ws, 1, left, issuer, styles.centered(bold=True))
    merge(ws, 0, right, NATIONAL_TITLE, styles.centered(bold=True))
    merge(ws, 1, right, NATIONAL_MOTTO, styles.centered(bold=True, underline=1))


#: Row of the sample-data banner: the empty row between the heading blocks and the title.
BANNER_ROW = 2


def write_banner(ws: Worksheet, styles: Styles, last_col: int, text: str, row: int = BANNER_ROW,
                 first: int = 0) -> None:
    """A red line across the sheet (``text``: the sample-data warning), and on every printed page."""
    fmt = styles.get(bold=True, font_color="#C00000", align="center", font_size=13)
    merge(ws, row, (first, max(first, last_col)), text, fmt)
    ws.set_header(f'&C&"Times New Roman,Bold"&12&KC00000{text}')


def write_title(ws: Worksheet, styles: Styles, widths: Sequence[float], title: str, subtitle: str,
                note: str = "", unit_note: str = "", *, balanced: bool = False,
                first: int = 0) -> None:
    """Rows 4–6: the title, the line under it, then a note (left) and the ĐVT line (right)."""
    left, right = _shifted(widths, balanced, first)
    full = (first, len(widths) - 1)
    merge(ws, 3, full, title, styles.title())
    ws.set_row(3, 36)
    merge(ws, 4, full, subtitle, styles.centered(italic=True))
    merge(ws, 5, left, note, styles.get(italic=True, font_size=11, text_wrap=True))
    merge(ws, 5, right, unit_note, styles.get(italic=True, align="right"))
    ws.set_row(5, 30)


def write_signature(ws: Worksheet, styles: Styles, widths: Sequence[float], start: int, *,
                    left: Sequence[Line], right: Sequence[Line], date_line: str = BLANK_DATE,
                    balanced: bool = False, first: int = 0) -> int:
    """The signature block from row ``start``; returns the first row after it (with room to sign)."""
    left_span, right_span = _shifted(widths, balanced, first)
    fmts = {"bold": styles.centered(bold=True), "italic": styles.centered(italic=True),
            "plain": styles.centered()}
    merge(ws, start, right_span, date_line, styles.centered(italic=True))
    for i in range(max(len(left), len(right))):
        for lines, span in ((left, left_span), (right, right_span)):
            if i < len(lines) and lines[i][0]:
                merge(ws, start + 1 + i, span, lines[i][0], fmts[lines[i][1]])
    return start + 1 + max(len(left), len(right)) + 3


#: Printable width of A4 landscape inside ``set_page``'s margins, in pixels at 100 % (96 dpi).
PRINT_WIDTH_PX = int((11.69 - 0.5 - 0.4) * 96)


def set_page(ws: Worksheet, last_col: int, last_row: int, repeat: tuple[int, int], *,
             column_breaks: Sequence[int] = (), scale: int = 100) -> None:
    """A4 landscape, header rows ``repeat`` on every page, page numbers below.

    One page wide, unless ``column_breaks`` (first columns of the later pages) are given: then the
    sheet prints at ``scale`` % across pages, with its first two columns (STT, unit) on each.
    """
    ws.set_landscape()
    ws.set_paper(9)  # A4
    if column_breaks:
        ws.set_print_scale(scale)
        ws.set_v_pagebreaks(list(column_breaks))
        ws.repeat_columns(0, 1)
        ws.print_across()  # the right-hand part of the table right after its left-hand part
    else:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.repeat_rows(*repeat)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_footer(PAGE_FOOTER)


def text_height(texts: Iterable[tuple[object, float]], max_lines: int = 25, *,
                chars_per_width: float = 0.95, line_height: float = LINE_HEIGHT) -> float:
    """Row height fitting wrapped text, from (text, column width) pairs.

    xlsxwriter cannot autofit rows, and Excel does not on open, so long texts need a height.
    ``chars_per_width`` is how many characters fit in one unit of column width (a cautious 0.95
    by default; Times New Roman is narrower than the default font the widths are measured in).
    """
    lines = 1
    for text, width in texts:
        if isinstance(text, str) and text:
            per_line = line_chars(width, chars_per_width)
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in text.split("\n")))
    return line_height * min(lines, max_lines)


def line_chars(width: float, chars_per_width: float = 0.95) -> int:
    """Characters ``text_height`` fits on one line of a column ``width`` wide."""
    return int(max(4.0, width * chars_per_width))
