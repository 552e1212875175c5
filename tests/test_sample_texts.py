"""The bundled samples read like communes' reports: varied texts, and no rule broken."""

from __future__ import annotations

import csv
import re

from openpyxl import load_workbook
from sheets import cell_at

from pipeline.cli import main

THO_THANH = "15652_"
NARRATIVE = ("VB", "BCD", "TT", "KQ", "HC", "NN", "KN")


def _texts(path, sheet: str, codes, title: str) -> list[str]:
    ws = load_workbook(path)[sheet]
    return [cell_at(ws, code, title).value for code in codes]


def test_other_communes_have_varied_texts_not_placeholders(samples):
    others = [p for p in samples if not p.name.startswith(THO_THANH)]
    components = {p.name: _texts(p, "Nội dung thành phần", [str(i) for i in range(1, 12)],
                                 "Kết quả chủ yếu") for p in others}
    narrative = {p.name: _texts(p, "Chỉ đạo, kiến nghị", NARRATIVE, "Nội dung báo cáo")
                 for p in others}
    for name, texts in (components | narrative).items():
        assert all(isinstance(t, str) and len(t) > 30 for t in texts), name
        assert not any(re.search(r"tiếp tục triển khai nội dung \d+", t) for t in texts), name
    # Two communes rarely write the same: most difficulties and proposals differ.
    for k in range(len(NARRATIVE)):
        assert len({texts[k] for texts in narrative.values()}) >= len(others) // 2, NARRATIVE[k]


def test_samples_break_no_rule(samples, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out)]) == 0
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as stream:
        findings = list(csv.DictReader(stream))
    assert findings == []
