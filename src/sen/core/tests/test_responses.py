"""Downloads of the files people sent: an attachment, never cached, never sniffed."""

from django.core.files.base import ContentFile

from sen.core.responses import private_download


def test_a_file_with_a_vietnamese_name_is_downloaded_under_that_name():
    stored = ContentFile(b"\x89PNG\r\n\x1a\n...", name="ignored.png")

    response = private_download(stored, name="giấy khai sinh.png", content_type="image/png")

    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\n..."
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''gi%E1%BA%A5y%20khai%20sinh.png"
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
