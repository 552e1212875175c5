"""Where things sit in a commune workbook; shared by the template writer and the reader."""

from __future__ import annotations

#: 0-based row of the merged band above the table header (official multi-row header).
GROUP_ROW = 6
#: 0-based row of the Excel table header (column titles of the spec).
HEADER_ROW = 7
#: 0-based row of the first data row.
FIRST_DATA_ROW = 8

GUIDE_SHEET = "Hướng dẫn"
#: Very hidden, locked sheet holding the template version, unit code and period.
META_SHEET = "_meta"
#: (key, label) rows of the meta sheet, in order from A1 down; values are in column B.
META_KEYS = ("template_version", "unit_code", "unit_name", "period", "tool_version", "created")
#: Workbook-level defined names pointing at the meta values (B1, B2, …).
META_NAMES = {
    "template_version": "NTM_PhienBan",
    "unit_code": "NTM_MaDonVi",
    "period": "NTM_KyBaoCao",
}
