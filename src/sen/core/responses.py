"""HTTP answers the web pages of several apps share."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

from sen.core.filetypes import name_for_content


def private_download(stored: File, *, name: str, content_type: str) -> FileResponse:
    """Return ``stored`` as a download named ``name``, kept out of every cache.

    For files people sent: a citizen's papers, an officer's result. Always an attachment,
    never shown inline: the file was made outside the system, and rendered on our origin
    it would run with the rights of whoever opens it (an officer, on the workspace). The
    browser may not guess another type from the content than ``content_type``, which the
    upload checks told from the content. Personal papers: not kept in the cache of a
    shared computer (a kiosk, a café, the one-stop desk).
    """
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=name_for_content(name, content_type),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    # Also sent by SecurityMiddleware; said here, so that no setting can drop it.
    response["X-Content-Type-Options"] = "nosniff"
    return response


def posted_action(
    page: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Make a view take the POST of one action on a dossier; a GET of its address leads to
    the dossier's page, the URL ``page`` (reversed with the view's ``code``).

    A refused action's page answers at the action's address, so that a reload, the address
    bar and the language switcher (which comes back to the address shown) ask for it by GET;
    they would meet a blank 405.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return redirect(page, code=kwargs["code"])
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])

        return wrapped

    return decorator
