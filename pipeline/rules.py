"""Cross-row and cross-sheet rules, declared in one list (``RULES``); each works on all units at once.

Every rule takes the clean cells frame (usable cells only) and yields Findings. Computed cells are
re-evaluated from the commune's inputs with the same formula objects the template wrote, so a
total typed over a formula that disagrees is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.annexes import Annex
from pipeline.annexes.compute import compute_fixed, compute_list_row
from pipeline.annexes.model import MET, NOT_MET
from pipeline.findings import Finding

Frame = pd.DataFrame


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    run: Callable[[Frame, Mapping[str, Annex]], Iterator[Finding]]


def _pick(frame: Frame, annex: str, column: str, row: str | None = None) -> Frame:
    """Cells of one annex column (optionally one row), indexed by (unit_code, file, row_code)."""
    mask = (frame["annex"] == annex) & (frame["column"] == column)
    if row is not None:
        mask &= frame["row_code"] == row
    sub = frame.loc[mask, ["unit_code", "file", "row_code", "number", "value", "sheet", "cell"]]
    return sub.set_index(["unit_code", "file", "row_code"])


def _join(a: Frame, b: Frame, how: str) -> Frame:
    return a.merge(b, left_index=True, right_index=True, how=how, suffixes=("_a", "_b"))


def _at(code: str, cell: pd.Series | tuple, unit: str, file: str, value: object, note: object) -> Finding:
    return Finding.make(code, unit_code=unit, file=file, sheet=cell["sheet"], cell=cell["cell"],
                        value=value, note=note)


def _compare(frame: Frame, annex: str, left: str, right: str, code: str,
             bad: Callable[[pd.Series, pd.Series], pd.Series]) -> Iterator[Finding]:
    """Two columns of the same rows; a finding at the left cell where ``bad(left, right)``."""
    a, b = _pick(frame, annex, left), _pick(frame, annex, right)
    both = _join(a, b, "inner")
    hit = both[bad(both["number_a"], both["number_b"]).fillna(False)]
    for (unit, file, _row), rec in hit.iterrows():
        yield Finding.make(code, unit_code=unit, file=file, sheet=rec["sheet_a"], cell=rec["cell_a"],
                           value=rec["number_a"], note=rec["number_b"])


# Rules


def formulas_overwritten(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """A computed cell whose value differs from the formula evaluated on the inputs."""
    formulas = frame[frame["role"] == "formula"]
    if formulas.empty:
        return
    inputs = frame[frame["role"] == "input"]
    for (unit, file, code), cells in formulas.groupby(["unit_code", "file", "annex"], sort=False):
        annex = annexes[code]
        mine = inputs[(inputs["unit_code"] == unit) & (inputs["file"] == file) & (inputs["annex"] == code)]
        values: dict[str, dict[str, object]] = {}
        for rec in mine[["row_code", "column", "value"]].itertuples(index=False):
            values.setdefault(rec.row_code, {})[rec.column] = rec.value
        if annex.kind == "list":
            expected = {(r, k): v for r, row in values.items()
                        for k, v in compute_list_row(annex, row).items()}
        else:
            expected = compute_fixed(annex, values)
        for rec in cells.itertuples(index=False):
            want = expected.get((rec.row_code, rec.column))
            if _same(rec.value, want):
                continue
            yield Finding.make("formula-overwritten", unit_code=unit, file=file, sheet=rec.sheet,
                               cell=rec.cell, value=rec.value, note=want if want != "" else "(trống)")


def _same(got: object, want: object) -> bool:
    if got is None or got == "":
        return True  # not recalculated (saved by a program that keeps no cached values)
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return abs(float(got) - float(want)) <= 0.05 + 1e-6 * abs(float(want))
    return str(got).strip() == str(want).strip()


def villages_exceed(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Villages meeting the security standard, or listed thôn, cannot exceed số thôn."""
    villages = _pick(frame, "TT", "gia_tri", "SO_THON").droplevel("row_code")["number"]
    secure = _pick(frame, "PB08", "thuc_hien", "12").droplevel("row_code")
    for (unit, file), rec in secure.iterrows():
        limit = villages.get((unit, file))
        if limit is not None and pd.notna(rec["number"]) and rec["number"] > limit:
            yield _at("villages-exceed", rec, unit, file, rec["number"], limit)
    names = _pick(frame, "PB03", "ten_thon")
    for (unit, file), group in names.groupby(level=["unit_code", "file"]):
        limit = villages.get((unit, file))
        if limit is not None and len(group) > limit:
            yield _at("villages-exceed", group.iloc[-1], unit, file, len(group), limit)


def met_exceeds_total(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    yield from _compare(frame, "PB03", "so_tc_dat", "tong_tc", "met-exceeds-total", lambda a, b: a > b)


def disbursed_over_plan(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    yield from _compare(frame, "PB05", "giai_ngan", "ke_hoach", "disbursed-over-plan", lambda a, b: a > b)


def negative_debt(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    yield from _compare(frame, "PB06", "da_xu_ly", "no_dau_ky", "negative-debt", lambda a, b: a > b)


def drop_vs_last_year(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Rates of PB08 worse than the same period last year (the poverty rate is worse when higher)."""
    annex = annexes["PB08"]
    rates = [r.code for r in annex.rows if r.kind == "percent"]
    now, before = _pick(frame, "PB08", "thuc_hien"), _pick(frame, "PB08", "cung_ky")
    both = _join(now, before, "inner")
    both = both[both.index.get_level_values("row_code").isin(rates)]
    poverty = both.index.get_level_values("row_code") == "14"
    worse = ((~poverty) & (both["number_a"] < both["number_b"] - 1e-9)) | \
            (poverty & (both["number_a"] > both["number_b"] + 1e-9))
    for (unit, file, _row), rec in both[worse].iterrows():
        yield Finding.make("drop-vs-last-year", unit_code=unit, file=file, sheet=rec["sheet_a"],
                           cell=rec["cell_a"], value=rec["number_a"], note=rec["number_b"])


def criteria_assessment(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Indicators: a result without an assessment; "Đạt" whose value misses the catalogue threshold."""
    regions = _pick(frame, "TT", "gia_tri", "VUNG").droplevel("row_code")["value"]
    for code in ("PB01", "PB02"):
        annex = annexes[code]
        result, verdict = _pick(frame, code, "ket_qua"), _pick(frame, code, "danh_gia")
        both = _join(result, verdict, "left")
        for (unit, file, row_code), rec in both.iterrows():
            row = annex.row(row_code)
            item = row.meta.get("catalogue")
            if item is None:
                continue
            if pd.isna(rec.get("value_b")) or rec.get("value_b") is None:
                yield Finding.make("assessment-missing", unit_code=unit, file=file,
                                   sheet=rec["sheet_a"], cell=rec["cell_a"])
                continue
            if rec["value_b"] != MET or pd.isna(rec["number_a"]) or not item.compare:
                continue
            region = regions.get((unit, file))
            try:
                meets = item.meets(rec["number_a"], region if isinstance(region, str) else None)
            except ValueError:
                meets = item.meets(rec["number_a"], None)
            if meets is False:
                threshold = item.threshold_for(region if isinstance(region, str) else None) \
                    if isinstance(region, str) else item.threshold
                level = "Lưu ý" if item.to_check else None  # unconfirmed thresholds only inform
                yield Finding.make("threshold-miss", unit_code=unit, file=file, sheet=rec["sheet_b"],
                                   cell=rec["cell_b"], value=rec["number_a"],
                                   note=f"{item.compare} {threshold:g}", level=level)


RULES: tuple[Rule, ...] = (
    Rule("formula-overwritten", "Ô tự tính bị gõ đè bằng giá trị khác", formulas_overwritten),
    Rule("villages-exceed", "Số thôn vượt quá số thôn của xã", villages_exceed),
    Rule("met-exceeds-total", "Số tiêu chí thôn đạt lớn hơn tổng số", met_exceeds_total),
    Rule("disbursed-over-plan", "Giải ngân vượt kế hoạch", disbursed_over_plan),
    Rule("negative-debt", "Đã xử lý lớn hơn nợ đầu kỳ", negative_debt),
    Rule("drop-vs-last-year", "Kém hơn cùng kỳ năm trước", drop_vs_last_year),
    Rule("criteria-assessment", "Đánh giá chỉ tiêu so với kết quả và ngưỡng", criteria_assessment),
)


def check_rules(frame: Frame, annexes: Mapping[str, Annex]) -> list[Finding]:
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule.run(frame, annexes))
    return found


__all__ = ["RULES", "Rule", "check_rules", "MET", "NOT_MET"]
