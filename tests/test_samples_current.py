"""The committed samples are exactly what the code generates today (never stale, never hand-made)."""

from __future__ import annotations

from openpyxl import load_workbook

from pipeline.forms.generate import generate_samples


def _cells(path):
    book = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.value is not None}


def test_committed_samples_match_regenerated(tmp_path, settings, samples):
    fresh = generate_samples(settings, tmp_path)
    assert [p.name for p in fresh] == [p.name for p in samples]
    for new, old in zip(fresh, samples):
        assert _cells(new) == _cells(old), f"{old.name} is stale: run `make samples`"
