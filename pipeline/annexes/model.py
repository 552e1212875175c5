"""The plain-data description of an annex: one definition drives template, reader, schema and tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from pipeline.text.fold import fold

if TYPE_CHECKING:
    from pipeline.annexes.formulas import Formula

#: Kinds of value a cell may hold. "row" on a column means "the row decides" (fixed annexes whose
#: rows mix counts, rates and money, like PB08 or the key/value sheet TT).
ValueKind = Literal["text", "int", "number", "money", "percent", "year", "choice", "date", "value", "row"]

#: How a column (or a row, in fixed annexes) is combined at district level.
Aggregate = Literal["sum", "weighted", "count", "list", "none"]

#: Kinds whose cells hold numbers.
NUMERIC_KINDS: tuple[ValueKind, ...] = ("int", "money", "number", "percent", "year")
#: Numeric kinds that must be whole numbers.
WHOLE_KINDS: tuple[ValueKind, ...] = ("int", "year")
#: The plausible maximum of a commune's value of each numeric kind, when its column or row declares
#: none: a bound far above any real commune, low enough that no sum of a whole country's values
#: can overflow (1e308 typed in a cell is refused, never added into a total).
KIND_MAX: Mapping[str, float] = {
    "money": 10_000_000,    # triệu đồng: 10.000 tỷ đồng, a hundred times a commune's programme
    "int": 1_000_000,       # counts (households, people, works, villages…)
    "number": 1_000_000_000,
}

MET = "Đạt"
NOT_MET = "Chưa đạt"
MET_CHOICES = (MET, NOT_MET)


@dataclass(frozen=True)
class Column:
    """One column of an annex table; ``title`` is the exact text of the Excel table header."""

    key: str
    title: str
    kind: ValueKind = "text"
    #: "input": the commune types it; "label": fixed text from the definition (Mã, Nội dung, ĐVT);
    #: "formula": computed in the workbook (list annexes: the same formula on every row).
    role: Literal["input", "label", "formula"] = "input"
    #: Title of the merged band above this column in the official multi-row header.
    group: str | None = None
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    #: List annexes: the cell must be filled on every used row.
    required: bool = False
    width: float = 14
    aggregate: Aggregate = "none"
    #: Vietnamese input message shown by Excel when the cell is selected.
    hint: str = ""
    formula: Formula | None = None


@dataclass(frozen=True)
class Link:
    """A cell that is the same figure as a cell of another annex: the commune types it there only.

    The template shows it as a formula pointing at that cell; the reader does not read it; the
    district tables and rules take the figure from the cell it points at.
    """

    annex: str
    row: str
    column: str


@dataclass(frozen=True)
class Row:
    """One fixed row of a fixed or key/value annex, keyed by its stable code in the ``Mã`` column."""

    code: str
    label: str
    unit: str = ""
    requirement: str = ""
    #: Kind of the values in this row for columns whose kind is "row".
    kind: ValueKind = "text"
    #: "group": a heading band; "total": a computed total; "line": an ordinary row.
    style: Literal["group", "total", "line"] = "line"
    #: Formula cells of this row, by column key.
    formulas: Mapping[str, Formula] = field(default_factory=dict)
    #: Cells of this row that repeat a cell of another annex, by column key.
    links: Mapping[str, Link] = field(default_factory=dict)
    #: Input columns of this row; None means every input column of the annex.
    inputs: tuple[str, ...] | None = None
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    required: bool = False
    #: Context value written (and locked) into this row by the template, e.g. "unit_code".
    prefill: str | None = None
    #: District aggregation of this row: "sum" for counts and money, "weighted" for rates.
    aggregate: Aggregate = "none"
    #: For weighted rows: the TT row whose value weighs each commune (households or population).
    weight: str | None = None
    #: Criteria annexes: the catalogue row behind this row (threshold, wording to check).
    meta: Mapping[str, object] = field(default_factory=dict)
    hint: str = ""
    #: Rates: True where a lower value is better (the poverty rate), for comparisons with last year.
    lower_is_better: bool = False
    #: Column key → the TT row whose value this row's value in that column may not exceed
    #: (villages meeting a standard this period ≤ số thôn).
    not_above: Mapping[str, str] = field(default_factory=dict)
    #: What the Mã column shows when the stable code is not what a person would write ("1" for
    #: "I.1", "Tổng số" for "TONG"); the reader accepts either (``Annex.code_of``).
    shown: str = ""


@dataclass(frozen=True)
class Annex:
    """One annex (phụ biểu) of the commune workbook."""

    KINDS: ClassVar[tuple[str, ...]] = ("keyvalue", "fixed", "list")

    code: str
    sheet: str
    kind: Literal["keyvalue", "fixed", "list"]
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    #: The "ĐVT" line above the table.
    unit_note: str = ""
    #: List annexes: blank rows offered in the template.
    blank_rows: int = 0
    #: Columns whose values must be unique among used rows.
    unique: tuple[str, ...] = ()
    #: Communes may leave the whole sheet empty (e.g. PB02 for communes not yet NTM).
    optional: bool = False
    #: District table built from this annex.
    district_sheet: str = ""
    district_title: str = ""
    #: Short Vietnamese note printed under the title (what to fill, which decision).
    note: str = ""

    def __post_init__(self) -> None:
        if len(self.sheet) > 31 or any(ch in self.sheet for ch in "[]:*?/\\"):
            raise ValueError(f"invalid Excel sheet name: {self.sheet!r}")
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.code}: duplicate column keys")
        codes = [r.code for r in self.rows]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: duplicate row codes")
        for choices in [c.choices for c in self.columns] + [r.choices for r in self.rows]:
            # Excel splits a dropdown source on commas and caps it at 255 characters.
            if any("," in ch for ch in choices) or len(",".join(choices)) > 255:
                raise ValueError(f"{self.code}: dropdown choices unusable in Excel: {choices}")

    @property
    def table_name(self) -> str:
        """Excel table name. The bare code is refused: "PB01" is also a cell address (column PB)."""
        return f"Bang_{self.code}"

    # Look-ups

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.code} has no column {key!r}")

    def row(self, code: str) -> Row:
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(f"{self.code} has no row {code!r}")

    def display_code(self, row: Row) -> str:
        """The Mã a person reads: the row's ``shown`` code, a running number in a key/value
        annex (1, 2, …), else the stable code itself (1.1, II, …)."""
        if row.shown:
            return row.shown
        if self.kind == "keyvalue":
            return str(self.rows.index(row) + 1)
        return row.code

    def code_of(self, typed: str, label: str = "", group: str = "") -> str | None:
        """The stable row code of a row whose Mã cell reads ``typed`` (its stable code, as the
        previous template wrote it, or its display code) and whose Nội dung reads ``label``;
        ``group`` is the stable code of the last group row above it ("II" for the "1" under II).
        None when ``typed`` names no row of this annex."""
        return _codes(self).resolve(typed, label, group)

    @property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role == "input")

    def row_inputs(self, row: Row) -> tuple[Column, ...]:
        """Input columns of a fixed row: those it lists, minus those it computes or links."""
        cols = self.input_columns if row.inputs is None else tuple(self.column(k) for k in row.inputs)
        return tuple(c for c in cols if c.key not in row.formulas and c.key not in row.links)

    def cell_kind(self, row: Row | None, col: Column) -> ValueKind:
        """The value kind of one cell: the column's, unless the column leaves it to the row."""
        if col.kind == "row" and row is not None:
            return row.kind
        return col.kind

    def cell_choices(self, row: Row | None, col: Column) -> tuple[str, ...]:
        if row is not None and col.kind == "row" and row.choices:
            return row.choices
        return col.choices

    def cell_bounds(self, row: Row | None, col: Column) -> tuple[float | None, float | None]:
        if row is not None and col.kind == "row":
            lo, hi = row.min, row.max
        else:
            lo, hi = col.min, col.max
        kind = self.cell_kind(row, col)
        if kind == "percent":
            lo = 0 if lo is None else lo
            hi = 100 if hi is None else hi
        elif kind in ("int", "money", "number"):
            lo = 0 if lo is None else lo
            hi = KIND_MAX[kind] if hi is None else hi
        elif kind == "year":
            lo = 1990 if lo is None else lo
            hi = 2100 if hi is None else hi
        return lo, hi

    def cell_max_length(self, row: Row | None, col: Column) -> int | None:
        """Longest text one cell may hold: the row's limit where the row decides, else the column's."""
        return (row.max_length if row is not None and col.kind == "row" else None) or col.max_length

@dataclass(frozen=True)
class _RowCodes:
    """Every way a row of one annex may be named in its Mã cell."""

    stable: frozenset[str]
    shown: frozenset[str]
    by_label: Mapping[str, str]
    by_shown: Mapping[str, str]
    by_group: Mapping[tuple[str, str], str]

    def resolve(self, typed: str, label: str, group: str) -> str | None:
        """The stable code; or, for a display code, the row of its label (locked text, the same
        in every template version) or of the display code (alone, or under its group: "1" under
        "II" is "II.1"). Anything else is no row of this annex (a Mã typed over)."""
        if typed in self.stable:
            return typed
        if typed not in self.shown:
            return None
        found = self.by_label.get(fold(label)) if label else None
        return found or self.by_shown.get(typed) or self.by_group.get((group, typed))


_CODES: dict[int, tuple[Annex, _RowCodes]] = {}


def _codes(annex: Annex) -> _RowCodes:
    cached = _CODES.get(id(annex))
    if cached is not None and cached[0] is annex:
        return cached[1]
    labels: dict[str, list[str]] = {}
    shown: dict[str, list[str]] = {}
    for row in annex.rows:
        labels.setdefault(fold(row.label), []).append(row.code)
        shown.setdefault(annex.display_code(row), []).append(row.code)
    stable = frozenset(r.code for r in annex.rows)
    codes = _RowCodes(
        stable=stable,
        shown=frozenset(shown),
        by_label={k: v[0] for k, v in labels.items() if len(v) == 1},
        by_shown={k: v[0] for k, v in shown.items() if len(v) == 1 and k not in stable},
        by_group={(row.code.rsplit(".", 1)[0], annex.display_code(row)): row.code
                  for row in annex.rows if "." in row.code},
    )
    _CODES[id(annex)] = (annex, codes)
    return codes
