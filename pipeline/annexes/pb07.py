"""PB07 Sản phẩm OCOP: one row per product."""

from __future__ import annotations

from pipeline.annexes.model import Annex, Column

#: The six product groups of QĐ 148/QĐ-TTg (2023). No commas: Excel splits list sources on them.
GROUPS = (
    "Thực phẩm",
    "Đồ uống",
    "Thảo dược",
    "Thủ công mỹ nghệ",
    "Sinh vật cảnh",
    "Dịch vụ du lịch cộng đồng - du lịch sinh thái - điểm du lịch",
)
OWNER_KINDS = ("Doanh nghiệp", "Hợp tác xã", "Tổ hợp tác", "Hộ sản xuất kinh doanh")
STATUSES = ("Mới", "Đánh giá lại", "Nâng hạng")
STARS = ("3", "4", "5")

ANNEX = Annex(
    code="PB07",
    sheet="Sản phẩm OCOP",
    kind="list",
    title="KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
    note="Mỗi sản phẩm một dòng.",
    columns=(
        Column("ten", "Tên sản phẩm", kind="text", required=True, max_length=200, width=32,
               aggregate="count", hint="Tên sản phẩm OCOP."),
        Column("nhom", "Nhóm sản phẩm", kind="choice", choices=GROUPS, required=True, width=22,
               hint="Nhóm sản phẩm theo QĐ 148/QĐ-TTg."),
        Column("chu_the", "Chủ thể", kind="text", max_length=200, width=26,
               hint="Tên doanh nghiệp, HTX, tổ hợp tác hoặc hộ sản xuất."),
        Column("loai_chu_the", "Loại chủ thể", kind="choice", choices=OWNER_KINDS, width=18,
               hint="Doanh nghiệp, Hợp tác xã, Tổ hợp tác hoặc Hộ sản xuất kinh doanh."),
        Column("so_sao", "Số sao", kind="int", min=3, max=5, required=True, width=8,
               hint="Hạng sao được công nhận: 3, 4 hoặc 5."),
        Column("nam_cong_nhan", "Năm công nhận", kind="year", min=2018, max=2030, required=True,
               width=11, hint="Năm có quyết định công nhận (từ 2018)."),
        Column("so_qd", "Số quyết định", kind="text", max_length=100, width=18,
               hint="Số quyết định công nhận, ví dụ 1234/QĐ-UBND."),
        Column("tinh_trang", "Tình trạng", kind="choice", choices=STATUSES, width=14,
               hint="Mới, Đánh giá lại hoặc Nâng hạng."),
    ),
    blank_rows=30,
    district_sheet="TH07",
    district_title="TỔNG HỢP SẢN PHẨM OCOP",
)
