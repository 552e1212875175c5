"""What communes type arrives as what they meant, or as a finding (issue 10): the normalization
cache tells TRUE from 1, and the feedback copies never hide a failure."""

from __future__ import annotations

import shutil

import corpus
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.cli import main

SHEET_PB05 = "Giải ngân vốn"
COMPONENT = "Nội dung thành phần (1–11)"
NAME = "Tên công trình/nội dung"


def _run(inp, out) -> pd.DataFrame:
    assert main(["consolidate", "--input", str(inp), "--output", str(out)]) == 0
    return pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)


def _input(tmp_path, samples, tho_thanh, change) -> tuple:
    inp = tmp_path / "input"
    inp.mkdir()
    for p in samples:
        if p != tho_thanh:
            shutil.copy2(p, inp / p.name)
    book = load_workbook(tho_thanh)
    where = change(book)
    book.save(inp / tho_thanh.name)
    return inp, where


def test_true_after_1_in_the_same_column_is_not_taken_for_1(tmp_path, samples, tho_thanh):
    def change(book):
        ws = book[SHEET_PB05]
        first = corpus.first_blank_row(ws, NAME)
        rows = [first, first + 1]
        col = corpus.find_column(ws, COMPONENT)
        for r, component in zip(rows, (1, True)):
            ws.cell(r, corpus.find_column(ws, NAME)).value = f"Đường thôn {r}"
            ws.cell(r, col).value = component
            ws.cell(r, corpus.find_column(ws, "Nguồn vốn")).value = "Sự nghiệp"
            ws.cell(r, corpus.find_column(ws, "Kế hoạch vốn giao")).value = 100
        letter = get_column_letter(col)
        return f"{letter}{rows[0]}", f"{letter}{rows[1]}"

    inp, (one, true) = _input(tmp_path, samples, tho_thanh, change)
    found = _run(inp, tmp_path / "out")
    mine = found[(found["file"] == tho_thanh.name) & (found["sheet"] == SHEET_PB05)]
    assert (mine.loc[mine["cell"] == true, "level"] == "Lỗi").any()
    assert not (mine.loc[mine["cell"] == one, "level"] == "Lỗi").any()


def test_one_feedback_copy_per_input_file_and_the_unit_links_to_its_current_one(
        tmp_path, samples, tho_thanh):
    from openpyxl import load_workbook as load

    inp = tmp_path / "input"
    (inp / "ky_truoc").mkdir(parents=True)
    for p in samples:
        if p != tho_thanh:
            shutil.copy2(p, inp / p.name)
    corpus.garbage_in_number(tho_thanh, inp / tho_thanh.name)
    corpus.last_years_file(tho_thanh, inp / "ky_truoc" / tho_thanh.name)
    # Two unidentified files of the same name in two folders.
    for folder in ("a", "b"):
        (inp / folder).mkdir()
        corpus.unknown_unit(samples[0], inp / folder / "bao_cao.xlsx")
    out = tmp_path / "out"
    _run(inp, out)
    copies = sorted(p.name for p in (out / "phan_hoi").iterdir())
    assert len(copies) == len({c.lower() for c in copies})
    unknown = [c for c in copies if c.startswith("khong_ro_")]
    assert len(unknown) == 2
    units = {u["unit_code"]: u for u in __import__("json").loads(
        (out / "run.json").read_text(encoding="utf-8"))["units"]}
    current = units["15652"]["feedback"]
    assert current and current.startswith("phan_hoi/15652_")
    old = [c for c in copies if c.startswith("15652_") and f"phan_hoi/{c}" != current]
    assert len(old) == 1, copies
    # The current file's copy lists the current file's real error; the old one its period.
    def listed(name):
        ws = load(out / "phan_hoi" / name)["Cần sửa"]
        return " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert corpus.GARBAGE in listed(current.split("/")[1])
    assert corpus.GARBAGE not in listed(old[0])
    # The check report's unit row links to the current file's copy.
    report = load(next(out.glob("KiemTra_*.xlsx")))["Tình trạng"]
    links = [c.hyperlink.target for row in report.iter_rows() for c in row
             if c.hyperlink is not None and "15652_" in (c.hyperlink.target or "")]
    assert links and all(t.endswith(current.split("/")[1]) for t in links)


def test_a_feedback_copy_that_cannot_be_written_is_a_finding(tmp_path, samples, tho_thanh, monkeypatch):
    import pipeline.outputs.feedback as feedback

    inp = tmp_path / "input"
    inp.mkdir()
    for p in samples:
        if p != tho_thanh:
            shutil.copy2(p, inp / p.name)
    corpus.garbage_in_number(tho_thanh, inp / tho_thanh.name)

    def broken(source, target, findings, *context):
        raise ValueError("openpyxl could not write the copy")

    monkeypatch.setattr(feedback, "_write_copy", broken)
    found = _run(inp, tmp_path / "out")
    row = found[found["code"] == "feedback-failed"]
    assert list(row["file"]) == [tho_thanh.name]
    assert "openpyxl" in row["detail"].iloc[0] and "openpyxl" not in row["message"].iloc[0]


SHEET_PB08 = "Chỉ tiêu chủ yếu"
DONE = "Thực hiện kỳ báo cáo"
RESULT = "Kết quả kỳ báo cáo"


def test_excel_errors_dates_in_result_cells_and_percent_formatted_fractions(tmp_path, samples,
                                                                             tho_thanh):
    import datetime
    import zipfile

    def change(book):
        ws = book[SHEET_PB08]
        ws[corpus.address(ws, "1", DONE)] = "#REF!"           # typed error value
        ws[corpus.address(ws, "2", DONE)] = "#N/A"            # computed below (formula + cache)
        rate = ws[corpus.address(ws, "9", DONE)]  # row 8 (BHYT) shows PB01's figure: row 9 is typed
        rate.value, rate.number_format = 0.796, "0.0%"        # "79,6 %" typed in a % cell
        pb01 = book[corpus.SHEET_PB01]
        day = pb01[corpus.address(pb01, "2.1", RESULT)]
        day.value, day.number_format = datetime.datetime(1900, 1, 1), "dd/mm/yyyy"
        return (corpus.address(ws, "1", DONE), corpus.address(ws, "2", DONE),
                corpus.address(ws, "9", DONE), corpus.address(pb01, "2.1", RESULT))

    inp, (typed, computed, rate, day) = _input(tmp_path, samples, tho_thanh, change)
    # Make the #N/A a formula's cached result, as Excel saves a formula that failed.
    path = inp / tho_thanh.name
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    import re

    cell = re.compile(rb'(<c r="' + computed.encode() + rb'"[^>]*t="e"[^>]*>)(<v>#N/A</v></c>)')
    for name, data in parts.items():
        if cell.search(data):
            parts[name] = cell.sub(rb"\1<f>NA()</f>\2", data)
            break
    else:
        raise AssertionError("the typed error cell was not found in the sheet XML")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)

    out = tmp_path / "out"
    found = _run(inp, out)
    mine = found[found["file"] == tho_thanh.name]
    at = {(r.sheet, r.cell): r for r in mine.itertuples()}
    assert at[(SHEET_PB08, typed)].code == "excel-error" and "#REF!" in at[(SHEET_PB08, typed)].message
    assert at[(SHEET_PB08, computed)].code == "excel-error"
    assert at[(SHEET_PB08, rate)].code == "value-normalized" and at[(SHEET_PB08, rate)].level == "Cảnh báo"
    assert at[(corpus.SHEET_PB01, day)].code == "cell-date" and "01/01/1900" in at[(corpus.SHEET_PB01, day)].message
    import csv as _csv
    with (out / "values.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in _csv.DictReader(fh) if r["unit_code"] == "15652" and r["annex"] == "PB08"
                and r["row_code"] == "9" and r["column"] == "thuc_hien"]
    assert [float(r["value"]) for r in rows] == [79.6]
