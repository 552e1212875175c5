"""Normalize the raw cells of a workbook into typed values, using the annex rules (``Slots``).

Parsing is not validating: this step turns what communes type (``1.234,5``, ``90%``, ``đạt``, TCVN3
text) into clean values and notes what it changed; it never decides that a value is wrong. A value
it cannot convert stays missing, and the schema (``schema.py``) reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache


from pipeline.cells import CellBlock
from pipeline.findings import WARNING, Finding
from pipeline.normalize import Parsed, clean_text, parse_choice, parse_number
from pipeline.read import AnnexRead, xl_rowcol_to_cell
from pipeline.slots import NUMERIC, Slots

#: Conversions that may have guessed wrong: a 0.8 % poverty rate typed as 0,8 becomes 80.
DOUBTFUL = frozenset({"percent-from-fraction", "number-ambiguous-separator"})
#: Normalizations too trivial to report (stray spaces).
QUIET = frozenset({"text-space"})


@lru_cache(maxsize=65536)
def _parse(raw: object, kind: str, choices: tuple[str, ...]) -> Parsed:
    if kind in NUMERIC:
        return parse_number(raw, percent=kind == "percent", integer=kind in ("int", "year"))
    if kind == "choice":
        if isinstance(raw, float) and raw.is_integer():
            raw = str(int(raw))
        return parse_choice(raw, choices) if choices else clean_text(raw)
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
    other cells go through the parser, one call per distinct (raw, kind, choices) per process.
    """
    block = CellBlock()
    notes: list[Finding] = []
    kinds, numeric, choices, roles = slots.kinds, slots.numeric, slots.choices, slots.roles
    nan = float("nan")
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
        typed = [type(raw) is float and numeric[slot] for slot, raw in zip(read.slot, read.raw)]
        numbers = [raw if ok else nan for raw, ok in zip(read.raw, typed)]
        present = [raw is not None for raw in read.raw]
        for i in [i for i, (raw, ok) in enumerate(zip(read.raw, typed)) if raw is not None and not ok]:
            raw, slot, at = read.raw[i], read.slot[i], base + i
            parsed = _parse(raw, kinds[slot], choices[slot])
            value = parsed.value if parsed.ok else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers[i] = float(value)
            elif value is not None:
                block.value.add(at, value)
            if isinstance(raw, str) and not raw.strip():
                present[i] = False
            if value is None:
                block.raw.add(at, raw)
            if parsed.code is not None:
                block.code.add(at, parsed.code)
            if parsed.ok and parsed.note and roles[slot] == "input" and parsed.code not in QUIET:
                code = "text-legacy-font" if parsed.code in ("text-tcvn3", "text-vni") else "value-normalized"
                notes.append(Finding.make(
                    code, unit_code=unit_code, file=file, sheet=read.sheet or "",
                    cell=xl_rowcol_to_cell(read.row[i], read.col[i]), note=parsed.note,
                    level=WARNING if parsed.code in DOUBTFUL else None))
        block.number.extend(numbers)
        block.present.extend(present)
    return block, notes
