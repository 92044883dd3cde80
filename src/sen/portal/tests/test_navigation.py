"""The main navigation: the staff pages for those who work on them."""

import re

import pytest
from django.test import RequestFactory

from sen.core.models import Role
from sen.core.services import membership_revoke
from sen.core.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from sen.portal.navigation import StaffNavigation, staff_navigation

pytestmark = pytest.mark.django_db

WORKSPACE = '<a href="/can-bo/"'
PERIODIC = '<a href="/bao-cao-dinh-ky/"'


def nav_of(html: str) -> str:
    found = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert found is not None
    return found.group(0)


def test_a_visitor_and_a_citizen_see_only_the_citizen_pages(client):
    visitor = nav_of(client.get("/").content.decode())
    client.force_login(UserFactory())
    citizen = nav_of(client.get("/").content.decode())

    for nav in (visitor, citizen):
        assert WORKSPACE not in nav and PERIODIC not in nav
        assert '<a href="/ho-so-cua-toi/"' in nav


def test_an_officer_sees_their_workspace_marked_current_inside_it(client, one_stop):
    client.force_login(one_stop.desk)

    home = nav_of(client.get("/").content.decode())
    inside = nav_of(client.get("/can-bo/").content.decode())

    assert WORKSPACE + ">Hồ sơ cần xử lý</a>" in home
    assert WORKSPACE + ' aria-current="page">Hồ sơ cần xử lý</a>' in inside
    # The centre reports on no periodic form: no link to periodic reporting.
    assert PERIODIC not in home


def test_an_officer_keeps_my_dossiers_as_they_may_apply_online_with_the_same_account(
    client, one_stop
):
    """An officer is a citizen too: the online submission takes any signed-in account as
    the applicant (no separate citizen identity), so the one-stop officer who registers their
    own child's birth online finds the dossier where any citizen would."""
    own = one_stop.submit(applicant=one_stop.desk)
    client.force_login(one_stop.desk)

    menu = nav_of(client.get("/").content.decode())
    mine = client.get("/ho-so-cua-toi/").content.decode()

    assert '<a href="/ho-so-cua-toi/">Hồ sơ của tôi</a>' in menu
    assert WORKSPACE + ">Hồ sơ cần xử lý</a>" in menu
    assert f'<dd class="code">{own.code}</dd>' in mine


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.PROVINCE_ADMIN, StaffNavigation(workspace=True, periodic=True, dashboard=True)),
        (
            Role.LEADER,
            StaffNavigation(workspace=True, periodic=False, dashboard=True, register=True),
        ),
        (Role.SPECIALIST, StaffNavigation(workspace=True, periodic=False, dashboard=True)),
        (
            Role.ONE_STOP_OFFICER,
            StaffNavigation(workspace=True, dashboard=True, intake=True, register=True),
        ),
    ],
)
def test_what_each_role_is_offered(role, sees):
    user = MembershipFactory(role=role, agency=AgencyFactory()).user
    request = RequestFactory().get("/")
    request.user = user

    assert staff_navigation(request) == sees


def test_a_superuser_without_a_role_gets_periodic_reporting_but_no_queue():
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True)

    assert staff_navigation(request) == StaffNavigation(periodic=True, dashboard=True)


@pytest.mark.parametrize("role", [*Role.values, "citizen", "superuser", "closed agency"])
def test_the_menu_offers_the_operations_dashboard_exactly_to_those_it_opens_for(client, role):
    """The IOC reads each officer's own agency (leaders and administrators more): every
    officer gets the link, and nobody gets a link to a refusal."""
    agency = AgencyFactory()
    user = UserFactory(is_superuser=role == "superuser")
    if role in Role.values:
        MembershipFactory(user=user, agency=agency, role=role)
    elif role == "closed agency":
        MembershipFactory(user=user, agency=AgencyFactory(is_active=False), role=Role.LEADER)
    client.force_login(user)

    linked = '<a href="/ioc/">Điều hành (IOC)</a>' in nav_of(client.get("/").content.decode())
    opens = client.get("/ioc/").status_code == 200

    assert linked == opens == (role not in ("citizen", "closed agency"))


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(
    ("page", "label", "roles"),
    [
        ("/can-bo/tiep-nhan/", "Tiếp nhận tại Bộ phận Một cửa", {Role.ONE_STOP_OFFICER}),
        ("/can-bo/so-theo-doi/", "Sổ theo dõi hồ sơ", {Role.ONE_STOP_OFFICER, Role.LEADER}),
    ],
)
def test_the_workspace_links_the_desk_and_the_register_exactly_to_those_they_open_for(
    client, role, page, label, roles
):
    """A leader or a specialist is not sent to a refusal from the workspace's own menu."""
    client.force_login(MembershipFactory(agency=AgencyFactory(), role=role).user)

    queue = client.get("/can-bo/").content.decode()
    linked = f'<a href="{page}">{label}</a>' in queue
    opens = client.get(page).status_code == 200

    assert linked == opens == (role in roles)


def test_a_role_revoked_between_two_requests_is_gone_from_the_second(client):
    """Given an officer whose menu and queue read their roles, when their only role is
    revoked, then their next request offers no workspace and the queue refuses them."""
    agency = AgencyFactory()
    leader = MembershipFactory(agency=agency, role=Role.LEADER).user
    client.force_login(leader)
    assert WORKSPACE in nav_of(client.get("/").content.decode())
    assert client.get("/can-bo/").status_code == 200

    membership_revoke(user=leader, agency=agency, role=Role.LEADER, actor=None)

    assert WORKSPACE not in nav_of(client.get("/").content.decode())
    assert client.get("/can-bo/").status_code == 403


def test_one_persons_roles_never_show_in_anothers_requests(client):
    officer = MembershipFactory(agency=AgencyFactory(), role=Role.PROVINCE_ADMIN).user
    citizen = UserFactory()

    for _turn in range(2):
        client.force_login(officer)
        assert WORKSPACE in nav_of(client.get("/").content.decode())
        client.force_login(citizen)
        menu = nav_of(client.get("/").content.decode())
        assert WORKSPACE not in menu and PERIODIC not in menu
        assert client.get("/can-bo/").status_code == 403
