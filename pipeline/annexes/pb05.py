"""PB05 Vốn NSTW, NS tỉnh: allocation and disbursement, one row per work or content."""

from __future__ import annotations

from pipeline.annexes.common import note_column
from pipeline.annexes.formulas import RowRatio
from pipeline.annexes.model import Annex, Column

COMPONENTS = tuple(str(i) for i in range(1, 12))
SOURCES = ("Đầu tư phát triển", "Sự nghiệp")

ANNEX = Annex(
    code="PB05",
    sheet="Giải ngân vốn",
    kind="list",
    title="KẾT QUẢ PHÂN BỔ, GIẢI NGÂN VỐN NGÂN SÁCH TRUNG ƯƠNG, NGÂN SÁCH TỈNH",
    unit_note="ĐVT: triệu đồng",
    note="Mỗi công trình/nội dung một dòng. Tỷ lệ giải ngân tự tính.",
    columns=(
        Column("ten", "Tên công trình/nội dung", kind="text", required=True, max_length=300, width=40,
               aggregate="count", hint="Tên công trình hoặc nội dung được giao vốn."),
        Column("noi_dung_tp", "Nội dung thành phần (1–11)", kind="choice", choices=COMPONENTS,
               required=True, width=12, hint="Số thứ tự nội dung thành phần theo QĐ 263/QĐ-TTg (1–11)."),
        Column("nguon_von", "Nguồn vốn", kind="choice", choices=SOURCES, required=True, width=18,
               hint="Đầu tư phát triển hoặc Sự nghiệp."),
        Column("ke_hoach", "Kế hoạch vốn giao", kind="money", required=True, aggregate="sum",
               hint="Kế hoạch vốn được giao (triệu đồng)."),
        Column("giai_ngan", "Giải ngân đến kỳ báo cáo", kind="money", aggregate="sum",
               hint="Số vốn đã giải ngân đến hết kỳ báo cáo (triệu đồng)."),
        Column("ty_le", "Tỷ lệ giải ngân (%)", kind="percent", role="formula", max=1000, width=12,
               formula=RowRatio("giai_ngan", "ke_hoach")),
        note_column(),
    ),
    blank_rows=50,
    district_sheet="TH05",
    district_title="TỔNG HỢP PHÂN BỔ, GIẢI NGÂN VỐN NGÂN SÁCH TRUNG ƯƠNG, NGÂN SÁCH TỈNH",
)
