"""Comparisons the district's report needs: against the annual plan, the same period last year,
31/12 last year; and the next period's targets, new OCOP products, disbursement by component.

Each function takes the consolidation's ``Source`` (``tables.Source``: units, usable cells by
annex) and returns plain ``Table`` objects or values, so the summary workbook and the narrative
report read the same figures. Column keys and titles come from the annex definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.annexes import Annex
from pipeline.annexes.formulas import RowRatio
from pipeline.annexes.model import MET, NOT_MET
from pipeline.core.values import is_blank, is_number
from pipeline.district.table import Across, Change, Col, Footer, Sum, Table

#: PB08 / PB04 columns compared: the reporting period, the same period last year, the annual plan.
NOW, LAST_YEAR, PLAN, TO_DATE = "thuc_hien", "cung_ky", "ke_hoach", "luy_ke"


# TH08b: key indicators against last year and the plan (district level)


def _aggregate(values: Mapping[str, object], weights: Mapping[str, object] | None) -> object:
    """Sum of the communes' values, or their mean weighted by ``weights`` (households, people)."""
    if weights is None:
        numbers = [float(v) for v in values.values() if is_number(v)]
        return sum(numbers) if numbers else ""
    pairs = [(float(v), float(w)) for u, v in values.items()
             if is_number(v) and is_number(w := weights.get(u))]
    total = sum(w for _v, w in pairs)
    return round(sum(v * w for v, w in pairs) / total, 1) if total else ""


def indicator_comparison(src, annex: Annex, info: Annex) -> Table:
    """A row per indicator: district figure now, same period last year, change, annual plan and
    % of plan; counts summed, rates weighted as in table A (the same communes on both sides)."""
    measured = [r for r in annex.rows if r.aggregate in ("sum", "weighted")]
    weights = {w: src.by_unit(info, "gia_tri", [w])[w].to_dict()
               for w in {r.weight for r in measured if r.weight}}
    active = set(src.active())
    records = []
    for row in measured:
        figures = {}
        for column in (NOW, LAST_YEAR, PLAN):
            link = row.links.get(column)
            frame = (src.by_unit(src.annexes[link.annex], link.column, [link.row])[link.row]
                     if link else src.by_unit(annex, column, [row.code])[row.code])
            values = {u: v for u, v in frame.to_dict().items() if u in active}
            figures[column] = _aggregate(values, weights.get(row.weight) if row.weight else None)
        records.append({"label": row.label, "state": "", "dvt": row.unit} | figures)
    columns = (
        Col("dvt", "ĐVT", kind="choice", width=12, wrap=True),
        Col(NOW, annex.column(NOW).title, kind="number", width=12, wrap=True),
        Col(LAST_YEAR, annex.column(LAST_YEAR).title, kind="number", width=12, wrap=True),
        Col("tang_giam", "Tăng (+), giảm (−) so với cùng kỳ", kind="number", width=13, wrap=True,
            formula=Change(NOW, LAST_YEAR)),
        Col(PLAN, annex.column(PLAN).title, kind="number", width=12, wrap=True),
        Col("ty_le_kh", "Thực hiện so với kế hoạch năm (%)", kind="percent", width=13, wrap=True,
            formula=RowRatio(NOW, PLAN)),
    )
    # Its own sheet: under TH08's table, TH08's repeated header rows would top its pages.
    return Table(
        code=f"{annex.district_sheet}b", sheet=f"{annex.district_sheet}b So sánh cùng kỳ, KH",
        title=f"SO SÁNH MỘT SỐ CHỈ TIÊU CHỦ YẾU TOÀN {src.scope.upper()} VỚI CÙNG KỲ NĂM TRƯỚC "
              f"VÀ KẾ HOẠCH NĂM",
        columns=columns, label_title="Chỉ tiêu",
        rows=pd.DataFrame(records, columns=["label", "state", "dvt", NOW, LAST_YEAR, PLAN]),
        notes=(f"Số lượng: cộng các xã; tỷ lệ và thu nhập: bình quân gia quyền theo số hộ hoặc số "
               f"nhân khẩu như Biểu {annex.district_sheet}. Cùng kỳ và kế hoạch năm do các xã kê "
               f"khai ở Phụ biểu 08.",),
    ).finish()


# TH04 C: funds against the annual plan (per commune)


def funds_against_plan(src, annex: Annex) -> Table:
    """A row per commune: annual plan, mobilised since January, % of the plan (PB04 TỔNG SỐ, as
    the commune's sources add up: the sums of its input rows, not its typed total)."""
    leaves = [r.code for r in annex.rows if r.aggregate == "sum" and not r.formulas
              and r.kind == "money"]
    rows = src.base()
    for column in (PLAN, TO_DATE):
        # Numbers only ("—" marks a value left out); a commune without any stays blank.
        numbers = src.by_unit(annex, column, leaves).apply(pd.to_numeric, errors="coerce")
        total = numbers.sum(axis=1, min_count=1).round(6).reindex(rows.index)
        rows[column] = [None if pd.isna(v) else float(v) for v in total]
    columns = (
        Col(PLAN, annex.column(PLAN).title, width=13),
        Col(TO_DATE, annex.column(TO_DATE).title, width=13),
        Col("ty_le_kh", "Lũy kế so với kế hoạch năm (%)", kind="percent", width=13, wrap=True,
            formula=RowRatio(TO_DATE, PLAN)),
    )

    return Table(
        code=annex.district_sheet, sheet=f"{annex.district_sheet} {annex.sheet}",
        title=annex.district_title, columns=columns, rows=rows, unit_note=annex.unit_note,
        caption="D. TỔNG VỐN HUY ĐỘNG SO VỚI KẾ HOẠCH NĂM",
        footers=(Footer(src.total_label, {PLAN: Sum(), TO_DATE: Sum(),
                                          "ty_le_kh": Across(RowRatio(TO_DATE, PLAN))}),),
    ).finish()


# TH01: criteria gained and lost since 31/12 last year


@dataclass
class CriteriaChange:
    """Per commune, the criteria it met at 31/12 last year and no longer meets, and the reverse."""

    gained: dict[str, list[str]]
    lost: dict[str, list[str]]

    def lost_lines(self, names: Mapping[str, str]) -> list[str]:
        return [f"{names[u]} (tiêu chí {', '.join(codes)})" for u, codes in self.lost.items() if codes]


def criteria_change(statuses: Mapping[str, Mapping[str, object]],
                    before: Mapping[str, Mapping[str, object]], units: Iterable[str]) -> CriteriaChange:
    """``statuses``/``before``: criterion code → unit → Đạt / Chưa đạt (now / at 31/12)."""
    gained: dict[str, list[str]] = {}
    lost: dict[str, list[str]] = {}
    for unit in units:
        gained[unit] = [c for c in statuses if before[c].get(unit) == NOT_MET
                        and statuses[c].get(unit) == MET]
        lost[unit] = [c for c in statuses if before[c].get(unit) == MET
                      and statuses[c].get(unit) == NOT_MET]
    return CriteriaChange(gained, lost)


# TH12: the next period's targets (PB01, PB02 "Kế hoạch kỳ tới")


def targets_table(src, annexes: Iterable[Annex], column: str = "ke_hoach") -> Table:
    """Each commune's plan for the next period, criterion by criterion, grouped by commune."""
    names = dict(src.units)
    records = []
    for annex in annexes:
        labels = {r.code: r.label for r in annex.rows}
        frame = src.cells(annex, [column])
        for rec in frame.itertuples(index=False):
            if is_blank(rec.v) or rec.unit_code not in names:
                continue
            records.append({"unit_code": rec.unit_code, "section": names[rec.unit_code],
                            "label": f"{rec.row_code}. {labels.get(rec.row_code, '')}"
                            if not labels.get(rec.row_code, "").startswith("Tiêu chí")
                            else labels[rec.row_code],
                            "state": "", "bo": "NTM nâng cao" if annex.optional else "NTM",
                            "ke_hoach": str(rec.v)})
    order = {c: i for i, (c, _n) in enumerate(src.units)}
    rows = pd.DataFrame(records, columns=["unit_code", "section", "label", "state", "bo", "ke_hoach"])
    rows = rows.assign(_o=rows["unit_code"].map(order)).sort_values("_o", kind="stable")
    rows = rows.drop(columns=["_o", "unit_code"]).reset_index(drop=True)
    return Table(
        code="TH12", sheet="TH12 Mục tiêu kỳ tới",
        title="TỔNG HỢP MỤC TIÊU, KẾ HOẠCH KỲ TỚI CỦA CÁC XÃ THEO TIÊU CHÍ",
        columns=(Col("bo", "Bộ tiêu chí", kind="choice", width=14),
                 Col("ke_hoach", "Kế hoạch kỳ tới", kind="text", width=70, wrap=True)),
        rows=rows, label_title="Tiêu chí, chỉ tiêu",
        notes=("Theo cột “Kế hoạch kỳ tới” của biểu tiêu chí NTM và NTM nâng cao các xã gửi.",),
    ).finish()


# TH05 B: disbursement by component (nội dung thành phần)


def disbursement_by_component(src, annex: Annex, components: Annex) -> Table:
    """A row per nội dung thành phần: works, plan, disbursed, rate (district level)."""
    rows = src.list_rows(annex)
    rows = rows[rows["unit_code"].isin(src.active())]
    records = []
    for row in components.rows:
        mine = rows[rows["noi_dung_tp"].astype(str) == row.code]
        records.append({
            "label": row.label, "state": "", "so_luong": len(mine),
            "ke_hoach": round(sum(float(v) for v in mine["ke_hoach"] if is_number(v)), 6),
            "giai_ngan": round(sum(float(v) for v in mine["giai_ngan"] if is_number(v)), 6),
        })

    rate = RowRatio("giai_ngan", "ke_hoach")
    return Table(
        code=annex.district_sheet, sheet=f"{annex.district_sheet} {annex.sheet}",
        title=annex.district_title, label_title="Nội dung thành phần",
        columns=(Col("so_luong", "Số công trình, nội dung", kind="int", width=10, wrap=True),
                 Col("ke_hoach", annex.column("ke_hoach").title, width=13, wrap=True),
                 Col("giai_ngan", annex.column("giai_ngan").title, width=13, wrap=True),
                 Col("ty_le", annex.column("ty_le").title, kind="percent", width=11, wrap=True,
                     formula=rate)),
        rows=pd.DataFrame(records, columns=["label", "state", "so_luong", "ke_hoach", "giai_ngan"]),
        unit_note=annex.unit_note, caption="B. THEO NỘI DUNG THÀNH PHẦN",
        footers=(Footer(f"Toàn {src.scope}", {"so_luong": Sum(), "ke_hoach": Sum(),
                                             "giai_ngan": Sum(), "ty_le": Across(rate)}),),
    ).finish()


# TH07: products newly recognised this period


def new_products(src, annex: Annex, year: int) -> dict[str, int]:
    """Per commune, how many of its OCOP products were recognised in the period's year."""
    rows = src.list_rows(annex)
    out: dict[str, int] = {}
    for unit, part in rows.groupby("unit_code"):
        out[unit] = int(sum(1 for v in part["nam_cong_nhan"] if is_number(v) and int(v) == year))
    return out
