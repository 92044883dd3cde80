"""A multipart body cut short (the connection broke mid-upload) is refused, not half read.

Django's parser drops the part cut short without a word: a dossier was created without the
file whose upload broke. The request is made as a WSGI server hands it over, its body
shorter than its ``Content-Length``.
"""

import io

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError

from sen.core.middleware import WholeBodyMiddleware

BOUNDARY = "sen-boundary"


def multipart(*files: tuple[str, bytes]) -> bytes:
    parts = [
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
        for name, content in files
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def request_with(body: bytes, *, sent: int) -> WSGIRequest:
    """Return a POST declaring ``body``'s length, of which only ``sent`` bytes arrive."""
    return WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/dossiers",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body[:sent]),
        }
    )


def files_seen(request: WSGIRequest) -> list[str]:
    """Pass ``request`` through the middleware to a view that reads its files."""
    seen: list[str] = []

    def view(request: WSGIRequest) -> HttpResponse:
        seen.extend(request.FILES)
        return HttpResponse()

    WholeBodyMiddleware(view)(request)
    return seen


BODY = multipart(("component_1", b"%PDF-1.7 " * 100), ("component_4", b"%PDF-1.7 " * 10_000))


def test_a_whole_body_is_read_as_sent():
    assert files_seen(request_with(BODY, sent=len(BODY))) == ["component_1", "component_4"]


def test_a_body_cut_in_its_last_file_is_refused_as_unreadable():
    # Without the middleware Django reads ["component_1"]: the cut file is silently gone.
    cut = request_with(BODY, sent=len(BODY) - 50_000)

    with pytest.raises(MultiPartParserError, match="The body ended at"):
        files_seen(cut)
