"""Once the leader approves the result, it is the applicant's: no later step replaces it.

A procedure of this module's own, where the department's leader signs and the centre's
desk then returns the result: receipt at the centre's desk, appraisal by the department's
specialist, signature by the department's leader, return at the centre's desk.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps

from sen.core.models import Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.errors import ResultApproved
from sen.dossiers.models import Dossier, DossierResult, StepRecord
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.services import (
    dossier_attach_result,
    dossier_complete_step,
    dossier_generate_result,
    dossier_receive,
    dossier_remove_result,
    dossier_send_back,
    dossier_withdraw,
)
from sen.dossiers.states import Action
from sen.dossiers.tests.factories import birth_procedure, citizen, officer, upload
from sen.dossiers.tests.inter_agency.conftest import post
from sen.dossiers.tests.pdf import pdf_text
from sen.dossiers.tests.state import written_state
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

RESULT_ACTIONS = {Action.ATTACH_RESULT, Action.GENERATE_RESULT, Action.REMOVE_RESULT}


@pytest.fixture
def procedure(centre, department):
    steps = [
        {"name": "Tiếp nhận", "role": "one_stop", "agency": None, "duration": "2", "unit": "hours"},
        {
            "name": "Thẩm định",
            "role": "specialist",
            "agency": department.code,
            "duration": "1",
            "unit": "days",
        },
        {
            "name": "Ký duyệt",
            "role": "leader",
            "agency": department.code,
            "duration": "2",
            "unit": "hours",
        },
        {
            "name": "Trả kết quả",
            "role": "one_stop",
            "agency": None,
            "duration": "4",
            "unit": "hours",
        },
    ]
    return birth_procedure(agencies=[centre], processing_days="2", steps=steps)


@pytest.fixture
def people(centre, department, applicant):
    return SimpleNamespace(
        desk=officer(centre, username="motcua"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        signer=officer(department, Role.LEADER, username="giamdoc"),
        applicant=applicant,
        stranger=citizen(username="nguoila"),
        outsider=officer(AgencyFactory(code="000.00.13.H37"), username="songoai"),
    )


@pytest.fixture
def drafted(submit, clock, people) -> Dossier:
    """At the department's leader, with the specialist's draft attached (revision 5)."""
    clock(at(20, 9))
    dossier = submit().dossier
    dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)
    clock(at(20, 11))
    dossier_generate_result(
        dossier=dossier,
        title="Trích lục khai sinh",
        content="Đã đăng ký khai sinh.",
        actor=people.specialist,
        expected_revision=3,
    )
    dossier_complete_step(dossier=dossier, actor=people.specialist, expected_revision=4)
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def approved(drafted, clock, people) -> Dossier:
    """The department's leader signed at 14:00: back at the centre's desk (revision 6)."""
    clock(at(20, 14))
    return dossier_complete_step(dossier=drafted, actor=people.signer, expected_revision=5)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_related("procedure", "agency", "current_step__agency").get(
        pk=dossier.pk
    )


def test_the_draft_is_issued_by_the_agency_whose_leader_signs_it(drafted):
    # The specialist drafted it; the department's leader signs it, so the department
    # issues it, not the centre that received the dossier.
    result = DossierResult.objects.get(dossier=drafted)

    text = pdf_text(result.file.read())

    assert "SỞ TƯ PHÁP" in text
    assert "TRUNG TÂM PHỤC VỤ" not in text


def test_the_leaders_signature_approves_the_result_and_the_desk_cannot_replace_it(approved, people):
    dossier = fresh(approved)
    assert (dossier.current_step.name, dossier.result_approved_at) == ("Trả kết quả", at(20, 14))

    # The desk holds the step, but is offered nothing on the result
    offered = set(actions_allowed(dossier=dossier, user=people.desk))
    assert Action.COMPLETE_STEP in offered and not RESULT_ACTIONS & offered

    # and every way to change it is refused, changing nothing
    before = written_state()
    attempts = [
        lambda: dossier_generate_result(
            dossier=dossier,
            title="Trích lục khai sinh",
            content="Bản khác.",
            actor=people.desk,
            expected_revision=6,
        ),
        lambda: dossier_attach_result(
            dossier=dossier, upload=upload(name="khac.pdf"), actor=people.desk, expected_revision=6
        ),
        lambda: dossier_remove_result(
            dossier=dossier,
            number=1,
            reason="Thay bản khác",
            actor=people.desk,
            expected_revision=6,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ResultApproved):
            attempt()
    assert written_state() == before

    # The API says so too
    answer = post(
        people.desk, "remove-result", {"number": 1, "reason": "Thay", "expected_revision": 6}
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "result_approved")


def test_sent_back_to_its_signer_the_result_may_change_and_is_approved_again(
    approved, clock, people
):
    # Given the desk finds a mistake and sends the dossier back to the leader
    clock(at(20, 15))
    dossier_send_back(
        dossier=approved, reason="Sai năm sinh", actor=people.desk, expected_revision=6
    )
    assert fresh(approved).result_approved_at is None

    # When the leader takes the draft back, attaches the corrected one and signs again
    dossier_remove_result(
        dossier=approved, number=1, reason="Sai năm sinh", actor=people.signer, expected_revision=7
    )
    dossier_attach_result(
        dossier=approved, upload=upload(name="dung.pdf"), actor=people.signer, expected_revision=8
    )
    clock(at(20, 16))
    dossier_complete_step(dossier=approved, actor=people.signer, expected_revision=9)

    # Then the corrected result is approved, at the second signature
    dossier = fresh(approved)
    assert dossier.result_approved_at == at(20, 16)
    assert [r.original_name for r in dossier.results.all()] == ["dung.pdf"]


def test_before_the_signature_the_holder_of_each_step_may_still_change_the_result(drafted, people):
    offered = set(actions_allowed(dossier=fresh(drafted), user=people.signer))

    assert offered >= RESULT_ACTIONS
    assert fresh(drafted).result_approved_at is None


def test_the_migration_approves_the_results_of_dossiers_already_past_their_signature(
    approved, submit, clock, people
):
    # Given also a dossier still at the specialist's step
    other = submit().dossier
    dossier_receive(dossier=other, actor=people.desk, expected_revision=1)
    dossier_complete_step(dossier=other, actor=people.desk, expected_revision=2)
    # ... as they were before the field existed
    Dossier.objects.update(result_approved_at=None)

    # When the migration runs
    migration = importlib.import_module("sen.dossiers.migrations.0017_result_approved_at")
    migration.approve_past_the_last_leader_step(apps, None)

    # Then the one past its signature is approved when its leader signed, the other not yet
    signed = StepRecord.objects.get(dossier=approved, position=3)
    assert fresh(approved).result_approved_at == signed.finished_at == at(20, 14)
    assert fresh(other).result_approved_at is None


def test_once_the_result_is_approved_the_applicant_can_no_longer_withdraw(approved, people):
    # Given the dossier at the desk's return step, its result signed
    dossier = fresh(approved)
    assert Action.WITHDRAW not in actions_allowed(dossier=dossier, user=people.applicant)
    before = written_state()

    # When the applicant asks to withdraw it anyway, through the service and the API
    with pytest.raises(ResultApproved) as refused:
        dossier_withdraw(dossier=dossier, reason="Không cần nữa", actor=people.applicant)
    answer = post(people.applicant, "withdraw", {"reason": "Không cần nữa", "expected_revision": 6})

    # Then it is refused, saying the dossier is decided, and nothing changed
    assert str(refused.value) == (
        f"Hồ sơ {dossier.code} đã có kết quả giải quyết, được lãnh đạo phê duyệt lúc "
        "14:00 20/11/2026; hồ sơ đã giải quyết thì không rút được nữa."
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "result_approved")
    assert written_state() == before
