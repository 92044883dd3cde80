"""Small but genuine files of each kind a blank form (mẫu đơn, tờ khai) may be, and fakes.

The Office Open XML, OpenDocument and compound (OLE) files are built here byte by byte,
with only the parts that say what they are, so the tests need no office suite.
"""

import io
import struct
import zipfile

from openpyxl import Workbook

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for name, content in entries:
            # OpenDocument wants its mimetype entry first and uncompressed.
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=compression)
    return output.getvalue()


def docx(main_type: str = WORD_MAIN) -> bytes:
    """Return a Word document (or, with the macro content type, a .docm)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
    )
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>TỜ KHAI ĐĂNG KÝ KHAI SINH</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip([("[Content_Types].xml", types.encode()), ("word/document.xml", document.encode())])


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Tờ khai"  # type: ignore[index]
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def odf(kind: str) -> bytes:
    """Return an OpenDocument ``text`` or ``spreadsheet``."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return _zip([("mimetype", mimetype), ("content.xml", b"<office:document-content/>")])


def plain_zip() -> bytes:
    return _zip([("to-khai.txt", "Tờ khai".encode())])


_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF


def _directory_entry(
    name: str, kind: int, *, left: int = _FREE, right: int = _FREE, child: int = _FREE
) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", left, right, child)
        + b"\x00" * 16  # class id
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # created, modified
        + struct.pack("<IQ", _END, 0)  # first sector, size: the streams are empty
    )


def ole(*root_streams: str, storage: tuple[str, str] | None = None) -> bytes:
    """Return a compound file (MS-CFB, version 3) with these streams at its root.

    ``storage`` adds a storage holding one stream, as a Word file holds an embedded sheet.
    Sector 0 is the FAT, sector 1 the directory.
    """
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *[_FREE] * 108)
    )
    fat = struct.pack("<II", 0xFFFFFFFD, _END) + struct.pack("<126I", *[_FREE] * 126)
    names = list(root_streams)
    entries = [_directory_entry("Root Entry", 5, child=1 if names or storage else _FREE)]
    # The root's children as a chain of right siblings: 1 → 2 → …
    children = [(name, 2) for name in names] + ([(storage[0], 1)] if storage else [])
    for index, (name, kind) in enumerate(children, start=1):
        right = index + 1 if index < len(children) else _FREE
        child = len(children) + 1 if kind == 1 else _FREE
        entries.append(_directory_entry(name, kind, right=right, child=child))
    if storage:
        entries.append(_directory_entry(storage[1], 2))
    directory = b"".join(entries).ljust(512, b"\x00")
    assert len(header) == 512 and len(fat) == 512 and len(directory) == 512
    return header + fat + directory
