"""A day declared off after deadlines were set moves them (``services.rescheduling``).

The dossier of this package: received on Friday 20/11/2026 at 09:00, at the justice
department's specialist from 10:00, the step due on Monday 23/11 at 10:00 and the dossier
on Monday at 14:00. Tuesday 24/11 is already a day off (Ngày Văn hóa Việt Nam). The
province then declares Monday 23/11 a day off, as it does when it swaps a day.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from sen.core.models import AuditEntry
from sen.dossiers.citizen import shown_events
from sen.dossiers.models import ClockStop, Dossier, DossierEvent, StepRecord
from sen.dossiers.services import (
    dossier_apologize,
    dossier_receive,
    dossier_request_supplement,
    dossier_submit_supplement,
)
from sen.dossiers.services.rescheduling import dossiers_follow_calendar
from sen.dossiers.states import is_late
from sen.dossiers.tests.factories import JPEG, upload
from sen.dossiers.tests.inter_agency.conftest import MISSING, as_user
from sen.portal.dossier_page import history
from sen.tests.clock import at
from sen.workdays.models import CalendarEntry
from sen.workdays.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
)

MONDAY = date(2026, 11, 23)
NAME = "Nghỉ hoán đổi thứ Hai 23/11/2026"
BASIS = "Thông báo 01/TB-UBND"


@pytest.fixture
def change(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Return a function making a calendar change through its service, committed: the task
    that moves the deadlines is enqueued on commit (the tests' queue is not the database)."""

    def change(service: Callable[..., Any], **arguments: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return service(**arguments, actor=None)

    return change


@pytest.fixture
def declare_day_off(change: Callable[..., Any]) -> Callable[..., CalendarEntry]:
    def declare(day: date = MONDAY) -> CalendarEntry:
        return change(calendar_entry_create, date=day, kind="day_off", name=NAME, legal_basis=BASIS)

    return declare


# How the email opens when the appointment moves later, and when it comes back earlier.
LATER = (
    "Ngày hẹn trả kết quả hồ sơ {code} được lùi lại vì lịch làm việc thay đổi: thời hạn "
    "giải quyết chỉ tính ngày làm việc, mà một ngày trong thời hạn đó nay là ngày nghỉ."
)
EARLIER = (
    "Ngày hẹn trả kết quả hồ sơ {code} được đưa về sớm hơn vì lịch làm việc thay đổi: thời "
    "hạn giải quyết được tính lại theo ngày làm việc, nhưng không sớm hơn ngày đã hẹn ban đầu."
)


def deadlines(dossier: Dossier) -> tuple[Any, ...]:
    dossier.refresh_from_db()
    return dossier.due_at, dossier.original_due_at, dossier.step_due_at


def html_text(message: Any) -> str:
    [(content, _kind)] = message.alternatives
    return str(content)


def reschedules(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier, action="reschedule"))


def test_a_day_declared_off_moves_every_deadline_it_falls_within(
    at_specialist, clock, mailoutbox, declare_day_off
):
    clock(at(20, 11))
    declare_day_off()

    # Monday is off and Tuesday was already: what was due on Monday is due on Wednesday, at
    # the same hour (the working time left on Friday at 11:00 is counted again).
    assert deadlines(at_specialist) == (at(25, 14), at(25, 14), at(25, 10))
    record = StepRecord.objects.get(dossier=at_specialist, finished_at__isnull=True)
    assert record.due_at == at(25, 10)
    [event] = reschedules(at_specialist)
    assert (event.sequence, event.from_status, event.to_status, event.actor_label) == (
        4,
        "processing",
        "processing",
        "system",
    )
    assert event.due_at == at(25, 14)
    assert event.data["reason"] == f"{NAME} ({BASIS})"
    assert event.data["previous_due_at"] == at(23, 14).isoformat()
    assert event.data["previous_step_due_at"] == at(23, 10).isoformat()
    assert AuditEntry.objects.filter(action="dossiers.dossier.rescheduled").count() == 1
    # Late is judged by the new legal deadline: finishing on Wednesday morning is on time.
    at_specialist.refresh_from_db()
    assert is_late(at_specialist, at(25, 11)) is False

    # The applicant is told the new appointment and why.
    message = mailoutbox[-1]
    assert message.subject == (
        f"[Sen] Hồ sơ {at_specialist.code}: dời ngày hẹn trả kết quả theo lịch làm việc"
    )
    assert LATER.format(code=at_specialist.code) in message.body
    assert (
        f"Thay đổi lịch làm việc: Ngày 23/11/2026 được công bố là ngày nghỉ (“{NAME} ({BASIS})”)."
    ) in message.body
    assert "Ngày hẹn trước: 14:00 23/11/2026" in message.body
    assert "Ngày hẹn trả mới: 14:00 25/11/2026" in message.body


def test_a_day_off_after_the_deadlines_moves_nothing(
    at_specialist, clock, mailoutbox, declare_day_off
):
    clock(at(20, 11))
    sent = len(mailoutbox)
    declare_day_off(date(2026, 11, 26))

    assert deadlines(at_specialist) == (at(23, 14), at(23, 14), at(23, 10))
    assert reschedules(at_specialist) == []
    assert len(mailoutbox) == sent


def test_a_day_worked_instead_moves_no_deadline_earlier(at_specialist, clock, change):
    clock(at(20, 11))
    # Saturday 21/11 worked: counted, what is due on Monday would be due on Saturday.
    change(calendar_entry_create, date=date(2026, 11, 21), kind="working_day", name="Làm bù")

    assert deadlines(at_specialist) == (at(23, 14), at(23, 14), at(23, 10))
    assert reschedules(at_specialist) == []


def test_taking_the_day_off_back_brings_the_deadlines_back_to_their_promise(
    at_specialist, clock, declare_day_off, change
):
    clock(at(20, 11))
    entry = declare_day_off()
    clock(at(20, 12))
    change(calendar_entry_delete, entry=entry)

    assert deadlines(at_specialist) == (at(23, 14), at(23, 14), at(23, 10))
    assert len(reschedules(at_specialist)) == 2

    # Declared again (its name mistyped the first time): one day off, moved once.
    declare_day_off()
    assert deadlines(at_specialist) == (at(25, 14), at(25, 14), at(25, 10))


def test_a_day_off_moved_to_another_date_moves_the_deadlines_with_it(
    at_specialist, clock, declare_day_off, change
):
    clock(at(20, 11))
    entry = declare_day_off()
    # The wrong day: the day off is Thursday 26/11. Monday's deadlines come back, and those
    # Thursday falls within stay later than their promise: none is on a closed day.
    change(calendar_entry_update, entry=entry, date=date(2026, 11, 26))

    assert deadlines(at_specialist) == (at(23, 14), at(23, 14), at(23, 10))


def test_the_email_of_a_day_off_cancelled_says_it_was_cancelled_and_the_date_comes_back(
    at_specialist, clock, declare_day_off, change, mailoutbox
):
    clock(at(20, 11))
    entry = declare_day_off()
    clock(at(20, 12))
    change(calendar_entry_delete, entry=entry)

    message = mailoutbox[-1]
    body = message.body
    # Not "the new day off is not counted": the day off is gone, and the appointment is
    # back to the one on the slip, never before it.
    assert EARLIER.format(code=at_specialist.code) in body
    assert (
        f"Thay đổi lịch làm việc: Ngày nghỉ “{NAME} ({BASIS})” ngày 23/11/2026 đã được hủy: "
        "ngày này lại là ngày làm việc."
    ) in body
    assert "Ngày hẹn trước: 14:00 25/11/2026" in body
    assert "Ngày hẹn trả mới: 14:00 23/11/2026" in body
    assert "ngày nghỉ mới" not in body and "nay là ngày nghỉ" not in body
    assert EARLIER.format(code=at_specialist.code) in html_text(message)
    # The history says the same under "Dời hạn theo lịch làm việc", to the officers and on
    # the applicant's page
    last = reschedules(at_specialist)[-1]
    assert last.happened == "Dời hạn theo lịch làm việc"
    assert last.stated_reason == (
        f"Ngày nghỉ “{NAME} ({BASIS})” ngày 23/11/2026 đã được hủy: ngày này lại là ngày làm việc."
    )
    lines = history(Dossier.objects.get(pk=at_specialist.pk))
    assert lines[-1].reason == last.stated_reason


def test_the_email_of_a_day_off_moved_names_both_dates(
    at_specialist, clock, declare_day_off, change, mailoutbox
):
    clock(at(20, 11))
    entry = declare_day_off()
    change(calendar_entry_update, entry=entry, date=date(2026, 11, 26))

    body = mailoutbox[-1].body
    assert EARLIER.format(code=at_specialist.code) in body
    assert (
        f"Thay đổi lịch làm việc: Ngày nghỉ “{NAME} ({BASIS})” được chuyển từ ngày 23/11/2026 "
        "sang ngày 26/11/2026."
    ) in body


def test_the_email_of_a_day_declared_worked_says_so(
    at_specialist, clock, declare_day_off, change, mailoutbox
):
    clock(at(20, 11))
    declare_day_off()
    change(calendar_entry_create, date=date(2026, 11, 21), kind="working_day", name="Làm bù")

    body = mailoutbox[-1].body
    assert EARLIER.format(code=at_specialist.code) in body
    assert (
        "Thay đổi lịch làm việc: Ngày 21/11/2026 được công bố là ngày làm việc (“Làm bù”)."
    ) in body
    assert "Ngày hẹn trả mới: 08:00 25/11/2026" in body


def test_the_email_of_a_day_worked_cancelled_says_so_and_the_date_moves_later(
    at_specialist, clock, change, mailoutbox
):
    # Saturday 21/11 declared worked after Monday off brought the appointment to
    # Wednesday's opening; taken back, that Saturday no longer counts and it moves later.
    clock(at(20, 11))
    change(calendar_entry_create, date=MONDAY, kind="day_off", name=NAME)
    worked = change(
        calendar_entry_create, date=date(2026, 11, 21), kind="working_day", name="Làm bù"
    )
    change(calendar_entry_delete, entry=worked)

    body = mailoutbox[-1].body
    assert LATER.format(code=at_specialist.code) in body
    assert (
        "Thay đổi lịch làm việc: Ngày làm việc bù “Làm bù” ngày 21/11/2026 đã được hủy: "
        "ngày này lại là ngày nghỉ."
    ) in body
    assert "Ngày hẹn trước: 08:00 25/11/2026" in body


def test_the_english_history_says_what_the_calendar_change_did(
    at_specialist, clock, declare_day_off, change
):
    clock(at(20, 11))
    entry = declare_day_off()
    change(calendar_entry_delete, entry=entry)

    with translation.override("en"):
        assert reschedules(at_specialist)[-1].stated_reason == (
            f"The day off “{NAME} ({BASIS})” on 23/11/2026 was cancelled: it is a working day "
            "again."
        )


def test_on_english_pages_a_calendar_moves_reason_is_not_marked_vietnamese(
    at_specialist, clock, declare_day_off, people
):
    clock(at(20, 11))
    declare_day_off()
    client = as_user(people.specialist)
    client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})

    page = client.get(f"/can-bo/ho-so/{at_specialist.code}/").content.decode()

    # The sentence is the page's own English; a screen reader reads it so
    assert "Reason: <span>23/11/2026 was declared a day off" in page


def test_a_saturday_worked_keeps_a_promise_but_not_on_a_day_off(
    at_specialist, clock, declare_day_off, change
):
    clock(at(20, 11))
    declare_day_off()
    # Saturday 21/11 worked: counted so, the dossier would be due on Saturday, before its
    # appointment (Monday, now off): it is kept at the next opening, Wednesday 08:00.
    change(calendar_entry_create, date=date(2026, 11, 21), kind="working_day", name="Làm bù")

    assert deadlines(at_specialist) == (at(25, 8), at(25, 8), at(25, 8))


def test_a_saturday_worked_then_taken_back_leaves_the_deadlines_as_the_day_off_alone_did(
    at_specialist, clock, declare_day_off, change
):
    clock(at(20, 11))
    declare_day_off()
    saturday = change(
        calendar_entry_create, date=date(2026, 11, 21), kind="working_day", name="Làm bù"
    )
    assert deadlines(at_specialist) == (at(25, 8), at(25, 8), at(25, 8))

    change(calendar_entry_delete, entry=saturday)

    # The Saturday's hours, which the promise's opening had kept, are not counted twice:
    # the deadlines are where Monday off alone put them.
    assert deadlines(at_specialist) == (at(25, 14), at(25, 14), at(25, 10))


def test_changes_made_before_the_worker_runs_each_move_by_their_own_day(
    at_specialist, clock, django_capture_on_commit_callbacks
):
    clock(at(20, 11))
    with django_capture_on_commit_callbacks() as queued:
        for day in (MONDAY, date(2026, 11, 25)):
            calendar_entry_create(date=day, kind="day_off", name=NAME, actor=None)
    for enqueue in queued:  # the worker, after both commits, in order
        enqueue()

    # Monday, Tuesday and Wednesday off: ten working hours from Friday 11:00 end on Thursday.
    assert deadlines(at_specialist) == (at(26, 14), at(26, 14), at(26, 10))


def test_only_the_name_changed_moves_nothing_again(at_specialist, clock, declare_day_off, change):
    clock(at(20, 11))
    entry = declare_day_off()
    change(calendar_entry_update, entry=entry, name="Nghỉ bù")

    assert deadlines(at_specialist) == (at(25, 14), at(25, 14), at(25, 10))
    assert len(reschedules(at_specialist)) == 1


def test_a_deadline_already_passed_stays_and_the_dossier_stays_late(
    at_specialist, clock, declare_day_off
):
    clock(at(23, 15))  # the dossier was due at 14:00, the step at 10:00
    declare_day_off(date(2026, 11, 25))

    assert deadlines(at_specialist) == (at(23, 14), at(23, 14), at(23, 10))
    assert reschedules(at_specialist) == []
    assert is_late(Dossier.objects.get(pk=at_specialist.pk), at(23, 15)) is True


def test_deadlines_set_after_the_change_were_counted_on_the_new_calendar(
    submitted, clock, people, declare_day_off
):

    # The task runs late: the dossier was received after the day off was declared, its
    # deadlines counted without Monday already.
    clock(at(20, 8, 30))
    declare_day_off()
    clock(at(20, 9))
    received = dossier_receive(dossier=submitted, actor=people.desk, expected_revision=1)
    due = deadlines(received)
    moved = dossiers_follow_calendar(
        change="late-task",
        at=at(20, 8, 30),
        before={MONDAY: None},
        entries={MONDAY: "day_off"},
        reason=NAME,
    )

    assert moved == 0
    assert deadlines(received) == due


def test_a_rerun_of_the_same_change_moves_nothing_twice(at_specialist, clock):
    clock(at(20, 11))
    CalendarEntry.objects.create(date=MONDAY, kind="day_off", name=NAME)  # no services: no task
    follow = {
        "change": "c1",
        "at": at(20, 11),
        "before": {MONDAY: None},
        "entries": {MONDAY: "day_off"},
        "reason": NAME,
    }

    assert dossiers_follow_calendar(**follow) == 1
    assert dossiers_follow_calendar(**follow) == 0
    assert deadlines(at_specialist) == (at(25, 14), at(25, 14), at(25, 10))


@pytest.fixture
def waiting(at_specialist: Dossier, clock: Any, people: Any) -> Dossier:
    """The dossier waiting for a supplement asked on Friday at 16:00, when six working
    hours were left of it and three of its step."""
    clock(at(20, 16))
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    return at_specialist


def supplemented_on_wednesday(dossier: Dossier, clock: Any, people: Any) -> tuple[Any, ...]:
    """Send the supplement on Wednesday 25/11 at 14:00; return the deadlines then."""
    clock(at(25, 14))
    supplement = [upload(JPEG, "giay-chung-sinh.jpg", 1)]
    dossier_submit_supplement(dossier=dossier, files=supplement, actor=people.applicant)
    return deadlines(dossier)


def test_the_time_a_stopped_clock_keeps_loses_no_day(
    waiting, clock, people, declare_day_off, mailoutbox
):
    sent = len(mailoutbox)
    clock(at(20, 17))
    declare_day_off()
    # No appointment is told while the dossier waits: it is counted again when the papers
    # arrive.
    assert len(mailoutbox) == sent
    stop = ClockStop.objects.get(dossier=waiting)
    assert (stop.due_before, stop.original_due_before, stop.step_due_before) == (
        at(25, 14),
        at(25, 14),
        at(25, 10),
    )

    # The six hours and the three count from the supplement's arrival, as they would have
    # without the day off.
    assert supplemented_on_wednesday(waiting, clock, people) == (
        at(26, 11),
        at(26, 11),
        at(25, 17),
    )


def test_a_day_of_the_wait_declared_off_late_is_not_taken_from_the_dossier(
    waiting, clock, people, declare_day_off, mailoutbox
):
    sent = len(mailoutbox)
    # Wednesday: Monday, a day of the wait already over, is declared off.
    clock(at(25, 10))
    declare_day_off()
    # The applicant is not told an appointment while it waits for their papers.
    assert len(mailoutbox) == sent

    assert supplemented_on_wednesday(waiting, clock, people) == (
        at(26, 11),
        at(26, 11),
        at(25, 17),
    )


def test_a_deadline_years_away_moves_too(at_specialist, clock, declare_day_off):
    far = at(20, 14).replace(year=2031)
    Dossier.objects.filter(pk=at_specialist.pk).update(due_at=far, original_due_at=far)
    clock(at(20, 11))
    declare_day_off()

    due, legal, _step = deadlines(at_specialist)
    # Thursday 20/11/2031 at 14:00 is a working day later: Friday 21/11/2031 at 14:00.
    assert due == legal == at(21, 14).replace(year=2031)


def test_the_applicant_sees_a_move_only_of_their_appointment(at_specialist, clock, people):
    # An apology's appointment set after the change (the task ran late) stays; the legal
    # deadline and the step's move: only the officers see that move.
    clock(at(20, 15))
    dossier_apologize(
        dossier=at_specialist,
        reason="Chờ kết quả xác minh",
        new_due_at=at(23, 16),
        actor=people.specialist,
        expected_revision=3,
    )
    CalendarEntry.objects.create(date=MONDAY, kind="day_off", name=NAME)
    dossiers_follow_calendar(
        change="c1",
        at=at(20, 11),
        before={MONDAY: None},
        entries={MONDAY: "day_off"},
        reason=NAME,
    )

    assert deadlines(at_specialist) == (at(23, 16), at(25, 14), at(25, 10))
    dossier = Dossier.objects.get(pk=at_specialist.pk)
    assert [e.action for e in shown_events(dossier, by_officer=True)][-1] == "reschedule"
    assert "reschedule" not in [e.action for e in shown_events(dossier, by_officer=False)]


def test_the_apologys_appointment_moves_and_the_legal_deadline_with_it(
    at_specialist, clock, people, declare_day_off
):
    clock(at(20, 15))
    dossier_apologize(
        dossier=at_specialist,
        reason="Chờ kết quả xác minh",
        new_due_at=at(23, 16),
        actor=people.specialist,
        expected_revision=3,
    )
    clock(at(20, 16))
    declare_day_off()

    assert deadlines(at_specialist) == (at(25, 16), at(25, 14), at(25, 10))


@pytest.mark.parametrize("status", ["result_ready", "submitted"])
def test_dossiers_decided_or_not_yet_received_have_nothing_to_move(
    status, request, clock, declare_day_off
):
    dossier = request.getfixturevalue(status)
    before = deadlines(dossier)
    clock(at(23, 10, 30))
    declare_day_off(date(2026, 11, 25))

    assert deadlines(dossier) == before
    assert reschedules(dossier) == []


@pytest.fixture
def deadlocks(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], list[float]]:
    """Return a function making the next ``times`` moves of a dossier meet a deadlock once
    all their writes are made (the event, the audit entry, the notice), as PostgreSQL
    reports one at a later statement; it returns the pauses taken between tries."""
    from django.db import OperationalError

    from sen.dossiers.services import _transitions, rescheduling

    def deadlock_next(times: int) -> list[float]:
        apply = _transitions.apply
        left = [times]

        def apply_or_deadlock(**arguments: Any) -> Any:
            applied = apply(**arguments)
            if left[0]:
                left[0] -= 1
                raise OperationalError("deadlock detected")
            return applied

        pauses: list[float] = []
        monkeypatch.setattr(_transitions, "apply", apply_or_deadlock)
        monkeypatch.setattr(rescheduling.clock, "sleep", pauses.append)
        return pauses

    return deadlock_next


def follow_monday_off(committed: Any) -> int:
    """Declare Monday off and run the worker's move, committed: notices go out on commit."""
    CalendarEntry.objects.create(date=MONDAY, kind="day_off", name=NAME)  # no services: no task
    with committed(execute=True):
        return dossiers_follow_calendar(
            change="c1",
            at=at(20, 11),
            before={MONDAY: None},
            entries={MONDAY: "day_off"},
            reason=NAME,
        )


def test_a_dossier_met_by_a_deadlock_is_moved_when_tried_again(
    at_specialist, clock, mailoutbox, deadlocks, django_capture_on_commit_callbacks
):
    clock(at(20, 11))
    sent = len(mailoutbox)
    pauses = deadlocks(2)

    assert follow_monday_off(django_capture_on_commit_callbacks) == 1
    assert pauses == [0.2, 0.4]
    assert deadlines(at_specialist) == (at(25, 14), at(25, 14), at(25, 10))
    # Moved once: of the two tries rolled back, no event, audit entry or email remains.
    assert len(reschedules(at_specialist)) == 1
    assert AuditEntry.objects.filter(action="dossiers.dossier.rescheduled").count() == 1
    assert len(mailoutbox) == sent + 1


def test_a_dossier_that_keeps_meeting_deadlocks_is_left_whole_and_named_in_the_log(
    at_specialist, clock, mailoutbox, deadlocks, caplog, django_capture_on_commit_callbacks
):
    clock(at(20, 11))
    sent = len(mailoutbox)
    deadlocks(3)

    assert follow_monday_off(django_capture_on_commit_callbacks) == 0
    # Every write of the three tries was rolled back, the step's record with the rest.
    assert deadlines(at_specialist) == (at(23, 14), at(23, 14), at(23, 10))
    record = StepRecord.objects.get(dossier=at_specialist, finished_at__isnull=True)
    assert record.due_at == at(23, 10)
    assert reschedules(at_specialist) == []
    assert not AuditEntry.objects.filter(action="dossiers.dossier.rescheduled").exists()
    assert len(mailoutbox) == sent
    assert f"Calendar change c1 could not move dossier {at_specialist.pk}." in caplog.text
    assert "moved the deadlines of 0 dossiers (1 failed)" in caplog.text
