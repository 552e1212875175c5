"""Decide whether a file may be opened at all, before any parser sees it.

Hostile files are refused from what can be learnt cheaply: the suffix, the size on disk, the first
bytes (an OLE container holding an encrypted workbook, a non-zip named .xlsx) and the zip directory
(a zip bomb, a million-row sheet, an encrypted member).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from pipeline.text.numbers import vn_count, vn_number

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


#: Exceptions that are the user stopping the program, never a file's fault.
INTERRUPTS = (KeyboardInterrupt, SystemExit, GeneratorExit)


def library_failure(exc: BaseException) -> bool:
    """Whether ``exc``, raised while reading one file, is that file's failure. A Rust panic inside
    python-calamine arrives as pyo3's ``PanicException``, which derives from ``BaseException`` (not
    ``Exception``) and cannot be imported by name; deep or huge content can exhaust memory or the
    recursion limit. Only the user stopping the program is not the file's failure."""
    return not isinstance(exc, INTERRUPTS)


class ReadError(Exception):
    """The file cannot be read; carries the finding code, a note in Vietnamese and, apart, the
    technical detail (a library's own words) for findings.csv's detail column."""

    def __init__(self, code: str, note: str = "", detail: str = "") -> None:
        super().__init__(f"{code}: {note}")
        self.code = code
        self.note = note
        self.detail = detail


def check_file(path: Path) -> str:
    """The format of a workbook file, or ReadError for a file that must not be opened."""
    return inspect_file(path)[0]


def inspect_file(path: Path) -> tuple[str, frozenset[str]]:
    """``check_file``'s format, and the zip members (sheets) that hold Excel error cells
    (``t="e"``: #REF!, #DIV/0!… which the reader library gives as empty cells), noticed while the
    members are inflated for the size check."""
    try:
        errors: set[str] = set()
        return _check_file(path, errors), frozenset(errors)
    except OSError as exc:  # no permission, vanished, a special file…
        raise ReadError("file-unreadable", "hệ thống không cho mở file", _detail(exc)) from exc


def _detail(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200]


def _check_file(path: Path, errors: set[str]) -> str:
    fmt = WORKBOOK_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ReadError("file-skipped", path.suffix or "không có đuôi")
    if not path.is_file():  # a FIFO, a device, a folder named .xlsx: never opened
        raise ReadError("file-not-regular", path.name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError("file-too-large", _mb(size))
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
        _check_zip(path, errors)
    elif fmt == "xls" and head != OLE_MAGIC:
        if head[:4] == ZIP_MAGIC:
            _check_zip(path, errors)
            return "xlsx"
        raise ReadError("file-corrupt", "nội dung không phải định dạng Excel")
    return fmt


def _check_zip(path: Path, errors: set[str]) -> None:
    """Refuse a zip whose directory announces too much, then inflate every member with a bounded
    decompressor: the bytes really produced are counted, a member that inflates to another size
    than its directory says is refused (what a zip bomb does to pass a check trusting the headers),
    and a sheet spanning too many rows is refused before any parser loads it."""
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            unzipped = sum(i.file_size for i in entries)
            if unzipped > MAX_UNZIPPED_BYTES:
                raise ReadError("file-too-large", f"giải nén ra {_mb(unzipped)}")
            if any(i.flag_bits & 0x1 for i in entries):
                raise ReadError("file-encrypted")
            for i in entries:
                if i.file_size > MAX_PART_BYTES and i.filename.endswith(".xml"):
                    raise ReadError("file-too-large", f"phần {i.filename} giải nén ra {_mb(i.file_size)}")
            with path.open("rb") as raw:
                total = 0
                for info in entries:
                    if info.is_dir():
                        continue
                    data = _member(zf, raw, info, MAX_UNZIPPED_BYTES - total)
                    total += len(data)
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        _check_sheet(data, info.filename, errors)
    except ReadError:
        raise
    except Exception as exc:  # zipfile/zlib/lzma errors and anything a hostile zip provokes
        raise ReadError("file-corrupt", "không giải nén được nội dung file", _detail(exc)) from exc


_LOCAL_HEADER = 30


def _member(zf: zipfile.ZipFile, raw, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The inflated bytes of one member, produced by a decompressor bounded by ``budget`` and
    checked against the directory's size. Deflated and stored members (all that Excel and
    LibreOffice write) are inflated straight from the file with zlib (no CRC pass: the sizes are
    what matters here); other methods go through zipfile, which stops at the declared size."""
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        with zf.open(info) as member:
            data = member.read(min(budget, info.file_size) + 1)
    else:
        raw.seek(info.header_offset)
        header = raw.read(_LOCAL_HEADER)
        if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
            raise ReadError("file-corrupt", "không giải nén được nội dung file", f"bad local header: {info.filename}")
        skip = int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
        raw.seek(info.header_offset + _LOCAL_HEADER + skip)
        packed = raw.read(info.compress_size)
        if info.compress_type == zipfile.ZIP_STORED:
            data = packed
        else:
            inflater = zlib.decompressobj(-15)
            data = inflater.decompress(packed, budget + 1)
    if len(data) > budget:
        raise ReadError("file-too-large", f"giải nén ra hơn {_mb(MAX_UNZIPPED_BYTES)}")
    if len(data) != info.file_size:
        raise ReadError("file-corrupt", "kích thước các phần bên trong file không khớp (file hỏng hoặc bị làm giả)",
                        f"{info.filename}: {len(data)} bytes, directory says {info.file_size}")
    return data


def _check_sheet(xml: bytes, name: str, errors: set[str]) -> None:
    if ERROR_CELL in xml:
        errors.add(name)
    if _declared_rows(xml) > MAX_SHEET_ROWS:
        _check_rows(xml, name)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*(\d+)(?::[A-Z]*(\d+))?\"")


#: How a sheet's XML marks a cell holding an Excel error value.
ERROR_CELL = b't="e"'


def _declared_rows(head: bytes) -> int:
    """Rows spanned by the sheet's declared ``<dimension>`` (0 when absent). Formatting alone
    widens it, so a large span only leads to counting the rows that hold values."""
    found = _DIMENSION.search(head[:4096])
    if found is None:
        return 0
    return int(found.group(2) or found.group(1)) - int(found.group(1)) + 1


_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_HOLDS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)>")


def _check_rows(xml: bytes, name: str) -> None:
    rows = sum(1 for m in _ROW.finditer(xml) if m.group(1) and _HOLDS_VALUE.search(m.group(1)))
    if rows > MAX_SHEET_ROWS:
        raise ReadError("file-too-large", f"trang tính {name.rsplit('/', 1)[-1]} có {vn_count(rows)} dòng "
                                          f"có số liệu, quá {vn_count(MAX_SHEET_ROWS)} dòng")


def _mb(size: int) -> str:
    return f"{vn_number(size / 1024 / 1024, 0)} MB"
