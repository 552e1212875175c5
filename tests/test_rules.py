"""Cross-row rules on small hand-built cells frames: each finding, where it is and what it says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.checks.rules import RULES, check_rules
from pipeline.core.findings import CATALOGUE
from pipeline.core.states import Level

COLUMNS = ("unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "value", "number")


def _frame(cells: list[tuple]) -> pd.DataFrame:
    """Cells as (unit, annex, row, column, role, value); file, sheet and address are derived."""
    records = []
    for n, (unit, annex, row, column, role, value) in enumerate(cells):
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan
        records.append((unit, f"{unit}.xlsx", annex, f"{column}{n}", annex, row, column, role, value, number))
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    # The frame contract: object text columns, as the pipeline builds them.
    return frame.astype({c: object for c in COLUMNS if c != "number"})


def _found(frame, annexes, code=None):
    return [f for f in check_rules(frame, annexes) if code is None or f.code == code]


def _pb04(unit: str, total: object, i1: float, i2: float) -> list[tuple]:
    """PB04 group I (I.1 + I.2) with its typed total, in column thuc_hien."""
    return [(unit, "PB04", "I", "thuc_hien", "formula", total),
            (unit, "PB04", "I.1", "thuc_hien", "input", i1),
            (unit, "PB04", "I.2", "thuc_hien", "input", i2)]


def test_sum_typed_over_is_found_at_the_total(annexes):
    frame = _frame(_pb04("10001", 100.0, 40.0, 50.0) + _pb04("10002", 90.02, 40.0, 50.0))
    found = _found(frame, annexes, "formula-overwritten")
    assert [(f.unit_code, f.cell) for f in found] == [("10001", "thuc_hien0")]
    assert found[0].level == Level.WARNING and (
        "gõ đè thành 100; tính từ số liệu chi tiết được 90, bảng tổng hợp của huyện dùng số 90." in found[0].message)


def test_blank_formula_cells_are_not_checked(annexes):
    frame = _frame(_pb04("10001", "", 40.0, 50.0) + _pb04("10002", None, 1.0, 2.0))
    assert _found(frame, annexes) == []


def test_criterion_recomputed_from_its_indicators(annexes):
    cells = []
    for unit, typed, indicators in (("10001", "Đạt", ("Đạt", "Chưa đạt")),  # should be Chưa đạt
                                    ("10002", "Đạt", ("Đạt", "Đạt")),
                                    ("10003", "Chưa đạt", ("Đạt", None))):  # should be blank
        cells.append((unit, "PB01", "1", "danh_gia", "formula", typed))
        cells += [(unit, "PB01", f"1.{i}", "danh_gia", "input", v) for i, v in enumerate(indicators, 1)]
    found = _found(_frame(cells), annexes, "formula-overwritten")
    assert [f.unit_code for f in found] == ["10001", "10003"]
    assert "Chưa đạt" in found[0].message and "(trống)" in found[1].message


def test_list_rows_are_recomputed_row_by_row(annexes):
    cells = []
    for row, plan, paid, typed in (("1", 100.0, 40.0, 40.0), ("2", 100.0, 40.0, 50.0), ("3", 0.0, 5.0, "")):
        cells += [("10001", "PB05", row, "ke_hoach", "input", plan),
                  ("10001", "PB05", row, "giai_ngan", "input", paid),
                  ("10001", "PB05", row, "ty_le", "formula", typed)]
    found = _found(_frame(cells), annexes, "formula-overwritten")
    assert [f.cell for f in found] == ["ty_le5"]


def test_each_file_of_a_unit_is_checked_on_its_own(annexes):
    frame = _frame(_pb04("10001", 90.0, 40.0, 50.0) + _pb04("10001", 90.0, 10.0, 10.0))
    frame.loc[3:, "file"] = "10001 (2).xlsx"
    found = _found(frame, annexes, "formula-overwritten")
    assert [(f.file, f.cell) for f in found] == [("10001 (2).xlsx", "thuc_hien3")]


def test_cells_in_any_order_give_the_same_findings(annexes):
    cells = (_pb04("10001", 100.0, 40.0, 50.0) + _pb04("10002", 3.0, 1.0, 1.0)
             + [("10001", "PB03", "1", "so_tc_dat", "input", 16.0),
                ("10001", "PB03", "1", "tong_tc", "input", 15.0)])
    frame = _frame(cells)
    shuffled = frame.iloc[np.random.default_rng(3).permutation(len(frame))].reset_index(drop=True)
    key = lambda f: (f.code, f.unit_code, f.cell)  # noqa: E731
    assert sorted(map(key, _found(frame, annexes))) == sorted(map(key, _found(shuffled, annexes)))
    assert len(_found(frame, annexes)) == 3


def test_two_columns_of_one_row(annexes):
    frame = _frame([("10001", "PB05", "1", "ke_hoach", "input", 100.0),
                    ("10001", "PB05", "1", "giai_ngan", "input", 120.0),
                    ("10001", "PB05", "2", "giai_ngan", "input", 120.0),  # no plan: not compared
                    ("10001", "PB06", "1", "no_dau_ky", "input", 10.0),
                    ("10001", "PB06", "1", "da_xu_ly", "input", 5.0),
                    ("10002", "PB08", "7", "thuc_hien", "input", 80.0),
                    ("10002", "PB08", "7", "cung_ky", "input", 96.0),
                    ("10002", "PB08", "14", "thuc_hien", "input", 5.0),  # poverty: lower is better
                    ("10002", "PB08", "14", "cung_ky", "input", 6.0)])
    found = _found(frame, annexes)
    assert [(f.code, f.cell) for f in found] == [("disbursed-over-plan", "giai_ngan1"),
                                                  ("drop-vs-last-year", "thuc_hien5")]


def test_villages_over_the_commune_count(annexes):
    cells = [("10001", "TT", "SO_THON", "gia_tri", "input", 2.0),
             ("10001", "PB08", "12", "thuc_hien", "input", 3.0)]
    cells += [("10001", "PB03", str(i), "ten_thon", "input", f"Thôn {i}") for i in range(1, 4)]
    found = _found(_frame(cells), annexes, "villages-exceed")
    assert [(f.cell, f.message) for f in found] == [
        ("thuc_hien1", "3 thôn vượt quá số thôn của xã (2)."),
        ("ten_thon4", "3 thôn vượt quá số thôn của xã (2)."),  # at the last thôn listed
    ]


def test_assessment_missing_and_regional_threshold(annexes):
    # 4.2: ">= 98" nationally, 95 in TDMNPB.
    cells = [("10001", "TT", "VUNG", "gia_tri", "input", "TDMNPB"),
             ("10002", "TT", "VUNG", "gia_tri", "input", "Vùng không có"),  # unknown: national
             ("10003", "TT", "VUNG", "gia_tri", "input", None)]
    for unit in ("10001", "10002", "10003"):
        cells += [(unit, "PB01", "4.2", "ket_qua", "input", 96.0),
                  (unit, "PB01", "4.2", "danh_gia", "input", "Đạt"),
                  (unit, "PB01", "1.1", "ket_qua", "input", 5.0)]  # no assessment
    found = _found(_frame(cells), annexes)
    assert [(f.code, f.unit_code, f.cell) for f in found] == [
        ("assessment-missing", "10001", "ket_qua5"), ("assessment-missing", "10002", "ket_qua8"),
        ("assessment-missing", "10003", "ket_qua11"),
        ("threshold-miss", "10002", "danh_gia7"), ("threshold-miss", "10003", "danh_gia10")]
    assert found[-1].level == Level.INFO and "(từ 98% trở lên)" in found[-1].message


def test_region_is_read_by_its_name_as_the_dropdown_offers_it(annexes):
    """The Vùng dropdown lists names; a name (or an older template's code) picks the region."""
    from pipeline.config.regions import REGIONS

    for typed in (REGIONS["TDMNPB"], "TDMNPB"):
        cells = [("10001", "TT", "VUNG", "gia_tri", "input", typed),
                 ("10001", "PB01", "4.2", "ket_qua", "input", 96.0),  # 95 in TDMNPB, 98 elsewhere
                 ("10001", "PB01", "4.2", "danh_gia", "input", "Đạt")]
        assert _found(_frame(cells), annexes, "threshold-miss") == [], typed


@pytest.mark.parametrize("rule", RULES, ids=[r.run.__name__ for r in RULES])
def test_each_rule_runs_alone_and_on_an_empty_frame(annexes, rule):
    frame = _frame(_pb04("10001", 1.0, 40.0, 50.0))
    assert list(rule.run(frame.iloc[:0], annexes)) == []
    found = list(rule.run(frame, annexes))
    overwrites = rule.run.__name__ == "formulas_overwritten"
    assert [f.code for f in found] == (["formula-overwritten"] if overwrites else [])


def test_every_code_a_rule_declares_is_in_the_findings_catalogue():
    declared = [code for rule in RULES for code in rule.emits]
    assert declared and len(declared) == len(set(declared))
    assert [code for code in declared if code not in CATALOGUE] == []


def _money(unit: str, disbursed: list[float], mobilised: dict[str, float]) -> list[tuple]:
    cells = [(unit, "PB05", str(i), "giai_ngan", "input", v) for i, v in enumerate(disbursed, 1)]
    return cells + [(unit, "PB04", row, "luy_ke", "input", v) for row, v in mobilised.items()]


def test_disbursement_must_match_state_funds_mobilised(annexes):
    """PB05 (Σ giải ngân) against PB04 NSTW + tỉnh (I.1, I.2, II.1, lũy kế), 5 % or 1 triệu apart."""
    frame = _frame(
        _money("10001", [100.0, 200.0], {"I.1": 150.0, "I.2": 0.0, "II.1": 140.0})   # 300 vs 290: ok
        + _money("10002", [6790.8], {"I.1": 2002.2, "I.2": 0.0, "II.1": 0.0})        # Xuân Cao's old sample
        + _money("10003", [], {"I.1": 0.0, "II.1": 0.5})                              # under 1 triệu: ok
        + _money("10004", [400.0], {"I.1": 0.0, "II.2": 400.0})                      # huyện is no state fund
        + _money("10005", [400.0], {}))                                               # PB04 not filled: not compared
    found = _found(frame, annexes, "disbursed-vs-mobilised")
    assert [f.unit_code for f in found] == ["10002", "10004"]
    first = found[0]
    assert first.level == Level.WARNING and first.sheet == "PB04"  # at the mobilised cell
    assert "6.790,8" in first.message and "2.002,2" in first.message


def test_drop_vs_last_year_of_a_figure_typed_in_pb01(annexes):
    """BHYT is typed once (PB01 15.1); PB08 row 8 holds last year's figure: compared across sheets."""
    cells = [("10001", "PB01", "15.1", "ket_qua", "input", 88.0),
             ("10001", "PB08", "8", "cung_ky", "input", 90.0),
             ("10002", "PB01", "15.1", "ket_qua", "input", 92.0),
             ("10002", "PB08", "8", "cung_ky", "input", 90.0)]
    found = _found(_frame(cells), annexes, "drop-vs-last-year")
    assert [(f.unit_code, f.sheet) for f in found] == [("10001", "PB01")]


def test_a_recognition_year_without_its_decision_is_noted(annexes):
    cells = [("10001", "PB10", "NTM", "nam_cong_nhan", "input", 2019),
             ("10001", "PB10", "NTM", "so_qd", "input", "1234/QĐ-UBND"),
             ("10001", "PB10", "NC", "nam_cong_nhan", "input", 2023),           # no decision
             ("10002", "PB03", "1", "nam_kieu_mau", "input", 2024),
             ("10002", "PB03", "1", "so_qd_kieu_mau", "input", "  "),           # blank decision
             ("10002", "PB03", "2", "nam_kieu_mau", "input", 2023),
             ("10002", "PB03", "2", "so_qd_kieu_mau", "input", "45/QĐ-UBND")]
    found = _found(_frame(cells), annexes, "decision-missing")
    assert [(f.unit_code, f.sheet, f.level) for f in found] == [("10001", "PB10", Level.INFO),
                                                                ("10002", "PB03", Level.INFO)]
    assert "2023" in found[0].message
