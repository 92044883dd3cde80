"""Officers' accounts and roles (officer_create, membership_grant, membership_revoke)."""

from typing import Any

import pytest

from sen.core.errors import (
    AgencyInactive,
    FullNameRequired,
    InvalidEmail,
    InvalidRole,
    InvalidUsername,
    MembershipExists,
    MembershipNotFound,
    NotAllowed,
    UserInactive,
    UsernameTaken,
    WeakPassword,
)
from sen.core.models import Agency, AgencyKind, AuditEntry, Membership, Role, User
from sen.core.selectors import accounts_managed_by, audit_for, officer_has_role
from sen.core.services import membership_grant, membership_revoke, officer_create
from sen.core.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ProvinceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee() -> Agency:
    return AgencyFactory(
        code="000.00.00.H90",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        unit=ProvinceFactory(code="90"),
    )


@pytest.fixture
def department(committee: Agency) -> Agency:
    return AgencyFactory(code="000.10.00.H90", name="Sở Tư pháp", unit=committee.unit)


@pytest.fixture
def province_admin(committee: Agency) -> User:
    user = UserFactory(username="quantri")
    MembershipFactory(user=user, agency=committee, role=Role.PROVINCE_ADMIN)
    return user


@pytest.fixture
def agency_admin(department: Agency) -> User:
    user = UserFactory(username="quantri.tuphap")
    MembershipFactory(user=user, agency=department, role=Role.AGENCY_ADMIN)
    return user


def create(**overrides: Any) -> User:
    arguments = {
        "username": "motcua.tuphap",
        "full_name": "Lê  Thị Hoa",
        "email": "hoa@sen.example",
        "password": "sen-demo-2026",
        "actor": None,
    }
    return officer_create(**{**arguments, **overrides})


def test_an_agency_administrator_creates_an_officer_who_can_sign_in(
    department: Agency, agency_admin: User
) -> None:
    officer = create(actor=agency_admin, agency=department, role=Role.ONE_STOP_OFFICER)

    assert (officer.username, officer.full_name, officer.email) == (
        "motcua.tuphap",
        "Lê Thị Hoa",
        "hoa@sen.example",
    )
    assert officer.check_password("sen-demo-2026")
    assert (officer.is_staff, officer.is_superuser) == (False, False)
    # Born with its first role, the account is the administrator's to manage.
    assert officer_has_role(officer, department, Role.ONE_STOP_OFFICER)
    assert accounts_managed_by(agency_admin).filter(pk=officer.pk).exists()
    created, granted = audit_for(target_type="core.user", target_key="motcua.tuphap").reverse()
    assert (granted.actor, granted.action) == (agency_admin, "core.membership.granted")
    entry = created
    assert (entry.actor, entry.action) == (agency_admin, "core.user.created")
    assert entry.data == {
        "full_name": "Lê Thị Hoa",
        "email": "hoa@sen.example",
        "is_staff": False,
        "is_superuser": False,
    }
    assert "sen-demo-2026" not in str(entry.data)


def test_an_administrator_creates_an_officer_only_with_a_role_in_their_agency(
    committee: Agency, department: Agency, agency_admin: User
) -> None:
    with pytest.raises(InvalidRole):
        create(actor=agency_admin)
    with pytest.raises(InvalidRole):
        create(actor=agency_admin, agency=department)
    with pytest.raises(NotAllowed):
        create(actor=agency_admin, agency=committee, role=Role.SPECIALIST)
    with pytest.raises(NotAllowed):
        create(actor=agency_admin, agency=department, role=Role.PROVINCE_ADMIN)

    assert not User.objects.filter(username="motcua.tuphap").exists()
    assert AuditEntry.objects.count() == 0


def test_an_officer_without_a_password_cannot_sign_in_with_one() -> None:
    officer = create(password=None)

    assert not officer.has_usable_password()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"username": "có dấu cách"}, InvalidUsername),
        ({"username": ""}, InvalidUsername),
        ({"full_name": "  "}, FullNameRequired),
        ({"email": "hoa@"}, InvalidEmail),
        ({"password": "123"}, WeakPassword),
        ({"password": "motcua.tuphap"}, WeakPassword),
    ],
)
def test_a_malformed_account_is_refused_and_nothing_is_written(
    overrides: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        create(**overrides)

    assert User.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_weak_password_says_why() -> None:
    with pytest.raises(WeakPassword) as caught:
        create(password="12345678")

    assert caught.value.code == "weak_password"
    assert {detail["field"] for detail in caught.value.details} == {"password"}
    assert len(caught.value.details) == 2  # too common and entirely numeric


def test_a_taken_username_is_refused_whatever_its_case() -> None:
    UserFactory(username="motcua.tuphap")

    with pytest.raises(UsernameTaken):
        create(username="MotCua.TuPhap")

    assert User.objects.count() == 1


def test_a_plain_officer_cannot_create_accounts(department: Agency) -> None:
    specialist = UserFactory()
    MembershipFactory(user=specialist, agency=department, role=Role.SPECIALIST)

    with pytest.raises(NotAllowed):
        create(actor=specialist)

    assert not User.objects.filter(username="motcua.tuphap").exists()


def test_only_the_system_or_a_superuser_creates_a_superuser(province_admin: User) -> None:
    with pytest.raises(NotAllowed):
        create(actor=province_admin, is_superuser=True)

    root = create(username="root", is_superuser=True)
    assert (root.is_staff, root.is_superuser) == (True, True)
    assert create(actor=root, username="quantri2", is_staff=True).is_staff is True


def test_an_agency_administrator_grants_a_role_in_their_agency(
    department: Agency, agency_admin: User
) -> None:
    officer = UserFactory(username="motcua.tuphap")
    MembershipFactory(user=officer, agency=department, role=Role.SPECIALIST)

    membership = membership_grant(
        user=officer, agency=department, role=Role.ONE_STOP_OFFICER, actor=agency_admin
    )

    assert (membership.user, membership.agency, membership.role, membership.is_active) == (
        officer,
        department,
        "one_stop",
        True,
    )
    assert officer_has_role(officer, department, Role.ONE_STOP_OFFICER)
    entry = audit_for(target_type="core.user", target_key="motcua.tuphap").get()
    assert (entry.actor, entry.action, entry.data) == (
        agency_admin,
        "core.membership.granted",
        {"agency": "000.10.00.H90", "role": "one_stop"},
    )


@pytest.mark.parametrize("serves", ["nowhere", "elsewhere"])
def test_an_administrator_gives_no_role_to_an_account_they_do_not_manage(
    serves: str, committee: Agency, department: Agency, agency_admin: User, province_admin: User
) -> None:
    # A citizen's account (no role anywhere), or an officer of the provincial committee:
    # a role here would let the administrator set its password and act as its holder.
    account = UserFactory(username="congdan")
    if serves == "elsewhere":
        MembershipFactory(user=account, agency=committee, role=Role.SPECIALIST)
    held = set(Membership.objects.values_list("pk", "is_active"))

    for actor in (agency_admin, *([province_admin] if serves == "nowhere" else [])):
        with pytest.raises(NotAllowed) as refused:
            membership_grant(user=account, agency=department, role=Role.SPECIALIST, actor=actor)
        assert "Bạn không quản lý tài khoản congdan" in str(refused.value.message)

    assert set(Membership.objects.values_list("pk", "is_active")) == held
    assert AuditEntry.objects.count() == 0
    # The superuser gives it.
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    membership_grant(user=account, agency=department, role=Role.SPECIALIST, actor=root)
    assert officer_has_role(account, department, Role.SPECIALIST)


def test_an_agency_administrator_cannot_grant_roles_elsewhere(
    committee: Agency, agency_admin: User
) -> None:
    officer = UserFactory()

    with pytest.raises(NotAllowed):
        membership_grant(user=officer, agency=committee, role=Role.SPECIALIST, actor=agency_admin)

    assert not Membership.objects.filter(user=officer).exists()
    assert AuditEntry.objects.count() == 0


def test_an_agency_administrator_cannot_make_a_provincial_administrator(
    department: Agency, agency_admin: User
) -> None:
    officer = UserFactory()

    with pytest.raises(NotAllowed):
        membership_grant(
            user=officer, agency=department, role=Role.PROVINCE_ADMIN, actor=agency_admin
        )

    assert not Membership.objects.filter(user=officer).exists()


def test_a_provincial_administrator_grants_roles_in_commune_committees(
    committee: Agency, province_admin: User
) -> None:
    ward = AgencyFactory(
        code="000.20.01.H90",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=CommuneFactory(parent=committee.unit),
    )
    officer = UserFactory()
    MembershipFactory(user=officer, agency=committee, role=Role.SPECIALIST)

    membership_grant(user=officer, agency=ward, role=Role.PROVINCE_ADMIN, actor=province_admin)

    assert officer_has_role(officer, ward, Role.PROVINCE_ADMIN)


@pytest.mark.parametrize("role", ["mayor", ""])
def test_an_unknown_role_is_refused(department: Agency, role: str) -> None:
    with pytest.raises(InvalidRole):
        membership_grant(user=UserFactory(), agency=department, role=role, actor=None)

    assert Membership.objects.count() == 0


def test_a_role_held_already_is_refused(department: Agency) -> None:
    officer = UserFactory()
    membership_grant(user=officer, agency=department, role=Role.CLERK, actor=None)

    with pytest.raises(MembershipExists) as caught:
        membership_grant(user=officer, agency=department, role=Role.CLERK, actor=None)

    assert caught.value.status == 409
    assert AuditEntry.objects.filter(action="core.membership.granted").count() == 1


def test_a_locked_account_or_a_closed_agency_gets_no_role(department: Agency) -> None:
    locked = UserFactory(is_active=False)
    closed = AgencyFactory(code="000.99.00.H90", unit=department.unit, is_active=False)

    with pytest.raises(UserInactive):
        membership_grant(user=locked, agency=department, role=Role.CLERK, actor=None)
    with pytest.raises(AgencyInactive):
        membership_grant(user=UserFactory(), agency=closed, role=Role.CLERK, actor=None)

    assert Membership.objects.count() == 0


def test_a_revoked_role_is_kept_inactive_and_can_be_given_back(
    department: Agency, agency_admin: User
) -> None:
    officer = UserFactory(username="vanthu.tuphap")
    membership_grant(user=officer, agency=department, role=Role.CLERK, actor=None)

    membership_revoke(user=officer, agency=department, role=Role.CLERK, actor=agency_admin)

    membership = Membership.objects.get(user=officer)
    assert membership.is_active is False
    assert not officer_has_role(officer, department, Role.CLERK)

    membership_grant(user=officer, agency=department, role=Role.CLERK, actor=agency_admin)

    assert Membership.objects.get(user=officer).is_active is True
    actions = [
        entry.action
        for entry in audit_for(target_type="core.user", target_key="vanthu.tuphap").reverse()
    ]
    assert actions == [
        "core.membership.granted",
        "core.membership.revoked",
        "core.membership.granted",
    ]


def test_revoking_a_role_not_held_is_refused(department: Agency) -> None:
    with pytest.raises(MembershipNotFound) as caught:
        membership_revoke(user=UserFactory(), agency=department, role=Role.CLERK, actor=None)

    assert caught.value.status == 404
    assert AuditEntry.objects.count() == 0


def test_a_plain_officer_cannot_revoke_a_colleague(department: Agency) -> None:
    colleague = MembershipFactory(agency=department, role=Role.CLERK).user
    officer = MembershipFactory(agency=department, role=Role.LEADER).user

    with pytest.raises(NotAllowed):
        membership_revoke(user=colleague, agency=department, role=Role.CLERK, actor=officer)

    assert officer_has_role(colleague, department, Role.CLERK)
