"""Moments in Vietnam time for the tests, and the clock behind the ``clock`` fixture
(``sen/conftest.py``), which freezes ``timezone.now()`` and moves it.

The one-stop tests live in the week of Friday 20 November 2026, so that due moments and
lateness are the same on every run: ``at(day, hour)`` is a moment of that November.
"""

from dataclasses import dataclass
from datetime import datetime

from sen.core.timezones import VIETNAM


def vietnam_time(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a moment of any day in Vietnam time (the working-day calendar's tests)."""
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def at(day: int, hour: int, minute: int = 0, *, month: int = 11) -> datetime:
    """Return a moment of 2026 in Vietnam time, in November unless told (20/11 is a Friday)."""
    return vietnam_time(2026, month, day, hour, minute)


# Where the ``clock`` fixture starts: Friday 20/11/2026, 09:00, an hour into office hours.
START = at(20, 9)


@dataclass
class Clock:
    """What ``timezone.now()`` answers while the ``clock`` fixture is in use: ``now`` reads
    it, ``clock(moment)`` moves it."""

    now: datetime = START

    def __call__(self, moment: datetime) -> None:
        self.now = moment
