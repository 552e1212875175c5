"""More defects communes make, each asserted as (code, level, sheet, cell) on a run's findings.csv."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheets import HEADER_ROW, cell_at, header_columns, row_of

from pipeline.annexes.layout import META_SHEET
from pipeline.core.states import Level
from pipeline.run import consolidate, run_checks

TT, PB01, PB08, PB09 = "Thông tin chung", "Tiêu chí NTM", "Chỉ tiêu chủ yếu", "Nội dung thành phần"
VALUE, DONE, LAST_YEAR = "Giá trị", "Thực hiện kỳ báo cáo", "Cùng kỳ năm trước"


def _threshold_row(annexes):
    """An NTM indicator with a '>=' threshold and no regional override for BTB."""
    for row in annexes["PB01"].rows:
        item = row.meta.get("catalogue")
        if item and item.compare == ">=" and item.threshold and "BTB" not in item.regional:
            return row.code, item
    pytest.skip("the catalogue has no plain '>=' threshold")


def _meta(book, key, value):
    ws = book[META_SHEET]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            ws.cell(r, 2).value = value


def break_threshold(book, annexes):
    code, item = _threshold_row(annexes)
    ws = book[PB01]
    cell_at(ws, code, "Kết quả kỳ báo cáo").value = item.threshold - 10
    target = cell_at(ws, code, "Đánh giá kỳ báo cáo")
    target.value = "Đạt"
    return [("threshold-miss", Level.INFO if item.to_check else Level.WARNING, PB01, target.coordinate)]


def break_assessment_missing(book, annexes):
    ws = book[PB01]
    cell_at(ws, "1.1", "Đánh giá kỳ báo cáo").value = None
    return [("assessment-missing", Level.WARNING, PB01, cell_at(ws, "1.1", "Kết quả kỳ báo cáo").coordinate)]


def break_drop(book, annexes):
    ws = book[PB08]
    cell_at(ws, "7", DONE).value = 80
    cell_at(ws, "7", LAST_YEAR).value = 96
    return [("drop-vs-last-year", Level.WARNING, PB08, cell_at(ws, "7", DONE).coordinate)]


def break_required(book, annexes):
    cell = cell_at(book[TT], "SO_HO", VALUE)
    cell.value = None
    return [("required-missing", Level.ERROR, TT, cell.coordinate)]


def break_too_long(book, annexes):
    cell = cell_at(book[PB09], "3", "Kết quả chủ yếu")
    cell.value = "Nội dung rất dài. " * 150
    return [("too-long", Level.ERROR, PB09, cell.coordinate)]


def break_date(book, annexes):
    cell = cell_at(book[TT], "NGAY_LAP", VALUE)
    cell.value = "hôm qua"
    return [("not-a-date", Level.ERROR, TT, cell.coordinate)]


def break_row_code(book, annexes):
    ws = book[PB08]
    r = row_of(ws, "1")
    ws.cell(r, 1).value = "99"
    first_value = ws.cell(r, header_columns(ws)[DONE]).coordinate
    return [("row-unknown", Level.WARNING, PB08, first_value), ("row-missing", Level.ERROR, PB08, f"A{HEADER_ROW}")]


def break_column(book, annexes):
    ws = book[PB08]
    ws.cell(HEADER_ROW, header_columns(ws)[LAST_YEAR]).value = "Cùng kỳ"
    return [("column-missing", Level.ERROR, PB08, f"A{HEADER_ROW}")]


def break_version_unknown(book, annexes):
    _meta(book, "template_version", "NTM-PB-9.0")
    return [("template-unknown", Level.ERROR, "", "")]


def break_version_minor(book, annexes):
    _meta(book, "template_version", "NTM-PB-1.7")
    return [("template-version", Level.WARNING, "", "")]


def break_identity_to_name(book, annexes):
    _meta(book, "unit_code", "")
    cell_at(book[TT], "MA_DV", VALUE).value = None
    cell_at(book[TT], "TEN_DV", VALUE).value = "xa tho thanh"
    return [("unit-from-name", Level.INFO, "", "")]


CASES = [break_threshold, break_assessment_missing, break_drop, break_required, break_too_long,
         break_date, break_row_code, break_column, break_version_unknown, break_version_minor,
         break_identity_to_name]


@pytest.mark.parametrize("breaker", CASES, ids=[c.__name__[6:] for c in CASES])
def test_defect_is_found_where_it_is(tmp_path: Path, settings, annexes, tho_thanh, breaker):
    inp = tmp_path / "input"
    inp.mkdir()
    target = inp / tho_thanh.name
    shutil.copyfile(tho_thanh, target)
    book = load_workbook(target)
    expected = breaker(book, annexes)
    book.save(target)
    # Only findings are checked here: the checking stage alone, no outputs written.
    result = run_checks(settings, settings.period, inp, quiet=True)
    got = {(f.code, f.level, f.sheet, f.cell) for f in result.findings if f.unit_code == "15652"}
    for want in expected:
        assert want in got, f"{want} not in {sorted(got)}"


def test_findings_are_capped_per_file(tmp_path: Path, settings, tho_thanh):
    """A file with hundreds of problems lists the first ones and says how many more there are."""
    inp = tmp_path / "input"
    inp.mkdir()
    target = inp / tho_thanh.name
    shutil.copyfile(tho_thanh, target)
    book = load_workbook(target)
    ws = book[PB01]
    cols = header_columns(ws)
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        for _title in ("Kết quả kỳ báo cáo", "Kết quả đến 31/12 năm trước"):
            if ws.cell(r, 1).value and "." in str(ws.cell(r, 1).value):
                ws.cell(r, cols["Đánh giá kỳ báo cáo"]).value = "Tốt"
                ws.cell(r, cols["Đánh giá đến 31/12 năm trước"]).value = "Tốt"
    book.save(target)
    consolidate(settings, input_dir=inp, output_dir=tmp_path / "out", quiet=True)
    rows = list(csv.DictReader((tmp_path / "out" / "findings.csv").open(encoding="utf-8-sig")))
    from pipeline.core.findings import MAX_PER_FILE

    mine = [r for r in rows if r["unit_code"] == "15652"]
    assert len(mine) == MAX_PER_FILE + 1
    assert mine[-1]["code"] == "too-many-findings"
