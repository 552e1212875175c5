"""Findings: one catalogue entry per kind of problem (code → level, message template, hint)."""

from __future__ import annotations
from pipeline.core.states import Level
from pipeline.text.numbers import vn_number

import string
from dataclasses import asdict, dataclass
from typing import ClassVar



@dataclass(frozen=True)
class Kind:
    level: str
    template: str
    hint: str


#: Every finding code, its level, its Vietnamese message template and its hint.
CATALOGUE: dict[str, Kind] = {
    # Files
    "file-skipped": Kind(Level.INFO, "Bỏ qua file không phải bảng tính: {note}.",
                         "Chỉ đặt file Excel (.xlsx, .xlsm, .xls) hoặc .ods của các xã vào thư mục input."),
    "file-lock": Kind(Level.INFO, "Bỏ qua file khóa tạm của Excel ({note}).",
                      "File ~$… do Excel tạo khi đang mở file; đóng Excel rồi chạy lại."),
    "file-encrypted": Kind(Level.ERROR, "File được đặt mật khẩu, không đọc được.",
                           "Đề nghị xã gỡ mật khẩu (File > Info > Protect Workbook > Encrypt with Password, xóa mật khẩu) và gửi lại."),
    "file-corrupt": Kind(Level.ERROR, "File bị hỏng hoặc không phải file Excel thật: {note}.",
                         "Đề nghị xã mở lại file bằng Excel, lưu dạng Excel Workbook (.xlsx) và gửi lại."),
    "file-too-large": Kind(Level.ERROR, "File quá lớn ({note}), không đọc để bảo vệ máy.",
                           "Biểu mẫu chuẩn chỉ khoảng 50 KB; đề nghị xã dùng đúng biểu mẫu và gửi lại."),
    "file-unreadable": Kind(Level.ERROR, "Không mở được file để đọc ({note}).",
                            "Kiểm tra file không bị khóa hay giới hạn quyền đọc (chép lại file vào thư mục input), rồi chạy lại."),
    "folder-unreadable": Kind(Level.ERROR, "Không mở được thư mục '{note}': các file bên trong chưa được đọc.",
                              "Cấp quyền đọc thư mục (hoặc chép các file ra thư mục khác trong input) rồi chạy lại."),
    "file-not-regular": Kind(Level.ERROR, "'{note}' không phải là file thật (lối tắt bị hỏng hoặc tệp đặc biệt), không đọc được.",
                             "Chép chính file Excel của xã (không phải lối tắt) vào thư mục input rồi chạy lại."),
    "file-crashed": Kind(Level.ERROR, "Không đọc được file: thư viện đọc Excel gặp sự cố với nội dung file ({note}).",
                         "Đề nghị xã mở file bằng Excel, lưu lại dạng Excel Workbook (.xlsx) và gửi lại."),
    "feedback-failed": Kind(Level.WARNING, "Không tạo được bản phản hồi (file của xã có ô tô màu) cho file này.",
                            "Xem danh sách lỗi của file trong báo cáo kiểm tra; gửi danh sách đó cho xã."),
    "file-old-format": Kind(Level.INFO, "File dạng {note}: đã đọc được, nhưng không kiểm tra được bảng và công thức.",
                            "Lần sau đề nghị xã lưu dạng Excel Workbook (.xlsx)."),
    "template-unknown": Kind(Level.ERROR, "File không phải biểu mẫu NTM của huyện, hoặc phiên bản biểu mẫu không rõ ({note}).",
                             "Gửi cho xã biểu mẫu đúng kỳ (lệnh make templates) và đề nghị điền lại."),
    "template-version": Kind(Level.WARNING, "Biểu mẫu phiên bản {note}, khác phiên bản hiện hành: đã đọc theo tên cột.",
                             "Lần sau đề nghị xã dùng biểu mẫu mới nhất."),
    "unit-unknown": Kind(Level.ERROR, "Không xác định được đơn vị báo cáo ({note}).",
                         "Kiểm tra mã đơn vị ở trang Thông tin chung; mã phải có trong danh sách đơn vị của huyện."),
    "unit-mismatch": Kind(Level.WARNING, "Thông tin đơn vị không khớp: {note}.",
                          "Có thể xã đã dán dữ liệu của xã khác; đề nghị xã kiểm tra lại."),
    "unit-from-name": Kind(Level.INFO, "Đơn vị được xác định theo tên ({note}).",
                           "Lần sau đề nghị xã dùng biểu mẫu điền sẵn mã đơn vị."),
    "period-mismatch": Kind(Level.ERROR, "File của kỳ {note}, không phải kỳ đang tổng hợp.",
                            "Có thể xã gửi nhầm file kỳ trước; đề nghị xã gửi file đúng kỳ."),
    "duplicate-file": Kind(Level.WARNING, "Đơn vị gửi nhiều file: {note}.",
                           "Dùng file mới nhất; nếu không đúng, xóa file thừa khỏi thư mục input và chạy lại."),
    # Structure
    "sheet-missing": Kind(Level.ERROR, "Thiếu trang tính '{note}'.",
                          "Không xóa hoặc đổi tên trang tính; đề nghị xã điền lại vào biểu mẫu gốc."),
    "sheet-renamed": Kind(Level.INFO, "Trang tính đã bị đổi tên thành '{note}'; đã tìm thấy theo tiêu đề bảng.",
                          "Không đổi tên trang tính."),
    "column-missing": Kind(Level.ERROR, "Thiếu cột '{note}' trong bảng.",
                           "Không xóa hoặc đổi tên cột; đề nghị xã điền lại vào biểu mẫu gốc."),
    "row-missing": Kind(Level.ERROR, "Thiếu dòng mã '{note}'.",
                        "Không xóa dòng trong phụ biểu cố định; đề nghị xã điền lại vào biểu mẫu gốc."),
    "row-unknown": Kind(Level.WARNING, "Dòng có mã '{note}' không có trong biểu mẫu: không được tổng hợp.",
                        "Không chèn dòng hoặc sửa cột Mã trong phụ biểu cố định."),
    "row-inserted": Kind(Level.WARNING, "Dòng chèn thêm không có mã: số liệu của dòng này không được tổng hợp.",
                         "Xóa dòng chèn thêm, ghi số liệu vào đúng dòng có mã."),
    "merged-cells": Kind(Level.WARNING, "Các ô {note} bị gộp (merge) trong bảng: chỉ đọc được ô đầu tiên.",
                         "Bỏ gộp ô (Unmerge) và ghi số liệu vào từng ô."),
    "too-many-findings": Kind(Level.INFO, "Còn {note} phát hiện khác không được liệt kê.",
                              "Sửa các lỗi đã liệt kê rồi kiểm tra lại."),
    # Cells
    "not-a-number": Kind(Level.ERROR, "Giá trị '{value}' không phải là số.", "Ghi số, ví dụ 1234,5 hoặc 96."),
    "not-integer": Kind(Level.ERROR, "Giá trị {value} phải là số nguyên.", "Ghi số nguyên, không có phần thập phân."),
    "out-of-range": Kind(Level.ERROR, "Giá trị {value} nằm ngoài khoảng cho phép ({note}).", "Kiểm tra lại số liệu."),
    "not-in-list": Kind(Level.ERROR, "Giá trị '{value}' không có trong danh sách cho phép ({note}).",
                        "Chọn giá trị trong danh sách thả xuống."),
    "not-a-date": Kind(Level.ERROR, "Giá trị '{value}' không phải là ngày.", "Ghi ngày dạng ngày/tháng/năm."),
    "required-missing": Kind(Level.ERROR, "Chưa điền '{note}'.", "Điền đủ các ô bắt buộc."),
    "too-long": Kind(Level.ERROR, "Nội dung dài {value} ký tự, vượt quá {note} ký tự.", "Rút gọn nội dung."),
    "duplicate-value": Kind(Level.ERROR, "'{value}' bị trùng trong cột {note}.", "Mỗi dòng một đối tượng, không ghi trùng."),
    "formula-overwritten": Kind(Level.WARNING, "Ô tự tính có giá trị {value}, nhưng tính lại từ số liệu được {note}.",
                                "Không gõ đè lên ô tự tính (màu xanh); kiểm tra lại các dòng chi tiết."),
    "assessment-missing": Kind(Level.WARNING, "Chỉ tiêu có kết quả nhưng chưa đánh giá Đạt/Chưa đạt.",
                               "Chọn Đạt hoặc Chưa đạt cho chỉ tiêu."),
    "threshold-miss": Kind(Level.WARNING, "Tự đánh giá Đạt nhưng kết quả {value} chưa đạt mức {note}.",
                           "Kiểm tra lại kết quả hoặc đánh giá của chỉ tiêu."),
    "villages-exceed": Kind(Level.ERROR, "{value} thôn vượt quá số thôn của xã ({note}).",
                            "Kiểm tra số thôn ở trang Thông tin chung và số liệu của dòng này."),
    "met-exceeds-total": Kind(Level.ERROR, "Số tiêu chí đạt ({value}) lớn hơn tổng số tiêu chí ({note}).",
                              "Kiểm tra lại số tiêu chí thôn đã đạt."),
    "disbursed-over-plan": Kind(Level.WARNING, "Giải ngân ({value}) lớn hơn kế hoạch vốn giao ({note}).",
                                "Kiểm tra lại số giải ngân và kế hoạch vốn."),
    "drop-vs-last-year": Kind(Level.WARNING, "Kết quả {value} kém hơn cùng kỳ năm trước ({note}).",
                              "Kiểm tra lại số liệu; nếu đúng, ghi rõ lý do vào cột Ghi chú."),
    "negative-debt": Kind(Level.ERROR, "Số đã xử lý ({value}) lớn hơn nợ đầu kỳ ({note}).",
                          "Kiểm tra lại số nợ đầu kỳ và số đã xử lý."),
    "excel-error": Kind(Level.ERROR, "{note}", "Sửa công thức của ô (hoặc nhập thẳng số liệu) rồi gửi lại."),
    "cell-date": Kind(Level.ERROR, "{note}",
                      "Định dạng lại ô thành số (Format Cells > Number hoặc General) rồi nhập lại số liệu."),
    # Normalized values (the commune's value was usable after conversion)
    "value-normalized": Kind(Level.INFO, "{note}", "Lần sau ghi đúng dạng để tránh nhầm lẫn."),
    "text-legacy-font": Kind(Level.INFO, "{note}", "Lần sau gõ bằng bảng mã Unicode (font Times New Roman)."),
}


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, **values: object) -> str:
    """Fill a template; a missing placeholder becomes empty, so rendering never fails."""
    return string.Formatter().vformat(template, (), _SafeDict(values))


@dataclass(frozen=True)
class Finding:
    """One problem, at one place; the fields are the columns of findings.csv."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("unit_code", "file", "sheet", "cell", "level", "code",
                                          "message", "hint", "detail")

    unit_code: str
    file: str
    sheet: str
    cell: str
    level: str
    code: str
    message: str
    hint: str
    #: Technical detail for the developer (a library's own words), never shown in the message.
    detail: str = ""

    @classmethod
    def make(cls, code: str, *, unit_code: str = "", file: str = "", sheet: str = "", cell: str = "",
             value: object = "", note: object = "", level: str | None = None,
             detail: str = "") -> Finding:
        kind = CATALOGUE[code]
        shown = _show(value)
        if isinstance(note, (int, float)) and not isinstance(note, bool):  # 12.0 reads "12"
            note = _show(float(note))
        return cls(unit_code=unit_code, file=file, sheet=sheet, cell=cell, level=level or kind.level,
                   code=code, message=render(kind.template, value=shown, note=note), hint=kind.hint,
                   detail=detail)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _show(value: object) -> str:
    if isinstance(value, float):  # never 309 digits: large values as a power of ten
        return vn_number(value, 2)
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


#: Findings listed per file; past this a commune should redo its workbook, and one more finding
#: says how many were left out (the values they concern are still left out of the totals).
MAX_PER_FILE = 100
_PRIORITY = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


def cap_per_file(findings: list[Finding], limit: int = MAX_PER_FILE) -> list[Finding]:
    """Findings grouped by file (in order of first appearance), most severe first, at most
    ``limit`` per file plus a "too-many-findings" note."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    out: list[Finding] = []
    for file, group in by_file.items():
        group = sorted(group, key=lambda f: _PRIORITY.get(f.level, 3))
        out.extend(group[:limit])
        if len(group) > limit:
            out.append(Finding.make("too-many-findings", unit_code=group[0].unit_code, file=file,
                                    note=len(group) - limit))
    return out
