"""Core's file-type detection, as the dossiers use it: by content, never by name."""

import pytest

from sen.catalog.templatefiles import template_kind
from sen.core.filetypes import CONTENT_TYPES, detect_kind

PDF = b"%PDF-1.7\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "pdf"), (JPEG, "jpg"), (PNG, "png"), (b"GIF89a", None), (b"", None), (b"%PD", None)],
)
def test_a_file_is_told_by_its_first_bytes(content, kind):
    assert detect_kind(content) == kind


def test_images_have_their_mime_types_but_are_not_blank_forms():
    assert CONTENT_TYPES["jpg"] == "image/jpeg"
    assert CONTENT_TYPES["png"] == "image/png"
    assert template_kind(JPEG) is None
    assert template_kind(PNG) is None
    assert template_kind(PDF) == "pdf"
