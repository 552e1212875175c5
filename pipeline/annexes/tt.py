"""TT Thông tin chung: who reports, for which period, and the weights of district rates."""

from __future__ import annotations

from pipeline.annexes.common import code_column, label_column
from pipeline.annexes.model import Annex, Column, Row
from pipeline.config.regions import REGIONS

#: Regions of QĐ 318/QĐ-TTg, as offered in the "vùng áp dụng mức chuẩn" dropdown: their names
#: (the rules read a name or a code through ``region_code``).
REGION_CHOICES = tuple(REGIONS.values())
#: Row codes other annexes' rules and tables refer to.
VILLAGES = "SO_THON"
REGION = "VUNG"

ANNEX = Annex(
    code="TT",
    sheet="Thông tin chung",
    kind="keyvalue",
    title="THÔNG TIN CHUNG VỀ ĐƠN VỊ BÁO CÁO",
    note="Mã, tên đơn vị và kỳ báo cáo đã được điền sẵn và khóa; xã điền các ô màu vàng.",
    columns=(
        code_column(),
        label_column(width=44),
        Column("gia_tri", "Giá trị", kind="row", width=40),
    ),
    rows=(
        Row("MA_DV", "Mã đơn vị hành chính", kind="text", prefill="unit_code", required=True,
            hint="Mã đơn vị hành chính 5 chữ số của Tổng cục Thống kê."),
        Row("TEN_DV", "Tên đơn vị", kind="text", prefill="unit_name", required=True),
        Row("HUYEN", "Huyện", kind="text", prefill="district"),
        Row("TINH", "Tỉnh", kind="text", prefill="province"),
        Row("KY", "Kỳ báo cáo", kind="text", prefill="period", required=True),
        Row(VILLAGES, "Số thôn", unit="thôn", kind="int", max=200, required=True,
            hint="Tổng số thôn, bản, tổ dân phố của xã."),
        Row("SO_HO", "Tổng số hộ", unit="hộ", kind="int", max=100000, required=True,
            hint="Dùng làm quyền số khi huyện tính tỷ lệ chung theo hộ."),
        Row("SO_NK", "Tổng số nhân khẩu", unit="người", kind="int", max=1000000, required=True,
            hint="Dùng làm quyền số khi huyện tính tỷ lệ chung theo dân số."),
        Row(REGION, "Vùng áp dụng mức chuẩn (QĐ 318/QĐ-TTg)", kind="choice",
            choices=REGION_CHOICES, prefill="region",
            hint="Vùng của xã theo Bộ tiêu chí quốc gia về xã nông thôn mới; chọn trong danh sách."),
        Row("NGUOI_LAP", "Người lập biểu", kind="text", max_length=100),
        Row("DIEN_THOAI", "Điện thoại", kind="text", max_length=30),
        Row("NGAY_LAP", "Ngày lập", kind="date"),
    ),
)
