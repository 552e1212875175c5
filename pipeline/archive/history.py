"""The checking stage that compares a run with the archive (runs before consolidation).

- Resubmission diff: a unit whose file for this period differs from the one archived: every cell
  whose value changed (old and new value).
- "Cùng kỳ năm trước" typed in PB08 that differs from what the unit reported for that period:
  a Cảnh báo naming both figures.
- Plausibility: a number far outside the unit's own history (robust z-score, see ``outlier_bounds``)
  is a Cảnh báo with the expected range.
- A criterion Đạt in the unit's previous archived period and Chưa đạt now: a Lưu ý.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.annexes import Annex
from pipeline.annexes.model import MET, NOT_MET
from pipeline.archive.store import Archive, Submission, used_values
from pipeline.config.period import Period, PeriodError
from pipeline.core.findings import Finding
from pipeline.text.numbers import vn_number

#: Plausibility: at least this many earlier periods of the same kind (H1, H2 or whole year) …
MIN_POINTS = 4
#: … and a value whose robust z-score 0.6745·(x − median)/MAD is beyond this is flagged
#: (Iglewicz and Hoaglin's cut-off).
Z_LIMIT = 3.5
#: The expected range is never narrower than this share of the median, nor than 1 (a history of
#: identical values has MAD 0: a small change must not be an outlier).
MIN_RELATIVE_SPREAD = 0.10
#: Plausibility reads at most this many earlier periods of the same kind (the latest).
MAX_SAME_KIND = 6
#: Figures comparable period after period (of the same kind), annex → column: the general facts,
#: the funds mobilized and the key indicators of the period. (PB01/PB02 results are compared with
#: the criteria thresholds instead.)
PLAUSIBILITY = {"TT": "gia_tri", "PB04": "thuc_hien", "PB08": "thuc_hien"}
NUMBER_KINDS = ("int", "number", "money", "percent")
#: PB08: the figure of the period, and the one the commune types for the same period last year.
LAST_YEAR_ANNEX, LAST_YEAR_COLUMN, DONE_COLUMN = "PB08", "cung_ky", "thuc_hien"

CHANGE_COLUMNS = ["unit_code", "file", "old_file", "sheet", "cell", "annex", "row_code", "column",
                  "old", "new"]


@dataclass
class HistoryResult:
    findings: list[Finding] = field(default_factory=list)
    #: One row per changed cell of a resubmitted unit (``CHANGE_COLUMNS``).
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    #: The archived current values the checks read (``_read_history``): unit_code, period,
    #: annex, row_code, column, value.
    history: pd.DataFrame = field(default_factory=pd.DataFrame)


def check_history(archive: Archive, period: Period, cells: pd.DataFrame, used: Mapping[str, tuple[str, str]],
                  annexes: Mapping[str, Annex]) -> HistoryResult:
    """``used``: unit code → (file, sha256) of the file used for the unit in this run."""
    out = HistoryResult()
    if cells.empty or not used:
        return out
    values = cells.iloc[used_values(cells)]
    values = values[values["unit_code"].isin(used.keys())]
    current = archive.current(str(period), used.keys())
    resent = {u: s for u, s in current.items() if s.sha256 != used[u][1]}
    out.changes = _changes(archive, resent, values, used, annexes)
    history = _read_history(archive, used.keys(), period, annexes)
    out.history = history
    out.findings += _last_year(history, values, period)
    out.findings += _outliers(history, values, period)
    out.findings += _criteria_lost(history, values, period, annexes)
    return out


# Resubmission diff -----------------------------------------------------------------------


def _changes(archive: Archive, resent: Mapping[str, Submission], values: pd.DataFrame,
             used: Mapping[str, tuple[str, str]], annexes: Mapping[str, Annex]) -> pd.DataFrame:
    if not resent:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    old = archive.values_of([s.id for s in resent.values()])
    unit_of = {s.id: u for u, s in resent.items()}
    old["unit_code"] = old["submission_id"].map(unit_of)
    new = values[values["unit_code"].isin(resent.keys())]
    key = ["unit_code", "annex", "row_code", "column"]
    both = old[key + ["cell", "value"]].merge(new[key + ["cell", "value"]], on=key, how="outer",
                                              suffixes=("_old", "_new"))
    differs = [not _same(a, b) for a, b in zip(both["value_old"], both["value_new"])]
    both = both[differs]
    rows = []
    for r in both.itertuples(index=False):
        annex = annexes.get(r.annex)
        rows.append({
            "unit_code": r.unit_code, "file": used[r.unit_code][0], "old_file": resent[r.unit_code].file,
            "sheet": annex.sheet if annex else r.annex,
            "cell": r.cell_new if isinstance(r.cell_new, str) else r.cell_old,
            "annex": r.annex, "row_code": r.row_code, "column": r.column,
            "old": _clean(r.value_old), "new": _clean(r.value_new),
        })
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    return frame.sort_values(["unit_code", "annex", "cell"], kind="stable").reset_index(drop=True)


def _clean(value: object) -> object:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.number)):
        number = float(value)
        return None if math.isnan(number) else number
    return None


def _loose_number(value: object) -> float | None:
    """A number, or a text that is one ("17" from a CSV equals 17 from a workbook)."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return _number(value)


def _same(a: object, b: object) -> bool:
    a, b = _clean(a), _clean(b)
    if a is None or b is None:
        return a is None and b is None
    x, y = _loose_number(a), _loose_number(b)
    if x is not None and y is not None:
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def describe(value: object) -> str:
    """A value as a person reads it in the diff: numbers the Vietnamese way, nothing as "(trống)"."""
    value = _clean(value)
    if value is None:
        return "(trống)"
    number = _number(value)
    return vn_number(number) if number is not None else str(value)


def _read_history(archive: Archive, units, period: Period, annexes: Mapping[str, Annex]) -> pd.DataFrame:
    """What the checks and the comparison read, each only where needed: the plausibility figures
    of the MAX_SAME_KIND latest periods of the same kind (the same period last year among them),
    the criteria's assessments of the two latest earlier periods, PB08 of the previous period."""
    earlier = sorted((q for q in map(_parse, archive.periods()) if q is not None and q < period),
                     reverse=True)
    same = [str(q) for q in earlier if q.half == period.half][:MAX_SAME_KIND]
    units = list(units)
    criteria = criterion_rows(annexes)
    before = str(previous_period(period))
    parts = [  # no item is read twice: the parts' items or periods differ
        archive.history(units, same, keep=lambda a, r, c: PLAUSIBILITY.get(a) == c
                        and _numeric(annexes[a], r, c)),
        archive.history(units, [str(q) for q in earlier[:2]],
                        keep=lambda a, r, c: c == "danh_gia" and (a, r) in criteria),
        archive.history(units, [] if before in same else [before],
                        keep=lambda a, r, c: a == LAST_YEAR_ANNEX and c == DONE_COLUMN),
    ]
    return pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)


def previous_period(period: Period) -> Period:
    """The period just before: H1 → H2 of the year before, H2 → H1, a year → the year before."""
    if period.half == 2:
        return Period(period.year, 1)
    return Period(period.year - 1, None if period.half is None else 2)


def _numeric(annex: Annex, row_code: str, column: str) -> bool:
    """A cell of a number kind (a note or a name is never an outlier)."""
    try:
        row = annex.row(row_code) if annex.kind != "list" else None
        return annex.cell_kind(row, annex.column(column)) in NUMBER_KINDS
    except KeyError:
        return False


def _parse(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except PeriodError:
        return None


# Period over period ----------------------------------------------------------------------


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose value is a number (not a text, even one that reads as a number), with it in ``x``."""
    values = frame["value"].to_numpy(dtype=object)
    text = np.fromiter((isinstance(v, (str, bool)) for v in values), dtype=bool, count=len(values))
    x = pd.to_numeric(pd.Series(np.where(text, None, values), index=frame.index), errors="coerce")
    out = frame.assign(x=x.astype(float))
    return out[out["x"].notna()]


def _last_year(history: pd.DataFrame, values: pd.DataFrame, period: Period) -> list[Finding]:
    earlier = str(period.previous_year_same())
    then = history[(history["period"] == earlier) & (history["annex"] == LAST_YEAR_ANNEX)
                   & (history["column"] == DONE_COLUMN)]
    if then.empty:
        return []
    reported = {(u, r): x for u, r, x in _numbers(then)[["unit_code", "row_code", "x"]].itertuples(index=False)}
    typed = _numbers(values[(values["annex"] == LAST_YEAR_ANNEX) & (values["column"] == LAST_YEAR_COLUMN)])
    label = period.previous_year_same().label
    findings = []
    for r in typed.itertuples(index=False):
        was = reported.get((r.unit_code, r.row_code))
        if was is not None and not math.isclose(r.x, was, rel_tol=1e-9, abs_tol=1e-9):
            findings.append(Finding.make(
                "history-last-year-differs", unit_code=r.unit_code, file=r.file, sheet=r.sheet,
                cell=r.cell, value=vn_number(r.x), note=f"{vn_number(was)} (báo cáo {label})"))
    return findings


def same_kind(period: Period, other: str) -> bool:
    try:
        return Period.parse(other).half == period.half
    except PeriodError:
        return False


def outlier_bounds(median: np.ndarray, mad: np.ndarray, nonnegative: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The range a value is expected in, from the median and MAD of a unit's earlier values:
    median ± max(Z_LIMIT · MAD / 0.6745, MIN_RELATIVE_SPREAD · |median|, 1), never below 0 when
    the earlier values never were. A robust z-score 0.6745 · (x − median) / MAD beyond Z_LIMIT
    is outside it."""
    half = np.maximum.reduce([Z_LIMIT * mad / 0.6745, MIN_RELATIVE_SPREAD * np.abs(median),
                              np.ones(len(median))])
    low = median - half
    return np.where(nonnegative, np.maximum(low, 0.0), low), median + half


def _outliers(history: pd.DataFrame, values: pd.DataFrame, period: Period) -> list[Finding]:
    """Each number of this run outside ``outlier_bounds`` of the unit's earlier values of the same
    item (at least MIN_POINTS of them), computed for all items at once (a province: ~30,000)."""
    earlier = history[history["annex"].map(PLAUSIBILITY) == history["column"]]
    kinds = {p: same_kind(period, p) for p in earlier["period"].unique()}
    earlier = earlier[earlier["period"].map(kinds).astype(bool)]
    if earlier.empty:
        return []
    earlier = _numbers(earlier)
    key = ["unit_code", "annex", "row_code", "column"]
    grouped = earlier.groupby(key)["x"]
    stats = pd.DataFrame({"n": grouped.size(), "median": grouped.median(),
                          "low_point": grouped.min()})
    deviation = (earlier["x"] - earlier.join(stats["median"], on=key)["median"]).abs()
    stats["mad"] = deviation.groupby([earlier[k] for k in key]).median()
    stats = stats[stats["n"] >= MIN_POINTS]
    now = _numbers(values[(values["annex"].map(PLAUSIBILITY) == values["column"])
                          & (values["role"] == "input")])
    now = now.join(stats, on=key, how="inner")
    if now.empty:
        return []
    low, high = outlier_bounds(now["median"].to_numpy(dtype=float), now["mad"].to_numpy(dtype=float),
                               now["low_point"].to_numpy(dtype=float) >= 0)
    x = now["x"].to_numpy()
    flagged = (x < low) | (x > high)
    findings = []
    for r, lo, hi in zip(now[flagged].itertuples(index=False), low[flagged], high[flagged]):
        findings.append(Finding.make(
            "history-outlier", unit_code=r.unit_code, file=r.file, sheet=r.sheet, cell=r.cell,
            value=vn_number(r.x), note=f"{vn_number(lo)} – {vn_number(hi)}, theo {int(r.n)} kỳ trước"))
    return findings


def criterion_rows(annexes: Mapping[str, Annex]) -> set[tuple[str, str]]:
    """(annex, row code) of every criterion row: its assessment is computed from its indicators."""
    return {(a.code, r.code) for a in annexes.values() for r in a.rows
            if r.kind == "choice" and r.style == "total" and "danh_gia" in (r.formulas or {})}


def _criteria_lost(history: pd.DataFrame, values: pd.DataFrame, period: Period,
                   annexes: Mapping[str, Annex]) -> list[Finding]:
    rows = pd.MultiIndex.from_tuples(sorted(criterion_rows(annexes)) or [("", "")])
    assessed = history[history["column"] == "danh_gia"]
    assessed = assessed[pd.MultiIndex.from_frame(assessed[["annex", "row_code"]]).isin(rows)]
    if assessed.empty:
        return []
    order = sorted(assessed["period"].unique(), key=Period.parse)
    rank = {p: i for i, p in enumerate(order)}  # sort by integers, not Period objects
    before = {p for p in order if Period.parse(p) < period}
    assessed = assessed[assessed["period"].isin(before)]
    last = assessed.assign(rank=assessed["period"].map(rank)).sort_values("rank", kind="stable")
    key = ["unit_code", "annex", "row_code"]
    last = last.groupby(key).tail(1)
    last = last[last["value"] == MET]
    now = values[(values["column"] == "danh_gia") & (values["value"] == NOT_MET)]
    lost = now.merge(last[[*key, "period"]].rename(columns={"period": "met_in"}), on=key)
    return [Finding.make("history-criterion-lost", unit_code=r.unit_code, file=r.file, sheet=r.sheet,
                         cell=r.cell, value=r.row_code, note=Period.parse(r.met_in).label)
            for r in lost.itertuples(index=False)]
