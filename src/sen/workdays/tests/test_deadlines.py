"""Deadlines as officers and citizens know them, on the real Vietnamese calendar."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sen.tests.clock import vietnam_time as at
from sen.workdays.services import due_moment, late_by_days
from sen.workdays.tests.factories import OfficeHoursFactory

pytestmark = pytest.mark.django_db


def test_a_dossier_received_friday_at_four_with_one_day_is_due_monday_at_four() -> None:
    # Friday 2026-01-09 16:00 → Monday 2026-01-12 16:00
    assert due_moment(start=at(2026, 1, 9, 16), days=1) == at(2026, 1, 12, 16)


def test_a_dossier_received_at_lunch_with_half_a_day_counts_from_one_and_is_due_at_five() -> None:
    assert due_moment(start=at(2026, 3, 10, 12, 30), days=Decimal("0.5")) == at(2026, 3, 10, 17)


def test_a_dossier_received_before_tet_2026_is_due_after_the_tet_break() -> None:
    # Offices close Saturday 14/02 through Sunday 22/02/2026 (Tết Bính Ngọ).
    # Thursday 12/02 09:00 + 3 days: Thu 7 h, Fri 8 h, then Mon 23/02 8 h, Tue 24/02 1 h.
    assert due_moment(start=at(2026, 2, 12, 9), days=3) == at(2026, 2, 24, 9)
    # Received on the last day before Tết: one day later is the first day after it.
    assert due_moment(start=at(2026, 2, 13, 17), days=1) == at(2026, 2, 23, 17)


def test_saturday_8_february_2025_is_a_working_day_in_exchange_for_27_january() -> None:
    # Friday 07/02/2025 16:00 + 1 day: 1 h on Friday, 7 h on the worked Saturday.
    assert due_moment(start=at(2025, 2, 7, 16), days=1) == at(2025, 2, 8, 16)
    # Monday 27/01/2025 was off: Friday 24/01 17:00 + 1 day lands after Tết, on Monday 03/02.
    assert due_moment(start=at(2025, 1, 24, 17), days=1) == at(2025, 2, 3, 17)


def test_saturday_26_april_2025_is_worked_and_friday_2_may_is_off() -> None:
    assert due_moment(start=at(2025, 4, 25, 17), days=1) == at(2025, 4, 26, 17)
    # Tuesday 29/04 17:00 + 1 day: 30/4, 1/5 holidays, 2/5 swapped, weekend → Monday 05/05.
    assert due_moment(start=at(2025, 4, 29, 17), days=1) == at(2025, 5, 5, 17)


def test_saturday_22_august_2026_is_worked_and_monday_31_august_is_off() -> None:
    assert due_moment(start=at(2026, 8, 21, 17), days=Decimal("0.5")) == at(2026, 8, 22, 12)
    # Friday 28/08 17:00 + 1 day: 31/8 swapped, 1/9 and 2/9 National Day → Thursday 03/09.
    assert due_moment(start=at(2026, 8, 28, 17), days=1) == at(2026, 9, 3, 17)


def test_hung_kings_day_2026_falls_on_sunday_and_monday_27_april_is_off() -> None:
    # Friday 24/04 17:00 + 1 day: Monday 27/04 is the day off in lieu → Tuesday 28/04.
    assert due_moment(start=at(2026, 4, 24, 17), days=1) == at(2026, 4, 28, 17)


def test_a_deadline_across_new_year() -> None:
    # Wednesday 31/12/2025 10:00 + 2 days: 6 h that day, 1/1/2026 holiday,
    # Friday 02/01 8 h → 2 h left, weekend → Monday 05/01 10:00.
    assert due_moment(start=at(2025, 12, 31, 10), days=2) == at(2026, 1, 5, 10)
    # The same across 2026 → 2027, which the common calendar also has to know.
    assert due_moment(start=at(2026, 12, 31, 17), days=1) == at(2027, 1, 4, 17)


def test_a_deadline_years_away_from_today_is_computed_on_a_calendar_of_its_own() -> None:
    # Far outside the common calendar's years. New Year 2090 is a Sunday, so Monday
    # 02/01/2090 is its day off in lieu: Friday 30/12/2089 17:00 + 1 day → Tuesday 03/01.
    assert due_moment(start=at(2089, 12, 30, 17), days=1) == at(2090, 1, 3, 17)
    assert due_moment(start=at(1995, 6, 2, 17), days=1) == at(1995, 6, 5, 17)


def test_a_year_of_working_days_is_counted_past_the_years_first_built() -> None:
    due = due_moment(start=at(2099, 12, 1, 8), days=365)
    assert due.year == 2101


def test_an_agency_open_on_saturday_mornings_counts_them() -> None:
    office = OfficeHoursFactory()  # Mon–Fri 07:30–11:30, 13:30–17:30; Saturday 07:30–11:30
    agency = office.agency
    # Friday 09/01/2026 17:30 + 0.5 day (4 h of its 8-hour Monday): Saturday morning.
    assert due_moment(start=at(2026, 1, 9, 17, 30), days=Decimal("0.5"), agency=agency) == at(
        2026, 1, 10, 11, 30
    )
    # Other agencies still close on Saturday.
    assert due_moment(start=at(2026, 1, 9, 17, 30), days=Decimal("0.5")) == at(2026, 1, 12, 12)
    # Friday 01/05/2026 is Labour Day: counting starts on Saturday 02/05 at 07:30.
    assert due_moment(start=at(2026, 5, 1, 9), days=Decimal("0.5"), agency=agency) == at(
        2026, 5, 2, 11, 30
    )


def test_an_agency_open_on_saturdays_still_closes_on_a_saturday_holiday() -> None:
    agency = OfficeHoursFactory().agency
    # Saturday 06/02/2027 is Tết (Mùng một); the agency is closed until Thursday 11/02/2027.
    assert due_moment(start=at(2027, 2, 3, 17, 30), days=Decimal("0.5"), agency=agency) == at(
        2027, 2, 11, 11, 30
    )


def test_a_dossier_finished_a_day_and_a_half_late() -> None:
    due = at(2026, 1, 12, 17)
    assert late_by_days(due=due, finished=at(2026, 1, 14, 12)) == Decimal("1.50")


def test_finishing_on_time_is_late_by_nothing() -> None:
    due = at(2026, 1, 12, 17)
    assert late_by_days(due=due, finished=at(2026, 1, 12, 9)) == Decimal("0.00")
    assert late_by_days(due=due, finished=at(2026, 1, 12, 19)) == Decimal("0.00")


def test_lateness_skips_the_tet_break() -> None:
    # Due Friday 13/02/2026 17:00, finished Monday 23/02 12:00: half a day late, not 10 days.
    assert late_by_days(due=at(2026, 2, 13, 17), finished=at(2026, 2, 23, 12)) == Decimal("0.50")


def test_lateness_across_years_far_apart() -> None:
    late = late_by_days(due=at(2026, 1, 5, 17), finished=at(2040, 1, 5, 17))
    assert late > Decimal(3000)


def test_due_moment_accepts_any_aware_start_and_answers_in_vietnam_time() -> None:
    utc_start = datetime(2026, 1, 9, 9, 0, tzinfo=UTC)  # Friday 16:00 in Hà Nội
    assert due_moment(start=utc_start, days=1).isoformat() == "2026-01-12T16:00:00+07:00"
