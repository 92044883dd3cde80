"""Changes to the working-day calendar, and the deadline functions other apps call.

Other apps compute due moments with ``due_moment`` and lateness with ``late_by_days``; they
never build calendars themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.errors import NotAllowed
from sen.core.models import Agency, User
from sen.core.selectors import agency_is_managed_by, province_admin_unit_ids
from sen.core.services import audit_record, is_system_or_superuser
from sen.workdays.calendar import (
    DEFAULT_SCHEDULE,
    OutsideCoverageError,
    WeeklySchedule,
    WorkCalendar,
    to_local,
)
from sen.workdays.errors import (
    AlreadyDayOff,
    AlreadyWorkingDay,
    CalendarEntryExists,
    InvalidCalendarEntry,
)
from sen.workdays.models import CalendarEntry, EntryKind, OfficeHours
from sen.workdays.schedules import schedule_from_json
from sen.workdays.selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    YEARS_AHEAD,
    calendar_cache_clear,
    calendar_for,
    statutory_holidays,
)
from sen.workdays.signals import calendar_changed

_T = TypeVar("_T")

# ---------------------------------------------------------------------------------------
# Calendar entries
# ---------------------------------------------------------------------------------------


def _calendar_changed() -> None:
    # At once, so that this process (and a test) sees the change; and again after commit,
    # because another process may have rebuilt from the not-yet-committed rows meanwhile.
    calendar_cache_clear()
    transaction.on_commit(calendar_cache_clear)


# Dates mapped to the kind of their calendar entry (``None``: no entry).
EntryKinds = dict[date, str | None]


def _entries_changed(before: EntryKinds, after: EntryKinds, entry: CalendarEntry) -> None:
    """Refresh the calendars, and tell the apps which dates changed kind (``before``'s
    dates whose kind ``after`` differs), with the entry's name and legal basis."""
    _calendar_changed()
    changed = {day: before.get(day) for day in before | after if before.get(day) != after.get(day)}
    if not changed:
        return
    reason = entry.name if not entry.legal_basis else f"{entry.name} ({entry.legal_basis})"
    calendar_changed.send(sender=CalendarEntry, before=changed, at=timezone.now(), reason=reason)


def _entry_data(entry: CalendarEntry) -> dict[str, Any]:
    return {
        "date": entry.date.isoformat(),
        "kind": entry.kind,
        "name": entry.name,
        "legal_basis": entry.legal_basis,
    }


def calendar_entry_may_change(actor: User | None) -> bool:
    """Return whether ``actor`` may declare days off and worked days (provincial admins)."""
    return is_system_or_superuser(actor) or bool(province_admin_unit_ids(actor))


def _require_calendar_admin(actor: User | None) -> None:
    if not calendar_entry_may_change(actor):
        raise NotAllowed(_("Chỉ quản trị cấp tỉnh mới được điều chỉnh lịch làm việc."))


def _require_agency_manager(actor: User | None, agency: Agency) -> None:
    if actor is not None and not agency_is_managed_by(actor, agency):
        raise NotAllowed(_("Bạn không quản lý cơ quan này."))


def calendar_entry_check(
    *,
    date: date,
    kind: str,
    name: str,
    legal_basis: str = "",
    exclude: CalendarEntry | None = None,
) -> None:
    """Raise the domain error that a calendar entry with these values would meet, if any.

    A ``working_day`` must fall on a date offices would otherwise be closed (a weekend or a
    statutory holiday); a ``day_off`` on a date they would otherwise work (a weekday that is
    no statutory holiday). One entry per date.
    """
    if kind not in EntryKind.values:
        raise InvalidCalendarEntry(
            _("Loại điều chỉnh “%(kind)s” không hợp lệ; dùng day_off hoặc working_day.")
            % {"kind": kind}
        )
    if not name.strip():
        raise InvalidCalendarEntry(_("Cần ghi tên của ngày điều chỉnh."))
    if len(name) > 255 or len(legal_basis) > 255:
        raise InvalidCalendarEntry(_("Tên và căn cứ dài tối đa 255 ký tự."))
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise InvalidCalendarEntry(
            _("Chỉ điều chỉnh lịch cho các năm %(first)s–%(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    taken = CalendarEntry.objects.filter(date=date)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise CalendarEntryExists(
            _("Ngày %(date)s đã có điều chỉnh lịch; hãy sửa điều chỉnh đó.")
            % {"date": f"{date:%d/%m/%Y}"}
        )
    holiday = statutory_holidays(date.year, date.year).get(date)
    weekend = not DEFAULT_SCHEDULE.intervals(date.weekday())
    if kind == EntryKind.WORKING_DAY and not weekend and holiday is None:
        raise AlreadyWorkingDay(
            _("Ngày %(date)s đã là ngày làm việc; chỉ làm bù vào thứ Bảy, Chủ nhật hoặc ngày lễ.")
            % {"date": f"{date:%d/%m/%Y}"}
        )
    if kind == EntryKind.DAY_OFF and weekend:
        raise AlreadyDayOff(
            _("Ngày %(date)s là ngày nghỉ cuối tuần; không cần khai báo ngày nghỉ.")
            % {"date": f"{date:%d/%m/%Y}"}
        )
    if kind == EntryKind.DAY_OFF and holiday is not None:
        raise AlreadyDayOff(
            _("Ngày %(date)s đã là ngày nghỉ lễ (%(holiday)s).")
            % {"date": f"{date:%d/%m/%Y}", "holiday": holiday}
        )


def _save_entry(entry: CalendarEntry) -> None:
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Another administrator took the date between the check and the insert.
        raise CalendarEntryExists(
            _("Ngày %(date)s đã có điều chỉnh lịch; hãy sửa điều chỉnh đó.")
            % {"date": f"{entry.date:%d/%m/%Y}"}
        ) from None


@transaction.atomic
def calendar_entry_create(
    *,
    date: date,
    kind: str,
    name: str,
    legal_basis: str = "",
    actor: User | None,
) -> CalendarEntry:
    """Declare a day off or a worked weekend day, decided by the government.

    Allowed to provincial administrators and superusers (and the system, ``actor=None``).
    """
    _require_calendar_admin(actor)
    name, legal_basis = name.strip(), legal_basis.strip()
    calendar_entry_check(date=date, kind=kind, name=name, legal_basis=legal_basis)
    entry = CalendarEntry(
        date=date, kind=kind, name=name, legal_basis=legal_basis, created_by=actor
    )
    _save_entry(entry)
    audit_record(
        actor=actor, action="workdays.calendar_entry.created", target=entry, data=_entry_data(entry)
    )
    _entries_changed({entry.date: None}, {entry.date: entry.kind}, entry)
    return entry


@transaction.atomic
def calendar_entry_update(
    *,
    entry: CalendarEntry,
    date: date | None = None,
    kind: str | None = None,
    name: str | None = None,
    legal_basis: str | None = None,
    actor: User | None,
) -> CalendarEntry:
    """Change a calendar entry; arguments left ``None`` keep their value."""
    _require_calendar_admin(actor)
    stored = CalendarEntry.objects.select_for_update().get(pk=entry.pk)
    before = _entry_data(stored)
    new_date = entry.date if date is None else date
    new_kind = entry.kind if kind is None else kind
    new_name = entry.name if name is None else name.strip()
    new_basis = entry.legal_basis if legal_basis is None else legal_basis.strip()
    calendar_entry_check(
        date=new_date, kind=new_kind, name=new_name, legal_basis=new_basis, exclude=entry
    )
    entry.date, entry.kind, entry.name, entry.legal_basis = new_date, new_kind, new_name, new_basis
    _save_entry(entry)
    audit_record(
        actor=actor,
        action="workdays.calendar_entry.updated",
        target=entry,
        data={"before": before, "after": _entry_data(entry)},
    )
    kinds_before: EntryKinds = {entry.date: None, stored.date: stored.kind}
    kinds_after: EntryKinds = {stored.date: None, entry.date: entry.kind}
    _entries_changed(kinds_before, kinds_after, entry)
    return entry


@transaction.atomic
def calendar_entry_delete(*, entry: CalendarEntry, actor: User | None) -> None:
    """Remove a calendar entry: the date follows the weekly schedule and holidays again."""
    _require_calendar_admin(actor)
    data = _entry_data(entry)
    audit_record(actor=actor, action="workdays.calendar_entry.deleted", target=entry, data=data)
    entry.delete()
    _entries_changed({entry.date: entry.kind}, {entry.date: None}, entry)


# ---------------------------------------------------------------------------------------
# Office hours
# ---------------------------------------------------------------------------------------


@transaction.atomic
def office_hours_set(
    *,
    agency: Agency,
    schedule: dict[str, Any] | WeeklySchedule,
    actor: User | None,
) -> OfficeHours:
    """Give an agency its own weekly office hours (JSON form or a ``WeeklySchedule``).

    Allowed to those who manage the agency (its administrators, the province's, superusers).
    """
    _require_agency_manager(actor, agency)
    stored = schedule.to_json() if isinstance(schedule, WeeklySchedule) else schedule
    # Normalised through the schedule, so that equal hours are stored alike.
    stored = schedule_from_json(stored).to_json()
    row = OfficeHours.objects.select_for_update().filter(agency=agency).first()
    before = row.schedule if row is not None else None
    if row is None:
        row = OfficeHours(agency=agency)
    row.schedule = stored
    row.updated_at = timezone.now()
    row.updated_by = actor
    row.save()
    audit_record(
        actor=actor,
        action="workdays.office_hours.set",
        target=row,
        data={"before": before, "after": stored},
    )
    _calendar_changed()
    return row


@transaction.atomic
def office_hours_clear(*, agency: Agency, actor: User | None) -> bool:
    """Return the agency to the common office hours; say whether it had its own."""
    _require_agency_manager(actor, agency)
    row = OfficeHours.objects.select_for_update().filter(agency=agency).first()
    if row is None:
        return False
    audit_record(
        actor=actor,
        action="workdays.office_hours.cleared",
        target=row,
        data={"before": row.schedule},
    )
    row.delete()
    _calendar_changed()
    return True


# ---------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------


def _on_calendar(
    agency: Agency | None, first: int, last: int, compute: Callable[[WorkCalendar], _T]
) -> _T:
    """Return ``compute`` on the common calendar, or on one covering ``first`` onwards."""
    try:
        return compute(calendar_for(agency=agency))
    except OutsideCoverageError:
        pass
    # Dates far from today, or a time so long it leaves the common calendar: build one
    # from ``first`` through at least ``last``, wider and wider until the result fits.
    span = max(YEARS_AHEAD, last - first)
    while True:
        calendar = calendar_for(agency=agency, years=range(first, first + span + 1))
        try:
            return compute(calendar)
        except OutsideCoverageError:
            span *= 2
            if first + span > 9999:
                raise


def due_moment(*, start: datetime, days: Decimal | int, agency: Agency | None = None) -> datetime:
    """Return the moment ``days`` working days after ``start`` (aware, Asia/Ho_Chi_Minh).

    ``start`` must be aware. A start outside office hours counts from the next opening; the
    result may be a closing instant ("by 17:00"). ``days`` may be fractional (0.5).
    """
    year = to_local(start).year
    return _on_calendar(agency, year, year, lambda c: c.add_working_days(start, days))


def due_moment_in_hours(
    *, start: datetime, hours: Decimal | int, agency: Agency | None = None
) -> datetime:
    """Return the moment ``hours`` working hours after ``start``, as ``due_moment`` counts.

    Hours are hours of the office's working time, whatever the length of its day: four
    working hours from 07:30 at an office open 07:30–11:30 are 11:30.
    """
    year = to_local(start).year
    duration = timedelta(seconds=int(Decimal(hours) * 3600))
    return _on_calendar(agency, year, year, lambda c: c.add_working_time(start, duration))


def is_working_day(*, day: date, agency: Agency | None = None) -> bool:
    """Return whether the agency's office is open at some time on ``day`` (its own office
    hours when it has some: a Saturday morning counts)."""
    return _on_calendar(agency, day.year, day.year, lambda c: c.is_working_day(day))


def is_office_moment(*, moment: datetime, agency: Agency | None = None) -> bool:
    """Return whether ``moment`` is within the agency's office hours on a working day, the
    closing instant included: an appointment the applicant can keep."""
    year = to_local(moment).year
    return _on_calendar(agency, year, year, lambda c: c.is_office_moment(moment))


def late_by_days(*, due: datetime, finished: datetime, agency: Agency | None = None) -> Decimal:
    """Return how many working days ``finished`` is past ``due`` (0.00 when on time).

    Counted to 0.01 day. Whether a dossier is late at all is ``finished > due``: finishing
    at 19:00 on the due day is late by 0.00 working days.
    """
    first, last = sorted((to_local(due).year, to_local(finished).year))
    late = _on_calendar(agency, first, last, lambda c: c.working_days_between(due, finished))
    return max(late, Decimal("0.00"))
