"""Signing in and out: Django's views, django-axes' lockout, a safe ``next``."""

import pytest

from sen.core.models import Role
from sen.core.tests.factories import AgencyFactory, MembershipFactory, UserFactory
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


def test_the_login_page_and_the_header_speak_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})

    html = client.get("/dang-nhap/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert '<label for="id_username">User name' in html
    assert ">My dossiers</a>" in html
