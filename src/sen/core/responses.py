"""HTTP answers the web pages of several apps share."""

from django.core.files import File
from django.http import FileResponse


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
        stored.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    # Also sent by SecurityMiddleware; said here, so that no setting can drop it.
    response["X-Content-Type-Options"] = "nosniff"
    return response
