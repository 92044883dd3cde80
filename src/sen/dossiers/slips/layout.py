"""Page layout shared by the one-stop slips: fonts, Vietnamese formatting, QR code, blocks.

The layout follows the presentation rules of Nghị định 30/2020/NĐ-CP in substance: A4, margins
of 20 mm top and bottom, 30 mm left, 15 mm right, the two-column header with the national motto,
the italic place-and-date line, signature blocks, page numbers from the second page.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sen.core.timezones import VIETNAM

from .data import Agency, Applicant

# --- Fonts ------------------------------------------------------------------------------------

# DejaVu Serif ships in the package (fonts/, with its licence) so that a fresh machine renders
# Vietnamese without system fonts; the forms use Times New Roman, which we may not ship.
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"
SERIF_ITALIC = "DejaVuSerif-Italic"

_fonts_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register the bundled DejaVu Serif faces with reportlab, once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        for name, filename in (
            (SERIF, "DejaVuSerif.ttf"),
            (SERIF_BOLD, "DejaVuSerif-Bold.ttf"),
            (SERIF_ITALIC, "DejaVuSerif-Italic.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
        # No bold italic face is shipped: <b><i> falls back to bold.
        pdfmetrics.registerFontFamily(
            SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD
        )
        _fonts_registered = True


def unprintable(text: str) -> list[str]:
    """Return the characters of ``text`` (in NFC, once each, in order) that the bundled
    faces cannot draw: an emoji, a symbol, a control character would print as an empty
    box. Line breaks, tabs and spaces print as space."""
    register_fonts()
    faces = [pdfmetrics.getFont(name).face for name in (SERIF, SERIF_BOLD)]
    missing: list[str] = []
    for char in nfc(text):
        if char in "\n\r\t" or char in missing:
            continue
        if any(ord(char) not in face.charToGlyph for face in faces):
            missing.append(char)
    return missing


# --- Formatting -------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC: decomposed diacritics draw as loose marks otherwise."""
    return unicodedata.normalize("NFC", text)


def in_vietnam(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a naive datetime cannot be placed in Vietnam time: {moment!r}")
    return moment.astimezone(VIETNAM)


def format_date(day: date | datetime) -> str:
    """Return ``day`` as dd/mm/yyyy; an aware datetime is first taken to Vietnam time."""
    if isinstance(day, datetime):
        day = in_vietnam(day).date()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_moment(moment: datetime) -> str:
    """Return ``moment`` in Vietnam time as "14 giờ 30 phút, ngày 21/11/2026"."""
    local = in_vietnam(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {format_date(local.date())}"


def format_date_line(place: str, day: date | datetime) -> str:
    """Return the place-and-date line "Ninh Bình, ngày 21 tháng 11 năm 2026".

    Nghị định 30/2020 writes days below 10 and the months 1 and 2 with a leading zero
    ("ngày 05 tháng 02"), the other months without.
    """
    if isinstance(day, datetime):
        day = in_vietnam(day).date()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def format_days(days: Decimal) -> str:
    """Return a number of working days with a decimal comma: Decimal("0.5") → "0,5"."""
    text = format(days.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- QR code ----------------------------------------------------------------------------------


def qr_code(url: str, size: float = 24 * mm) -> Drawing:
    """Return a ``size`` × ``size`` drawing of the QR code that encodes ``url``."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"a tracking QR code needs an http(s) URL, got {url!r}")
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    # The drawing draws no text, but would otherwise pull Helvetica into the page's fonts.
    drawing.initialFontName = SERIF
    drawing.add(widget)
    return drawing


# --- Styles and building blocks ---------------------------------------------------------------

BODY_SIZE = 11
HEADER_SIZE = 10


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": SERIF,
        "fontSize": BODY_SIZE,
        "leading": BODY_SIZE * 1.35,
    }
    base.update(kwargs)
    return ParagraphStyle(name, **base)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_justified: ParagraphStyle
    bullet: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    centre_italic: ParagraphStyle
    header_left: ParagraphStyle
    header_left_bold: ParagraphStyle
    header_right_bold: ParagraphStyle
    motto: ParagraphStyle
    date_line: ParagraphStyle
    form_number: ParagraphStyle
    title: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle
    small: ParagraphStyle


def styles(body_size: float = BODY_SIZE, cell_size: float = 10) -> Styles:
    return Styles(
        body=_style("body", fontSize=body_size, leading=body_size * 1.35, spaceAfter=3),
        body_justified=_style(
            "body_justified",
            fontSize=body_size,
            leading=body_size * 1.35,
            alignment=TA_JUSTIFY,
            spaceAfter=3,
        ),
        bullet=_style("bullet", leftIndent=8 * mm, firstLineIndent=-4 * mm, spaceAfter=2),
        centre=_style("centre", alignment=TA_CENTER),
        centre_bold=_style("centre_bold", fontName=SERIF_BOLD, alignment=TA_CENTER),
        centre_italic=_style(
            "centre_italic", fontName=SERIF_ITALIC, alignment=TA_CENTER, fontSize=10
        ),
        header_left=_style(
            "header_left", fontSize=HEADER_SIZE, leading=HEADER_SIZE * 1.3, alignment=TA_CENTER
        ),
        header_left_bold=_style(
            "header_left_bold",
            fontName=SERIF_BOLD,
            fontSize=HEADER_SIZE,
            leading=HEADER_SIZE * 1.3,
            alignment=TA_CENTER,
        ),
        header_right_bold=_style(
            "header_right_bold",
            fontName=SERIF_BOLD,
            fontSize=HEADER_SIZE,
            leading=HEADER_SIZE * 1.3,
            alignment=TA_CENTER,
        ),
        motto=_style(
            "motto",
            fontName=SERIF_BOLD,
            fontSize=HEADER_SIZE + 1,
            leading=(HEADER_SIZE + 1) * 1.3,
            alignment=TA_CENTER,
        ),
        date_line=_style(
            "date_line", fontName=SERIF_ITALIC, fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        form_number=_style(
            "form_number", fontName=SERIF_BOLD, fontSize=9, leading=11, alignment=TA_RIGHT
        ),
        title=_style(
            "title",
            fontName=SERIF_BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=4,
        ),
        cell=_style("cell", fontSize=cell_size, leading=cell_size * 1.25),
        cell_centre=_style(
            "cell_centre", fontSize=cell_size, leading=cell_size * 1.25, alignment=TA_CENTER
        ),
        cell_head=_style(
            "cell_head",
            fontName=SERIF_BOLD,
            fontSize=cell_size,
            leading=cell_size * 1.25,
            alignment=TA_CENTER,
        ),
        small=_style("small", fontSize=9, leading=11.5),
    )


# Cells hold Paragraphs, but a table still sets its cell font; Helvetica by default.
TABLE_FONT = ("FONT", (0, 0), (-1, -1), SERIF, BODY_SIZE)


def escaped(text: str) -> str:
    """Return plain ``text`` ready for a Paragraph: NFC, markup characters escaped, and each
    line break kept (a Paragraph folds it into a space; officers number their reasons)."""
    lines = escape(nfc(text)).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br/>".join(lines)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """Return a paragraph of plain ``text`` (escaped)."""
    return Paragraph(escaped(text), style)


def labelled(label: str, value: str, style: ParagraphStyle) -> Paragraph:
    """Return "label: value" with the value in bold; empty values print a dotted blank."""
    shown = f"<b>{escaped(value)}</b>" if value.strip() else "…………………………"
    return Paragraph(f"{escaped(label)}: {shown}", style)


# Words that open the name of an administrative unit inside an agency's name: "ỦY BAN NHÂN
# DÂN TỈNH NINH BÌNH".
UNIT_KINDS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "ĐẶC KHU", "TỈNH", "HUYỆN", "QUẬN", "PHƯỜNG", "XÃ")
_KIND_WORDS = [kind.split() for kind in UNIT_KINDS]
# The header's names shrink this far, by half points, before a place name breaks.
HEADER_SMALLEST_SIZE = 8


def _place_start(words: Sequence[str]) -> int | None:
    """Return where the place name that ends ``words`` starts, or ``None`` without one.

    It starts at the last kind of unit that has a name after it: "TỈNH" in "BẢO HIỂM XÃ HỘI
    TỈNH NINH BÌNH". A kind word right after another belongs to the name ("PHƯỜNG PHƯỜNG
    ĐÚC", "THỊ XÃ AN KHÊ").
    """
    start = None
    after_kind = False
    index = 0
    while index < len(words):
        kind = next((k for k in _KIND_WORDS if list(words[index : index + len(k)]) == k), None)
        if kind is None:
            after_kind = False
            index += 1
            continue
        if not after_kind and index + len(kind) < len(words):
            start = index
        after_kind = True
        index += len(kind)
    return start


def _wrap(pieces: Sequence[str], font: str, size: float, width: float) -> list[str]:
    """Return the lines of ``pieces`` filled greedily up to ``width``, breaking only between
    pieces."""
    lines: list[str] = []
    for piece in pieces:
        joined = f"{lines[-1]} {piece}" if lines else piece
        if lines and pdfmetrics.stringWidth(joined, font, size) <= width:
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines


def header_lines(name: str, font: str, width: float) -> tuple[float, list[str]]:
    """Return the font size and the lines of an agency's name in the header's ``width``.

    The name is upper-cased, as Nghị định 30/2020 writes it. Its lines break between words
    but never inside the place name that ends it ("TỈNH NINH BÌNH"); when that place name is
    wider than the column at the header's size, the size shrinks by half points down to
    ``HEADER_SMALLEST_SIZE``. Only a place name too wide even then breaks between its words.
    """
    words = nfc(name).upper().split()
    start = _place_start(words)
    pieces = words if start is None else [*words[:start], " ".join(words[start:])]

    def too_wide(size: float) -> bool:
        return any(pdfmetrics.stringWidth(piece, font, size) > width for piece in pieces)

    size = float(HEADER_SIZE)
    while size > HEADER_SMALLEST_SIZE and too_wide(size):
        size -= 0.5
    if too_wide(size):
        pieces = words
    return size, _wrap(pieces, font, size, width)


def _header_name(name: str, style: ParagraphStyle, width: float) -> Paragraph:
    """Return an agency's name in the header's left column, broken as ``header_lines`` says."""
    size, lines = header_lines(name, style.fontName, width)
    fitted = ParagraphStyle(f"{style.name}_fitted", parent=style, fontSize=size, leading=size * 1.3)
    return Paragraph("<br/>".join(escape(line) for line in lines), fitted)


# The left column of the header (the governing body and the agency) takes this share of the
# frame; the right column keeps room for "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line.
HEADER_LEFT_SHARE = 0.45


def header(
    agency: Agency,
    date_line: str | None,
    form_number: str,
    width: float,
    *,
    reference: str | None = None,
) -> list[Any]:
    """Return the form number and the two-column header of Nghị định 30/2020.

    ``reference`` is a document's number and symbol (số, ký hiệu), printed under the
    agency's name; a form has none, only its number above the header.
    """
    s = styles()
    left_width = width * HEADER_LEFT_SHARE
    right_width = width - left_width
    left: list[Any] = [
        _header_name(agency.parent_name, s.header_left, left_width),
        _header_name(agency.name, s.header_left_bold, left_width),
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=0),
    ]
    if reference is not None:
        left += [Spacer(1, 3 * mm), para(f"Số: {reference}", s.header_left)]
    right: list[Any] = [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s.header_right_bold),
        para("Độc lập - Tự do - Hạnh phúc", s.motto),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=4),
    ]
    if date_line:
        right.append(para(date_line, s.date_line))
    table = Table([[left, right]], colWidths=[left_width, right_width])
    table.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Centres the rules under the agency name and the motto.
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    above = [para(form_number, s.form_number)] if form_number else []
    return [*above, Spacer(1, 2 * mm), table]


def tracking_block(code: str, url: str, width: float) -> Table:
    """Return the QR code with the dossier code and the tracking address beside it."""
    s = styles()
    qr_size = 24 * mm
    text = [
        labelled("Mã hồ sơ", code, s.body),
        para("Quét mã QR hoặc truy cập địa chỉ sau để tra cứu tình trạng hồ sơ:", s.small),
        para(url, s.small),
    ]
    table = Table([[qr_code(url, qr_size), text]], colWidths=[qr_size + 4 * mm, None])
    table.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class Signer:
    title: str
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


def signatures(signers: Sequence[Signer | None], width: float) -> KeepTogether:
    """Return the signature blocks side by side, kept on one page."""
    s = styles()
    cells: list[list[Any]] = []
    for signer in signers:
        if signer is None:
            cells.append([])
            continue
        cells.append(
            [
                para(signer.title.upper(), s.centre_bold),
                para(signer.note, s.centre_italic),
                Spacer(1, 20 * mm),
                para(signer.name, s.centre_bold),
            ]
        )
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 5 * mm), table])


def grid(
    rows: list[list[Any]],
    col_widths: Sequence[float],
    *,
    header_rows: int = 1,
    compact: bool = False,
) -> Table:
    """Return a ruled table whose header rows repeat on every page."""
    table = Table(rows, colWidths=list(col_widths), repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
                ("TOPPADDING", (0, 0), (-1, -1), 1 if compact else 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 if compact else 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 if compact else 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 if compact else 6),
            ]
        )
    )
    return table


def applicant_lines(applicant: Applicant, s: Styles, label: str) -> list[Any]:
    phone_email = (
        f"Số điện thoại: <b>{escaped(applicant.phone) or '……………'}</b>"
        f"&nbsp;&nbsp;&nbsp;&nbsp;Email: <b>{escaped(applicant.email) or '……………'}</b>"
    )
    return [
        labelled(label, applicant.full_name, s.body),
        labelled("Địa chỉ", applicant.address, s.body),
        Paragraph(phone_email, s.body),
    ]


def procedure_line(name: str, code: str, s: Styles) -> Paragraph:
    shown = f"{name} (mã thủ tục: {code})" if code.strip() else name
    return labelled("Nội dung yêu cầu giải quyết", shown, s.body)


# --- Document ---------------------------------------------------------------------------------

PORTRAIT_MARGINS = {
    "topMargin": 20 * mm,
    "bottomMargin": 20 * mm,
    "leftMargin": 30 * mm,
    "rightMargin": 15 * mm,
}


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """Number the pages from the second one, centred in the top margin (Nghị định 30/2020),
    and name the dossier at the foot of each of them: a page that came loose says whose it
    is."""
    if doc.page < 2:
        return
    canvas.saveState()
    canvas.setFont(SERIF, 10)
    page_width, page_height = doc.pagesize
    centre = doc.leftMargin + (page_width - doc.leftMargin - doc.rightMargin) / 2
    canvas.drawCentredString(centre, page_height - 12 * mm, str(doc.page))
    code = getattr(doc, "dossier_code", "")
    if code:
        canvas.setFont(SERIF, 9)
        canvas.drawString(doc.leftMargin, 10 * mm, nfc(f"Mã hồ sơ: {code}"))
    canvas.restoreState()


def build_pdf(
    story_for: Callable[[float], list[Any]],
    *,
    title: str,
    author: str,
    subject: str,
    pagesize: tuple[float, float] = A4,
    dossier_code: str = "",
) -> bytes:
    """Lay out ``story_for(frame width)`` on A4 and return the PDF bytes; ``dossier_code``
    is printed at the foot of every page after the first."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        creator="Sen",
        # The document's language, for screen readers (PDF /Lang): the forms are Vietnamese.
        lang="vi",
        # Otherwise every page names Helvetica as its starting font, which has no Vietnamese.
        initialFontName=SERIF,
        initialFontSize=BODY_SIZE,
        **PORTRAIT_MARGINS,
    )
    doc.dossier_code = dossier_code
    story = story_for(doc.width)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def title_block(title: str, s: Styles) -> list[Flowable]:
    lines = "<br/>".join(escaped(line) for line in title.split("\n"))
    return [Spacer(1, 5 * mm), Paragraph(lines, s.title)]


def title_case(title: str) -> str:
    """Return a form title in sentence case for the PDF metadata ("Giấy tiếp nhận …")."""
    lower = " ".join(title.split()).lower()
    return lower[:1].upper() + lower[1:]
