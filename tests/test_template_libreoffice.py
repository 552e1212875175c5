"""Open every generated workbook in LibreOffice (headless): recalculate, export to PDF, compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from libreoffice import convert_many, pdf_page_sizes
from openpyxl import load_workbook
from sheets import cell_at, formula_cells, header_columns, list_rows, row_of

A4_LANDSCAPE = (841.9, 595.3)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, generated, samples) -> dict[Path, Path]:
    """Original → copy saved by LibreOffice after recalculating every formula."""
    out = tmp_path_factory.mktemp("lo")
    pairs = {}
    for group, files in (("templates", generated), ("samples", samples)):
        converted = convert_many(files, "xlsx", out / group, recalc=True)
        pairs.update(zip(files, converted))
    return pairs


def _close(got, exp) -> bool:
    if got in (None, "") and exp in (None, ""):
        return True
    if isinstance(got, (int, float)) and isinstance(exp, (int, float)):
        return abs(got - exp) < 1e-6 * max(1, abs(exp))
    return got == exp


def test_every_workbook_opens_and_recalculates(recalculated):
    assert len(recalculated) == 33  # blank + 16 pre-filled + 16 samples
    for original, copy in recalculated.items():
        assert copy.stat().st_size > 0, original.name


def test_cached_formula_values_equal_libreoffice_recalculation(recalculated):
    """What the template wrote as each formula's value is what a spreadsheet computes."""
    compared = 0
    for original, copy in recalculated.items():
        again = load_workbook(copy, data_only=True)
        for sheet, coord, exp, _formula in formula_cells(original):
            got = again[sheet][coord].value
            assert _close(got, exp), f"{original.name} {sheet}!{coord}: {got!r} != {exp!r}"
            compared += 1
    assert compared > 2000


def _num(value) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def test_recalculated_totals_match_sums_of_the_filled_lines(recalculated, samples):
    """Group totals, criterion status, counts, rates and debts, computed here from the inputs."""
    groups = {"I": ["I.1", "I.2"], "II": ["II.1", "II.2", "II.3"], "VI": ["VI.1", "VI.2"]}
    top = ["I", "II", "III", "IV", "V", "VI", "VII"]
    for sample in samples:
        book = load_workbook(recalculated[sample], data_only=True)
        ws = book["Huy động nguồn lực"]
        for title in ("Kế hoạch năm", "Thực hiện kỳ báo cáo", "Lũy kế từ đầu năm"):
            value = {code: _num(cell_at(ws, code, title).value) for code in
                     top + [c for lines in groups.values() for c in lines] + ["TONG"]}
            for group, lines in groups.items():
                assert value[group] == pytest.approx(sum(value[c] for c in lines)), (sample.name, group)
            assert value["TONG"] == pytest.approx(sum(value[c] for c in top)), sample.name

        for sheet in ("Tiêu chí NTM", "Tiêu chí NTM nâng cao"):
            ws = book[sheet]
            codes = [str(ws.cell(r, 1).value) for r in range(9, ws.max_row + 1) if ws.cell(r, 1).value]
            criteria = [c for c in codes if c.isdigit()]
            for title in ("Đánh giá kỳ báo cáo", "Đánh giá đến 31/12 năm trước"):
                met = 0
                for crit in criteria:
                    marks = [cell_at(ws, c, title).value for c in codes if c.startswith(crit + ".")]
                    exp = ("Chưa đạt" if "Chưa đạt" in marks else
                           "Đạt" if marks and all(m == "Đạt" for m in marks) else None)
                    got = cell_at(ws, crit, title).value or None
                    assert got == exp, (sample.name, sheet, crit)
                    met += got == "Đạt"
                assert cell_at(ws, "SO_TC_DAT", title).value == met

        for row in list_rows(book["Giải ngân vốn"], "Tên công trình/nội dung"):
            plan, paid = row["Kế hoạch vốn giao"], row["Giải ngân đến kỳ báo cáo"] or 0
            assert row["Tỷ lệ giải ngân (%)"] == pytest.approx(round(paid / plan * 100, 1))
        for row in list_rows(book["Nợ đọng XDCB"], "Tên công trình"):
            assert row["Nợ cuối kỳ"] == pytest.approx(row["Nợ đầu kỳ"] - (row["Đã xử lý trong kỳ"] or 0))


def test_tho_thanh_recalculates_to_the_report(recalculated, tho_thanh):
    book = load_workbook(recalculated[tho_thanh], data_only=True)
    ws = book["Huy động nguồn lực"]
    assert cell_at(ws, "TONG", "Thực hiện kỳ báo cáo").value == 0
    assert book["Tiêu chí NTM"].cell(row_of(book["Tiêu chí NTM"], "SO_TC_DAT"),
                                     header_columns(book["Tiêu chí NTM"])["Đánh giá kỳ báo cáo"]).value == 19


def test_pdf_export_is_a4_landscape(tmp_path, generated, samples):
    files = [generated[0], samples[0]]
    pdfs = convert_many(files, "pdf", tmp_path)
    for pdf in pdfs:
        sizes = pdf_page_sizes(pdf)
        assert len(sizes) >= 10  # guide + ten annex sheets, each at least one page
        for width, height in sizes:
            assert (round(width, 1), round(height, 1)) == A4_LANDSCAPE
