"""The summary workbook as LibreOffice prints it (PDF): legible, charts in, the detail sheet out.

The bundled samples are consolidated through the CLI, the summary is converted to PDF by headless
LibreOffice, and the PDF's words are measured with poppler's pdftotext. Page footers are not
scaled with the sheet and are set in 12 pt, the body's size: a body word's height over the footer
word's height is the sheet's effective print scale.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pipeline.cli import main
from tests.libreoffice import convert, require_soffice

#: The smallest body text the issue accepts on paper.
MIN_POINTS = 9
BODY_POINTS = 12


@pytest.fixture(scope="module")
def pdf_words(tmp_path_factory, samples):
    require_soffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = tmp_path_factory.mktemp("out")
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out)]) == 0
    (summary,) = out.glob("TongHop_*.xlsx")
    pdf = convert(summary, "pdf", tmp_path_factory.mktemp("pdf"), recalc=False)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in
                      re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                 r'([^<]*)<', page)])
    return pages, text


def test_every_unit_name_prints_at_9_pt_or_more(pdf_words):
    pages, _text = pdf_words
    checked = 0
    for number, words in enumerate(pages, 1):
        footer = [y1 - y0 for _x0, y0, _x1, y1, w in words if w == "Trang"]
        assert footer, f"page {number} has no page number"
        for _x0, y0, _x1, y1, w in words:
            if w == "Xã" and y1 - y0 < 2 * footer[0]:  # a unit name in a row (not rotated)
                points = BODY_POINTS * (y1 - y0) / footer[0]
                assert points >= MIN_POINTS - 0.05, f"page {number}: {points:.1f} pt"
                checked += 1
    assert checked > 100


def test_charts_print_and_the_detail_sheet_does_not(pdf_words):
    _pages, text = pdf_words
    for title in ("Số tiêu chí đạt của từng xã", "Vốn huy động theo nguồn",
                  "Sản phẩm OCOP theo hạng sao"):
        assert title in text, title
    assert "Mã dòng" not in text   # the detail table's header: only its title page prints


def test_date_and_annex_lines_leave_room_for_the_report(pdf_words):
    _pages, text = pdf_words
    assert "Thường Xuân, ngày ..... tháng ..... năm 2024" in text
    assert re.search(r"Kèm theo Báo cáo số \.+/BC-\.+ ngày \.+/\.+/2024", text)
    # Working notes stay in the check report.
    assert "Tổng hợp 16/16" not in text and "Ô có Lỗi" not in text
