"""PB01/PB02: criteria sets built from an editable catalogue file (data, not code)."""

from __future__ import annotations

from pipeline.annexes.catalogue import Catalogue
from pipeline.annexes.common import code_column, label_column, note_column, unit_column
from pipeline.annexes.formulas import AllMet, CountMet
from pipeline.annexes.model import MET_CHOICES, Annex, Column, Row

PREVIOUS = "Đến 31/12 năm trước"
CURRENT = "Kỳ báo cáo"
COUNT_ROW = "SO_TC_DAT"


def criteria_columns() -> tuple[Column, ...]:
    assess_hint = "Chọn Đạt hoặc Chưa đạt. Dòng tiêu chí tự tính từ các chỉ tiêu."
    return (
        code_column(),
        label_column(width=50),
        unit_column(),
        Column("yeu_cau", "Yêu cầu", role="label", width=13),
        Column("ket_qua_truoc", "Kết quả đến 31/12 năm trước", kind="value", group=PREVIOUS,
               hint="Kết quả thực hiện chỉ tiêu đến 31/12 năm trước (số hoặc chữ)."),
        Column("danh_gia_truoc", "Đánh giá đến 31/12 năm trước", kind="choice", choices=MET_CHOICES,
               group=PREVIOUS, aggregate="count", width=12, hint=assess_hint),
        Column("ket_qua", "Kết quả kỳ báo cáo", kind="value", group=CURRENT,
               hint="Kết quả thực hiện đến kỳ báo cáo (số hoặc chữ); tỷ lệ ghi số 0–100."),
        Column("danh_gia", "Đánh giá kỳ báo cáo", kind="choice", choices=MET_CHOICES, group=CURRENT,
               aggregate="count", width=12, hint=assess_hint),
        Column("ke_hoach", "Kế hoạch kỳ tới", kind="text", max_length=500, width=20,
               hint="Kế hoạch thực hiện trong kỳ tới."),
        note_column(),
    )


def _criterion_row(catalogue: Catalogue, code: str, label: str) -> Row:
    indicators = tuple(r.code for r in catalogue.indicators_of(code))
    return Row(
        code, f"Tiêu chí {code}: {label}", style="total", kind="choice",
        formulas={"danh_gia_truoc": AllMet(indicators), "danh_gia": AllMet(indicators)},
        inputs=("ke_hoach", "ghi_chu"),
        aggregate="count",
    )


def criteria_rows(catalogue: Catalogue) -> tuple[Row, ...]:
    rows: list[Row] = []
    for item in catalogue.rows:
        if item.kind == "group":
            rows.append(Row(item.code, item.label.upper(), style="group", inputs=()))
        elif item.kind == "criterion":
            rows.append(_criterion_row(catalogue, item.code, item.label))
        else:
            rows.append(Row(
                item.code, item.label, unit=item.unit, requirement=item.requirement, kind="value",
                meta={"catalogue": item, "to_check": item.to_check},
            ))
    criteria = tuple(r.code for r in catalogue.criteria())
    rows.append(Row(
        COUNT_ROW, "Số tiêu chí đạt", unit="tiêu chí", style="total", kind="int",
        formulas={"danh_gia_truoc": CountMet(criteria), "danh_gia": CountMet(criteria)},
        inputs=(), aggregate="sum", shown="Tổng",
    ))
    return tuple(rows)


def criteria_annex(code: str, catalogue: Catalogue, *, nang_cao: bool) -> Annex:
    what = "XÃ NÔNG THÔN MỚI NÂNG CAO" if nang_cao else "XÃ NÔNG THÔN MỚI"
    return Annex(
        code=code,
        sheet="Tiêu chí NTM nâng cao" if nang_cao else "Tiêu chí NTM",
        kind="fixed",
        title=f"KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ {what}",
        note=("Chỉ điền nếu xã đã đạt chuẩn NTM. " if nang_cao else "")
        + "Đánh giá từng chỉ tiêu; dòng tiêu chí và số tiêu chí đạt được tự tính.",
        columns=criteria_columns(),
        rows=criteria_rows(catalogue),
        optional=nang_cao,
        district_sheet="TH02" if nang_cao else "TH01",
        district_title=f"TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ {what}",
    )
