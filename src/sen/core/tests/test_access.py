"""Who may see and act for which agency: the base of per-object authorization."""

import copy
from collections.abc import Iterable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from sen.core.errors import NotAllowed
from sen.core.models import Agency, AgencyKind, Role, User
from sen.core.selectors import (
    agencies_managed_by,
    agencies_visible_to,
    agency_is_managed_by,
    forget_access,
    officer_agencies,
    officer_has_any_role,
    officer_has_role,
    officer_role_pairs,
    officer_roles,
    province_admin_unit_ids,
    province_leader_unit_ids,
)
from sen.core.services import agency_update, membership_grant, membership_revoke
from sen.core.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ProvinceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class Org:
    """Two provinces: 90 with a committee, two departments and a ward committee; 91 with
    its committee."""

    def __init__(self) -> None:
        home = ProvinceFactory(code="90")
        away = ProvinceFactory(code="91")
        self.committee = AgencyFactory(
            code="000.00.00.H90", kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=home
        )
        self.justice = AgencyFactory(code="000.10.00.H90", unit=home, parent=self.committee)
        self.health = AgencyFactory(code="000.14.00.H90", unit=home, parent=self.committee)
        self.ward = AgencyFactory(
            code="000.20.01.H90",
            kind=AgencyKind.COMMUNE_COMMITTEE,
            unit=CommuneFactory(parent=home),
        )
        self.away = AgencyFactory(
            code="000.00.00.H91", kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=away
        )


@pytest.fixture
def org() -> Org:
    return Org()


def codes(agencies: Iterable[Agency]) -> list[str]:
    return sorted(agency.code for agency in agencies)


def test_a_provincial_administrator_sees_and_manages_every_agency_of_the_province(
    org: Org,
) -> None:
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user

    expected = ["000.00.00.H90", "000.10.00.H90", "000.14.00.H90", "000.20.01.H90"]
    assert codes(agencies_managed_by(admin)) == expected
    assert codes(agencies_visible_to(admin)) == expected
    assert agency_is_managed_by(admin, org.ward)
    assert not agency_is_managed_by(admin, org.away)


def test_a_provincial_administrator_holds_no_other_role_implicitly(org: Org) -> None:
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user

    assert officer_has_role(admin, org.committee, Role.PROVINCE_ADMIN)
    assert not officer_has_role(admin, org.justice, Role.LEADER)
    assert codes(officer_agencies(admin, Role.LEADER)) == []


def test_an_agency_administrator_sees_and_manages_only_their_agencies(org: Org) -> None:
    admin = MembershipFactory(agency=org.justice, role=Role.AGENCY_ADMIN).user
    MembershipFactory(user=admin, agency=org.ward, role=Role.AGENCY_ADMIN)

    assert codes(agencies_managed_by(admin)) == ["000.10.00.H90", "000.20.01.H90"]
    assert codes(agencies_visible_to(admin)) == ["000.10.00.H90", "000.20.01.H90"]
    assert not agency_is_managed_by(admin, org.committee)
    assert not agency_is_managed_by(admin, org.health)


def test_an_officer_sees_the_agencies_they_work_in_and_manages_none(org: Org) -> None:
    officer = MembershipFactory(agency=org.justice, role=Role.ONE_STOP_OFFICER).user
    MembershipFactory(user=officer, agency=org.justice, role=Role.SPECIALIST)
    MembershipFactory(user=officer, agency=org.ward, role=Role.CLERK)

    assert codes(agencies_visible_to(officer)) == ["000.10.00.H90", "000.20.01.H90"]
    assert codes(agencies_managed_by(officer)) == []
    assert codes(officer_agencies(officer)) == ["000.10.00.H90", "000.20.01.H90"]
    assert codes(officer_agencies(officer, Role.SPECIALIST)) == ["000.10.00.H90"]
    assert codes(officer_agencies(officer, Role.LEADER)) == []
    # Several roles asked: each agency where one is held, once
    assert codes(officer_agencies(officer, Role.ONE_STOP_OFFICER, Role.SPECIALIST)) == [
        "000.10.00.H90"
    ]
    assert codes(officer_agencies(officer, Role.SPECIALIST, Role.CLERK)) == [
        "000.10.00.H90",
        "000.20.01.H90",
    ]
    assert officer_has_role(officer, org.justice, Role.ONE_STOP_OFFICER)
    assert not officer_has_role(officer, org.ward, Role.ONE_STOP_OFFICER)
    assert not agency_is_managed_by(officer, org.justice)


def test_a_revoked_role_grants_nothing(org: Org) -> None:
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN, is_active=False).user
    officer = MembershipFactory(agency=org.justice, role=Role.CLERK, is_active=False).user

    assert codes(agencies_managed_by(admin)) == []
    assert codes(agencies_visible_to(admin)) == []
    assert not officer_has_role(officer, org.justice, Role.CLERK)
    assert codes(officer_agencies(officer)) == []


def test_a_locked_account_grants_nothing(org: Org) -> None:
    admin = MembershipFactory(
        agency=org.committee, role=Role.PROVINCE_ADMIN, user=UserFactory(is_active=False)
    ).user

    assert codes(agencies_managed_by(admin)) == []
    assert codes(agencies_visible_to(admin)) == []
    assert not officer_has_role(admin, org.committee, Role.PROVINCE_ADMIN)
    assert not agency_is_managed_by(admin, org.committee)


def test_a_closed_agency_gives_its_officers_no_role_but_its_administrators_still_see_it(
    org: Org,
) -> None:
    Agency.objects.filter(pk=org.justice.pk).update(is_active=False)
    org.justice.refresh_from_db()
    officer = MembershipFactory(agency=org.justice, role=Role.CLERK).user
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user

    assert not officer_has_role(officer, org.justice, Role.CLERK)
    assert codes(officer_agencies(officer)) == []
    assert "000.10.00.H90" in codes(agencies_managed_by(admin))


def test_a_provincial_administrator_role_in_a_closed_agency_grants_nothing(org: Org) -> None:
    admin = MembershipFactory(agency=org.justice, role=Role.PROVINCE_ADMIN).user
    Agency.objects.filter(pk=org.justice.pk).update(is_active=False)

    assert codes(agencies_managed_by(admin)) == []


def test_the_provinces_leaders_are_the_leaders_of_its_people_s_committee(org: Org) -> None:
    leader = MembershipFactory(agency=org.committee, role=Role.LEADER).user
    department_leader = MembershipFactory(agency=org.justice, role=Role.LEADER).user
    ward_leader = MembershipFactory(agency=org.ward, role=Role.LEADER).user
    specialist = MembershipFactory(agency=org.committee, role=Role.SPECIALIST).user
    revoked = MembershipFactory(agency=org.committee, role=Role.LEADER, is_active=False).user
    away = MembershipFactory(agency=org.away, role=Role.LEADER).user

    assert province_leader_unit_ids(leader) == {org.committee.unit_id}
    assert province_leader_unit_ids(away) == {org.away.unit_id}
    for user in (department_leader, ward_leader, specialist, revoked):
        assert province_leader_unit_ids(user) == set()
    # Leading the province is reading it, not administering it
    assert province_admin_unit_ids(leader) == set()
    # and a closed committee's leader leads nothing
    Agency.objects.filter(pk=org.committee.pk).update(is_active=False)
    assert province_leader_unit_ids(User.objects.get(pk=leader.pk)) == set()


def test_a_superuser_sees_and_manages_every_agency(org: Org) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)

    assert len(codes(agencies_managed_by(root))) == 5
    assert len(codes(agencies_visible_to(root))) == 5
    assert agency_is_managed_by(root, org.away)


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_nobody_signed_in_sees_nothing(org: Org, user: AnonymousUser | None) -> None:
    assert codes(agencies_managed_by(user)) == []
    assert codes(agencies_visible_to(user)) == []
    assert codes(officer_agencies(user)) == []
    assert not officer_has_role(user, org.justice, Role.CLERK)
    assert not agency_is_managed_by(user, org.justice)


def test_the_access_selectors_cost_a_fixed_number_of_queries(
    org: Org, django_assert_num_queries: Any
) -> None:
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user
    for agency in (org.justice, org.health, org.ward):
        MembershipFactory(user=admin, agency=agency, role=Role.AGENCY_ADMIN)

    with django_assert_num_queries(2):  # the admin's provinces, then the agencies
        list(agencies_managed_by(admin))
    with django_assert_num_queries(1):  # the agencies: the provinces are remembered
        list(agencies_visible_to(admin))
    with django_assert_num_queries(1):
        officer_has_role(admin, org.justice, Role.AGENCY_ADMIN)


def test_holding_any_of_several_roles_is_asked_in_one_query(
    org: Org, django_assert_num_queries: Any
) -> None:
    leader = MembershipFactory(agency=org.justice, role=Role.LEADER).user
    MembershipFactory(user=leader, agency=org.ward, role=Role.ONE_STOP_OFFICER)
    desk_or_leader = (Role.ONE_STOP_OFFICER, Role.LEADER)

    with django_assert_num_queries(1):
        assert officer_has_any_role(leader, org.justice, desk_or_leader)
    with django_assert_num_queries(1):
        assert not officer_has_any_role(leader, org.justice, (Role.CLERK, Role.SPECIALIST))
    assert officer_has_any_role(leader, org.ward, desk_or_leader)
    assert not officer_has_any_role(leader, org.health, desk_or_leader)
    with django_assert_num_queries(0):  # no role asked: none held
        assert not officer_has_any_role(leader, org.justice, ())


def test_holding_any_role_follows_the_same_rules_as_holding_one(org: Org) -> None:
    revoked = MembershipFactory(agency=org.justice, role=Role.LEADER, is_active=False).user
    locked = MembershipFactory(
        agency=org.justice, role=Role.LEADER, user=UserFactory(is_active=False)
    ).user
    admin = MembershipFactory(agency=org.justice, role=Role.PROVINCE_ADMIN).user
    closed = MembershipFactory(agency=org.health, role=Role.LEADER).user
    Agency.objects.filter(pk=org.health.pk).update(is_active=False)
    org.health.refresh_from_db()
    desk_or_leader = (Role.ONE_STOP_OFFICER, Role.LEADER)

    assert not officer_has_any_role(revoked, org.justice, desk_or_leader)
    assert not officer_has_any_role(locked, org.justice, desk_or_leader)
    assert not officer_has_any_role(admin, org.justice, desk_or_leader)
    assert not officer_has_any_role(closed, org.health, desk_or_leader)
    assert not officer_has_any_role(None, org.justice, desk_or_leader)
    assert not officer_has_any_role(AnonymousUser(), org.justice, desk_or_leader)


def test_the_role_pairs_are_the_active_memberships_read_at_once(
    org: Org, django_assert_num_queries: Any
) -> None:
    leader = MembershipFactory(agency=org.justice, role=Role.LEADER).user
    MembershipFactory(user=leader, agency=org.ward, role=Role.ONE_STOP_OFFICER)
    MembershipFactory(user=leader, agency=org.health, role=Role.CLERK, is_active=False)
    locked = MembershipFactory(
        agency=org.justice, role=Role.LEADER, user=UserFactory(is_active=False)
    ).user

    with django_assert_num_queries(1):
        pairs = officer_role_pairs(leader)
    assert pairs == {(org.justice.pk, Role.LEADER), (org.ward.pk, Role.ONE_STOP_OFFICER)}
    with django_assert_num_queries(0):  # nobody, or a locked account: none held
        assert officer_role_pairs(locked) == frozenset()
        assert officer_role_pairs(None) == frozenset()
        assert officer_role_pairs(AnonymousUser()) == frozenset()


# --- What a user object remembers of its access -------------------------------------------


def test_a_user_objects_roles_and_provinces_are_read_once(
    org: Org, django_assert_num_queries: Any
) -> None:
    """Given a provincial administrator who also leads a closed agency, the roles (for the
    menu and for the actions) are one query and the provinces one, however often asked."""
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user
    MembershipFactory(user=admin, agency=org.health, role=Role.LEADER)
    Agency.objects.filter(pk=org.health.pk).update(is_active=False)

    with django_assert_num_queries(1):
        assert officer_roles(admin) == {Role.PROVINCE_ADMIN}  # not the closed agency's
        assert officer_role_pairs(admin) == {
            (org.committee.pk, Role.PROVINCE_ADMIN),
            (org.health.pk, Role.LEADER),
        }
        assert officer_roles(admin) == {Role.PROVINCE_ADMIN}
    with django_assert_num_queries(1):
        assert province_admin_unit_ids(admin) == {org.committee.unit_id}
        province_admin_unit_ids(admin).clear()  # the caller's copy, not the remembered set
        assert province_admin_unit_ids(admin) == {org.committee.unit_id}
        assert province_leader_unit_ids(admin) == set()  # the same query's answer

    forget_access(admin)
    with django_assert_num_queries(2):
        officer_roles(admin)
        province_admin_unit_ids(admin)


def test_a_role_revoked_is_not_seen_by_the_next_request(org: Org) -> None:
    """Each request loads its user afresh: what one object remembered is not the next's."""
    leader = MembershipFactory(agency=org.justice, role=Role.LEADER).user
    assert officer_roles(leader) == {Role.LEADER}  # a first request

    membership_revoke(
        user=User.objects.get(pk=leader.pk), agency=org.justice, role=Role.LEADER, actor=None
    )

    next_request = User.objects.get(pk=leader.pk)
    assert officer_roles(next_request) == set()
    assert officer_role_pairs(next_request) == frozenset()
    assert not officer_has_role(next_request, org.justice, Role.LEADER)


def test_an_officer_whose_role_is_revoked_is_told_at_once_in_the_same_request(org: Org) -> None:
    officer = MembershipFactory(agency=org.justice, role=Role.SPECIALIST).user
    assert officer_roles(officer) == {Role.SPECIALIST}

    membership_revoke(user=officer, agency=org.justice, role=Role.SPECIALIST, actor=None)
    assert officer_roles(officer) == set()

    membership_grant(user=officer, agency=org.health, role=Role.LEADER, actor=None)
    assert officer_role_pairs(officer) == {(org.health.pk, Role.LEADER)}


def test_an_administrator_who_revokes_their_own_role_may_not_act_on_in_that_request(
    org: Org,
) -> None:
    """Given a provincial administrator whose provinces the request has read, when they
    revoke their own role (the user passed as another object, as the admin's form does),
    then the next check in the request refuses them and nothing more is granted."""
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user
    clerk = UserFactory()
    assert agency_is_managed_by(admin, org.justice)

    membership_revoke(
        user=User.objects.get(pk=admin.pk),
        agency=org.committee,
        role=Role.PROVINCE_ADMIN,
        actor=admin,
    )

    assert province_admin_unit_ids(admin) == set()
    with pytest.raises(NotAllowed):
        membership_grant(user=clerk, agency=org.justice, role=Role.CLERK, actor=admin)
    assert officer_roles(clerk) == set()


def test_closing_the_agency_of_ones_role_is_seen_in_the_same_request(org: Org) -> None:
    department = AgencyFactory(code="000.30.00.H90", unit=org.committee.unit)
    admin = MembershipFactory(agency=department, role=Role.PROVINCE_ADMIN).user
    assert province_admin_unit_ids(admin) == {department.unit_id}
    assert officer_roles(admin) == {Role.PROVINCE_ADMIN}

    agency_update(agency=department, actor=admin, is_active=False)

    assert province_admin_unit_ids(admin) == set()
    assert officer_roles(admin) == set()


def test_what_one_user_object_remembers_is_never_answered_for_another_user(org: Org) -> None:
    leader = MembershipFactory(agency=org.justice, role=Role.LEADER).user
    admin = MembershipFactory(agency=org.committee, role=Role.PROVINCE_ADMIN).user
    citizen = UserFactory()
    assert officer_roles(leader) == {Role.LEADER}
    assert province_admin_unit_ids(admin) == {org.committee.unit_id}

    assert officer_roles(citizen) == set()
    assert province_admin_unit_ids(leader) == set()
    assert officer_roles(admin) == {Role.PROVINCE_ADMIN}
    assert officer_roles(leader) == {Role.LEADER}
    # A copy of a user object shares its remembered answers; made into another account,
    # it reads that account's own.
    other = copy.copy(leader)
    other.pk, other.username = citizen.pk, citizen.username
    assert officer_roles(other) == set()
    assert officer_role_pairs(other) == frozenset()
    assert officer_roles(leader) == {Role.LEADER}
