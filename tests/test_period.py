"""Reporting periods: parsing, labels, dates, ordering."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.config.period import Period, PeriodError

# (text, year, half, canonical form)
PARSED = [
    ("2024-H1", 2024, 1, "2024-H1"),
    ("2024-H2", 2024, 2, "2024-H2"),
    ("2024-Y", 2024, None, "2024-Y"),
    ("2024-h1", 2024, 1, "2024-H1"),
    ("2024-y", 2024, None, "2024-Y"),
    (" 2025-H2 ", 2025, 2, "2025-H2"),
    ("2000-H1", 2000, 1, "2000-H1"),
    ("2100-Y", 2100, None, "2100-Y"),
]

BAD = ["2024", "2024-H3", "2024-Q1", "24-H1", "2024H1", "H1-2024", "1999-H1", "2101-Y", "", "2024-H1x"]

# (text, label)
LABELS = [
    ("2024-H1", "6 tháng đầu năm 2024"),
    ("2024-H2", "6 tháng cuối năm 2024"),
    ("2024-Y", "năm 2024"),
]


@pytest.mark.parametrize(("text", "year", "half", "canonical"), PARSED)
def test_parse(text: str, year: int, half: int | None, canonical: str) -> None:
    got = Period.parse(text)
    assert got == Period(year, half)
    assert str(got) == canonical
    assert Period.parse(str(got)) == got


def test_parse_accepts_a_period() -> None:
    period = Period(2024, 1)
    assert Period.parse(period) is period


@pytest.mark.parametrize("text", BAD)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        Period.parse(text)
    assert isinstance(info.value, ValueError)
    assert "Kỳ báo cáo" in str(info.value)


@pytest.mark.parametrize(("year", "half"), [(1999, 1), (2024, 3), (2024, 0)])
def test_constructor_rejects(year: int, half: int | None) -> None:
    with pytest.raises(PeriodError):
        Period(year, half)


@pytest.mark.parametrize(("text", "exp"), LABELS)
def test_label(text: str, exp: str) -> None:
    assert Period.parse(text).label == exp


def test_dates() -> None:
    # (period, start, end)
    cases = [
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-Y", date(2024, 1, 1), date(2024, 12, 31)),
    ]
    for text, start, end in cases:
        period = Period.parse(text)
        assert (period.start_date, period.end_date) == (start, end), text


def test_previous_year_same() -> None:
    assert Period.parse("2024-H1").previous_year_same() == Period.parse("2023-H1")
    assert Period.parse("2024-Y").previous_year_same() == Period.parse("2023-Y")
    assert Period.parse("2024-H2").previous_year_same().label == "6 tháng cuối năm 2023"


def test_ordering_mixes_half_and_whole_years() -> None:
    texts = ["2024-Y", "2024-H2", "2023-Y", "2024-H1", "2023-H2"]
    got = [str(p) for p in sorted(Period.parse(t) for t in texts)]
    assert got == ["2023-H2", "2023-Y", "2024-H1", "2024-H2", "2024-Y"]


def test_hashable_and_frozen() -> None:
    assert len({Period(2024, 1), Period.parse("2024-h1")}) == 1
    with pytest.raises(AttributeError):
        Period(2024, 1).year = 2025  # type: ignore[misc]
