"""Open a commune workbook safely and read each annex into cells that keep their Excel address.

python-calamine reads .xlsx/.xlsm/.xlsb/.xls/.ods, knows Excel tables and merged ranges, and is
about 20 times faster than openpyxl here (see ``make bench``). Hostile files are refused before
calamine sees them: size, zip expansion (zip bombs, million-row sheets), encryption, non-zip
files named .xlsx. Nothing here writes to the input file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine as calamine
from xlsxwriter.utility import xl_rowcol_to_cell as _xl_rowcol_to_cell

from pipeline.annexes import Annex
from pipeline.annexes.layout import FIRST_DATA_ROW, HEADER_ROW, META_SHEET
from pipeline.annexes.slots import Slots, default_slots
from pipeline.core.findings import Finding
from pipeline.intake.native import native_stderr_captured
from pipeline.intake.safety import MAX_SHEET_ROWS, ReadError, inspect_file, library_failure
from pipeline.intake.xlsx_errors import error_cells
from pipeline.text.fold import fold
from pipeline.text.numbers import vn_count

#: Rows after the header scanned for the header itself when the table is not found by name.
HEADER_SEARCH_ROWS = 40
#: Text that ends an annex's data area: the signature block.
STOP_WORDS = ("nguoi lap bieu", "tm. uy ban nhan dan", "chu tich", "tm. ubnd")
STOP_FIRST = frozenset("NnTtCc.")
#: The date line of a signature block: dots or the place ("Thọ Thanh"), then the day (dots or
#: the date the signer wrote).
SIGNATURE_DATE = re.compile(r"^(?:\.{3,}|[^,]{1,60}), ngay (?:\.{3,}|\d{1,2}) thang ")
BLANK_RUN_END = 6

class Cell(NamedTuple):
    """One value read from an annex, with where it came from (0-based Excel row and column)."""

    annex: str
    row_code: str
    column: str
    value: Any
    sheet: str
    row: int
    col: int
    role: str  # "input" | "formula"

    @property
    def cell(self) -> str:
        return xl_rowcol_to_cell(self.row, self.col)


@dataclass
class AnnexRead:
    """The cells of one annex as columns: each cell's slot (its rule, ``slots.py``), list row
    number (0 in a fixed annex), 0-based Excel row and column, and the value as calamine gave it
    (None for a blank cell kept because it is required)."""

    annex: str
    sheet: str | None
    findings: list[Finding] = field(default_factory=list)
    #: Row codes of used rows, in order (list annexes: "1", "2", …).
    rows: list[str] = field(default_factory=list)
    slot: list[int] = field(default_factory=list)
    item: list[int] = field(default_factory=list)
    row: list[int] = field(default_factory=list)
    col: list[int] = field(default_factory=list)
    raw: list[Any] = field(default_factory=list)

    def cells(self, slots: Slots) -> list[Cell]:
        """The cells one by one (for the few that are looked at individually, such as TT)."""
        return [Cell(self.annex, str(i) if i else slots.row_keys[s], slots.columns[s], v,
                     self.sheet or "", r, c, slots.roles[s])
                for s, i, r, c, v in zip(self.slot, self.item, self.row, self.col, self.raw)]


@lru_cache(maxsize=1 << 16)
def xl_rowcol_to_cell(row: int, col: int) -> str:
    """A1 address of a cell; cached: every commune's workbook has the same addresses, so the cells
    of all units share one string per address (less memory, smaller pickles from the workers)."""
    return _xl_rowcol_to_cell(row, col)


class Workbook:
    """A commune workbook opened read-only with calamine; sheets are loaded on first use.

    Excel tables are loaded only when asked for (``tables``): calamine builds each table's data to
    report its extent, which costs more than reading the sheets, and a workbook laid out as the
    template needs none of it.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.format, self._error_parts = inspect_file(self.path)
        self._errors: dict[str, dict[tuple[int, int], str]] | None = None
        self._book = self._open(load_tables=False)
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._grids: dict[str, list[list[Any]]] = {}
        self._merged: dict[str, list] = {}
        self._tables: dict[str, tuple[str, int, int, int, int]] | None = None

    def _open(self, *, load_tables: bool):
        try:
            with native_stderr_captured():  # a Rust panic prints its own message there
                return calamine.CalamineWorkbook.from_path(str(self.path), load_tables=load_tables)
        except calamine.PasswordError as exc:
            raise ReadError("file-encrypted") from exc
        except OSError as exc:
            raise ReadError("file-unreadable", "hệ thống không cho mở file", _short(exc)) from exc
        except Exception as exc:  # calamine raises several error types for broken content
            raise ReadError("file-corrupt", "cấu trúc bên trong file không đúng", _short(exc)) from exc
        except BaseException as exc:  # a Rust panic is a BaseException (pyo3's PanicException)
            if not library_failure(exc):
                raise
            raise ReadError("file-crashed", "lỗi bên trong thư viện đọc Excel", _short(exc)) from exc

    @property
    def tables(self) -> dict[str, tuple[str, int, int, int, int]]:
        """Excel tables by name: (sheet, header row, first column, last row, last column)."""
        if self._tables is None:
            self._tables = self._load_tables() if self.format == "xlsx" else {}
        return self._tables

    def _load_tables(self) -> dict[str, tuple[str, int, int, int, int]]:
        tables: dict[str, tuple[str, int, int, int, int]] = {}
        try:
            book = self._open(load_tables=True)
        except ReadError:
            return tables
        try:
            names = book.table_names
            names = names() if callable(names) else names
            for name in names:
                table = book.get_table_by_name(name)
                (r0, c0), (r1, c1) = table.start, table.end
                # calamine's start is the first data row; the header is the row above it.
                tables[name] = (table.sheet, r0 - 1, c0, r1, c1)
        except BaseException as exc:  # a broken table part must not stop reading the cells
            if not library_failure(exc):
                raise
            return {}
        finally:
            try:
                book.close()
            except BaseException as exc:
                if not library_failure(exc):
                    raise
        return tables

    def grid(self, sheet: str) -> list[list[Any]]:
        """All cells of a sheet from A1, as a list of rows (bounded)."""
        if sheet not in self._grids:
            try:
                data = self._book.get_sheet_by_name(sheet)
            except Exception as exc:
                raise ReadError("file-corrupt", f"không đọc được trang '{sheet}'", _short(exc)) from exc
            except BaseException as exc:
                if not library_failure(exc):
                    raise
                raise ReadError("file-crashed", f"trang '{sheet}'", _short(exc)) from exc
            if data.total_height > MAX_SHEET_ROWS:
                raise ReadError("file-too-large", f"trang '{sheet}' có {vn_count(data.total_height)} dòng")
            try:
                self._grids[sheet] = data.to_python(skip_empty_area=False)
            except BaseException as exc:
                if not library_failure(exc):
                    raise
                raise ReadError("file-crashed", f"trang '{sheet}'", _short(exc)) from exc
            self._put_errors(sheet)
            try:
                self._merged[sheet] = list(data.merged_cell_ranges or [])
            except BaseException as exc:
                if not library_failure(exc):
                    raise
                self._merged[sheet] = []
        return self._grids[sheet]

    def _put_errors(self, sheet: str) -> None:
        """Put the Excel error values calamine gave as "" back into the grid (rare: only sheets
        the safety check saw ``t="e"`` cells in are read again)."""
        if not self._error_parts:
            return
        if self._errors is None:
            try:
                self._errors = error_cells(self.path, self._error_parts)
            except Exception:  # the cells stay blank; the file was readable by calamine
                self._errors = {}
        grid = self._grids[sheet]
        for (r, c), text in self._errors.get(sheet, {}).items():
            if r < len(grid) and c < len(grid[r]) and grid[r][c] in ("", None):
                grid[r][c] = text

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
        except BaseException as exc:
            if not library_failure(exc):
                raise


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


# Locating an annex


@dataclass(frozen=True)
class Location:
    sheet: str
    header_row: int
    columns: dict[str, int]       # column key -> 0-based column index
    end_row: int | None           # last row of the Excel table, when known


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
    """Find the annex's table: where the template put it, else by its Excel table name, else by
    header titles on any sheet."""
    findings: list[Finding] = []
    at_home = _template_location(book, annex)
    if at_home is not None:
        return at_home, findings
    table = book.tables.get(annex.table_name)
    if table:
        sheet, header, _c0, end, _c1 = table
        columns = _match_header(book.grid(sheet), header, annex)
        if columns:
            if sheet != annex.sheet:
                findings.append(Finding.make("sheet-renamed", sheet=sheet, note=sheet))
            return Location(sheet, header, columns, end), findings
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
                return Location(sheet, r, columns, None), findings
    return None, findings


def _template_location(book: Workbook, annex: Annex) -> Location | None:
    """The annex where the template put it: on its own sheet, every column title on the header row,
    the signature block below (its first row ends the data). Most returned workbooks are laid out
    so, and need no Excel table look-up; anything else is found by ``locate``'s other ways."""
    if annex.sheet not in book.sheet_names:
        return None
    grid = book.grid(annex.sheet)
    columns = _match_header(grid, HEADER_ROW, annex)
    if len(columns) != len(annex.columns):
        return None
    # The signature block is two rows below the table's last row: look there first (a list
    # annex's table has its blank rows unless the commune was given more rows filled in).
    stop = FIRST_DATA_ROW + (annex.blank_rows if annex.kind == "list" else len(annex.rows)) + 1
    found: int | None = stop
    if stop >= len(grid) or not _is_stop_row(grid[stop]):
        found = next((r for r in range(HEADER_ROW + 1, len(grid)) if _is_stop_row(grid[r])), None)
    if found is None or not _rows_match(grid, HEADER_ROW, columns, annex, found):
        return None
    return Location(annex.sheet, HEADER_ROW, columns, found - 1)


def _rows_match(grid: list[list[Any]], header: int, columns: dict[str, int], annex: Annex,
                end: int | None = None) -> bool:
    """Fixed annexes share headers (PB04 and PB08); their row codes tell them apart."""
    if annex.kind == "list":
        return True
    col = columns["ma"]
    end = min(len(grid), header + 400) if end is None else end
    typed = {line[col] for line in grid[header + 1:end] if len(line) > col}
    found = {_code_text(v) for v in typed if v != ""}
    wanted = {row.code for row in annex.rows} | {annex.display_code(row) for row in annex.rows}
    return len(found & wanted) * 2 >= len(annex.rows)


def _first_key(annex: Annex) -> str:
    return annex.columns[0].key


# Reading an annex


def read_annex(book: Workbook, annex: Annex, slots: Slots | None = None) -> AnnexRead:
    slots = slots or default_slots()
    out = AnnexRead(annex.code, None)
    location, found = locate(book, annex)
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
        _read_list(grid, annex, location, rows, out, slots)
    else:
        _read_fixed(grid, annex, location, rows, out, slots)
    return out


def _is_stop_row(row: list[Any]) -> bool:
    """The signature block under the table: exact texts only, so commune text never stops reading."""
    for value in row:
        # Cheap filters first (hot loop): every stop text starts with "N", "T", "C" or "."; the
        # words are upper case, the date line starts with dots.
        if isinstance(value, str) and (value[:1] in STOP_FIRST or ", ng" in value):
            if value[0] != "." and not value.isupper() and ", ng" not in value:
                continue
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


def _line(grid: list[list[Any]], r: int, width: int) -> list[Any]:
    """Row ``r`` of the grid, padded with "" to at least ``width`` cells."""
    line = grid[r] if r < len(grid) else []
    return line if len(line) >= width else list(line) + [""] * (width - len(line))


def _code_text(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value).strip()


def _read_fixed(grid, annex: Annex, location: Location, data_rows: range, out: AnnexRead,
                slots: Slots) -> None:
    code_col = location.columns.get("ma")
    if code_col is None:
        return
    plans, expected = _fixed_plan(annex, slots)
    at = location.columns
    plans = _placed(plans, at)
    value_cols = [at[c.key] for c in annex.columns if c.role != "label" and c.key in at]
    width = max(value_cols + [code_col]) + 1
    sheet = location.sheet
    slot_of, row_of, col_of, raw_of = out.slot, out.row, out.col, out.raw
    seen: set[str] = set()
    label_col = location.columns.get("noi_dung")
    group = ""  # the last top-level row: "1" under "II" is "II.1"
    for r in data_rows:
        line = _line(grid, r, width)
        code = _code_text(line[code_col] if line[code_col] != "" else None)
        plan = plans.get(code)
        if plan is None and code:
            # The Mã cell shows a display code ("1", "Tổng số") or an older template's code.
            label = line[label_col] if label_col is not None and label_col < len(line) else ""
            code = annex.code_of(code, label if isinstance(label, str) else "", group) or code
            plan = plans.get(code)
        if plan is not None and "." not in code:
            group = code
        if plan is None:
            filled = next((c for c in value_cols if line[c] not in ("", None)), None)
            if filled is not None:
                kind = "row-unknown" if code else "row-inserted"
                out.findings.append(Finding.make(
                    kind, sheet=sheet, cell=xl_rowcol_to_cell(r, filled), note=code))
            continue
        if code in seen:
            out.findings.append(Finding.make("row-unknown", sheet=sheet,
                                             cell=xl_rowcol_to_cell(r, code_col), note=code))
            continue
        seen.add(code)
        for c, slot, keep_blank in plan:
            value = line[c]
            if value == "":
                if not keep_blank:
                    continue
                value = None
            slot_of.append(slot)
            row_of.append(r)
            col_of.append(c)
            raw_of.append(value)
    out.item.extend([0] * (len(slot_of) - len(out.item)))
    for row in annex.rows:
        if row.code not in seen and row.code in expected:
            out.findings.append(Finding.make("row-missing", sheet=sheet,
                                             cell=xl_rowcol_to_cell(location.header_row, code_col),
                                             note=row.code))


_PLACED: dict[tuple, dict[str, tuple[tuple[int, int, bool], ...]]] = {}


def _placed(plans: dict[str, tuple], columns: dict[str, int]) -> dict[str, tuple]:
    """The row plans with each column's position in this sheet: (column index, slot, kept when
    blank); cached per layout, and nearly every workbook has the template's."""
    key = (id(plans), tuple(columns.items()))
    placed = _PLACED.get(key)
    if placed is None:
        placed = {code: tuple((columns[k], slot, keep) for k, slot, keep in plan if k in columns)
                  for code, plan in plans.items()}
        if len(_PLACED) > 256:
            _PLACED.clear()
        _PLACED[key] = placed
    return placed


_PLANS: dict[tuple[int, int], tuple] = {}


def _fixed_plan(annex: Annex, slots: Slots) -> tuple[dict[str, tuple], frozenset[str]]:
    """Per row code of a fixed annex, the cells it reads, in column order, as (column, slot, kept
    when blank: a required input); and the rows that must be present.
    Computed once per annex (the hot loop reads thousands of workbooks)."""
    plan = _PLANS.get((id(annex), id(slots)))
    if plan is None or plan[0] is not annex:
        plans = {}
        for row in annex.rows:
            inputs = {c.key for c in annex.row_inputs(row)}
            cells = []
            for col in annex.columns:
                if col.role == "label" or not (col.key in row.formulas or col.key in inputs):
                    continue
                slot = slots.slot(annex.code, row.code, col.key)
                if slot is not None:
                    is_input = col.key not in row.formulas
                    cells.append((col.key, slot, bool(row.required and is_input)))
            plans[row.code] = tuple(cells)
        expected = frozenset(r.code for r in annex.rows if annex.row_inputs(r) or r.formulas)
        plan = _PLANS[(id(annex), id(slots))] = (annex, plans, expected)
    return plan[1], plan[2]


def _read_list(grid, annex: Annex, location: Location, data_rows: range, out: AnnexRead,
               slots: Slots) -> None:
    cols = [(location.columns[col.key], col.role == "input", bool(col.required),
             slots.slot(annex.code, "*", col.key))
            for col in annex.columns if col.key in location.columns]
    placed = [(c, is_input, required, slot) for c, is_input, required, slot in cols if slot is not None]
    inputs = [c for c, is_input, _req, _slot in placed if is_input]
    width = max([c for c, *_ in placed] or [0]) + 1
    slot_of, item_of, row_of, col_of, raw_of = out.slot, out.item, out.row, out.col, out.raw
    n = 0
    for r in data_rows:
        line = _line(grid, r, width)
        if all(line[c] in ("", None) for c in inputs):
            continue
        n += 1
        out.rows.append(str(n))
        for c, _is_input, required, slot in placed:
            value = line[c]
            if value == "" or value is None:
                if not required:
                    continue
                value = None
            slot_of.append(slot)
            item_of.append(n)
            row_of.append(r)
            col_of.append(c)
            raw_of.append(value)


def _check_merged(book: Workbook, location: Location, data_rows: range, out: AnnexRead) -> None:
    last_col = max(location.columns.values())
    for rng in book.merged(location.sheet):
        (r0, c0), (r1, c1) = rng
        if r0 in data_rows and c0 <= last_col:
            out.findings.append(Finding.make(
                "merged-cells", sheet=location.sheet, cell=xl_rowcol_to_cell(r0, c0),
                note=f"{xl_rowcol_to_cell(r0, c0)}:{xl_rowcol_to_cell(r1, c1)}"))
