"""PB10 Công nhận đạt chuẩn: the commune's recognition at each level, from the decision.

Recognition is a decision (year and số quyết định), never a count of criteria met: a commune at 19/19
is not NTM until the province decides so. A level not yet reached may carry the year the commune
plans to be proposed for it.
"""

from __future__ import annotations

from pipeline.annexes.common import code_column, label_column, note_column
from pipeline.annexes.model import Annex, Column, Row

#: Recognition levels of a commune: row code → what the district calls it.
LEVELS = {
    "NTM": "Xã đạt chuẩn nông thôn mới",
    "NC": "Xã đạt chuẩn nông thôn mới nâng cao",
    "KM": "Xã đạt chuẩn nông thôn mới kiểu mẫu",
}
YEAR, DECISION, PROPOSED = "nam_cong_nhan", "so_qd", "nam_de_nghi"

ANNEX = Annex(
    code="PB10",
    sheet="Công nhận đạt chuẩn",
    kind="fixed",
    title="KẾT QUẢ CÔNG NHẬN XÃ ĐẠT CHUẨN NÔNG THÔN MỚI, NÔNG THÔN MỚI NÂNG CAO, KIỂU MẪU",
    note="Chỉ ghi năm và số quyết định khi đã có quyết định công nhận (đủ tiêu chí chưa phải là "
         "được công nhận). Mức chưa đạt: ghi năm dự kiến đề nghị công nhận, nếu có.",
    columns=(
        code_column(),
        label_column(width=44),
        Column(YEAR, "Năm công nhận", kind="year", min=2010, max=2100, width=12,
               hint="Năm của quyết định công nhận (để trống nếu chưa được công nhận)."),
        Column(DECISION, "Số quyết định công nhận", kind="text", max_length=100, width=24,
               hint="Ví dụ: 1234/QĐ-UBND ngày 15/11/2020 của UBND tỉnh."),
        Column(PROPOSED, "Năm dự kiến đề nghị công nhận", kind="year", min=2020, max=2100,
               width=14, hint="Chỉ ghi cho mức chưa được công nhận, ví dụ 2025."),
        note_column(),
    ),
    rows=tuple(Row(code, label) for code, label in LEVELS.items()),
    district_sheet="TH10",
    district_title="TỔNG HỢP KẾT QUẢ CÔNG NHẬN XÃ ĐẠT CHUẨN NTM, NTM NÂNG CAO, NTM KIỂU MẪU",
)
