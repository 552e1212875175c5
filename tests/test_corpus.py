"""Broken workbooks, as communes send them, through the public entry point ``consolidate``.

Each case builds one broken copy (tests/corpus.py) in ``input/`` beside clean copies of two other
units' samples, runs a whole consolidation and checks:
- the expected finding, by (code, level, sheet, cell) and file: never by message wording;
- the expected cells are found in the broken workbook itself (row code in column A, header in
  row 8), not copied from the output of the code under test;
- a value with a Lỗi is left out of values.csv (the district sees it missing);
- the two other units still consolidate (a status in run.json, their values in values.csv);
- every input file is byte-identical after the run (and keeps its modification time), and no file
  appears in or disappears from the input folder.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import json
import math
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import corpus
import openpyxl
import pytest
from corpus import (
    ASSESSMENT,
    DONE,
    SHEET_PB01,
    SHEET_PB03,
    SHEET_PB04,
    SHEET_PB05,
    SHEET_PB06,
    SHEET_PB08,
    SHEET_PB09,
    SHEET_TT,
    VALUE_TT,
)

from pipeline.intake.safety import ReadError, check_file
from pipeline.outputs.values_csv import restore

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2024-H1"
SAMPLES = ROOT / "templates" / "mau" / PERIOD
THO_THANH = "15652"
OTHERS = ("15607", "15610")
ALL_UNITS = ("15607", "15610", "15619", "15622", "15628", "15631", "15634", "15637", "15640",
             "15643", "15646", "15649", "15652", "15655", "15658", "15661")

ERROR, WARNING, INFO = "Lỗi", "Cảnh báo", "Lưu ý"
SUBMITTED = {"Hợp lệ", "Có cảnh báo"}
NOT_VALID = {"Có lỗi", "Chưa nộp"}
ALL_STATUSES = {"Hợp lệ", "Có cảnh báo", "Có lỗi", "Chưa nộp"}
FINDING_COLUMNS = ["unit_code", "file", "sheet", "cell", "level", "code", "message", "hint", "detail"]
#: Annex code of each sheet (the ``sheet`` attribute of the annex definitions).
ANNEX_OF_SHEET = {
    SHEET_TT: "TT", SHEET_PB01: "PB01", "Tiêu chí NTM nâng cao": "PB02", SHEET_PB03: "PB03",
    SHEET_PB04: "PB04", SHEET_PB05: "PB05", SHEET_PB06: "PB06", "Sản phẩm OCOP": "PB07",
    SHEET_PB08: "PB08", SHEET_PB09: "PB09",
}
#: values.csv may name a column by its key or by its header title.
COLUMN_TITLES = {
    ("PB01", "danh_gia"): ASSESSMENT, ("PB03", "ten_thon"): "Tên thôn",
    ("PB04", "thuc_hien"): DONE, ("PB08", "thuc_hien"): DONE, ("PB09", "ket_qua"): "Kết quả chủ yếu",
}

# Helpers


def sample(code: str) -> Path:
    found = sorted(SAMPLES.glob(f"{code}_*.xlsx"))
    assert found, f"no bundled sample for unit {code} in {SAMPLES}"
    return found[0]


def nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """sha256, size and mtime of every file under ``folder``, by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns)
    return out


def _call_consolidate(input_dir: Path, output_dir: Path) -> int:
    from pipeline.config.settings import load_settings
    from pipeline.run import consolidate

    kwargs: dict[str, Any] = {"input_dir": input_dir, "output_dir": output_dir, "period": None,
                              "strict": False}
    if "quiet" in inspect.signature(consolidate).parameters:
        kwargs["quiet"] = True
    return consolidate(load_settings(), **kwargs)


@dataclass
class Run:
    rc: int
    input_dir: Path
    output_dir: Path
    findings: list[dict[str, str]]
    values: list[dict[str, str]]
    run: dict[str, Any]
    seconds: float

    def statuses(self) -> dict[str, str]:
        return unit_statuses(self.run)

    def findings_for(self, file: str) -> list[dict[str, str]]:
        return [f for f in self.findings if nfc(f["file"]) == nfc(file)]

    def value(self, unit: str, annex: str, row_code: str, column: str,
              file: str | None = None) -> list[dict[str, str]]:
        names = {column, COLUMN_TITLES.get((annex, column), column)}
        return [v for v in self.values
                if v.get("unit_code") == unit and v.get("annex") == annex
                and str(v.get("row_code")) == row_code and v.get("column") in names
                and (file is None or nfc(v.get("file")) == nfc(file))]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV the tool wrote, with every text field restored as the README tells a machine reader."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: restore(v) for k, v in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def run_consolidate(input_dir: Path, output_dir: Path) -> Run:
    start = time.monotonic()
    rc = _call_consolidate(input_dir, output_dir)
    seconds = time.monotonic() - start
    findings_csv = output_dir / "findings.csv"
    assert findings_csv.is_file(), "the run wrote no findings.csv"
    assert findings_csv.read_bytes().startswith(b"\xef\xbb\xbf"), "findings.csv has no UTF-8 BOM"
    header, findings = read_csv(findings_csv)
    assert header == FINDING_COLUMNS
    values: list[dict[str, str]] = []
    if (output_dir / "values.csv").is_file():
        values = read_csv(output_dir / "values.csv")[1]
    run_json = output_dir / "run.json"
    assert run_json.is_file(), "the run wrote no run.json"
    return Run(rc, input_dir, output_dir, findings, values,
               json.loads(run_json.read_text(encoding="utf-8")), seconds)


def unit_statuses(node: Any) -> dict[str, str]:
    """Per-unit status (Hợp lệ / Có cảnh báo / Có lỗi / Chưa nộp) from run.json, whatever its
    nesting: a list of unit records carrying a code and a status, or a mapping keyed by unit code."""
    out: dict[str, str] = {}
    code_keys = ("unit_code", "code", "ma", "ma_don_vi")
    status_keys = ("status", "trang_thai")

    def status_of(item: Any) -> str | None:
        if isinstance(item, str) and item in ALL_STATUSES:
            return item
        if isinstance(item, dict):
            for key in status_keys:
                if item.get(key) in ALL_STATUSES:  # not a file's status ("read", "refused" …)
                    return item[key]
        return None

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            code = next((item[k] for k in code_keys if isinstance(item.get(k), (str, int))), None)
            status = status_of(item)
            if code is not None and status is not None:
                out[str(code)] = status
            for key, value in item.items():
                if re.fullmatch(r"\d{5}", str(key)) and status_of(value):
                    out[str(key)] = status_of(value)  # type: ignore[assignment]
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(node)
    return out


def as_number(text: Any) -> float | None:
    try:
        return float(str(text).strip())
    except (TypeError, ValueError):
        return None


def same_value(a: Any, b: Any) -> bool:
    x, y = as_number(a), as_number(b)
    if x is not None and y is not None:
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6)
    return nfc(a).strip() == nfc(b).strip()


def workbook_cell(path: Path, sheet: str, code: str, title: str) -> str:
    return corpus.cell_at(path, sheet, code, title)


def list_cell(path: Path, sheet: str, key_title: str, key_value: str, title: str,
              occurrence: int = -1) -> str:
    """Address of ``title`` in the list-annex row whose ``key_title`` cell holds ``key_value``."""
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[sheet]
        key_col = corpus.find_column(ws, key_title)
        rows = [r for r in range(corpus.FIRST_DATA_ROW, ws.max_row + 1)
                if nfc(ws.cell(r, key_col).value) == nfc(key_value)]
        assert rows, f"{sheet}: no row with {key_title} = {key_value!r}"
        col = corpus.find_column(ws, title)
        return f"{openpyxl.utils.get_column_letter(col)}{rows[occurrence]}"
    finally:
        wb.close()


def first_list_cell(path: Path, sheet: str, key_title: str, title: str) -> str:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[sheet]
        row = corpus.used_rows(ws, key_title)[0]
        return f"{openpyxl.utils.get_column_letter(corpus.find_column(ws, title))}{row}"
    finally:
        wb.close()


def source_value(path: Path, sheet: str, code: str, title: str) -> Any:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[sheet]
        return ws.cell(corpus.find_row(ws, code), corpus.find_column(ws, title)).value
    finally:
        wb.close()


# Cases


@dataclass(frozen=True)
class Expect:
    """One finding that must be in findings.csv; a tuple means "one of" (documented per case)."""

    code: str | tuple[str, ...]
    level: str
    sheet: str | tuple[str, ...] = ""
    cell: str = ""

    def matches(self, f: dict[str, str]) -> bool:
        codes = self.code if isinstance(self.code, tuple) else (self.code,)
        sheets = self.sheet if isinstance(self.sheet, tuple) else (self.sheet,)
        return (f["code"] in codes and f["level"] == self.level
                and nfc(f["sheet"]) in {nfc(s) for s in sheets} and f["cell"] == self.cell)


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path, Path], Path]
    #: Path of the broken file relative to input/ (forward slashes).
    name: str
    #: The findings the broken file must produce, worked out from the broken file itself.
    expect: Callable[[Path], list[Expect]]
    #: Further checks on the run (values, statuses), given the run and the broken file.
    check: Callable[[Run, Path], None] | None = None
    source: str = THO_THANH
    #: Also put the unbroken source in input/ (lock file, PDF next to the workbook, re-sent file).
    with_source: bool = False
    #: Upper bound of the run's duration, for hostile files.
    #: Refused from the file size and zip directory alone, before any sheet is parsed: this is what
    #: bounds time and memory on hostile files (speed itself is measured by `make bench`).
    refused_unparsed: bool = False


NAME = "15652_ThoThanh_2024-H1.xlsx"


def no_expectation(_path: Path) -> list[Expect]:
    return []


def file_level(code: str | tuple[str, ...], level: str = ERROR) -> Callable[[Path], list[Expect]]:
    return lambda _path: [Expect(code, level)]


def at(code: str, level: str, sheet: str, row_code: str, title: str) -> Callable[[Path], list[Expect]]:
    return lambda path: [Expect(code, level, sheet, workbook_cell(path, sheet, row_code, title))]


def no_error_at(run: Run, file: str, sheet: str, cells: list[str], levels=(ERROR, WARNING)) -> None:
    bad = [f for f in run.findings_for(file)
           if nfc(f["sheet"]) == nfc(sheet) and f["cell"] in cells and f["level"] in levels]
    assert not bad, f"unexpected findings at {cells}: {bad}"


def expect_value(run: Run, unit: str, annex: str, row_code: str, column: str, wanted: Any,
                 *, file: str | None = None, cell: str | None = None) -> None:
    rows = run.value(unit, annex, row_code, column, file)
    assert rows, (f"values.csv has no {unit}/{annex}/{row_code}/{column}"
                  f" (has {len(run.values)} rows)")
    assert any(same_value(r.get("value"), wanted) for r in rows), \
        f"{unit}/{annex}/{row_code}/{column}: wanted {wanted!r}, got {[r.get('value') for r in rows]}"
    if cell is not None:
        assert any(r.get("cell") == cell for r in rows), \
            f"{unit}/{annex}/{row_code}/{column}: wanted cell {cell}, got {[r.get('cell') for r in rows]}"


def check_money_as_text(run: Run, path: Path) -> None:
    cell = workbook_cell(path, SHEET_PB04, "III", DONE)
    no_error_at(run, NAME, SHEET_PB04, [cell])
    expect_value(run, THO_THANH, "PB04", "III", "thuc_hien", corpus.TEXT_NUMBER_VALUE, cell=cell)


def check_assessment(run: Run, path: Path) -> None:
    cells = [workbook_cell(path, SHEET_PB01, code, ASSESSMENT) for code in corpus.ASSESSMENT_NORMALIZED]
    no_error_at(run, NAME, SHEET_PB01, cells)
    for code in corpus.ASSESSMENT_NORMALIZED:
        expect_value(run, THO_THANH, "PB01", code, "danh_gia", "Đạt")


def check_inserted_row(run: Run, path: Path) -> None:
    # The rows below the inserted one are still read by their code, at their new address.
    cell = workbook_cell(path, SHEET_PB08, "5", DONE)
    wanted = source_value(sample(THO_THANH), SHEET_PB08, "5", DONE)
    expect_value(run, THO_THANH, "PB08", "5", "thuc_hien", wanted, cell=cell)


def check_renamed(run: Run, _path: Path) -> None:
    wanted = source_value(sample(THO_THANH), SHEET_PB08, "1", DONE)
    expect_value(run, THO_THANH, "PB08", "1", "thuc_hien", wanted)


def check_not_valid(run: Run, _path: Path) -> None:
    status = run.statuses().get(THO_THANH)
    assert status in NOT_VALID, f"unit {THO_THANH} shown as {status!r}, not as not validly submitted"
    used = [v for v in run.values if v.get("unit_code") == THO_THANH]
    assert not used, f"{len(used)} values of last year's file reached values.csv"


def check_unknown_unit(run: Run, path: Path) -> None:
    rel = path.relative_to(run.input_dir).as_posix()
    leaked = [v for v in run.values
              if v.get("unit_code") == corpus.UNKNOWN_UNIT or nfc(v.get("file")) == nfc(rel)]
    assert not leaked, f"{len(leaked)} values of an unknown unit reached values.csv"


def check_formula_like(run: Run, path: Path) -> None:
    cells = [workbook_cell(path, SHEET_PB09, code, "Kết quả chủ yếu") for code in corpus.FORMULA_LIKE_TEXTS]
    no_error_at(run, NAME, SHEET_PB09, cells)
    for code, text in corpus.FORMULA_LIKE_TEXTS.items():
        expect_value(run, THO_THANH, "PB09", code, "ket_qua", text)
    # In every workbook the run wrote, the texts are text, never formulas; and the district
    # summary workbook carries the text itself.
    books = sorted(run.output_dir.rglob("*.xlsx"))
    summaries = [b for b in books if b.name.startswith("TongHop_")]
    assert summaries, f"no district summary workbook TongHop_*.xlsx among {[b.name for b in books]}"
    found_as_text = False
    for book in books:
        wb = openpyxl.load_workbook(book)
        try:
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if c.data_type == "f" and isinstance(c.value, str) and "http://x" in c.value:
                            pytest.fail(f"{book.name}!{ws.title}!{c.coordinate} became a formula: {c.value}")
                        if (book in summaries and c.data_type != "f"
                                and c.value == corpus.FORMULA_LIKE_TEXTS["1"]):
                            found_as_text = True
        finally:
            wb.close()
    assert found_as_text, "the '=HYPERLINK(…)' text did not reach the district workbook as text"


def check_legacy(run: Run, path: Path) -> None:
    expect_value(run, THO_THANH, "PB03", "1", "ten_thon", "Thôn 1")


def check_nfd(run: Run, path: Path) -> None:
    cell = first_list_cell(path, SHEET_PB03, "Tên thôn", "Tên thôn")
    no_error_at(run, NAME, SHEET_PB03, [cell])
    expect_value(run, THO_THANH, "PB03", "1", "ten_thon", nfc(corpus.NFD_NAME))
    rows = run.value(THO_THANH, "PB03", "1", "ten_thon")
    assert all(r["value"] == nfc(r["value"]) for r in rows), "values.csv holds NFD text"


RESENT = "15652_ThoThanh_2024-H1 (sửa lại).xlsx"


def check_duplicate(run: Run, _path: Path) -> None:
    hits = [f for f in run.findings if f["code"] == "duplicate-file"]
    assert any(NAME in nfc(f["file"] + " " + f["message"]) and nfc(RESENT) in nfc(f["file"] + " " + f["message"])
               for f in hits), f"the duplicate-file finding does not name both files: {hits}"
    expect_value(run, THO_THANH, "PB08", "1", "thuc_hien", corpus.CORRECTED_MEETINGS, file=RESENT)


VIETNAMESE_NAME = "Thọ Thanh/Báo cáo xã Thọ Thanh.xlsx"


def check_read_normally(run: Run, path: Path) -> None:
    rel = path.relative_to(run.input_dir).as_posix()
    file_level_findings = [f for f in run.findings_for(rel) if not f["sheet"] and f["level"] != INFO]
    assert not file_level_findings, file_level_findings
    assert run.statuses().get(THO_THANH) in SUBMITTED, run.statuses().get(THO_THANH)
    rows = [v for v in run.values if v.get("unit_code") == THO_THANH]
    assert rows, "nothing of the file reached values.csv"
    assert {nfc(v.get("file")) for v in rows} == {nfc(rel)}


def check_clean(run: Run, path: Path) -> None:
    errors = [f for f in run.findings_for(NAME) if f["level"] == ERROR]
    assert not errors, f"the unbroken sample has errors: {errors[:10]}"
    assert run.statuses().get(THO_THANH) in SUBMITTED


def check_source_consolidated(run: Run, _path: Path) -> None:
    assert run.statuses().get(THO_THANH) in SUBMITTED, run.statuses().get(THO_THANH)
    assert run.value(THO_THANH, "PB08", "1", "thuc_hien", NAME)


def _new_row(sheet: str, key_title: str, key: str, title: str, code: str, level: str,
             occurrence: int = -1) -> Callable[[Path], list[Expect]]:
    return lambda path: [Expect(code, level, sheet, list_cell(path, sheet, key_title, key, title, occurrence))]


def _first_row(sheet: str, key_title: str, title: str, code: str | tuple[str, ...],
               level: str) -> Callable[[Path], list[Expect]]:
    return lambda path: [Expect(code, level, sheet, first_list_cell(path, sheet, key_title, title))]


def _inserted(path: Path) -> list[Expect]:
    return [Expect("row-inserted", WARNING, SHEET_PB08,
                   list_cell(path, SHEET_PB08, "Nội dung", corpus.INSERTED_LABEL, DONE))]


def _merged(path: Path) -> list[Expect]:
    return [Expect("merged-cells", WARNING, SHEET_PB08,
                   workbook_cell(path, SHEET_PB08, corpus.MERGED_ROWS[0], DONE))]


def _assessment_notes(path: Path) -> list[Expect]:
    return [Expect("value-normalized", INFO, SHEET_PB01, workbook_cell(path, SHEET_PB01, code, ASSESSMENT))
            for code in corpus.ASSESSMENT_NORMALIZED]


def _duplicate_name(path: Path) -> list[Expect]:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[SHEET_PB03]
        rows = corpus.used_rows(ws, "Tên thôn")
        col = openpyxl.utils.get_column_letter(corpus.find_column(ws, "Tên thôn"))
    finally:
        wb.close()
    return [Expect("duplicate-value", ERROR, SHEET_PB03, f"{col}{rows[-1]}")]


CASES = [
    Case("clean-control", corpus.renamed_copy, NAME, no_expectation, check_clean),
    Case("money-as-text", corpus.money_as_text, NAME,
         at("value-normalized", INFO, SHEET_PB04, "III", DONE), check_money_as_text),
    Case("garbage-in-number", corpus.garbage_in_number, NAME,
         at("not-a-number", ERROR, SHEET_PB08, "1", DONE)),
    Case("percent-over-100", corpus.percent_over_100, NAME,
         at("out-of-range", ERROR, SHEET_PB08, "9", DONE)),
    # Usable after conversion: a note (value-normalized) at each cell, no error.
    Case("assessment-normalized", corpus.assessment_case, NAME, _assessment_notes, check_assessment),
    Case("assessment-not-in-list", corpus.assessment_not_in_list, NAME,
         at("not-in-list", ERROR, SHEET_PB01, "2.1", ASSESSMENT)),
    Case("formula-overwritten", corpus.formula_overwritten, NAME,
         at("formula-overwritten", WARNING, SHEET_PB04, "I", DONE)),
    Case("negative-debt", corpus.debt_paid_over_opening, NAME,
         _new_row(SHEET_PB06, "Tên công trình", "Nhà văn hóa thôn 5", "Đã xử lý trong kỳ",
                  "negative-debt", ERROR)),
    Case("disbursed-over-plan", corpus.disbursed_over_plan, NAME,
         _new_row(SHEET_PB05, "Tên công trình/nội dung", "Đường giao thông thôn 3 (mới)",
                  "Giải ngân đến kỳ báo cáo", "disbursed-over-plan", WARNING)),
    Case("village-duplicated", corpus.village_duplicated, NAME, _duplicate_name),
    Case("met-exceeds-total", corpus.met_exceeds_total, NAME,
         _first_row(SHEET_PB03, "Tên thôn", "Số tiêu chí NTM kiểu mẫu đạt", "met-exceeds-total", ERROR)),
    Case("villages-exceed", corpus.villages_exceed, NAME,
         at("villages-exceed", ERROR, SHEET_PB08, "12", DONE)),
    Case("row-inserted", corpus.row_inserted, NAME, _inserted, check_inserted_row),
    Case("sheet-renamed", corpus.sheet_renamed, NAME,
         lambda _p: [Expect("sheet-renamed", INFO, corpus.RENAMED_SHEET)], check_renamed),
    Case("sheet-deleted", corpus.sheet_deleted, NAME,
         lambda _p: [Expect("sheet-missing", ERROR, SHEET_PB08)]),
    Case("merged-cells", corpus.merged_cells, NAME, _merged),
    Case("sheet-from-other-unit", corpus.sheet_from_other_unit, NAME,
         at("unit-mismatch", WARNING, SHEET_TT, "MA_DV", VALUE_TT)),
    Case("last-years-file", corpus.last_years_file, "15652_ThoThanh_2023-H1.xlsx",
         at("period-mismatch", ERROR, SHEET_TT, "KY", VALUE_TT), check_not_valid),
    Case("unknown-unit", corpus.unknown_unit, "99999_NgoaiHuyen_2024-H1.xlsx",
         at("unit-unknown", ERROR, SHEET_TT, "MA_DV", VALUE_TT), check_unknown_unit),
    Case("formula-like-text", corpus.formula_like_text, NAME, no_expectation, check_formula_like),
    Case("legacy-font-tcvn3", corpus.legacy_font_text, NAME,
         _first_row(SHEET_PB03, "Tên thôn", "Tên thôn", "text-legacy-font", INFO), check_legacy),
    # Decomposed Unicode is not a legacy font, but the brief files it with one: either note will do.
    Case("nfd-text", corpus.nfd_text, NAME,
         _first_row(SHEET_PB03, "Tên thôn", "Tên thôn", ("text-legacy-font", "value-normalized"), INFO),
         check_nfd),
    Case("encrypted", corpus.encrypted, NAME, file_level("file-encrypted")),
    Case("encrypted-ole-container", corpus.encrypted_container, NAME, file_level("file-encrypted")),
    Case("csv-renamed-xlsx", corpus.not_a_zip, NAME, file_level("file-corrupt")),
    Case("html-renamed-xls", corpus.html_as_xls, "15652_ThoThanh_2024-H1.xls", file_level("file-corrupt")),
    Case("truncated-zip", corpus.truncated, NAME, file_level("file-corrupt")),
    Case("zip-bomb", corpus.zip_bomb, NAME, file_level("file-too-large"), refused_unparsed=True),
    # Forged zip headers: refused as too large (if the reader measures what it inflates) or as
    # corrupt (if it trusts the headers and the XML comes out cut): either way a Lỗi, quickly.
    Case("zip-bomb-forged-sizes", corpus.zip_bomb_forged_sizes, NAME,
         file_level(("file-too-large", "file-corrupt"))),
    # A file-level refusal (sheet "") or one that names the huge sheet: both are exact enough.
    Case("million-rows", corpus.million_rows, NAME,
         lambda _p: [Expect("file-too-large", ERROR, ("", SHEET_PB08))], refused_unparsed=True),
    Case("hundred-mb", corpus.hundred_mb, NAME, file_level("file-too-large"), refused_unparsed=True),
    Case("excel-lock-file", corpus.excel_lock_file, "~$" + NAME, file_level("file-lock", INFO),
         check_source_consolidated, with_source=True),
    Case("pdf-beside-workbook", corpus.pdf_report, "Báo cáo NTM 6 tháng 2024 - Thọ Thanh.pdf",
         file_level("file-skipped", INFO), check_source_consolidated, with_source=True),
    Case("txt-beside-workbook", corpus.text_note, "ghi chú.txt", file_level("file-skipped", INFO),
         check_source_consolidated, with_source=True),
    Case("duplicate-file", corpus.corrected_resend, RESENT, file_level("duplicate-file", WARNING),
         check_duplicate, with_source=True),
    Case("vietnamese-file-name", corpus.renamed_copy, VIETNAMESE_NAME, no_expectation, check_read_normally),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_workbook(case: Case, tmp_path: Path) -> None:
    input_dir, output_dir = tmp_path / "input", tmp_path / "output"
    input_dir.mkdir()
    for code in OTHERS:
        shutil.copyfile(sample(code), input_dir / sample(code).name)
    source = sample(case.source)
    if case.with_source:
        shutil.copyfile(source, input_dir / source.name)
        old = datetime(2024, 7, 5, 8, 0).timestamp()
        os.utime(input_dir / source.name, (old, old))
    broken = input_dir / case.name
    broken.parent.mkdir(parents=True, exist_ok=True)
    case.build(source, broken)
    assert broken.is_file()
    expected = case.expect(broken)
    before = snapshot(input_dir)

    run = run_consolidate(input_dir, output_dir)

    assert snapshot(input_dir) == before, "the run changed, added or removed input files"
    assert run.rc == 0, f"exit code {run.rc} for a run with bad input (strict off)"
    if case.refused_unparsed:
        with pytest.raises(ReadError) as refused:
            check_file(broken)
        assert refused.value.code == "file-too-large"
    mine = run.findings_for(case.name)
    for want in expected:
        assert any(want.matches(f) for f in mine), (
            f"missing {want} for {case.name}; findings for the file:\n"
            + "\n".join(f"  {f['code']} {f['level']} {f['sheet']!r} {f['cell']!r}" for f in mine))
        # A value with a Lỗi is left out of the totals: not in values.csv.
        if want.level == ERROR and want.cell and isinstance(want.sheet, str):
            annex = ANNEX_OF_SHEET.get(want.sheet)
            used = [v for v in run.values
                    if nfc(v.get("file")) == nfc(case.name) and v.get("annex") == annex
                    and v.get("cell") == want.cell and v.get("value") not in ("", None)]
            assert not used, f"{want.cell} has a Lỗi but reached values.csv: {used}"
    statuses = run.statuses()
    for code in OTHERS:
        assert statuses.get(code) in SUBMITTED, f"unit {code}: status {statuses.get(code)!r}"
        assert any(v.get("unit_code") == code for v in run.values), f"unit {code} has no values"
    if case.check is not None:
        case.check(run, broken)


def test_all_samples_plus_broken_files(tmp_path: Path) -> None:
    """All 16 bundled samples and 3 broken files: exit 0, findings written, inputs untouched."""
    input_dir, output_dir = tmp_path / "input", tmp_path / "output"
    input_dir.mkdir()
    for code in ALL_UNITS:
        shutil.copyfile(sample(code), input_dir / sample(code).name)
    broken = {
        "bao cao xa.xlsx": corpus.not_a_zip,
        "Xuân Lẹ (bản cũ).xlsx": corpus.zip_bomb,
        "99999_NgoaiHuyen_2024-H1.xlsx": corpus.unknown_unit,
    }
    for name, build in broken.items():
        build(sample(THO_THANH), input_dir / name)
    before = snapshot(input_dir)
    run = run_consolidate(input_dir, output_dir)
    assert run.rc == 0
    assert snapshot(input_dir) == before
    assert run.findings, "no findings for three broken files"
    named = {nfc(f["file"]) for f in run.findings}
    for name in broken:
        assert nfc(name) in named, f"no finding for {name}"
    statuses = run.statuses()
    for code in ALL_UNITS:
        assert statuses.get(code) in SUBMITTED, f"unit {code}: status {statuses.get(code)!r}"


# LibreOffice round trip


@pytest.fixture(scope="module")
def libreoffice_copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Thọ Thanh's sample converted by headless LibreOffice to xlsx, xls and ods (in parallel:
    each conversion has its own throw-away profile)."""
    from libreoffice import convert, require_soffice

    require_soffice()
    base = tmp_path_factory.mktemp("libreoffice")
    src = sample(THO_THANH)
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = {fmt: pool.submit(convert, src, fmt, base / fmt) for fmt in ("xlsx", "xls", "ods")}
        return {fmt: job.result() for fmt, job in jobs.items()}


@pytest.fixture(scope="module")
def original_values(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], str]:
    base = tmp_path_factory.mktemp("original")
    (base / "input").mkdir()
    shutil.copyfile(sample(THO_THANH), base / "input" / sample(THO_THANH).name)
    run = run_consolidate(base / "input", base / "output")
    return unit_values(run, THO_THANH)


def unit_values(run: Run, unit: str) -> dict[tuple[str, str, str], str]:
    out = {}
    for v in run.values:
        if v.get("unit_code") == unit:
            out[(v["annex"], str(v["row_code"]), v["column"])] = v.get("value", "")
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_libreoffice_round_trip(fmt: str, libreoffice_copies: dict[str, Path],
                                original_values: dict[tuple[str, str, str], str],
                                tmp_path: Path) -> None:
    """A commune that opened the workbook in LibreOffice and saved it as xlsx, xls or ods: the
    same values are read as from the original."""
    assert original_values, "the original sample gave no values"
    input_dir = tmp_path / "input"
    input_dir.mkdir()
    converted = input_dir / libreoffice_copies[fmt].name
    shutil.copyfile(libreoffice_copies[fmt], converted)
    before = snapshot(input_dir)
    run = run_consolidate(input_dir, tmp_path / "output")
    assert snapshot(input_dir) == before
    got = unit_values(run, THO_THANH)
    missing = sorted(set(original_values) - set(got))
    extra = sorted(set(got) - set(original_values))
    differ = sorted(k for k in set(got) & set(original_values)
                    if not same_value(got[k], original_values[k]))
    assert not (missing or extra or differ), (
        f"{fmt}: {len(missing)} missing {missing[:8]}, {len(extra)} extra {extra[:8]}, "
        f"{len(differ)} differ {[(k, original_values[k], got[k]) for k in differ[:8]]}")
