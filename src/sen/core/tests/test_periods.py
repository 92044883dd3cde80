"""Reporting periods (``sen.core.periods``): parsing, month arithmetic, Vietnam time."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sen.core.periods import (
    PERIOD_PATTERN,
    VIETNAM,
    PeriodError,
    add_months,
    month_of,
    parse_period,
)

months = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 1)).map(
    lambda day: day.replace(day=1)
)


@pytest.mark.parametrize(
    ("text", "key", "kind", "first", "last"),
    [
        ("2026-11", "2026-11", "month", date(2026, 11, 1), date(2026, 11, 1)),
        ("2026-Q1", "2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 1)),
        ("2026-Q4", "2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 1)),
        ("2026", "2026", "year", date(2026, 1, 1), date(2026, 12, 1)),
        (" 2026-02 ", "2026-02", "month", date(2026, 2, 1), date(2026, 2, 1)),
    ],
)
def test_a_period_is_read_as_its_whole_months(text, key, kind, first, last):
    period = parse_period(text)

    assert (period.key, period.kind, period.first, period.last) == (key, kind, first, last)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-13",
        "2026-00",
        "2026-1",
        "2026-Q0",
        "2026-Q5",
        "2026-q4",
        "1999",
        "2101",
        "26-11",
        "2026/11",
        "2026-11-01",
        "năm 2026",
    ],
)
def test_a_text_that_is_not_a_period_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_period_runs_from_midnight_in_vietnam_to_the_next_periods_midnight():
    fourth = parse_period("2026-Q4")

    assert fourth.start == datetime(2026, 10, 1, tzinfo=VIETNAM)
    # The year turns inside the arithmetic: the quarter ends at the new year's first moment.
    assert fourth.end == datetime(2027, 1, 1, tzinfo=VIETNAM)
    assert fourth.end.astimezone(UTC) == datetime(2026, 12, 31, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "last_day"),
    [
        ("2026-02", date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 29)),  # a leap year
        ("2026-Q1", date(2026, 3, 31)),
        ("2026-Q2", date(2026, 6, 30)),
        ("2026-Q4", date(2026, 12, 31)),
        ("2026", date(2026, 12, 31)),
    ],
)
def test_the_last_day_of_a_period_is_the_day_before_it_ends(text, last_day):
    period = parse_period(text)

    assert period.last_day == last_day
    assert period.end.date() == last_day + timedelta(days=1)


def test_the_month_of_a_moment_is_its_month_in_vietnam_time():
    # 31 October 18:00 UTC is already 1 November 01:00 in Hà Nội.
    assert month_of(datetime(2026, 10, 31, 18, tzinfo=UTC)) == date(2026, 11, 1)
    assert month_of(datetime(2026, 10, 31, 16, 59, tzinfo=UTC)) == date(2026, 10, 1)
    with pytest.raises(ValueError, match="aware"):
        month_of(datetime(2026, 10, 31, 18))  # naive: refused


def test_months_are_added_and_taken_across_years():
    assert add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)
    assert add_months(date(2026, 11, 1), 0) == date(2026, 11, 1)


@given(month=months, count=st.integers(min_value=-600, max_value=600))
def test_adding_then_taking_months_comes_back(month, count):
    later = add_months(month, count)

    assert later.day == 1
    assert add_months(later, -count) == month
    assert (later.year - month.year) * 12 + later.month - month.month == count


@given(month=months)
def test_the_key_of_a_period_reads_back_as_the_same_period(month):
    for text in (f"{month:%Y-%m}", f"{month.year}-Q{(month.month + 2) // 3}", str(month.year)):
        period = parse_period(text)

        assert parse_period(period.key) == period
        assert period.first <= month <= period.last


def _period_texts() -> list[str]:
    """Years around both bounds, each as a year, every month 00–13 and quarters Q0–Q5."""
    years = [1999, 2000, 2001, 2026, 2099, 2100, 2101, 3000]
    texts = []
    for year in years:
        texts.append(str(year))
        texts += [f"{year}-{month:02d}" for month in range(14)]
        texts += [f"{year}-Q{quarter}" for quarter in range(6)]
    return [*texts, "2026-1", "2026-q1", "26-01", "2026-", "2026-M01", "202601"]


def test_the_documented_pattern_accepts_exactly_the_periods_read():
    """``PERIOD_PATTERN`` (the API document's) is written by hand beside ``parse_period``:
    for every text, one accepts it exactly when the other does."""
    disagree = []
    for text in _period_texts():
        try:
            parse_period(text)
            read = True
        except PeriodError:
            read = False
        if (re.fullmatch(PERIOD_PATTERN, text) is not None) != read:
            disagree.append(text)
    assert disagree == []
