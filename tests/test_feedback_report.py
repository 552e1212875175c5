"""Feedback copies and the check report, on a commune workbook broken the way communes do."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil

import pytest
from openpyxl import load_workbook
from sheets import cell_at

from pipeline.core.findings import LABELS
from pipeline.excel.styles import MARK_FILLS
from pipeline.run import consolidate


@pytest.fixture(scope="module")
def run(tmp_path_factory, settings, tho_thanh, samples):
    root = tmp_path_factory.mktemp("feedback")
    inp, out = root / "input", root / "output"
    inp.mkdir()
    broken = inp / tho_thanh.name
    shutil.copyfile(tho_thanh, broken)
    book = load_workbook(broken)
    bad = cell_at(book["Chỉ tiêu chủ yếu"], "9", "Thực hiện kỳ báo cáo")
    bad.value = 150                       # a percentage above 100: Lỗi
    odd = cell_at(book["Huy động nguồn lực"], "TONG", "Kế hoạch năm")
    odd.value = 999                       # a total typed over its formula: Cảnh báo
    book.save(broken)
    clean = next(p for p in samples if p.name.startswith("15607_"))
    shutil.copyfile(clean, inp / clean.name)
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inp.iterdir()}
    code = consolidate(settings, input_dir=inp, output_dir=out, quiet=True)
    return {"code": code, "in": inp, "out": out, "digest": digest,
            "bad": bad.coordinate, "odd": odd.coordinate}


def test_inputs_untouched(run):
    assert run["code"] == 0
    for path in run["in"].iterdir():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == run["digest"][path.name]


def _list(book):
    """The "Cần sửa" table: its header row number and its rows (values)."""
    ws = book["Cần sửa"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "STT")
    return header, [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1)]


def test_feedback_copy_flags_cells_and_lists_what_to_fix(run, settings):
    copies = sorted((run["out"] / "phan_hoi").glob("*.xlsx"))
    assert [p.name for p in copies] == ["15652_ThoThanh.xlsx"], "only the commune with problems"
    book = load_workbook(copies[0])
    assert book.sheetnames[0] == "Cần sửa"
    header, listed = _list(book)
    assert [(r[1], r[2], r[3]) for r in listed] == [
        ("Lỗi", "Chỉ tiêu chủ yếu", run["bad"]),
        ("Cảnh báo", "Huy động nguồn lực", run["odd"]),
    ]
    bad = book["Chỉ tiêu chủ yếu"][run["bad"]]
    assert "Lỗi" in bad.comment.text
    odd = book["Huy động nguồn lực"][run["odd"]]
    assert "Cảnh báo" in odd.comment.text
    assert bad.fill.fgColor.rgb != odd.fill.fgColor.rgb
    link = book["Cần sửa"].cell(header + 1, 4).hyperlink
    assert link.location == f"'Chỉ tiêu chủ yếu'!{run['bad']}"
    # each row named by its label, as the commune reads it in its own sheet
    ws = book["Chỉ tiêu chủ yếu"]
    label = next(ws.cell(bad.row, c).value for c in range(1, 4)
                 if isinstance(ws.cell(bad.row, c).value, str) and len(ws.cell(bad.row, c).value) > 8)
    assert label in listed[0][4] and "Thực hiện kỳ báo cáo" in listed[0][4]
    # the header: whose file, which period, by when to send it back
    top = " ".join(str(book["Cần sửa"].cell(r, 1).value) for r in (2, 3))
    assert "Xã Thọ Thanh" in top and settings.period.label in top
    assert re.search(r"gửi lại cho .* trước ngày \d{2}/\d{2}/\d{4}", top)


def _fill(cell) -> str | None:
    return cell.fill.fgColor.rgb[-6:].upper() if cell.fill.fill_type == "solid" else None


def test_legend_shows_exactly_the_marks_used(run):
    book = load_workbook(next((run["out"] / "phan_hoi").glob("*.xlsx")))
    header, listed = _list(book)
    ws = book["Cần sửa"]
    legend = {ws.cell(r, 2).value: _fill(ws.cell(r, 2)) for r in range(3, header)
              if ws.cell(r, 2).value in ("Lỗi", "Cảnh báo", "Lưu ý")}
    used = {}
    for level, sheet, cell in ((r[1], r[2], r[3]) for r in listed):
        used.setdefault(level, set()).add(_fill(book[sheet][cell]))
    assert set(legend) == set(used)
    for level, fills in used.items():
        assert fills == {legend[level]}, level


def test_marks_cannot_be_confused_with_the_forms_own_colours(run, tho_thanh):
    """No mark is near a fill the commune's workbook already uses (input yellow, computed blue …)."""
    book = load_workbook(tho_thanh)
    own = {_fill(c) for ws in book.worksheets for row in ws.iter_rows() for c in row} - {None}
    assert own, "the form has coloured cells"
    marks = {colour.lstrip("#").upper() for colour in MARK_FILLS.values()}

    def rgb(hex_):
        return tuple(int(hex_[i:i + 2], 16) for i in (0, 2, 4))

    for mark in marks:
        for colour in own:
            distance = sum((a - b) ** 2 for a, b in zip(rgb(mark), rgb(colour))) ** 0.5
            assert distance > 80, (mark, colour)


def test_check_report_lists_findings_by_unit_with_links(run):
    report = next(run["out"].glob("KiemTra_*.xlsx"))
    book = load_workbook(report)
    assert book.sheetnames == ["Tình trạng", "Phát hiện"]
    rows = [[c.value for c in row] for row in book["Phát hiện"].iter_rows(min_row=5)]
    findings = [r for r in rows if r[10]]
    assert {(r[3], r[4], r[5], r[10]) for r in findings} == {
        ("Chỉ tiêu chủ yếu", run["bad"], "Lỗi", "out-of-range"),
        ("Huy động nguồn lực", run["odd"], "Cảnh báo", "formula-overwritten"),
    }
    # the kind of finding in words; the code, for filtering, in the narrow last column
    assert {r[6] for r in findings} == {LABELS["out-of-range"], LABELS["formula-overwritten"]}
    assert all(not re.search(r"[a-z]-[a-z]", r[6]) for r in findings)
    heads = [c.value for c in book["Phát hiện"][4]]
    assert heads[6] == "Loại phát hiện" and heads[-1] == "Mã phát hiện"
    assert book["Phát hiện"].column_dimensions["K"].width < book["Phát hiện"].column_dimensions["H"].width
    # xlsxwriter writes external links with Windows separators, as Excel does.
    links = [(c.hyperlink.target.replace("\\", "/"), c.hyperlink.location)
             for row in book["Phát hiện"].iter_rows(min_row=5) for c in row if c.hyperlink is not None]
    assert ("phan_hoi/15652_ThoThanh.xlsx", f"'Chỉ tiêu chủ yếu'!{run['bad']}") in links
    status = {r[0]: r[2] for r in ([c.value for c in row] for row in book["Tình trạng"].iter_rows(min_row=5))}
    assert status["15652"] == "Có lỗi" and status["15607"] in ("Hợp lệ", "Có cảnh báo")
    assert status["15610"] == "Chưa nộp"


def test_findings_csv_has_bom_and_contract_columns(run):
    raw = (run["out"] / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((run["out"] / "findings.csv").open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["unit_code", "file", "sheet", "cell", "level", "code", "message", "hint",
                            "detail"]
    assert all(r["message"] and r["hint"] for r in rows)


def test_value_with_error_is_left_out(run):
    rows = list(csv.DictReader((run["out"] / "values.csv").open(encoding="utf-8-sig")))
    cells = {(r["unit_code"], r["annex"], r["row_code"], r["column"]) for r in rows}
    assert ("15652", "PB08", "8", "thuc_hien") not in cells
    assert ("15652", "PB08", "7", "thuc_hien") in cells


def test_feedback_names_drop_two_word_unit_types():
    from pipeline.outputs.feedback import feedback_name

    # "Thị trấn" is two words: splitting off the first word left "tranThuongXuan".
    assert feedback_name("15646", "Thị trấn Thường Xuân", "a.xlsx") == "15646_ThuongXuan.xlsx"
    assert feedback_name("15652", "Xã Thọ Thanh", "a.xlsx") == "15652_ThoThanh.xlsx"


def test_check_report_rows_are_tall_enough_for_their_wrapped_text(run):
    """Each finding row is at least as tall as its longest wrapped text needs (LibreOffice keeps
    the height it is given: a row too short shows overlapping text)."""
    report = next(run["out"].glob("KiemTra_*.xlsx"))
    ws = load_workbook(report)["Phát hiện"]
    widths = {c: ws.column_dimensions[c].width for c in "HI"}
    checked = 0
    for row in ws.iter_rows(min_row=5):
        if not row[10].value:
            continue
        message, hint = row[7].value, row[8].value
        # generous: a line holds at most one character per unit of width
        lines = max(len(message) / widths["H"], len(hint) / widths["I"])
        height = ws.row_dimensions[row[0].row].height
        assert height is not None and height >= 15 * lines, (message, height)
        checked += 1
    assert checked == 2


def test_check_report_says_when_there_is_nothing_to_fix(tmp_path, settings, samples):
    inp = tmp_path / "in"
    inp.mkdir()
    clean = next(p for p in samples if p.name.startswith("15607_"))
    shutil.copyfile(clean, inp / clean.name)
    assert consolidate(settings, input_dir=inp, output_dir=tmp_path / "out", quiet=True) == 0
    ws = load_workbook(next((tmp_path / "out").glob("KiemTra_*.xlsx")))["Phát hiện"]
    texts = [c.value for row in ws.iter_rows(min_row=5) for c in row if c.value]
    assert texts and texts[0].startswith("Không có phát hiện nào")
