"""Cross-row and cross-sheet rules, declared in one list (``RULES``); each works on all units at once.

Every rule takes the clean cells frame (usable cells only) and yields Findings. Computed cells are
re-evaluated from the commune's inputs with the same formula objects the template wrote, so a
total typed over a formula that disagrees is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.annexes import Annex
from pipeline.annexes.compute import compute_fixed_many, compute_list_many
from pipeline.annexes.model import MET, NOT_MET
from pipeline.findings import INFO, Finding

Frame = pd.DataFrame


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    run: Callable[[Frame, Mapping[str, Annex]], Iterator[Finding]]


class _Groups:
    """Row positions of each (annex, column) of one frame, built once per ``check_rules`` call."""

    def __init__(self, frame: Frame):
        self.frame = frame
        self.by_column = frame.groupby(["annex", "column"], sort=False, observed=True).indices
        parts: dict[str, list[np.ndarray]] = {}
        for (annex, _column), at in self.by_column.items():
            parts.setdefault(annex, []).append(at)
        self.by_annex = {a: np.sort(np.concatenate(p)) for a, p in parts.items()}


_GROUPS: ContextVar[_Groups | None] = ContextVar("_GROUPS", default=None)


def _groups(frame: Frame) -> _Groups:
    groups = _GROUPS.get()
    if groups is None or groups.frame is not frame:
        groups = _Groups(frame)
    return groups


_EMPTY = np.empty(0, dtype=np.intp)


def _pick(frame: Frame, annex: str, column: str, row: str | None = None) -> Frame:
    """Cells of one annex column (optionally one row), indexed by (unit_code, file, row_code)."""
    at = _groups(frame).by_column.get((annex, column), _EMPTY)
    sub = _take(frame, at, ["unit_code", "file", "row_code", "number", "value", "sheet", "cell"])
    if row is not None:
        sub = sub[sub["row_code"] == row]
    return sub.set_index(["unit_code", "file", "row_code"])


def _take(frame: Frame, at: np.ndarray, columns: list[str]) -> Frame:
    """Rows ``at`` (positions) of a few columns, copying only those columns."""
    return pd.DataFrame({c: frame[c].take(at) for c in columns})


def _inputs(frame: Frame, annex: str, columns: list[str]) -> Frame:
    """The input cells of one annex, in frame order."""
    at = _groups(frame).by_annex.get(annex, _EMPTY)
    at = at[frame["role"].to_numpy(dtype=object)[at] == "input"]
    return _take(frame, at, columns)


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
    for (unit, file, _row), sheet, cell, value, note in zip(
            hit.index, hit["sheet_a"], hit["cell_a"], hit["number_a"], hit["number_b"]):
        yield Finding.make(code, unit_code=unit, file=file, sheet=sheet, cell=cell,
                           value=value, note=note)


# Rules


def formulas_overwritten(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """A computed cell whose value differs from the formula evaluated on the inputs.

    All units at once: the formula objects the template wrote evaluate over Series (one value per
    unit), so the cost does not grow with a Python loop per commune.
    """
    key = ["unit_code", "file"]
    formulas = frame.iloc[np.flatnonzero((frame["role"] == "formula").to_numpy())]
    cells = formulas["value"]
    formulas = formulas[cells.notna() & (cells.astype(str) != "")]
    by_annex = formulas.groupby("annex", sort=False, observed=True).indices
    for code in formulas["annex"].unique():
        annex = annexes[code]
        mine = formulas.iloc[by_annex[code]]
        inputs = _inputs(frame, code, key + ["row_code", "column", "value"])
        if annex.kind == "list":
            rows = inputs.pivot(index=key + ["row_code"], columns="column", values="value")
            expected = pd.concat(compute_list_many(annex, rows), names=["column"])
            expected = expected.reorder_levels(key + ["row_code", "column"])
        else:
            wide = {col: g.pivot(index=key, columns="row_code", values="value")
                    for col, g in inputs.groupby("column")}
            index = pd.MultiIndex.from_frame(mine[key].drop_duplicates())
            computed = compute_fixed_many(annex, wide, index)
            expected = pd.concat(computed, names=["row_code", "column"])
            expected = expected.reorder_levels(key + ["row_code", "column"])
        want = mine.join(expected.rename("want"), on=key + ["row_code", "column"])
        for rec in want[_disagree(want["value"], want["want"])].itertuples(index=False):
            yield Finding.make("formula-overwritten", unit_code=rec.unit_code, file=rec.file,
                               sheet=rec.sheet, cell=rec.cell, value=rec.value,
                               note=rec.want if rec.want not in ("", None) else "(trống)")


def _disagree(got: pd.Series, want: pd.Series) -> pd.Series:
    """Numbers within rounding (0.05) agree; anything else must be the same text."""
    got_n, want_n = pd.to_numeric(got, errors="coerce"), pd.to_numeric(want, errors="coerce")
    numeric = got_n.notna() & want_n.notna()
    off = (got_n - want_n).abs() > 0.05 + 1e-6 * want_n.abs()
    text = got.astype(str).str.strip() != want.fillna("").astype(str).str.strip()
    return (numeric & off) | (~numeric & text)


def villages_exceed(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Villages meeting the security standard, or listed thôn, cannot exceed số thôn."""
    villages = _pick(frame, "TT", "gia_tri", "SO_THON").droplevel("row_code")["number"]
    secure = _pick(frame, "PB08", "thuc_hien", "12").droplevel("row_code")
    for (unit, file), number, sheet, cell in zip(secure.index, secure["number"], secure["sheet"],
                                                 secure["cell"]):
        limit = villages.get((unit, file))
        if limit is not None and pd.notna(number) and number > limit:
            yield Finding.make("villages-exceed", unit_code=unit, file=file, sheet=sheet, cell=cell,
                               value=number, note=limit)
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
    hit = both[worse]
    for (unit, file, _row), sheet, cell, value, note in zip(
            hit.index, hit["sheet_a"], hit["cell_a"], hit["number_a"], hit["number_b"]):
        yield Finding.make("drop-vs-last-year", unit_code=unit, file=file, sheet=sheet,
                           cell=cell, value=value, note=note)


def _region(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _threshold(item, region: str | None) -> float | None:
    try:
        return item.threshold_for(region)
    except ValueError:  # a region the catalogue does not know: the national threshold
        return item.threshold


def criteria_assessment(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Indicators: a result without an assessment; "Đạt" whose value misses the catalogue threshold
    (a Lưu ý only, where the catalogue row is still to be checked against the official text)."""
    regions = _pick(frame, "TT", "gia_tri", "VUNG").droplevel("row_code")["value"].map(_region)
    for code in ("PB01", "PB02"):
        items = {r.code: r.meta["catalogue"] for r in annexes[code].rows if "catalogue" in r.meta}
        both = _join(_pick(frame, code, "ket_qua"), _pick(frame, code, "danh_gia"), "left")
        both = both[both.index.get_level_values("row_code").isin(list(items))]
        missing = both["value_b"].isna()
        hit = both[missing]
        for (unit, file, _row), sheet, cell in zip(hit.index, hit["sheet_a"], hit["cell_a"]):
            yield Finding.make("assessment-missing", unit_code=unit, file=file, sheet=sheet, cell=cell)
        met = both[(both["value_b"] == MET) & both["number_a"].notna()]
        if met.empty:
            continue
        units = met.index.droplevel("row_code")
        rows = met.index.get_level_values("row_code")
        region = pd.Series(regions.reindex(units).to_numpy(), index=met.index)
        limits = pd.Series([_threshold(items[r], g) for r, g in zip(rows, region)], index=met.index,
                           dtype=float)
        compare = pd.Series([items[r].compare for r in rows], index=met.index)
        value = met["number_a"]
        miss = ((compare == ">=") & (value < limits - 1e-9)) | ((compare == "<=") & (value > limits + 1e-9))
        hit = met[miss.fillna(False)]
        for (unit, file, row), sheet, cell, value in zip(hit.index, hit["sheet_b"], hit["cell_b"],
                                                         hit["number_a"]):
            item = items[row]
            yield Finding.make("threshold-miss", unit_code=unit, file=file, sheet=sheet,
                               cell=cell, value=value,
                               note=f"{item.compare} {limits[(unit, file, row)]:g}",
                               level=INFO if item.to_check else None)


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
    token = _GROUPS.set(_Groups(frame))
    try:
        for rule in RULES:
            found.extend(rule.run(frame, annexes))
    finally:
        _GROUPS.reset(token)
    return found


__all__ = ["RULES", "Rule", "check_rules", "MET", "NOT_MET"]
