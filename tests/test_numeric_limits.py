"""Every numeric cell has a plausible maximum declared with its annex: a huge value is refused with a
readable finding and never reaches a total; no arithmetic on accepted values can crash (issue 10)."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
from openpyxl import load_workbook
from sheets import cell_at

from pipeline.annexes import load_annexes
from pipeline.cli import main

SHEET_PB04 = "Huy động nguồn lực"
DONE = "Thực hiện kỳ báo cáo"


def test_every_numeric_cell_declares_a_maximum():
    for annex in load_annexes().values():
        rows = annex.rows or (None,)
        for row in rows:
            for col in annex.columns:
                if col.role == "label":
                    continue
                if annex.cell_kind(row, col) in ("int", "money", "number", "percent", "year"):
                    lo, hi = annex.cell_bounds(row, col)
                    assert hi is not None and hi < 1e12, (annex.code, row and row.code, col.key)


def test_huge_values_are_refused_and_never_summed(tmp_path, samples):
    inp = tmp_path / "input"
    inp.mkdir()
    edited = samples[:2]
    for p in samples:
        if p in edited:
            book = load_workbook(p)
            cell_at(book[SHEET_PB04], "I.1", DONE).value = 1e308
            cell_at(book[SHEET_PB04], "NGAY_CONG", DONE).value = 1e308
            book.save(inp / p.name)
        else:
            shutil.copy2(p, inp / p.name)
    out = tmp_path / "out"
    assert main(["consolidate", "--input", str(inp), "--output", str(out)]) == 0
    found = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    huge = found[(found["code"] == "out-of-range") & found["file"].isin([p.name for p in edited])]
    assert len(huge) == 4
    assert all(len(m) < 200 and "10³⁰⁸" in m and "e+" not in m for m in huge["message"])
    assert any("10.000.000" in m for m in huge["message"])
    with (out / "values.csv").open(encoding="utf-8-sig", newline="") as fh:
        values = [float(r["value"]) for r in csv.DictReader(fh) if r["annex"] == "PB04"
                  and r["value"].lstrip("-").replace(".", "", 1).isdigit()]
    assert values and max(values) < 1e12
