"""The platform's shared behaviour: security headers, the API contract, error answers."""

import json
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from sen.api import api
from sen.apiauth import SessionAuth
from sen.core.middleware import NulCookieMiddleware
from sen.tests.operations import served_operations
from sen.urls import public_media_urls

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_security_headers(client):
    response = client.get("/")

    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_what_a_signed_in_user_is_shown_is_kept_out_of_caches(client, django_user_model):
    # An anonymous page may be cached
    assert "Cache-Control" not in client.get("/").headers

    # but a signed-in user's pages and API answers may not: they carry personal data
    client.force_login(django_user_model.objects.create_user("congdan"))
    for url in ("/", "/ho-so-cua-toi/", "/api/v1/dossiers/mine"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url


def test_the_openapi_document_is_served_and_matches_the_committed_one(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    committed = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
    assert response.json() == json.loads(committed.read_text(encoding="utf-8"))
    assert response.json()["info"]["title"] == "Sen API"


def test_the_browsable_api_docs_page_is_served_from_our_own_files(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert b'src="/static/ninja/swagger-ui-bundle.js"' in response.content
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy  # no inline script, even on the docs page


def test_api_answers_are_utf8_json_with_vietnamese_unescaped(client):
    response = client.get("/api/v1/workdays/calendar", {"year": 2026})

    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert '"name": "Tết Nguyên Đán"'.encode() in response.content
    assert b"\\u" not in response.content


def test_an_error_answer_has_a_stable_code_and_a_vietnamese_message(client):
    response = client.get("/api/v1/workdays/deadline", {"start": "hôm qua", "days": "1"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_start"
    assert "ISO 8601" in response.json()["error"]["message"]


def test_a_query_with_too_many_parameters_answers_400_not_a_server_error(client):
    query = "&".join(f"q{i}=1" for i in range(1_001))  # Django reads at most 1,000

    response = client.get(f"/api/v1/procedures?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_fields"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/procedures?q=ho%00tich",  # a query string
        "/api/v1/procedures/1.00%001",  # a path parameter
        "/api/v1/tracking/000.00.01.H37-261120-0001%00",
    ],
)
def test_a_nul_character_in_an_api_address_answers_invalid_characters(client, url):
    # PostgreSQL can neither store nor compare text with NUL: this was a server error there.
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_nul_character_is_answered_with_the_headers_of_every_other_api_error(client):
    # Given a client asking in English, once with a NUL character, once for an unknown code
    refused = client.get("/api/v1/tracking/%00", HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.get("/api/v1/tracking/000.00.01.H37-261120-0001", HTTP_ACCEPT_LANGUAGE="en")

    # Then both say the same of themselves: UTF-8 JSON, varying by language and session, in
    # the language asked, under the site's security policy
    assert (refused.status_code, unknown.status_code) == (400, 404)
    assert refused.headers["Content-Type"] == "application/json; charset=utf-8"
    for header in ("Content-Type", "Vary", "Content-Language", "Content-Security-Policy"):
        assert refused.headers.get(header) == unknown.headers.get(header), header
    assert refused.headers["Content-Language"] == "en"


@pytest.mark.parametrize("url", ["/thu-tuc/1.00%001/", "/tra-cuu/?ma=a%00b"])
def test_a_nul_character_in_a_page_address_answers_400(client, url, caplog):
    response = client.get(url)

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()  # Sen's own page
    # one line in the log, no traceback: it is a typing mistake or a probe, not a fault
    assert [record.exc_info for record in caplog.records] == [None]


def test_a_session_cookie_with_a_nul_character_is_no_session(client, rf):
    """Django decodes a quoted cookie's octal escapes: a forged session key with a NUL in it
    reached the session table, which PostgreSQL cannot search for it (a server error on
    every page). The request goes on as one without such a cookie."""
    forged = 'sessionid="\\000abcdefghijkl"; django_language="en\\000"; csrftoken=abc123'
    seen = {}

    def view(request):
        seen.update(request.COOKIES)
        return HttpResponse()

    # When a request carries forged cookies beside a good one
    NulCookieMiddleware(view)(rf.get("/", HTTP_COOKIE=forged))
    client.cookies.load(forged)
    response = client.get("/can-bo/")

    # Then what comes after sees only the good one, and a page that reads the session asks
    # to sign in, as for anyone without one
    assert seen == {"csrftoken": "abc123"}
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize(
    "url", ["/api/v1/no-such-thing", "/api/v2/dossiers", "/api/", "/api/v1/", "/api/v1"]
)
def test_an_unknown_api_path_answers_404_in_the_apis_error_shape(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": f"API không có địa chỉ {url}."}
    }


# A write of each kind: a multipart form (a dict), a JSON action on a dossier, a JSON body of
# another app (text).
WRITES = [
    ("/api/v1/dossiers", {"payload": "{}"}),
    ("/api/v1/dossiers/000.00.01.H37-261120-0001/receive", '{"expected_revision": 1}'),
    ("/api/v1/periodic/forms", '{"code": "BC-01"}'),
]


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_a_write_without_a_session_answers_401_not_a_csrf_failure(url, data):
    # Given a program that has not signed in, and so has no CSRF token either
    program = Client(enforce_csrf_checks=True)

    # When it posts
    response = post(program, url, data)

    # Then it is told to sign in, as the document says, not to reload a page it never had
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_a_write_with_a_session_still_needs_the_csrf_token(url, data, django_user_model):
    # Given a browser signed in, and a page elsewhere posting through it without the token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("congdan"))

    # When it posts
    response = post(browser, url, data)

    # Then the forged request is refused before anything is read
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_a_program_signs_in_and_writes_as_the_document_says(django_user_model):
    # Given an account, and a program that follows the document's "Signing in"
    django_user_model.objects.create_user("congdan", password="sen-demo-2026")
    described = api.get_openapi_schema(path_prefix="/api/v1")["info"]["description"]
    program = Client(enforce_csrf_checks=True)

    # When it opens the sign-in page and posts the form with the cookie's token
    program.get("/dang-nhap/")
    before = program.cookies["csrftoken"].value
    signed_in = program.post(
        "/dang-nhap/",
        {"username": "congdan", "password": "sen-demo-2026", "csrfmiddlewaretoken": before},
    )

    # Then it holds a session, and writes with the token read again after signing in; the
    # token read before is refused, as the document warns
    assert signed_in.status_code == 302
    assert "sessionid" in program.cookies
    after = program.cookies["csrftoken"].value
    url, body = "/api/v1/periodic/forms", '{"code": "BC-01"}'
    stale = program.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=before)
    fresh = program.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=after)
    assert stale.json()["error"]["code"] == "csrf_failed"
    assert fresh.status_code == 400  # past the session and the token: the body is incomplete
    assert "read it again" in described
    assert "`X-CSRFToken`" in described
    assert "no CORS headers" in described


# The operations anyone may call without signing in; every other one needs a session, the
# API's default (``sen.api``). An operation made public by mistake, or a new one that says
# ``auth=None``, changes this set and fails the test below.
PUBLIC_OPERATIONS = {
    "GET /dossiers/receiving-agencies",
    "GET /health",
    "GET /procedures",
    "GET /procedures/export.json",
    "GET /procedures/export.xlsx",
    "GET /procedures/{code}",
    "GET /tracking/{code}",
    "GET /units",
    "GET /units/{level}/{code}",
    "GET /workdays/calendar",
    "GET /workdays/deadline",
}


def test_only_the_public_operations_answer_without_a_session():
    """A session is the API's default: an operation that does not say ``auth=None`` needs
    one, so that a new operation cannot be public by forgetting to ask for it."""
    assert [type(auth) for auth in api.auth] == [SessionAuth]
    public = {
        name for name, operation in served_operations().items() if not operation.auth_callbacks
    }

    assert public == PUBLIC_OPERATIONS


def test_every_operation_behind_a_session_asks_for_it_before_the_csrf_token():
    # django-ninja's own django_auth checks the token first (sen.apiauth)
    behind_a_session = [op for op in served_operations().values() if op.auth_callbacks]

    assert len(behind_a_session) > len(PUBLIC_OPERATIONS)
    assert {type(auth) for op in behind_a_session for auth in op.auth_callbacks} == {SessionAuth}


def post(client: Client, url: str, data: dict[str, str] | str):
    if isinstance(data, str):
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize(
    ("language", "shown"), [("vi", "1.234.567 · 2026"), ("en", "1,234,567 · 2026")]
)
def test_a_page_groups_a_count_the_readers_way_and_leaves_a_year_alone(language, shown):
    """The IOC's figures and the periodic reports' counts go through ``intcomma``; Django's
    Vietnamese formats grouped nothing until ``sen.formats.vi``."""
    page = Template("{% load humanize %}{{ count|intcomma }} · {{ year }}")

    with translation.override(language):
        assert page.render(Context({"count": 1_234_567, "year": 2026})) == shown


def test_the_admin_speaks_vietnamese(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_out(client, django_user_model):
    django_user_model.objects.create_user(username="lanhdao", password="dung-mat-khau-2026")
    for _ in range(5):
        client.post("/admin/login/", {"username": "lanhdao", "password": "sai"})

    response = client.post(
        "/admin/login/", {"username": "lanhdao", "password": "dung-mat-khau-2026"}
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("debug", [True, False])
def test_only_the_catalogs_templates_are_served_by_their_storage_address(settings, debug):
    """Given development settings (DEBUG, Django serves uploads) or production ones, when
    uploaded files are asked for by their address under /media/, then only the catalog's
    blank templates are served; a citizen's papers and the results are sent by the
    authorized views alone."""
    settings.DEBUG = debug
    patterns = public_media_urls()

    def served(path: str) -> bool:
        return any(pattern.resolve(path) for pattern in patterns)

    assert served("media/catalog/templates/1.001193/to-khai.docx") is debug
    assert not served("media/dossiers/2026/11/20/1/01-01-0123456789ab.pdf")
    assert not served("media/results/000.00.01.H37-261120-0001/0123456789abcdef.pdf")
