"""Computed cells, declared once: each formula renders to Excel and evaluates in Python.

The template writes ``excel()`` with ``evaluate()`` as the cached value, so a workbook is right before
and after Excel recalculates; the validator evaluates the same formula from the commune's inputs to
report a computed cell that was overwritten with a typed value that disagrees.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.annexes.model import MET, NOT_MET
from pipeline.core.values import as_number, tidy

#: Returns the A1 address of a cell: (row code or None for "this row", column key or None for
#: "this column").
Addr = Callable[[str | None, str | None], str]
#: Returns the value of a cell, addressed the same way.
Get = Callable[[str | None, str | None], object]


class Cells:
    """One cell of many units at once (one array element per unit), like two columns of the cells
    frame: ``value`` (any value; None or NaN where blank) and ``number`` (the value as a float, NaN
    where it is not a number)."""

    def __init__(self, value: np.ndarray, number: np.ndarray | None = None):
        self.value = value
        self._number = number

    @classmethod
    def of(cls, values: Iterable[object]) -> Cells:
        """Cells of plain values (a list, a Series); their numbers are worked out when first read."""
        to_numpy = getattr(values, "to_numpy", None)
        if to_numpy is not None:  # a Series: no Python loop over a pandas string array
            return cls(to_numpy(dtype=object))
        values = list(values)
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return cls(array)

    @property
    def number(self) -> np.ndarray:
        if self._number is None:
            self._number = np.fromiter(
                (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan
                 for v in self.value), dtype=float, count=len(self.value))
        return self._number

    @property
    def n(self) -> np.ndarray:
        """Excel's N() of each value: the number, 0 for anything else (blank, text, NaN)."""
        return np.where(np.isnan(self.number), 0.0, self.number)

    def equals(self, text: str) -> np.ndarray:
        """Where the value is ``text``."""
        if self.value.dtype != object:
            return np.zeros(len(self.value), dtype=bool)
        return self.value == text

    def blank(self) -> np.ndarray:
        """Where the cell is blank: None, NaN or empty text."""
        missing = pd.isna(self.value)
        return missing | self.equals("")


#: The same for many units at once: the addressed cell of every unit.
GetCells = Callable[[str | None, str | None], Cells]


def _text(values: np.ndarray, text: str, where: np.ndarray) -> np.ndarray:
    """``values`` as objects, ``text`` where ``where``."""
    out = values.astype(object)
    out[where] = text
    return out


class Formula(ABC):
    """A computed cell."""

    #: The value kind the formula yields.
    kind: str = "number"

    @abstractmethod
    def excel(self, addr: Addr) -> str:
        """Excel formula text, with the leading '='."""

    @abstractmethod
    def evaluate(self, get: Get) -> object:
        """The value Excel would compute, from the other cells."""

    @abstractmethod
    def sources(self) -> tuple[tuple[str | None, str | None], ...]:
        """The cells the formula reads."""

    def evaluate_cells(self, get: GetCells) -> Cells:
        """``evaluate`` for many units at once; subclasses override it with array arithmetic (one
        pass over all communes). This fallback evaluates unit by unit."""
        columns = {cell: get(*cell).value for cell in self.sources()}
        count = len(next(iter(columns.values())))
        def at(i: int) -> Get:
            return lambda r, c: columns[(r, c)][i]

        return Cells.of([self.evaluate(at(i)) for i in range(count)])


@dataclass(frozen=True)
class SumRows(Formula):
    """Sum of the same column over other rows (group totals, TỔNG SỐ)."""

    rows: tuple[str, ...]
    kind = "money"

    def excel(self, addr: Addr) -> str:
        return "=SUM(" + ",".join(addr(r, None) for r in self.rows) + ")"

    def evaluate(self, get: Get) -> object:
        return tidy(sum(as_number(get(r, None)) for r in self.rows))

    def evaluate_cells(self, get: GetCells) -> Cells:
        total = np.round(sum(get(r, None).n for r in self.rows), 6)
        return Cells(total, total)

    def sources(self):
        return tuple((r, None) for r in self.rows)


@dataclass(frozen=True)
class AllMet(Formula):
    """A criterion is "Đạt" when all its indicators are, "Chưa đạt" when one is not, else blank."""

    rows: tuple[str, ...]
    kind = "choice"

    def excel(self, addr: Addr) -> str:
        cells = [addr(r, None) for r in self.rows]
        not_met = "+".join(f'COUNTIF({c},"{NOT_MET}")' for c in cells)
        met = "+".join(f'COUNTIF({c},"{MET}")' for c in cells)
        return f'=IF({not_met}>0,"{NOT_MET}",IF({met}={len(cells)},"{MET}",""))'

    def evaluate(self, get: Get) -> object:
        values = [get(r, None) for r in self.rows]
        if any(v == NOT_MET for v in values):
            return NOT_MET
        if all(v == MET for v in values):
            return MET
        return ""

    def evaluate_cells(self, get: GetCells) -> Cells:
        cells = [get(r, None) for r in self.rows]
        out = np.full(len(cells[0].value), "", dtype=object)
        out[np.logical_and.reduce([c.equals(MET) for c in cells])] = MET
        out[np.logical_or.reduce([c.equals(NOT_MET) for c in cells])] = NOT_MET
        return Cells(out, np.full(len(out), np.nan))

    def sources(self):
        return tuple((r, None) for r in self.rows)


@dataclass(frozen=True)
class CountMet(Formula):
    """How many of the given rows are "Đạt" in this column (criteria met)."""

    rows: tuple[str, ...]
    kind = "int"

    def excel(self, addr: Addr) -> str:
        return "=" + "+".join(f'COUNTIF({addr(r, None)},"{MET}")' for r in self.rows)

    def evaluate(self, get: Get) -> object:
        return sum(1 for r in self.rows if get(r, None) == MET)

    def evaluate_cells(self, get: GetCells) -> Cells:
        count = np.asarray(np.sum([get(r, None).equals(MET) for r in self.rows], axis=0, dtype=np.int64))
        return Cells(count, count.astype(float))

    def sources(self):
        return tuple((r, None) for r in self.rows)


@dataclass(frozen=True)
class RowRatio(Formula):
    """Percentage of two columns of the same row, blank when the denominator is 0 or blank."""

    numerator: str
    denominator: str
    kind = "percent"

    def excel(self, addr: Addr) -> str:
        num, den = addr(None, self.numerator), addr(None, self.denominator)
        return f'=IF(N({den})=0,"",ROUND(N({num})/{den}*100,1))'

    def evaluate(self, get: Get) -> object:
        den = as_number(get(None, self.denominator))
        if den == 0:
            return ""
        return tidy(round(as_number(get(None, self.numerator)) / den * 100 + 1e-9, 1))

    def evaluate_cells(self, get: GetCells) -> Cells:
        den = get(None, self.denominator).n
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = np.round(get(None, self.numerator).n / np.where(den != 0, den, np.nan) * 100 + 1e-9, 1)
        return Cells(_text(ratio, "", den == 0), ratio)

    def sources(self):
        return ((None, self.numerator), (None, self.denominator))


@dataclass(frozen=True)
class RowDiff(Formula):
    """Difference of two columns of the same row, blank when both are blank (debt at period end)."""

    minuend: str
    subtrahend: str
    kind = "money"

    def excel(self, addr: Addr) -> str:
        a, b = addr(None, self.minuend), addr(None, self.subtrahend)
        return f'=IF(AND({a}="",{b}=""),"",N({a})-N({b}))'

    def evaluate(self, get: Get) -> object:
        a, b = get(None, self.minuend), get(None, self.subtrahend)
        if a in (None, "") and b in (None, ""):
            return ""
        return tidy(as_number(a) - as_number(b))

    def evaluate_cells(self, get: GetCells) -> Cells:
        a, b = get(None, self.minuend), get(None, self.subtrahend)
        blank = a.blank() & b.blank()
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.round(a.n - b.n, 6)
        return Cells(_text(diff, "", blank), np.where(blank, np.nan, diff))

    def sources(self):
        return ((None, self.minuend), (None, self.subtrahend))
