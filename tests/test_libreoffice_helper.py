"""Checks that tests/libreoffice.py really makes LibreOffice recalculate formulas."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from libreoffice import (
    LibreOfficeError,
    convert,
    convert_many,
    pdf_page_count,
    pdf_page_sizes,
    recalculated_values,
    require_soffice,
)

A4_LANDSCAPE = (841.9, 595.3)


@pytest.fixture(autouse=True)
def _soffice() -> str:
    """Skip locally, fail in CI (NTM_REQUIRE_LIBREOFFICE=1), when LibreOffice is missing."""
    return require_soffice()


def write_stale_formula_workbook(path: Path) -> Path:
    """A1=2, B1=3, C1 '=A1+B1' whose cached result is deliberately wrong (999)."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write("A1", 2)
    sheet.write("B1", 3)
    sheet.write_formula("C1", "=A1+B1", None, 999)
    workbook.close()
    return path


def test_source_really_carries_the_wrong_cached_value(tmp_path: Path) -> None:
    src = write_stale_formula_workbook(tmp_path / "stale.xlsx")
    assert openpyxl.load_workbook(src, data_only=True)["Data"]["C1"].value == 999


def test_recalculated_values_replaces_wrong_cached_value(tmp_path: Path) -> None:
    src = write_stale_formula_workbook(tmp_path / "stale.xlsx")
    values = recalculated_values(src, tmp_path / "work")
    assert values == {"Data": {"A1": 2, "B1": 3, "C1": 5}}


def test_without_recalc_libreoffice_keeps_the_cached_value(tmp_path: Path) -> None:
    """Control: proves the profile setting, not LibreOffice's default, does the work."""
    src = write_stale_formula_workbook(tmp_path / "stale.xlsx")
    out = convert(src, "xlsx", tmp_path / "out", recalc=False)
    value = openpyxl.load_workbook(out, data_only=True)["Data"]["C1"].value
    if value == 5:
        pytest.skip("this LibreOffice recalculates xlsx on load by default")
    assert value == 999


def test_ods_with_stale_cache_is_recalculated(tmp_path: Path) -> None:
    src = write_stale_formula_workbook(tmp_path / "stale.xlsx")
    ods = convert(src, "ods", tmp_path / "ods", recalc=False)
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    assert re.search(r'office:value="999"', content), "ODS should carry the stale value"
    assert recalculated_values(ods, tmp_path / "work")["Data"]["C1"] == 5


def test_pdf_is_a4_landscape(tmp_path: Path) -> None:
    src = tmp_path / "landscape.xlsx"
    workbook = xlsxwriter.Workbook(str(src))
    sheet = workbook.add_worksheet()
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    for row in range(10):
        sheet.write(row, 0, f"row {row}")
    workbook.close()

    pdf = convert(src, "pdf", tmp_path / "pdf")
    assert pdf.suffix == ".pdf"
    assert pdf_page_count(pdf) >= 1
    sizes = pdf_page_sizes(pdf)
    assert len(sizes) == pdf_page_count(pdf)
    for width, height in sizes:
        assert width == pytest.approx(A4_LANDSCAPE[0], abs=1)
        assert height == pytest.approx(A4_LANDSCAPE[1], abs=1)


def test_convert_many_converts_all_files_in_one_call(tmp_path: Path) -> None:
    srcs = [write_stale_formula_workbook(tmp_path / f"book{i}.xlsx") for i in range(2)]
    outs = convert_many(srcs, "xls", tmp_path / "xls")
    assert [out.name for out in outs] == ["book0.xls", "book1.xls"]
    for out in outs:  # legacy .xls is an OLE2 compound file
        assert out.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")


def test_unreadable_source_raises_with_libreoffice_output(tmp_path: Path) -> None:
    src = tmp_path / "broken.xlsx"
    src.write_bytes(b"not a workbook\x00\x01")
    with pytest.raises(LibreOfficeError, match="could not be loaded"):
        convert(src, "pdf", tmp_path / "out")
