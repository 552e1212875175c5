"""A district table as plain data: columns with their header bands, one row per unit, live footers.

The consolidator fills ``Table`` objects; the summary writer draws them. Computed cells are declared
once, like the annex formulas (``pipeline.annexes.formulas``): a row formula combines cells of the
same row, a ``Total`` combines a column's data cells into a footer; each renders to Excel and
evaluates in Python, so every formula is written with the value Excel will compute.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.annexes.formulas import Formula

#: A value that had a Lỗi: not used, shown so the district sees it is missing.
ERROR_MARK = "—"

#: Data range of a column ("C9:C24"); None means the total's own column.
Range = Callable[[str | None], str]
#: Address of a footer cell: (column key or None for the own column, footer index).
FooterAddr = Callable[[str | None, int], str]
#: Data values of a column, in row order.
Values = Callable[[str | None], Sequence[object]]
#: Value of a footer cell, addressed like ``FooterAddr``.
FooterGet = Callable[[str | None, int], object]


def is_number(value: object) -> bool:
    """A real number (numpy scalars too), not a bool and not NaN."""
    kind = type(value)
    if kind is float:  # the common cases first: this runs for every cell of a table
        return value == value
    if kind is int:
        return True
    if value is None or kind is str:
        return False
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and not math.isnan(value))


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def blank_mask(values: np.ndarray) -> np.ndarray:
    """``is_blank`` of every item of an object array, without a Python call per item."""
    values = np.asarray(values, dtype=object)
    out = pd.isna(values)  # None and NaN; NaT or pd.NA too, which is_blank does not count
    if out.any():
        missing = values[out]
        if not set(map(type, missing)) <= {type(None), float}:
            out[out] = [is_blank(v) for v in missing]
    return out | (values == "")


def _num(value: object) -> float:
    """Excel's N(): numbers count, anything else (text, blank) is 0."""
    return float(value) if is_number(value) else 0.0


def _tidy(value: float) -> float | int:
    """Drop float noise, and give whole numbers as int (as Excel shows them); an infinite or
    undefined value is returned as is (never an OverflowError)."""
    if not math.isfinite(value):
        return value
    value = round(value, 6)
    return int(value) if value == int(value) else value


# Row formulas (cells of the same row)


@dataclass(frozen=True)
class SumColumns(Formula):
    """Sum of other columns of the same row (a commune's total over sources)."""

    cols: tuple[str, ...]
    kind = "money"

    def excel(self, addr) -> str:
        return "=SUM(" + ",".join(addr(None, c) for c in self.cols) + ")"

    def evaluate(self, get) -> object:
        return _tidy(sum(_num(get(None, c)) for c in self.cols))

    def sources(self):
        return tuple((None, c) for c in self.cols)


@dataclass(frozen=True)
class CountText(Formula):
    """How many of adjacent columns ``cols`` of the row hold ``text`` (criteria met)."""

    cols: tuple[str, ...]
    text: str
    kind = "int"

    def excel(self, addr) -> str:
        return f'=COUNTIF({addr(None, self.cols[0])}:{addr(None, self.cols[-1])},"{self.text}")'

    def evaluate(self, get) -> object:
        return sum(1 for c in self.cols if get(None, c) == self.text)

    def sources(self):
        return tuple((None, c) for c in self.cols)


@dataclass(frozen=True)
class Band(Formula):
    """The band a count falls in: ``bands`` are (lowest count, label) from the top; else ``below``."""

    col: str
    bands: tuple[tuple[int, str], ...]
    below: str
    kind = "text"

    def excel(self, addr) -> str:
        cell = addr(None, self.col)
        text = f'"{self.below}"'
        for low, label in reversed(self.bands):
            text = f'IF(N({cell})>={low},"{label}",{text})'
        return "=" + text

    def evaluate(self, get) -> object:
        value = _num(get(None, self.col))
        return next((label for low, label in self.bands if value >= low), self.below)

    def sources(self):
        return ((None, self.col),)


# Column totals (footers)


class Total(ABC):
    """A footer cell computed from the data cells of a column (and earlier footers)."""

    @abstractmethod
    def excel(self, rng: Range, cell: FooterAddr) -> str:
        """Excel formula text, with the leading '='."""

    @abstractmethod
    def evaluate(self, values: Values, get: FooterGet) -> object:
        """The value Excel would compute."""


@dataclass(frozen=True)
class Sum(Total):
    """Sum of the column. ``subtotal`` uses SUBTOTAL(9, …), which skips other subtotals."""

    subtotal: bool = False

    def excel(self, rng, cell) -> str:
        return f"=SUBTOTAL(9,{rng(None)})" if self.subtotal else f"=SUM({rng(None)})"

    def evaluate(self, values, get) -> object:
        return _tidy(sum(v for v in values(None) if is_number(v)))


@dataclass(frozen=True)
class CountOf(Total):
    """How many cells of the column hold ``text`` (communes meeting a criterion, units by status)."""

    text: str

    def excel(self, rng, cell) -> str:
        return f'=COUNTIF({rng(None)},"{self.text}")'

    def evaluate(self, values, get) -> object:
        return sum(1 for v in values(None) if v == self.text)


@dataclass(frozen=True)
class Average(Total):
    """Plain mean of the numbers of the column (average criteria met per commune)."""

    def excel(self, rng, cell) -> str:
        r = rng(None)
        return f'=IF(COUNT({r})=0,"",AVERAGE({r}))'

    def evaluate(self, values, get) -> object:
        numbers = [float(v) for v in values(None) if is_number(v)]
        return sum(numbers) / len(numbers) if numbers else ""


@dataclass(frozen=True)
class Weighted(Total):
    """Mean of the column weighted by column ``weight`` (households, population).

    Only rows where both the rate and the weight are numbers count: SUMPRODUCT treats the text of a
    missing value ("—", "Chưa nộp") as 0, and the denominator only sums weights of rows with a rate.
    """

    weight: str

    def excel(self, rng, cell) -> str:
        r, w = rng(None), rng(self.weight)
        den = f"SUMPRODUCT(--ISNUMBER({r}),{w})"
        return f'=IF({den}=0,"",SUMPRODUCT({r},{w})/{den})'

    def evaluate(self, values, get) -> object:
        pairs = [(float(r), float(w)) for r, w in zip(values(None), values(self.weight))
                 if is_number(r) and is_number(w)]
        den = sum(w for _r, w in pairs)
        return sum(r * w for r, w in pairs) / den if den else ""


@dataclass(frozen=True)
class Across(Total):
    """A row formula applied to footer ``footer`` (a rate of totals, a difference of totals)."""

    formula: Formula
    footer: int = 0

    def excel(self, rng, cell) -> str:
        return self.formula.excel(lambda _r, c: cell(c, self.footer))

    def evaluate(self, values, get) -> object:
        return self.formula.evaluate(lambda _r, c: get(c, self.footer))


# The table


@dataclass(frozen=True)
class Col:
    """One data column of a district table (the STT and unit columns come first, implicitly)."""

    key: str
    title: str
    #: Value kind: a ``styles.NUM_FORMATS`` key for numbers, else "text", "choice" or "value".
    kind: str = "money"
    #: Header bands above the title, outermost first; equal neighbours are merged.
    groups: tuple[str, ...] = ()
    width: float = 11
    #: Computed from other columns of the same row (written as a live formula).
    formula: Formula | None = None
    wrap: bool = False
    #: Header title written upwards (narrow columns with long titles, e.g. the 19 criteria).
    rotate: bool = False


@dataclass(frozen=True)
class Footer:
    """A footer row: its label and a total per column key."""

    label: str
    totals: Mapping[str, Total]


@dataclass
class Table:
    """A district table.

    ``rows`` has one row per line of the table: ``label`` (the unit, written beside STT), ``state``
    ("" when the unit's data is shown, else the text shown across the row, e.g. "Chưa nộp"),
    optionally ``section`` (a band row is drawn where it changes), and one column per ``Col.key``.
    """

    code: str
    sheet: str
    title: str
    columns: tuple[Col, ...]
    rows: pd.DataFrame
    footers: tuple[Footer, ...] = ()
    #: Totals of each section's band row (sectioned tables).
    section_totals: Mapping[str, Total] = field(default_factory=dict)
    unit_note: str = ""
    #: Line under the title (left of the ĐVT).
    note: str = ""
    #: Caption above the header when a sheet holds several tables.
    caption: str = ""
    label_title: str = "Đơn vị"
    #: Printed under the table.
    notes: tuple[str, ...] = ()
    #: Filled by ``finish``: footer values, then section band values.
    footer_values: list[dict[str, object]] = field(default_factory=list)
    section_values: dict[str, dict[str, object]] = field(default_factory=dict)

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)

    @property
    def active(self) -> pd.Series:
        """Rows whose data is shown (not "Chưa nộp" or another state)."""
        return self.rows["state"] == ""

    def finish(self) -> Table:
        """Evaluate the row formulas, footers and section totals (what Excel will compute)."""
        rows = self.rows
        for col in self.columns:
            if col.key not in rows:
                rows[col.key] = None
        rows = rows.astype(object).where(rows.notna(), None)
        data = {key: rows[key].to_numpy(dtype=object) for key in rows.columns}
        active = np.flatnonzero((rows["state"] == "").to_numpy())
        i = 0

        def get(_row: str | None, key: str) -> object:  # cell ``key`` of row ``i``
            return data[key][i] if key in data else None

        for col in self.columns:
            if col.formula is None:
                continue
            values = np.full(len(rows), None, dtype=object)
            for i in active:
                values[i] = col.formula.evaluate(get)
            data[col.key] = values
            rows[col.key] = pd.Series(values, index=rows.index, dtype=object)
        self.rows = rows
        self.footer_values = self._footers(rows)
        if "section" in rows:
            self.section_values = {
                name: {k: t.evaluate(lambda c, part=part, k=k: list(part[c or k]), lambda c, i: None)
                       for k, t in self.section_totals.items()}
                for name, part in rows.groupby("section", sort=False)
            }
        return self

    def _footers(self, rows: pd.DataFrame) -> list[dict[str, object]]:
        done: list[dict[str, object]] = []
        for footer in self.footers:
            values: dict[str, object] = {}
            for key, total in footer.totals.items():
                values[key] = total.evaluate(
                    lambda c, key=key: list(rows[c or key]),
                    lambda c, i, key=key: (values if i == len(done) else done[i]).get(c or key),
                )
            done.append(values)
        return done
