"""PB03 Thôn NTM, NTM kiểu mẫu: one row per thôn."""

from __future__ import annotations

from pipeline.annexes.common import note_column
from pipeline.annexes.model import Annex, Column

#: Criteria of a model village in Thanh Hóa; other provinces may set another total.
MODEL_VILLAGE_CRITERIA = 15

ANNEX = Annex(
    code="PB03",
    sheet="Thôn NTM kiểu mẫu",
    kind="list",
    title="KẾT QUẢ XÂY DỰNG THÔN NÔNG THÔN MỚI, THÔN NÔNG THÔN MỚI KIỂU MẪU",
    note="Mỗi thôn một dòng. Tên thôn không được trùng.",
    columns=(
        Column("ten_thon", "Tên thôn", kind="text", required=True, max_length=100, width=26,
               aggregate="count", hint="Tên thôn, bản (mỗi thôn một dòng, không trùng)."),
        Column("nam_dat_ntm", "Đạt chuẩn NTM (năm)", kind="year", width=12,
               hint="Năm thôn được công nhận đạt chuẩn NTM (để trống nếu chưa đạt)."),
        Column("so_tc_dat", "Số tiêu chí NTM kiểu mẫu đạt", kind="int", max=30, required=True,
               width=13, aggregate="sum", hint="Số tiêu chí thôn NTM kiểu mẫu thôn đã đạt."),
        Column("tong_tc", "Tổng số tiêu chí NTM kiểu mẫu", kind="int", min=1, max=30, required=True,
               width=13,
               hint=f"Tổng số tiêu chí của bộ tiêu chí thôn NTM kiểu mẫu ({MODEL_VILLAGE_CRITERIA} ở Thanh Hóa)."),
        Column("nam_kieu_mau", "Năm được công nhận NTM kiểu mẫu", kind="year", width=13,
               aggregate="count", hint="Năm của quyết định công nhận thôn NTM kiểu mẫu. Đủ tiêu chí nhưng chưa có "
                    "quyết định: để trống, ghi cột Dự kiến công nhận."),
        Column("so_qd_kieu_mau", "Số quyết định công nhận NTM kiểu mẫu", kind="text",
               max_length=100, width=20,
               hint="Số quyết định công nhận thôn NTM kiểu mẫu, ví dụ 456/QĐ-UBND."),
        Column("du_kien", "Dự kiến công nhận (quý/năm)", kind="text", max_length=50, width=16,
               hint="Thôn chưa có quyết định công nhận: quý/năm dự kiến, ví dụ Quý III/2024."),
        note_column(),
    ),
    blank_rows=50,
    unique=("ten_thon",),
    district_sheet="TH03",
    district_title="TỔNG HỢP THÔN NÔNG THÔN MỚI, THÔN NÔNG THÔN MỚI KIỂU MẪU",
)
