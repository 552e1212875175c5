"""Normalize the raw cells of a workbook into typed values, using the annex rules (``Slots``).

Parsing is not validating: this step turns what communes type (``1.234,5``, ``90%``, ``đạt``, TCVN3
text) into clean values and notes what it changed; it never decides that a value is wrong. A value
it cannot convert stays missing, and the schema (``schema.py``) reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pipeline.annexes.model import NUMERIC_KINDS, WHOLE_KINDS
from pipeline.annexes.slots import Slots
from pipeline.config.regions import region_name
from pipeline.core.findings import Finding
from pipeline.core.states import Level
from pipeline.intake.cells import CellBlock
from pipeline.intake.read import AnnexRead, xl_rowcol_to_cell
from pipeline.text.normalize import EXCEL_ERRORS, Parsed, clean_text, parse_choice, parse_number

#: Conversions that may have guessed wrong: a 0.8 % poverty rate typed as 0,8 becomes 80.
DOUBTFUL = frozenset({"percent-from-fraction", "number-ambiguous-separator"})
#: Normalizations too trivial to report (stray spaces).
QUIET = frozenset({"text-space"})


def _parse(raw: object, kind: str, choices: tuple[str, ...]) -> Parsed:
    if kind in NUMERIC_KINDS:
        return parse_number(raw, percent=kind == "percent", integer=kind in WHOLE_KINDS,
                            year=kind == "year")
    if kind == "choice":
        if isinstance(raw, float) and raw.is_integer():
            raw = str(int(raw))
        if not choices:
            return clean_text(raw)
        parsed = parse_choice(raw, choices)
        if not parsed.ok and region_name(raw) in choices:  # a region code of an older template
            return Parsed(region_name(raw), True, None, None)
        return parsed
    if kind == "value":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return Parsed(float(raw), True, None, None)
        number = parse_number(raw)
        return number if number.ok and number.value is not None else clean_text(raw)
    if kind == "date":
        return _parse_date(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    return clean_text(raw)


def _parse_date(raw: object) -> Parsed:
    if isinstance(raw, datetime):
        return Parsed(raw.date(), True, None, None)
    if isinstance(raw, date):
        return Parsed(raw, True, None, None)
    if isinstance(raw, str):
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
            try:
                return Parsed(datetime.strptime(raw.strip(), fmt).date(), True, None, None)
            except ValueError:
                continue
    return Parsed(None, False, None, "not-a-date")


def normalize_file(reads: Sequence[AnnexRead], slots: Slots, *, unit_code: str, file: str
                   ) -> tuple[CellBlock, list[Finding]]:
    """The cells of one workbook, typed (``CellBlock``), and notes on what normalizing changed.

    Numbers Excel already typed (the common case) and blank cells pass straight through; the
    other cells go through the parser, once per distinct (slot, raw) in a process.
    """
    block = CellBlock()
    notes: list[Finding] = []
    numeric = slots.numeric
    percent = [kind == "percent" for kind in slots.kinds]
    nan = float("nan")
    value_at, value_of = block.value.at, block.value.values
    raw_at, raw_of = block.raw.at, block.raw.values
    code_at, code_of = block.code.at, block.code.values
    for read in reads:
        if not read.slot:
            continue
        base = len(block.slot)
        block.slot.extend(read.slot)
        block.item.extend(read.item)
        block.row.extend(read.row)
        block.col.extend(read.col)
        block.sheet.extend([len(block.sheets)] * len(read.slot))
        block.sheets.append(read.sheet or "")
        # Whole-list passes for the common cells, then the parser for the rest.
        # A fraction in a percent cell (79,6 % typed in a cell formatted as %, stored 0.796) goes
        # through the parser's percent rule, which converts it and says so.
        typed = [type(raw) is float and numeric[slot] and not (percent[slot] and 0 < raw < 1)
                 for slot, raw in zip(read.slot, read.raw)]
        numbers = [raw if ok else nan for raw, ok in zip(read.raw, typed)]
        present = [raw is not None for raw in read.raw]
        for i in [i for i, (raw, ok) in enumerate(zip(read.raw, typed)) if raw is not None and not ok]:
            raw, slot = read.raw[i], read.slot[i]
            number, value, is_present, code, note = _clean(slots, slot, raw)
            at = base + i
            if number is not None:
                numbers[i] = number
            elif value is not None:
                value_at.append(at)
                value_of.append(value)
            else:
                raw_at.append(at)
                raw_of.append(raw)
            if not is_present:
                present[i] = False
            if code is not None:
                code_at.append(at)
                code_of.append(code)
            if note is not None:
                notes.append(Finding.make(
                    note[0], unit_code=unit_code, file=file, sheet=read.sheet or "",
                    cell=xl_rowcol_to_cell(read.row[i], read.col[i]), note=note[1], level=note[2]))
        block.number.extend(numbers)
        block.present.extend(present)
    return block, notes


_CLEAN: dict[tuple[int, int, type, object], tuple] = {}


def _clean(slots: Slots, slot: int, raw: object) -> tuple:
    """(number or None, clean non-numeric value or None, typed something, parse code, note to
    report as (code, text, level) or None) for ``raw`` in ``slot``; cached per (slot, type, raw):
    TRUE, 1 and 1.0 are equal (and hash alike) in Python but parse differently."""
    key: tuple[int, int, type, object] | None = (id(slots), slot, type(raw), raw)
    try:
        return _CLEAN[key]  # type: ignore[index]
    except KeyError:
        pass
    except TypeError:  # an unhashable value: not cached
        key = None
    kind = slots.kinds[slot]
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        # Typed or computed in the commune's cell: reported once here, never taken as text, and
        # not reported again by the schema as a value that is not a number or not in the list.
        shown = raw.strip().upper()
        out: tuple = (None, None, False, "excel-error",
               ("excel-error", f"Ô chứa lỗi công thức Excel {shown}, không có số liệu.", None))
        return _remember(key, out)
    parsed = _parse(raw, kind, slots.choices[slot])
    value = parsed.value if parsed.ok else None
    number = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number, value = float(value), None
    note = None
    if parsed.ok and parsed.note and slots.roles[slot] == "input" and parsed.code not in QUIET:
        code = "text-legacy-font" if parsed.code in ("text-tcvn3", "text-vni") else "value-normalized"
        note = (code, parsed.note, Level.WARNING if parsed.code in DOUBTFUL else None)
    elif kind == "value" and isinstance(raw, (date, datetime)):  # a number typed in a date cell
        note = ("cell-date", f"Ô kết quả chứa ngày {raw:%d/%m/%Y} (ô bị định dạng kiểu ngày), "
                             "không phải số liệu: không được tổng hợp.", None)
    out = (number, value, not (isinstance(raw, str) and not raw.strip()), parsed.code, note)
    return _remember(key, out)


def _remember(key: tuple | None, out: tuple) -> tuple:
    if key is not None:
        if len(_CLEAN) > 200_000:  # bounded: distinct texts of a national run fit many times over
            _CLEAN.clear()
        _CLEAN[key] = out
    return out
