"""PB09 Nội dung thành phần: the 11 components of QĐ 263/QĐ-TTg, text for the district narrative."""

from __future__ import annotations

from pipeline.annexes.common import code_column, label_column
from pipeline.annexes.model import Annex, Column, Row

APPLIES = ("Có", "Không thuộc")

COMPONENTS = (
    "Nâng cao hiệu quả quản lý và thực hiện xây dựng NTM theo quy hoạch",
    "Phát triển hạ tầng kinh tế - xã hội, cơ bản đồng bộ, hiện đại, đảm bảo kết nối nông thôn - đô thị",
    "Cơ cấu lại ngành nông nghiệp, phát triển kinh tế nông thôn; Chương trình mỗi xã một sản phẩm (OCOP)",
    "Giảm nghèo bền vững, đặc biệt là vùng đồng bào dân tộc thiểu số, miền núi, vùng bãi ngang ven biển và hải đảo",
    "Nâng cao chất lượng giáo dục, y tế và chăm sóc sức khỏe người dân nông thôn",
    "Nâng cao chất lượng đời sống văn hóa của người dân nông thôn",
    "Nâng cao chất lượng môi trường; xây dựng cảnh quan nông thôn sáng - xanh - sạch - đẹp, an toàn",
    "Đẩy mạnh và nâng cao chất lượng các dịch vụ hành chính công; chuyển đổi số trong xây dựng NTM",
    "Nâng cao chất lượng, phát huy vai trò của Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội",
    "Giữ vững quốc phòng, an ninh và trật tự xã hội nông thôn",
    "Tăng cường giám sát, đánh giá; nâng cao năng lực xây dựng NTM; truyền thông; phong trào thi đua",
)

ANNEX = Annex(
    code="PB09",
    sheet="Nội dung thành phần",
    kind="fixed",
    title="KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THÀNH PHẦN CỦA CHƯƠNG TRÌNH",
    unit_note="ĐVT kinh phí: triệu đồng",
    note="Theo Quyết định số 263/QĐ-TTg. Kết quả chủ yếu tối đa 2.000 ký tự mỗi ô.",
    columns=(
        code_column(),
        label_column(width=44),
        Column("ap_dung", "Áp dụng", kind="choice", choices=APPLIES, width=12,
               hint="Có, hoặc Không thuộc nếu xã không thuộc đối tượng của nội dung này."),
        Column("ket_qua", "Kết quả chủ yếu", kind="text", max_length=2000, width=70, aggregate="list",
               hint="Tóm tắt kết quả chủ yếu (tối đa 2.000 ký tự)."),
        Column("kinh_phi", "Kinh phí thực hiện", kind="money", aggregate="sum",
               hint="Kinh phí thực hiện trong kỳ (triệu đồng)."),
    ),
    rows=tuple(Row(str(i), f"Nội dung {i}: {text}") for i, text in enumerate(COMPONENTS, start=1)),
    district_sheet="TH09",
    district_title="TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THÀNH PHẦN",
)
