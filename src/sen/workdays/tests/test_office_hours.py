"""Agencies with their own office hours: stored as JSON, checked, audited, used at once."""

from datetime import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry, Role
from sen.core.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from sen.tests.clock import vietnam_time as at
from sen.workdays.calendar import WeeklySchedule
from sen.workdays.errors import InvalidSchedule
from sen.workdays.models import OfficeHours
from sen.workdays.schedules import schedule_errors, schedule_from_json
from sen.workdays.services import (
    due_moment,
    due_moment_in_hours,
    office_hours_clear,
    office_hours_set,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SATURDAY_MORNINGS = {day: [["07:30", "11:30"], ["13:30", "17:00"]] for day in WEEKDAYS} | {
    "sat": [["07:30", "11:30"]]
}


def test_stored_office_hours_become_a_weekly_schedule() -> None:
    schedule = schedule_from_json(SATURDAY_MORNINGS)
    assert schedule.intervals(0) == ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))
    assert schedule.intervals(5) == ((time(7, 30), time(11, 30)),)
    assert schedule.intervals(6) == ()
    assert schedule.to_json() == SATURDAY_MORNINGS


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            [["08:00", "12:00"]],
            [
                {
                    "field": "schedule",
                    "message": "Giờ làm việc phải là một đối tượng theo thứ trong tuần "
                    "(mon … sun).",
                }
            ],
        ),
        (
            {"mon": [["08:00", "12:00"]], "monday": []},
            [
                {
                    "field": "schedule.monday",
                    "message": "“monday” không phải là thứ trong tuần; dùng mon, tue, wed, thu, "
                    "fri, sat, sun.",
                }
            ],
        ),
        (
            {"mon": "08:00-12:00"},
            [{"field": "schedule.mon", "message": "Giờ làm việc thứ Hai phải là danh sách."}],
        ),
        (
            {"mon": [["8h", "12:00"]]},
            [
                {
                    "field": "schedule.mon[0]",
                    "message": "Khoảng giờ thứ Hai phải có dạng [“HH:MM”, “HH:MM”] trong ngày "
                    "(00:00–23:59).",
                }
            ],
        ),
        (
            {"mon": [["08:00", "24:00"]]},
            [
                {
                    "field": "schedule.mon[0]",
                    "message": "Khoảng giờ thứ Hai phải có dạng [“HH:MM”, “HH:MM”] trong ngày "
                    "(00:00–23:59).",
                }
            ],
        ),
        (
            {"mon": [["08:00", "12:00", "13:00"]]},
            [
                {
                    "field": "schedule.mon[0]",
                    "message": "Khoảng giờ thứ Hai phải có dạng [“HH:MM”, “HH:MM”] trong ngày "
                    "(00:00–23:59).",
                }
            ],
        ),
        (
            {"mon": [["08:00", "12:00"]], "tue": [["12:00", "08:00"]]},
            [
                {
                    "field": "schedule.tue[0]",
                    "message": "Khoảng giờ thứ Ba phải bắt đầu trước khi kết thúc: 12:00–08:00.",
                }
            ],
        ),
        (
            {"mon": [["08:00", "12:00"], ["11:00", "17:00"]]},
            [
                {
                    "field": "schedule.mon[1]",
                    "message": "Các khoảng giờ thứ Hai phải theo thứ tự và không chồng lấn: "
                    "11:00 bắt đầu trước 12:00.",
                }
            ],
        ),
        (
            {"tue": [["08:00", "12:00"]]},
            [
                {
                    "field": "schedule.mon",
                    "message": "Thứ Hai phải có giờ làm việc: đó là ngày làm việc chuẩn để tính "
                    "thời hạn.",
                }
            ],
        ),
    ],
)
def test_malformed_office_hours_are_explained(data: Any, errors: list[dict[str, str]]) -> None:
    assert schedule_errors(data) == errors
    with pytest.raises(InvalidSchedule) as caught:
        schedule_from_json(data)
    assert caught.value.code == "invalid_schedule"
    assert caught.value.details == errors


def test_touching_intervals_and_seconds_are_accepted() -> None:
    schedule = schedule_from_json({"mon": [["08:00", "12:00"], ["12:00", "12:30:30"]]})
    assert schedule.intervals(0) == ((time(8), time(12)), (time(12), time(12, 30, 30)))


@pytest.mark.django_db
def test_an_agency_gets_saturday_office_hours_and_its_deadlines_use_them() -> None:
    agency = AgencyFactory(code="000.00.01.H37")
    admin = MembershipFactory(
        user=UserFactory(username="quantri"), agency=agency, role=Role.AGENCY_ADMIN
    ).user
    friday_evening = at(2026, 1, 9, 17)
    assert due_moment(start=friday_evening, days=Decimal("0.5"), agency=agency) == at(
        2026, 1, 12, 12
    )

    row = office_hours_set(agency=agency, schedule=SATURDAY_MORNINGS, actor=admin)

    assert row.schedule == SATURDAY_MORNINGS
    assert row.updated_by == admin
    # Monday's 7.5 hours are the standard day: half a day is 3 h 45 on Saturday morning.
    assert due_moment(start=friday_evening, days=Decimal("0.5"), agency=agency) == at(
        2026, 1, 10, 11, 15
    )
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.target_type, audit.target_key) == (
        "workdays.office_hours.set",
        "workdays.officehours",
        "000.00.01.H37",
    )
    assert audit.data == {"before": None, "after": SATURDAY_MORNINGS}


@pytest.mark.django_db
def test_working_hours_are_hours_of_the_agencys_own_day() -> None:
    # Given an office open 07:30-11:30 and 13:30-17:00, a day of 7.5 working hours,
    agency = AgencyFactory()
    office_hours_set(agency=agency, schedule=SATURDAY_MORNINGS, actor=None)
    monday = at(2026, 1, 12, 7, 30)

    # four working hours from its opening end at 11:30, not at 11:15 (half a day of 7.5 h),
    assert due_moment_in_hours(start=monday, hours=4, agency=agency) == at(2026, 1, 12, 11, 30)
    # and eight run past its closing into the next morning;
    assert due_moment_in_hours(start=monday, hours=8, agency=agency) == at(2026, 1, 13, 8)
    # on the common hours, two and a quarter hours from 09:00 are 11:15.
    assert due_moment_in_hours(start=at(2026, 1, 12, 9), hours=Decimal("2.25")) == at(
        2026, 1, 12, 11, 15
    )


@pytest.mark.django_db
def test_changing_office_hours_records_the_old_ones() -> None:
    agency = AgencyFactory()
    office_hours_set(agency=agency, schedule=SATURDAY_MORNINGS, actor=None)
    office_hours_set(agency=agency, schedule=WeeklySchedule.default(), actor=None)
    assert OfficeHours.objects.get().schedule == WeeklySchedule.default().to_json()
    last = AuditEntry.objects.order_by("id").last()
    assert last is not None
    assert last.data["before"] == SATURDAY_MORNINGS


@pytest.mark.django_db
def test_malformed_office_hours_are_refused_and_change_nothing() -> None:
    agency = AgencyFactory()
    office_hours_set(agency=agency, schedule=SATURDAY_MORNINGS, actor=None)
    with pytest.raises(InvalidSchedule):
        office_hours_set(agency=agency, schedule={"mon": [["17:00", "08:00"]]}, actor=None)
    assert OfficeHours.objects.get().schedule == SATURDAY_MORNINGS
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_clearing_office_hours_returns_the_agency_to_the_common_ones() -> None:
    agency = AgencyFactory()
    office_hours_set(agency=agency, schedule=SATURDAY_MORNINGS, actor=None)

    assert office_hours_clear(agency=agency, actor=None) is True

    assert not OfficeHours.objects.exists()
    assert due_moment(start=at(2026, 1, 9, 17), days=Decimal("0.5"), agency=agency) == at(
        2026, 1, 12, 12
    )
    assert AuditEntry.objects.order_by("id").last().action == "workdays.office_hours.cleared"  # type: ignore[union-attr]
    assert office_hours_clear(agency=agency, actor=None) is False
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_the_model_refuses_malformed_office_hours_in_forms() -> None:
    row = OfficeHours(agency=AgencyFactory(), schedule={"mon": []})
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert caught.value.message_dict == {
        "schedule": ["Thứ Hai phải có giờ làm việc: đó là ngày làm việc chuẩn để tính thời hạn."]
    }


@pytest.mark.django_db
def test_only_those_who_manage_the_agency_set_its_office_hours() -> None:
    agency = AgencyFactory()
    office_hours_set(agency=agency, schedule=SATURDAY_MORNINGS, actor=None)
    other_agencys_admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    own_specialist = MembershipFactory(agency=agency, role=Role.SPECIALIST).user
    for actor in (other_agencys_admin, own_specialist):
        with pytest.raises(NotAllowed) as caught:
            office_hours_set(agency=agency, schedule=WeeklySchedule.default(), actor=actor)
        assert caught.value.message == "Bạn không quản lý cơ quan này."
        with pytest.raises(NotAllowed):
            office_hours_clear(agency=agency, actor=actor)
    assert OfficeHours.objects.get().schedule == SATURDAY_MORNINGS
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_office_hours_stored_around_the_services_do_not_break_deadlines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = OfficeHours.objects.create(agency=AgencyFactory(), schedule={"mon": "cả ngày"})
    assert due_moment(start=at(2026, 1, 9, 17), days=Decimal("0.5"), agency=broken.agency) == at(
        2026, 1, 12, 12
    )
    assert f"Office hours of agency {broken.agency_id} are invalid" in caplog.text
