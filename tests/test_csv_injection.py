"""Every CSV the tool writes is inert in a spreadsheet program (OWASP CSV injection), and a machine
reader recovers the original text with one rule (issue 10)."""

from __future__ import annotations

import csv
import shutil

import corpus
import numpy as np
import pandas as pd

from pipeline.cli import main
from pipeline.outputs.values_csv import COLUMNS, neutralise, restore, write_values_csv

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _fields(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_commune_text_is_never_a_live_formula_in_any_csv(tmp_path, samples, tho_thanh):
    inp = tmp_path / "input"
    inp.mkdir()
    for p in samples:
        if p != tho_thanh:
            shutil.copy2(p, inp / p.name)
    corpus.formula_like_text(tho_thanh, inp / tho_thanh.name)
    # A file whose very name starts like a formula reaches findings.csv's "file" column.
    (inp / "=cmd.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["consolidate", "--input", str(inp), "--output", str(out)]) == 0
    for name in ("values.csv", "findings.csv"):
        rows = _fields(out / name)
        live = [f for row in rows for f in row if f.startswith(DANGEROUS) and not _is_number(f)]
        assert live == [], f"{name}: {live[:3]}"
    values = {restore(row[5]) for row in _fields(out / "values.csv")[1:]}
    assert set(corpus.FORMULA_LIKE_TEXTS.values()) <= values
    files = {restore(row[1]) for row in _fields(out / "findings.csv")[1:]}
    assert "=cmd.txt" in files


def test_neutralise_is_undone_by_restore():
    for text in ["=1+1", "+84 912", "-3+5 nhà chưa nghiệm thu", "@SUM(9+4)", "\tx", "\rx", "'quoted",
                 "''", "Thôn 1", "", "a=b"]:
        assert restore(neutralise(text)) == text
        assert not neutralise(text).startswith(DANGEROUS)


def test_streamed_values_csv_matches_pandas_to_csv_after_neutralising(tmp_path):
    """values.csv is written in chunks for speed; its bytes are what pandas writes for the same
    (neutralised) data."""
    rng = np.random.default_rng(7)
    texts = ["Thôn 1", '=HYPERLINK("http://x","y")', "-3+5 nhà", "@SUM(9+4)", "+ Làm mới, 2,5 km",
             'có "ngoặc"', "hai\ndòng", "'đã có dấu nháy", "\tthụt", "a,b"]
    n = 5000
    values = np.empty(n, dtype=object)
    kind = rng.integers(0, 4, n)
    values[kind == 0] = [texts[i] for i in rng.integers(0, len(texts), int((kind == 0).sum()))]
    values[kind == 1] = rng.integers(-50, 50, int((kind == 1).sum())).astype(float)
    values[kind == 2] = rng.normal(0, 1e6, int((kind == 2).sum()))
    values[kind == 3] = -0.0
    cells = pd.DataFrame({
        "unit_code": pd.Series([f"{15600 + i % 7}" for i in range(n)], dtype=object),
        "annex": pd.Series(["PB09"] * n, dtype=object),
        "row_code": pd.Series([str(i % 13) for i in range(n)], dtype=object),
        "column": pd.Series(["ket_qua"] * n, dtype=object),
        "value": pd.Series(values, dtype=object),
        "file": pd.Series(["=x.xlsx" if i % 11 == 0 else "a.xlsx" for i in range(n)], dtype=object),
        "cell": pd.Series([f"C{i % 40 + 9}" for i in range(n)], dtype=object),
        "usable": True,
    })
    names = {f"{15600 + i}": f"Xã -{i}" if i % 2 else f"Xã {i}" for i in range(7)}
    path = tmp_path / "values.csv"
    write_values_csv(cells, names, path)

    def shown(v):
        if isinstance(v, str):
            return neutralise(v)
        return int(v) if float(v).is_integer() else v

    expected = pd.DataFrame({
        "unit_code": cells["unit_code"], "unit_name": cells["unit_code"].map(names).map(neutralise),
        **{c: cells[c].map(neutralise) for c in ("annex", "row_code", "column", "file", "cell")},
        "value": cells["value"].map(shown),
    })[COLUMNS]
    wanted = tmp_path / "pandas.csv"
    expected.to_csv(wanted, index=False, encoding="utf-8-sig")
    assert path.read_bytes() == wanted.read_bytes()
