"""Signing in and out: Django's views, django-axes' lockout, a safe ``next``."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from sen.core.demo import DEMO_PASSWORD, seed_demo_org
from sen.core.management.commands.demo import DEMO_CATALOG
from sen.core.models import AgencyKind, Role
from sen.core.services import units_load
from sen.core.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import (
    birth_procedure,
    officer,
    service_centre,
    submit_online,
    upload,
)
from sen.portal.tests.html import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "dung-mat-khau-2026"


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="congdan", password=PASSWORD, full_name="Trần Thị Bình"
    )


def test_the_login_page_asks_for_user_name_and_password_with_labels_and_csrf(client):
    response = client.get("/dang-nhap/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Tên đăng nhập' in html
    assert '<label for="id_password">Mật khẩu' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_citizen_signs_in_lands_on_my_dossiers_and_the_header_names_them(client, citizen):
    response = client.post("/dang-nhap/", {"username": "congdan", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/ho-so-cua-toi/"
    page = client.get("/").content.decode()
    assert "Xin chào, Trần Thị Bình" in text_of(page)
    assert '<form class="account__logout" action="/dang-xuat/" method="post">' in page


def test_signing_in_goes_back_to_next_on_this_site_only(client, citizen):
    back = client.post(
        "/dang-nhap/?next=/thu-tuc/1.001193/nop-ho-so/",
        {"username": "congdan", "password": PASSWORD},
    )
    client.logout()
    elsewhere = client.post(
        "/dang-nhap/?next=https://lua-dao.example/",
        {"username": "congdan", "password": PASSWORD},
    )

    assert back.headers["Location"] == "/thu-tuc/1.001193/nop-ho-so/"
    assert elsewhere.headers["Location"] == "/ho-so-cua-toi/"


def test_a_wrong_password_is_told_in_vietnamese_and_signs_nobody_in(client, citizen):
    response = client.post("/dang-nhap/", {"username": "congdan", "password": "sai"})

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # A screen reader hears it: the page opens on the error, which each input names.
    html = response.content.decode()
    focused = re.findall(r"<[a-z]+[^>]*\sautofocus[^>]*>", html)
    assert focused == [
        '<div class="error-summary" id="login-error" role="alert" tabindex="-1" autofocus>'
    ]
    for name in ("username", "password"):
        [field] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert 'aria-invalid="true"' in field
        assert 'aria-describedby="login-error"' in field


def test_repeated_wrong_passwords_lock_the_login_with_a_vietnamese_429(client, citizen):
    # Given five wrong passwords in a row
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "congdan", "password": "sai"})

    # When the right one comes
    response = client.post("/dang-nhap/", {"username": "congdan", "password": PASSWORD})

    # Then the login stays locked, and the page says so and for how long
    assert response.status_code == 429
    text = text_of(response.content.decode())
    assert "Tạm khóa đăng nhập" in text
    assert "Hãy thử lại sau 15 phút." in text
    assert "_auth_user_id" not in client.session


def test_an_address_guessing_a_few_passwords_on_many_names_is_stopped_not_its_neighbours(
    client, citizen, django_user_model
):
    # Given an address trying four passwords on each of five names: never five on one,
    # which axes would lock, but twenty in all
    for name in ("canbo1", "canbo2", "canbo3", "canbo4", "canbo5"):
        for _ in range(4):
            client.post("/dang-nhap/", {"username": name, "password": "sai"})

    # When it tries a sixth name, with that account's right password
    response = client.post("/dang-nhap/", {"username": "congdan", "password": PASSWORD})

    # Then it is refused, as a locked login is, without saying the password was right
    assert response.status_code == 429
    assert "Hãy thử lại sau 15 phút." in text_of(response.content.decode())
    assert "_auth_user_id" not in client.session
    # and another address signs in as before
    elsewhere = client.post(
        "/dang-nhap/", {"username": "congdan", "password": PASSWORD}, REMOTE_ADDR="192.0.2.8"
    )
    assert elsewhere.status_code == 302


def test_an_address_spraying_names_is_stopped_at_the_admin_login_too(client):
    UserFactory(username="quantri", password=PASSWORD, is_staff=True, is_superuser=True)
    # Given twenty wrong passwords on many names from one address, at the portal's page
    for number in range(20):
        client.post("/dang-nhap/", {"username": f"canbo{number}", "password": "sai"})

    # When it tries the superuser's right password at the admin's own login page
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "quantri", "password": PASSWORD}
    )

    # Then it is refused as at the portal's
    assert response.status_code == 429
    assert "Hãy thử lại sau 15 phút." in text_of(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_an_office_sharing_one_address_is_not_stopped_by_a_few_typos(client, citizen):
    # Nineteen wrong passwords on many names from one address (officers mistyping)
    for number in range(19):
        client.post("/dang-nhap/", {"username": f"canbo{number}", "password": "sai"})

    response = client.post("/dang-nhap/", {"username": "congdan", "password": PASSWORD})

    assert response.status_code == 302


@pytest.mark.parametrize(("proxies", "locked"), [(1, False), (0, True)])
def test_behind_a_proxy_wrong_passwords_from_elsewhere_lock_out_only_their_sender(
    client, citizen, settings, proxies, locked
):
    # Given every request coming through one proxy (the same REMOTE_ADDR), which appends
    # the address it received each from to X-Forwarded-For
    settings.SEN_PROXY_COUNT = proxies
    for _ in range(5):
        client.post(
            "/dang-nhap/",
            {"username": "congdan", "password": "sai"},
            # What a sender writes there itself is not believed
            headers={"x-forwarded-for": "198.51.100.7, 203.0.113.66"},
        )

    # When the citizen signs in from their own address
    response = client.post(
        "/dang-nhap/",
        {"username": "congdan", "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.7"},
    )

    # Then, with the proxy declared, only the guesser's address is locked out; without, the
    # proxy's address is everyone's, and the citizen is locked out too
    assert response.status_code == (429 if locked else 302)


def test_a_sign_in_ends_with_the_browser_and_after_twelve_hours_whatever_the_browser_keeps(
    client, citizen, clock
):
    response = client.post("/dang-nhap/", {"username": "congdan", "password": PASSWORD})

    cookie = response.cookies["sessionid"]
    # No expiry on the cookie: the browser forgets it when it closes.
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    clock(clock.now + timedelta(hours=11, minutes=59))
    assert client.get("/ho-so-cua-toi/").status_code == 200
    # A browser restoring its last session still sends the cookie; the server has ended it.
    clock(clock.now + timedelta(minutes=2))
    assert client.get("/ho-so-cua-toi/").status_code == 302


def test_signing_out_takes_a_post_and_says_so(client, citizen):
    client.force_login(citizen)

    refused = client.get("/dang-xuat/")
    response = client.post("/dang-xuat/", follow=True)

    assert refused.status_code == 405
    assert response.redirect_chain == [("/", 302)]
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_out_visitor_sees_the_login_link_that_comes_back_here(client):
    html = client.get("/thu-tuc/").content.decode()

    assert '<a class="account__login" href="/dang-nhap/?next=/thu-tuc/">Đăng nhập</a>' in html


@pytest.mark.parametrize(
    "url",
    [
        "/ho-so-cua-toi/",
        "/ho-so-cua-toi/000.00.01.H37-261120-0001/",
        "/thu-tuc/1.001193/nop-ho-so/",
    ],
)
def test_personal_pages_send_a_signed_out_visitor_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/dang-nhap/?next={url}"


def test_an_officer_signs_in_on_the_same_page_and_lands_on_their_workspace(client):
    officer = UserFactory(username="motcua", password=PASSWORD)
    MembershipFactory(user=officer, agency=AgencyFactory(), role=Role.ONE_STOP_OFFICER)

    response = client.post("/dang-nhap/", {"username": "motcua", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/can-bo/"


def test_an_officer_with_next_goes_back_there(client):
    officer = UserFactory(username="motcua", password=PASSWORD)
    MembershipFactory(user=officer, agency=AgencyFactory(), role=Role.SPECIALIST)

    response = client.post(
        "/dang-nhap/?next=/tra-cuu/", {"username": "motcua", "password": PASSWORD}
    )

    assert response.headers["Location"] == "/tra-cuu/"


def test_an_officer_of_an_agency_no_longer_active_lands_on_my_dossiers(client):
    officer = UserFactory(username="motcua", password=PASSWORD)
    MembershipFactory(user=officer, agency=AgencyFactory(is_active=False), role=Role.LEADER)

    response = client.post("/dang-nhap/", {"username": "motcua", "password": PASSWORD})

    assert response.headers["Location"] == "/ho-so-cua-toi/"


@pytest.fixture
def demo_province(db):
    """The demo's province, agencies, officers and catalog (no dossiers)."""
    units_load(province_codes=["37"])
    seed_demo_org()
    call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)


@pytest.mark.parametrize(
    ("username", "lands_on"),
    [
        # The provincial committee receives no procedure: its leader and the province's
        # administrator watch the province from the dashboard.
        ("lanhdao.tinh", "/ioc/"),
        ("quantri", "/ioc/"),
        # The ward's committee receives every commune procedure; its leader approves them.
        ("lanhdao.namdinh", "/can-bo/"),
        ("lanhdao.tuphap", "/can-bo/"),
        ("motcua.namdinh", "/can-bo/"),
        ("congdan", "/ho-so-cua-toi/"),
    ],
)
def test_each_demo_login_lands_where_their_work_is(client, demo_province, username, lands_on):
    response = client.post("/dang-nhap/", {"username": username, "password": DEMO_PASSWORD})

    assert response.headers["Location"] == lands_on
    landed = client.get(lands_on)
    assert landed.status_code == 200
    if lands_on == "/ioc/":
        assert "<h1>Ninh Bình</h1>" in landed.content.decode()


def test_a_leader_no_dossier_reaches_lands_on_the_queue_while_one_waits_at_their_step(client):
    """Given the chairman of a provincial committee that receives nothing but signs one
    procedure's decisions (an inter-agency step), when a dossier reaches that step, then
    he lands on his queue, where it is, and on the dashboard again once he has signed."""
    committee = AgencyFactory(kind=AgencyKind.PROVINCIAL_COMMITTEE, name="UBND tỉnh")
    centre = service_centre()
    chairman = officer(committee, Role.LEADER, username="chutich", password=PASSWORD)
    desk = officer(centre, username="motcua")
    # The centre receives and returns; the chairman signs at the committee in between.
    steps = [
        {"name": "Tiếp nhận", "role": "one_stop", "agency": None, "duration": "2", "unit": "hours"},
        {
            "name": "Ký",
            "role": "leader",
            "agency": committee.code,
            "duration": "4",
            "unit": "hours",
        },
        {"name": "Trả", "role": "one_stop", "agency": None, "duration": "2", "unit": "hours"},
    ]
    procedure = birth_procedure(agencies=[centre], processing_days="1", steps=steps)
    credentials = {"username": "chutich", "password": PASSWORD}

    assert client.post("/dang-nhap/", credentials).headers["Location"] == "/ioc/"

    dossier = submit_online(procedure, UserFactory(username="congdan")).dossier
    dossier = services.dossier_receive(dossier=dossier, actor=desk, expected_revision=1)
    dossier = services.dossier_complete_step(
        dossier=dossier, actor=desk, expected_revision=dossier.revision
    )
    client.logout()
    assert client.post("/dang-nhap/", credentials).headers["Location"] == "/can-bo/"
    assert dossier.code in client.get("/can-bo/").content.decode()

    services.dossier_attach_result(
        dossier=dossier, upload=upload(), actor=chairman, expected_revision=dossier.revision
    )
    signed = Dossier.objects.get(pk=dossier.pk)  # the result attached: a revision on
    services.dossier_complete_step(
        dossier=signed, actor=chairman, expected_revision=signed.revision
    )
    client.logout()
    assert client.post("/dang-nhap/", credentials).headers["Location"] == "/ioc/"


def test_the_login_page_and_the_header_speak_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})

    html = client.get("/dang-nhap/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert '<label for="id_username">User name' in html
    assert ">My dossiers</a>" in html
