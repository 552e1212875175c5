"""Feedback copies and the check report, on a commune workbook broken the way communes do."""

from __future__ import annotations

import csv
import hashlib
import shutil

import pytest
from openpyxl import load_workbook

from pipeline.run import consolidate
from sheets import cell_at


@pytest.fixture(scope="module")
def run(tmp_path_factory, settings, tho_thanh, samples):
    root = tmp_path_factory.mktemp("feedback")
    inp, out = root / "input", root / "output"
    inp.mkdir()
    broken = inp / tho_thanh.name
    shutil.copyfile(tho_thanh, broken)
    book = load_workbook(broken)
    bad = cell_at(book["Chỉ tiêu chủ yếu"], "8", "Thực hiện kỳ báo cáo")
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


def test_feedback_copy_flags_cells_and_lists_what_to_fix(run):
    copies = sorted((run["out"] / "phan_hoi").glob("*.xlsx"))
    assert [p.name for p in copies] == ["15652_ThoThanh.xlsx"], "only the commune with problems"
    book = load_workbook(copies[0])
    assert book.sheetnames[0] == "Cần sửa"
    listed = [[c.value for c in row] for row in book["Cần sửa"].iter_rows(min_row=5)]
    assert [(r[1], r[2], r[3]) for r in listed] == [
        ("Lỗi", "Chỉ tiêu chủ yếu", run["bad"]),
        ("Cảnh báo", "Huy động nguồn lực", run["odd"]),
    ]
    bad = book["Chỉ tiêu chủ yếu"][run["bad"]]
    assert bad.fill.fgColor.rgb.endswith("FFC7CE") and "Lỗi" in bad.comment.text
    odd = book["Huy động nguồn lực"][run["odd"]]
    assert odd.fill.fgColor.rgb.endswith("F8CBAD") and "Cảnh báo" in odd.comment.text
    link = book["Cần sửa"].cell(5, 4).hyperlink
    assert link.location == f"'Chỉ tiêu chủ yếu'!{run['bad']}"


def test_check_report_lists_findings_by_unit_with_links(run):
    report = next(run["out"].glob("KiemTra_*.xlsx"))
    book = load_workbook(report)
    assert book.sheetnames == ["Tình trạng", "Phát hiện"]
    rows = [[c.value for c in row] for row in book["Phát hiện"].iter_rows(min_row=5)]
    findings = [r for r in rows if r[6]]
    assert {(r[3], r[4], r[5], r[6]) for r in findings} == {
        ("Chỉ tiêu chủ yếu", run["bad"], "Lỗi", "out-of-range"),
        ("Huy động nguồn lực", run["odd"], "Cảnh báo", "formula-overwritten"),
    }
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
