"""Every message a person reads is written as a Vietnamese colleague would write it.

The catalogue's templates and hints are scanned, and so is every message of a consolidation over a
folder of broken copies (tests/corpus.py: the ways communes break their files), for the defects a
reviewer found: doubled spaces or full stops, programming operators, numbers in English or
scientific form, a year written with a thousands dot, English words, an empty quoted value.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import corpus
import pytest

from pipeline.cli import main
from pipeline.core.findings import CATALOGUE, LABELS
from pipeline.outputs.values_csv import restore

#: Broken copies that are cheap to make (the huge and zip-bomb cases have file-level findings only).
CASES = ("money_as_text", "garbage_in_number", "percent_over_100", "assessment_case",
         "assessment_not_in_list", "formula_overwritten", "debt_paid_over_opening",
         "disbursed_over_plan", "village_duplicated", "met_exceeds_total", "villages_exceed",
         "row_inserted", "sheet_renamed", "sheet_deleted", "merged_cells", "last_years_file",
         "unknown_unit", "formula_like_text", "legacy_font_text", "nfd_text", "not_a_zip",
         "truncated", "encrypted", "excel_lock_file", "pdf_report", "many_slips")

SLIPS_SHEET_OCOP = "Sản phẩm OCOP"


def many_slips(src: Path, dst: Path) -> Path:
    """The slips the reviewer saw, in one workbook: a decimal typed in a whole-number cell, a
    million typed as text, a year out of range typed as text, a value outside a dropdown list in a
    required column, a rate below the same period last year."""
    def change(book):
        ws = book[corpus.SHEET_PB08]
        corpus._set(ws, corpus.find_row(ws, "1"), corpus.find_column(ws, corpus.DONE), "1.234,5",
                    as_text=True)
        done, before = corpus.find_column(ws, corpus.DONE), corpus.find_column(ws, "Cùng kỳ năm trước")
        corpus._set(ws, corpus.find_row(ws, "9"), done, 50)
        corpus._set(ws, corpus.find_row(ws, "9"), before, 90)
        ws = book[corpus.SHEET_PB04]
        corpus._set(ws, corpus.find_row(ws, "III"), corpus.find_column(ws, corpus.DONE), "1.000.000",
                    as_text=True)
        ws = book[SLIPS_SHEET_OCOP]
        row = corpus.used_rows(ws, "Tên sản phẩm")[0]
        corpus._set(ws, row, corpus.find_column(ws, "Nhóm sản phẩm"), "Rau quả tươi")
        corpus._set(ws, row, corpus.find_column(ws, "Năm công nhận"), "1990", as_text=True)
    return corpus._edit(src, dst, change)


#: English words that crept into messages before (whole words, case-insensitive).
ENGLISH = ("file-", "error", "warning", "value", "cell", "sheet", "row", "column", "none", "nan",
           "null", "missing", "invalid", "not a", "merge")
# "Unmerge", "File > Info > …" name Excel's own menus and stay as Excel writes them.
EXCEL_MENUS = re.compile(r"\((?:Unmerge|File > [^)]*)\)|\bmerge\)|Protect Workbook|Encrypt with Password")


def defects(text: str) -> list[str]:
    found = []
    plain = EXCEL_MENUS.sub("X", text)
    checks = {
        "double space": r"\S  +\S",
        "doubled full stop": r"(?<!\.)\.\.(?!\.)|\.\s*\.$|…\.",
        "operator": r">=|<=|!=|==|(?<![-\w])[<>](?![-\w])",
        "scientific number": r"\d[eE][+-]?\d",
        "decimal point": r"(?<![\d.])\d+\.\d{1,2}(?![\d.])(?!\s*(?:MB|KB))",
        "year with a thousands dot": r"\b[12]\.\d{3}\b(?!\.\d)(?!,)",
        "empty quote": r"''|\"\"|  phải",
        "empty value": r"Giá trị\s+(?:phải|không|nằm)",
        "lower-case start": r"^[a-zđàáảãạăâèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵ]",
        "ocop in lower case": r"\b(?:ocop|Ocop)\b",
    }
    for name, pattern in checks.items():
        if re.search(pattern, plain):
            found.append(name)
    for word in ENGLISH:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", plain, re.I):
            found.append(f"English word {word!r}")
    return found


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_catalogue_reads_well(code):
    kind = CATALOGUE[code]
    assert LABELS.get(code) and LABELS[code] != code and not defects(LABELS[code]), code
    for text in (kind.template, kind.hint):
        problems = [p for p in defects(text.replace("{value}", "X").replace("{note}", "X"))
                    if p != "English word 'file-'"]
        assert not problems, (code, text, problems)
        assert text.rstrip().endswith((".", "?")) or text == "{note}", (code, text)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory, samples):
    """Findings of consolidations over the broken copies, each of another unit's sample (a unit
    that sent several files has only its newest checked), as many runs as needed."""
    folder = tmp_path_factory.mktemp("broken")
    findings = []
    for batch in range(0, len(CASES), len(samples)):
        inp, out = folder / f"input{batch}", folder / f"output{batch}"
        inp.mkdir()
        for name, sample in zip(CASES[batch:batch + len(samples)], samples):
            make = many_slips if name == "many_slips" else getattr(corpus, name)
            make(sample, inp / f"{name}{sample.suffix}")
        assert main(["consolidate", "--input", str(inp), "--output", str(out)]) == 0
        with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as fh:
            # Fields are read back as a script would: undoing the formula-injection guard.
            findings += [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(fh)]
    return findings


def test_every_rendered_message_reads_well(broken_run):
    assert len({f["code"] for f in broken_run}) > 15  # the corpus really broke many things
    bad = {}
    for f in broken_run:
        for text in (f["message"], f["hint"]):
            problems = defects(text)
            if f["code"].startswith("file-"):  # the library's own reason, quoted for the clerk
                problems = [p for p in problems if not p.startswith("English")]
            if problems:
                bad.setdefault(f["code"], (text, problems))
    assert not bad, bad


def _slips(broken_run):
    return [f for f in broken_run if f["file"] == "many_slips.xlsx"]


def test_slips_are_written_the_vietnamese_way(broken_run):
    messages = {f["code"]: f["message"] for f in _slips(broken_run)}
    assert messages["not-integer"] == "Giá trị '1.234,5' không phải là số nguyên."
    assert any("thành số 1.000.000." in f["message"] for f in _slips(broken_run)
               if f["code"] == "value-normalized")
    years = [f["message"] for f in _slips(broken_run) if f["code"] == "out-of-range"]
    assert years and all(not re.search(r"\b[12]\.\d{3}\b", m) for m in years), years
    assert "1990" in years[0] and "từ 2018 đến 2030" in years[0]
    assert messages["drop-vs-last-year"] == "Kết quả 50% kém hơn cùng kỳ năm trước (90%)."


def test_one_defect_one_finding(broken_run):
    cells = [(f["sheet"], f["cell"]) for f in _slips(broken_run) if f["sheet"] == SLIPS_SHEET_OCOP
             and f["level"] in ("Lỗi", "Cảnh báo")]
    assert len(cells) == len(set(cells)), cells
    codes = {f["code"] for f in _slips(broken_run) if f["sheet"] == SLIPS_SHEET_OCOP}
    assert "not-in-list" in codes and "required-missing" not in codes


def test_period_is_named_in_words(broken_run):
    wrong = [f["message"] for f in broken_run if f["code"] == "period-mismatch"]
    assert wrong and all(re.search(r"6 tháng (đầu|cuối) năm \d{4}", m) for m in wrong), wrong


def test_ghi_chu_cells_prompt_their_own_hint(blank):
    from openpyxl import load_workbook

    from pipeline.annexes.common import note_column

    book = load_workbook(blank)
    prompts = {dv.prompt for ws in book.worksheets for dv in ws.data_validations.dataValidation
               if dv.promptTitle == "Ghi chú"}
    assert prompts == {note_column().hint}
