"""The reader's shortcuts give what the long way gives.

A workbook laid out as the template is read without loading its Excel tables; the zip directory is
parsed without the zip module. Both must find exactly what the general code finds, on the bundled
samples and on the broken copies communes send.
"""

from __future__ import annotations

from pathlib import Path

import corpus

from pipeline.intake import read
from pipeline.intake.read import Workbook, read_annex

#: Broken copies that keep a zip workbook the reader opens.
CASES = ("row_inserted", "sheet_renamed", "sheet_deleted", "merged_cells", "money_as_text",
         "formula_overwritten", "village_duplicated", "legacy_font_text")


def _read_all(path: Path, annexes) -> dict:
    book = Workbook(path)
    try:
        out = {}
        for code, annex in annexes.items():
            got = read_annex(book, annex)
            out[code] = (got.sheet, got.slot, got.item, got.row, got.col, got.raw, got.rows,
                         sorted((f.code, f.sheet, f.cell, f.message) for f in got.findings))
        return out
    finally:
        book.close()


def _copies(samples: list[Path], tmp_path: Path) -> list[Path]:
    files = [samples[0], samples[-1]]
    for name in CASES:
        dst = tmp_path / f"{name}.xlsx"
        getattr(corpus, name)(samples[1], dst)
        files.append(dst)
    return files


def test_template_layout_reads_as_the_table_path(samples, annexes, tmp_path, monkeypatch):
    # The shortcut is taken where it applies: a sample needs no Excel-table look-up.
    book = Workbook(samples[0])
    try:
        for annex in annexes.values():
            read_annex(book, annex)
        assert book._tables is None
    finally:
        book.close()
    files = _copies(samples, tmp_path)
    fast = {f.name: _read_all(f, annexes) for f in files}
    monkeypatch.setattr(read, "_template_location", lambda book, annex: None)
    slow = {f.name: _read_all(f, annexes) for f in files}
    assert fast.keys() == slow.keys()
    for name in fast:
        for code in annexes:
            assert fast[name][code] == slow[name][code], (name, code)
