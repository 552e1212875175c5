"""Findings: one catalogue entry per kind of problem (code → level, message template, hint)."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass
from decimal import Decimal
from numbers import Real
from typing import ClassVar

from pipeline.core.states import Level
from pipeline.text.numbers import vn_number


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
                           "Đề nghị xã gỡ mật khẩu (File > Info > Protect Workbook > Encrypt with Password, "
                           "xóa mật khẩu) và gửi lại."),
    "file-corrupt": Kind(Level.ERROR, "File bị hỏng hoặc không phải file Excel thật: {note}.",
                         "Đề nghị xã mở lại file bằng Excel, lưu dạng Excel Workbook (.xlsx) và gửi lại."),
    "file-too-large": Kind(Level.ERROR, "File quá lớn ({note}), không mở để tránh treo máy.",
                           "Biểu mẫu chuẩn chỉ khoảng 50 KB; đề nghị xã dùng đúng biểu mẫu và gửi lại."),
    "file-unreadable": Kind(Level.ERROR, "Không mở được file để đọc ({note}).",
                            "Kiểm tra file không bị khóa hay giới hạn quyền đọc (chép lại file vào thư mục input), "
                            "rồi chạy lại."),
    "folder-unreadable": Kind(Level.ERROR, "Không mở được thư mục '{note}': các file bên trong chưa được đọc.",
                              "Cấp quyền đọc thư mục (hoặc chép các file ra thư mục khác trong input) rồi chạy lại."),
    "file-not-regular": Kind(Level.ERROR, "'{note}' không phải là file thật (lối tắt bị hỏng hoặc tệp đặc biệt), "
                             "không đọc được.",
                             "Chép chính file Excel của xã (không phải lối tắt) vào thư mục input rồi chạy lại."),
    "file-crashed": Kind(Level.ERROR, "Không đọc được file: thư viện đọc Excel gặp sự cố với nội dung file ({note}).",
                         "Đề nghị xã mở file bằng Excel, lưu lại dạng Excel Workbook (.xlsx) và gửi lại."),
    "feedback-failed": Kind(Level.WARNING, "Không tạo được bản phản hồi (file của xã có ô tô màu) cho file này.",
                            "Xem danh sách lỗi của file trong báo cáo kiểm tra; gửi danh sách đó cho xã."),
    "file-old-format": Kind(Level.INFO, "File dạng {note}: đã đọc được, nhưng không kiểm tra được bảng và công thức.",
                            "Lần sau đề nghị xã lưu dạng Excel Workbook (.xlsx)."),
    "template-unknown": Kind(Level.ERROR, "File không phải biểu mẫu NTM của huyện, hoặc phiên bản biểu mẫu không rõ "
                             "({note}).",
                             "Gửi cho xã biểu mẫu đúng kỳ (lệnh make templates) và đề nghị điền lại."),
    "template-version": Kind(Level.WARNING, "Biểu mẫu phiên bản {note}, khác phiên bản hiện hành: đã đọc theo tên cột.",
                             "Lần sau đề nghị xã dùng biểu mẫu mới nhất."),
    "unit-unknown": Kind(Level.ERROR, "Không xác định được đơn vị báo cáo ({note}).",
                         "Kiểm tra mã đơn vị ở trang Thông tin chung; mã phải có trong danh sách đơn vị của huyện."),
    "unit-mismatch": Kind(Level.WARNING, "Thông tin đơn vị không khớp: {note}.",
                          "Có thể xã đã dán dữ liệu của xã khác; đề nghị xã kiểm tra lại."),
    "unit-from-name": Kind(Level.INFO, "Đơn vị được xác định theo tên ({note}).",
                           "Lần sau đề nghị xã dùng biểu mẫu điền sẵn mã đơn vị."),
    "period-mismatch": Kind(Level.ERROR, "File là báo cáo {note}, không phải kỳ đang tổng hợp.",
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
    "row-missing": Kind(Level.ERROR, "Thiếu dòng có mã '{note}'.",
                        "Không xóa dòng trong phụ biểu cố định; đề nghị xã điền lại vào biểu mẫu gốc."),
    "row-unknown": Kind(Level.WARNING, "Dòng có mã '{note}' không có trong biểu mẫu: không được tổng hợp.",
                        "Không chèn dòng hoặc sửa cột Mã trong phụ biểu cố định."),
    "row-inserted": Kind(Level.WARNING, "Dòng chèn thêm không có mã: số liệu của dòng này không được tổng hợp.",
                         "Xóa dòng chèn thêm, ghi số liệu vào đúng dòng có mã."),
    "merged-cells": Kind(Level.WARNING, "Các ô {note} bị gộp trong bảng: chỉ đọc được ô đầu tiên.",
                         "Bỏ gộp ô (Unmerge) và ghi số liệu vào từng ô."),
    "too-many-findings": Kind(Level.INFO, "Còn {note} phát hiện khác không được liệt kê.",
                              "Sửa các lỗi đã liệt kê rồi kiểm tra lại."),
    # Cells
    "not-a-number": Kind(Level.ERROR, "Giá trị '{value}' không phải là số.", "Ghi số, ví dụ 1234,5 hoặc 96."),
    "not-integer": Kind(Level.ERROR, "Giá trị '{value}' không phải là số nguyên.",
                       "Ghi số nguyên, không có phần thập phân."),
    "out-of-range": Kind(Level.ERROR, "Giá trị {value} nằm ngoài khoảng cho phép ({note}).", "Kiểm tra lại số liệu."),
    "not-in-list": Kind(Level.ERROR, "Giá trị '{value}' không có trong danh sách cho phép ({note}).",
                        "Chọn giá trị trong danh sách thả xuống."),
    "not-a-date": Kind(Level.ERROR, "Giá trị '{value}' không phải là ngày.", "Ghi ngày dạng ngày/tháng/năm."),
    "required-missing": Kind(Level.ERROR, "Chưa điền “{note}”.", "Điền đủ các ô bắt buộc."),
    "too-long": Kind(Level.ERROR, "Nội dung dài {value} ký tự, vượt quá {note} ký tự.", "Rút gọn nội dung."),
    "duplicate-value": Kind(Level.ERROR, "'{value}' bị trùng trong cột “{note}”.",
                           "Mỗi dòng ghi một đối tượng, không ghi trùng."),
    "formula-overwritten": Kind(Level.WARNING, "Ô tự tính bị gõ đè thành {value}; tính từ số liệu chi tiết "
                                "được {note}, bảng tổng hợp của huyện dùng số {note}.",
                                "Xóa số đã gõ để ô (màu xanh) tự tính lại; nếu số gõ đè mới đúng, sửa các "
                                "dòng chi tiết cho khớp."),
    "assessment-missing": Kind(Level.WARNING, "Chỉ tiêu có kết quả nhưng chưa đánh giá Đạt/Chưa đạt.",
                               "Chọn Đạt hoặc Chưa đạt cho chỉ tiêu."),
    "threshold-miss": Kind(Level.WARNING, "Tự đánh giá Đạt nhưng kết quả {value} chưa đạt yêu cầu ({note}).",
                           "Kiểm tra lại kết quả hoặc đánh giá của chỉ tiêu."),
    "villages-exceed": Kind(Level.ERROR, "{value} thôn vượt quá số thôn của xã ({note}).",
                            "Kiểm tra số thôn ở trang Thông tin chung và số liệu của dòng này."),
    "met-exceeds-total": Kind(Level.ERROR, "Số tiêu chí đạt ({value}) lớn hơn tổng số tiêu chí ({note}).",
                              "Kiểm tra lại số tiêu chí thôn đã đạt."),
    "disbursed-over-plan": Kind(Level.WARNING, "Giải ngân ({value}) lớn hơn kế hoạch vốn giao ({note}).",
                                "Kiểm tra lại số giải ngân và kế hoạch vốn."),
    "decision-missing": Kind(Level.INFO, "Có năm công nhận {value} nhưng chưa ghi số quyết định công nhận.",
                             "Công nhận đạt chuẩn căn cứ quyết định: ghi số quyết định (ví dụ "
                             "1234/QĐ-UBND) bên cạnh năm công nhận."),
    "disbursed-vs-mobilised": Kind(
        Level.WARNING, "Vốn NSTW và ngân sách tỉnh: giải ngân theo các công trình (Phụ biểu 05) là "
        "{value} triệu đồng, nhưng huy động lũy kế (Phụ biểu 04, dòng I và II.1) là {note} triệu đồng.",
        "Đối chiếu hai phụ biểu: tổng giải ngân các công trình phải khớp vốn NSTW và ngân sách tỉnh "
        "đã huy động (chênh lệch không quá 5%)."),
    "drop-vs-last-year": Kind(Level.WARNING, "Kết quả {value} kém hơn cùng kỳ năm trước ({note}).",
                              "Kiểm tra lại số liệu; nếu đúng, ghi rõ lý do vào cột Ghi chú."),
    "negative-debt": Kind(Level.ERROR, "Số đã xử lý ({value}) lớn hơn nợ đầu kỳ ({note}).",
                          "Kiểm tra lại số nợ đầu kỳ và số đã xử lý."),
    # History (the archive of earlier periods)
    "history-last-year-differs": Kind(Level.WARNING,
                                      "Cùng kỳ năm trước ghi {value}, khác số xã đã báo cáo kỳ đó: {note}.",
                                      "Kiểm tra lại; nếu số kỳ trước đã được điều chỉnh, "
                                      "ghi rõ lý do vào cột Ghi chú."),
    "history-outlier": Kind(Level.WARNING, "Giá trị {value} khác xa các kỳ trước của xã (khoảng thường gặp {note}).",
                            "Kiểm tra lại số liệu (đơn vị tính, gõ thừa hoặc thiếu chữ số); "
                            "nếu đúng, ghi rõ lý do vào cột Ghi chú."),
    "history-criterion-lost": Kind(Level.INFO, "Tiêu chí {value} đạt ở kỳ {note} nhưng kỳ này Chưa đạt.",
                                   "Kiểm tra lại đánh giá; nếu đúng, ghi rõ lý do vào cột Ghi chú."),
    "excel-error": Kind(Level.ERROR, "{note}", "Sửa công thức của ô (hoặc nhập thẳng số liệu) rồi gửi lại."),
    "cell-date": Kind(Level.ERROR, "{note}",
                      "Định dạng lại ô thành số (chuột phải vào ô, chọn Format Cells, thẻ Number, kiểu General) "
                      "rồi nhập lại số liệu."),
    # Normalized values (the commune's value was usable after conversion)
    "value-normalized": Kind(Level.INFO, "{note}", "Lần sau ghi đúng dạng để tránh nhầm lẫn."),
    "text-legacy-font": Kind(Level.INFO, "{note}", "Lần sau gõ bằng bảng mã Unicode (font Times New Roman)."),
}


#: A short Vietnamese name of each kind of finding (the check report shows it beside the code).
LABELS: dict[str, str] = {
    "file-skipped": "Không phải bảng tính",
    "file-lock": "File khóa tạm của Excel",
    "file-encrypted": "File có mật khẩu",
    "file-corrupt": "File hỏng",
    "file-too-large": "File quá lớn",
    "file-old-format": "File định dạng cũ",
    "template-unknown": "Không phải biểu mẫu",
    "template-version": "Biểu mẫu phiên bản khác",
    "unit-unknown": "Không rõ đơn vị",
    "unit-mismatch": "Thông tin đơn vị không khớp",
    "unit-from-name": "Đơn vị nhận theo tên",
    "period-mismatch": "Sai kỳ báo cáo",
    "duplicate-file": "Gửi nhiều file",
    "sheet-missing": "Thiếu trang tính",
    "sheet-renamed": "Trang tính bị đổi tên",
    "column-missing": "Thiếu cột",
    "row-missing": "Thiếu dòng",
    "row-unknown": "Dòng lạ",
    "row-inserted": "Dòng chèn thêm",
    "merged-cells": "Ô bị gộp",
    "too-many-findings": "Còn phát hiện khác",
    "not-a-number": "Không phải số",
    "not-integer": "Không phải số nguyên",
    "out-of-range": "Ngoài khoảng cho phép",
    "not-in-list": "Ngoài danh sách chọn",
    "not-a-date": "Không phải ngày",
    "required-missing": "Chưa điền",
    "too-long": "Quá dài",
    "duplicate-value": "Ghi trùng",
    "formula-overwritten": "Ô tự tính bị gõ đè",
    "assessment-missing": "Chưa đánh giá",
    "threshold-miss": "Đánh giá chưa khớp kết quả",
    "villages-exceed": "Vượt số thôn",
    "met-exceeds-total": "Số đạt vượt tổng số",
    "disbursed-over-plan": "Giải ngân vượt kế hoạch",
    "drop-vs-last-year": "Kém cùng kỳ năm trước",
    "negative-debt": "Xử lý vượt số nợ",
    "value-normalized": "Đã chuẩn hóa giá trị",
    "text-legacy-font": "Chữ bảng mã cũ",
    "decision-missing": "Thiếu số quyết định công nhận",
    "disbursed-vs-mobilised": "Giải ngân lệch vốn huy động",
    "history-last-year-differs": "Cùng kỳ năm trước khác số đã báo cáo",
    "history-outlier": "Khác xa các kỳ trước",
    "history-criterion-lost": "Tiêu chí không còn đạt",
    "file-unreadable": "Không mở được file",
    "folder-unreadable": "Không mở được thư mục",
    "file-not-regular": "Không phải file thật",
    "file-crashed": "File làm lỗi trình đọc",
    "feedback-failed": "Không tạo được bản phản hồi",
    "excel-error": "Ô có lỗi công thức Excel",
    "cell-date": "Ô số liệu bị định dạng ngày",
}


def label(code: str) -> str:
    """The Vietnamese name of a finding code (the code itself for one without a name yet)."""
    return LABELS.get(code, code)


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
        if isinstance(note, (Real, Decimal)) and not isinstance(note, bool):  # 12.0 reads "12"
            note = _show(note)
        return cls(unit_code=unit_code, file=file, sheet=sheet, cell=cell, level=level or kind.level,
                   code=code, message=render(kind.template, value=shown, note=note), hint=kind.hint,
                   detail=detail)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _show(value: object) -> str:
    """A value as a message shows it: numbers the Vietnamese way (1.234,5), long text shortened.
    A year is passed already written (vn_number(..., group=False)), so it never reads 1.990."""
    if isinstance(value, (Real, Decimal)) and not isinstance(value, bool):
        return vn_number(value)
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


#: Findings listed per file; past this a commune should redo its workbook, and one more finding
#: says how many were left out (the values they concern are still left out of the totals).
MAX_PER_FILE = 100


def cap_per_file(findings: list[Finding], limit: int = MAX_PER_FILE) -> list[Finding]:
    """Findings grouped by file (in order of first appearance), most severe first, at most
    ``limit`` per file plus a "too-many-findings" note."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    out: list[Finding] = []
    for file, group in by_file.items():
        group = sorted(group, key=lambda f: Level(f.level).rank)
        out.extend(group[:limit])
        if len(group) > limit:
            out.append(Finding.make("too-many-findings", unit_code=group[0].unit_code, file=file,
                                    note=len(group) - limit))
    return out
