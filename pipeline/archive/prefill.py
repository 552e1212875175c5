"""Pre-filled templates for a new period (``make templates``), from the archive.

- PB01/PB02 "Kết quả / Đánh giá đến 31/12 năm trước": each indicator's result and assessment of the
  unit's report for the previous year (the whole-year report, else the second half-year; both end on
  31/12).
- PB03 recognition facts: each village's name, year recognized NTM, year recognized NTM kiểu mẫu
  and its total of model-village criteria, from the unit's latest archived report before this period.

Every pre-filled cell stays an input (editable) and carries a comment saying where it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from pipeline.annexes import Annex
from pipeline.archive.store import Archive
from pipeline.config.period import Period, PeriodError

#: Criteria annexes: this period's column → the "đến 31/12 năm trước" column it fills.
CARRIED = {"ket_qua": "ket_qua_truoc", "danh_gia": "danh_gia_truoc"}
#: PB03 columns that are recognition facts (decisions), carried from the latest report.
VILLAGE_FACTS = ("ten_thon", "nam_dat_ntm", "nam_kieu_mau", "tong_tc")


@dataclass
class Prefill:
    """One unit's pre-filled data (template ``UnitData``), the cells it fills and their comment."""

    data: dict = field(default_factory=dict)
    #: (annex, row code or list row number, column key) of every pre-filled cell.
    cells: set[tuple[str, str, str]] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    @property
    def note(self) -> str:
        periods = ", ".join(Period.parse(p).label for p in sorted(self.sources, key=Period.parse))
        return (f"Điền sẵn từ báo cáo {periods} của xã (kho lưu trữ của huyện). "
                "Kiểm tra lại; sửa nếu không đúng.")


def prefill_data(archive: Archive, period: Period, units: list[str],
                 annexes: Mapping[str, Annex]) -> dict[str, Prefill]:
    """Unit code → what its template for ``period`` gets pre-filled (units with history only)."""
    year_end = [str(Period(period.year - 1, None)), str(Period(period.year - 1, 2))]
    earlier = sorted((p for p in map(_parse, archive.periods()) if p is not None and p < period),
                     reverse=True)
    history = archive.history(units, set(year_end) | {str(p) for p in earlier[:4]})
    out: dict[str, Prefill] = {}
    for unit, mine in history.groupby("unit_code", sort=False):
        fill = Prefill()
        _criteria(fill, mine, year_end, annexes)
        _villages(fill, mine, earlier)
        if fill.cells:
            out[unit] = fill
    return out


def _parse(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except PeriodError:
        return None


def _criteria(fill: Prefill, mine: pd.DataFrame, year_end: list[str], annexes: Mapping[str, Annex]) -> None:
    for code, annex in annexes.items():
        if not all(any(c.key == k for c in annex.columns) for k in (*CARRIED, *CARRIED.values())):
            continue
        rows = mine[(mine["annex"] == code) & mine["column"].isin(CARRIED)]
        source = next((p for p in year_end if (rows["period"] == p).any()), None)
        if source is None:
            continue
        for r in rows[rows["period"] == source].itertuples(index=False):
            target = CARRIED[r.column]
            try:
                row = annex.row(r.row_code)
            except KeyError:
                continue
            if target in row.formulas or target not in {c.key for c in annex.row_inputs(row)}:
                continue
            fill.data.setdefault(code, {}).setdefault(r.row_code, {})[target] = r.value
            fill.cells.add((code, r.row_code, target))
            fill.sources.add(source)


def _villages(fill: Prefill, mine: pd.DataFrame, earlier: list[Period]) -> None:
    rows = mine[(mine["annex"] == "PB03") & mine["column"].isin(VILLAGE_FACTS)]
    source = next((str(p) for p in earlier if (rows["period"] == str(p)).any()), None)
    if source is None:
        return
    rows = rows[rows["period"] == source]
    villages: dict[int, dict] = {}
    for r in rows.itertuples(index=False):
        try:
            villages.setdefault(int(r.row_code), {})[r.column] = r.value
        except ValueError:
            continue
    listed = [villages[i] for i in sorted(villages) if villages[i].get("ten_thon")]
    if listed:
        fill.data["PB03"] = listed
        fill.cells |= {("PB03", str(i), k) for i, v in enumerate(listed, start=1) for k in v}
        fill.sources.add(source)
