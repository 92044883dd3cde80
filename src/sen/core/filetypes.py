"""What kind of file a file is, told by its content, never by its name.

What a file claims to be must be what it is: a citizen's scan, an officer's result or a
blank form is opened on someone else's computer. The first bytes tell a PDF, a JPEG or a
PNG image, a zip package or a legacy Office (OLE) file apart; inside the two containers,
the package says what it holds: an OpenDocument file names its type in its ``mimetype``
entry, an Office Open XML file in ``[Content_Types].xml``, and a legacy Office file by
its root streams (``WordDocument`` for Word, ``Workbook`` or ``Book`` for Excel).
Macro-enabled packages (.docm, .xlsm) declare other content types and so are not
recognised.

Plain functions without database access.
"""

import io
import struct
import zipfile

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# The kinds of file told apart, by extension, with the MIME type each one is.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}

# Other names a kind goes by at the end of a file's name.
_OTHER_EXTENSIONS = {"jpg": ("jpeg",)}


def name_for_content(name: str, content_type: str) -> str:
    """Return ``name`` ending in the extension of ``content_type``: a PDF sent as "to-khai.png"
    is downloaded as "to-khai.pdf", so that the computer that saves it opens it with the
    right program. A name with the right extension, or a type not in ``CONTENT_TYPES``,
    stays as it is."""
    kinds = [kind for kind, known in CONTENT_TYPES.items() if known == content_type]
    if not kinds:
        return name
    kind = kinds[0]
    stem, dot, extension = name.rpartition(".")
    if dot and extension.lower() in (kind, *_OTHER_EXTENSIONS.get(kind, ())):
        return name
    return f"{stem if dot and stem else name}.{kind}"


_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# The content type of the main part of each Office Open XML kind we accept.
_OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
# Declarations are a few kilobytes; reading no more keeps a zip bomb harmless.
_MAX_DECLARATION_BYTES = 256 * 1024


def detect_kind(content: bytes) -> str | None:
    """Return the extension of the kind of file ``content`` is, or ``None`` if unknown.

    The answer is one of the keys of ``CONTENT_TYPES``.
    """
    if content.startswith(PDF_MAGIC):
        return "pdf"
    if content.startswith(JPEG_MAGIC):
        return "jpg"
    if content.startswith(PNG_MAGIC):
        return "png"
    if content.startswith(ZIP_MAGIC):
        return _package_kind(content)
    if content.startswith(OLE_MAGIC):
        return _ole_kind(content)
    return None


def _package_kind(content: bytes) -> str | None:
    """Tell an OpenDocument or Office Open XML package by what it declares itself to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                with package.open("mimetype") as entry:
                    return _ODF_TYPES.get(entry.read(_MAX_DECLARATION_BYTES).strip())
            if "[Content_Types].xml" in names:
                with package.open("[Content_Types].xml") as entry:
                    declared = entry.read(_MAX_DECLARATION_BYTES)
                kinds = {kind for part, kind in _OOXML_MAIN_PARTS.items() if part in declared}
                return kinds.pop() if len(kinds) == 1 else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        return None
    return None


_FREE_SECTORS = 0xFFFFFFFA  # sector numbers from here up mark free or chain ends (MS-CFB)
_NO_STREAM = 0xFFFFFFFF
_OLE_STREAM = 2


def _ole_kind(content: bytes) -> str | None:
    """Tell a legacy Word or Excel file by the streams at the root of its compound file."""
    try:
        names = _ole_root_stream_names(content)
    except (struct.error, IndexError, ValueError):
        return None
    if "WordDocument" in names:
        return "doc" if not names & {"Workbook", "Book"} else None
    if names & {"Workbook", "Book"}:
        return "xls"
    return None


def _ole_root_stream_names(content: bytes) -> set[str]:
    """Read the directory of a compound file (MS-CFB) and return its root streams' names.

    Only the root's children count: a Word file may embed an Excel sheet in a storage
    of its own. Every chain is bounded, so a damaged file cannot loop.
    """
    shift = struct.unpack_from("<H", content, 30)[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    size = 1 << shift
    sectors = max(len(content) // size - 1, 0)

    def sector(number: int) -> bytes:
        if number >= sectors:
            raise ValueError("sector out of range")
        return content[(number + 1) * size : (number + 2) * size]

    # The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
    fat_sectors = list(struct.unpack_from("<109I", content, 76))
    next_difat = struct.unpack_from("<I", content, 68)[0]
    for _hop in range(sectors):
        if next_difat >= _FREE_SECTORS:
            break
        difat = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors += difat[:-1]
        next_difat = difat[-1]
    fat: list[int] = []
    for number in fat_sectors:
        if number < _FREE_SECTORS:
            fat += struct.unpack(f"<{size // 4}I", sector(number))

    directory = b""
    number = struct.unpack_from("<I", content, 48)[0]
    for _hop in range(sectors):
        if number >= _FREE_SECTORS:
            break
        directory += sector(number)
        number = fat[number]
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise ValueError("no directory")

    names: set[str] = set()
    pending = [struct.unpack_from("<I", entries[0], 76)[0]]  # the root's child
    seen: set[int] = set()
    while pending:
        index = pending.pop()
        if index == _NO_STREAM or index in seen:
            continue
        seen.add(index)
        entry = entries[index]
        length = struct.unpack_from("<H", entry, 64)[0]
        if entry[66] == _OLE_STREAM and 2 <= length <= 64:
            names.add(entry[: length - 2].decode("utf-16-le", errors="replace"))
        pending += struct.unpack_from("<II", entry, 68)  # left and right siblings
    return names
