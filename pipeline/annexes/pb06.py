"""PB06 Nợ đọng XDCB: construction debt, one row per work."""

from __future__ import annotations

from pipeline.annexes.common import note_column
from pipeline.annexes.formulas import RowDiff
from pipeline.annexes.model import Annex, Column

ANNEX = Annex(
    code="PB06",
    sheet="Nợ đọng XDCB",
    kind="list",
    title="TÌNH HÌNH NỢ ĐỌNG XÂY DỰNG CƠ BẢN TRONG XÂY DỰNG NÔNG THÔN MỚI",
    unit_note="ĐVT: triệu đồng",
    note="Mỗi công trình một dòng. Nợ cuối kỳ tự tính = nợ đầu kỳ − đã xử lý.",
    columns=(
        Column("ten", "Tên công trình", kind="text", required=True, max_length=300, width=40,
               aggregate="count", hint="Tên công trình còn nợ đọng."),
        Column("nam_hoan_thanh", "Năm hoàn thành", kind="year", width=11,
               hint="Năm công trình hoàn thành."),
        Column("no_dau_ky", "Nợ đầu kỳ", kind="money", required=True, aggregate="sum",
               hint="Số nợ đầu kỳ (triệu đồng)."),
        Column("da_xu_ly", "Đã xử lý trong kỳ", kind="money", aggregate="sum",
               hint="Số nợ đã trả trong kỳ (triệu đồng)."),
        Column("no_cuoi_ky", "Nợ cuối kỳ", kind="money", role="formula", aggregate="sum",
               formula=RowDiff("no_dau_ky", "da_xu_ly")),
        Column("nguon_xu_ly", "Nguồn dự kiến xử lý", kind="text", max_length=200, width=22,
               hint="Nguồn vốn dự kiến để trả nợ."),
        note_column(),
    ),
    blank_rows=30,
    district_sheet="TH06",
    district_title="TỔNG HỢP TÌNH HÌNH NỢ ĐỌNG XÂY DỰNG CƠ BẢN",
)
