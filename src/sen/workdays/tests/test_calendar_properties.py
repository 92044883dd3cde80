"""Properties of working-time arithmetic that must hold for every calendar and moment."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sen.workdays.calendar import VIETNAM, WeeklySchedule, WorkCalendar

# Bounded so that the suite stays fast; no deadline nor speed check, as CI machines are shared.
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2030, 12, 31)
# Fixed offsets only: a wall time in a daylight-saving gap never compares equal across zones.
ZONES = [
    VIETNAM,
    UTC,
    timezone(timedelta(hours=-3, minutes=-30)),
    timezone(timedelta(hours=9)),
]

moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59, 59),
    timezones=st.sampled_from(ZONES),
)
minute_moments = st.builds(
    lambda day, minute: datetime.combine(day, time(), tzinfo=VIETNAM) + timedelta(minutes=minute),
    st.dates(FIRST_DAY, LAST_DAY),
    st.integers(0, 24 * 60 - 1),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
dates_in_range = st.dates(FIRST_DAY, date(2033, 12, 31))


def _quarter(mark: int) -> time:
    return time(mark // 4, mark % 4 * 15)


def _intervals(marks: list[int], after: int = 0) -> tuple[tuple[time, time], ...]:
    """Pair sorted quarter-hour marks into ordered, non-overlapping intervals (may touch)."""
    marks = sorted(m for m in marks if m >= after)
    return tuple(
        (_quarter(marks[i]), _quarter(marks[i + 1]))
        for i in range(0, len(marks) - 1, 2)
        if marks[i] < marks[i + 1]
    )


def _monday(start: int, end: int, more: list[int]) -> tuple[tuple[time, time], ...]:
    # At least two hours, so that 200 hours stay within a few years of any start.
    end = max(end, start + 8)
    return ((_quarter(start), _quarter(end)), *_intervals(more, after=end))


# Strategies are built once: building them inside draws costs more than the tests.
_marks = st.lists(st.integers(0, 95), max_size=6)
day_intervals = _marks.map(_intervals)
mondays = st.builds(_monday, st.integers(0, 87), st.integers(8, 95), _marks)
schedules = st.one_of(
    st.just(WeeklySchedule.default()),
    st.builds(
        lambda monday, rest: WeeklySchedule((monday, *rest)),
        mondays,
        st.tuples(*[day_intervals] * 6),
    ),
)
calendars = st.builds(
    lambda schedule, non_working, extra_working, coverage: WorkCalendar(
        schedule, non_working=non_working, extra_working=extra_working, coverage=coverage
    ),
    schedules,
    st.frozensets(dates_in_range, max_size=40),
    st.frozensets(dates_in_range, max_size=10),
    st.sampled_from([None, (date(2023, 1, 1), date(2035, 12, 31))]),
)


def within_office_hours(calendar: WorkCalendar, moment: datetime) -> bool:
    """Return whether ``moment`` lies in a closed office-hours interval of its date."""
    local = moment.astimezone(VIETNAM)
    now = local.time()
    return any(start <= now <= end for start, end in calendar.office_hours_on(local.date()))


def untabulated(calendar: WorkCalendar) -> WorkCalendar:
    """Return the same calendar without coverage, so that it walks instead of looking up."""
    return WorkCalendar(
        calendar.schedule,
        non_working=calendar.non_working,
        extra_working=calendar.extra_working,
    )


@SETTINGS
@given(calendar=calendars, start=moments, duration=durations)
def test_due_moment_is_within_office_hours_and_not_before_start(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    due = calendar.add_working_time(start, duration)
    assert due >= start
    assert within_office_hours(calendar, due)
    assert due.tzinfo is VIETNAM


@SETTINGS
@given(calendar=calendars, a=moments, b=moments, duration=durations)
def test_a_later_start_never_gives_an_earlier_due_moment(
    calendar: WorkCalendar, a: datetime, b: datetime, duration: timedelta
) -> None:
    early, late = sorted((a, b))
    assert calendar.add_working_time(early, duration) <= calendar.add_working_time(late, duration)


@SETTINGS
@given(calendar=calendars, start=moments, a=durations, b=durations)
def test_a_longer_time_never_gives_an_earlier_due_moment(
    calendar: WorkCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    short, long = sorted((a, b))
    assert calendar.add_working_time(start, short) <= calendar.add_working_time(start, long)


@SETTINGS
@given(calendar=calendars, start=moments, a=durations, b=durations)
def test_counting_in_two_steps_equals_counting_at_once(
    calendar: WorkCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    in_two_steps = calendar.add_working_time(calendar.add_working_time(start, a), b)
    assert in_two_steps == calendar.add_working_time(start, a + b)


@SETTINGS
@given(calendar=calendars, start=moments, duration=durations)
def test_working_time_to_the_due_moment_is_the_time_counted(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    due = calendar.add_working_time(start, duration)
    assert calendar.working_time_between(start, due) == duration
    assert calendar.working_time_between(due, start) == -duration


@SETTINGS
@given(calendar=calendars, start=moments, duration=durations)
def test_from_a_working_moment_the_time_counted_comes_back(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    # The brief's form of the property: from a working moment (the next opening at the latest).
    opening = calendar.add_working_time(start, timedelta(0))
    assume(calendar.is_working_moment(opening))
    due = calendar.add_working_time(opening, duration)
    assert calendar.working_time_between(opening, due) == duration


@SETTINGS
@given(calendar=calendars, a=moments, b=moments, c=moments)
def test_working_time_adds_up_over_consecutive_spans(
    calendar: WorkCalendar, a: datetime, b: datetime, c: datetime
) -> None:
    between = calendar.working_time_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(a, b) == -between(b, a)


@SETTINGS
@given(calendar=calendars, start=moments)
def test_zero_time_is_the_start_itself_or_the_next_opening(
    calendar: WorkCalendar, start: datetime
) -> None:
    due = calendar.add_working_time(start, timedelta(0))
    if within_office_hours(calendar, start):
        assert due == start
    else:
        assert due > start
        assert calendar.is_working_moment(due)
        assert calendar.working_time_between(start, due) == timedelta(0)


@SETTINGS
@given(calendar=calendars, start=moments, duration=durations, a=moments, b=moments)
def test_the_lookup_table_agrees_with_walking_the_days(
    calendar: WorkCalendar,
    start: datetime,
    duration: timedelta,
    a: datetime,
    b: datetime,
) -> None:
    walking = untabulated(calendar)
    assert calendar.add_working_time(start, duration) == walking.add_working_time(start, duration)
    assert calendar.working_time_between(a, b) == walking.working_time_between(a, b)


def minute_by_minute(calendar: WorkCalendar, start: datetime, minutes: int) -> datetime:
    """Return the due moment by stepping one minute at a time (the obviously right way)."""
    moment = start
    if minutes == 0:
        while not within_office_hours(calendar, moment):
            moment += timedelta(minutes=1)
        return moment
    while True:
        if calendar.is_working_moment(moment):
            minutes -= 1
            if minutes == 0:
                return moment + timedelta(minutes=1)
        moment += timedelta(minutes=1)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendar=calendars, start=minute_moments, minutes=st.integers(0, 10 * 60))
def test_due_moment_agrees_with_stepping_minute_by_minute(
    calendar: WorkCalendar, start: datetime, minutes: int
) -> None:
    expected = minute_by_minute(calendar, start, minutes)
    assert calendar.add_working_time(start, timedelta(minutes=minutes)) == expected


@SETTINGS
@given(calendar=calendars, start=moments, halves=st.integers(0, 2 * 60))
def test_working_days_come_back_from_the_due_moment(
    calendar: WorkCalendar, start: datetime, halves: int
) -> None:
    days = Decimal(halves) / 2
    due = calendar.add_working_days(start, days)
    assert calendar.working_days_between(start, due) == days
    assert due == calendar.add_working_time(start, calendar.standard_day * halves / 2)


@SETTINGS
@given(calendar=calendars, start=moments, duration=durations)
def test_the_zone_of_the_start_does_not_matter(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    in_vietnam = start.astimezone(VIETNAM)
    in_utc = start.astimezone(UTC)
    assert calendar.add_working_time(in_utc, duration) == calendar.add_working_time(
        in_vietnam, duration
    )
    assert calendar.is_working_moment(in_utc) == calendar.is_working_moment(in_vietnam)


def test_property_strategies_draw_varied_schedules() -> None:
    """The drawn schedules are valid and not all the default (else the properties prove less)."""
    seen = set()

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(calendar=calendars)
    def collect(calendar: WorkCalendar) -> None:
        seen.add(calendar.schedule)

    collect()
    assert len(seen) > 5
    assert WeeklySchedule.default() in seen


@pytest.mark.parametrize("days", [Decimal("0.5"), Decimal(1), Decimal("2.5")])
def test_working_days_are_counted_in_mondays_hours(days: Decimal) -> None:
    schedule = WeeklySchedule.from_mapping(
        {0: [(time(7, 30), time(11, 30)), (time(13), time(16, 30))], 1: [(time(8), time(9))]}
    )
    calendar = WorkCalendar(schedule)
    assert calendar.standard_day == timedelta(hours=7, minutes=30)
    assert calendar.days_to_time(days) == timedelta(hours=7.5) * float(days)
