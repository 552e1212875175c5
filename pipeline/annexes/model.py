"""The plain-data description of an annex: one definition drives template, reader, schema and tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from pipeline.annexes.formulas import Formula

#: Kinds of value a cell may hold. "row" on a column means "the row decides" (fixed annexes whose
#: rows mix counts, rates and money, like PB08 or the key/value sheet TT).
ValueKind = Literal["text", "int", "number", "money", "percent", "year", "choice", "date", "value", "row"]

#: How a column (or a row, in fixed annexes) is combined at district level.
Aggregate = Literal["sum", "weighted", "count", "list", "none"]

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
    #: List annexes: the column whose text marks a row as used.
    key_column: str | None = None
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

    @property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role == "input")

    def row_inputs(self, row: Row) -> tuple[Column, ...]:
        """Input columns of a fixed row: those it lists, minus those it computes."""
        cols = self.input_columns if row.inputs is None else tuple(self.column(k) for k in row.inputs)
        return tuple(c for c in cols if c.key not in row.formulas)

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
