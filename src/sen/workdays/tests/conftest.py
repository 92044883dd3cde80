"""Fixtures of the working-day calendar's tests."""

from collections.abc import Iterator

import pytest

from sen.workdays.selectors import calendar_cache_clear


@pytest.fixture(autouse=True)
def fresh_calendars() -> Iterator[None]:
    """Start and end every test without cached calendars.

    Each test's database changes are rolled back, but a calendar cached in the process
    would still hold them.
    """
    calendar_cache_clear()
    yield
    calendar_cache_clear()
