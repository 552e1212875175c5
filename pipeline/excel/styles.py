"""xlsxwriter formats of the official look (Times New Roman, borders), created once per workbook."""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook

from pipeline.core.states import Level

FONT = "Times New Roman"
INPUT_FILL = "#FFF9DB"      # pale yellow: a commune types here
FORMULA_FILL = "#E8F1FB"    # pale blue: computed, locked
GROUP_FILL = "#F2F2F2"
#: Marks of the feedback copy and the check report, one per finding level (Lỗi, Cảnh báo, Lưu ý):
#: strong red, strong orange and lilac, none of them near the form's own pale yellow (input) or
#: pale blue (computed), so a flagged cell never reads as an ordinary one.
MARK_FILLS = {Level.ERROR: "#FF7C80", Level.WARNING: "#FFA54F", Level.INFO: "#B19CD9"}
HEADER_FILL = "#DDE6F0"

#: Excel number formats by value kind.
NUM_FORMATS = {
    "int": "#,##0",
    "money": "#,##0.0",
    "number": "#,##0.0",
    "percent": "0.0",
    "year": "0",
    "date": "dd/mm/yyyy",
}


class Styles:
    """Format cache: ``styles.get(bold=True, border=1)`` returns the same Format for the same keys."""

    BASE: dict[str, Any] = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple, Any] = {}

    def get(self, **props: Any):
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format({**self.BASE, **props})
        return self._cache[key]

    # Named formats of the official look

    def title(self):
        return self.get(bold=True, font_size=13, align="center", text_wrap=True)

    def centered(self, **props: Any):
        return self.get(align="center", text_wrap=True, **props)

    def header(self):
        return self.get(bold=True, align="center", text_wrap=True, border=1, bg_color=HEADER_FILL)

    def cell(self, *, kind: str = "text", role: str = "label", style: str = "line",
             wrap: bool = False):
        props: dict[str, Any] = {"border": 1}
        if kind in NUM_FORMATS:
            props["num_format"] = NUM_FORMATS[kind]
        if kind in ("text", "value") and wrap:
            props["text_wrap"] = True
        if kind == "choice":
            props["align"] = "center"
        if role == "input":
            props["locked"] = False
            props["bg_color"] = INPUT_FILL
        elif role == "formula":
            props["bg_color"] = FORMULA_FILL
        elif style == "group":
            props["bg_color"] = GROUP_FILL
        if style in ("group", "total"):
            props["bold"] = True
        return self.get(**props)
