"""PB04 Huy động nguồn lực: funds mobilized by source; group rows and TỔNG SỐ are formulas."""

from __future__ import annotations

from pipeline.annexes.common import code_column, label_column, note_column, unit_column
from pipeline.annexes.formulas import SumRows
from pipeline.annexes.model import Annex, Column, Row

MONEY = "triệu đồng"
VALUE_COLUMNS = ("ke_hoach", "thuc_hien", "luy_ke")
GROUPS = {
    "I": ("Ngân sách trung ương", (("I.1", "Vốn đầu tư phát triển"), ("I.2", "Vốn sự nghiệp"))),
    "II": ("Ngân sách địa phương", (("II.1", "Ngân sách tỉnh"), ("II.2", "Ngân sách huyện"),
                                    ("II.3", "Ngân sách xã"))),
    "III": ("Vốn lồng ghép", ()),
    "IV": ("Vốn tín dụng", ()),
    "V": ("Doanh nghiệp, hợp tác xã", ()),
    "VI": ("Cộng đồng dân cư", (("VI.1", "Tiền mặt"), ("VI.2", "Ngày công, hiện vật, hiến đất quy đổi"))),
    "VII": ("Khác", ()),
}
TOTAL = "TONG"
WORKDAYS = "NGAY_CONG"
#: Work-days a commune's people can give in a year: 20.000 people × 250 days.
WORKDAYS_MAX = 5_000_000


def _sum_all(codes: tuple[str, ...]) -> dict[str, SumRows]:
    return {key: SumRows(codes) for key in VALUE_COLUMNS}


def _rows() -> tuple[Row, ...]:
    rows = [Row(TOTAL, "TỔNG SỐ", unit=MONEY, kind="money", style="total",
                formulas=_sum_all(tuple(GROUPS)), inputs=("ghi_chu",), aggregate="sum", shown="Tổng")]
    for code, (label, lines) in GROUPS.items():
        if lines:
            rows.append(Row(code, label, unit=MONEY, kind="money", style="total",
                            formulas=_sum_all(tuple(c for c, _ in lines)), inputs=("ghi_chu",),
                            aggregate="sum"))
            rows.extend(Row(c, text, unit=MONEY, kind="money", aggregate="sum",
                            shown=c.rsplit(".", 1)[1]) for c, text in lines)
        else:
            rows.append(Row(code, label, unit=MONEY, kind="money", aggregate="sum"))
    rows.append(Row(WORKDAYS, "Ngày công lao động huy động", unit="công", kind="int", max=WORKDAYS_MAX,
                    aggregate="sum", hint="Số ngày công lao động người dân đóng góp (công).",
                    shown="Ngày công"))
    return tuple(rows)


ANNEX = Annex(
    code="PB04",
    sheet="Huy động nguồn lực",
    kind="fixed",
    title="KẾT QUẢ HUY ĐỘNG NGUỒN LỰC THỰC HIỆN CHƯƠNG TRÌNH",
    unit_note="ĐVT: triệu đồng",
    note="Không bao gồm vốn người dân tự chỉnh trang nhà ở. Dòng nhóm và TỔNG SỐ tự tính.",
    columns=(
        code_column(),
        label_column(width=42),
        unit_column(),
        Column("ke_hoach", "Kế hoạch năm", kind="row", aggregate="sum",
               hint="Kế hoạch vốn năm (triệu đồng)."),
        Column("thuc_hien", "Thực hiện kỳ báo cáo", kind="row", aggregate="sum",
               hint="Vốn huy động được trong kỳ báo cáo (triệu đồng)."),
        Column("luy_ke", "Lũy kế từ đầu năm", kind="row", aggregate="sum",
               hint="Lũy kế từ đầu năm đến hết kỳ báo cáo (triệu đồng)."),
        note_column(),
    ),
    rows=_rows(),
    district_sheet="TH04",
    district_title="TỔNG HỢP KẾT QUẢ HUY ĐỘNG NGUỒN LỰC",
)
