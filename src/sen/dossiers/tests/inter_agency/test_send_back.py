"""Sending a dossier back to the step before (trả lại bước trước): the leader who will not
approve it as it stands hands it back to the specialist, on the record.

The dossier of this package's conftest: received on Friday 20/11/2026 at 09:00 (due Monday
23/11 at 14:00), handed to the justice department's specialist at 10:00, to the leader on
Monday at 09:00 with its result attached (revision 5).
"""

import pytest

from sen.dossiers.models import Dossier, StepRecord
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.services import dossier_complete_step
from sen.dossiers.slipdata import control_sheet_data, step_records
from sen.dossiers.states import Action
from sen.dossiers.tests.inter_agency.conftest import post
from sen.dossiers.tests.state import written_state
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

REASON = "Trích lục ghi sai ngày sinh, đề nghị thẩm định lại."


def test_the_leader_sends_the_dossier_back_to_the_specialist_on_the_record(
    at_leader, people, clock
):
    clock(at(23, 9, 30))

    response = post(
        people.leader, "send-back", {"expected_revision": at_leader.revision, "reason": REASON}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "processing"
    dossier = Dossier.objects.get(pk=at_leader.pk)
    # The specialist's step starts again, with its day from now; the dossier's due stays
    assert dossier.current_step.position == 2
    assert dossier.due_at == at_leader.due_at
    specialist_again, leader_step = StepRecord.objects.filter(dossier=dossier).order_by("-id")[:2]
    assert (leader_step.position, leader_step.finished_by, leader_step.comment) == (
        3,
        people.leader,
        REASON,
    )
    assert leader_step.outcome == "on_time"  # its two hours ran to 11:00
    assert (specialist_again.position, specialist_again.finished_at) == (2, None)
    assert specialist_again.started_at == at(23, 9, 30)
    assert dossier.step_due_at == specialist_again.due_at > at(23, 9, 30)
    assert dossier.step_agency == people.specialist.memberships.get().agency
    # The move is the specialist's now, not the leader's
    assert Action.COMPLETE_STEP in actions_allowed(dossier=dossier, user=people.specialist)
    assert Action.COMPLETE_STEP not in actions_allowed(dossier=dossier, user=people.leader)
    # and the history tells why
    event = dossier.events.last()
    assert (event.action, event.data["reason"], event.data["next_step"]) == (
        "send_back",
        REASON,
        2,
    )


def test_the_control_sheet_shows_the_hand_off_back(at_leader, people, clock):
    clock(at(23, 9, 30))
    post(people.leader, "send-back", {"expected_revision": 5, "reason": REASON})
    clock(at(23, 11))
    dossier = Dossier.objects.get(pk=at_leader.pk)
    dossier_complete_step(dossier=dossier, actor=people.specialist, expected_revision=6)

    dossier = Dossier.objects.get(pk=at_leader.pk)
    sheet = control_sheet_data(
        dossier, steps=step_records(dossier), tracking_url="https://sen.example/tra-cuu/"
    )

    [_desk, _specialist, back, again] = sheet.hand_offs
    assert back.from_party.startswith("Phê duyệt") and back.to_party.startswith("Thẩm định")
    # said to be a hand-off back, not read as one forward
    assert (back.at, back.note) == (at(23, 9, 30), f"Trả lại bước trước: {REASON}")
    assert again.from_party.startswith("Thẩm định") and again.to_party.startswith("Phê duyệt")


def test_only_the_holder_of_the_step_sends_it_back_and_a_refusal_changes_nothing(at_leader, people):
    before = written_state()

    response = post(people.specialist, "send-back", {"expected_revision": 5, "reason": REASON})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert written_state() == before


@pytest.mark.parametrize(
    ("reason", "status", "code"),
    [("", 400, "reason_required"), ("\u200b ", 400, "reason_required")],
    ids=["empty", "invisible"],
)
def test_a_send_back_without_a_reason_is_refused_and_changes_nothing(
    at_leader, people, reason, status, code
):
    before = written_state()

    response = post(people.leader, "send-back", {"expected_revision": 5, "reason": reason})

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert written_state() == before


def test_at_the_first_step_there_is_nothing_to_send_back_to(received, people):
    # The desk's own step, the first: the dossier is received, not being processed
    assert Action.SEND_BACK not in actions_allowed(dossier=received, user=people.desk)
    before = written_state()

    response = post(people.desk, "send-back", {"expected_revision": 2, "reason": REASON})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert written_state() == before


def test_the_specialist_sends_it_back_to_the_desk(at_specialist, people):
    assert Action.SEND_BACK in actions_allowed(dossier=at_specialist, user=people.specialist)

    response = post(
        people.specialist,
        "send-back",
        {
            "expected_revision": 3,
            "reason": "Tờ khai thiếu chữ ký, đề nghị bộ phận một cửa bổ sung.",
        },
    )

    assert response.status_code == 200
    dossier = Dossier.objects.get(pk=at_specialist.pk)
    assert (dossier.current_step.position, dossier.step_agency) == (1, None)
    assert Action.COMPLETE_STEP in actions_allowed(dossier=dossier, user=people.desk)
