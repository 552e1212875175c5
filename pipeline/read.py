"""Open a commune workbook safely and read each annex into cells that keep their Excel address.

python-calamine reads .xlsx/.xlsm/.xlsb/.xls/.ods, knows Excel tables and merged ranges, and is
about 20 times faster than openpyxl here (see ``make bench``). Hostile files are refused before
calamine sees them: size, zip expansion (zip bombs, million-row sheets), encryption, non-zip
files named .xlsx. Nothing here writes to the input file.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine as calamine
from xlsxwriter.utility import xl_rowcol_to_cell as _xl_rowcol_to_cell

from pipeline.annexes import Annex
from pipeline.findings import Finding
from pipeline.layout import META_SHEET
from pipeline.textutil import fold

WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods"}
#: A filled template is about 60 KB on disk and 600 KB unzipped; these bounds leave a wide margin
#: while keeping memory and time bounded on hostile files.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
#: One sheet's XML (or an .ods content.xml): 5,000 filled rows take about 2 MB; a million take 40.
#: Checked from the zip directory, so a huge sheet is refused before anything is parsed.
MAX_PART_BYTES = 8 * 1024 * 1024
MAX_SHEET_ROWS = 5000
#: Rows after the header scanned for the header itself when the table is not found by name.
HEADER_SEARCH_ROWS = 40
#: Text that ends an annex's data area: the signature block.
STOP_WORDS = ("nguoi lap bieu", "tm. uy ban nhan dan", "chu tich", "tm. ubnd")
STOP_FIRST = frozenset("NnTtCc.")
SIGNATURE_DATE = re.compile(r"^\.{3,}, ngay \.{3,}")
BLANK_RUN_END = 6

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ReadError(Exception):
    """The file cannot be read; carries the finding code and a note."""

    def __init__(self, code: str, note: str = "") -> None:
        super().__init__(f"{code}: {note}")
        self.code = code
        self.note = note


class Cell(NamedTuple):
    """One value read from an annex, with where it came from (a tuple: cheap to pickle)."""

    annex: str
    row_code: str
    column: str
    value: Any
    sheet: str
    cell: str
    role: str  # "input" | "formula"


@dataclass
class AnnexRead:
    annex: str
    sheet: str | None
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Row codes of used rows, in order (list annexes: "1", "2", …).
    rows: list[str] = field(default_factory=list)


@lru_cache(maxsize=1 << 16)
def xl_rowcol_to_cell(row: int, col: int) -> str:
    """A1 address of a cell; cached: every commune's workbook has the same addresses, so the cells
    of all units share one string per address (less memory, smaller pickles from the workers)."""
    return _xl_rowcol_to_cell(row, col)


# Opening


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
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError("file-corrupt", f"không giải nén được ({exc})") from exc
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ReadError("file-too-large", f"giải nén ra {unzipped / 1024 / 1024:.0f} MB")
    if any(i.flag_bits & 0x1 for i in infos):
        raise ReadError("file-encrypted")
    for info in infos:
        if info.file_size > MAX_PART_BYTES and info.filename.endswith(".xml"):
            raise ReadError("file-too-large",
                            f"phần {info.filename} giải nén ra {info.file_size / 1024 / 1024:.0f} MB")


class Workbook:
    """A commune workbook opened read-only with calamine; sheets are loaded on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.format = check_file(self.path)
        try:
            self._book = calamine.CalamineWorkbook.from_path(
                str(self.path), load_tables=self.format == "xlsx")
        except calamine.PasswordError as exc:
            raise ReadError("file-encrypted") from exc
        except Exception as exc:  # calamine raises several error types for broken content
            raise ReadError("file-corrupt", _short(exc)) from exc
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._grids: dict[str, list[list[Any]]] = {}
        self._merged: dict[str, list] = {}
        self.tables: dict[str, tuple[str, int, int, int, int]] = {}
        if self.format == "xlsx":
            self._load_tables()

    def _load_tables(self) -> None:
        try:
            names = self._book.table_names
            names = names() if callable(names) else names
            for name in names:
                table = self._book.get_table_by_name(name)
                (r0, c0), (r1, c1) = table.start, table.end
                # calamine's start is the first data row; the header is the row above it.
                self.tables[name] = (table.sheet, r0 - 1, c0, r1, c1)
        except Exception:  # a broken table part must not stop reading the cells
            self.tables = {}

    def grid(self, sheet: str) -> list[list[Any]]:
        """All cells of a sheet from A1, as a list of rows (bounded)."""
        if sheet not in self._grids:
            try:
                data = self._book.get_sheet_by_name(sheet)
            except Exception as exc:
                raise ReadError("file-corrupt", _short(exc)) from exc
            if data.total_height > MAX_SHEET_ROWS:
                raise ReadError("file-too-large", f"trang '{sheet}' có {data.total_height:,} dòng")
            self._grids[sheet] = data.to_python(skip_empty_area=False)
            try:
                self._merged[sheet] = list(data.merged_cell_ranges or [])
            except Exception:
                self._merged[sheet] = []
        return self._grids[sheet]

    def merged(self, sheet: str) -> list:
        self.grid(sheet)
        return self._merged.get(sheet, [])

    def meta(self) -> dict[str, str]:
        """The hidden template fields (version, unit code, period), empty when absent."""
        if META_SHEET not in self.sheet_names:
            return {}
        out = {}
        for row in self.grid(META_SHEET):
            if len(row) >= 2 and isinstance(row[0], str) and row[0]:
                out[row[0]] = _as_text(row[1])
        return out

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:
            pass


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _cell(grid: list[list[Any]], r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        value = grid[r][c]
        return None if value == "" else value
    return None


# Locating an annex


@dataclass(frozen=True)
class Location:
    sheet: str
    header_row: int
    columns: dict[str, int]       # column key -> 0-based column index
    end_row: int | None           # last row of the Excel table, when known
    found_by: str                 # "table" | "header"


def _match_header(grid: list[list[Any]], r: int, annex: Annex) -> dict[str, int]:
    wanted = {fold(c.title): c.key for c in annex.columns}
    found: dict[str, int] = {}
    row = grid[r] if r < len(grid) else []
    for c, value in enumerate(row):
        if isinstance(value, str):
            key = wanted.get(fold(value))
            if key and key not in found:
                found[key] = c
    return found


def locate(book: Workbook, annex: Annex) -> tuple[Location | None, list[Finding]]:
    """Find the annex's table: by its Excel table name, else by header titles on any sheet."""
    findings: list[Finding] = []
    table = book.tables.get(annex.table_name)
    if table:
        sheet, header, _c0, end, _c1 = table
        columns = _match_header(book.grid(sheet), header, annex)
        if columns:
            if sheet != annex.sheet:
                findings.append(Finding.make("sheet-renamed", sheet=sheet, note=sheet))
            return Location(sheet, header, columns, end, "table"), findings
    candidates = [annex.sheet] if annex.sheet in book.sheet_names else []
    candidates += [s for s in book.sheet_names if s not in candidates and s != META_SHEET]
    # Tolerate one renamed column; fewer matches would take another annex's similar table.
    need = max(2, len(annex.columns) - 1)
    for sheet in candidates:
        grid = book.grid(sheet)
        for r in range(min(len(grid), HEADER_SEARCH_ROWS)):
            columns = _match_header(grid, r, annex)
            if len(columns) >= need and _first_key(annex) in columns and _rows_match(grid, r, columns, annex):
                if sheet != annex.sheet:
                    findings.append(Finding.make("sheet-renamed", sheet=sheet, note=sheet))
                return Location(sheet, r, columns, None, "header"), findings
    return None, findings


def _rows_match(grid: list[list[Any]], header: int, columns: dict[str, int], annex: Annex) -> bool:
    """Fixed annexes share headers (PB04 and PB08); their row codes tell them apart."""
    if annex.kind == "list":
        return True
    col = columns["ma"]
    found = {_code_text(_cell(grid, r, col)) for r in range(header + 1, min(len(grid), header + 400))}
    wanted = {row.code for row in annex.rows}
    return len(found & wanted) * 2 >= len(wanted)


def _first_key(annex: Annex) -> str:
    return annex.columns[0].key


# Reading an annex


def read_annex(book: Workbook, annex: Annex) -> AnnexRead:
    out = AnnexRead(annex.code, None)
    try:
        location, found = locate(book, annex)
    except ReadError:
        raise
    out.findings.extend(found)
    if location is None:
        if not annex.optional:
            out.findings.append(Finding.make("sheet-missing", sheet=annex.sheet, note=annex.sheet))
        return out
    out.sheet = location.sheet
    grid = book.grid(location.sheet)
    for col in annex.columns:
        if col.key not in location.columns and col.role != "label":
            out.findings.append(Finding.make(
                "column-missing", sheet=location.sheet,
                cell=xl_rowcol_to_cell(location.header_row, 0), note=col.title))
    rows = _data_rows(grid, location)
    _check_merged(book, location, rows, out)
    if annex.kind == "list":
        _read_list(grid, annex, location, rows, out)
    else:
        _read_fixed(grid, annex, location, rows, out)
    return out


def _is_stop_row(row: list[Any]) -> bool:
    """The signature block under the table: exact texts only, so commune text never stops reading."""
    for value in row:
        # Cheap filter first: every stop text starts with "N", "T", "C" or "." (hot loop).
        if isinstance(value, str) and value[:1] in STOP_FIRST:
            text = fold(value)
            # Upper case only: TT has a row labelled "Người lập biểu".
            if (text in STOP_WORDS and value.strip().isupper()) or SIGNATURE_DATE.match(text):
                return True
    return False


def _filled(row: list[Any]) -> bool:
    return any(v not in ("", None) for v in row)


def _data_rows(grid: list[list[Any]], location: Location) -> range:
    """Rows after the header: the Excel table's rows plus filled rows a commune appended right below
    it; without a table (.xls, .ods), up to the signature block or a run of blank rows."""
    start = location.header_row + 1
    if location.end_row is not None:
        last = location.end_row
        while last + 1 < len(grid) and _filled(grid[last + 1]) and not _is_stop_row(grid[last + 1]):
            last += 1
        return range(start, last + 1)
    last, blank_run = start - 1, 0
    for r in range(start, len(grid)):
        row = grid[r]
        if _is_stop_row(row):
            break
        if _filled(row):
            blank_run, last = 0, r
        else:
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
    return range(start, last + 1)


def _code_text(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value).strip()


def _read_fixed(grid, annex: Annex, location: Location, data_rows: range, out: AnnexRead) -> None:
    code_col = location.columns.get("ma")
    if code_col is None:
        return
    rows, roles, expected = _fixed_plan(annex)
    seen: set[str] = set()
    value_cols = [(c, location.columns[c.key]) for c in annex.columns
                  if c.role != "label" and c.key in location.columns]
    for r in data_rows:
        code = _code_text(_cell(grid, r, code_col))
        values = [(col, c, _cell(grid, r, c)) for col, c in value_cols]
        if code not in rows:
            filled = [(col, c) for col, c, v in values if v is not None]
            if filled:
                kind = "row-unknown" if code else "row-inserted"
                out.findings.append(Finding.make(
                    kind, sheet=location.sheet, cell=xl_rowcol_to_cell(r, filled[0][1]), note=code))
            continue
        if code in seen:
            out.findings.append(Finding.make("row-unknown", sheet=location.sheet,
                                             cell=xl_rowcol_to_cell(r, code_col), note=code))
            continue
        seen.add(code)
        row = rows[code]
        row_roles = roles[code]
        for col, c, value in values:
            role = row_roles.get(col.key)
            if role is None:
                continue
            if value is None and not (role == "input" and row.required):
                continue
            out.cells.append(Cell(annex.code, code, col.key, value, location.sheet,
                                  xl_rowcol_to_cell(r, c), role))
    for row in annex.rows:
        if row.code not in seen and row.code in expected:
            out.findings.append(Finding.make("row-missing", sheet=location.sheet,
                                             cell=xl_rowcol_to_cell(location.header_row, code_col),
                                             note=row.code))


_PLANS: dict[int, tuple] = {}


def _fixed_plan(annex: Annex) -> tuple[dict, dict[str, dict[str, str]], frozenset[str]]:
    """Rows of a fixed annex by code, per row code the role of each column it reads ("formula" or
    "input"), and the rows that must be present; computed once per annex (the hot loop reads
    thousands of workbooks)."""
    plan = _PLANS.get(id(annex))
    if plan is None or plan[0] is not annex:
        rows = {r.code: r for r in annex.rows}
        roles = {}
        for row in annex.rows:
            inputs = {c.key for c in annex.row_inputs(row)}
            roles[row.code] = {col.key: "formula" if col.key in row.formulas else "input"
                               for col in annex.columns
                               if col.key in row.formulas or col.key in inputs}
        expected = frozenset(r.code for r in annex.rows if annex.row_inputs(r) or r.formulas)
        plan = _PLANS[id(annex)] = (annex, rows, roles, expected)
    return plan[1], plan[2], plan[3]


def _read_list(grid, annex: Annex, location: Location, data_rows: range, out: AnnexRead) -> None:
    cols = [(col, location.columns[col.key]) for col in annex.columns if col.key in location.columns]
    n = 0
    for r in data_rows:
        values = [(col, c, _cell(grid, r, c)) for col, c in cols]
        if all(v is None for col, _c, v in values if col.role == "input"):
            continue
        n += 1
        code = str(n)
        out.rows.append(code)
        for col, c, value in values:
            if value is None and not col.required:
                continue
            out.cells.append(Cell(annex.code, code, col.key, value, location.sheet,
                                  xl_rowcol_to_cell(r, c), "formula" if col.formula else "input"))


def _check_merged(book: Workbook, location: Location, data_rows: range, out: AnnexRead) -> None:
    last_col = max(location.columns.values())
    for rng in book.merged(location.sheet):
        (r0, c0), (r1, c1) = rng
        if r0 in data_rows and c0 <= last_col:
            out.findings.append(Finding.make(
                "merged-cells", sheet=location.sheet, cell=xl_rowcol_to_cell(r0, c0),
                note=f"{xl_rowcol_to_cell(r0, c0)}:{xl_rowcol_to_cell(r1, c1)}"))
