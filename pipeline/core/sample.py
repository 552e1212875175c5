"""Sample mode: a run on the bundled samples says so on everything it writes; a real run never does."""

from __future__ import annotations

from pathlib import PurePath

#: The line every sheet of every workbook of a sample run carries (and the bundled samples too).
SAMPLE_BANNER = "DỮ LIỆU MẪU — KHÔNG DÙNG ĐỂ BÁO CÁO"
#: Added to the name of every file a sample run writes (ASCII, like the rest of the name).
SAMPLE_TAG = "_DULIEUMAU"
#: Printed at the end of a sample run.
SAMPLE_MESSAGE = ("LƯU Ý: đây là lần chạy thử trên DỮ LIỆU MẪU (thư mục input/ chưa có file của xã). "
                  "Các file kết quả có chữ DULIEUMAU trong tên: không dùng để báo cáo.")


def sample_name(name: str, used_samples: bool) -> str:
    """``name`` with SAMPLE_TAG before its extension when the run used the samples."""
    if not used_samples:
        return name
    path = PurePath(name)
    return f"{path.stem}{SAMPLE_TAG}{path.suffix}"
