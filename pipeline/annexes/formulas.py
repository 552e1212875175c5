"""Computed cells, declared once: each formula renders to Excel and evaluates in Python.

The template writes ``excel()`` with ``evaluate()`` as the cached value, so a workbook is right before
and after Excel recalculates; the validator evaluates the same formula from the commune's inputs to
report a computed cell that was overwritten with a typed value that disagrees.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.annexes.model import MET, NOT_MET

#: Returns the A1 address of a cell: (row code or None for "this row", column key or None for
#: "this column").
Addr = Callable[[str | None, str | None], str]
#: Returns the value of a cell, addressed the same way.
Get = Callable[[str | None, str | None], object]
#: The same for many units at once: a Series (one value per unit) for the addressed cell.
GetMany = Callable[[str | None, str | None], pd.Series]


def _num(value: object) -> float:
    """Excel's N(): numbers count, anything else is 0."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return 0.0


def _nums(series: pd.Series) -> pd.Series:
    """Vectorized _num: numbers as floats, anything else 0."""
    numbers = series.map(lambda v: float(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
                         and v == v else 0.0)
    return numbers.astype(float)


def _tidy(value: float) -> float | int:
    value = round(value, 6)
    return int(value) if value == int(value) else value


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

    def evaluate_many(self, get: GetMany) -> pd.Series:
        """``evaluate`` for many units at once; subclasses override it with Series arithmetic (one
        pass over all communes). This fallback evaluates unit by unit."""
        columns = {cell: get(*cell) for cell in self.sources()}
        index = next(iter(columns.values())).index
        return pd.Series([self.evaluate(lambda r, c, i=i: columns[(r, c)].iloc[i])
                          for i in range(len(index))], index=index, dtype=object)


@dataclass(frozen=True)
class SumRows(Formula):
    """Sum of the same column over other rows (group totals, TỔNG SỐ)."""

    rows: tuple[str, ...]
    kind = "money"

    def excel(self, addr: Addr) -> str:
        return "=SUM(" + ",".join(addr(r, None) for r in self.rows) + ")"

    def evaluate(self, get: Get) -> object:
        return _tidy(sum(_num(get(r, None)) for r in self.rows))

    def evaluate_many(self, get: GetMany) -> pd.Series:
        return sum(_nums(get(r, None)) for r in self.rows).round(6)

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

    def evaluate_many(self, get: GetMany) -> pd.Series:
        values = pd.concat([get(r, None) for r in self.rows], axis=1)
        out = pd.Series("", index=values.index, dtype=object)
        out[(values == MET).all(axis=1)] = MET
        out[(values == NOT_MET).any(axis=1)] = NOT_MET
        return out

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

    def evaluate_many(self, get: GetMany) -> pd.Series:
        return sum((get(r, None) == MET).astype(int) for r in self.rows)

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
        den = _num(get(None, self.denominator))
        if den == 0:
            return ""
        return _tidy(round(_num(get(None, self.numerator)) / den * 100 + 1e-9, 1))

    def evaluate_many(self, get: GetMany) -> pd.Series:
        den = _nums(get(None, self.denominator))
        ratio = (_nums(get(None, self.numerator)) / den.where(den != 0) * 100 + 1e-9).round(1)
        return ratio.astype(object).where(den != 0, "")

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
        return _tidy(_num(a) - _num(b))

    def evaluate_many(self, get: GetMany) -> pd.Series:
        a, b = get(None, self.minuend), get(None, self.subtrahend)
        blank = a.map(lambda v: v is None or v == "" or v != v) & b.map(lambda v: v is None or v == "" or v != v)
        return (_nums(a) - _nums(b)).round(6).astype(object).where(~blank, "")

    def sources(self):
        return ((None, self.minuend), (None, self.subtrahend))
