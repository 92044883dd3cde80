"""A dossier of this package's procedure in each state the services can bring it to.

Each builder takes the ``submit`` and ``people`` fixtures (``people`` with at least ``desk``,
``specialist``, ``leader`` and ``applicant``) and returns the dossier, acted on at the moment
``clock`` stands at (Friday 20/11/2026 09:00 unless moved). ``STATES`` names them all, for the
tests that check every state (test_permissions, test_available_slips).
"""

from collections.abc import Callable

from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import upload
from sen.dossiers.tests.inter_agency.conftest import MISSING
from sen.tests.clock import at


def submitted(submit, people) -> Dossier:
    return submit().dossier


def received(submit, people) -> Dossier:
    dossier = submit().dossier
    return services.dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)


def at_specialist(submit, people) -> Dossier:
    dossier = received(submit, people)
    return services.dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)


def at_leader(submit, people, *, with_result: bool) -> Dossier:
    dossier = at_specialist(submit, people)
    services.dossier_complete_step(dossier=dossier, actor=people.specialist, expected_revision=3)
    if with_result:
        services.dossier_attach_result(
            dossier=dossier, upload=upload(), actor=people.leader, expected_revision=4
        )
    return dossier


def result_ready(submit, people) -> Dossier:
    dossier = at_leader(submit, people, with_result=True)
    services.dossier_complete_step(dossier=dossier, actor=people.leader, expected_revision=5)
    return dossier


STATES: dict[str, Callable[..., Dossier]] = {
    "submitted": submitted,
    "supplement_requested_at_intake": lambda submit, people: services.dossier_request_supplement(
        dossier=submitted(submit, people), items=MISSING, actor=people.desk, expected_revision=1
    ),
    "submitted_again_after_a_supplement": lambda submit, people: (
        services.dossier_submit_supplement(
            dossier=services.dossier_request_supplement(
                dossier=submitted(submit, people),
                items=MISSING,
                actor=people.desk,
                expected_revision=1,
            ),
            files=[upload()],
            actor=people.applicant,
            expected_revision=2,
        )
    ),
    "refused": lambda submit, people: services.dossier_refuse(
        dossier=submitted(submit, people), reason="Sai", actor=people.desk, expected_revision=1
    ),
    "withdrawn": lambda submit, people: services.dossier_withdraw(
        dossier=submitted(submit, people), reason="Thôi", actor=people.applicant
    ),
    "received": received,
    "at_the_specialist_of_another_agency": at_specialist,
    "supplement_requested_during_processing": lambda submit, people: (
        services.dossier_request_supplement(
            dossier=at_specialist(submit, people),
            items=MISSING,
            actor=people.specialist,
            expected_revision=3,
        )
    ),
    "apologized": lambda submit, people: services.dossier_apologize(
        dossier=at_specialist(submit, people),
        reason="Chậm",
        new_due_at=at(30, 9),
        actor=people.leader,
        expected_revision=3,
    ),
    "at_the_leader_without_a_result": lambda submit, people: at_leader(
        submit, people, with_result=False
    ),
    "at_the_leader_with_a_result": lambda submit, people: at_leader(
        submit, people, with_result=True
    ),
    "stopped": lambda submit, people: services.dossier_stop(
        dossier=at_specialist(submit, people), reason="Dừng", actor=people.leader,
        expected_revision=3,
    ),
    "result_ready": result_ready,
    "returned": lambda submit, people: services.dossier_return_result(
        dossier=result_ready(submit, people), method="desk", actor=people.desk,
        expected_revision=6,
    ),
}  # fmt: skip
