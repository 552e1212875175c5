"""Reporting periods: a half-year ("2024-H1", "2024-H2") or a whole year ("2024-Y")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

MIN_YEAR = 2000
MAX_YEAR = 2100

_PERIOD_PATTERN = re.compile(r"([0-9]{4})-(H1|H2|Y)", re.IGNORECASE)
_HALF_OF_SUFFIX: dict[str, int | None] = {"H1": 1, "H2": 2, "Y": None}
_SUFFIX_OF_HALF: dict[int | None, str] = {1: "H1", 2: "H2", None: "Y"}
# Sort rank: H1 < H2 < whole year (a whole year ends with H2 but covers more).
_RANK_OF_HALF: dict[int | None, int] = {1: 1, 2: 2, None: 3}

FORMAT_HINT = (
    "Dùng dạng NĂM-H1 (6 tháng đầu năm), NĂM-H2 (6 tháng cuối năm) hoặc NĂM-Y (cả năm), "
    "ví dụ 2024-H1."
)


class PeriodError(ValueError):
    """A period that cannot be parsed or is out of range (Vietnamese message)."""


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; `half` is 1, 2, or None for the whole year."""

    year: int
    # Compared before `half` so that ordering never compares None with an int;
    # derived from `half`, so it never makes two equal periods differ.
    _rank: int = field(init=False, repr=False)
    half: int | None

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise PeriodError(f"Năm của kỳ báo cáo phải là số nguyên, không phải '{self.year}'.")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(
                f"Năm {self.year} nằm ngoài khoảng cho phép ({MIN_YEAR}–{MAX_YEAR})."
            )
        if self.half not in _RANK_OF_HALF or isinstance(self.half, bool):
            raise PeriodError(
                f"Nửa năm phải là 1, 2 hoặc để trống (cả năm), không phải '{self.half}'."
            )
        object.__setattr__(self, "_rank", _RANK_OF_HALF[self.half])

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Read "2024-H1", "2024-h2", "2024-Y" (surrounding spaces allowed).

        A Period is returned as it is, so callers may pass either form.
        """
        if isinstance(text, Period):
            return text
        match = _PERIOD_PATTERN.fullmatch(str(text).strip())
        if match is None:
            raise PeriodError(f"Kỳ báo cáo '{text}' không hợp lệ. {FORMAT_HINT}")
        year = int(match.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(
                f"Kỳ báo cáo '{text}' không hợp lệ: năm phải từ {MIN_YEAR} đến {MAX_YEAR}."
            )
        return cls(year, _HALF_OF_SUFFIX[match.group(2).upper()])

    def __str__(self) -> str:
        return f"{self.year}-{_SUFFIX_OF_HALF[self.half]}"

    @property
    def label(self) -> str:
        """Vietnamese wording: "6 tháng đầu năm 2024", "6 tháng cuối năm 2024", "năm 2024"."""
        if self.half == 1:
            return f"6 tháng đầu năm {self.year}"
        if self.half == 2:
            return f"6 tháng cuối năm {self.year}"
        return f"năm {self.year}"

    @property
    def start_date(self) -> date:
        return date(self.year, 7, 1) if self.half == 2 else date(self.year, 1, 1)

    @property
    def end_date(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def previous_year_same(self) -> Period:
        """The same half (or whole year) one year earlier: "cùng kỳ năm trước"."""
        return Period(self.year - 1, self.half)
