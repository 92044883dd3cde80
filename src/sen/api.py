"""The HTTP API, versioned under ``/api/v1/``: one router per app, errors answered in one place."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import Status

from sen.apiauth import session_auth
from sen.apiforms import ClosedFormsSchema
from sen.catalog.api import router as catalog_router
from sen.core import health, jsoninput
from sen.core.api import router as core_router
from sen.core.middleware import JSON_UTF8
from sen.core.ratelimit import RateLimited
from sen.core.text import refuse_nul
from sen.dossiers.api import dossiers_router, tracking_router
from sen.errors import DomainError
from sen.periodic.api import router as periodic_router
from sen.reports.api import router as reports_router
from sen.validation_messages import problem_of
from sen.workdays.api import router as workdays_router


class Utf8JSONRenderer(JSONRenderer):
    """Write Vietnamese as UTF-8 ("Hộ tịch"), not as \\u escapes: half the size, readable."""

    json_dumps_params = {"ensure_ascii": False}


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


class TextCheckingParser(Parser):
    """Django-ninja's parser, refusing a body not of the operation's media type, text the
    database cannot store in JSON bodies and form fields, and a JSON object naming a key
    twice (``sen.core.jsoninput``). (Paths and query strings are refused earlier, by
    ``sen.core.middleware.NulCharacterMiddleware``; the query check here never fires.)"""

    def parse_body(self, request: HttpRequest) -> Any:
        # A JSON body says so: taken whatever its type, a form a browser may send to another
        # site (text/plain, no preflight) would be read as the API's input.
        media = request.content_type or ""
        if media != "application/json" and not media.endswith("+json"):
            raise UnsupportedMediaType(
                _(
                    "Nội dung gửi lên phải là JSON (Content-Type: application/json), không phải "
                    "“%(media)s”."
                )
                % {"media": media or _("không khai báo")}
            )
        return refuse_nul(jsoninput.loads(request.body))

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        # django-ninja reads a form's fields and files from request.POST and request.FILES,
        # which Django leaves empty for a body of another type: a JSON body sent to a form
        # was answered "payload: required", as if the client had left the field out.
        if data is not request.GET and request.content_type != "multipart/form-data":
            raise UnsupportedMediaType(
                _("Nội dung gửi lên phải là multipart/form-data, không phải “%(media)s”.")
                % {"media": request.content_type or _("không khai báo")}
            )
        return refuse_nul(super().parse_querydict(data, list_fields, request))


class SenAPI(NinjaAPI):
    """django-ninja's API, whose document says that a multipart form takes only the fields
    it lists (``sen.apiforms.ClosedFormsSchema``), as the server reads it."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ClosedFormsSchema(self, path_prefix)


api = SenAPI(
    # Every operation needs a signed-in session unless it says `auth=None` (the public ones:
    # tracking, the catalog, units, working days, health), so that a new one is protected.
    auth=session_auth,
    renderer=Utf8JSONRenderer(),
    parser=TextCheckingParser(),
    title="Sen API",
    version="1",
    description=(
        "Public API of Sen, the digital-government platform for Vietnamese provinces. "
        'Errors answer with `{"error": {"code": ..., "message": ...}}`; codes are stable. '
        "An address the API does not have, `/api/v1/` itself included, answers 404 "
        "`not_found`; this document is at `/api/v1/openapi.json`, browsable at "
        "`/api/v1/docs`. A body over the size limit answers 413 `request_too_large`, one "
        "not of the operation's media type 415 `unsupported_media_type`.\n\n"
        "**Signing in.** The API uses the portal's session; there are no API keys. A "
        "program (1) opens `GET /dang-nhap/`, which sets the `csrftoken` cookie; (2) posts "
        "to `/dang-nhap/` the form fields (`application/x-www-form-urlencoded`) `username`, "
        "`password` and `csrfmiddlewaretoken` (that cookie's value), with the cookie: signed "
        "in, it answers 302 and sets the `sessionid` cookie; a wrong password answers 200 "
        "with the form again, and too many wrong passwords 429; (3) sends both cookies with "
        "every call. Signing in replaces the `csrftoken` cookie: read it again after (2). "
        "Every write (POST, PUT, PATCH) also sends the `csrftoken` cookie's current value in "
        "the `X-CSRFToken` header, else it is refused with 403 `csrf_failed`; over HTTPS, "
        "the sign-in and every write also send an `Origin` or a `Referer` of the site "
        "itself. A call without a session, or with one that has ended (after the server's "
        "`SEN_SESSION_HOURS`, 12 by default), answers 401 `not_authenticated`, whether or "
        "not it sends the token: sign in again. `POST /dang-xuat/` (with the token) signs "
        "out.\n\n"
        "**Other sites (CORS).** The API sends no CORS headers: a page on another site "
        "cannot call it from the browser. Call it from a program or a server.\n\n"
        "**Language.** Messages and labels are Vietnamese; `Accept-Language: en` asks for "
        "English. Codes, enums and field names are the same in both."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/workdays", workdays_router, tags=["workdays"])
api.add_router("/procedures", catalog_router, tags=["catalog"])
api.add_router("/units", core_router, tags=["core"])
api.add_router("/dossiers", dossiers_router, tags=["dossiers"])
api.add_router("/tracking", tracking_router, tags=["dossiers"])
api.add_router("/periodic", periodic_router, tags=["periodic"])
api.add_router("/indicators", reports_router, tags=["reports"])


class HealthOut(Schema):
    status: health.Overall = Field(
        description=(
            "`ok` khi máy chủ làm được việc của mình; `degraded` khi làm được nhưng chậm hơn "
            "(bộ nhớ đệm không trả lời); `unavailable` khi không làm được."
        )
    )
    database: health.State = Field(description="Cơ sở dữ liệu trả lời truy vấn.")
    cache: health.State = Field(
        description="Bộ nhớ đệm (Redis, nơi đọc phiên đăng nhập) giữ được dữ liệu."
    )


@api.get(
    "/health",
    auth=None,
    response={200: HealthOut, 503: HealthOut},
    summary="Tình trạng máy chủ",
    tags=["core"],
    description=(
        "For a load balancer or a monitor: 200 when the server can work (`degraded` when the "
        "cache does not answer, which it works without), 503 when the database does not "
        "answer. Public; reads no data."
    ),
)
def server_health(request: HttpRequest) -> Status[dict[str, str]]:
    state = health.server_state()
    return Status(503 if state["status"] == "unavailable" else 200, state)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, {"error": exc.as_dict()}, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Each problem in Vietnamese, by pydantic's type for it (sen.validation_messages).
    details = [problem_of(error) for error in exc.errors]
    message = _("Dữ liệu gửi lên không hợp lệ.")
    body = {"code": "invalid_input", "message": message, "details": details}
    return api.create_response(request, {"error": body}, status=400)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "not_authenticated", "message": _("Bạn cần đăng nhập để thực hiện việc này.")}
    return api.create_response(request, {"error": body}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises these before a handler runs: 400 for a body that does not parse,
    # or that our parser refused (its error is the cause), and 403 for a missing CSRF token.
    if isinstance(exc.__cause__, DomainError):
        return on_domain_error(request, exc.__cause__)
    if exc.status_code == 400:
        body = {"code": "invalid_json", "message": _("Nội dung gửi lên không phải JSON hợp lệ.")}
    elif exc.status_code == 403 and "CSRF" in str(exc):
        # django-ninja's session authentication: a write without the CSRF token. Matched by
        # its message, so that another 403 keeps its own; a test pins the message.
        body = {
            "code": "csrf_failed",
            "message": _(
                "Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF): hãy tải lại trang rồi gửi lại."
            ),
        }
    else:
        body = {"code": f"http_{exc.status_code}", "message": str(exc)}
    return api.create_response(request, {"error": body}, status=exc.status_code)


# django-ninja answers any other exception with a 500 (a traceback under DEBUG). Django's
# own handler would give these a bare 400 page; the API gives them its error shape.


@api.exception_handler(MultiPartParserError)
def on_unreadable_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    body = {
        "code": "invalid_multipart",
        "message": _("Nội dung multipart/form-data gửi lên không đọc được."),
    }
    return api.create_response(request, {"error": body}, status=400)


@api.exception_handler(SuspiciousOperation)
def on_suspicious_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Logged where Django logs these, so that the security log sees API requests too.
    logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
    if isinstance(exc, RequestDataTooBig):
        status, code, message = 413, "request_too_large", _("Nội dung gửi lên quá lớn.")
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        status, code = 400, "too_many_fields"
        message = _("Yêu cầu có quá nhiều tham số, trường hoặc tệp.")
    else:
        status, code, message = 400, "bad_request", _("Yêu cầu không hợp lệ.")
    return api.create_response(
        request, {"error": {"code": code, "message": message}}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a request Django refused before any view could (``handler400``).

    A page's form whose text is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a whole file pasted
    into a text box) answers 413 with a page that says so and names the limit: Django will
    not read such a body, so no view, and no form, ever sees it, and the 400 page said only
    that the request was invalid. (The API answers its own 413, ``on_suspicious_request``.)
    Anything else gets the 400 page."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    # Rendered without the request, as Django renders its 400 page: nothing is read.
    page = loader.get_template("413.html").render({"limit": limit})
    return HttpResponse(page, status=413)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer a failure Sen did not foresee (the database gone, a bug): under ``/api/`` in
    the API's error shape, as its document promises for every answer, else the 500 page.
    Django has logged the exception before it calls this (``handler500``)."""
    if not request.path.startswith("/api/"):
        return defaults.server_error(request)
    message = _("Hệ thống đang gặp sự cố; hãy thử lại sau ít phút.")
    return JsonResponse(
        {"error": {"code": "server_error", "message": message}},
        status=500,
        content_type=JSON_UTF8,
        json_dumps_params={"ensure_ascii": False},
    )


class HeadAnsweredAsGet:
    """Answer ``HEAD`` on an API address as its ``GET`` without the body (RFC 9110, 9.3.2):
    django-ninja routes only the methods an operation names, and answered ``HEAD`` with 405.
    The headers are the ``GET``'s, its ``Content-Length`` included."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD" or not request.path.startswith("/api/"):
            return self.get_response(request)
        request.method = "GET"
        try:
            response: HttpResponseBase = self.get_response(request)
        finally:
            request.method = "HEAD"
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = []  # the file is not read; its length is known
        elif isinstance(response, HttpResponse):
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


class MethodNotAllowedAsJson:
    """Answer a method an API address does not take (405) in the API's error shape, with its
    ``Allow`` header; django-ninja answers it with an empty HTML response."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith("/api/"):
            return response
        message = _("Địa chỉ %(path)s không nhận phương thức %(method)s.") % {
            "path": request.path,
            "method": request.method,
        }
        answer = api.create_response(
            request,
            {"error": {"code": "method_not_allowed", "message": message}},
            status=405,
        )
        if response.has_header("Allow"):
            allowed = [method.strip() for method in response["Allow"].split(",")]
            if "GET" in allowed and "HEAD" not in allowed:  # ``HeadAnsweredAsGet``
                allowed.append("HEAD")
            answer["Allow"] = ", ".join(allowed)
        return answer


def unknown_address(request: HttpRequest) -> HttpResponse:
    """Answer an address under ``/api/`` that no endpoint has: 404 in the API's error shape,
    not the site's HTML page (``sen.urls`` sends every such address here)."""
    message = _("API không có địa chỉ %(path)s.") % {"path": request.path}
    return api.create_response(
        request, {"error": {"code": "not_found", "message": message}}, status=404
    )
