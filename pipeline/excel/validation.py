"""Excel data validation (dropdowns, ranges, lengths) for an input cell, from the annex definition."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.annexes import Annex, Column, Row
from pipeline.annexes.model import NUMERIC_KINDS, WHOLE_KINDS
from pipeline.text.numbers import vn_count, vn_range

# Excel's limits on the prompt texts.
TITLE_MAX = 32
MESSAGE_MAX = 255


def _rule(annex: Annex, row: Row | None, col: Column) -> tuple[dict[str, Any], str] | None:
    """The validation rule of one cell and the Vietnamese error text."""
    kind = annex.cell_kind(row, col)
    choices = annex.cell_choices(row, col)
    lo, hi = annex.cell_bounds(row, col)
    if kind == "choice" and choices:
        return {"validate": "list", "source": list(choices)}, "Chọn một giá trị trong danh sách: " + \
            "; ".join(choices) + "."
    if kind in NUMERIC_KINDS:
        validate = "integer" if kind in WHOLE_KINDS else "decimal"
        what = "một số nguyên" if validate == "integer" else "một số"
        if lo is not None and hi is not None:
            rule = {"validate": validate, "criteria": "between", "minimum": lo, "maximum": hi}
        elif lo is not None:
            rule = {"validate": validate, "criteria": ">=", "value": lo}
        else:
            return None
        return rule, f"Nhập {what} {vn_range(lo, hi, group=kind != 'year', suffix='%' if kind == 'percent' else '')}."
    if kind == "date":
        return ({"validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
                 "maximum": date(2100, 12, 31)}, "Nhập ngày dạng ngày/tháng/năm.")
    max_length = annex.cell_max_length(row, col)
    if kind == "text" and max_length:
        return ({"validate": "length", "criteria": "<=", "value": max_length},
                f"Tối đa {vn_count(max_length)} ký tự.")
    return None


def data_validation_options(annex: Annex, row: Row | None, col: Column) -> dict[str, Any] | None:
    """xlsxwriter ``data_validation`` options for one input cell, or None when anything goes."""
    found = _rule(annex, row, col)
    # A row's hint is about the row's figures: a column of its own (Ghi chú) keeps its own hint.
    own_text = col.kind == "text"
    row_hint = row.hint if row is not None and row.hint and not own_text else ""
    hint = row_hint or col.hint
    if found is None:
        if not hint:
            return None
        found = ({"validate": "any"}, "")
    rule, error = found
    options = dict(rule)
    if hint or error:
        options["input_title"] = col.title[:TITLE_MAX]
        options["input_message"] = (hint or error)[:MESSAGE_MAX]
    if rule["validate"] != "any":
        options["error_title"] = "Giá trị không hợp lệ"
        options["error_message"] = error[:MESSAGE_MAX]
        options["error_type"] = "stop"
    return options
