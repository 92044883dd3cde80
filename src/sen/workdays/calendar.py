"""Working-time arithmetic on the Vietnamese calendar (pure functions, no database).

A :class:`WeeklySchedule` says when an office is open on each weekday; a :class:`WorkCalendar`
adds the dates on which it is closed although the schedule says open (statutory holidays,
days off decided by the government) and the dates on which it works although the schedule
says closed (Saturdays worked in exchange for a swapped day). On the calendar, legal
processing times are counted in working time:

* a moment is *working* when it lies in an office-hours interval, start included, end
  excluded;
* counting starts at ``start``, or at the next opening when ``start`` is outside office
  hours; the result always lies within office hours with the closing instant included,
  so a dossier can be due "by 17:00";
* a working day is the working time of a standard day of the schedule (Monday's).

Everything is computed in local wall-clock time of Asia/Ho_Chi_Minh (no daylight saving
since 1975) by walking office-hours intervals, day by day, and skipping whole weeks at a
time where no exceptional date lies in between, so that a deadline costs a few dozen
steps whatever its length.

This module knows nothing of Django or the database: the selectors build a calendar from
the ``holidays`` package, the ``CalendarEntry`` rows and the agency's office hours.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from itertools import accumulate

from sen.core.timezones import VIETNAM

# A working day of a public office is 8 working hours (Bộ luật Lao động 2019, Art. 105);
# legal processing times in days are converted to working time with this.
STANDARD_DAY_HOURS = Decimal(8)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
_MICROSECOND = timedelta(microseconds=1)
# Results of working_days_between are rounded to this (0.01 day ≈ 5 minutes of an 8-hour day).
DAYS_QUANTUM = Decimal("0.01")
# Calendars covering at most this many days tabulate their working time (about 60 KiB).
_MAX_TABLE_DAYS = 366 * 25

Interval = tuple[time, time]


class CalendarError(ValueError):
    """A calendar was asked something it cannot answer (a programming error)."""


class NaiveDatetimeError(CalendarError):
    """A datetime without a time zone was given; the calendar needs to know which instant."""


class NegativeDurationError(CalendarError):
    """A negative duration was given; working time is only counted forwards."""


class OutsideCoverageError(CalendarError):
    """The computation left the range of dates the calendar knows the holidays of."""


class ScheduleError(CalendarError):
    """A weekly schedule is malformed (intervals unordered, overlapping, empty Monday …)."""


def _offset(moment: time) -> timedelta:
    return timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )


@dataclass(frozen=True)
class WeeklySchedule:
    """Office hours per weekday: for Monday (0) … Sunday (6), a tuple of (start, end) times.

    Intervals of one day are ordered and do not overlap (they may touch); each has its
    start before its end, so no interval crosses midnight. Monday must have office hours:
    its total is the standard working day that "N working days" are counted in.
    """

    days: tuple[tuple[Interval, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ScheduleError("A weekly schedule has exactly 7 days, Monday first.")
        for weekday, intervals in enumerate(self.days):
            previous_end: time | None = None
            for start, end in intervals:
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise ScheduleError("Office hours are local times without a time zone.")
                if not start < end:
                    raise ScheduleError(
                        f"Interval {start}–{end} on weekday {weekday} does not start before"
                        " it ends."
                    )
                if previous_end is not None and start < previous_end:
                    raise ScheduleError(
                        f"Intervals on weekday {weekday} are unordered or overlap at {start}."
                    )
                previous_end = end
        if not self.days[MONDAY]:
            raise ScheduleError("Monday must have office hours: it defines the standard day.")

    @classmethod
    def from_mapping(cls, hours: Mapping[int, Iterable[Interval]]) -> WeeklySchedule:
        """Return a schedule from ``{weekday: [(start, end), …]}``; missing weekdays are closed."""
        unknown = set(hours) - set(range(7))
        if unknown:
            raise ScheduleError(f"Weekdays are 0 (Monday) … 6 (Sunday), not {sorted(unknown)}.")
        return cls(tuple(tuple(hours.get(weekday, ())) for weekday in range(7)))

    @classmethod
    def default(cls) -> WeeklySchedule:
        """Return the common office hours: Monday–Friday 08:00–12:00 and 13:00–17:00."""
        return DEFAULT_SCHEDULE

    def intervals(self, weekday: int) -> tuple[Interval, ...]:
        """Return the office-hours intervals of a weekday (0 = Monday)."""
        return self.days[weekday]

    def hours_on(self, weekday: int) -> timedelta:
        """Return the total office hours of a weekday."""
        return sum((_offset(end) - _offset(start) for start, end in self.days[weekday]), ZERO)

    @property
    def standard_day(self) -> timedelta:
        """Return the working time of a standard working day (Monday's office hours)."""
        return self.hours_on(MONDAY)

    def to_json(self) -> dict[str, list[list[str]]]:
        """Return the schedule as ``{"mon": [["08:00", "12:00"], …], …}`` (closed days left out)."""
        return {
            WEEKDAY_KEYS[weekday]: [[_format_time(s), _format_time(e)] for s, e in intervals]
            for weekday, intervals in enumerate(self.days)
            if intervals
        }


def _format_time(moment: time) -> str:
    return moment.isoformat(timespec="minutes" if not moment.second else "seconds")


_WEEKDAY_HOURS: tuple[Interval, ...] = ((time(8), time(12)), (time(13), time(17)))
DEFAULT_SCHEDULE = WeeklySchedule((_WEEKDAY_HOURS,) * 5 + ((), ()))


def to_local(moment: datetime) -> datetime:
    """Return an aware datetime converted to Asia/Ho_Chi_Minh; refuse naive ones."""
    if not isinstance(moment, datetime):
        raise CalendarError(f"Expected a datetime, got {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{moment.isoformat()} has no time zone; give an aware datetime"
            " (for example with tzinfo=ZoneInfo('Asia/Ho_Chi_Minh'))."
        )
    return moment.astimezone(VIETNAM)


def _since_midnight(local: datetime) -> timedelta:
    # Both operands carry the same tzinfo, so this is wall-clock arithmetic.
    return local - datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)


class WorkCalendar:
    """Office hours over real dates: a weekly schedule with holidays and worked days.

    ``non_working`` are dates closed although the schedule has hours (holidays, days off);
    ``extra_working`` are dates open although they would be closed (a Saturday worked in
    exchange for a swapped day), with Monday's office hours; a date in both is open.
    ``coverage`` (first, last date) is the range in which those sets are complete; a
    computation that needs a date outside it raises :class:`OutsideCoverageError` instead
    of silently ignoring holidays it does not know (``None``: the sets are complete).

    Instances are immutable and safe to share between threads.
    """

    def __init__(
        self,
        schedule: WeeklySchedule | None = None,
        *,
        non_working: Iterable[date] = (),
        extra_working: Iterable[date] = (),
        coverage: tuple[date, date] | None = None,
    ) -> None:
        self.schedule = schedule or DEFAULT_SCHEDULE
        self.non_working = frozenset(non_working)
        self.extra_working = frozenset(extra_working)
        if coverage is not None and coverage[0] > coverage[1]:
            raise CalendarError(f"Coverage {coverage[0]}…{coverage[1]} is empty.")
        self.coverage = coverage
        # Office hours as offsets from midnight, per weekday; the arithmetic adds offsets.
        self._by_weekday: tuple[tuple[tuple[timedelta, timedelta], ...], ...] = tuple(
            tuple((_offset(s), _offset(e)) for s, e in self.schedule.intervals(weekday))
            for weekday in range(7)
        )
        self._extra_day = self._by_weekday[MONDAY]
        self._week_total = sum((self.schedule.hours_on(w) for w in range(7)), ZERO)
        self.standard_day = self.schedule.standard_day
        # Dates where the weekly pattern does not hold; between two of them whole weeks
        # can be skipped at once.
        self._exceptions = sorted(self.non_working | self.extra_working)
        # Within a bounded coverage, the working time before each date is tabulated once,
        # so that a deadline is a binary search instead of a walk (see _jump).
        self._table: list[int] | None = None
        if coverage is not None and (coverage[1] - coverage[0]).days < _MAX_TABLE_DAYS:
            self._table = self._tabulate(coverage[0], coverage[1])

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(non_working={len(self.non_working)} dates,"
            f" extra_working={len(self.extra_working)} dates, coverage={self.coverage})"
        )

    # Days -----------------------------------------------------------------------------

    def _intervals_on(self, day: date) -> tuple[tuple[timedelta, timedelta], ...]:
        if day in self.extra_working:
            return self._extra_day
        if day in self.non_working:
            return ()
        return self._by_weekday[day.weekday()]

    def _check_covered(self, day: date) -> None:
        if self.coverage is not None and not self.coverage[0] <= day <= self.coverage[1]:
            raise OutsideCoverageError(
                f"{day} is outside the calendar's dates {self.coverage[0]}…{self.coverage[1]}."
            )

    def office_hours_on(self, day: date) -> tuple[Interval, ...]:
        """Return the office-hours intervals of a date (empty when the office is closed)."""
        self._check_covered(day)
        if day in self.extra_working:
            return self.schedule.intervals(MONDAY)
        if day in self.non_working:
            return ()
        return self.schedule.intervals(day.weekday())

    def is_working_day(self, day: date) -> bool:
        """Return whether the office is open at some time on this date."""
        return bool(self.office_hours_on(day))

    def _free_weeks(self, day: date) -> int:
        """Return how many whole weeks from ``day`` on contain no exceptional date."""
        index = bisect_left(self._exceptions, day)
        if index == len(self._exceptions):
            return 1 << 62
        return (self._exceptions[index] - day).days // 7

    # Moments --------------------------------------------------------------------------

    def is_working_moment(self, moment: datetime) -> bool:
        """Return whether ``moment`` lies within office hours (start inclusive, end exclusive)."""
        return self._within_hours(moment, closing_included=False)

    def is_office_moment(self, moment: datetime) -> bool:
        """Return whether ``moment`` lies within office hours, the closing instant included.

        Such a moment is one a due moment may be ("by 17:00"), and so one an officer may
        give the applicant as an appointment.
        """
        return self._within_hours(moment, closing_included=True)

    def _within_hours(self, moment: datetime, *, closing_included: bool) -> bool:
        local = to_local(moment)
        day = local.date()
        self._check_covered(day)
        offset = _since_midnight(local)
        return any(
            start <= offset < end or (closing_included and offset == end)
            for start, end in self._intervals_on(day)
        )

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """Return the moment at which ``duration`` of working time has passed since ``start``.

        Counting begins at ``start``, or at the next opening when ``start`` is outside office
        hours. The result lies within office hours, the closing instant included: 8 hours
        from Monday 08:00 is Monday 17:00, not Tuesday 08:00. With a zero duration the result
        is ``start`` itself when it lies within an interval (its closing instant included),
        else the next opening. Aware datetimes of any zone are accepted; the result is in
        Asia/Ho_Chi_Minh.
        """
        if not isinstance(duration, timedelta):
            raise CalendarError(f"Expected a timedelta, got {type(duration).__name__}.")
        if duration < ZERO:
            raise NegativeDurationError(f"Working time cannot be counted backwards ({duration}).")
        local = to_local(start)
        day = local.date()
        cursor = _since_midnight(local)
        remaining = duration
        week_total = self._week_total
        jumped = self._table is None
        while True:
            self._check_covered(day)
            for opens, closes in self._intervals_on(day):
                if cursor <= closes:
                    begin = opens if cursor < opens else cursor
                    available = closes - begin
                    if remaining <= available:
                        return self._moment(day, begin + remaining)
                    remaining -= available
            day = self._next_day(day)
            cursor = ZERO
            if not jumped:
                # Past the (partial) start day, whole days are counted from the table.
                jumped = True
                if remaining > ZERO:
                    day, remaining = self._jump(day, remaining)
            elif remaining > week_total:
                # Keep at least a microsecond to walk, so that the result is found (and its
                # closing-instant rule applied) by the day walk above, never by the skip.
                weeks = min(self._free_weeks(day), (remaining - _MICROSECOND) // week_total)
                if weeks > 0:
                    day = self._skip(day, weeks)
                    remaining -= week_total * weeks

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the working time from ``a`` to ``b``; negative when ``b`` is before ``a``.

        Consistent with :meth:`add_working_time`:
        ``working_time_between(s, add_working_time(s, d)) == d`` for every ``s`` and ``d``.
        """
        local_a, local_b = to_local(a), to_local(b)
        if local_b < local_a:
            return -self._between(local_b, local_a)
        return self._between(local_a, local_b)

    def _between(self, a: datetime, b: datetime) -> timedelta:
        day, last_day = a.date(), b.date()
        low = _since_midnight(a)
        high_on_last = _since_midnight(b)
        total = ZERO
        week_total = self._week_total
        jumped = self._table is None
        while True:
            self._check_covered(day)
            high = high_on_last if day == last_day else ONE_DAY
            for opens, closes in self._intervals_on(day):
                begin = opens if low < opens else low
                end = closes if high > closes else high
                if end > begin:
                    total += end - begin
            if day == last_day:
                return total
            day = self._next_day(day)
            low = ZERO
            if not jumped and day < last_day:
                self._check_covered(last_day)
                assert self._table is not None  # noqa: S101 (narrowing for the type checker)
                first = self._table_index(day)
                total += timedelta(
                    microseconds=self._table[first + (last_day - day).days] - self._table[first]
                )
                day = last_day
                jumped = True
                continue
            weeks = min(self._free_weeks(day), (last_day - day).days // 7)
            if weeks > 0:
                day = self._skip(day, weeks)
                total += week_total * weeks

    # Working days ---------------------------------------------------------------------

    def days_to_time(self, days: Decimal | int) -> timedelta:
        """Return the working time of ``days`` standard working days (to the microsecond)."""
        if isinstance(days, bool) or not isinstance(days, Decimal | int):
            raise CalendarError(f"Expected a Decimal or int, got {type(days).__name__}.")
        days = Decimal(days)
        if not days.is_finite():
            raise CalendarError(f"Working days must be a finite number, not {days}.")
        if days < 0:
            raise NegativeDurationError(f"Working days cannot be negative ({days}).")
        microseconds = days * _microseconds(self.standard_day)
        return timedelta(microseconds=int(microseconds.to_integral_value(ROUND_HALF_EVEN)))

    def add_working_days(self, start: datetime, days: Decimal | int) -> datetime:
        """Return the due moment ``days`` standard working days after ``start`` (0.5 allowed)."""
        return self.add_working_time(start, self.days_to_time(days))

    def working_days_between(self, a: datetime, b: datetime) -> Decimal:
        """Return the working time from ``a`` to ``b`` in standard days, to 0.01 day.

        Negative when ``b`` is before ``a``; "late by 1.5 days" is
        ``working_days_between(due, finished) == Decimal("1.50")``.
        """
        elapsed = _microseconds(self.working_time_between(a, b))
        days = Decimal(elapsed) / _microseconds(self.standard_day)
        return days.quantize(DAYS_QUANTUM, rounding=ROUND_HALF_UP)

    # The table ----------------------------------------------------------------------

    def _tabulate(self, first: date, last: date) -> list[int]:
        """Return the working microseconds before each date of first…last+1, from ``first``."""
        weekday_totals = [_microseconds(self.schedule.hours_on(w)) for w in range(7)]
        offset = first.weekday()
        per_day = [weekday_totals[(offset + i) % 7] for i in range((last - first).days + 1)]
        for day in self._exceptions:
            if first <= day <= last:
                hours = sum(_microseconds(e - s) for s, e in self._intervals_on(day))
                per_day[(day - first).days] = hours
        return [0, *accumulate(per_day)]

    def _table_index(self, day: date) -> int:
        assert self.coverage is not None  # noqa: S101 (only called with a table)
        return (day - self.coverage[0]).days

    def _jump(self, day: date, remaining: timedelta) -> tuple[date, timedelta]:
        """Return the date on which ``remaining`` working time from ``day`` 00:00 runs out.

        Also return the working time left to count on that date (more than zero), so that
        the day walk finds the exact moment and applies the closing-instant rule.
        """
        assert self._table is not None  # noqa: S101 (only called with a table)
        self._check_covered(day)
        first = self._table_index(day)
        target = self._table[first] + _microseconds(remaining)
        index = bisect_left(self._table, target) - 1
        if index >= len(self._table) - 1:
            assert self.coverage is not None  # noqa: S101
            raise OutsideCoverageError(
                f"The result lies after {self.coverage[1]}, the last date the calendar knows."
            )
        return (
            day + timedelta(days=index - first),
            timedelta(microseconds=target - self._table[index]),
        )

    # Helpers --------------------------------------------------------------------------

    @staticmethod
    def _moment(day: date, offset: timedelta) -> datetime:
        return datetime.combine(day, time.min, tzinfo=VIETNAM) + offset

    @staticmethod
    def _next_day(day: date) -> date:
        try:
            return day + ONE_DAY
        except OverflowError:
            raise CalendarError("The computation ran past the last representable date.") from None

    @staticmethod
    def _skip(day: date, weeks: int) -> date:
        try:
            return day + ONE_WEEK * weeks
        except OverflowError:
            raise CalendarError("The computation ran past the last representable date.") from None


def _microseconds(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
