"""Every fast path against its plain twin, on real outputs of the pipeline.

- ``FormulaSheet`` (skips xlsxwriter's dynamic-array renaming when it cannot apply) against the plain
  worksheet, over every formula the summary workbook of a real run contains;
- ``values_csv`` (chunked, one field per distinct value) against ``DataFrame.to_csv`` on the same rows.

(The template shortcut of the reader is compared with the Excel-table path in test_read_paths.py.)
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from importlib.metadata import version

import corpus
import pandas as pd
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.district.tables import build_district
from pipeline.excel.fast_sheet import FormulaSheet
from pipeline.outputs import values_csv
from pipeline.outputs.summary import write_summary
from pipeline.run import run_checks

#: The xlsxwriter release whose list of renamed functions ``fast_sheet._REWRITTEN`` copies.
XLSXWRITER_CHECKED = "3.3.1"


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory, settings, samples):
    """A run over the samples with a few commune mistakes: formulas typed over, text in numbers,
    a formula-like text, so the outputs hold every kind of cell."""
    folder = tmp_path_factory.mktemp("in")
    breaks = [corpus.formula_overwritten, corpus.money_as_text, corpus.formula_like_text,
              corpus.percent_over_100, corpus.village_duplicated]
    for i, src in enumerate(samples):
        if i < len(breaks):
            breaks[i](src, folder / src.name)
        else:
            shutil.copy(src, folder / src.name)
    return run_checks(settings, settings.period, folder, quiet=True)


def test_xlsxwriter_is_the_release_fast_sheet_was_checked_against():
    # fast_sheet._REWRITTEN copies the function names of xlsxwriter's Worksheet._prepare_formula.
    # A new release may rename more functions: re-read its _prepare_formula, update the list, then
    # this constant.
    assert version("xlsxwriter") == xlsxwriter.__version__ == XLSXWRITER_CHECKED


def test_formula_sheet_prepares_every_summary_formula_like_xlsxwriter(broken_run, tmp_path,
                                                                     monkeypatch):
    seen: list[tuple[str, bool]] = []
    original = FormulaSheet._prepare_formula

    def recording(self, formula, expand_future_functions=False):
        seen.append((formula, expand_future_functions))
        return original(self, formula, expand_future_functions)

    monkeypatch.setattr(FormulaSheet, "_prepare_formula", recording)
    write_summary(broken_run, build_district(broken_run), tmp_path / "summary.xlsx")
    assert len(seen) > 300  # totals, footers, per-row formulas of every table
    book = xlsxwriter.Workbook(str(tmp_path / "plain.xlsx"))
    fast, plain = book.add_worksheet("a", worksheet_class=FormulaSheet), book.add_worksheet("b")
    assert type(plain) is Worksheet
    mismatched = [(f, x) for f, x in set(seen)
                  if original(fast, f, x) != plain._prepare_formula(f, x)]
    book.close()
    assert not mismatched


def _to_csv_twin(cells: pd.DataFrame, names: dict[str, str], path) -> None:
    """What values.csv must hold, written the plain way."""
    rows = values_csv.used_values(cells)
    frame = pd.DataFrame({c: cells[c].to_numpy(dtype=object)[rows]
                          for c in values_csv.COLUMNS if c != "unit_name"})
    frame.insert(1, "unit_name", [names.get(u, "") for u in frame["unit_code"]])
    frame["value"] = [int(v) if isinstance(v, float) and v.is_integer() else v
                      for v in frame["value"]]
    # Text that a spreadsheet would take for a formula is neutralised in both (OWASP).
    frame = frame.map(lambda v: values_csv.neutralise(v) if isinstance(v, str) else v)
    frame[values_csv.COLUMNS].to_csv(path, index=False, encoding="utf-8-sig")


def test_formula_sheet_prepares_every_template_formula_like_xlsxwriter(blank, tmp_path):
    """The commune template's formulas too (should the template ever use the fast sheet)."""
    with zipfile.ZipFile(blank) as zf:
        formulas = {html.unescape(f) for name in zf.namelist() if name.startswith("xl/worksheets/")
                    for f in re.findall(r"<f>([^<]*)</f>", zf.read(name).decode("utf-8"))}
    assert len(formulas) > 50
    book = xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    fast, plain = book.add_worksheet("a", worksheet_class=FormulaSheet), book.add_worksheet("b")
    assert [f for f in formulas
            if fast._prepare_formula("=" + f) != plain._prepare_formula("=" + f)] == []
    book.close()


@pytest.mark.parametrize("chunk", [values_csv.CHUNK, 97])
def test_values_csv_equals_to_csv_on_a_real_run(broken_run, settings, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(values_csv, "CHUNK", chunk)  # 97: many chunk borders on 16 units
    names = {u.code: u.name for u in settings.registry.units}
    values_csv.write_values_csv(broken_run.cells, names, tmp_path / "fast.csv")
    _to_csv_twin(broken_run.cells, names, tmp_path / "plain.csv")
    fast, plain = (tmp_path / "fast.csv").read_bytes(), (tmp_path / "plain.csv").read_bytes()
    assert fast.count(b"\n") > 5000
    assert fast == plain


def test_values_csv_equals_to_csv_on_awkward_values(tmp_path):
    values = ["a,b", 'say "hi"', "line\nbreak", "=SUM(1)", " lead", "", None, float("nan"), 3.0,
              -0.0, 2.5, 1e-7, 12345678901234.0, 7, "Thọ Thanh", "x\r\ny"]
    n = len(values)
    cells = pd.DataFrame({
        "unit_code": ["15652"] * n, "annex": ["PB08"] * n, "row_code": [str(i) for i in range(n)],
        "column": ["thuc_hien"] * n, "value": pd.Series(values, dtype=object),
        "file": ["a, b.xlsx"] * n, "cell": [f"D{i + 9}" for i in range(n)], "usable": [True] * n,
    })
    names = {"15652": "Xã Thọ Thanh"}
    values_csv.write_values_csv(cells, names, tmp_path / "fast.csv")
    _to_csv_twin(cells, names, tmp_path / "plain.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
