"""PB11 Chỉ đạo, khó khăn, kiến nghị: the narrative parts of the commune report, one text each.

The seed report's sections on leadership (documents issued, the steering committee, communication)
and its closing assessment (highlights, shortcomings, causes, proposals), so the district can group
them by commune for its own report instead of retyping them from each narrative.
"""

from __future__ import annotations

from pipeline.annexes.common import code_column, label_column
from pipeline.annexes.model import Annex, Column, Row

TEXT = "noi_dung_bc"
#: Row code → section of the report.
SECTIONS = {
    "VB": "Văn bản lãnh đạo, chỉ đạo, điều hành đã ban hành (số, ngày, trích yếu)",
    "BCD": "Kiện toàn và hoạt động của Ban chỉ đạo, bộ máy giúp việc",
    "TT": "Công tác tuyên truyền, vận động",
    "KQ": "Những kết quả nổi bật",
    "HC": "Tồn tại, hạn chế, khó khăn, vướng mắc",
    "NN": "Nguyên nhân của tồn tại, hạn chế",
    "KN": "Đề xuất, kiến nghị",
}

ANNEX = Annex(
    code="PB11",
    sheet="Chỉ đạo, kiến nghị",
    kind="fixed",
    title="CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH; KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ",
    note="Ghi ngắn gọn, mỗi ý một dòng (Alt+Enter để xuống dòng trong ô). Tối đa 4.000 ký tự mỗi ô.",
    columns=(
        code_column(),
        label_column(width=36),
        Column(TEXT, "Nội dung báo cáo", kind="text", max_length=4000, width=100, aggregate="list",
               hint="Nội dung như trong báo cáo của xã (tối đa 4.000 ký tự)."),
    ),
    rows=tuple(Row(code, label) for code, label in SECTIONS.items()),
    district_sheet="TH11",
    district_title="TỔNG HỢP CÔNG TÁC CHỈ ĐẠO, KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ CỦA CÁC XÃ",
)
