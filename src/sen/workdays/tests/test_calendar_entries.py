"""Administrators declare days off and worked weekend days; deadlines follow at once."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry, Role
from sen.tests.clock import vietnam_time as at
from sen.workdays import selectors
from sen.workdays.errors import (
    AlreadyDayOff,
    AlreadyWorkingDay,
    CalendarEntryExists,
    InvalidCalendarEntry,
)
from sen.workdays.models import CalendarEntry, EntryKind
from sen.workdays.selectors import REVISION_KEY, calendar_for
from sen.workdays.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
    due_moment,
    late_by_days,
)
from sen.workdays.tests.factories import (
    CalendarEntryFactory,
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    province_admin,
)

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[date, str, str, str]]:
    return list(
        CalendarEntry.objects.order_by("date").values_list("date", "kind", "name", "legal_basis")
    )


def test_declaring_a_day_off_moves_deadlines_and_is_audited() -> None:
    admin = province_admin("quantri")
    before = due_moment(start=at(2027, 3, 11, 17), days=1)  # Thursday → Friday 12/03
    assert before == at(2027, 3, 12, 17)

    entry = calendar_entry_create(
        date=date(2027, 3, 12),
        kind=EntryKind.DAY_OFF,
        name="  Nghỉ thêm theo quyết định của tỉnh  ",
        legal_basis="Quyết định 12/QĐ-UBND",
        actor=admin,
    )

    assert entry.name == "Nghỉ thêm theo quyết định của tỉnh"
    assert entry.created_by == admin
    assert due_moment(start=at(2027, 3, 11, 17), days=1) == at(2027, 3, 15, 17)
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.actor, audit.actor_label) == (
        "workdays.calendar_entry.created",
        admin,
        "quantri",
    )
    assert (audit.target_type, audit.target_key) == ("workdays.calendarentry", "2027-03-12")
    assert audit.data == {
        "date": "2027-03-12",
        "kind": "day_off",
        "name": "Nghỉ thêm theo quyết định của tỉnh",
        "legal_basis": "Quyết định 12/QĐ-UBND",
    }


def test_declaring_a_worked_saturday_counts_it_with_mondays_hours() -> None:
    calendar_entry_create(
        date=date(2027, 2, 20),
        kind=EntryKind.WORKING_DAY,
        name="Làm bù",
        actor=None,
    )
    assert due_moment(start=at(2027, 2, 19, 17), days=1) == at(2027, 2, 20, 17)
    assert AuditEntry.objects.get().actor_label == "system"


def test_a_holiday_can_be_declared_worked_when_the_government_decides_otherwise() -> None:
    # Thursday 04/02/2027 is "29 Tết" in the package; should offices work it after all:
    calendar_entry_create(
        date=date(2027, 2, 4), kind=EntryKind.WORKING_DAY, name="Làm việc", actor=None
    )
    assert calendar_for().is_working_day(date(2027, 2, 4)) is True


@pytest.mark.parametrize(
    ("day", "kind", "error", "message"),
    [
        (
            date(2027, 3, 10),  # a Wednesday
            EntryKind.WORKING_DAY,
            AlreadyWorkingDay,
            "Ngày 10/03/2027 đã là ngày làm việc; chỉ làm bù vào thứ Bảy, Chủ nhật hoặc ngày lễ.",
        ),
        (
            date(2027, 3, 13),  # a Saturday
            EntryKind.DAY_OFF,
            AlreadyDayOff,
            "Ngày 13/03/2027 là ngày nghỉ cuối tuần; không cần khai báo ngày nghỉ.",
        ),
        (
            date(2027, 9, 2),  # National Day, a Thursday
            EntryKind.DAY_OFF,
            AlreadyDayOff,
            "Ngày 02/09/2027 đã là ngày nghỉ lễ (Quốc khánh).",
        ),
        (
            date(2025, 2, 8),  # already seeded
            EntryKind.WORKING_DAY,
            CalendarEntryExists,
            "Ngày 08/02/2025 đã có điều chỉnh lịch; hãy sửa điều chỉnh đó.",
        ),
        (
            date(1999, 1, 2),
            EntryKind.WORKING_DAY,
            InvalidCalendarEntry,
            "Chỉ điều chỉnh lịch cho các năm 2000–2100.",
        ),
        (
            date(2027, 3, 13),
            "holiday",
            InvalidCalendarEntry,
            "Loại điều chỉnh “holiday” không hợp lệ; dùng day_off hoặc working_day.",
        ),
    ],
)
def test_entries_that_make_no_sense_are_refused_and_change_nothing(
    day: date, kind: str, error: type[Exception], message: str
) -> None:
    before = snapshot()
    with pytest.raises(error) as caught:
        calendar_entry_create(date=day, kind=kind, name="Điều chỉnh", actor=None)
    assert caught.value.message == message  # type: ignore[attr-defined]
    assert snapshot() == before
    assert not AuditEntry.objects.exists()


def test_an_entry_needs_a_name() -> None:
    with pytest.raises(InvalidCalendarEntry) as caught:
        calendar_entry_create(
            date=date(2027, 3, 13), kind=EntryKind.WORKING_DAY, name="   ", actor=None
        )
    assert caught.value.code == "invalid_calendar_entry"
    assert caught.value.message == "Cần ghi tên của ngày điều chỉnh."
    assert not CalendarEntry.objects.filter(date=date(2027, 3, 13)).exists()


@pytest.mark.parametrize(
    ("name", "legal_basis"), [("L" * 256, ""), ("Làm bù", "Thông báo " + "1" * 250)]
)
def test_names_and_legal_bases_longer_than_the_column_are_refused(
    name: str, legal_basis: str
) -> None:
    with pytest.raises(InvalidCalendarEntry) as caught:
        calendar_entry_create(
            date=date(2027, 3, 13),
            kind=EntryKind.WORKING_DAY,
            name=name,
            legal_basis=legal_basis,
            actor=None,
        )
    assert caught.value.message == "Tên và căn cứ dài tối đa 255 ký tự."
    assert not CalendarEntry.objects.filter(date=date(2027, 3, 13)).exists()


def test_moving_an_entry_to_another_saturday_is_audited_with_before_and_after() -> None:
    entry = CalendarEntryFactory(date=date(2027, 2, 20))
    admin = SuperuserFactory()

    calendar_entry_update(entry=entry, date=date(2027, 2, 27), legal_basis="", actor=admin)

    entry.refresh_from_db()
    assert (entry.date, entry.name, entry.legal_basis) == (
        date(2027, 2, 27),
        "Làm bù cho thứ Năm 04/02/2027",
        "",
    )
    audit = AuditEntry.objects.get()
    assert audit.action == "workdays.calendar_entry.updated"
    assert audit.target_key == "2027-02-27"
    assert audit.data["before"]["date"] == "2027-02-20"
    assert audit.data["before"]["legal_basis"] == "Thông báo của Chính phủ về lịch nghỉ lễ năm 2027"
    assert audit.data["after"]["date"] == "2027-02-27"
    assert due_moment(start=at(2027, 2, 19, 17), days=1) == at(2027, 2, 22, 17)
    assert due_moment(start=at(2027, 2, 26, 17), days=1) == at(2027, 2, 27, 17)


def test_an_update_that_breaks_a_rule_changes_nothing() -> None:
    entry = CalendarEntryFactory(date=date(2027, 2, 20))
    before = snapshot()
    with pytest.raises(AlreadyWorkingDay):
        calendar_entry_update(entry=entry, date=date(2027, 2, 22), actor=None)  # a Monday
    with pytest.raises(CalendarEntryExists):
        calendar_entry_update(entry=entry, date=date(2026, 8, 22), actor=None)
    with pytest.raises(AlreadyDayOff):
        calendar_entry_update(entry=entry, kind=EntryKind.DAY_OFF, actor=None)
    assert snapshot() == before
    assert not AuditEntry.objects.exists()


def test_an_entry_keeps_its_own_date_when_updated() -> None:
    entry = CalendarEntryFactory(date=date(2027, 2, 20))
    calendar_entry_update(entry=entry, name="Làm bù Tết Đinh Mùi", actor=None)
    entry.refresh_from_db()
    assert entry.name == "Làm bù Tết Đinh Mùi"


def test_deleting_an_entry_restores_the_weekend_and_is_audited() -> None:
    entry = CalendarEntry.objects.get(date=date(2025, 2, 8))
    assert due_moment(start=at(2025, 2, 7, 17), days=1) == at(2025, 2, 8, 17)
    admin = province_admin()

    calendar_entry_delete(entry=entry, actor=admin)

    assert not CalendarEntry.objects.filter(date=date(2025, 2, 8)).exists()
    assert due_moment(start=at(2025, 2, 7, 17), days=1) == at(2025, 2, 10, 17)
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.target_key, audit.data["kind"]) == (
        "workdays.calendar_entry.deleted",
        "2025-02-08",
        "working_day",
    )


def test_the_cached_calendar_is_rebuilt_when_the_revision_changes_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process's change reaches this one through the revision in Django's cache."""
    first = calendar_for()
    assert calendar_for() is first  # cached
    CalendarEntry.objects.create(
        date=date(2027, 3, 12), kind=EntryKind.DAY_OFF, name="Nghỉ thêm"
    )  # written by "another process": this one's cache does not know yet
    assert calendar_for() is first
    cache.set(REVISION_KEY, "changed-elsewhere")
    assert calendar_for() is first  # not checked again within the second
    later = selectors._clock() + selectors.REVISION_CHECK_SECONDS
    monkeypatch.setattr(selectors, "_clock", lambda: later)
    rebuilt = calendar_for()
    assert rebuilt is not first
    assert rebuilt.is_working_day(date(2027, 3, 12)) is False


def test_a_cached_calendar_expires_after_its_maximum_age(monkeypatch: pytest.MonkeyPatch) -> None:
    first = calendar_for()
    later = selectors._clock() + selectors.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(selectors, "_clock", lambda: later)
    assert calendar_for() is not first


def test_late_by_days_uses_the_entries_too() -> None:
    calendar_entry_create(date=date(2027, 3, 12), kind=EntryKind.DAY_OFF, name="Nghỉ", actor=None)
    assert late_by_days(due=at(2027, 3, 11, 17), finished=at(2027, 3, 15, 12)) == Decimal("0.50")


def officers_who_may_not_change_the_calendar() -> list[Any]:
    specialist = MembershipFactory(role=Role.SPECIALIST).user
    agency_admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    inactive_admin = province_admin("daroi")
    inactive_admin.is_active = False
    inactive_admin.save()
    return [UserFactory(username="nguoidan"), specialist, agency_admin, inactive_admin]


def test_only_provincial_administrators_change_the_calendar() -> None:
    entry = CalendarEntry.objects.get(date=date(2025, 2, 8))
    before = snapshot()
    for actor in officers_who_may_not_change_the_calendar():
        with pytest.raises(NotAllowed) as caught:
            calendar_entry_create(
                date=date(2027, 3, 12), kind=EntryKind.DAY_OFF, name="Nghỉ", actor=actor
            )
        assert caught.value.code == "permission_denied"
        assert caught.value.message == "Chỉ quản trị cấp tỉnh mới được điều chỉnh lịch làm việc."
        with pytest.raises(NotAllowed):
            calendar_entry_update(entry=entry, name="Đổi tên", actor=actor)
        with pytest.raises(NotAllowed):
            calendar_entry_delete(entry=entry, actor=actor)
    assert snapshot() == before
    assert not AuditEntry.objects.exists()
