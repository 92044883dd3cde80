"""What a blank-form file (mẫu đơn, tờ khai) is, told by its content, never by its name.

A citizen downloads these files and opens them on their own computer, so what a file
claims to be must be what it is. The detection by content is ``sen.core.filetypes``;
a template may be a PDF or a Word, Excel or OpenDocument file, not an image.

Plain functions without database access.
"""

from django.utils.text import slugify

from sen.core.filetypes import CONTENT_TYPES as _ALL_CONTENT_TYPES
from sen.core.filetypes import OLE_MAGIC, PDF_MAGIC, ZIP_MAGIC, detect_kind
from sen.core.text import fold

__all__ = [
    "CONTENT_TYPES",
    "OLE_MAGIC",
    "PDF_MAGIC",
    "ZIP_MAGIC",
    "template_file_name",
    "template_kind",
]

# The kinds a template may be stored as (images are not blank forms), with their MIME types.
TEMPLATE_KINDS = ("pdf", "docx", "xlsx", "odt", "ods", "doc", "xls")
CONTENT_TYPES = {kind: _ALL_CONTENT_TYPES[kind] for kind in TEMPLATE_KINDS}


def template_kind(content: bytes) -> str | None:
    """Return the extension of the kind of file ``content`` is, or ``None`` if not accepted.

    The answer is one of the keys of ``CONTENT_TYPES``. The detection itself is
    ``sen.core.filetypes.detect_kind``.
    """
    kind = detect_kind(content)
    return kind if kind in CONTENT_TYPES else None


_SLUG_LENGTH = 40


def template_file_name(
    *, code: str, position: int, original_name: str, sha256: str, extension: str
) -> str:
    """Return the storage name of a template, relative to the field's ``upload_to``.

    Made from the procedure code and the component's position, never from the uploaded
    path: the uploaded name only survives as a short ASCII slug, and the extension is
    that of the detected kind. The digest prefix tells two versions of a form apart.
    """
    stem = original_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    slug = slugify(fold(stem))[:_SLUG_LENGTH].strip("-") or "mau"
    return f"{code}/{position:02d}-{slug}-{sha256[:8]}.{extension}"
