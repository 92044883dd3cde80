"""Processing a dossier: internal steps, inter-agency hand-offs, supplements that stop the
clock, apologies, withdrawal, stop, the result and its return; who may, and what is refused.

The procedure here takes 1.5 working days (12 hours) in three steps: the one-stop desk
(2 hours), the specialist of another department (1 day, an inter-agency hand-off) and the
leader of the centre (2 hours). Office hours are Monday–Friday 08:00–12:00 and 13:00–17:00.
"""

from datetime import datetime, timedelta
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry, Role
from sen.core.tests.factories import AgencyFactory, MembershipFactory
from sen.dossiers.errors import (
    ApologyAlreadyMade,
    ApologyTooLate,
    DossierConflict,
    ElectronicReturnWithoutAccount,
    InvalidNewAppointment,
    InvalidResult,
    InvalidSupplement,
    ReasonRequired,
    ResultRequired,
    SupplementAlreadyRequested,
    TrackingNumberRequired,
)
from sen.dossiers.models import ClockStop, Dossier, DossierEvent, DossierResult, StepRecord
from sen.dossiers.notifications import overdue_digest_messages
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.selectors import QueueCount, is_overdue, officer_queue
from sen.dossiers.services import (
    dossier_apologize,
    dossier_attach_result,
    dossier_complete_step,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_stop,
    dossier_submit_supplement,
    dossier_withdraw,
)
from sen.dossiers.states import (
    Action,
    TransitionNotAllowed,
    finished_late,
    is_late,
    step_outcome,
)
from sen.dossiers.tests.factories import JPEG, PDF, citizen, officer, upload
from sen.dossiers.tests.inter_agency.conftest import MISSING
from sen.dossiers.tests.state import stored_names, written_state
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


# Unlike the package's people: a specialist of the centre too, barred from the department's step.
@pytest.fixture
def people(centre, department, applicant):
    return SimpleNamespace(
        desk=officer(centre, username="motcua"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        centre_specialist=officer(centre, Role.SPECIALIST, username="cvtrungtam"),
        leader=officer(centre, Role.LEADER, username="lanhdao"),
        applicant=applicant,
        stranger=citizen(username="nguoila"),
    )


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def steps_of(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [
        (r.position, r.agency.code, r.started_at, r.due_at, r.finished_at, r.outcome)
        for r in StepRecord.objects.filter(dossier=dossier).select_related("agency")
    ]


# --- The whole way ----------------------------------------------------------------------------


def test_a_dossier_goes_from_submission_to_its_returned_result_through_every_step(
    received, clock, people, centre, department
):
    # Received on Friday 09:00: due in 12 working hours (7 on Friday, 5 on Monday),
    # step 1 (2 hours) due at 11:00.
    assert (received.status, received.due_at, received.original_due_at) == (
        "received",
        at(23, 14),
        at(23, 14),
    )
    assert (received.current_step.position, received.step_due_at) == (1, at(20, 11))

    clock(at(20, 10))
    dossier_complete_step(dossier=received, comment="Đủ", actor=people.desk, expected_revision=2)
    # Step 2 (1 day) from Friday 10:00: 6 hours on Friday, 2 on Monday.
    assert (fresh(received).status, fresh(received).step_due_at) == ("processing", at(23, 10))

    clock(at(23, 11))  # an hour late
    dossier_complete_step(dossier=received, actor=people.specialist, expected_revision=3)
    assert fresh(received).step_due_at == at(23, 14)  # 11:00 + 1 hour + lunch + 1 hour

    dossier_attach_result(
        dossier=received,
        upload=upload(PDF, "giay-khai-sinh.pdf"),
        actor=people.leader,
        expected_revision=4,
    )
    clock(at(23, 13, 30))
    dossier_complete_step(dossier=received, actor=people.leader, expected_revision=5)
    ready = fresh(received)
    assert (ready.status, ready.finished_at, ready.current_step, ready.step_due_at) == (
        "result_ready",
        at(23, 13, 30),
        None,
        None,
    )

    clock(at(24, 9))
    dossier_return_result(
        dossier=received,
        method="post",
        postal_tracking_number=" EB123456789VN ",
        actor=people.desk,
        expected_revision=6,
    )
    done = fresh(received)
    assert (done.status, done.returned_at, done.return_method, done.postal_tracking_number) == (
        "returned",
        at(24, 9),
        "post",
        "EB123456789VN",
    )
    assert (is_late(done, at(30, 9)), finished_late(done)) == (False, False)

    events = list(
        DossierEvent.objects.filter(dossier=received).values_list(
            "sequence", "action", "from_status", "to_status", "actor__username", "due_at"
        )
    )
    assert events == [
        (1, "submit", "", "submitted", "congdan", None),
        (2, "receive", "submitted", "received", "motcua", at(23, 14)),
        (3, "complete_step", "received", "processing", "motcua", at(23, 14)),
        (4, "complete_step", "processing", "processing", "chuyenvien", at(23, 14)),
        (5, "attach_result", "processing", "processing", "lanhdao", at(23, 14)),
        (6, "finish_processing", "processing", "result_ready", "lanhdao", at(23, 14)),
        (7, "return_result", "result_ready", "returned", "motcua", at(23, 14)),
    ]
    hand_off = DossierEvent.objects.get(dossier=received, sequence=3)
    assert (hand_off.comment, hand_off.data) == (
        "Đủ",
        {
            "step": 1,
            "agency": centre.code,
            "step_due_at": at(20, 11).isoformat(),
            "outcome": "on_time",
            "next_step": 2,
            "next_agency": department.code,
        },
    )
    assert steps_of(received) == [
        (1, centre.code, at(20, 9), at(20, 11), at(20, 10), "on_time"),
        (2, department.code, at(20, 10), at(23, 10), at(23, 11), "late"),
        (3, centre.code, at(23, 11), at(23, 14), at(23, 13, 30), "on_time"),
    ]
    result = DossierResult.objects.get(dossier=received)
    assert (result.original_name, result.content_type, result.size, result.attached_by) == (
        "giay-khai-sinh.pdf",
        "application/pdf",
        len(PDF),
        people.leader,
    )
    assert result.file.name in stored_names()
    assert AuditEntry.objects.filter(
        target_key=received.code, action="dossiers.dossier.returned"
    ).get().data == {
        "from": "result_ready",
        "to": "returned",
        "method": "post",
        "postal_tracking_number": "EB123456789VN",
    }


def test_a_step_finished_on_a_day_before_its_due_day_is_early(received, clock, people):
    step = StepRecord.objects.get(dossier=received)
    step_due = at(23, 10)
    assert step_outcome(finished=at(20, 16), due=step_due) == "early"
    assert step_outcome(finished=at(23, 10), due=step_due) == "on_time"
    assert step_outcome(finished=at(23, 10, 1), due=step_due) == "late"
    assert step.due_at == at(20, 11)


# --- Who may act on a step --------------------------------------------------------------------


def test_the_inter_agency_step_is_done_by_the_other_agencys_officer_only(at_specialist, people):
    before = written_state()
    for intruder in (people.centre_specialist, people.desk, people.leader, people.stranger, None):
        with pytest.raises(NotAllowed) as caught:
            dossier_complete_step(dossier=at_specialist, actor=intruder, expected_revision=3)
        assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
    assert written_state() == before

    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=3)
    assert fresh(at_specialist).current_step.position == 3


def test_the_one_stop_step_is_not_done_by_a_specialist(received, people):
    before = written_state()
    with pytest.raises(NotAllowed):
        dossier_complete_step(dossier=received, actor=people.centre_specialist, expected_revision=2)
    assert written_state() == before


def test_the_leader_approves_only_with_a_result_attached(at_specialist, clock, people):
    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=3)
    before = written_state()
    with pytest.raises(ResultRequired) as caught:
        dossier_complete_step(dossier=at_specialist, actor=people.leader, expected_revision=4)
    assert (caught.value.code, caught.value.status) == ("result_required", 409)
    assert written_state() == before


def test_a_result_is_attached_by_the_current_steps_officer_only_and_checked_by_content(
    at_specialist, people
):
    before = written_state()
    with pytest.raises(NotAllowed):
        dossier_attach_result(
            dossier=at_specialist, upload=upload(), actor=people.leader, expected_revision=3
        )
    with pytest.raises(InvalidResult) as caught:
        dossier_attach_result(
            dossier=at_specialist,
            upload=upload(b"MZ\x90\x00 not a pdf", "ketqua.exe"),
            actor=people.specialist,
            expected_revision=3,
        )
    assert caught.value.code == "invalid_result"
    assert caught.value.details == [
        {"field": "file", "message": "Tệp “ketqua.exe” không phải PDF, JPEG hoặc PNG."}
    ]
    assert written_state() == before


def test_a_stale_officer_gets_a_conflict_and_changes_nothing(at_specialist, people):
    before = written_state()
    with pytest.raises(DossierConflict) as caught:
        dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=2)
    assert (caught.value.code, caught.value.status) == ("dossier_conflict", 409)
    assert written_state() == before


@pytest.mark.parametrize("state", ["submitted", "result_ready", "returned", "withdrawn"])
def test_steps_cannot_be_completed_outside_processing(submit, clock, people, state):
    dossier = submit().dossier
    Dossier.objects.filter(pk=dossier.pk).update(status=state)
    dossier = fresh(dossier)
    before = written_state()
    with pytest.raises(TransitionNotAllowed) as caught:
        dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=1)
    assert caught.value.status == 409
    assert written_state() == before


# --- Supplements during processing: the clock stops -------------------------------------------


def test_a_supplement_during_processing_stops_the_clock_across_the_weekend(
    at_specialist, clock, people
):
    # Friday 16:00: 3 working hours were left of the step (due Monday 10:00) and 6 of
    # the dossier (due Monday 14:00).
    clock(at(20, 16))
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    waiting = fresh(at_specialist)
    assert (waiting.status, waiting.clock_stopped_at, waiting.due_at) == (
        "supplement_requested",
        at(20, 16),
        at(23, 14),
    )
    # While stopped, the dossier is judged at the stop: not late on Thursday.
    assert is_late(waiting, at(26, 12)) is False

    # The applicant answers on Wednesday 14:00 (Tuesday 24/11 is a day off: Ngày Văn hóa
    # Việt Nam).
    clock(at(25, 14))
    dossier_submit_supplement(
        dossier=at_specialist,
        files=[upload(JPEG, "giay-chung-sinh.jpg", 1)],
        actor=people.applicant,
    )
    resumed = fresh(at_specialist)
    # Step: 14:00 + 3 hours = Wednesday 17:00. Dossier: 3 hours on Wednesday and 3 on
    # Thursday = Thursday 11:00.
    assert (
        resumed.status,
        resumed.clock_stopped_at,
        resumed.step_due_at,
        resumed.due_at,
        resumed.original_due_at,
        resumed.current_step.position,
    ) == ("processing", None, at(25, 17), at(26, 11), at(26, 11), 2)
    assert StepRecord.objects.get(dossier=at_specialist, position=2).due_at == at(25, 17)
    stop = ClockStop.objects.get(dossier=at_specialist)
    assert (stop.started_at, stop.ended_at, stop.due_before, stop.step_due_before) == (
        at(20, 16),
        at(25, 14),
        at(23, 14),
        at(23, 10),
    )
    event = DossierEvent.objects.get(dossier=at_specialist, sequence=5)
    assert (event.action, event.to_status, event.due_at, event.data) == (
        "submit_supplement_in_processing",
        "processing",
        at(26, 11),
        {
            "files": 1,
            "clock_stopped": {"from": at(20, 16).isoformat(), "to": at(25, 14).isoformat()},
        },
    )
    assert event.files.get().original_name == "giay-chung-sinh.jpg"


def test_a_dossier_late_at_the_request_stays_late(at_specialist, clock, people):
    clock(at(23, 15))  # an hour past the dossier's due moment
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    clock(at(27, 9))
    dossier_submit_supplement(dossier=at_specialist, files=[upload()], actor=people.applicant)
    assert fresh(at_specialist).due_at == at(23, 14)
    assert is_late(fresh(at_specialist), at(27, 9)) is True


@pytest.mark.parametrize(
    ("asked_at", "overdue"),
    [
        # Asked on Monday at 09:00, five hours before the due moment: the clock stands still
        (at(23, 9), False),
        # Asked an hour after it: the dossier was overdue already and stays so
        (at(23, 15), True),
    ],
)
def test_waiting_for_a_supplement_a_dossier_is_overdue_only_if_it_was_when_the_clock_stopped(
    at_specialist, clock, people, asked_at, overdue
):
    """The queue, the dossier's answer and the digest said "overdue" of a dossier whose
    clock stood still for the applicant's papers, while its timeliness said "in time"."""
    clock(asked_at)
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )

    clock(at(25, 9))  # two days later, still waiting
    dossier = fresh(at_specialist)
    queue = officer_queue(user=people.desk, overdue=True).dossiers
    digest = overdue_digest_messages(now=at(25, 9))

    assert is_overdue(dossier) is overdue
    assert (dossier in list(queue)) is overdue
    assert any(dossier.code in message.body for message in digest) is overdue


def test_supplements_are_asked_once_even_when_the_first_was_at_intake(submit, clock, people):
    dossier = submit().dossier
    dossier_request_supplement(
        dossier=dossier, items=MISSING, actor=people.desk, expected_revision=1
    )
    dossier_submit_supplement(dossier=dossier, files=[upload()], actor=people.applicant)
    back = fresh(dossier)
    assert (back.status, back.revision, back.due_at) == ("submitted", 3, None)
    assert DossierEvent.objects.get(dossier=dossier, sequence=3).action == "submit_supplement"
    dossier_receive(dossier=dossier, actor=people.desk, expected_revision=3)
    dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=4)
    before = written_state()
    with pytest.raises(SupplementAlreadyRequested):
        dossier_request_supplement(
            dossier=dossier, items=MISSING, actor=people.specialist, expected_revision=5
        )
    assert written_state() == before


def test_during_processing_only_the_current_steps_officer_asks_for_supplements(
    at_specialist, people
):
    before = written_state()
    for intruder in (people.desk, people.centre_specialist):
        with pytest.raises(NotAllowed):
            dossier_request_supplement(
                dossier=at_specialist, items=MISSING, actor=intruder, expected_revision=3
            )
    assert written_state() == before


def test_the_applicant_or_the_desk_supplements_with_files_checked_as_at_submission(
    at_specialist, clock, people
):
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    before = written_state()
    # The specialist who asked holds the step, but takes no papers in: the desk does.
    for intruder in (people.stranger, people.specialist, None):
        with pytest.raises(NotAllowed):
            dossier_submit_supplement(dossier=at_specialist, files=[upload()], actor=intruder)
    with pytest.raises(InvalidSupplement) as caught:
        dossier_submit_supplement(
            dossier=at_specialist,
            files=[upload(b"hello", "a.txt", 1), upload(PDF, "b.pdf", 9)],
            form_data={"ho_ten": 5},
            actor=people.applicant,
        )
    assert (caught.value.code, caught.value.details) == (
        "invalid_supplement",
        [
            {"field": "component_1", "message": "Tệp “a.txt” không phải PDF, JPEG hoặc PNG."},
            {"field": "form.ho_ten", "message": "Phải là một chuỗi ký tự."},
            {"field": "component_9", "message": "Thủ tục không có thành phần hồ sơ thứ 9."},
        ],
    )
    with pytest.raises(InvalidSupplement):
        dossier_submit_supplement(dossier=at_specialist, files=[], actor=people.applicant)
    with pytest.raises(DossierConflict):
        dossier_submit_supplement(
            dossier=at_specialist, files=[upload()], actor=people.applicant, expected_revision=3
        )
    assert written_state() == before


def test_a_supplement_replacing_the_form_is_judged_and_stored_as_a_submission_is(
    at_specialist, people
):
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    before = written_state()
    # A required answer sent blank is missing, as at submission
    with pytest.raises(InvalidSupplement) as caught:
        dossier_submit_supplement(
            dossier=at_specialist, files=[], form_data={"ho_ten": " \t"}, actor=people.applicant
        )
    assert caught.value.details == [{"field": "form.ho_ten", "message": "Bắt buộc nhập."}]
    assert written_state() == before

    # and what is stored is the text stripped and in NFC (here typed decomposed)
    dossier_submit_supplement(
        dossier=at_specialist,
        files=[],
        form_data={"ho_ten": " Le\u0302 Va\u0306n Con "},
        actor=people.applicant,
    )
    assert fresh(at_specialist).form_data == {"ho_ten": "Lê Văn Con"}


def test_a_supplement_nobody_asked_for_is_refused(at_specialist, people):
    before = written_state()
    with pytest.raises(TransitionNotAllowed):
        dossier_submit_supplement(dossier=at_specialist, files=[upload()], actor=people.applicant)
    assert written_state() == before


# --- Apology and new appointment --------------------------------------------------------------


def test_an_apology_before_the_due_day_sets_a_new_appointment_once(at_specialist, clock, people):
    # Due Monday 23/11 at 14:00: the letter goes out on Friday, at the latest the day before.
    clock(at(20, 15))
    dossier_apologize(
        dossier=at_specialist,
        reason=" Chờ xác minh ",
        new_due_at=at(27, 17),
        actor=people.specialist,
        expected_revision=3,
    )
    apologized = fresh(at_specialist)
    assert (
        apologized.status,
        apologized.due_at,
        apologized.original_due_at,
        apologized.apologized_at,
    ) == ("processing", at(27, 17), at(23, 14), at(20, 15))
    event = DossierEvent.objects.get(dossier=at_specialist, sequence=4)
    assert (event.action, event.due_at, event.data) == (
        "apologize",
        at(27, 17),
        {
            "reason": "Chờ xác minh",
            "previous_due_at": at(23, 14).isoformat(),
            "new_due_at": at(27, 17).isoformat(),
            "by_leader": False,
        },
    )
    before = written_state()
    with pytest.raises(ApologyAlreadyMade) as caught:
        dossier_apologize(
            dossier=at_specialist,
            reason="Lần nữa",
            new_due_at=at(30, 17),
            actor=people.leader,
            expected_revision=4,
        )
    assert (caught.value.code, caught.value.status) == ("apology_already_made", 409)
    assert written_state() == before

    # Finished by the new appointment but after the original one: still late.
    Dossier.objects.filter(pk=at_specialist.pk).update(finished_at=at(26, 9))
    assert finished_late(fresh(at_specialist)) is True


def test_an_apology_on_the_due_day_or_without_a_later_date_is_refused(at_specialist, clock, people):
    before = written_state()
    cases = [
        # Due Monday 23/11 at 14:00: from midnight that day, the letter comes too late.
        (at(23, 0), "Chậm", at(27, 17), people.specialist, ApologyTooLate),
        (at(23, 9), "Chậm", at(27, 17), people.specialist, ApologyTooLate),
        (at(23, 14), "Chậm", at(27, 17), people.specialist, ApologyTooLate),
        (at(20, 15), " ", at(27, 17), people.specialist, ReasonRequired),
        (at(20, 15), "Chậm", at(23, 14), people.specialist, InvalidNewAppointment),
        (at(20, 15), "Chậm", datetime(2026, 11, 27, 17), people.specialist, InvalidNewAppointment),
        (at(20, 15), "Chậm", at(27, 17), people.desk, NotAllowed),
    ]
    for now, reason, new_due, actor, error in cases:
        clock(now)
        with pytest.raises(error):
            dossier_apologize(
                dossier=at_specialist,
                reason=reason,
                new_due_at=new_due,
                actor=actor,
                expected_revision=3,
            )
    assert written_state() == before


def test_the_apology_may_come_until_midnight_before_the_due_day_and_says_so_after(
    at_specialist, clock, people
):
    specialist = people.specialist
    last_second = at(22, 23, 59) + timedelta(seconds=59)  # Sunday, the day before Monday's

    def apologize() -> None:
        dossier_apologize(
            dossier=at_specialist,
            reason="Chậm",
            new_due_at=at(27, 17),
            actor=specialist,
            expected_revision=3,
        )

    clock(last_second)
    assert Action.APOLOGIZE in actions_allowed(dossier=fresh(at_specialist), user=specialist)

    clock(at(23, 0))
    assert Action.APOLOGIZE not in actions_allowed(dossier=fresh(at_specialist), user=specialist)
    with pytest.raises(ApologyTooLate) as caught:
        apologize()
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        "apology_after_due",
        409,
        f"Văn bản xin lỗi phải gửi chậm nhất một ngày trước ngày hẹn trả: hồ sơ "
        f"{at_specialist.code} hẹn trả 14:00 23/11/2026, nên đã hết hạn gửi.",
    )

    clock(last_second)
    apologize()
    assert fresh(at_specialist).due_at == at(27, 17)


# --- Withdrawal, stop, return -----------------------------------------------------------------


def test_the_applicant_withdraws_a_dossier_not_yet_decided(at_specialist, clock, people):
    before = written_state()
    with pytest.raises(NotAllowed):
        dossier_withdraw(dossier=at_specialist, reason="Không cần nữa", actor=people.stranger)
    with pytest.raises(ReasonRequired):
        dossier_withdraw(dossier=at_specialist, reason="", actor=people.applicant)
    assert written_state() == before

    clock(at(23, 8))
    dossier_withdraw(dossier=at_specialist, reason=" Không cần nữa ", actor=people.applicant)
    gone = fresh(at_specialist)
    assert (gone.status, gone.finished_at, gone.current_step, gone.step_due_at) == (
        "withdrawn",
        at(23, 8),
        None,
        None,
    )
    assert DossierEvent.objects.get(dossier=at_specialist, sequence=4).data == {
        "reason": "Không cần nữa"
    }


def test_a_dossier_with_its_result_ready_cannot_be_withdrawn(received, people):
    Dossier.objects.filter(pk=received.pk).update(status="result_ready")
    before = written_state()
    with pytest.raises(TransitionNotAllowed):
        dossier_withdraw(dossier=received, reason="Thôi", actor=people.applicant)
    assert written_state() == before


def test_a_leader_stops_processing_with_a_reason(at_specialist, clock, people):
    before = written_state()
    for intruder in (people.specialist, people.desk):
        with pytest.raises(NotAllowed):
            dossier_stop(dossier=at_specialist, reason="Sai", actor=intruder, expected_revision=3)
    with pytest.raises(ReasonRequired):
        dossier_stop(dossier=at_specialist, reason=" ", actor=people.leader, expected_revision=3)
    assert written_state() == before

    clock(at(23, 9))
    dossier_stop(
        dossier=at_specialist, reason="Có tranh chấp", actor=people.leader, expected_revision=3
    )
    stopped = fresh(at_specialist)
    assert (stopped.status, stopped.finished_at) == ("stopped", at(23, 9))


def test_a_dossier_never_received_is_not_stopped_but_refused_when_its_supplement_never_came(
    submitted, clock, people
):
    # Given a dossier asked at intake for a paper the applicant never brings
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()

    # Then the leader cannot stop it (there is no processing to stop, and the notice would
    # say it was received) nor does the page offer it
    with pytest.raises(TransitionNotAllowed) as caught:
        dossier_stop(dossier=submitted, reason="Quá hạn", actor=people.leader, expected_revision=2)
    assert "chưa được tiếp nhận" in caught.value.message
    assert Action.STOP not in actions_allowed(dossier=fresh(submitted), user=people.leader)
    assert written_state() == before

    # but the desk refuses it, with the reason its refusal slip gives
    assert Action.REFUSE in actions_allowed(dossier=fresh(submitted), user=people.desk)
    dossier_refuse(
        dossier=submitted,
        reason="Quá thời hạn mà không bổ sung hồ sơ",
        actor=people.desk,
        expected_revision=2,
    )
    assert fresh(submitted).status == "refused"


def test_a_dossier_received_is_stopped_not_refused_while_its_supplement_is_awaited(
    at_specialist, people
):
    # Given a dossier asked during processing for a paper
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    before = written_state()

    # Then the desk cannot refuse it: it was received
    with pytest.raises(TransitionNotAllowed) as caught:
        dossier_refuse(dossier=at_specialist, reason="Sai", actor=people.desk, expected_revision=4)
    assert "đã được tiếp nhận" in caught.value.message
    assert Action.REFUSE not in actions_allowed(dossier=fresh(at_specialist), user=people.desk)
    # and the specialist asking again learns that it was asked once already
    with pytest.raises(SupplementAlreadyRequested):
        dossier_request_supplement(
            dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=4
        )
    assert written_state() == before
    # while the leader may stop it
    assert Action.STOP in actions_allowed(dossier=fresh(at_specialist), user=people.leader)


def test_a_result_returned_by_post_needs_its_tracking_number(received, people, centre):
    Dossier.objects.filter(pk=received.pk).update(status="result_ready")
    dossier = fresh(received)
    before = written_state()
    with pytest.raises(TrackingNumberRequired) as caught:
        dossier_return_result(
            dossier=dossier,
            method="post",
            postal_tracking_number=" ",
            actor=people.desk,
            expected_revision=2,
        )
    assert (caught.value.code, caught.value.status) == ("postal_tracking_number_required", 400)
    for intruder in (people.leader, officer(AgencyFactory(), username="khac"), people.applicant):
        with pytest.raises(NotAllowed):
            dossier_return_result(
                dossier=dossier, method="desk", actor=intruder, expected_revision=2
            )
    assert written_state() == before

    dossier_return_result(
        dossier=dossier,
        method="desk",
        postal_tracking_number="X",
        actor=people.desk,
        expected_revision=2,
    )
    assert (fresh(dossier).return_method, fresh(dossier).postal_tracking_number) == ("desk", "")


def test_a_result_is_returned_electronically_only_to_an_applicant_with_an_account(
    walk_in_ready, people
):
    # Given a walk-in's dossier (no account) with its result ready
    before = written_state()

    # When the desk returns the walk-in's result electronically
    with pytest.raises(ElectronicReturnWithoutAccount) as caught:
        dossier_return_result(
            dossier=walk_in_ready, method="electronic", actor=people.desk, expected_revision=6
        )

    # Then it is refused, saying how it can be returned, and nothing is written
    assert (caught.value.code, caught.value.status) == ("electronic_return_without_account", 400)
    assert "hãy trả kết quả trực tiếp tại Bộ phận Một cửa hoặc qua bưu chính" in str(
        caught.value.message
    )
    assert written_state() == before
    # while at the desk it is returned
    dossier_return_result(
        dossier=walk_in_ready, method="desk", actor=people.desk, expected_revision=6
    )
    assert (fresh(walk_in_ready).status, fresh(walk_in_ready).return_method) == (
        "returned",
        "desk",
    )


def test_a_result_cannot_be_returned_before_it_is_ready(at_specialist, people):
    before = written_state()
    with pytest.raises(TransitionNotAllowed):
        dossier_return_result(
            dossier=at_specialist, method="electronic", actor=people.desk, expected_revision=3
        )
    assert written_state() == before


# --- Lateness is derived ----------------------------------------------------------------------


def test_lateness_compares_the_finish_or_now_with_the_legal_due_moment():
    open_dossier = SimpleNamespace(
        original_due_at=at(25, 9), finished_at=None, clock_stopped_at=None
    )
    assert (is_late(open_dossier, at(25, 9)), is_late(open_dossier, at(25, 9, 1))) == (
        False,
        True,
    )
    assert finished_late(open_dossier) is None
    not_received = SimpleNamespace(original_due_at=None, finished_at=None, clock_stopped_at=None)
    assert is_late(not_received, at(30, 9)) is False
    on_time = SimpleNamespace(
        original_due_at=at(25, 9), finished_at=at(25, 8), clock_stopped_at=None
    )
    assert (is_late(on_time, at(30, 9)), finished_late(on_time)) == (False, False)


def test_the_other_agency_finds_the_dossier_in_its_queue_only_while_at_its_step(
    at_specialist, people
):
    assert list(officer_queue(user=people.specialist).dossiers) == [at_specialist]

    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=3)

    assert list(officer_queue(user=people.specialist).dossiers) == []
    assert list(officer_queue(user=people.leader).dossiers) == [at_specialist]


def test_the_step_agency_is_kept_on_the_dossier_only_while_another_agency_holds_it(
    received, clock, department, people
):
    # Received: at the centre's own one-stop step, no other agency involved
    assert fresh(received).step_agency is None
    # At the department's step (liên thông): the department holds it
    clock(at(20, 10))
    dossier_complete_step(dossier=received, actor=people.desk, expected_revision=2)
    assert fresh(received).step_agency == department

    dossier_complete_step(dossier=received, actor=people.specialist, expected_revision=3)

    # Back at the centre's leader: nobody else holds it
    assert fresh(received).step_agency is None


def test_an_officer_of_both_agencies_sees_the_handed_dossier_once(
    at_specialist, centre, department, people
):
    # Given an officer holding roles in the centre and in the department
    both = officer(centre, Role.LEADER, username="lanhdaohaicoquan")
    MembershipFactory(user=both, agency=department, role=Role.SPECIALIST)

    queued = officer_queue(user=both)

    # Then the dossier, received by one and at the step of the other, is listed once
    assert list(queued.dossiers) == [at_specialist]
    assert queued.count() == QueueCount(value=1, capped=False)


def test_the_migration_fills_the_step_agency_of_dossiers_at_another_agencys_step(
    received, at_specialist, department
):
    # Given dossiers written before the column existed
    Dossier.objects.update(step_agency=None)

    fill = import_module("sen.dossiers.migrations.0004_queue_step_agency_and_notices")
    fill.fill_step_agency(django_apps, None)

    assert fresh(at_specialist).step_agency == department
    assert (
        Dossier.objects.exclude(pk=at_specialist.pk).filter(step_agency__isnull=False).count() == 0
    )


def test_a_dossier_withdrawn_while_waiting_for_a_supplement_is_not_late_for_the_wait(
    at_specialist, clock, people
):
    # Stopped on Friday 16:00 with 6 working hours left (due Monday 14:00); withdrawn the
    # next Friday, long after that due moment, without ever supplementing.
    clock(at(20, 16))
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    clock(at(27, 9))
    dossier_withdraw(dossier=at_specialist, reason="Không bổ sung được", actor=people.applicant)

    closed = fresh(at_specialist)
    assert closed.status == "withdrawn"
    assert closed.clock_stopped_at is None
    assert ClockStop.objects.get(dossier=at_specialist).ended_at == at(27, 9)
    # The 6 hours left count from the withdrawal: Friday 09:00 + 6 h = Friday 16:00.
    assert closed.original_due_at == at(27, 16)
    assert finished_late(closed) is False
