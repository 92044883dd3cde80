"""The pages a visitor meets when something goes wrong: in Vietnamese, styled, and standing
even when the database does not (Django draws 400, 500 and a refused CSRF check without the
request, so they read nothing)."""

import re

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from sen.portal.tests.html import inline_code, text_of

pytestmark = pytest.mark.django_db


def test_an_address_with_a_nul_character_gets_a_vietnamese_page(client):
    response = client.get("/thu-tuc/", {"q": "khai\x00sinh"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Yêu cầu không hợp lệ</h1>" in html
    assert "Bad Request" not in html
    assert re.search(r'<link rel="stylesheet" href="[^"]*portal/sen[^"]*\.css">', html)
    assert inline_code(html) == []


def test_a_server_error_page_is_vietnamese_and_reads_nothing(
    rf: RequestFactory, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/thu-tuc/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Hệ thống đang gặp sự cố</h1>" in html
    assert "Hồ sơ và dữ liệu đã gửi thành công trước đó không bị ảnh hưởng" in text_of(html)
    assert "Server Error" not in html


@pytest.mark.parametrize(("path", "api"), [("/api/v1/procedures", True), ("/thu-tuc/", False)])
def test_an_unforeseen_failure_answers_in_the_shape_of_where_it_happened(
    catalog, monkeypatch, path, api
):
    # Given the catalog's search failing as it would with the database gone
    def fail(*args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr("sen.catalog.api.procedure_search_page", fail)
    monkeypatch.setattr("sen.portal.views.catalog.procedure_search_page", fail)

    response = Client(raise_request_exception=False).get(path)

    # Then the API answers its error shape, as its document promises, and a page the page
    assert response.status_code == 500
    if api:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json() == {
            "error": {
                "code": "server_error",
                "message": "Hệ thống đang gặp sự cố; hãy thử lại sau ít phút.",
            }
        }
    else:
        assert "<h1>Hệ thống đang gặp sự cố</h1>" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_explains_what_to_do(catalog):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/dang-nhap/", {"username": "congdan", "password": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Chưa gửi được biểu mẫu</h1>" in html
    assert "tải lại trang rồi gửi lại" in html
    assert "CSRF verification failed" not in html


def test_an_action_refused_by_permission_gets_a_vietnamese_page(admin_client, catalog):
    response = admin_client.get("/admin/catalog/procedure/add/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Không có quyền truy cập</h1>" in html
    assert "403 Forbidden" not in html


@pytest.mark.parametrize(
    ("language", "heading", "limit"),
    [("vi", "Nội dung gửi lên quá lớn", "1,0 MB"), ("en", "Content too large", "1.0 MB")],
)
def test_a_form_too_large_to_read_is_told_so_with_the_limit(
    client, settings, language, heading, limit
):
    # Given a site that reads at most 1 MB of a form's text
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # When a visitor sends a form with more than that
    response = client.post("/dang-nhap/", {"username": "x" * 1_100_000, "password": "x"})

    # Then the page says so, naming the limit, in the visitor's language
    html = response.content.decode()
    assert response.status_code == 413
    assert f"<h1>{heading}</h1>" in html
    assert limit in text_of(html)
    assert "Bad Request" not in html
    assert inline_code(html) == []


def test_another_request_django_refuses_still_gets_the_400_page(client):
    # Django reads at most 1,000 fields of a form
    response = client.post("/dang-nhap/", {f"q{i}": "1" for i in range(1_001)})

    assert response.status_code == 400
    assert "<h1>Yêu cầu không hợp lệ</h1>" in response.content.decode()
