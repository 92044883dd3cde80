"""Working-time arithmetic on small, hand-made calendars (no database)."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from sen.tests.clock import vietnam_time as at
from sen.workdays.calendar import (
    VIETNAM,
    CalendarError,
    NaiveDatetimeError,
    NegativeDurationError,
    OutsideCoverageError,
    ScheduleError,
    WeeklySchedule,
    WorkCalendar,
)

CALENDAR = WorkCalendar()  # Monday–Friday 08:00–12:00, 13:00–17:00, no holidays

# 2026-01-05 is a Monday.


def test_default_office_hours_are_monday_to_friday_eight_to_five_with_a_lunch_break() -> None:
    schedule = WeeklySchedule.default()
    assert schedule.intervals(0) == ((time(8), time(12)), (time(13), time(17)))
    assert schedule.intervals(4) == ((time(8), time(12)), (time(13), time(17)))
    assert schedule.intervals(5) == ()
    assert schedule.intervals(6) == ()
    assert schedule.standard_day == timedelta(hours=8)
    assert schedule.to_json() == {
        key: [["08:00", "12:00"], ["13:00", "17:00"]] for key in ("mon", "tue", "wed", "thu", "fri")
    }


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (at(2026, 1, 5, 8), True),  # opening instant counts
        (at(2026, 1, 5, 11, 59), True),
        (at(2026, 1, 5, 12), False),  # closing instant does not
        (at(2026, 1, 5, 12, 30), False),  # lunch
        (at(2026, 1, 5, 13), True),
        (at(2026, 1, 5, 17), False),
        (at(2026, 1, 5, 7, 59), False),
        (at(2026, 1, 10, 9), False),  # Saturday
        (datetime(2026, 1, 5, 1, 0, tzinfo=UTC), True),  # 08:00 in Hà Nội
    ],
)
def test_a_moment_is_working_inside_office_hours_start_included_end_excluded(
    moment: datetime, working: bool
) -> None:
    assert CALENDAR.is_working_moment(moment) is working


@pytest.mark.parametrize(
    ("moment", "office"),
    [
        (at(2026, 1, 5, 8), True),
        (at(2026, 1, 5, 12), True),  # "by 12:00", as a due moment may be
        (at(2026, 1, 5, 12, 30), False),  # lunch
        (at(2026, 1, 5, 17), True),  # "by 17:00"
        (at(2026, 1, 5, 17, 1), False),
        (at(2026, 1, 5, 3), False),  # night
        (at(2026, 1, 11, 10), False),  # Sunday
    ],
)
def test_an_office_moment_is_within_office_hours_closing_instant_included(
    moment: datetime, office: bool
) -> None:
    assert CALENDAR.is_office_moment(moment) is office


def test_a_holiday_and_a_saturday_worked_are_office_moments_as_the_calendar_says() -> None:
    calendar = WorkCalendar(non_working=[date(2026, 1, 5)], extra_working=[date(2026, 1, 10)])
    assert not calendar.is_office_moment(at(2026, 1, 5, 9))
    assert calendar.is_office_moment(at(2026, 1, 10, 9))


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(2026, 1, 5, 8), 8, at(2026, 1, 5, 17)),  # a whole day ends at the closing instant
        (at(2026, 1, 5, 8), 4, at(2026, 1, 5, 12)),  # "by 12:00", not 13:00
        (at(2026, 1, 5, 11), 2, at(2026, 1, 5, 14)),  # across lunch
        (at(2026, 1, 5, 12, 30), 1, at(2026, 1, 5, 14)),  # from lunch: counts from 13:00
        (at(2026, 1, 5, 18), 1, at(2026, 1, 6, 9)),  # evening: counts from next morning
        (at(2026, 1, 9, 16), 8, at(2026, 1, 12, 16)),  # Friday → Monday
        (at(2026, 1, 10, 10), 1, at(2026, 1, 12, 9)),  # Saturday → Monday
        (at(2026, 1, 5, 8), 40, at(2026, 1, 9, 17)),  # a week
        (at(2026, 1, 5, 8), 41, at(2026, 1, 12, 9)),
        (at(2026, 1, 5, 8), 8 * 5 * 52, at(2027, 1, 1, 17)),  # 52 weeks skipped at once
    ],
)
def test_working_time_is_counted_within_office_hours(
    start: datetime, hours: int, due: datetime
) -> None:
    assert CALENDAR.add_working_time(start, timedelta(hours=hours)) == due


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at(2026, 1, 5, 9), at(2026, 1, 5, 9)),
        (at(2026, 1, 5, 12), at(2026, 1, 5, 12)),  # the closing instant itself
        (at(2026, 1, 5, 17), at(2026, 1, 5, 17)),
        (at(2026, 1, 5, 12, 1), at(2026, 1, 5, 13)),
        (at(2026, 1, 5, 17, 1), at(2026, 1, 6, 8)),
        (at(2026, 1, 10, 9), at(2026, 1, 12, 8)),
    ],
)
def test_zero_time_is_the_start_in_office_hours_or_else_the_next_opening(
    start: datetime, due: datetime
) -> None:
    assert CALENDAR.add_working_time(start, timedelta(0)) == due


def test_the_due_moment_is_in_vietnam_time_whatever_the_zone_of_the_start() -> None:
    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    due = CALENDAR.add_working_time(start, timedelta(hours=1))
    assert due.tzinfo is VIETNAM
    assert due.isoformat() == "2026-01-05T09:00:00+07:00"
    minus_five = datetime(2026, 1, 4, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert CALENDAR.add_working_time(minus_five, timedelta(hours=1)) == at(2026, 1, 5, 9)


def test_holidays_are_skipped_and_worked_saturdays_count_with_mondays_hours() -> None:
    calendar = WorkCalendar(
        non_working={date(2026, 1, 6)},  # a Tuesday off
        extra_working={date(2026, 1, 10)},  # a Saturday worked
    )
    assert calendar.add_working_time(at(2026, 1, 5, 16), timedelta(hours=2)) == at(2026, 1, 7, 9)
    assert calendar.add_working_time(at(2026, 1, 9, 17), timedelta(hours=8)) == at(2026, 1, 10, 17)
    assert calendar.office_hours_on(date(2026, 1, 10)) == (
        (time(8), time(12)),
        (time(13), time(17)),
    )
    assert calendar.is_working_day(date(2026, 1, 6)) is False
    assert calendar.is_working_day(date(2026, 1, 10)) is True


def test_a_date_both_off_and_worked_is_worked() -> None:
    calendar = WorkCalendar(non_working={date(2026, 1, 10)}, extra_working={date(2026, 1, 10)})
    assert calendar.is_working_day(date(2026, 1, 10)) is True


@pytest.mark.parametrize(
    ("a", "b", "worked"),
    [
        (at(2026, 1, 5, 8), at(2026, 1, 5, 17), timedelta(hours=8)),
        (at(2026, 1, 5, 7), at(2026, 1, 5, 18), timedelta(hours=8)),
        (at(2026, 1, 5, 11), at(2026, 1, 5, 14), timedelta(hours=2)),
        (at(2026, 1, 9, 16), at(2026, 1, 12, 10), timedelta(hours=3)),
        (at(2026, 1, 12, 10), at(2026, 1, 9, 16), -timedelta(hours=3)),
        (at(2026, 1, 10, 9), at(2026, 1, 11, 9), timedelta(0)),
        (at(2026, 1, 5, 8), at(2027, 1, 4, 8), timedelta(hours=8 * 5 * 52)),
    ],
)
def test_working_time_between_two_moments(a: datetime, b: datetime, worked: timedelta) -> None:
    assert CALENDAR.working_time_between(a, b) == worked


def test_half_a_working_day_is_four_hours() -> None:
    assert CALENDAR.add_working_days(at(2026, 1, 5, 8), Decimal("0.5")) == at(2026, 1, 5, 12)
    assert CALENDAR.add_working_days(at(2026, 1, 5, 8), 2) == at(2026, 1, 6, 17)


@pytest.mark.parametrize(
    ("finished", "late"),
    [
        (at(2026, 1, 6, 17), Decimal("1.00")),
        (at(2026, 1, 7, 12), Decimal("1.50")),
        (at(2026, 1, 5, 18), Decimal("0.00")),
        (at(2026, 1, 5, 8, 5), Decimal("-0.99")),  # 7 h 55 early: −0.9896 day
        (at(2026, 1, 5, 17, 1) + timedelta(minutes=9), Decimal("0.00")),
        (at(2026, 1, 6, 8, 2), Decimal("0.00")),  # 2 minutes: 0.004 day
        (at(2026, 1, 6, 8, 3), Decimal("0.01")),  # 3 minutes: 0.00625 day, rounded up
    ],
)
def test_working_days_between_counts_lateness_to_a_hundredth_of_a_day(
    finished: datetime, late: Decimal
) -> None:
    assert CALENDAR.working_days_between(at(2026, 1, 5, 17), finished) == late


def test_a_naive_datetime_is_refused_with_a_clear_error() -> None:
    with pytest.raises(NaiveDatetimeError, match="has no time zone"):
        CALENDAR.add_working_time(datetime(2026, 1, 5, 8), timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError):
        CALENDAR.is_working_moment(datetime(2026, 1, 5, 8))
    with pytest.raises(NaiveDatetimeError):
        CALENDAR.working_time_between(at(2026, 1, 5), datetime(2026, 1, 6))


def test_a_date_instead_of_a_datetime_is_refused() -> None:
    with pytest.raises(CalendarError, match="Expected a datetime"):
        CALENDAR.add_working_days(date(2026, 1, 5), 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", [Decimal("-0.5"), -1, Decimal("NaN"), Decimal("Infinity")])
def test_negative_or_non_finite_days_are_refused(days: Decimal) -> None:
    with pytest.raises(CalendarError):
        CALENDAR.add_working_days(at(2026, 1, 5, 8), days)


def test_negative_durations_are_refused() -> None:
    with pytest.raises(NegativeDurationError):
        CALENDAR.add_working_time(at(2026, 1, 5, 8), timedelta(seconds=-1))


@pytest.mark.parametrize("days", [1.5, "1", True])
def test_days_must_be_decimal_or_int(days: object) -> None:
    with pytest.raises(CalendarError, match="Expected a Decimal or int"):
        CALENDAR.add_working_days(at(2026, 1, 5, 8), days)  # type: ignore[arg-type]


def test_a_computation_leaving_the_known_years_says_so_instead_of_ignoring_holidays() -> None:
    calendar = WorkCalendar(coverage=(date(2026, 1, 1), date(2026, 12, 31)))
    assert calendar.add_working_time(at(2026, 12, 31, 8), timedelta(hours=8)) == at(
        2026, 12, 31, 17
    )
    with pytest.raises(OutsideCoverageError):
        calendar.add_working_time(at(2026, 12, 31, 16), timedelta(hours=2))
    with pytest.raises(OutsideCoverageError):
        calendar.add_working_time(at(2025, 12, 31, 16), timedelta(hours=2))
    with pytest.raises(OutsideCoverageError):
        calendar.working_time_between(at(2026, 6, 1), at(2027, 1, 2))
    with pytest.raises(OutsideCoverageError):
        calendar.is_working_moment(at(2027, 1, 4, 9))


def test_within_the_known_years_the_last_day_is_still_usable() -> None:
    calendar = WorkCalendar(coverage=(date(2026, 1, 1), date(2026, 12, 31)))
    assert calendar.add_working_time(at(2026, 12, 30, 8), timedelta(hours=16)) == at(
        2026, 12, 31, 17
    )
    assert calendar.working_time_between(at(2026, 1, 1), at(2026, 12, 31, 23)) == timedelta(
        hours=8 * 261
    )


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({0: [(time(12), time(8))]}, "does not start before"),
        ({0: [(time(8), time(12)), (time(11), time(13))]}, "unordered or overlap"),
        ({0: [(time(13), time(17)), (time(8), time(12))]}, "unordered or overlap"),
        ({1: [(time(8), time(12))]}, "Monday must have office hours"),
        ({7: [(time(8), time(12))]}, "Weekdays are 0"),
    ],
)
def test_malformed_schedules_are_refused(
    hours: dict[int, list[tuple[time, time]]], message: str
) -> None:
    with pytest.raises(ScheduleError, match=message):
        WeeklySchedule.from_mapping(hours)


def test_touching_intervals_are_allowed_and_count_once() -> None:
    schedule = WeeklySchedule.from_mapping({0: [(time(8), time(12)), (time(12), time(13))]})
    calendar = WorkCalendar(schedule)
    assert schedule.standard_day == timedelta(hours=5)
    assert calendar.add_working_time(at(2026, 1, 5, 8), timedelta(hours=4)) == at(2026, 1, 5, 12)
    assert calendar.add_working_time(at(2026, 1, 5, 8), timedelta(hours=5)) == at(2026, 1, 5, 13)
    assert calendar.add_working_time(at(2026, 1, 5, 13), timedelta(hours=1)) == at(2026, 1, 12, 9)
