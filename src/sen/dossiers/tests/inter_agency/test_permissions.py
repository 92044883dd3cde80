"""What ``actions_allowed`` lists is exactly what the services accept.

For dossiers in every state, and for every kind of user (the receiving agency's one-stop
officer, specialist, leader and clerk, the specialist of the agency of an inter-agency step,
officers of an unrelated agency, the applicant, another citizen, nobody), each action is
tried through its service with valid input: an action listed must be accepted, an action not
listed must be refused, and a refusal must leave the dossier as it was. A random walk
(hypothesis) then drives one dossier through random actions by random users and checks the
same at each step.

The procedure takes 1.5 working days in three steps: the one-stop desk (2 hours), the
specialist of another department (1 day, an inter-agency hand-off) and the leader of the
centre (2 hours).
"""

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sen.core.models import Membership, Role, User
from sen.core.selectors import officer_has_role
from sen.core.tests.factories import AgencyFactory, MembershipFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import (
    OFFICER_ACTIONS,
    actions_allowed,
    applicant_actions,
    holds_role,
)
from sen.dossiers.states import Action
from sen.dossiers.tests.factories import citizen, officer, upload
from sen.dossiers.tests.inter_agency.conftest import MISSING
from sen.dossiers.tests.inter_agency.every_state import STATES, at_leader, at_specialist, received
from sen.errors import DomainError
from sen.tests.clock import at
from sen.workdays.services import due_moment

pytestmark = pytest.mark.django_db

APPLICANT_ACTIONS = (Action.WITHDRAW, Action.SUBMIT_SUPPLEMENT)
# Each service tried once: the supplement's two actions are one service (see ``listed``).
EVERY_ACTION = tuple(
    dict.fromkeys(
        action
        for action in (*OFFICER_ACTIONS, *APPLICANT_ACTIONS)
        if action != Action.SUBMIT_SUPPLEMENT_IN_PROCESSING
    )
)


# Unlike the package's people: every kind of user each action is tried as, and nobody.
@pytest.fixture
def people(centre, department, applicant) -> SimpleNamespace:
    elsewhere = AgencyFactory(name="Ủy ban nhân dân phường khác")
    return SimpleNamespace(
        desk=officer(centre, username="motcua"),
        centre_specialist=officer(centre, Role.SPECIALIST, username="cvtrungtam"),
        leader=officer(centre, Role.LEADER, username="lanhdao"),
        clerk=officer(centre, Role.CLERK, username="vanthu"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        department_leader=officer(department, Role.LEADER, username="lanhdaoso"),
        other_desk=officer(elsewhere, username="motcuakhac"),
        other_leader=officer(elsewhere, Role.LEADER, username="lanhdaokhac"),
        applicant=applicant,
        stranger=citizen(username="nguoila"),
        nobody=None,
    )


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_related("procedure", "agency", "current_step__agency").get(
        pk=dossier.pk
    )


def attempt(action: Action, dossier: Dossier, user: Any) -> Callable[[], Any]:
    """Return a call of the action's service with valid input, as ``user``."""
    revision = dossier.revision
    calls: dict[Action, Callable[[], Any]] = {
        Action.RECEIVE: lambda: services.dossier_receive(
            dossier=dossier, actor=user, expected_revision=revision
        ),
        Action.REQUEST_SUPPLEMENT: lambda: services.dossier_request_supplement(
            dossier=dossier, items=MISSING, actor=user, expected_revision=revision
        ),
        Action.REFUSE: lambda: services.dossier_refuse(
            dossier=dossier, reason="Không thuộc thẩm quyền", actor=user, expected_revision=revision
        ),
        Action.COMPLETE_STEP: lambda: services.dossier_complete_step(
            dossier=dossier, comment="Đồng ý", actor=user, expected_revision=revision
        ),
        Action.SEND_BACK: lambda: services.dossier_send_back(
            dossier=dossier, reason="Thẩm định lại", actor=user, expected_revision=revision
        ),
        Action.ATTACH_RESULT: lambda: services.dossier_attach_result(
            dossier=dossier, upload=upload(name="kq.pdf"), actor=user, expected_revision=revision
        ),
        Action.GENERATE_RESULT: lambda: services.dossier_generate_result(
            dossier=dossier, title="Giấy xác nhận", content="Xác nhận.", actor=user,
            expected_revision=revision,
        ),
        Action.REMOVE_RESULT: lambda: services.dossier_remove_result(
            dossier=dossier, number=1, reason="Nhầm tệp", actor=user, expected_revision=revision
        ),
        Action.APOLOGIZE: lambda: services.dossier_apologize(
            dossier=dossier,
            reason="Cần xác minh thêm",
            new_due_at=due_moment(
                start=dossier.due_at or timezone.now(), days=2, agency=dossier.agency
            ),
            actor=user,
            expected_revision=revision,
        ),
        Action.STOP: lambda: services.dossier_stop(
            dossier=dossier, reason="Theo đề nghị", actor=user, expected_revision=revision
        ),
        Action.RETURN_RESULT: lambda: services.dossier_return_result(
            dossier=dossier, method="electronic", actor=user, expected_revision=revision
        ),
        Action.WITHDRAW: lambda: services.dossier_withdraw(
            dossier=dossier, reason="Nộp lại sau", actor=user, expected_revision=revision
        ),
        Action.SUBMIT_SUPPLEMENT: lambda: services.dossier_submit_supplement(
            dossier=dossier, files=[upload()], actor=user, expected_revision=revision,
        ),
    }  # fmt: skip
    return calls[action]


class _Undo(Exception):
    """Raised to roll back an accepted trial."""


def accepted(call: Callable[[], Any], dossier: Dossier) -> bool:
    """Return whether the service accepts the call; undo it either way.

    A refusal must have changed nothing: the dossier keeps its revision.
    """
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        assert Dossier.objects.get(pk=dossier.pk).revision == dossier.revision
        return False


def listed(action: Action, allowed: list[Action]) -> bool:
    if action == Action.SUBMIT_SUPPLEMENT:
        # The applicant's supplement is listed as asked at intake or during processing.
        return bool(
            {Action.SUBMIT_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT_IN_PROCESSING} & set(allowed)
        )
    return action in allowed


def check_every_user_and_action(dossier: Dossier, people: SimpleNamespace) -> dict[str, set[str]]:
    """Assert listed ⇔ accepted for every user and action; return who was allowed what."""
    dossier = fresh(dossier)
    allowed_by: dict[str, set[str]] = {}
    for name, user in vars(people).items():
        allowed = actions_allowed(dossier=dossier, user=user, now=timezone.now())
        for action in EVERY_ACTION:
            ok = accepted(attempt(action, fresh(dossier), user), dossier)
            assert ok == listed(action, allowed), (dossier.status, name, action, allowed)
        if allowed:
            allowed_by[name] = {str(action) for action in allowed}
    return allowed_by


@pytest.mark.parametrize("state", list(STATES))
def test_listed_actions_are_exactly_those_the_services_accept(state, submit, people, clock):
    # Given a dossier in the state, on Friday 20/11/2026 09:00
    dossier = STATES[state](submit, people)

    # When each user tries each action, Then listed ⇔ accepted (asserted inside)
    allowed_by = check_every_user_and_action(dossier, people)

    # And officers of an unrelated agency and other citizens are never offered anything
    assert not {"other_desk", "other_leader", "stranger", "nobody", "clerk"} & set(allowed_by)

    # And the applicant's part, which the citizen's pages ask, is theirs alone
    dossier = fresh(dossier)
    for name, user in vars(people).items():
        part = applicant_actions(dossier=dossier, user=user)
        allowed = actions_allowed(dossier=dossier, user=user)
        assert part == (allowed if name == "applicant" else []), name


def test_the_desk_acts_for_an_applicant_without_an_account(submit, people, clock):
    # Given a dossier entered at the desk for a walk-in applicant (no account), asked for a
    # supplement at intake
    dossier = submit(channel="desk", applicant=None, actor=people.desk).dossier
    services.dossier_request_supplement(
        dossier=dossier, items=MISSING, actor=people.desk, expected_revision=1
    )

    # Then only the desk may hand the supplement in, or record a written request to
    # withdraw (nobody else could: there is no account)
    allowed = check_every_user_and_action(dossier, people)
    assert {name for name, actions in allowed.items() if "submit_supplement" in actions} == {"desk"}
    assert {name for name, actions in allowed.items() if "withdraw" in actions} == {"desk"}

    # And when it does, the dossier waits for intake again, the desk named as who acted
    services.dossier_submit_supplement(
        dossier=fresh(dossier), files=[upload()], actor=people.desk, expected_revision=2
    )
    dossier = fresh(dossier)
    assert dossier.status == "submitted"
    assert dossier.events.last().actor == people.desk


def test_who_may_do_what_on_a_received_dossier(submit, people, clock):
    # Given a dossier just received, at the one-stop desk's step
    dossier = received(submit, people)

    # Then the desk may work it, the leader may apologize or stop, the applicant withdraw
    assert check_every_user_and_action(dossier, people) == {
        "desk": {"complete_step", "apologize"},
        "leader": {"apologize", "stop"},
        "applicant": {"withdraw"},
    }


def test_an_officer_does_not_handle_the_dossier_they_applied_for_themselves(submit, people, clock):
    # Given the desk's officer applies online with their own account, to their own agency
    dossier = submit(applicant=people.desk, actor=people.desk).dossier

    # Then they may only do what an applicant does; their colleague receives it
    allowed = actions_allowed(dossier=dossier, user=people.desk)
    assert allowed == [Action.WITHDRAW]
    with pytest.raises(DomainError) as caught:
        services.dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    assert caught.value.code == "permission_denied"
    assert "do chính bạn nộp" in caught.value.message
    colleague = officer(dossier.agency, username="motcua2")
    services.dossier_receive(dossier=dossier, actor=colleague, expected_revision=1)

    # and when the leader applied, another leader decides on a stop or an apology
    own = submit(applicant=people.leader, actor=people.leader).dossier
    services.dossier_receive(dossier=own, actor=people.desk, expected_revision=1)
    assert actions_allowed(dossier=fresh(own), user=people.leader) == [Action.WITHDRAW]
    with pytest.raises(DomainError) as caught:
        services.dossier_stop(
            dossier=own, reason="Tự dừng", actor=people.leader, expected_revision=2
        )
    assert caught.value.code == "permission_denied"
    assert fresh(own).status == "received"


def test_no_supplement_is_asked_once_the_result_is_attached(submit, people, clock):
    """The leader may still ask for papers before signing; once the signed result is
    attached the dossier is decided: the request is neither offered nor accepted."""
    before = fresh(at_leader(submit, people, with_result=False))
    assert Action.REQUEST_SUPPLEMENT in actions_allowed(dossier=before, user=people.leader)

    signed = fresh(at_leader(submit, people, with_result=True))
    assert Action.REQUEST_SUPPLEMENT not in actions_allowed(dossier=signed, user=people.leader)
    with pytest.raises(DomainError) as refused:
        services.dossier_request_supplement(
            dossier=signed, items=MISSING, actor=people.leader, expected_revision=5
        )

    assert (refused.value.code, refused.value.status) == ("result_already_attached", 409)
    after = fresh(signed)
    assert (after.status, after.revision, after.supplement_count) == ("processing", 5, 0)
    assert after.clock_stopped_at is None


def test_the_apology_is_no_longer_offered_once_the_due_moment_has_passed(submit, people, clock):
    # Given a dossier at the specialist, due Monday 23/11 14:00
    dossier = at_specialist(submit, people)
    assert "apologize" in check_every_user_and_action(dossier, people)["specialist"]

    # When the due moment passes
    clock(at(23, 14, 1))

    # Then nobody is offered the apology, and the service refuses it (checked inside)
    allowed_by = check_every_user_and_action(dossier, people)
    assert all("apologize" not in actions for actions in allowed_by.values())


def test_listing_every_action_reads_the_users_roles_once(
    submit, people, clock, django_assert_num_queries
):
    """At the leader's step the leader is asked about (centre, leader) for several
    actions; a desk officer on a received dossier about (centre, one-stop) and (centre,
    leader). Either way the user's roles are read once."""
    at_leaders_step = fresh(at_leader(submit, people, with_result=False))
    just_received = fresh(received(submit, people))
    # Loaded afresh, as each request loads its user: the services above read the roles of
    # people.leader and people.desk, which those objects now remember.
    leader, desk = (User.objects.get(pk=who.pk) for who in (people.leader, people.desk))

    # The leader's roles (1); whether a result is attached, which approval needs (1).
    with django_assert_num_queries(2):
        allowed = actions_allowed(dossier=at_leaders_step, user=leader)
    assert Action.COMPLETE_STEP not in allowed and Action.ATTACH_RESULT in allowed
    again = fresh(at_leaders_step)
    with django_assert_num_queries(1):  # the results again; the roles are remembered
        assert actions_allowed(dossier=again, user=leader) == allowed

    # The desk officer's roles (1), for both pairs.
    with django_assert_num_queries(1):
        allowed = actions_allowed(dossier=just_received, user=desk)
    assert allowed == [Action.COMPLETE_STEP, Action.APOLOGIZE]


def test_a_finished_dossier_lists_no_officer_action_and_reads_no_role(
    submit, people, clock, django_assert_num_queries
):
    withdrawn = services.dossier_withdraw(
        dossier=received(submit, people),
        reason="Nộp lại sau",
        actor=people.applicant,
        expected_revision=2,
    )
    dossier = fresh(withdrawn)

    with django_assert_num_queries(0):
        assert actions_allowed(dossier=dossier, user=people.leader) == []


def test_holds_role_answers_as_officer_has_role(people, centre, department):
    """For every user, agency and role, including a revoked membership, a locked account
    and a closed agency, ``holds_role`` (from the remembered roles) answers as
    ``officer_has_role`` (one query each)."""
    revoked = officer(department, Role.LEADER, username="thoiviec")
    Membership.objects.filter(user=revoked).update(is_active=False)
    locked = officer(centre, Role.LEADER, username="bikhoa", is_active=False)
    closed = AgencyFactory(name="Cơ quan đã giải thể", is_active=False)
    MembershipFactory(user=people.leader, agency=closed, role=Role.LEADER)
    users = [*vars(people).values(), revoked, locked]

    for user in users:
        for agency in (centre, department, closed):
            for role in Role:
                assert holds_role(user, agency, role) == officer_has_role(user, agency, role), (
                    user,
                    agency,
                    role,
                )


def test_the_applicants_actions_cost_no_query(submit, people, clock, django_assert_num_queries):
    dossier = fresh(received(submit, people))

    with django_assert_num_queries(0):
        assert applicant_actions(dossier=dossier, user=people.applicant) == [Action.WITHDRAW]
        assert applicant_actions(dossier=dossier, user=people.stranger) == []


# --- A random walk ----------------------------------------------------------------------------

USERS = ("desk", "centre_specialist", "leader", "specialist", "other_desk", "applicant")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(USERS), st.sampled_from(EVERY_ACTION), st.integers(0, 6)),
        min_size=4,
        max_size=14,
    )
)
def test_a_random_walk_never_offers_what_the_service_refuses(submit, people, clock, moves):
    # Each example runs in its own savepoint, rolled back at the end.
    try:
        with transaction.atomic():
            dossier = submit().dossier
            moment = at(20, 9)
            for name, action, hours in moves:
                # Given some working time later
                moment += timedelta(hours=hours)
                clock(moment)
                user = getattr(people, name)
                dossier = fresh(dossier)
                allowed = actions_allowed(dossier=dossier, user=user)

                # When the user tries the action, keeping it if accepted
                try:
                    with transaction.atomic():
                        attempt(action, dossier, user)()
                    ok = True
                except DomainError:
                    ok = False

                # Then it was accepted exactly when it was listed
                assert ok == listed(action, allowed), (dossier.status, name, action, allowed)
            raise _Undo
    except _Undo:
        pass
