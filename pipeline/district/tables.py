"""District consolidation: the communes' usable cells → the district tables TH00–TH09.

pandas over ``result.cells``, driven by the annex definitions: which rows are criteria (their
``AllMet`` formulas), which are sources of funds (the ``SumRows`` tree of PB04), which PB08 rows are
summed and which are rates weighted by a TT row, which list columns are summed or recomputed. No
header text or row list of an annex is repeated here.

Values with a Lỗi are not used. Where a table shows one commune cell it shows ``ERROR_MARK``; where it
adds up several, the row's "Ghi chú" says a value was left out (``INVALID_NOTE``; which cells, and
why, is the check report's business: these tables go to the province). A unit without a usable file shows its
state ("Chưa nộp", or why its file was not used) across the row, never zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from pipeline.annexes import Annex, load_annexes
from pipeline.annexes.compute import compute_fixed_many
from pipeline.annexes.formulas import AllMet, CountMet, RowRatio, SumRows
from pipeline.annexes.model import MET
from pipeline.annexes.pb10 import DECISION as RECOGNISED_DECISION
from pipeline.annexes.pb10 import PROPOSED as PROPOSED_YEAR
from pipeline.annexes.pb10 import YEAR as RECOGNISED_YEAR
from pipeline.archive.history import previous_period
from pipeline.archive.trend import CRITERIA_MET, FUNDS, HOUSEHOLDS_ITEM, POVERTY, TREND_ITEMS
from pipeline.config.period import Period
from pipeline.core.states import UnitStatus
from pipeline.core.values import ERROR_MARK, blank_mask, is_blank, is_number
from pipeline.district.comparisons import (
    CriteriaChange,
    criteria_change,
    disbursement_by_component,
    funds_against_plan,
    indicator_comparison,
    new_products,
    targets_table,
)
from pipeline.district.table import (
    Across,
    Average,
    Band,
    Col,
    CountNumbers,
    CountOf,
    CountText,
    Footer,
    Sum,
    SumColumns,
    Table,
    Total,
    Weighted,
)
from pipeline.result import RunResult
from pipeline.text.numbers import vn_count, vn_number

#: Shown across the row of a unit whose file was read but refused (wrong period, unknown template …).
NOT_USED = "File có lỗi, chưa tổng hợp"
#: Shown across the row of a unit that left a whole annex empty.
NOT_FILLED = "Không kê khai"
NOTE = "Ghi chú"
#: A row's note where a value was left out: the province reads it; the cells are in the check report.
INVALID_NOTE = "Số liệu chưa hợp lệ, đã đề nghị xã sửa"
#: Lower bounds of the criteria bands under "all criteria met": 15–18, 10–14, 5–9, then "dưới 5".
BAND_FLOORS = (15, 10, 5)
CURRENT, PREVIOUS = "danh_gia", "danh_gia_truoc"
#: Band over TH01's columns of criteria gained and lost since 31/12 last year.
CHANGE_BAND = "Tiêu chí so với 31/12 năm trước"
#: PB04 value columns shown at district level, one table each (the annual plan is left out).
FUND_COLUMNS = ("thuc_hien", "luy_ke")
#: PB08 value column shown at district level.
REPORTED = "thuc_hien"
#: TT row holding the number of villages (denominator of the village rates).
VILLAGES_ROW = "SO_THON"
STATUS_SHEET = "TH00 Nộp báo cáo"
STATUS_TITLE = "TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ CẤP XÃ"
DETAILS_SHEET = "Dữ liệu chi tiết"
DETAILS_TITLE = "DỮ LIỆU CHI TIẾT: MỌI SỐ LIỆU ĐÃ DÙNG ĐỂ TỔNG HỢP"


@dataclass
class CriteriaSummary:
    table: Table
    #: (band label, number of units, their names) from the top band down.
    bands: list[tuple[str, int, str]]
    #: Number of criteria in the set (19 for QĐ 318/QĐ-TTg).
    criteria: int
    #: "Xã A (tiêu chí 5, 17)": communes that met a criterion at 31/12 last year and no longer do.
    lost: list[str] = field(default_factory=list)
    band_key: str = "xep_loai"
    count_key: str = "so_tc"


@dataclass
class FundsSummary:
    #: One table per value column of PB04 ("Thực hiện kỳ báo cáo", "Lũy kế từ đầu năm").
    tables: list[Table]
    #: Title of the PB04 column behind each table ("Thực hiện kỳ báo cáo", …).
    titles: list[str]
    #: Top-level sources: (label, the table columns they add up).
    sources: list[tuple[str, tuple[str, ...]]]
    total_key: str
    #: Per commune: annual plan, mobilised since January, % of the plan.
    plan: Table | None = None


@dataclass
class OcopSummary:
    stars: Table
    products: Table
    #: Column key of the stars table → number of stars.
    star_of: dict[str, int]
    code_key: str = "ma_dv"
    star_key: str = "so_sao"


@dataclass
class District:
    status: Table
    criteria: list[CriteriaSummary]
    villages: Table
    funds: FundsSummary
    disbursement: Table
    debt: Table
    ocop: OcopSummary
    indicators: Table
    components: Table
    details: Table
    recognition: RecognitionSummary | None = None
    narrative: Table | None = None
    #: TH08b: district figures against the same period last year and the annual plan.
    indicator_comparison: Table | None = None
    #: TH05 B: disbursement by nội dung thành phần.
    disbursement_components: Table | None = None
    #: TH12: each commune's targets for the next period.
    targets: Table | None = None
    #: Key figures over the archived periods (None: no earlier period in the archive), and PB08
    #: compared with the same period last year and the previous period.
    trend: Table | None = None
    comparison: Table | None = None


def build_district(result: RunResult) -> District:
    """Every district table of a run."""
    src = Source.from_result(result)
    return District(
        status=status_table(src),
        criteria=[criteria_table(src, a) for a in src.annexes.values() if _criteria_rows(a)],
        villages=villages_table(src),
        funds=funds_tables(src),
        disbursement=list_table(src, src.annex("TH05"), "Số công trình, nội dung", split="nguon_von"),
        debt=list_table(src, src.annex("TH06"), "Số công trình còn nợ"),
        ocop=ocop_tables(src),
        indicators=indicators_table(src),
        components=components_table(src),
        details=details_table(src),
        recognition=recognition_table(src),
        narrative=narrative_table(src),
        indicator_comparison=indicator_comparison(src, src.annex("TH08"), src.annexes["TT"]),
        disbursement_components=disbursement_by_component(src, src.annex("TH05"),
                                                          src.annex("TH09")),
        targets=targets_table(src, [a for a in src.annexes.values() if _criteria_rows(a)]),
        trend=trend_table(src),
        comparison=comparison_table(src),
    )


# The source: usable cells, and the state of every unit


def _with_v(cells: pd.DataFrame) -> pd.DataFrame:
    """Add ``v``: the number where there is one, else the clean value (in place on a fresh copy)."""
    number = cells["number"].to_numpy(dtype=np.float64)
    v = cells["value"].to_numpy(dtype=object, copy=True)
    present = ~np.isnan(number)
    v[present] = number[present].astype(object)  # a float object per number, none per NaN
    cells["v"] = v
    return cells


#: Columns of the run's cells frame the consolidation reads.
COLUMNS = ["unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "value",
           "number", "usable"]
#: The columns copied per annex (file and sheet are only shown on the detail sheet of small runs).
PART_COLUMNS = ["unit_code", "cell", "row_code", "column", "role", "value", "number"]


@dataclass
class Source:
    result: RunResult
    annexes: Mapping[str, Annex]
    #: Registry units in order: (code, name).
    units: list[tuple[str, str]]
    #: Unit code → "" when its file is used, else the text shown across its rows.
    states: dict[str, str]
    #: Per annex code: usable cells of the used files, with ``v``: the number, else the clean value.
    used_by_annex: dict[str, pd.DataFrame]
    #: Per annex code: cells with a Lỗi in the used files.
    rejected_by_annex: dict[str, pd.DataFrame]
    #: No cells (the columns of the parts above).
    empty: pd.DataFrame
    #: The run's cells (not a copy), and per annex code where its used cells are in it.
    frame: pd.DataFrame
    positions: dict[str, np.ndarray]

    @classmethod
    def from_result(cls, result: RunResult) -> Source:
        units = [(u.code, u.name) for u in result.settings.registry.units]
        status = result.units
        status_of = dict(zip(status["unit_code"], status["status"])) if not status.empty else {}
        usable_of = dict(zip(status["unit_code"], status["usable"])) if not status.empty else {}
        states: dict[str, str] = {}
        for code, _name in units:
            if status_of.get(code, UnitStatus.MISSING) == UnitStatus.MISSING:
                states[code] = UnitStatus.MISSING
            else:
                states[code] = "" if bool(usable_of[code]) else NOT_USED
        cells = result.cells
        if list(cells.columns) != COLUMNS:  # an empty run, or more columns than needed
            cells = cells.reindex(columns=COLUMNS)
        used_files = set(status["file"][status["usable"].astype(bool)]) if len(status) else set()
        # Masks on the run's frame, then one copy per annex and part: at national scale the frame
        # holds ~6 M cells, and every intermediate copy adds hundreds of MB to the peak.
        keep = (cells["file"].isin(used_files) & cells["unit_code"].isin(states)).to_numpy()
        usable = cells["usable"].fillna(False).astype(bool).to_numpy()
        # One copy of the kept cells, grouped by annex then used/rejected (each part is a slice):
        # large arrays are mapped memory, given back when freed, where many mid-sized copies
        # would leave the heap fragmented.
        at = np.flatnonzero(keep).astype(np.int32 if len(cells) < 2**31 else np.int64)
        codes, names = pd.factorize(cells["annex"].to_numpy(dtype=object)[at])
        group = codes.astype(np.int32) * 2 + ~usable[at]  # annex k: 2k used, 2k + 1 rejected
        del codes
        order = np.argsort(group, kind="stable")
        at, group = at[order], group[order]
        del order
        kept = _with_v(pd.DataFrame({c: cells[c].to_numpy().take(at) for c in PART_COLUMNS},
                                    copy=False))
        bounds = np.searchsorted(group, np.arange(2 * len(names) + 1))
        used, rejected, positions = {}, {}, {}
        for k, name in enumerate(names):
            start, middle, stop = bounds[2 * k:2 * k + 3]
            used[name], rejected[name] = kept.iloc[start:middle], kept.iloc[middle:stop]
            positions[name] = at[start:middle]
        return cls(result, load_annexes(), units, states, used, rejected, kept.iloc[:0], cells,
                   positions)

    def annex(self, district_sheet: str) -> Annex:
        return next(a for a in self.annexes.values() if a.district_sheet == district_sheet)

    @property
    def scope(self) -> str:
        return "huyện" if self.result.settings.registry.level == "huyen" else "tỉnh"

    @property
    def total_label(self) -> str:
        return f"Toàn {self.scope}"

    def base(self, keys: Iterable[str] = ()) -> pd.DataFrame:
        """One row per registry unit: ``label``, ``state`` and empty object columns ``keys``."""
        frame = pd.DataFrame(self.units, columns=["unit_code", "label"]).set_index("unit_code")
        frame["state"] = [self.states[c] for c in frame.index]
        for key in keys:
            frame[key] = pd.Series(None, index=frame.index, dtype=object)
        return frame

    def active(self) -> list[str]:
        return [c for c, _n in self.units if self.states[c] == ""]

    def cells(self, annex: Annex, columns: Iterable[str] | None = None, *,
              rejected: bool = False) -> pd.DataFrame:
        """The cells of ``annex`` (of ``columns`` only, if given), usable or with a Lỗi."""
        frame = (self.rejected_by_annex if rejected else self.used_by_annex).get(annex.code,
                                                                                 self.empty)
        if columns is not None:
            frame = frame[frame["column"].isin(list(columns)).to_numpy()]
        return frame

    def by_unit(self, annex: Annex, column: str, rows: Iterable[str]) -> pd.DataFrame:
        """A fixed annex's ``column`` as a frame: unit × row code, ``ERROR_MARK`` where rejected."""
        rows = list(rows)
        out = pd.DataFrame(index=[c for c, _n in self.units], columns=rows, dtype=object)
        parts = []
        for frame, mark in ((self.cells(annex, [column], rejected=True), True),
                            (self.cells(annex, [column]), False)):
            frame = frame[frame["row_code"].isin(rows)]
            parts.append(pd.DataFrame({
                "unit_code": frame["unit_code"].to_numpy(dtype=object),
                "row_code": frame["row_code"].to_numpy(dtype=object),
                "v": ERROR_MARK if mark else frame["v"].to_numpy(dtype=object)}, dtype=object))
        # Set every cell at once; the last of a unit's cells wins, a used value over a rejected one.
        cells = pd.concat(parts, ignore_index=True).drop_duplicates(["unit_code", "row_code"],
                                                                    keep="last")
        if cells.empty:
            return out
        grid = out.to_numpy(dtype=object, copy=True)
        grid[out.index.get_indexer(cells["unit_code"]), out.columns.get_indexer(cells["row_code"])] = \
            cells["v"].to_numpy(dtype=object)
        return pd.DataFrame(grid, index=out.index, columns=out.columns, dtype=object)

    def list_rows(self, annex: Annex) -> pd.DataFrame:
        """A list annex as rows: unit_code, row_code, one column per column key (usable values)."""
        keys = [c.key for c in annex.columns]
        seen = pd.concat([self.cells(annex), self.cells(annex, rejected=True)])
        index = seen[["unit_code", "row_code"]].drop_duplicates()
        used = self.cells(annex).drop_duplicates(["unit_code", "row_code", "column"])
        wide = used.pivot(index=["unit_code", "row_code"], columns="column", values="v")
        rows = index.merge(wide.reset_index(), on=["unit_code", "row_code"], how="left")
        rows = rows.reindex(columns=["unit_code", "row_code", *keys]).astype(object)
        rows = rows.where(rows.notna(), None)
        order = {c: i for i, (c, _n) in enumerate(self.units)}
        rows["_order"] = [(order.get(u, 0), int(r)) for u, r in zip(rows["unit_code"], rows["row_code"])]
        return rows.sort_values("_order").drop(columns="_order").reset_index(drop=True)

    def notes(self, annex: Annex, columns: Iterable[str] | None = None) -> dict[str, str]:
        """Per unit with a value of ``annex`` left out because of a Lỗi: ``INVALID_NOTE``. The
        tables go to the province: which cells, and why, is for the check report."""
        rejected = self.cells(annex, columns, rejected=True)
        return {unit: INVALID_NOTE for unit in dict.fromkeys(rejected["unit_code"])}


def _records_per_unit(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """The rows of ``frame`` as records, per unit, in order (one pass, not one filter per unit)."""
    out: dict[str, list[dict]] = {}
    for rec in frame.to_dict("records"):
        out.setdefault(rec["unit_code"], []).append(rec)
    return out


def _set_rows(rows: pd.DataFrame, units: list[str], found: Mapping[str, list]) -> None:
    """Set column ``key`` of rows ``units`` to ``found[key]`` (object values, as ``.at`` would)."""
    if not units:
        return
    at = rows.index.get_indexer(units)
    for key, values in found.items():
        column = rows[key].to_numpy(dtype=object, copy=True) if key in rows else \
            np.full(len(rows), np.nan, dtype=object)
        column[at] = _objects(values)
        rows[key] = pd.Series(column, index=rows.index, dtype=object)


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _sheet(annex: Annex) -> str:
    return f"{annex.district_sheet} {annex.sheet}"


def _note_col(width: float = 24) -> Col:
    return Col("note", NOTE, kind="text", width=width, wrap=True)


def _with_notes(rows: pd.DataFrame, notes: Mapping[str, str]) -> pd.DataFrame:
    rows["note"] = [notes.get(c, "") if s == "" else "" for c, s in zip(rows.index, rows["state"])]
    return rows


# TH00


#: What "Ngày nhận" means (pipeline.archive: the first run that saw the file's content).
RECEIVED_NOTE = ("Ngày nhận là lần đầu công cụ đọc được file có nội dung này (lưu trong kho lưu trữ), "
                 "không phải ngày lưu file; ngày ghi tay trong luu_tru/ngay_nhan.csv được ưu tiên.")


def status_table(src: Source) -> Table:
    units = src.result.units
    on_time = {True: "Đúng hạn", False: "Trễ hạn"}
    rows = pd.DataFrame({
        "label": units["unit_name"], "state": "", "ma": units["unit_code"],
        "tinh_trang": units["status"], "file": units["files"],
        "ngay_nhan": [None if pd.isna(t) else t.to_pydatetime() for t in units["received"]],
        "dung_han": [on_time[bool(v)] if v is not None and not pd.isna(v) else ""
                     for v in units["on_time"]],
        "loi": units["errors"], "canh_bao": units["warnings"], "luu_y": units["infos"],
    }) if not units.empty else pd.DataFrame(columns=["label", "state"])
    statuses = (UnitStatus.OK, UnitStatus.WARN, UnitStatus.ERROR, UnitStatus.MISSING)
    deadline = src.result.settings.deadline
    return Table(
        code="TH00", sheet=STATUS_SHEET, title=STATUS_TITLE,
        columns=(
            Col("ma", "Mã đơn vị", kind="choice", width=9),
            Col("tinh_trang", "Tình trạng", kind="choice", width=14),
            Col("file", "File báo cáo", kind="text", width=34, wrap=True),
            Col("ngay_nhan", "Ngày nhận", kind="date", width=12),
            Col("dung_han", "Đúng hạn / Trễ hạn", kind="choice", width=11),
            Col("loi", "Lỗi", kind="int", groups=("Số phát hiện",), width=8),
            Col("canh_bao", "Cảnh báo", kind="int", groups=("Số phát hiện",), width=9),
            Col("luu_y", "Lưu ý", kind="int", groups=("Số phát hiện",), width=8),
        ),
        rows=rows.reset_index(drop=True),
        footers=(
            Footer("Tổng cộng", {k: Sum() for k in ("loi", "canh_bao", "luu_y")}),
            *(Footer(f"Số đơn vị {s.lower()}", {"tinh_trang": CountOf(s)}) for s in statuses),
            *(Footer(f"Số đơn vị nộp {t.lower()}", {"dung_han": CountOf(t)}) for t in on_time.values()),
        ),
        note=f"Hạn nộp: {deadline:%d/%m/%Y}" if deadline else "Chưa đặt hạn nộp",
        notes=(RECEIVED_NOTE, "Chi tiết từng phát hiện xem Báo cáo kiểm tra (file KiemTra_…xlsx).",),
    ).finish()


# TH01, TH02


def _criteria_rows(annex: Annex):
    return [r for r in annex.rows if isinstance(r.formulas.get(CURRENT), AllMet)]


def _criterion_title(label: str, code: str) -> str:
    """'Tiêu chí 2: Giao thông' → '2. Giao thông'."""
    name = label.split(": ", 1)[1] if ": " in label else label
    return f"{code}. {name}"


def _bands(count: int) -> tuple[tuple[tuple[int, str], ...], str]:
    floors = [f for f in BAND_FLOORS if f < count]
    bands = [(count, f"{count} tiêu chí")]
    for low, high in zip(floors, [count - 1] + [f - 1 for f in floors]):
        bands.append((low, f"{low}–{high} tiêu chí"))
    return tuple(bands), f"Dưới {floors[-1] if floors else count} tiêu chí"


def criteria_table(src: Source, annex: Annex) -> CriteriaSummary:
    criteria = _criteria_rows(annex)
    count_row = next(r for r in annex.rows if isinstance(r.formulas.get(CURRENT), CountMet))
    group, group_of = "", {}
    for row in annex.rows:
        if row.style == "group":
            group = f"{row.code}. {row.label}"
        group_of[row.code] = group
    keys = [f"tc_{r.code}" for r in criteria]
    bands, below = _bands(len(criteria))
    columns = [
        Col(k, _criterion_title(r.label, r.code), kind="choice", width=7.5, rotate=True,
            groups=("Kết quả thực hiện các tiêu chí", group_of[r.code]))
        for k, r in zip(keys, criteria)
    ] + [
        Col("so_tc_truoc", annex.column(PREVIOUS).group or PREVIOUS, kind="int", width=9,
            groups=(count_row.label,)),
        Col("so_tc", annex.column(CURRENT).group or CURRENT, kind="int", width=9,
            groups=(count_row.label,), formula=CountText(tuple(keys), MET)),
        Col("xep_loai", "Phân loại", kind="choice", width=13,
            formula=Band("so_tc", bands, below)),
        Col("tang", "Đạt thêm", kind="text", width=10, wrap=True, groups=(CHANGE_BAND,)),
        Col("giam", "Không còn đạt", kind="text", width=10, wrap=True, groups=(CHANGE_BAND,)),
        _note_col(18),
    ]
    rows = src.base([*keys, "so_tc_truoc", "tang", "giam"])
    change = CriteriaChange({}, {})
    inputs = src.cells(annex, [CURRENT, PREVIOUS])
    inputs = inputs[_filled_inputs(inputs)]
    active = src.active()
    inputs = inputs[inputs["unit_code"].isin(active)]
    present = set(inputs["unit_code"])
    filled = [u for u in active if u in present]
    rows.loc[[u for u in active if u not in present], "state"] = NOT_FILLED
    if filled:
        # Every unit at once: the annex's formulas evaluated over one row per unit.
        index = pd.Index(filled, name="unit_code")
        last = inputs.drop_duplicates(["unit_code", "row_code", "column"], keep="last")
        wide = {col: g.pivot(index="unit_code", columns="row_code", values="value").reindex(index)
                for col, g in last.groupby("column")}
        computed = compute_fixed_many(annex, wide, index)
        rejected = src.cells(annex, [CURRENT], rejected=True)
        bad = rejected[["unit_code", "row_code"]].drop_duplicates()
        for key, row in zip(keys, criteria):
            status = computed[(row.code, CURRENT)].reindex(index)
            hit = bad[bad["row_code"].isin(row.formulas[CURRENT].rows)]["unit_code"]
            status = status.where(~((status == "") & index.isin(hit)), ERROR_MARK)
            rows.loc[filled, key] = [v or None for v in status]
        previous = set(inputs.loc[inputs["column"] == PREVIOUS, "unit_code"])
        if previous:
            counts = computed[(count_row.code, PREVIOUS)].reindex(index)
            with_previous = [u for u in filled if u in previous]
            rows.loc[with_previous, "so_tc_truoc"] = [int(v) for v in counts[with_previous]]
            now = {row.code: dict(zip(filled, rows.loc[filled, key])) for key, row in zip(keys, criteria)}
            before = {row.code: computed[(row.code, PREVIOUS)].reindex(index).to_dict()
                      for row in criteria}
            change = criteria_change(now, before, with_previous)
            for key, found in (("tang", change.gained), ("giam", change.lost)):
                rows.loc[with_previous, key] = [", ".join(found[u]) or None for u in with_previous]
    rows = _with_notes(rows, src.notes(annex, [CURRENT, PREVIOUS]))
    table = Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=tuple(columns), rows=rows,
        footers=(
            Footer("Số xã đạt", {k: CountOf(MET) for k in keys}),
            Footer("Bình quân số tiêu chí đạt/xã",
                   {"so_tc_truoc": Average(), "so_tc": Average()}),
        ),
        notes=(f"Tiêu chí đạt khi mọi chỉ tiêu của tiêu chí được đánh giá Đạt; huyện tính lại từ "
               f"các chỉ tiêu, không dùng số xã tự tính. “{ERROR_MARK}”: chỉ tiêu chưa hợp lệ, đã "
               f"đề nghị xã sửa; ô trống: xã chưa đánh giá.",),
    ).finish()
    active = table.rows[table.active]
    summary = [(label, int((active["xep_loai"] == label).sum()),
                ", ".join(active.loc[active["xep_loai"] == label, "label"]))
               for label in [b for _low, b in bands] + [below]]
    return CriteriaSummary(table, summary, len(criteria), change.lost_lines(dict(src.units)))


# TH03


def villages_table(src: Source) -> Table:
    """Villages per commune. A model village is one with a decision (its year): 15/15 criteria met
    without one is a village proposed for recognition, listed with its quarter, never counted."""
    annex, info = src.annex("TH03"), src.annexes["TT"]
    keys = ("ke_khai", "dat_ntm", "kieu_mau", "ds_kieu_mau", "du_kien")
    rows = src.base(keys)
    rows["so_thon"] = src.by_unit(info, "gia_tri", [VILLAGES_ROW])[VILLAGES_ROW]
    records_of = _records_per_unit(src.list_rows(annex))
    active = src.active()
    found: dict[str, list] = {k: [] for k in keys}
    for unit in active:
        mine = [r for r in records_of.get(unit, []) if not is_blank(r["ten_thon"])]
        models = [r for r in mine if is_model_village(r)]
        found["ke_khai"].append(len(mine))
        found["dat_ntm"].append(int(sum(is_number(r["nam_dat_ntm"]) for r in mine)))
        found["kieu_mau"].append(len(models))
        found["ds_kieu_mau"].append("; ".join(_decision_text(r) for r in models))
        planned: dict[str, list[str]] = {}
        for r in mine:
            if not is_blank(r["du_kien"]) and not is_model_village(r):
                planned.setdefault(str(r["du_kien"]), []).append(_village_progress(r))
        found["du_kien"].append("; ".join(f"{when}: {', '.join(names)}"
                                          for when, names in planned.items()))
    _set_rows(rows, active, found)
    rows = _with_notes(rows, {**src.notes(info, ["gia_tri"]), **src.notes(annex)})
    ntm, model = "Thôn đạt chuẩn NTM", "Thôn đã được công nhận NTM kiểu mẫu"
    columns = (
        Col("so_thon", info.row(VILLAGES_ROW).label, kind="int", width=8),
        Col("ke_khai", "Số thôn kê khai", kind="int", width=8),
        Col("dat_ntm", "Số thôn", kind="int", groups=(ntm,), width=8),
        Col("ty_le_ntm", "Tỷ lệ (%)", kind="percent", groups=(ntm,), width=8,
            formula=RowRatio("dat_ntm", "so_thon")),
        Col("kieu_mau", "Số thôn", kind="int", groups=(model,), width=8),
        Col("ty_le_kieu_mau", "Tỷ lệ (%)", kind="percent", groups=(model,), width=8,
            formula=RowRatio("kieu_mau", "so_thon")),
        Col("ds_kieu_mau", "Tên thôn (năm, số quyết định)", kind="text", groups=(model,), width=28,
            wrap=True),
        Col("du_kien", "Thôn đề nghị, dự kiến công nhận NTM kiểu mẫu (quý/năm: thôn, số tiêu chí "
            "đạt)", kind="text", width=28, wrap=True),
        _note_col(),
    )
    sums = ("so_thon", "ke_khai", "dat_ntm", "kieu_mau")
    return Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=columns, rows=rows,
        footers=(Footer(src.total_label, {k: Sum() for k in sums}
                        | {"ty_le_ntm": Across(RowRatio("dat_ntm", "so_thon")),
                           "ty_le_kieu_mau": Across(RowRatio("kieu_mau", "so_thon"))}),),
        notes=(f"Thôn NTM kiểu mẫu: chỉ tính thôn đã có quyết định công nhận (năm công nhận). Thôn "
               f"đạt đủ tiêu chí nhưng chưa có quyết định chỉ ghi ở cột đề nghị, dự kiến công nhận. "
               f"Tỷ lệ tính trên số thôn của xã ({info.sheet}).",),
    ).finish()


def is_model_village(row: Mapping[str, object]) -> bool:
    """Recognised as a model village: the year of its decision is given (criteria met are not)."""
    return is_number(row.get("nam_kieu_mau"))


def _decision_text(row: Mapping[str, object]) -> str:
    """'Thôn 2 (2023, QĐ 456/QĐ-UBND)'."""
    parts = [vn_year(row["nam_kieu_mau"])]
    if not is_blank(row.get("so_qd_kieu_mau")):
        parts.append(f"QĐ {row['so_qd_kieu_mau']}")
    return f"{row['ten_thon']} ({', '.join(parts)})"


def _village_progress(row: Mapping[str, object]) -> str:
    """'Thôn 1 (15/15)': the village and the criteria it meets, where known."""
    met, total = row.get("so_tc_dat"), row.get("tong_tc")
    if is_number(met) and is_number(total):
        return f"{row['ten_thon']} ({int(met)}/{int(total)})"
    return str(row["ten_thon"])


def vn_year(value: object) -> str:
    return vn_number(int(value), group=False) if is_number(value) else str(value)


# TH10


@dataclass
class RecognitionSummary:
    """TH10: each commune's recognition by level, from its decisions, and the district's counts."""

    table: Table
    #: Per level: (label, number of communes recognised, their names, names proposed this year).
    levels: list[tuple[str, int, str, str]]
    #: The year "proposed this year" refers to.
    year: int
    #: Table column key of each level's year (a live COUNT in the workbook).
    year_keys: list[str]


def recognition_table(src: Source) -> RecognitionSummary:
    """A row per commune: per level the year and decision, or the year it is to be proposed."""
    annex = src.annex("TH10")
    year = src.result.period.year
    levels = list(annex.rows)
    cells = {key: src.by_unit(annex, key, [r.code for r in levels])
             for key in (RECOGNISED_YEAR, RECOGNISED_DECISION, PROPOSED_YEAR)}
    rows = src.base()
    columns: list[Col] = []
    for level in levels:
        band = (_level_name(level.label),)
        columns += [Col(f"{level.code}|nam", "Năm công nhận", kind="year", groups=band, width=7.5,
                        wrap=True),
                    Col(f"{level.code}|qd", "Số quyết định", kind="text", groups=band, width=13,
                        wrap=True)]
        rows[f"{level.code}|nam"] = cells[RECOGNISED_YEAR][level.code]
        rows[f"{level.code}|qd"] = cells[RECOGNISED_DECISION][level.code]
    proposed: list[str] = []
    this_year: dict[str, set[str]] = {level.code: set() for level in levels}
    for unit in rows.index:
        plans = []
        for level in levels:
            when = cells[PROPOSED_YEAR].at[unit, level.code]
            if is_number(when) and not is_number(cells[RECOGNISED_YEAR].at[unit, level.code]):
                plans.append(f"{_level_name(level.label)}: {vn_year(when)}")
                if int(when) == year:
                    this_year[level.code].add(unit)
        proposed.append("; ".join(plans))
    rows["de_nghi"] = proposed
    columns.append(Col("de_nghi", "Dự kiến đề nghị công nhận (mức: năm)", kind="text", width=16,
                       wrap=True))
    columns.append(_note_col(12))
    rows = _with_notes(rows, src.notes(annex))
    year_keys = [f"{level.code}|nam" for level in levels]
    table = Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=tuple(columns), rows=rows,
        footers=(Footer("Số xã đã được công nhận", {k: CountNumbers() for k in year_keys}),),
        notes=("Xã được công nhận khi có quyết định công nhận (năm, số quyết định); đạt đủ tiêu chí "
               "chưa phải là được công nhận. Số liệu do xã kê khai theo quyết định.",),
    ).finish()
    active = table.rows[table.active]
    summary = []
    for level in levels:
        done = active[np.array([is_number(v) for v in active[f"{level.code}|nam"]], dtype=bool)]
        planned = active[active.index.isin(list(this_year[level.code]))]
        summary.append((_level_name(level.label), len(done), ", ".join(done["label"]),
                        ", ".join(planned["label"])))
    return RecognitionSummary(table, summary, year, year_keys)


def _level_name(label: str) -> str:
    """'Xã đạt chuẩn nông thôn mới nâng cao' → 'NTM nâng cao'."""
    return label.replace("Xã đạt chuẩn nông thôn mới", "NTM").strip()


# TH04


def _sum_tree(annex: Annex, column: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The root total and each total's parts, from the SumRows formulas of ``column``."""
    parts = {r.code: formula.rows for r in annex.rows
             if isinstance(formula := r.formulas.get(column), SumRows)}
    children = {c for rows in parts.values() for c in rows}
    root = next(code for code in parts if code not in children)
    return root, parts


def _leaves(code: str, parts: Mapping[str, tuple[str, ...]]) -> list[str]:
    if code not in parts:
        return [code]
    return [leaf for part in parts[code] for leaf in _leaves(part, parts)]


def funds_tables(src: Source) -> FundsSummary:
    annex = src.annex("TH04")
    value_columns = [annex.column(key) for key in FUND_COLUMNS]
    root, parts = _sum_tree(annex, value_columns[0].key)
    leaves = _leaves(root, parts)
    parent = {c: p for p, rows in parts.items() for c in rows}
    others = [r for r in annex.rows if r.aggregate == "sum" and r.code not in parts
              and r.code not in leaves]
    band = "Chia theo nguồn vốn"
    columns = [Col(root, "Tổng số", width=11, formula=SumColumns(tuple(leaves)))]
    for code in leaves:
        row, up = annex.row(code), parent[code]
        if up == root:
            columns.append(Col(code, f"{code}. {row.label}", groups=(band,), width=10, wrap=True))
        else:
            columns.append(Col(code, row.label, groups=(band, f"{up}. {annex.row(up).label}"),
                               width=10, wrap=True))
    columns += [Col(r.code, f"{r.label} ({r.unit})", kind=r.kind, width=10, wrap=True) for r in others]
    columns.append(_note_col(16))
    keys = [c.key for c in columns if c.key != "note"]
    tables = []
    for letter, value in zip("ABCDEFGH", value_columns):
        rows = src.base().join(src.by_unit(annex, value.key, leaves + [r.code for r in others]))
        rows = _with_notes(rows, src.notes(annex, [value.key]))
        tables.append(Table(
            code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
            columns=tuple(columns), rows=rows, unit_note=annex.unit_note,
            caption=f"{letter}. {value.title.upper()}",
            footers=(
                Footer(src.total_label, {k: Sum() for k in keys}),
                Footer("Tỷ trọng (%)", {k: Across(RowRatio(k, root)) for k in [root, *leaves]}),
            ),
            notes=(f"Tổng số của mỗi xã = tổng các nguồn (tính lại từ số liệu nguồn, không dùng dòng "
                   f"tổng xã tự tính). “{ERROR_MARK}”: {INVALID_NOTE.lower()}.",),
        ).finish())
    sources = [(f"{c}. {annex.row(c).label}", tuple(_leaves(c, parts))) for c in parts[root]]
    return FundsSummary(tables, [c.title for c in value_columns], sources, root,
                        funds_against_plan(src, annex))


# TH05, TH06


def list_table(src: Source, annex: Annex, count_title: str, split: str | None = None) -> Table:
    """Per unit: how many rows, the sums of the summed columns (split by a choice column), and the
    annex's own formula columns recomputed on those sums (a rate of sums, a difference of sums)."""
    records_of = _records_per_unit(src.list_rows(annex))
    choices = annex.column(split).choices if split else ()
    columns = [Col("so_luong", count_title, kind="int", width=9, wrap=True)]
    footer: dict[str, Total] = {"so_luong": Sum()}
    summed = []
    for col in annex.columns:
        if col.role == "input" and col.aggregate == "sum":
            summed.append(col.key)
            if choices:
                columns.append(Col(col.key, "Tổng số", groups=(col.title,), width=11))
                columns += [Col(f"{col.key}|{ch}", ch, groups=(col.title,), width=11, wrap=True)
                            for ch in choices]
                footer |= {f"{col.key}|{ch}": Sum() for ch in choices}
            else:
                columns.append(Col(col.key, col.title, width=12, wrap=True))
            footer[col.key] = Sum()
        elif col.role == "formula" and col.formula is not None:
            columns.append(Col(col.key, col.title, kind=col.formula.kind, width=11, wrap=True,
                               formula=col.formula))
            footer[col.key] = Across(col.formula)
    columns.append(_note_col())
    rows = src.base([c.key for c in columns if c.formula is None])
    active = src.active()
    found: dict[str, list] = {"so_luong": []}
    for key in summed:
        found[key] = []
        for ch in choices:
            found[f"{key}|{ch}"] = []
    for unit in active:
        mine = records_of.get(unit, [])
        found["so_luong"].append(len(mine))
        for key in summed:
            found[key].append(_sum(r[key] for r in mine))
            for ch in choices:
                found[f"{key}|{ch}"].append(_sum(r[key] for r in mine if r[split] == ch))
    _set_rows(rows, active, found)
    rows = _with_notes(rows, src.notes(annex))
    return Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=tuple(columns), rows=rows, unit_note=annex.unit_note,
        footers=(Footer(src.total_label, footer),),
        notes=(f"Số liệu chưa hợp lệ không được cộng (cột {NOTE}).",),
    ).finish()


def _sum(values: Iterable[object]) -> float:
    return float(sum(v for v in values if is_number(v)))


# TH07


def ocop_tables(src: Source) -> OcopSummary:
    annex = src.annex("TH07")
    stars_col = annex.column("so_sao")
    assert stars_col.min is not None and stars_col.max is not None  # the star range is in the annex
    stars = list(range(int(stars_col.min), int(stars_col.max) + 1))
    listed = src.list_rows(annex)
    records_of = _records_per_unit(listed)
    star_of = {f"sao_{s}": s for s in stars}
    rows = src.base(star_of)
    active = src.active()
    found: dict[str, list] = {key: [] for key in star_of}
    for unit in active:
        mine = [r["so_sao"] for r in records_of.get(unit, [])]
        for key, s in star_of.items():
            found[key].append(int(sum(1 for v in mine if is_number(v) and v == s)))
    year = src.result.period.year
    new = new_products(src, annex, year)
    found["moi"] = [new.get(unit, 0) for unit in active]
    _set_rows(rows, active, found)
    rows = _with_notes(rows, src.notes(annex))
    band = "Số sản phẩm theo hạng sao (lũy kế)"
    stars_table = Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=(*(Col(k, f"{s} sao", kind="int", groups=(band,), width=9) for k, s in star_of.items()),
                 Col("tong", "Tổng số", kind="int", groups=(band,), width=10,
                     formula=SumColumns(tuple(star_of))),
                 Col("moi", f"Trong đó: công nhận mới năm {vn_year(year)}", kind="int", width=13,
                     wrap=True),
                 _note_col(20)),
        rows=rows, caption=f"A. {band.upper()}",
        footers=(Footer(src.total_label, {k: Sum() for k in [*star_of, "tong", "moi"]}),),
    ).finish()
    names = dict(src.units)
    bad = {(r.unit_code, r.row_code, r.column) for r in src.cells(annex, rejected=True).itertuples()}
    product_cols = [c for c in annex.columns if c.role == "input"]
    records = []
    for rec in listed.to_dict("records"):
        row = {"label": names.get(rec["unit_code"], rec["unit_code"]), "state": "",
               "ma_dv": rec["unit_code"]}
        for col in product_cols:
            value = rec[col.key]
            bad_cell = (rec["unit_code"], rec["row_code"], col.key) in bad
            row[col.key] = ERROR_MARK if bad_cell and is_blank(value) else value
        records.append(row)
    products = Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=(Col("ma_dv", "Mã đơn vị", kind="choice", width=8),
                 *(Col(c.key, c.title, kind=c.kind, width=c.width, wrap=c.kind == "text")
                   for c in product_cols)),
        rows=pd.DataFrame(records, columns=["label", "state", "ma_dv", *(c.key for c in product_cols)]),
        caption="B. DANH SÁCH SẢN PHẨM OCOP",
    ).finish()
    return OcopSummary(stars_table, products, star_of)


# TH08


def indicators_table(src: Source) -> Table:
    annex, info = src.annex("TH08"), src.annexes["TT"]
    value = annex.column(REPORTED)
    measured = [r for r in annex.rows if r.aggregate in ("sum", "weighted")]
    weights = [r.code for r in info.rows if r.code in {m.weight for m in measured}]
    rows = src.base().join(src.by_unit(info, "gia_tri", weights))
    rows = rows.join(src.by_unit(annex, value.key, [r.code for r in measured]))
    notes = {**src.notes(info, ["gia_tri"]), **src.notes(annex, [value.key])}
    for row in measured:  # a figure typed once in another annex is read there
        link = row.links.get(value.key)
        if link is not None:
            source = src.annexes[link.annex]
            rows[row.code] = src.by_unit(source, link.column, [link.row])[link.row]
            notes |= {u: n for u, n in src.notes(source, [link.column]).items() if u not in notes}
    columns = [Col(w, info.row(w).label, kind="int", groups=("Quyền số",), width=9, wrap=True)
               for w in weights]
    columns += [Col(r.code, f"{r.label} ({r.unit})", kind=r.kind, width=10, wrap=True)
                for r in measured]
    columns.append(_note_col(16))
    totals: dict[str, Total] = {w: Sum() for w in weights}
    # A "weighted" row names its weight in the annex definitions (PB08: households or population).
    totals |= {r.code: Weighted(cast(str, r.weight)) if r.aggregate == "weighted" else Sum() for r in measured}
    rows = _with_notes(rows, notes)
    shared = [f"{r.label.lower()} (chỉ tiêu {r.links[value.key].row})" for r in measured
              if value.key in r.links]
    return Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=tuple(columns), rows=rows, note=f"Số liệu: {value.title.lower()}",
        footers=(Footer(src.total_label, totals),),
        notes=(f"Số lượng: cộng các xã. Tỷ lệ và thu nhập: bình quân gia quyền theo số hộ hoặc số "
               f"nhân khẩu của từng xã ({info.sheet}), không phải bình quân cộng các tỷ lệ. "
               f"“{ERROR_MARK}”: {INVALID_NOTE.lower()}.",
               *([f"Lấy từ kết quả kỳ báo cáo của Biểu tiêu chí NTM (xã chỉ ghi một lần): "
                  f"{', '.join(shared)}."] if shared else []),
               *_missing_weights(src, rows, measured, info)),
    ).finish()


def _missing_weights(src: Source, rows: pd.DataFrame, measured, info: Annex) -> list[str]:
    """One line per weight: the units left out of the rates it weighs, because it is missing."""
    lines = []
    active = rows[rows["state"] == ""]
    for weight in dict.fromkeys(r.weight for r in measured if r.weight):
        rated = [active[r.code].to_numpy(dtype=object) for r in measured if r.weight == weight]
        left_out = [label for i, (label, w) in enumerate(zip(active["label"], active[weight]))
                    if not is_number(w) and any(is_number(values[i]) for values in rated)]
        if left_out:
            label = info.row(weight).label
            lines.append(f"Thiếu {label.lower()} hợp lệ, không tính vào tỷ lệ chung theo "
                         f"{label.lower()}: {', '.join(left_out)}.")
    return lines


# TH09


def components_table(src: Source) -> Table:
    return text_table(src, src.annex("TH09"))


def narrative_table(src: Source) -> Table:
    """TH11: leadership, difficulties, causes, proposals: each section, commune by commune."""
    return text_table(src, src.annex("TH11"))


def text_table(src: Source, annex: Annex) -> Table:
    """A fixed annex of texts as sections (one per annex row), one row per commune in each: what
    the communes wrote, word for word, ready to paste into the district's report."""
    shown = [c for c in annex.columns if c.role == "input"]
    cells = {c.key: src.by_unit(annex, c.key, [r.code for r in annex.rows]) for c in shown}
    base = src.base()
    # One block of rows per annex row (a section), one row per unit in each.
    blocks = [pd.DataFrame({"label": base["label"].to_numpy(dtype=object),
                            "state": base["state"].to_numpy(dtype=object), "section": row.label}
                           | {key: frame[row.code].to_numpy(dtype=object)
                              for key, frame in cells.items()}, dtype=object)
              for row in annex.rows]
    columns = ["label", "state", "section", *(c.key for c in shown)]
    rows = (pd.concat(blocks, ignore_index=True) if blocks
            else pd.DataFrame(columns=columns, dtype=object))
    summed = [c.key for c in shown if c.aggregate == "sum"]
    return Table(
        code=annex.district_sheet, sheet=_sheet(annex), title=annex.district_title,
        columns=tuple(Col(c.key, c.title, kind=c.kind, width=c.width, wrap=c.kind == "text")
                      for c in shown),
        rows=rows[columns], unit_note=annex.unit_note, section_totals={k: Sum(subtotal=True) for k in summed},
        footers=(Footer(f"Tổng kinh phí {src.total_label.lower()}", {k: Sum(subtotal=True)
                                                                   for k in summed}),),
        notes=(f"Nội dung do các xã báo cáo, giữ nguyên văn để huyện tổng hợp báo cáo. "
               f"“{ERROR_MARK}”: nội dung chưa hợp lệ, đã đề nghị xã sửa.",),
    ).finish()


# Xu hướng (the archive's periods)

TREND_SHEET = "Xu hướng"
TREND_TITLE = "MỘT SỐ CHỈ TIÊU CHỦ YẾU CỦA TOÀN ĐƠN VỊ QUA CÁC KỲ BÁO CÁO"


def trend_table(src: Source) -> Table | None:
    """One row per period (archived ones, then this run's): communes with data, average criteria
    met, funds mobilized in the period, poverty rate weighted by households."""
    earlier = src.result.trend
    if earlier is None or earlier.empty:
        return None
    keys = ["annex", "row_code", "column"]
    now = pd.concat([part[part["unit_code"].isin([c for c, _ in src.units])]
                     .assign(annex=code)[["unit_code", *keys, "v"]].rename(columns={"v": "value"})
                     for code, part in src.used_by_annex.items()], ignore_index=True)
    wanted = pd.MultiIndex.from_tuples(TREND_ITEMS, names=keys)
    now = now[pd.MultiIndex.from_frame(now[keys]).isin(wanted)].assign(period=str(src.result.period))
    both = pd.concat([earlier, now[earlier.columns]], ignore_index=True)
    both = both[[is_number(v) for v in both["value"]]]
    both["value"] = both["value"].astype(float)
    wide = both.pivot_table(index=["period", "unit_code"], columns=keys, values="value", aggfunc="last")
    records = []
    for period in sorted(set(both["period"]), key=Period.parse):
        part = wide.loc[period]
        rate = part.get(POVERTY, pd.Series(dtype=float))
        weight = part.get(HOUSEHOLDS_ITEM, pd.Series(dtype=float)).reindex(rate.index)
        ok = rate.notna() & weight.notna()
        records.append({
            "label": Period.parse(period).label, "state": "", "ky": period,
            "so_xa": int(part.index.nunique()),
            "tb_tieu_chi": part[CRITERIA_MET].mean() if CRITERIA_MET in part else None,
            "von": part[FUNDS].sum(min_count=1) if FUNDS in part else None,
            "ho_ngheo": (rate[ok] * weight[ok]).sum() / weight[ok].sum() if weight[ok].sum() else None,
        })
    columns = (
        Col("ky", "Mã kỳ", kind="choice", width=9),
        Col("so_xa", "Số xã có số liệu", kind="int", width=11),
        Col("tb_tieu_chi", "Bình quân số tiêu chí NTM đạt/xã", kind="number", width=14),
        Col("von", "Vốn huy động trong kỳ (triệu đồng)", kind="money", width=16),
        Col("ho_ngheo", "Tỷ lệ hộ nghèo đa chiều (%, bình quân theo số hộ)", kind="percent", width=16),
    )
    return Table(
        code="", sheet=TREND_SHEET, title=TREND_TITLE, columns=columns, label_title="Kỳ báo cáo",
        rows=pd.DataFrame(records, columns=["label", "state", *(c.key for c in columns)]),
        note="Các kỳ trước lấy từ kho lưu trữ (số liệu xã đã nộp, bản mới nhất của mỗi xã)",
        notes=("Mỗi kỳ tính trên các xã có số liệu của kỳ đó; số xã có số liệu khác nhau giữa các kỳ "
               "thì các con số không hoàn toàn so sánh được.",),
    ).finish()


def comparison_table(src: Source) -> Table | None:
    """PB08 for the district: this period, the same period last year and the previous period.

    "Cùng kỳ năm trước" is, per commune, what it reported for that period (the archive) where the
    archive has it, else the figure it typed in its "Cùng kỳ năm trước" column; "Kỳ trước" only
    from the archive. Communes of this run only; rates weighted by this period's households or
    population.
    """
    history = src.result.history
    if history is None or history.empty:
        return None
    annex, info = src.annex("TH08"), src.annexes["TT"]
    period = src.result.period
    measured = [r for r in annex.rows if r.aggregate in ("sum", "weighted")]
    codes = [r.code for r in measured]
    active = src.active()
    now = src.by_unit(annex, REPORTED, codes).loc[active]
    typed = src.by_unit(annex, "cung_ky", codes).loc[active]
    weights = src.by_unit(info, "gia_tri", sorted({r.weight for r in measured if r.weight})).loc[active]

    def archived(when: Period) -> pd.DataFrame:
        part = history[(history["period"] == str(when)) & (history["annex"] == annex.code)
                       & (history["column"] == REPORTED) & history["unit_code"].isin(active)]
        return part.pivot_table(index="unit_code", columns="row_code", values="value", aggfunc="last")

    last_year, before = archived(period.previous_year_same()), archived(previous_period(period))
    records = []
    for row in measured:
        from_archive = last_year.get(row.code, pd.Series(dtype=object)).reindex(now.index)
        known = [is_number(v) for v in from_archive]
        same = [a if k else t for a, k, t in zip(from_archive, known, typed[row.code])]
        weight = weights[row.weight] if row.weight else None
        current = _aggregate(now[row.code], weight)
        previous = _aggregate(same, weight)
        records.append({
            "label": f"{row.label} ({row.unit})", "state": "", "ky_nay": current,
            "cung_ky": previous,
            "tang_giam": current - previous if current is not None and previous is not None else None,
            "ky_truoc": _aggregate(before.get(row.code, pd.Series(dtype=object)).reindex(now.index),
                                   weight),
            "nguon": f"{sum(known)}/{len(active)} xã từ kho lưu trữ",
        })
    columns = (
        Col("ky_nay", period.label.capitalize(), kind="number", width=13),
        Col("cung_ky", f"Cùng kỳ năm trước ({period.previous_year_same().label})", kind="number", width=15),
        Col("tang_giam", "Tăng (+), giảm (−) so với cùng kỳ", kind="number", width=13),
        Col("ky_truoc", f"Kỳ trước ({previous_period(period).label})", kind="number", width=15),
        Col("nguon", "Nguồn số cùng kỳ", kind="text", width=16, wrap=True),
    )
    return Table(
        code="", sheet=TREND_SHEET, title=TREND_TITLE, columns=columns, label_title="Chỉ tiêu",
        caption="SO SÁNH MỘT SỐ CHỈ TIÊU CHỦ YẾU VỚI CÙNG KỲ NĂM TRƯỚC VÀ KỲ TRƯỚC",
        rows=pd.DataFrame(records, columns=["label", "state", *(c.key for c in columns)]),
        notes=("Cùng kỳ năm trước: số xã đã báo cáo ở kỳ đó (kho lưu trữ); xã chưa có trong kho thì "
               "lấy số xã tự ghi ở cột Cùng kỳ năm trước. Kỳ trước: chỉ từ kho lưu trữ. Tính trên các "
               "xã có báo cáo kỳ này; tỷ lệ bình quân gia quyền theo số hộ, số nhân khẩu kỳ này.",),
    ).finish()


def _aggregate(values, weight) -> float | None:
    """Sum of the numbers, or (with ``weight``) their mean weighted by it; None without numbers."""
    values = list(values)
    if weight is None:
        numbers = [float(v) for v in values if is_number(v)]
        return sum(numbers) if numbers else None
    pairs = [(float(v), float(w)) for v, w in zip(values, weight) if is_number(v) and is_number(w)]
    total = sum(w for _v, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


# Dữ liệu chi tiết


#: Above this many values the detail sheet is no longer useful to scroll (a province: ~330,000),
#: slow to write and, past ~19,000 communes, beyond Excel's 1,048,576 rows: it goes to values.csv.
DETAIL_SHEET_MAX_ROWS = 100_000


def _details_elsewhere(count: int) -> Table:
    return Table(
        code="", sheet=DETAILS_SHEET, title=DETAILS_TITLE,
        columns=(Col("noi_dung", "Nội dung", kind="text", width=90),),
        rows=pd.DataFrame(columns=["label", "state", "noi_dung"]),
        note=f"Có {vn_count(count)} ô số liệu, quá nhiều để xem trong một trang tính.",
        notes=("Toàn bộ số liệu chi tiết (đơn vị, phụ biểu, mã dòng, cột, giá trị, file, ô) nằm trong "
               "file values.csv cùng thư mục: mở bằng Excel (Data > From Text/CSV, mã UTF-8) để lọc.",),
    ).finish()


def _filled_inputs(cells: pd.DataFrame) -> np.ndarray:
    """Input cells whose ``v`` is not blank (a number is never blank; else its clean value)."""
    out = (cells["role"] == "input").to_numpy(copy=True)
    text = pd.isna(cells["number"].to_numpy())
    out[text] &= ~blank_mask(cells["value"].to_numpy(dtype=object)[text])
    return out


def details_table(src: Source) -> Table:
    filled = {code: _filled_inputs(part) for code, part in src.used_by_annex.items()}
    count = sum(int(mask.sum()) for mask in filled.values())
    if count > DETAIL_SHEET_MAX_ROWS:
        return _details_elsewhere(count)
    file, sheet = (src.frame[c].to_numpy(dtype=object) for c in ("file", "sheet"))
    used = pd.concat([src.empty.assign(annex=None, file=None, sheet=None), *(
        part[filled[code]].assign(annex=code, file=file[src.positions[code][filled[code]]],
                                  sheet=sheet[src.positions[code][filled[code]]])
        for code, part in src.used_by_annex.items())])
    order = {c: i for i, (c, _n) in enumerate(src.units)}
    annex_order = {code: i for i, code in enumerate(src.annexes)}
    used = used.assign(_u=used["unit_code"].map(order), _a=used["annex"].map(annex_order))
    used = used.sort_values(["_u", "_a"], kind="stable")
    names = dict(src.units)
    records = []
    for rec in used.itertuples(index=False):
        annex = src.annexes[rec.annex]
        row_label = (annex.row(rec.row_code).label if annex.kind != "list"
                     else f"Dòng {rec.row_code}")
        records.append({
            "label": names.get(rec.unit_code, ""), "state": "", "ma_dv": rec.unit_code,
            "phu_bieu": rec.annex, "ma_dong": rec.row_code, "noi_dung": row_label,
            "cot": annex.column(rec.column).title, "gia_tri": rec.v, "file": rec.file,
            "trang_tinh": rec.sheet, "o": rec.cell,
        })
    columns = (
        Col("ma_dv", "Mã đơn vị", kind="choice", width=8),
        Col("phu_bieu", "Phụ biểu", kind="choice", width=8),
        Col("ma_dong", "Mã dòng", kind="choice", width=11),
        Col("noi_dung", "Nội dung dòng", kind="text", width=40),
        Col("cot", "Cột", kind="text", width=24),
        Col("gia_tri", "Giá trị", kind="value", width=24),
        Col("file", "File", kind="text", width=28),
        Col("trang_tinh", "Trang tính", kind="text", width=18),
        Col("o", "Ô", kind="choice", width=7),
    )
    return Table(
        code="", sheet=DETAILS_SHEET, title=DETAILS_TITLE, columns=columns,
        rows=pd.DataFrame(records, columns=["label", "state", *(c.key for c in columns)]),
        note="Mỗi dòng một ô số liệu của xã đã được dùng (ô có Lỗi không có ở đây). Trang này để tra "
             "cứu trên máy, không in.",
    ).finish()
