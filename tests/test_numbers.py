"""The one Vietnamese number formatter, and the messages that must use it."""

from __future__ import annotations

import math

import pytest

from pipeline.annexes.model import Annex, Column
from pipeline.core.findings import Finding
from pipeline.excel.validation import data_validation_options
from pipeline.text.numbers import vn_count, vn_number, vn_percent, vn_range


@pytest.mark.parametrize("value, decimals, expected", [
    (1234.5, 2, "1.234,5"),
    (1e6, 2, "1.000.000"),
    (90.0, 2, "90"),
    (0.796, 1, "0,8"),
    (-1234567.891, 2, "-1.234.567,89"),
    (-0.0001, 2, "0"),
    (7, 2, "7"),
    (2.675, 1, "2,7"),
])
def test_vn_number(value, decimals, expected):
    assert vn_number(value, decimals) == expected


def test_huge_and_odd_values_never_print_hundreds_of_digits():
    assert vn_number(1e308) == "1 × 10³⁰⁸"
    assert len(vn_number(-1.7976931348623157e308)) < 20
    assert vn_number(math.inf) == "vô cùng lớn" and vn_number(math.nan) == "không xác định"
    assert vn_number(True) == "True" and vn_number(None) == "" and vn_number("abc") == "abc"


def test_counts_percent_years_and_ranges():
    assert vn_count(65535) == "65.535" and vn_count(10040) == "10.040"
    assert vn_percent(79.6) == "79,6%" and vn_percent(96) == "96%"
    assert vn_number(1990, group=False) == "1990"
    assert vn_range(0, 1e6) == "từ 0 đến 1.000.000"
    assert vn_range(1990, 2100, group=False) == "từ 1990 đến 2100"
    assert vn_range(0, None) == "từ 0 trở lên" and vn_range(float("nan"), 100) == "không quá 100"
    assert vn_range(None, None) == ""


def _annex(column: Column) -> Annex:
    return Annex(code="PBX", sheet="X", kind="list", title="X", columns=(column,))


def test_template_tooltips_write_bounds_the_vietnamese_way():
    money = Column("tien", "Tiền", kind="money", min=0, max=1234.5)
    options = data_validation_options(_annex(money), None, money)
    assert "1.234,5" in options["error_message"] and "1.234.5" not in options["error_message"]
    year = Column("nam", "Năm", kind="year")
    assert "từ 1990 đến 2100" in data_validation_options(_annex(year), None, year)["error_message"]
    text = Column("ten", "Tên", kind="text", max_length=2000)
    assert "2.000 ký tự" in data_validation_options(_annex(text), None, text)["error_message"]


def test_finding_values_are_shown_the_vietnamese_way():
    finding = Finding.make("out-of-range", value=1234567.5, note=vn_range(0, 1e6))
    assert "1.234.567,5" in finding.message and "1.000.000" in finding.message
    assert "e+" not in finding.message
