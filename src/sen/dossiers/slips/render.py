"""Render the one-stop slips as A4 PDF with reportlab's Platypus.

Each ``render_<slip>(data) -> bytes`` takes one dataclass from :mod:`.data` and returns the
PDF. The layout follows the forms of Thông tư 03/2025/TT-VPCP in substance and the
presentation rules of Nghị định 30/2020/NĐ-CP (margins, the two-column header, the date line,
signature blocks). The wording is fixed Vietnamese on purpose and not passed through gettext:
these are legal forms, a translated slip would not be the form.

Form numbers: Phụ lục I of Thông tư 03/2025/TT-VPCP as listed in docs/REFERENCE ("One-stop
forms") and by a secondary source (thuviennhadat.vn); TO BE VERIFIED against the circular's
own text before the slips are used in production.
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
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
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

from .data import (
    Agency,
    ApologySlip,
    Applicant,
    ControlSheet,
    DossierRegister,
    ReceiptSlip,
    RefusalSlip,
    StopNoticeSlip,
    SupplementRequestSlip,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Form numbers and titles, Phụ lục I of Thông tư 03/2025/TT-VPCP (numbering to be verified
# against the circular, see the module docstring). A "\n" marks where a long title breaks.
FORM_RECEIPT = ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
FORM_SUPPLEMENT = ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
FORM_REFUSAL = ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
FORM_APOLOGY = ("Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN\nTHỜI GIAN GIẢI QUYẾT")
FORM_STOP = ("Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
FORM_CONTROL = ("Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
FORM_REGISTER = ("Mẫu số 07", "SỔ THEO DÕI HỒ SƠ")

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


# --- Formatting -------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC: decomposed diacritics draw as loose marks otherwise."""
    return unicodedata.normalize("NFC", text)


def _in_vietnam(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a naive datetime cannot be placed in Vietnam time: {moment!r}")
    return moment.astimezone(VIETNAM)


def format_date(day: date | datetime) -> str:
    """Return ``day`` as dd/mm/yyyy; an aware datetime is first taken to Vietnam time."""
    if isinstance(day, datetime):
        day = _in_vietnam(day).date()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_moment(moment: datetime) -> str:
    """Return ``moment`` in Vietnam time as "14 giờ 30 phút, ngày 21/11/2026"."""
    local = _in_vietnam(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {format_date(local.date())}"


def format_date_line(place: str, day: date | datetime) -> str:
    """Return the place-and-date line "Ninh Bình, ngày 21 tháng 11 năm 2026".

    Nghị định 30/2020 writes days below 10 and the months 1 and 2 with a leading zero
    ("ngày 05 tháng 02"), the other months without.
    """
    if isinstance(day, datetime):
        day = _in_vietnam(day).date()
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
class _Styles:
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


def _styles(body_size: float = BODY_SIZE, cell_size: float = 10) -> _Styles:
    return _Styles(
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
_TABLE_FONT = ("FONT", (0, 0), (-1, -1), SERIF, BODY_SIZE)


def _t(text: str) -> str:
    """Return plain ``text`` ready for a Paragraph: NFC, markup characters escaped."""
    return escape(nfc(text))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """Return a paragraph of plain ``text`` (escaped)."""
    return Paragraph(_t(text), style)


def _labelled(label: str, value: str, style: ParagraphStyle) -> Paragraph:
    """Return "label: value" with the value in bold; empty values print a dotted blank."""
    shown = f"<b>{_t(value)}</b>" if value.strip() else "…………………………"
    return Paragraph(f"{_t(label)}: {shown}", style)


def _header(agency: Agency, date_line: str | None, form_number: str, width: float) -> list[Any]:
    """Return the form number and the two-column header of Nghị định 30/2020."""
    s = _styles()
    left_width = width * 0.42
    right_width = width - left_width
    left: list[Any] = [
        _p(agency.parent_name.upper(), s.header_left),
        _p(agency.name.upper(), s.header_left_bold),
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=0),
    ]
    right: list[Any] = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s.header_right_bold),
        _p("Độc lập - Tự do - Hạnh phúc", s.motto),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=4),
    ]
    if date_line:
        right.append(_p(date_line, s.date_line))
    table = Table([[left, right]], colWidths=[left_width, right_width])
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Centres the rules under the agency name and the motto.
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [_p(form_number, s.form_number), Spacer(1, 2 * mm), table]


def _tracking_block(code: str, url: str, width: float) -> Table:
    """Return the QR code with the dossier code and the tracking address beside it."""
    s = _styles()
    qr_size = 24 * mm
    text = [
        _labelled("Mã hồ sơ", code, s.body),
        _p("Quét mã QR hoặc truy cập địa chỉ sau để tra cứu tình trạng hồ sơ:", s.small),
        _p(url, s.small),
    ]
    table = Table([[qr_code(url, qr_size), text]], colWidths=[qr_size + 4 * mm, None])
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class _Signer:
    title: str
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


def _signatures(signers: Sequence[_Signer | None], width: float) -> KeepTogether:
    """Return the signature blocks side by side, kept on one page."""
    s = _styles()
    cells: list[list[Any]] = []
    for signer in signers:
        if signer is None:
            cells.append([])
            continue
        cells.append(
            [
                _p(signer.title.upper(), s.centre_bold),
                _p(signer.note, s.centre_italic),
                Spacer(1, 20 * mm),
                _p(signer.name, s.centre_bold),
            ]
        )
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([_TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 5 * mm), table])


def _grid(
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
                _TABLE_FONT,
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


def _applicant_lines(applicant: Applicant, s: _Styles, label: str) -> list[Any]:
    phone_email = (
        f"Số điện thoại: <b>{_t(applicant.phone) or '……………'}</b>"
        f"&nbsp;&nbsp;&nbsp;&nbsp;Email: <b>{_t(applicant.email) or '……………'}</b>"
    )
    return [
        _labelled(label, applicant.full_name, s.body),
        _labelled("Địa chỉ", applicant.address, s.body),
        Paragraph(phone_email, s.body),
    ]


def _procedure_line(name: str, code: str, s: _Styles) -> Paragraph:
    shown = f"{name} (mã thủ tục: {code})" if code.strip() else name
    return _labelled("Nội dung yêu cầu giải quyết", shown, s.body)


# --- Document ---------------------------------------------------------------------------------

PORTRAIT_MARGINS = {
    "topMargin": 20 * mm,
    "bottomMargin": 20 * mm,
    "leftMargin": 30 * mm,
    "rightMargin": 15 * mm,
}


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """Number the pages from the second one, centred in the top margin (Nghị định 30/2020)."""
    if doc.page < 2:
        return
    canvas.saveState()
    canvas.setFont(SERIF, 10)
    page_width, page_height = doc.pagesize
    centre = doc.leftMargin + (page_width - doc.leftMargin - doc.rightMargin) / 2
    canvas.drawCentredString(centre, page_height - 12 * mm, str(doc.page))
    canvas.restoreState()


def _build(
    story_for: Callable[[float], list[Any]],
    *,
    title: str,
    author: str,
    subject: str,
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """Lay out ``story_for(frame width)`` on A4 and return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        creator="Sen",
        # Otherwise every page names Helvetica as its starting font, which has no Vietnamese.
        initialFontName=SERIF,
        initialFontSize=BODY_SIZE,
        **PORTRAIT_MARGINS,
    )
    story = story_for(doc.width)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _title_block(title: str, s: _Styles) -> list[Flowable]:
    lines = "<br/>".join(_t(line) for line in title.split("\n"))
    return [Spacer(1, 5 * mm), Paragraph(lines, s.title)]


# --- The slips --------------------------------------------------------------------------------


def render_receipt(data: ReceiptSlip) -> bytes:
    """Return the PDF of the receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)."""
    number, title = FORM_RECEIPT
    s = _styles()

    def story(width: float) -> list[Any]:
        rows: list[list[Any]] = [
            [
                _p("STT", s.cell_head),
                _p("Tên giấy tờ", s.cell_head),
                _p("Bản chính", s.cell_head),
                _p("Bản sao chứng thực", s.cell_head),
                _p("Bản chụp", s.cell_head),
            ]
        ]
        for index, line in enumerate(data.components, start=1):
            rows.append(
                [
                    _p(str(index), s.cell_centre),
                    _p(line.name, s.cell),
                    _p(str(line.originals), s.cell_centre),
                    _p(str(line.certified_copies), s.cell_centre),
                    _p(str(line.photocopies), s.cell_centre),
                ]
            )
        count_width = 20 * mm
        components = _grid(
            rows,
            [14 * mm, width - 14 * mm - 3 * count_width, count_width, count_width, count_width],
        )
        register = (
            f"Vào Sổ theo dõi hồ sơ, quyển số: <b>{_t(data.register_book) or '……'}</b>"
            f", số thứ tự: <b>{_t(data.register_number) or '……'}</b>"
        )
        return [
            *_header(
                data.agency, format_date_line(data.agency.place, data.received_at), number, width
            ),
            *_title_block(title, s),
            _tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            _labelled(f"{data.agency.name} tiếp nhận hồ sơ của", data.applicant.full_name, s.body),
            *_applicant_lines(data.applicant, s, "Người nộp hồ sơ")[1:],
            _procedure_line(data.procedure_name, data.procedure_code, s),
            _p("1. Thành phần hồ sơ nộp gồm:", s.body),
            components,
            Spacer(1, 2 * mm),
            Paragraph(f"2. Số lượng hồ sơ: <b>{data.sets:02d}</b> (bộ)", s.body),
            Paragraph(
                "3. Thời gian giải quyết hồ sơ theo quy định là: "
                f"<b>{format_days(data.legal_days)}</b> ngày làm việc",
                s.body,
            ),
            Paragraph(f"4. Thời gian nhận hồ sơ: <b>{format_moment(data.received_at)}</b>", s.body),
            Paragraph(
                f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{format_moment(data.due_at)}</b>",
                s.body,
            ),
            _labelled("6. Đăng ký nhận kết quả tại", data.result_place, s.body),
            Paragraph(register, s.body),
            _signatures(
                [
                    _Signer("Người nộp hồ sơ", name=data.applicant.full_name),
                    _Signer("Người tiếp nhận hồ sơ", name=data.receiver_name),
                ],
                width,
            ),
        ]

    return _build(story, title=_title_case(title), author=data.agency.name, subject=data.code)


def render_supplement_request(data: SupplementRequestSlip) -> bytes:
    """Return the PDF of the request to supplement (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)."""
    number, title = FORM_SUPPLEMENT
    s = _styles()

    def story(width: float) -> list[Any]:
        rows: list[list[Any]] = [
            [
                _p("STT", s.cell_head),
                _p("Nội dung cần bổ sung, hoàn thiện", s.cell_head),
                _p("Lý do", s.cell_head),
            ]
        ]
        for index, item in enumerate(data.missing_items, start=1):
            rows.append(
                [_p(str(index), s.cell_centre), _p(item.name, s.cell), _p(item.reason, s.cell)]
            )
        rest = width - 14 * mm
        missing = _grid(rows, [14 * mm, rest * 0.5, rest * 0.5])
        contact = (
            "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
            f"<b>{_t(data.officer_name)}</b>"
            + (f", số điện thoại <b>{_t(data.officer_phone)}</b>" if data.officer_phone else "")
            + " để được hướng dẫn."
        )
        deadline: list[Any] = []
        if data.deadline is not None:
            deadline.append(
                Paragraph(
                    "Thời hạn bổ sung, hoàn thiện hồ sơ: "
                    f"<b>trước {format_moment(data.deadline)}</b>",
                    s.body,
                )
            )
        return [
            *_header(
                data.agency, format_date_line(data.agency.place, data.issued_at), number, width
            ),
            *_title_block(title, s),
            _tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            *_applicant_lines(data.applicant, s, "Hồ sơ của"),
            _procedure_line(data.procedure_name, data.procedure_code, s),
            _p(
                "Sau khi xem xét, đối chiếu với quy định, yêu cầu Ông/Bà bổ sung, hoàn thiện "
                "hồ sơ gồm những nội dung sau (hướng dẫn một lần, đầy đủ):",
                s.body_justified,
            ),
            missing,
            Spacer(1, 2 * mm),
            *deadline,
            Paragraph(contact, s.body_justified),
            _signatures([None, _Signer("Người hướng dẫn", name=data.officer_name)], width),
        ]

    return _build(story, title=_title_case(title), author=data.agency.name, subject=data.code)


def render_refusal(data: RefusalSlip) -> bytes:
    """Return the PDF of the refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ)."""
    number, title = FORM_REFUSAL
    s = _styles()

    def story(width: float) -> list[Any]:
        return [
            *_header(
                data.agency, format_date_line(data.agency.place, data.issued_at), number, width
            ),
            *_title_block(title, s),
            _tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            _labelled(f"{data.agency.name} tiếp nhận hồ sơ của", data.applicant.full_name, s.body),
            *_applicant_lines(data.applicant, s, "Người nộp hồ sơ")[1:],
            _procedure_line(data.procedure_name, data.procedure_code, s),
            _p(
                "Sau khi xem xét, đối chiếu với quy định, cơ quan tiếp nhận từ chối tiếp nhận, "
                "giải quyết hồ sơ này vì lý do sau:",
                s.body_justified,
            ),
            Paragraph(f"<b>{_t(data.reason)}</b>", s.bullet),
            _p("Xin thông báo để Ông/Bà được biết và thực hiện./.", s.body),
            _signatures([None, _Signer("Người tiếp nhận hồ sơ", name=data.officer_name)], width),
        ]

    return _build(story, title=_title_case(title), author=data.agency.name, subject=data.code)


def render_apology(data: ApologySlip) -> bytes:
    """Return the PDF of the apology with a new appointment (văn bản xin lỗi, hẹn lại)."""
    number, title = FORM_APOLOGY
    s = _styles()

    def story(width: float) -> list[Any]:
        return [
            *_header(
                data.agency, format_date_line(data.agency.place, data.issued_at), number, width
            ),
            *_title_block(title, s),
            _tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            _labelled("Kính gửi", data.applicant.full_name, s.body),
            Paragraph(
                f"Ngày {format_date(data.received_at)}, {_t(data.agency.name)} tiếp nhận hồ sơ "
                f"của Ông/Bà, đề nghị giải quyết thủ tục: <b>{_t(data.procedure_name)}</b>.",
                s.body_justified,
            ),
            Paragraph(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: "
                f"<b>{format_moment(data.old_due_at)}</b>.",
                s.body,
            ),
            Paragraph(
                "Tuy nhiên đến nay, hồ sơ của Ông/Bà chưa thể giải quyết đúng hạn vì lý do: "
                f"<b>{_t(data.reason)}</b>",
                s.body_justified,
            ),
            Paragraph(
                "Sự chậm trễ này gây phiền hà, tốn kém thời gian và chi phí đi lại của Ông/Bà. "
                "Chúng tôi thành thật xin lỗi Ông/Bà, đề nghị Ông/Bà cho gia hạn thời gian giải "
                "quyết hồ sơ và hẹn trả kết quả vào: "
                f"<b>{format_moment(data.new_due_at)}</b>.",
                s.body_justified,
            ),
            _p("Kính mong Ông/Bà thông cảm./.", s.body),
            _signatures(
                [
                    None,
                    _Signer(
                        data.signer_title,
                        note="(Ký, ghi rõ họ tên và đóng dấu)",
                        name=data.signer_name,
                    ),
                ],
                width,
            ),
        ]

    return _build(story, title=_title_case(title), author=data.agency.name, subject=data.code)


def render_stop_notice(data: StopNoticeSlip) -> bytes:
    """Return the PDF of the notice of stopped processing (Thông báo dừng giải quyết hồ sơ)."""
    number, title = FORM_STOP
    s = _styles()

    def story(width: float) -> list[Any]:
        return [
            *_header(
                data.agency, format_date_line(data.agency.place, data.issued_at), number, width
            ),
            *_title_block(title, s),
            _tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            _labelled("Kính gửi", data.applicant.full_name, s.body),
            Paragraph(
                f"Ngày {format_date(data.received_at)}, {_t(data.agency.name)} tiếp nhận hồ sơ "
                f"của Ông/Bà, đề nghị giải quyết thủ tục: <b>{_t(data.procedure_name)}</b>.",
                s.body_justified,
            ),
            Paragraph(f"Căn cứ: <b>{_t(data.legal_basis)}</b>,", s.body_justified),
            Paragraph(
                "cơ quan giải quyết thông báo dừng giải quyết hồ sơ của Ông/Bà vì lý do: "
                f"<b>{_t(data.reason)}</b>",
                s.body_justified,
            ),
            _p("Xin thông báo để Ông/Bà được biết./.", s.body),
            _signatures(
                [
                    None,
                    _Signer(
                        data.signer_title,
                        note="(Ký, ghi rõ họ tên và đóng dấu)",
                        name=data.signer_name,
                    ),
                ],
                width,
            ),
        ]

    return _build(story, title=_title_case(title), author=data.agency.name, subject=data.code)


def render_control_sheet(data: ControlSheet) -> bytes:
    """Return the PDF of the process control sheet (Phiếu kiểm soát quá trình giải quyết)."""
    number, title = FORM_CONTROL
    s = _styles(cell_size=9)

    def story(width: float) -> list[Any]:
        rows: list[list[Any]] = [
            [
                _p("STT", s.cell_head),
                _p("Bên giao", s.cell_head),
                _p("Bên nhận", s.cell_head),
                _p("Thời gian giao, nhận", s.cell_head),
                _p("Người giao", s.cell_head),
                _p("Kết quả", s.cell_head),
                _p("Ghi chú", s.cell_head),
            ]
        ]
        for index, hand_off in enumerate(data.hand_offs, start=1):
            rows.append(
                [
                    _p(str(index), s.cell_centre),
                    _p(hand_off.from_party, s.cell),
                    _p(hand_off.to_party, s.cell),
                    _p(format_moment(hand_off.at), s.cell_centre),
                    _p(hand_off.by, s.cell),
                    _p(hand_off.result.label if hand_off.result else "", s.cell_centre),
                    _p(hand_off.note, s.cell),
                ]
            )
        fixed = 13 * mm + 30 * mm + 20 * mm
        flexible = width - fixed
        widths = [
            13 * mm,
            flexible * 0.24,
            flexible * 0.24,
            30 * mm,
            flexible * 0.22,
            20 * mm,
            flexible * 0.30,
        ]
        coordinating = ", ".join(data.coordinating_agencies)
        return [
            *_header(data.agency, None, number, width),
            *_title_block(title, s),
            _tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            _labelled("Chủ hồ sơ", data.applicant.full_name, s.body),
            _procedure_line(data.procedure_name, data.procedure_code, s),
            Paragraph(f"Nhận hồ sơ lúc: <b>{format_moment(data.received_at)}</b>", s.body),
            Paragraph(f"Hẹn trả kết quả: <b>{format_moment(data.due_at)}</b>", s.body),
            _labelled("Cơ quan chủ trì giải quyết", data.processing_agency, s.body),
            _labelled("Cơ quan phối hợp giải quyết", coordinating, s.body),
            Spacer(1, 2 * mm),
            _grid(rows, widths),
        ]

    return _build(story, title=_title_case(title), author=data.agency.name, subject=data.code)


def render_register(data: DossierRegister) -> bytes:
    """Return the PDF of the dossier register (Sổ theo dõi hồ sơ), A4 landscape."""
    number, title = FORM_REGISTER
    s = _styles(cell_size=7.5)

    def story(width: float) -> list[Any]:
        head = [
            "STT",
            "Mã hồ sơ",
            "Tên thủ tục hành chính",
            "Số bộ",
            "Tên tổ chức, cá nhân",
            "Địa chỉ, số điện thoại",
            "Cơ quan chủ trì giải quyết",
            "Nhận hồ sơ",
            "Hẹn trả kết quả",
            "Chuyển cơ quan giải quyết",
            "Nhận kết quả",
            "Trả kết quả",
            "Ghi chú",
        ]
        rows: list[list[Any]] = [[_p(text, s.cell_head) for text in head]]

        def moment(value: datetime | None) -> Paragraph:
            if value is None:
                return _p("", s.cell_centre)
            local = _in_vietnam(value)
            return Paragraph(f"{local:%H:%M}<br/>{format_date(local)}", s.cell_centre)

        for index, line in enumerate(data.lines, start=1):
            contact = ", ".join(x for x in (line.applicant_address, line.applicant_phone) if x)
            rows.append(
                [
                    _p(str(index), s.cell_centre),
                    _p(line.code, s.cell),
                    _p(line.procedure_name, s.cell),
                    _p(str(line.sets), s.cell_centre),
                    _p(line.applicant_name, s.cell),
                    _p(contact, s.cell),
                    _p(line.processing_agency, s.cell),
                    moment(line.received_at),
                    moment(line.due_at),
                    moment(line.transferred_at),
                    moment(line.result_received_at),
                    moment(line.returned_at),
                    _p(line.note, s.cell),
                ]
            )
        # The code and the dates must not break mid-word: size their columns to the text.
        padding = 7
        date_width = pdfmetrics.stringWidth("00/00/0000", SERIF, s.cell.fontSize) + padding
        code_width = min(
            max(
                [
                    pdfmetrics.stringWidth(nfc(line.code), SERIF, s.cell.fontSize)
                    for line in data.lines
                ]
                + [20 * mm]
            )
            + padding,
            45 * mm,
        )
        fixed = 10 * mm + code_width + 9 * mm + 5 * date_width
        flexible = width - fixed
        widths = [
            10 * mm,
            code_width,
            flexible * 0.26,
            9 * mm,
            flexible * 0.18,
            flexible * 0.2,
            flexible * 0.18,
            date_width,
            date_width,
            date_width,
            date_width,
            date_width,
            flexible * 0.18,
        ]
        period = f"Từ ngày {format_date(data.period_start)} đến ngày {format_date(data.period_end)}"
        book = [_labelled("Quyển số", data.book, s.centre)] if data.book else []
        return [
            *_header(
                data.agency, format_date_line(data.agency.place, data.issued_on), number, width
            ),
            *_title_block(title, s),
            _p(period, s.centre),
            *book,
            Spacer(1, 3 * mm),
            _grid(rows, widths, compact=True),
        ]

    subject = (
        f"Sổ theo dõi hồ sơ từ {format_date(data.period_start)} đến {format_date(data.period_end)}"
    )
    return _build(
        story,
        title=_title_case(title),
        author=data.agency.name,
        subject=subject,
        pagesize=landscape(A4),
    )


def _title_case(title: str) -> str:
    """Return a form title in sentence case for the PDF metadata ("Giấy tiếp nhận …")."""
    lower = " ".join(title.split()).lower()
    return lower[:1].upper() + lower[1:]
