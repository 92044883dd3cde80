"""Reads of the working-day calendar: the calendar in force, and the year's special days.

``calendar_for`` is read on every deadline computation, so calendars are cached in the
process. Caching works in layers:

* a *revision* token in Django's cache (``REVISION_KEY``), replaced by the services whenever
  a calendar entry or an agency's office hours change (at once, and again after commit).
  The process that made the change drops its calendars at once; any other process compares
  the token at most every ``REVISION_CHECK_SECONDS`` and rebuilds when it changed. With a
  cache shared between processes (Redis, ``SEN_REDIS_URL``) every process so sees a change
  within a second;
* a maximum age (``MAX_AGE_SECONDS``): with the per-process default cache, other processes
  cannot see the token change, so their calendars are rebuilt at least that often anyway.

Rebuilding costs one or two small queries and the ``holidays`` package's computation of a
few years (a few milliseconds). Reading a cached calendar costs no query and, between
revision checks, no cache access.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

import holidays
from django.core.cache import cache
from django.utils.translation import gettext as _

from sen.core.models import Agency
from sen.workdays.calendar import DEFAULT_SCHEDULE, VIETNAM, WeeklySchedule, WorkCalendar
from sen.workdays.errors import AgencyNotFound, InvalidSchedule
from sen.workdays.models import CalendarEntry, EntryKind, OfficeHours
from sen.workdays.schedules import schedule_from_json

logger = logging.getLogger(__name__)

REVISION_KEY = "sen.workdays.calendar_revision"
MAX_AGE_SECONDS = 60.0
REVISION_CHECK_SECONDS = 1.0
# The common calendar covers this many years before and after the current one; deadlines
# outside it get a calendar of their own (see services.due_moment).
DEFAULT_YEARS_AROUND = 5
# A calendar built for a deadline covers the start's year and at least this many after it.
YEARS_AHEAD = 3
# Years the calendar of special days is published for (and entries may be made in).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Bound the per-process cache: windows × distinct schedules in use.
_MAX_CALENDARS = 256


class DayKind(StrEnum):
    """Why a date is listed on the calendar (the ``kind`` of the calendar endpoint): a
    statutory holiday, or the kind of the calendar entry made for it."""

    HOLIDAY = "holiday"
    DAY_OFF = EntryKind.DAY_OFF.value
    WORKING_DAY = EntryKind.WORKING_DAY.value


class SpecialDay(NamedTuple):
    """A date that is not an ordinary weekday or weekend: (date, name, kind)."""

    date: date
    name: str
    kind: DayKind


def statutory_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """Return the statutory holidays and their compensatory days, with Vietnamese names.

    From the ``holidays`` package: Tết by the lunar calendar, Hùng Kings' day, the days
    off in lieu when a holiday falls on a weekend, and the weekdays swapped away by the
    government that the package knows of. The package covers 1901–2100.
    """
    days = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    return dict(days.items())


@dataclass
class _State:
    revision: str
    built_at: float
    checked_at: float
    schedules: dict[int, WeeklySchedule] | None = None
    calendars: dict[tuple[WeeklySchedule, int, int], WorkCalendar] = field(default_factory=dict)


_state: _State | None = None
_clock = time.monotonic
_lock = threading.Lock()


def _revision() -> str:
    token = cache.get(REVISION_KEY)
    if token is None:
        cache.add(REVISION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(REVISION_KEY)
    return str(token or "")


def _current_state() -> _State:
    global _state
    now = _clock()
    state = _state
    if state is not None and now - state.checked_at < REVISION_CHECK_SECONDS:
        return state
    revision = _revision()
    if state is None or state.revision != revision or now - state.built_at > MAX_AGE_SECONDS:
        state = _State(revision=revision, built_at=now, checked_at=now)
        _state = state
    else:
        state.checked_at = now
    return state


def calendar_cache_clear() -> None:
    """Forget every cached calendar, here and (through the revision) in other processes.

    The services call this when entries or office hours change; tests call it so that a
    calendar cached in one test does not leak rows rolled back into the next.
    """
    global _state
    cache.set(REVISION_KEY, uuid.uuid4().hex, timeout=None)
    _state = None


def _agency_schedules(state: _State) -> dict[int, WeeklySchedule]:
    # All agencies' own office hours are loaded together: the table has at most one row per
    # agency, and agencies without one then share the default calendar.
    if state.schedules is None:
        schedules = {}
        for row in OfficeHours.objects.only("agency_id", "schedule"):
            try:
                schedules[row.agency_id] = schedule_from_json(row.schedule)
            except InvalidSchedule:
                # Written around the services; one bad row must not stop every deadline.
                logger.error(
                    "Office hours of agency %s are invalid; using the common ones.", row.agency_id
                )
        state.schedules = schedules
    return state.schedules


def _build(
    schedule: WeeklySchedule, first: int, last: int, entries: Mapping[date, str] | None = None
) -> WorkCalendar:
    """Build the calendar of ``first`` through ``last`` from the stored calendar entries, or
    from ``entries`` (dates mapped to their entry's kind) when given."""
    non_working = set(statutory_holidays(first, last))
    extra_working = set()
    if entries is None:
        entries = calendar_entries(first_year=first, last_year=last)
    for day, kind in entries.items():
        if kind == EntryKind.DAY_OFF:
            non_working.add(day)
        elif kind == EntryKind.WORKING_DAY:
            extra_working.add(day)
    return WorkCalendar(
        schedule,
        non_working=non_working,
        extra_working=extra_working,
        coverage=(date(first, 1, 1), date(last, 12, 31)),
    )


def calendar_entries(*, first_year: int, last_year: int | None = None) -> dict[date, str]:
    """Return the calendar entries of ``first_year`` through ``last_year`` (default: every
    later year), each date mapped to its kind: the calendar's exceptions as they stand."""
    entries = CalendarEntry.objects.filter(date__gte=date(first_year, 1, 1))
    if last_year is not None:
        entries = entries.filter(date__lte=date(last_year, 12, 31))
    return {entry.date: entry.kind for entry in entries.only("date", "kind")}


def calendar_for(
    *, agency: Agency | None = None, years: Iterable[int] | None = None
) -> WorkCalendar:
    """Return the working calendar of an agency (or the common one) for the given years.

    The calendar knows the holidays and calendar entries of ``years`` (their smallest through
    their largest; default: ``DEFAULT_YEARS_AROUND`` years either side of this one) and
    raises ``OutsideCoverageError`` when a computation leaves them. ``agency``'s own office
    hours apply when it has some. Cached in the process; see the module's docstring.
    """
    if years is None:
        this_year = datetime.now(VIETNAM).year
        first, last = this_year - DEFAULT_YEARS_AROUND, this_year + DEFAULT_YEARS_AROUND
    else:
        chosen = list(years)
        if not chosen:
            raise ValueError("calendar_for needs at least one year.")
        first, last = min(chosen), max(chosen)
    state = _current_state()
    schedule = DEFAULT_SCHEDULE
    if agency is not None:
        schedule = _agency_schedules(state).get(agency.pk, DEFAULT_SCHEDULE)
    key = (schedule, first, last)
    calendar = state.calendars.get(key)
    if calendar is None:
        calendar = _build(schedule, first, last)
        with _lock:
            if len(state.calendars) >= _MAX_CALENDARS:
                state.calendars.clear()
            state.calendars[key] = calendar
    return calendar


def fresh_calendar(
    *, agency: Agency | None = None, years: Iterable[int], entries: Mapping[date, str]
) -> WorkCalendar:
    """Return the calendar of ``agency`` for ``years`` with ``entries`` as its exceptions
    (dates mapped to their entry's kind, as ``calendar_entries`` gives them), never cached:
    the calendar as it was at a moment whose entries were read then."""
    chosen = list(years)
    schedule = DEFAULT_SCHEDULE
    if agency is not None:
        schedule = _agency_schedules(_current_state()).get(agency.pk, DEFAULT_SCHEDULE)
    return _build(schedule, min(chosen), max(chosen), entries)


def non_working_days(*, year: int) -> list[SpecialDay]:
    """Return the year's holidays, days off and worked weekend days, by date.

    Weekends are not listed one by one. A ``working_day`` entry on a statutory holiday
    replaces the holiday in the list (offices work that day).
    """
    days: dict[date, SpecialDay] = {
        day: SpecialDay(day, name, DayKind.HOLIDAY)
        for day, name in statutory_holidays(year, year).items()
    }
    for entry in CalendarEntry.objects.filter(date__year=year).only("date", "name", "kind"):
        days[entry.date] = SpecialDay(entry.date, entry.name, DayKind(entry.kind))
    return [days[day] for day in sorted(days)]


def agency_by_code(*, code: str) -> Agency:
    """Return the agency with this national identifier (``000.00.00.H37``)."""
    # core offers no selector for this yet; a read by business key is all that is needed.
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        message = _("Không tìm thấy cơ quan có mã %(code)s.") % {"code": code}
        raise AgencyNotFound(message) from None
