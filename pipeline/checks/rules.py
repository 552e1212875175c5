"""Cross-row and cross-sheet rules, declared in one list (``RULES``); each works on all units at once.

Every rule takes the clean cells frame (usable cells only) and yields Findings. Computed cells are
re-evaluated from the commune's inputs with the same formula objects the template wrote, so a
total typed over a formula that disagrees is reported.

A national run has millions of cells, so rules select and match cells with numpy over integer codes
(``_Index``, built once per ``check_rules`` call): no Python loop runs per cell or per unit, except
to build the findings themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

import numpy as np
import pandas as pd

from pipeline.annexes import Annex, tt
from pipeline.annexes.catalogue import CatalogueRow
from pipeline.annexes.compute import compute_fixed_cells, compute_list_cells
from pipeline.annexes.formulas import Cells
from pipeline.annexes.model import MET, NOT_MET
from pipeline.config.regions import region_code
from pipeline.core.findings import Finding
from pipeline.core.states import Level
from pipeline.text.numbers import vn_number, vn_percent

Frame: TypeAlias = pd.DataFrame


@dataclass(frozen=True)
class Rule:
    """A check across cells, rows or sheets; ``emits`` lists every finding code it can produce
    (each must be in the findings catalogue)."""

    emits: tuple[str, ...]
    run: Callable[[Frame, Mapping[str, Annex]], Iterator[Finding]]


_EMPTY = np.empty(0, dtype=np.intp)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` where a missing value is a value too. Asking for that up front costs a
    second pass over millions of cells, so only when there is one."""
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, uniques


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A code per distinct key (``pd.factorize``), and the position of each code's first key."""
    codes, uniques = _factorize(keys)
    first = np.full(len(uniques), len(codes))
    np.minimum.at(first, codes, np.arange(len(codes)))
    return codes, first


def _codes(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An integer per row for each distinct tuple of ``columns`` (like ``pd.factorize``), and the first
    row of each code. Only the first row of each run of equal tuples is hashed: columns that come in
    long runs (a file's cells are contiguous) cost about one comparison per row."""
    count = len(columns[0])
    starts = np.zeros(count, dtype=bool)
    starts[:1] = True
    for column in columns:
        starts[1:] |= column[1:] != column[:-1]
    starts = np.flatnonzero(starts)
    codes = np.zeros(len(starts), dtype=np.int64)
    for column in columns:
        part, uniques = _factorize(column[starts])
        codes = codes * len(uniques) + part
    codes, first = _distinct(codes)
    return np.repeat(codes.astype(np.int32), np.diff(np.append(starts, count))), starts[first]


def _small(codes: np.ndarray, count: int) -> np.ndarray:
    """Integer codes in the smallest of int16 or int32 that holds ``count`` of them (memory)."""
    return codes.astype(np.int16 if count < 2 ** 15 else np.int32)


class _Index:
    """Integer codes of one frame's cells, built once per ``check_rules`` call."""

    def __init__(self, frame: Frame):
        self.frame = frame
        get = {c: frame[c].to_numpy(dtype=object) for c in
               ("unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "value")}
        self.unit_code, self.file, self.sheet, self.cell = (get[c] for c in ("unit_code", "file", "sheet", "cell"))
        self.role, self.value = get["role"], get["value"]
        self.number = frame["number"].to_numpy(dtype=float)
        #: A code per (unit_code, file): a "unit" below is one report (a unit's file).
        self.unit, first = _codes(self.unit_code, self.file)
        self.units = len(first)
        row, rows = _factorize(get["row_code"])
        self.row, self.row_of = _small(row, len(rows)), {code: i for i, code in enumerate(rows)}
        del row
        annex, first = _codes(get["annex"])
        self.annex_of = {code: i for i, code in enumerate(get["annex"][first])}
        column, columns = _factorize(get["column"])
        column, self.column_of = _small(column, len(columns)), {key: i for i, key in enumerate(columns)}
        #: A code per (annex, column), and the cells of each in frame order (a stable sort on the
        #: codes, radix on 16 bits) with where each code starts.
        pairs = len(self.annex_of) * len(columns)
        self.pair = _small(annex * len(columns) + column, pairs)
        del annex, column
        self._order = np.argsort(self.pair, kind="stable").astype(np.int32)
        self._start = np.concatenate([[0], np.cumsum(np.bincount(self.pair, minlength=pairs))])

    def annex_code(self, at: np.ndarray) -> np.ndarray:
        return self.pair[at] // len(self.column_of)

    def column_code(self, at: np.ndarray) -> np.ndarray:
        return self.pair[at] % len(self.column_of)

    def at(self, annex: str, column: str | None = None, row: str | None = None,
           role: str | None = None) -> np.ndarray:
        """Positions of the cells of one annex (optionally one column, row, role), in frame order."""
        a = self.annex_of.get(annex)
        if a is None or (column is not None and column not in self.column_of):
            return _EMPTY
        columns = self.column_of.values() if column is None else [self.column_of[column]]
        pairs = [a * len(self.column_of) + c for c in columns]
        at = np.concatenate([self._order[self._start[p]:self._start[p + 1]] for p in pairs]).astype(np.intp)
        if column is None:
            at.sort()
        if row is not None:
            at = at[self.row[at] == self.row_of.get(row, -1)]
        if role is not None:
            at = at[self.role[at] == role]
        return at

    def cells(self, at: np.ndarray) -> Cells:
        """Value and number of the cells ``at``; NaN where ``at`` is −1 (no cell)."""
        value, number = self.value[at], self.number[at]
        value[at < 0] = np.nan
        number[at < 0] = np.nan
        return Cells(value, number)


class _Find:
    """Cells ``at`` found by (unit, row) through a grid of positions: a workbook has one cell per
    unit, row and column."""

    def __init__(self, ix: _Index, at: np.ndarray):
        self.ix = ix
        present = np.zeros(len(ix.row_of), dtype=bool)
        present[ix.row[at]] = True
        self.local = np.where(present, np.cumsum(present) - 1, -1)  # row code -> grid column
        self.grid = np.full((ix.units, int(present.sum())), -1, dtype=np.int32)
        self.grid[ix.unit[at], self.local[ix.row[at]]] = at
        self._cells: Cells | None = None

    def __call__(self, unit: np.ndarray, row: np.ndarray) -> np.ndarray:
        """Position of the cell of each (unit, row), −1 where there is none."""
        column = self.local[row]
        found = np.full(len(unit), -1, dtype=np.int64)
        ok = column >= 0
        found[ok] = self.grid[unit[ok], column[ok]]
        return found

    def row(self, row: int | None) -> Cells:
        """The cells of one row for every unit (NaN where there is none)."""
        if self._cells is None:  # the whole grid at once, in memory order: faster than row by row
            self._cells = self.ix.cells(self.grid.ravel())
        if row is None or self.local[row] < 0:
            return self.ix.cells(np.full(len(self.grid), -1))
        value = self._cells.value.reshape(self.grid.shape)[:, self.local[row]]
        number = self._cells.number.reshape(self.grid.shape)[:, self.local[row]]
        return Cells(value, number)


_INDEX: ContextVar[_Index | None] = ContextVar("_INDEX", default=None)


def _index(frame: Frame) -> _Index:
    ix = _INDEX.get()
    if ix is None or ix.frame is not frame:
        ix = _Index(frame)
    return ix


def _pairs(ix: _Index, annex: str, left: str, right: str) -> tuple[np.ndarray, np.ndarray]:
    """Cells of column ``left`` (frame order) and the cell of column ``right`` in the same row
    (−1 where there is none)."""
    a = ix.at(annex, left)
    return a, _Find(ix, ix.at(annex, right))(ix.unit[a], ix.row[a])


def _finding(ix: _Index, code: str, i: int, at: int | None = None, **fields) -> Finding:
    """A finding of the report of the cell in position ``i``, at that cell or at position ``at``."""
    at = i if at is None else at
    return Finding.make(code, unit_code=ix.unit_code[i], file=ix.file[i], sheet=ix.sheet[at],
                        cell=ix.cell[at], **fields)


def _compare(frame: Frame, annex: str, left: str, right: str, code: str,
             bad: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Iterator[Finding]:
    """Two columns of the same rows; a finding at the left cell where ``bad(left, right)``."""
    ix = _index(frame)
    a, b = _pairs(ix, annex, left, right)
    a, b = a[b >= 0], b[b >= 0]
    hit = bad(ix.number[a], ix.number[b])
    for i, value, note in zip(a[hit], ix.number[a[hit]].tolist(), ix.number[b[hit]].tolist()):
        yield _finding(ix, code, i, value=value, note=note)


# Rules


def formulas_overwritten(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """A computed cell whose value differs from the formula evaluated on the inputs.

    All units at once: the formula objects the template wrote evaluate over arrays (one value per
    unit), so the cost does not grow with a Python loop per commune.
    """
    ix = _index(frame)
    at = np.flatnonzero(ix.role == "formula")
    got = ix.value[at]
    at = at[pd.notna(got) & (got != "")]
    annex_of = {i: code for code, i in ix.annex_of.items()}
    annex = ix.annex_code(at)
    for a in pd.unique(annex):
        mine = at[annex == a]
        want = _expected(ix, annexes[annex_of[a]], mine)
        bad = _disagree_many(ix.value[mine], ix.number[mine], want)
        for i, value, note in zip(mine[bad], ix.value[mine[bad]], want.value[bad]):
            yield _finding(ix, "formula-overwritten", i, value=value,
                           note=note if note not in ("", None) else "(trống)")


def _expected(ix: _Index, annex: Annex, mine: np.ndarray) -> Cells:
    """What the formula cells ``mine`` of one annex compute from the commune's inputs (NaN where
    the annex computes no such cell)."""
    inputs: dict[str, _Find] = {}

    def find(col: str) -> _Find:
        if col not in inputs:
            inputs[col] = _Find(ix, ix.at(annex.code, col, role="input"))
        return inputs[col]

    unit, row = ix.unit[mine], ix.row[mine]
    # slot[row code, column code]: the result a formula cell reads; the last one (NaN) for none.
    slot = np.full((len(ix.row_of), len(ix.column_of)), -1, dtype=np.int64)
    computed: Mapping[Any, Cells]
    if annex.kind == "list":
        # One evaluation per formula cell, from the inputs of its row.
        computed = compute_list_cells(annex, lambda col: ix.cells(find(col)(unit, row)))
        for i, key in enumerate(computed):
            if key in ix.column_of:
                slot[:, ix.column_of[key]] = i
        at = np.arange(len(mine))
    else:
        # One evaluation per unit: the cost is per formula, not per unit.
        by_cell = compute_fixed_cells(annex, lambda r, col: find(col).row(ix.row_of.get(r)))
        for i, (r, key) in enumerate(by_cell):
            if r in ix.row_of and key in ix.column_of:
                slot[ix.row_of[r], ix.column_of[key]] = i
        computed = by_cell
        at = unit
    slot[slot < 0] = len(computed)
    which = slot[row, ix.column_code(mine)]
    if annex.kind == "list":  # a row without any input computes nothing
        which[_Find(ix, ix.at(annex.code, role="input"))(unit, row) < 0] = len(computed)
    # The results side by side, typed as one concatenated column would hold them, and NaN last.
    common = np.result_type(*(c.value.dtype for c in computed.values()))
    none = np.full(len(at) if annex.kind == "list" else ix.units, np.nan)
    values = np.column_stack([c.value.astype(common).astype(object) for c in computed.values()]
                             + [none.astype(object)])
    numbers = np.column_stack([c.number for c in computed.values()] + [none])
    return Cells(values[at, which], numbers[at, which])


def _disagree_many(got: np.ndarray, got_number: np.ndarray, want: Cells) -> np.ndarray:
    """``_disagree`` for many cells: two numbers are compared with numpy, anything else once per
    distinct (got, want) pair (mostly "Đạt", "Chưa đạt" and blanks)."""
    numeric = ~np.isnan(got_number) & ~np.isnan(want.number)
    out = np.zeros(len(got), dtype=bool)
    a, b = got_number[numeric], want.number[numeric]
    out[numeric] = np.abs(a - b) > 0.05 + 1e-6 * np.abs(b)
    rest = np.flatnonzero(~numeric)
    if len(rest):
        g, _ = _factorize(got[rest])
        w, wanted = _factorize(want.value[rest])
        pair, first = _distinct(g.astype(np.int64) * len(wanted) + w)
        once = _disagree(pd.Series(got[rest][first], dtype=object),
                         pd.Series(want.value[rest][first], dtype=object))
        out[rest] = once.to_numpy(dtype=bool)[pair]
    return out


def _disagree(got: pd.Series, want: pd.Series) -> pd.Series:
    """Numbers within rounding (0.05) agree; anything else must be the same text."""
    got_n, want_n = pd.to_numeric(got, errors="coerce"), pd.to_numeric(want, errors="coerce")
    numeric = got_n.notna() & want_n.notna()
    off = (got_n - want_n).abs() > 0.05 + 1e-6 * want_n.abs()
    text = got.astype(str).str.strip() != want.fillna("").astype(str).str.strip()
    return (numeric & off) | (~numeric & text)


def _per_unit(ix: _Index, tt_row: str) -> np.ndarray:
    """The number a TT row holds, per unit; NaN (which compares False) where there is none."""
    out = np.full(ix.units, np.nan)
    at = ix.at("TT", "gia_tri", row=tt_row)
    out[ix.unit[at]] = ix.number[at]
    return out


def villages_exceed(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Values declared ``not_above`` số thôn (villages meeting the security standard this period),
    and the thôn listed in PB03, cannot exceed số thôn."""
    ix = _index(frame)
    for annex in annexes.values():
        for row in annex.rows:
            for column, cap in row.not_above.items():
                bound = _per_unit(ix, cap)
                capped = ix.at(annex.code, column, row=row.code)
                for i in capped[ix.number[capped] > bound[ix.unit[capped]]]:
                    yield _finding(ix, "villages-exceed", i, value=float(ix.number[i]),
                                   note=bound[ix.unit[i]])
    limit = _per_unit(ix, tt.VILLAGES)
    names = ix.at("PB03", "ten_thon")
    count = np.bincount(ix.unit[names], minlength=ix.units)
    last = np.full(ix.units, -1, dtype=np.int64)
    np.maximum.at(last, ix.unit[names], names)
    over = np.flatnonzero(count > limit)
    # Units in the order of (unit_code, file), like a groupby; the finding is at the last name.
    for u in sorted(over, key=lambda u: (ix.unit_code[last[u]], ix.file[last[u]])):
        yield _finding(ix, "villages-exceed", last[u], value=int(count[u]), note=limit[u])


def met_exceeds_total(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    yield from _compare(frame, "PB03", "so_tc_dat", "tong_tc", "met-exceeds-total", lambda a, b: a > b)


def disbursed_over_plan(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    yield from _compare(frame, "PB05", "giai_ngan", "ke_hoach", "disbursed-over-plan", lambda a, b: a > b)


def negative_debt(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    yield from _compare(frame, "PB06", "da_xu_ly", "no_dau_ky", "negative-debt", lambda a, b: a > b)


#: PB05 lists what the works disbursed from NSTW and tỉnh; PB04 what was mobilised from them since
#: the start of the year (its input rows under I and II.1). A district accepts a gap of 1 triệu đồng
#: or 5 % of the larger figure, whichever is more (rounding, a payment booked a few days apart).
DISBURSED = ("PB05", "giai_ngan")
MOBILISED = ("PB04", "luy_ke", ("I.1", "I.2", "II.1"))
GAP_ABSOLUTE, GAP_SHARE = 1.0, 0.05


def disbursed_vs_mobilised(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Σ PB05 giải ngân against PB04 NSTW + tỉnh (lũy kế), per report that fills PB04's state-fund
    rows, within the tolerance (an empty PB05 disbursed 0)."""
    ix = _index(frame)
    disbursed = ix.at(*DISBURSED)
    disbursed = disbursed[~np.isnan(ix.number[disbursed])]
    annex, column, rows = MOBILISED
    mobilised = np.concatenate([_EMPTY, *(ix.at(annex, column, row=r, role="input") for r in rows)])
    mobilised = mobilised[~np.isnan(ix.number[mobilised])]
    if not len(mobilised):  # compared only where PB04 gives the state funds (a filled sheet)
        return
    spent = np.bincount(ix.unit[disbursed], weights=ix.number[disbursed], minlength=ix.units)
    raised = np.bincount(ix.unit[mobilised], weights=ix.number[mobilised], minlength=ix.units)
    # The finding sits on the first mobilised cell of the report (or its last disbursement).
    # The finding sits on the report's first mobilised cell; reports without one are not compared.
    none = np.iinfo(np.int64).max
    first = np.full(ix.units, none)
    np.minimum.at(first, ix.unit[mobilised], mobilised)
    where = np.where(first < none, first, -1)
    gap = np.abs(spent - raised)
    off = (where >= 0) & (gap > np.maximum(GAP_ABSOLUTE, GAP_SHARE * np.maximum(spent, raised)) + 1e-9)
    for u in np.flatnonzero(off):
        yield _finding(ix, "disbursed-vs-mobilised", int(where[u]), value=round(float(spent[u]), 1),
                       note=round(float(raised[u]), 1))


#: Recognition cells: (annex, year column, decision column). A year needs its decision's number.
RECOGNITIONS = (("PB10", "nam_cong_nhan", "so_qd"), ("PB03", "nam_kieu_mau", "so_qd_kieu_mau"))


def decision_missing(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """A recognition year without the number of its decision (a Lưu ý: the year still counts)."""
    ix = _index(frame)
    for annex, year, decision in RECOGNITIONS:
        years, decisions = _pairs(ix, annex, year, decision)
        text = ix.cells(decisions).value
        blank = pd.isna(text) | np.array([isinstance(t, str) and not t.strip() for t in text],
                                         dtype=bool)
        for i in years[~np.isnan(ix.number[years]) & blank]:
            yield _finding(ix, "decision-missing", i, value=vn_number(ix.number[i], group=False))


def drop_vs_last_year(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Rates of PB08 worse than the same period last year (the poverty rate is worse when higher)."""
    ix = _index(frame)
    rows = [r for r in annexes["PB08"].rows if r.kind == "percent" and r.code in ix.row_of]
    rates = [ix.row_of[r.code] for r in rows if "thuc_hien" not in r.links]
    lower = [ix.row_of[r.code] for r in rows if r.lower_is_better]
    now, before = _pairs(ix, "PB08", "thuc_hien", "cung_ky")
    keep = (before >= 0) & np.isin(ix.row[now], rates)
    now, before = now[keep], before[keep]
    falls = np.isin(ix.row[now], lower)
    last_year = _Find(ix, ix.at("PB08", "cung_ky"))
    for row in rows:  # a figure PB08 shows from another annex: compared where it is typed
        link = row.links.get("thuc_hien")
        if link is None:
            continue
        linked = ix.at(link.annex, link.column, row=link.row)
        found = last_year(ix.unit[linked], np.full(len(linked), ix.row_of[row.code]))
        now = np.concatenate([now, linked[found >= 0]])
        before = np.concatenate([before, found[found >= 0]])
        falls = np.concatenate([falls, np.full(int((found >= 0).sum()), row.lower_is_better)])
    a, b = ix.number[now], ix.number[before]
    worse = (~falls & (a < b - 1e-9)) | (falls & (a > b + 1e-9))
    for i, value, note in zip(now[worse], a[worse].tolist(), b[worse].tolist()):
        yield _finding(ix, "drop-vs-last-year", i, value=vn_percent(value), note=vn_percent(note))


def _region(value: object) -> str | None:
    """The region code of a Vùng cell: its name (the dropdown) or its code (older templates)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return region_code(value)
    except ValueError:
        return value


def _threshold(item, region: str | None) -> float | None:
    try:
        return item.threshold_for(region)
    except ValueError:  # a region the catalogue does not know: the national threshold
        return item.threshold


def criteria_assessment(frame: Frame, annexes: Mapping[str, Annex]) -> Iterator[Finding]:
    """Indicators: a result without an assessment; "Đạt" whose value misses the catalogue threshold
    (a Lưu ý only, where the catalogue row is still to be checked against the official text)."""
    ix = _index(frame)
    regions = np.full(ix.units, None, dtype=object)  # None: no region, the national threshold
    at = ix.at("TT", "gia_tri", row=tt.REGION)
    regions[ix.unit[at]] = [_region(v) for v in ix.value[at]]
    row_code = {i: r for r, i in ix.row_of.items()}
    for code in ("PB01", "PB02"):
        items = {r.code: cast(CatalogueRow, r.meta["catalogue"]) for r in annexes[code].rows
                 if "catalogue" in r.meta}
        result, assessed = _pairs(ix, code, "ket_qua", "danh_gia")
        keep = np.isin(ix.row[result], [ix.row_of[r] for r in items if r in ix.row_of])
        result, assessed = result[keep], assessed[keep]
        assessment = ix.cells(assessed).value
        for i in result[pd.isna(assessment)]:
            yield _finding(ix, "assessment-missing", i)
        met = (assessment == MET) & ~np.isnan(ix.number[result])
        result, assessed = result[met], assessed[met]
        if not len(result):
            continue
        # The threshold once per distinct (indicator, region).
        region = regions[ix.unit[result]]
        place, _ = pd.factorize(np.where(pd.isna(region), "", region))
        case, first = _distinct(ix.row[result].astype(np.int64) * (place.max() + 1) + place)
        item = [items[row_code[r]] for r in ix.row[result[first]]]
        limit = np.array([_threshold(it, g) for it, g in zip(item, region[first])], dtype=float)[case]
        compare = np.array([it.compare for it in item], dtype=object)[case]
        value = ix.number[result]
        miss = ((compare == ">=") & (value < limit - 1e-9)) | ((compare == "<=") & (value > limit + 1e-9))
        for i, j, k, number, bound in zip(result[miss], assessed[miss], case[miss], value[miss].tolist(),
                                          limit[miss].tolist()):
            yield _finding(ix, "threshold-miss", i, j, value=_with_unit(number, item[k].unit),
                           note=_requirement(item[k].compare, bound, item[k].unit),
                           level=Level.INFO if item[k].to_check else None)


def _with_unit(number: float, unit: str | None) -> str:
    """80% ; 3 km ; 45 triệu đồng (the catalogue's đơn vị tính after the number)."""
    text = vn_number(number, 6)
    unit = (unit or "").strip()
    if unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit and unit not in ("-", "–") else text


def _requirement(compare: str, bound: float, unit: str | None) -> str:
    """A catalogue threshold in words: "từ 100% trở lên", "không quá 5%"."""
    shown = _with_unit(bound, unit)
    return f"từ {shown} trở lên" if compare == ">=" else f"không quá {shown}"


RULES: tuple[Rule, ...] = (
    Rule(("formula-overwritten",), formulas_overwritten),
    Rule(("villages-exceed",), villages_exceed),
    Rule(("met-exceeds-total",), met_exceeds_total),
    Rule(("disbursed-over-plan",), disbursed_over_plan),
    Rule(("negative-debt",), negative_debt),
    Rule(("disbursed-vs-mobilised",), disbursed_vs_mobilised),
    Rule(("decision-missing",), decision_missing),
    Rule(("drop-vs-last-year",), drop_vs_last_year),
    Rule(("assessment-missing", "threshold-miss"), criteria_assessment),
)


def check_rules(frame: Frame, annexes: Mapping[str, Annex]) -> list[Finding]:
    found: list[Finding] = []
    token = _INDEX.set(_Index(frame))
    try:
        for rule in RULES:
            produced = list(rule.run(frame, annexes))
            assert {f.code for f in produced} <= set(rule.emits), (rule, produced)
            found.extend(produced)
    finally:
        _INDEX.reset(token)
    return found


__all__ = ["RULES", "Rule", "check_rules", "MET", "NOT_MET"]
