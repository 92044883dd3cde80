"""Downloads of the files people sent: an attachment, never cached, never sniffed."""

import pytest
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


@pytest.mark.parametrize(
    ("sent_as", "content_type", "downloaded_as"),
    [
        ("to-khai.png", "application/pdf", "to-khai.pdf"),  # a PDF named as an image
        ("anh-the.JPEG", "image/jpeg", "anh-the.JPEG"),  # another name of the same kind
        ("anh-the.jpg", "image/jpeg", "anh-the.jpg"),
        ("giay-to", "application/pdf", "giay-to.pdf"),  # no extension at all
        (".pdf", "image/png", ".pdf.png"),  # a name that is only an extension
        ("bang-ke.xlsx", "application/vnd.ms-excel", "bang-ke.xls"),
    ],
)
def test_a_file_is_downloaded_with_the_extension_of_what_it_holds(
    sent_as, content_type, downloaded_as
):
    # The type was told from the content at upload; a computer saving the file by its
    # name would open a PDF named ".png" with an image viewer, and fail.
    stored = ContentFile(b"...", name="ignored")

    response = private_download(stored, name=sent_as, content_type=content_type)

    assert response.headers["Content-Disposition"] == f'attachment; filename="{downloaded_as}"'
