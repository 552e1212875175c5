"""Decide whether a file may be opened at all, before any parser sees it.

Hostile files are refused from what can be learnt cheaply: the suffix, the size on disk, the first
bytes (an OLE container holding an encrypted workbook, a non-zip named .xlsx) and the zip directory
(a zip bomb, a million-row sheet, an encrypted member).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods"}
#: A filled template is about 60 KB on disk and 600 KB unzipped; these bounds leave a wide margin
#: while keeping memory and time bounded on hostile files.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
#: One sheet's XML (or an .ods content.xml): 5,000 filled rows take about 2 MB; a million take 40.
#: Checked from the zip directory, so a huge sheet is refused before anything is parsed.
MAX_PART_BYTES = 8 * 1024 * 1024
MAX_SHEET_ROWS = 5000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ReadError(Exception):
    """The file cannot be read; carries the finding code and a note."""

    def __init__(self, code: str, note: str = "") -> None:
        super().__init__(f"{code}: {note}")
        self.code = code
        self.note = note


def check_file(path: Path) -> str:
    """The format of a workbook file, or ReadError for a file that must not be opened."""
    fmt = WORKBOOK_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ReadError("file-skipped", path.suffix or "không có đuôi")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError("file-too-large", f"{size / 1024 / 1024:.0f} MB")
    with path.open("rb") as fh:
        head = fh.read(8)
    if fmt in ("xlsx", "xlsb", "ods"):
        if head == OLE_MAGIC:
            # An encrypted OOXML file is an OLE container holding "EncryptionInfo".
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00" in path.read_bytes()[:1 << 20]:
                raise ReadError("file-encrypted")
            return "xls"  # an old .xls saved under a new name: calamine reads it by content
        if head[:4] != ZIP_MAGIC:
            raise ReadError("file-corrupt", "nội dung không phải định dạng Excel")
        _check_zip(path)
    elif fmt == "xls" and head != OLE_MAGIC:
        if head[:4] == ZIP_MAGIC:
            _check_zip(path)
            return "xlsx"
        raise ReadError("file-corrupt", "nội dung không phải định dạng Excel")
    return fmt


def _check_zip(path: Path) -> None:
    entries = _zip_entries(path)
    unzipped = sum(size for _name, size, _flags in entries)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ReadError("file-too-large", f"giải nén ra {unzipped / 1024 / 1024:.0f} MB")
    if any(flags & 0x1 for _name, _size, flags in entries):
        raise ReadError("file-encrypted")
    for name, size, _flags in entries:
        if size > MAX_PART_BYTES and name.endswith(".xml"):
            raise ReadError("file-too-large", f"phần {name} giải nén ra {size / 1024 / 1024:.0f} MB")


def _zip_entries(path: Path) -> list[tuple[str, int, int]]:
    """(name, unzipped size, flag bits) of every member, from the zip's central directory."""
    try:
        with zipfile.ZipFile(path) as zf:
            return [(i.filename, i.file_size, i.flag_bits) for i in zf.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("file-corrupt", f"không giải nén được ({exc})") from exc
