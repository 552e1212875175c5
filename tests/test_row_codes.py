"""The Mã column shows a person's codes; files of the previous template (stable codes such as
MA_DV, TONG, I.1 in column A, region codes in Vùng) still read to the same values."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from sheets import cell_at, row_of

from pipeline.config.regions import REGIONS
from pipeline.run import consolidate


def _as_previous_template(src, dst, annexes, region):
    book = load_workbook(src)
    for annex in annexes.values():
        if annex.kind == "list":
            continue
        ws = book[annex.sheet]
        for row in annex.rows:
            ws.cell(row_of(ws, row.code), 1).value = row.code
    cell_at(book["Thông tin chung"], "VUNG", "Giá trị").value = region
    book.save(dst)


def _values(folder):
    with (folder / "values.csv").open(encoding="utf-8-sig", newline="") as fh:
        return sorted((r["annex"], r["row_code"], r["column"], r["value"]) for r in csv.DictReader(fh))


def _codes(folder):
    with (folder / "findings.csv").open(encoding="utf-8-sig", newline="") as fh:
        return sorted(r["code"] for r in csv.DictReader(fh))


def test_previous_template_reads_to_the_same_values(tmp_path, settings, annexes, tho_thanh):
    now, before = tmp_path / "now", tmp_path / "before"
    now.mkdir(), before.mkdir()
    load_workbook(tho_thanh).save(now / tho_thanh.name)  # both saved by openpyxl alike
    _as_previous_template(tho_thanh, before / tho_thanh.name, annexes, settings.region)
    assert load_workbook(before / tho_thanh.name)["Thông tin chung"]["A9"].value == "MA_DV"
    for folder in (now, before):
        assert consolidate(settings, input_dir=folder, output_dir=folder / "out", quiet=True) == 0
    assert _values(before / "out") == _values(now / "out")
    assert _codes(before / "out") == _codes(now / "out")
    tt = {(a, r): v for a, r, _c, v in _values(now / "out") if a == "TT"}
    assert tt[("TT", "VUNG")] == REGIONS[settings.region] and tt[("TT", "MA_DV")] == "15652"
    funds = {r for a, r, _c, _v in _values(now / "out") if a == "PB04"}
    assert {"I.1", "II.1", "VI.1"} <= funds and "1" not in funds
