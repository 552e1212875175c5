"""PB08 Chỉ tiêu chủ yếu: key indicators; counts are summed, rates weighted at district level."""

from __future__ import annotations

from dataclasses import replace

from pipeline.annexes.common import code_column, label_column, note_column, unit_column
from pipeline.annexes.model import Annex, Column, Link, Row
from pipeline.annexes.tt import VILLAGES

HOUSEHOLDS = "SO_HO"
POPULATION = "SO_NK"


def _count(code: str, label: str, unit: str, hint: str = "") -> Row:
    return Row(code, label, unit=unit, kind="int", aggregate="sum", hint=hint)


def _rate(code: str, label: str, weight: str, hint: str = "") -> Row:
    return Row(code, label, unit="%", kind="percent", aggregate="weighted", weight=weight,
               hint=hint or "Ghi số từ 0 đến 100, ví dụ 96 (không ghi 0,96).")


#: Figures PB08 shares with an indicator of PB01: typed once, in PB01 (its "Kết quả kỳ báo cáo").
SHARED = {"8": "15.1", "13": "10.1", "14": "11.1"}
REPORTED = "thuc_hien"


def _shared(row: Row) -> Row:
    """``row`` whose reported value is PB01's indicator: a link, with a hint saying where to type it."""
    indicator = SHARED[row.code]
    return replace(row, links={REPORTED: Link("PB01", indicator, "ket_qua")},
                   hint=f"Kết quả kỳ báo cáo tự lấy từ chỉ tiêu {indicator} (Phụ biểu 01): "
                        f"chỉ ghi cùng kỳ năm trước và kế hoạch năm.")


ROWS: tuple[Row, ...] = (
    _count("1", "Số cuộc họp, hội nghị tuyên truyền về xây dựng NTM", "cuộc"),
    _count("2", "Số lượt người dân tham dự", "lượt người"),
    _count("3", "Số nhà ở dân cư được xây mới, cải tạo, nâng cấp", "nhà"),
    _count("4", "Số hộ cải tạo, làm mới hàng rào", "hộ"),
    _rate("5", "Tỷ lệ trẻ em ra lớp đúng độ tuổi", POPULATION),
    _rate("6", "Tỷ lệ phổ cập giáo dục tiểu học", POPULATION),
    _rate("7", "Tỷ lệ phổ cập giáo dục trung học cơ sở", POPULATION),
    _rate("8", "Tỷ lệ dân số tham gia bảo hiểm y tế", POPULATION),
    _rate("9", "Tỷ lệ hộ gia đình được thu gom rác thải sinh hoạt", HOUSEHOLDS),
    _rate("10", "Tỷ lệ hộ sử dụng nước sinh hoạt hợp vệ sinh (kể cả chưa đạt quy chuẩn)", HOUSEHOLDS),
    _rate("11", "Tỷ lệ hộ sử dụng nước sạch đạt quy chuẩn (QCVN 01-1:2018/BYT)", HOUSEHOLDS),
    Row("12", "Số thôn đạt chuẩn về an ninh, trật tự", unit="thôn", kind="int", aggregate="sum",
        hint="Không vượt quá số thôn của xã.", not_above={"thuc_hien": VILLAGES}),
    Row("13", "Thu nhập bình quân đầu người", unit="triệu đồng/người/năm", kind="number", max=1000,
        aggregate="weighted", weight=POPULATION),
    Row("14", "Tỷ lệ hộ nghèo đa chiều", unit="%", kind="percent", aggregate="weighted",
        weight=HOUSEHOLDS, hint="Ghi số từ 0 đến 100, ví dụ 96 (không ghi 0,96).", lower_is_better=True),
)
ROWS = tuple(_shared(r) if r.code in SHARED else r for r in ROWS)

ANNEX = Annex(
    code="PB08",
    sheet="Chỉ tiêu chủ yếu",
    kind="fixed",
    title="KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU",
    note="Tỷ lệ ghi số từ 0 đến 100. Số lượng ghi số nguyên.",
    columns=(
        code_column(),
        label_column(width=46),
        unit_column(width=15),  # "triệu đồng/người/năm"
        Column(REPORTED, "Thực hiện kỳ báo cáo", kind="row", aggregate="sum"),
        Column("cung_ky", "Cùng kỳ năm trước", kind="row", aggregate="sum"),
        Column("ke_hoach", "Kế hoạch năm", kind="row", aggregate="sum"),
        note_column(),
    ),
    rows=ROWS,
    district_sheet="TH08",
    district_title="TỔNG HỢP MỘT SỐ CHỈ TIÊU CHỦ YẾU",
)
