import io
from collections.abc import Callable
from typing import BinaryIO, cast

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from sen.core.text import has_nul


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header (Django 5.2 has no built-in one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.SEN_CONTENT_SECURITY_POLICY
        # The browsable API docs (Swagger UI, served from our own static files) set inline
        # styles on the elements they draw; only that page may.
        if request.path.startswith("/api/v1/docs"):
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


# What the API's answers say of their type (``sen.api``): its JSON is UTF-8, unescaped.
JSON_UTF8 = "application/json; charset=utf-8"


class NulCharacterMiddleware:
    """Answer 400 to a path or query string with a NUL character (``%00``).

    PostgreSQL can neither store nor compare such text, so a page or endpoint that looked
    it up would fail with a server error. Forms refuse it themselves (Django's
    ``ProhibitNullCharactersValidator``), and the API's parser refuses it in bodies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The raw query string, not request.GET: parsing it here would answer a query of
        # too many fields before the API could, in its own shape.
        query = request.META.get("QUERY_STRING", "")
        if has_nul(request.path) or "%00" in query or has_nul(query):
            message = _("Địa chỉ có ký tự rỗng (NUL), không hợp lệ.")
            if request.path.startswith("/api/"):
                body = {"error": {"code": "invalid_characters", "message": message}}
                return JsonResponse(
                    body,
                    status=400,
                    content_type=JSON_UTF8,
                    json_dumps_params={"ensure_ascii": False},
                )
            # Sen's 400 page, answered here rather than raised: Django would log a raised
            # BadRequest with its traceback, for a typing mistake or a probe.
            return bad_request(request, BadRequest(message))
        return self.get_response(request)


class NulCookieMiddleware:
    """Drop a cookie whose name or value holds a NUL character, before the session is read.

    Django decodes a quoted cookie's octal escapes (``sessionid="\\000…"``), so a client can
    send a session key with a NUL in it, which PostgreSQL fails to look up: every page would
    answer 500 to it. Such a cookie is no cookie Sen set; the request goes on without it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookies = request.COOKIES
        if any(has_nul(name) or has_nul(value) for name, value in cookies.items()):
            request.COOKIES = {
                name: value
                for name, value in cookies.items()
                if not has_nul(name) and not has_nul(value)
            }
        return self.get_response(request)


class IncompleteBody(MultiPartParserError):
    """The body ended before the length its request declared (the client went away)."""


class _WholeBody(io.RawIOBase):
    """A request body that raises ``IncompleteBody`` where it ends before its length.

    Django's multipart parser drops a part cut short without a word, and granian hands over
    a closed connection as the end of the body: a dossier would be created without the file
    being sent when the connection broke.
    """

    def __init__(self, stream: LimitedStream) -> None:
        super().__init__()
        self._stream = stream
        self._length = self._left = stream.limit

    def read(self, size: int | None = -1, /) -> bytes:
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        data = self._stream.read(wanted) if wanted else b""
        self._left -= len(data)
        if wanted and not data:
            sent = self._length - self._left
            raise IncompleteBody(f"The body ended at {sent} of {self._length} bytes.")
        return data

    def readline(self, size: int | None = -1, /) -> bytes:
        line = self._stream.readline(-1 if size is None else size)
        self._left -= len(line)
        return line


class WholeBodyMiddleware:
    """Refuse a multipart body cut short, as an unreadable one (400), before any view reads
    it: what the request declared it carries must all have come."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stream = getattr(request, "_stream", None)  # Django's own body stream (WSGIRequest)
        if request.content_type == "multipart/form-data" and isinstance(stream, LimitedStream):
            request._stream = cast(BinaryIO, _WholeBody(stream))
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Keep every answer to a signed-in user out of caches (``Cache-Control: private, no-store``).

    What a signed-in user is shown is theirs: a citizen's dossier with their CCCD number and
    address, an officer's queue, a slip. On a shared computer at the desk, a copy kept in
    the browser's cache would outlive the sign-out. Answers that set their own
    ``Cache-Control`` (the private downloads) keep it; anonymous pages stay cacheable.

    A request with a session cookie is taken for a signed-in one: asking whether its user
    is signed in would read the session and the user for answers that need neither (the
    public tracking API), and a session without a user has nothing to cache either. The
    cookie is set on the response that signs in, and deleted on the one that signs out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
