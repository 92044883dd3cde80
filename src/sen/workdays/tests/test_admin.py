"""The admin pages change the calendar through the services, so every change is audited."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from sen.core.models import AuditEntry, Role
from sen.workdays.models import CalendarEntry, OfficeHours
from sen.workdays.tests.factories import (
    AgencyFactory,
    CalendarEntryFactory,
    MembershipFactory,
    OfficeHoursFactory,
    SuperuserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENTRIES = "/admin/workdays/calendarentry/"
HOURS = "/admin/workdays/officehours/"


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(SuperuserFactory(username="quantri"))
    return client


def test_the_admin_lists_the_seeded_worked_saturdays(admin_client: Client) -> None:
    response = admin_client.get(ENTRIES)
    assert response.status_code == 200
    assert "Làm bù cho thứ Hai 27/01/2025 (nghỉ Tết Nguyên đán Ất Tỵ)" in response.text


def test_adding_a_worked_saturday_in_the_admin_is_audited(admin_client: Client) -> None:
    response = admin_client.post(
        ENTRIES + "add/",
        {
            "date": "2027-02-20",
            "kind": "working_day",
            "name": "Làm bù cho thứ Năm 04/02/2027",
            "legal_basis": "",
        },
    )
    assert response.status_code == 302, response.text
    entry = CalendarEntry.objects.get(date=date(2027, 2, 20))
    assert entry.created_by is not None and entry.created_by.username == "quantri"
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.actor_label, audit.target_key) == (
        "workdays.calendar_entry.created",
        "quantri",
        "2027-02-20",
    )


def test_a_working_day_on_a_weekday_is_refused_in_the_admin_form(admin_client: Client) -> None:
    count = CalendarEntry.objects.count()
    response = admin_client.post(
        ENTRIES + "add/",
        {"date": "2027-03-10", "kind": "working_day", "name": "Làm bù", "legal_basis": ""},
    )
    assert response.status_code == 200
    assert (
        "Ngày 10/03/2027 đã là ngày làm việc; chỉ làm bù vào thứ Bảy, Chủ nhật hoặc ngày lễ."
        in response.text
    )
    assert CalendarEntry.objects.count() == count
    assert not AuditEntry.objects.exists()


def test_changing_and_deleting_in_the_admin_are_audited(admin_client: Client) -> None:
    entry = CalendarEntryFactory(date=date(2027, 2, 20))
    response = admin_client.post(
        f"{ENTRIES}{entry.pk}/change/",
        {"date": "2027-02-27", "kind": "working_day", "name": "Làm bù", "legal_basis": "TB 1"},
    )
    assert response.status_code == 302, response.text
    entry.refresh_from_db()
    assert (entry.date, entry.name, entry.legal_basis) == (date(2027, 2, 27), "Làm bù", "TB 1")

    response = admin_client.post(f"{ENTRIES}{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarEntry.objects.filter(pk=entry.pk).exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "workdays.calendar_entry.updated",
        "workdays.calendar_entry.deleted",
    ]


def test_bulk_deleting_in_the_admin_goes_through_the_service(admin_client: Client) -> None:
    CalendarEntryFactory(date=date(2027, 2, 20))
    ids = list(CalendarEntry.objects.filter(date__year=2027).values_list("pk", flat=True))
    response = admin_client.post(
        ENTRIES, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarEntry.objects.filter(date__year=2027).exists()
    assert AuditEntry.objects.filter(action="workdays.calendar_entry.deleted").count() == 1


def test_a_staff_member_who_is_not_a_provincial_admin_may_only_look(client: Client) -> None:
    staff = UserFactory(username="canbo", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="workdays"))
    client.force_login(staff)
    assert client.get(ENTRIES).status_code == 200
    response = client.post(
        ENTRIES + "add/",
        {"date": "2027-02-20", "kind": "working_day", "name": "Làm bù", "legal_basis": ""},
    )
    assert response.status_code == 403
    assert not CalendarEntry.objects.filter(date=date(2027, 2, 20)).exists()


def test_setting_office_hours_in_the_admin_is_audited(admin_client: Client) -> None:
    agency = AgencyFactory(code="000.00.01.H37")
    response = admin_client.post(
        HOURS + "add/",
        {"agency": agency.pk, "schedule": '{"mon": [["07:30", "11:30"]]}'},
    )
    assert response.status_code == 302, response.text
    assert OfficeHours.objects.get().schedule == {"mon": [["07:30", "11:30"]]}
    assert AuditEntry.objects.get().action == "workdays.office_hours.set"


def test_malformed_office_hours_are_refused_in_the_admin_form(admin_client: Client) -> None:
    agency = AgencyFactory()
    response = admin_client.post(
        HOURS + "add/", {"agency": agency.pk, "schedule": '{"mon": [["17:00", "08:00"]]}'}
    )
    assert response.status_code == 200
    assert "Khoảng giờ thứ Hai phải bắt đầu trước khi kết thúc: 17:00–08:00." in response.text
    assert not OfficeHours.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_agency_admin_sees_and_clears_only_their_agencys_hours(client: Client) -> None:
    own = OfficeHoursFactory()
    other = OfficeHoursFactory()
    admin = MembershipFactory(agency=own.agency, role=Role.AGENCY_ADMIN).user
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="workdays"))
    client.force_login(admin)

    listing = client.get(HOURS)
    assert listing.status_code == 200
    assert str(own.agency) in listing.text
    assert str(other.agency) not in listing.text
    # Not among the agencies they manage: the admin answers as if it did not exist.
    assert client.post(f"{HOURS}{other.pk}/delete/", {"post": "yes"}).status_code == 302
    assert OfficeHours.objects.filter(pk=other.pk).exists()

    assert client.post(f"{HOURS}{own.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not OfficeHours.objects.filter(pk=own.pk).exists()
    assert AuditEntry.objects.get().action == "workdays.office_hours.cleared"
