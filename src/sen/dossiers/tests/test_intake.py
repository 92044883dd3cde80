"""Intake at the one-stop desk: receive, ask for supplements once, refuse; who may, and races."""

from datetime import datetime

import pytest

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry, Role
from sen.core.tests.factories import AgencyFactory
from sen.core.timezones import VIETNAM
from sen.dossiers.errors import (
    DossierConflict,
    InvalidSupplementRequest,
    RefusalReasonRequired,
    SupplementAlreadyRequested,
)
from sen.dossiers.models import AppendOnlyError, Dossier, DossierEvent
from sen.dossiers.services import dossier_receive, dossier_refuse, dossier_request_supplement
from sen.dossiers.states import TransitionNotAllowed
from sen.dossiers.tests.conftest import NOW
from sen.dossiers.tests.factories import officer
from sen.dossiers.tests.state import written_state

pytestmark = pytest.mark.django_db

MISSING = [{"name": "Giấy chứng sinh", "reason": "Chưa có bản chính"}]


@pytest.fixture
def dossier(submit, frozen_now) -> Dossier:
    return submit().dossier


@pytest.fixture
def desk(centre):
    return officer(centre, username="motcua")


def test_the_one_stop_officer_receives_a_dossier_and_the_due_moment_is_set(dossier, desk):
    received = dossier_receive(dossier=dossier, actor=desk, comment="Đủ", expected_revision=1)

    # One working day from Friday 09:00 is Monday 09:00.
    due = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.revision, fresh.received_at, fresh.due_at) == (
        "received",
        2,
        NOW,
        due,
    )
    assert received.due_at == due
    event = DossierEvent.objects.get(dossier=dossier, sequence=2)
    assert (event.action, event.from_status, event.to_status) == (
        "receive",
        "submitted",
        "received",
    )
    assert (event.actor, event.actor_label, event.comment, event.due_at) == (
        desk,
        "motcua",
        "Đủ",
        due,
    )
    entry = AuditEntry.objects.get(action="dossiers.dossier.received")
    assert (entry.actor, entry.target_key, entry.data) == (
        desk,
        dossier.code,
        {"from": "submitted", "to": "received"},
    )


@pytest.mark.parametrize("who", ["other_agency_officer", "specialist_here", "nobody"])
def test_only_a_one_stop_officer_of_the_receiving_agency_may_act(dossier, who):
    actor = {
        "other_agency_officer": lambda: officer(AgencyFactory(), username="khac"),
        "specialist_here": lambda: officer(dossier.agency, Role.SPECIALIST, username="cv"),
        "nobody": lambda: None,
    }[who]()
    before = written_state()
    actions = [
        lambda: dossier_receive(dossier=dossier, actor=actor, expected_revision=1),
        lambda: dossier_request_supplement(
            dossier=dossier, items=MISSING, actor=actor, expected_revision=1
        ),
        lambda: dossier_refuse(dossier=dossier, reason="Sai", actor=actor, expected_revision=1),
    ]
    for act in actions:
        with pytest.raises(NotAllowed) as caught:
            act()
        assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
    assert written_state() == before


def test_supplements_are_requested_once_with_the_complete_list(dossier, desk, applicant):
    dossier_request_supplement(dossier=dossier, items=MISSING, actor=desk, expected_revision=1)

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.revision, fresh.supplement_count) == ("supplement_requested", 2, 1)
    event = DossierEvent.objects.get(dossier=dossier, sequence=2)
    assert (event.action, event.data, event.due_at) == (
        "request_supplement",
        {"items": MISSING},
        None,
    )
    assert AuditEntry.objects.get(action="dossiers.dossier.supplement_requested").data == {
        "from": "submitted",
        "to": "supplement_requested",
        "items": MISSING,
    }

    # The applicant supplements (written directly until the service exists): a second
    # request on the same dossier is refused.
    Dossier.objects.filter(pk=dossier.pk).update(status="submitted", revision=3)
    fresh = Dossier.objects.get(pk=dossier.pk)
    before = written_state()
    with pytest.raises(SupplementAlreadyRequested) as caught:
        dossier_request_supplement(dossier=fresh, items=MISSING, actor=desk, expected_revision=3)
    assert (caught.value.code, caught.value.status) == ("supplement_already_requested", 409)
    assert written_state() == before


@pytest.mark.parametrize(
    ("items", "details"),
    [
        ([], [{"field": "items", "message": "Hãy liệt kê giấy tờ cần bổ sung."}]),
        (
            [{"name": "Giấy chứng sinh", "reason": " "}, {"reason": "x"}],
            [
                {"field": "items[0].reason", "message": "Bắt buộc nhập."},
                {"field": "items[1].name", "message": "Bắt buộc nhập."},
            ],
        ),
    ],
)
def test_a_supplement_request_without_its_list_is_refused(dossier, desk, items, details):
    before = written_state()
    with pytest.raises(InvalidSupplementRequest) as caught:
        dossier_request_supplement(dossier=dossier, items=items, actor=desk, expected_revision=1)
    assert caught.value.details == details
    assert written_state() == before


def test_the_officer_refuses_a_dossier_with_its_reason(dossier, desk):
    dossier_refuse(
        dossier=dossier, reason=" Không thuộc thẩm quyền ", actor=desk, expected_revision=1
    )

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.revision, fresh.finished_at) == ("refused", 2, NOW)
    event = DossierEvent.objects.get(dossier=dossier, sequence=2)
    assert (event.action, event.data) == ("refuse", {"reason": "Không thuộc thẩm quyền"})


def test_a_refusal_needs_a_reason(dossier, desk):
    before = written_state()
    with pytest.raises(RefusalReasonRequired):
        dossier_refuse(dossier=dossier, reason="  ", actor=desk, expected_revision=1)
    assert written_state() == before


def test_an_officer_acting_on_a_stale_dossier_gets_a_conflict_and_changes_nothing(dossier, desk):
    stale = Dossier.objects.get(pk=dossier.pk)
    dossier_receive(dossier=dossier, actor=desk, expected_revision=1)
    before = written_state()

    with pytest.raises(DossierConflict) as caught:
        dossier_refuse(dossier=stale, reason="Sai", actor=desk, expected_revision=stale.revision)
    assert (caught.value.code, caught.value.status) == ("dossier_conflict", 409)
    assert written_state() == before


def test_a_received_dossier_cannot_be_refused_any_more(dossier, desk):
    dossier_receive(dossier=dossier, actor=desk, expected_revision=1)
    before = written_state()
    with pytest.raises(TransitionNotAllowed) as caught:
        dossier_refuse(dossier=dossier, reason="Sai", actor=desk, expected_revision=2)
    assert caught.value.message == (
        "Không thể từ chối tiếp nhận khi hồ sơ đang ở trạng thái “Đã tiếp nhận”."
    )
    assert written_state() == before


def test_the_history_cannot_be_rewritten(dossier):
    event = DossierEvent.objects.get(dossier=dossier)
    event.comment = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
