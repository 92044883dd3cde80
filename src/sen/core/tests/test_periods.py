"""Reporting periods: the keys people type, and the months and moments they cover."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sen.core.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    VIETNAM,
    PeriodError,
    add_months,
    month_of,
    parse_period,
)

months = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 1)).map(
    lambda day: day.replace(day=1)
)


@pytest.mark.parametrize(
    ("text", "key", "kind", "first", "last"),
    [
        ("2026-11", "2026-11", "month", date(2026, 11, 1), date(2026, 11, 1)),
        (" 2026-Q4 ", "2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 1)),
        ("2026-Q1", "2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 1)),
        ("2026", "2026", "year", date(2026, 1, 1), date(2026, 12, 1)),
        ("2000-01", "2000-01", "month", date(2000, 1, 1), date(2000, 1, 1)),
        ("2100", "2100", "year", date(2100, 1, 1), date(2100, 12, 1)),
    ],
)
def test_a_period_key_names_whole_months(text, key, kind, first, last):
    period = parse_period(text)

    assert (period.key, period.kind, period.first, period.last) == (key, kind, first, last)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-00",
        "2026-13",
        "2026-1",
        "2026-Q0",
        "2026-Q5",
        "2026-q4",  # the shared parser reads the canonical form; callers may fold case first
        "2026-Q01",
        "1999",
        "2101-01",
        "26",
        "2026-11-01",
        "2026/11",
        "\uff12\uff10\uff12\uff16",  # full-width digits
        "2026-11x",
    ],
)
def test_text_that_is_no_period_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_quarter_starts_and_ends_at_midnight_vietnam_time():
    period = parse_period("2026-Q4")

    assert period.start == datetime(2026, 10, 1, tzinfo=VIETNAM)
    assert period.end == datetime(2027, 1, 1, tzinfo=VIETNAM)
    assert period.months() == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


def test_the_month_of_a_moment_is_taken_in_vietnam_time():
    # 17:30 UTC on 31 October is 00:30 on 1 November in Hà Nội.
    assert month_of(datetime(2026, 10, 31, 17, 30, tzinfo=UTC)) == date(2026, 11, 1)
    assert month_of(datetime(2026, 10, 31, 16, 59, tzinfo=UTC)) == date(2026, 10, 1)


def test_a_naive_moment_has_no_month():
    with pytest.raises(ValueError, match="aware"):
        month_of(datetime(2026, 11, 1, 12, 0))


@given(months, st.integers(min_value=-1200, max_value=1200))
def test_adding_months_and_taking_them_away_returns_to_the_month(month, count):
    moved = add_months(month, count)

    assert moved.day == 1
    assert (moved.year - month.year) * 12 + moved.month - month.month == count
    assert add_months(moved, -count) == month


@given(months)
def test_every_month_lies_in_its_quarter_and_its_year(month):
    quarter = parse_period(f"{month.year}-Q{(month.month - 1) // 3 + 1}")
    year = parse_period(str(month.year))

    assert month in quarter.months()
    assert month in year.months()
    assert len(quarter.months()) == 3
    assert len(year.months()) == 12
    assert quarter.start <= datetime(month.year, month.month, 1, tzinfo=VIETNAM) < quarter.end
