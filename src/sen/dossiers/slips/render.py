"""Render the one-stop slips as A4 PDF with reportlab's Platypus.

Each ``render_<slip>(data) -> bytes`` takes one dataclass from :mod:`.data` and returns the
PDF. The layout follows the forms of Thông tư 03/2025/TT-VPCP in substance and the
presentation rules of Nghị định 30/2020/NĐ-CP (margins, the two-column header, the date line,
signature blocks). The wording is fixed Vietnamese on purpose and not passed through gettext:
these are legal forms, a translated slip would not be the form.

Form numbers: Phụ lục I of Thông tư 03/2025/TT-VPCP as listed in the project's REFERENCE.md
("One-stop forms") and by a secondary source (thuviennhadat.vn); TO BE VERIFIED against the
circular's own text before the slips are used in production.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from .data import (
    ApologySlip,
    ControlSheet,
    DossierRegister,
    ReceiptSlip,
    RefusalSlip,
    ResultDocument,
    StopNoticeSlip,
    SupplementRequestSlip,
)
from .layout import (
    SERIF,
    TABLE_FONT,
    Signer,
    Styles,
    applicant_lines,
    build_pdf,
    escaped,
    format_date,
    format_date_line,
    format_days,
    format_moment,
    grid,
    header,
    in_vietnam,
    labelled,
    nfc,
    para,
    procedure_line,
    signatures,
    styles,
    title_block,
    title_case,
    tracking_block,
)

# Form numbers and titles, Phụ lục I of Thông tư 03/2025/TT-VPCP (numbering to be verified
# against the circular, see the module docstring). A "\n" marks where a long title breaks.
FORM_RECEIPT = ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
FORM_SUPPLEMENT = ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
FORM_REFUSAL = ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
FORM_APOLOGY = ("Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN\nTHỜI GIAN GIẢI QUYẾT")
FORM_STOP = ("Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
FORM_CONTROL = ("Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
FORM_REGISTER = ("Mẫu số 07", "SỔ THEO DÕI HỒ SƠ")


def _slip_pdf(
    story: Callable[[float], list[Any]],
    title: str,
    data: ApologySlip
    | ControlSheet
    | ReceiptSlip
    | RefusalSlip
    | StopNoticeSlip
    | SupplementRequestSlip,
) -> bytes:
    """Return the PDF of one dossier's slip: its form's title, its agency as author, and
    its dossier code as subject and at the foot of every later page."""
    return build_pdf(
        story,
        title=title_case(title),
        author=data.agency.name,
        subject=data.code,
        dossier_code=data.code,
    )


# --- Parts shared by the letters to the applicant (apology, stop notice) ---------------------


def _letter_opening(
    data: ApologySlip | StopNoticeSlip, number: str, title: str, s: Styles, width: float
) -> list[Any]:
    """Return the letter's heading, its addressee and the dossier it is about."""
    return [
        *header(data.agency, format_date_line(data.agency.place, data.issued_at), number, width),
        *title_block(title, s),
        tracking_block(data.code, data.tracking_url, width),
        Spacer(1, 3 * mm),
        labelled("Kính gửi", data.applicant.full_name, s.body),
        Paragraph(
            f"Ngày {format_date(data.received_at)}, {escaped(data.agency.name)} "
            "tiếp nhận hồ sơ của Ông/Bà, đề nghị giải quyết thủ tục: "
            f"<b>{escaped(data.procedure_name)}</b>.",
            s.body_justified,
        ),
    ]


def _head_signature(data: ApologySlip | StopNoticeSlip, width: float) -> Any:
    """Return the signature of the agency's head, who signs the letter with the seal."""
    return signatures(
        [
            None,
            Signer(
                data.signer_title, note="(Ký, ghi rõ họ tên và đóng dấu)", name=data.signer_name
            ),
        ],
        width,
    )


# --- The slips --------------------------------------------------------------------------------


def render_receipt(data: ReceiptSlip) -> bytes:
    """Return the PDF of the receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)."""
    number, title = FORM_RECEIPT
    s = styles()

    def story(width: float) -> list[Any]:
        rows: list[list[Any]] = [
            [
                para("STT", s.cell_head),
                para("Tên giấy tờ", s.cell_head),
                para("Bản chính", s.cell_head),
                para("Bản sao chứng thực", s.cell_head),
                para("Bản chụp", s.cell_head),
            ]
        ]
        for index, line in enumerate(data.components, start=1):
            rows.append(
                [
                    para(str(index), s.cell_centre),
                    para(line.name, s.cell),
                    para(str(line.originals), s.cell_centre),
                    para(str(line.certified_copies), s.cell_centre),
                    para(str(line.photocopies), s.cell_centre),
                ]
            )
        count_width = 20 * mm
        components = grid(
            rows,
            [14 * mm, width - 14 * mm - 3 * count_width, count_width, count_width, count_width],
        )
        register = (
            f"Vào Sổ theo dõi hồ sơ, quyển số: <b>{escaped(data.register_book) or '……'}</b>"
            f", số thứ tự: <b>{escaped(data.register_number) or '……'}</b>"
        )
        return [
            *header(
                data.agency, format_date_line(data.agency.place, data.received_at), number, width
            ),
            *title_block(title, s),
            tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            labelled(f"{data.agency.name} tiếp nhận hồ sơ của", data.applicant.full_name, s.body),
            *applicant_lines(data.applicant, s, "Người nộp hồ sơ")[1:],
            procedure_line(data.procedure_name, data.procedure_code, s),
            para("1. Thành phần hồ sơ nộp gồm:", s.body),
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
            labelled("6. Đăng ký nhận kết quả tại", data.result_place, s.body),
            Paragraph(register, s.body),
            *([para(data.not_in_person, s.body)] if data.not_in_person else []),
            signatures(
                [
                    None
                    if data.not_in_person
                    else Signer("Người nộp hồ sơ", name=data.applicant.full_name),
                    Signer("Người tiếp nhận hồ sơ", name=data.receiver_name),
                ],
                width,
            ),
        ]

    return _slip_pdf(story, title, data)


def render_supplement_request(data: SupplementRequestSlip) -> bytes:
    """Return the PDF of the request to supplement (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)."""
    number, title = FORM_SUPPLEMENT
    s = styles()

    def story(width: float) -> list[Any]:
        rows: list[list[Any]] = [
            [
                para("STT", s.cell_head),
                para("Nội dung cần bổ sung, hoàn thiện", s.cell_head),
                para("Lý do", s.cell_head),
            ]
        ]
        for index, item in enumerate(data.missing_items, start=1):
            rows.append(
                [
                    para(str(index), s.cell_centre),
                    para(item.name, s.cell),
                    para(item.reason, s.cell),
                ]
            )
        rest = width - 14 * mm
        missing = grid(rows, [14 * mm, rest * 0.5, rest * 0.5])
        contact = (
            "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
            f"<b>{escaped(data.officer_name)}</b>"
            # The form asks for a number: without one on record, a blank to write it in.
            + ", số điện thoại "
            + (f"<b>{escaped(data.officer_phone)}</b>" if data.officer_phone else "…………………")
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
            *header(
                data.agency, format_date_line(data.agency.place, data.issued_at), number, width
            ),
            *title_block(title, s),
            tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            *applicant_lines(data.applicant, s, "Hồ sơ của"),
            procedure_line(data.procedure_name, data.procedure_code, s),
            para(
                "Sau khi xem xét, đối chiếu với quy định, yêu cầu Ông/Bà bổ sung, hoàn thiện "
                "hồ sơ gồm những nội dung sau (hướng dẫn một lần, đầy đủ):",
                s.body_justified,
            ),
            missing,
            Spacer(1, 2 * mm),
            *deadline,
            Paragraph(contact, s.body_justified),
            signatures([None, Signer("Người hướng dẫn", name=data.officer_name)], width),
        ]

    return _slip_pdf(story, title, data)


def render_refusal(data: RefusalSlip) -> bytes:
    """Return the PDF of the refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ)."""
    number, title = FORM_REFUSAL
    s = styles()

    def story(width: float) -> list[Any]:
        return [
            *header(
                data.agency, format_date_line(data.agency.place, data.issued_at), number, width
            ),
            *title_block(title, s),
            tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            labelled(f"{data.agency.name} tiếp nhận hồ sơ của", data.applicant.full_name, s.body),
            *applicant_lines(data.applicant, s, "Người nộp hồ sơ")[1:],
            procedure_line(data.procedure_name, data.procedure_code, s),
            para(
                "Sau khi xem xét, đối chiếu với quy định, cơ quan tiếp nhận từ chối tiếp nhận, "
                "giải quyết hồ sơ này vì lý do sau:",
                s.body_justified,
            ),
            Paragraph(f"<b>{escaped(data.reason)}</b>", s.bullet),
            para("Xin thông báo để Ông/Bà được biết và thực hiện./.", s.body),
            signatures([None, Signer("Người tiếp nhận hồ sơ", name=data.officer_name)], width),
        ]

    return _slip_pdf(story, title, data)


def render_apology(data: ApologySlip) -> bytes:
    """Return the PDF of the apology with a new appointment (văn bản xin lỗi, hẹn lại)."""
    number, title = FORM_APOLOGY
    s = styles()

    def story(width: float) -> list[Any]:
        return [
            *_letter_opening(data, number, title, s, width),
            Paragraph(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: "
                f"<b>{format_moment(data.old_due_at)}</b>.",
                s.body,
            ),
            Paragraph(
                "Tuy nhiên đến nay, hồ sơ của Ông/Bà chưa thể giải quyết đúng hạn vì lý do: "
                f"<b>{escaped(data.reason)}</b>",
                s.body_justified,
            ),
            Paragraph(
                "Sự chậm trễ này gây phiền hà, tốn kém thời gian và chi phí đi lại của Ông/Bà. "
                "Chúng tôi thành thật xin lỗi Ông/Bà, đề nghị Ông/Bà cho gia hạn thời gian giải "
                "quyết hồ sơ và hẹn trả kết quả vào: "
                f"<b>{format_moment(data.new_due_at)}</b>.",
                s.body_justified,
            ),
            para("Kính mong Ông/Bà thông cảm./.", s.body),
            _head_signature(data, width),
        ]

    return _slip_pdf(story, title, data)


def render_stop_notice(data: StopNoticeSlip) -> bytes:
    """Return the PDF of the notice of stopped processing (Thông báo dừng giải quyết hồ sơ)."""
    number, title = FORM_STOP
    s = styles()

    def story(width: float) -> list[Any]:
        return [
            *_letter_opening(data, number, title, s, width),
            Paragraph(
                f"Căn cứ {escaped(data.legal_basis)}, {escaped(data.agency.name)} thông báo "
                "dừng giải quyết hồ sơ của Ông/Bà vì lý do: "
                f"<b>{escaped(data.reason)}</b>",
                s.body_justified,
            ),
            para("Xin thông báo để Ông/Bà được biết./.", s.body),
            _head_signature(data, width),
        ]

    return _slip_pdf(story, title, data)


def render_control_sheet(data: ControlSheet) -> bytes:
    """Return the PDF of the process control sheet (Phiếu kiểm soát quá trình giải quyết)."""
    number, title = FORM_CONTROL
    s = styles(cell_size=9)

    def story(width: float) -> list[Any]:
        rows: list[list[Any]] = [
            [
                para("STT", s.cell_head),
                para("Bên giao", s.cell_head),
                para("Bên nhận", s.cell_head),
                para("Thời gian giao, nhận", s.cell_head),
                para("Người giao", s.cell_head),
                para("Kết quả", s.cell_head),
                para("Ghi chú", s.cell_head),
            ]
        ]
        for index, hand_off in enumerate(data.hand_offs, start=1):
            rows.append(
                [
                    para(str(index), s.cell_centre),
                    para(hand_off.from_party, s.cell),
                    para(hand_off.to_party, s.cell),
                    para(format_moment(hand_off.at), s.cell_centre),
                    para(hand_off.by, s.cell),
                    para(hand_off.result.label if hand_off.result else "", s.cell_centre),
                    para(hand_off.note, s.cell),
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
            *header(data.agency, None, number, width),
            *title_block(title, s),
            tracking_block(data.code, data.tracking_url, width),
            Spacer(1, 3 * mm),
            labelled("Chủ hồ sơ", data.applicant.full_name, s.body),
            procedure_line(data.procedure_name, data.procedure_code, s),
            Paragraph(f"Nhận hồ sơ lúc: <b>{format_moment(data.received_at)}</b>", s.body),
            Paragraph(
                f"Hẹn trả kết quả: <b>{format_moment(data.due_at)}</b>"
                + (
                    f" (hẹn lại theo văn bản xin lỗi; hẹn trước: "
                    f"{format_moment(data.previous_due_at)})"
                    if data.previous_due_at is not None
                    else ""
                ),
                s.body,
            ),
            labelled("Cơ quan chủ trì giải quyết", data.processing_agency, s.body),
            labelled("Cơ quan phối hợp giải quyết", coordinating, s.body),
            Spacer(1, 2 * mm),
            grid(rows, widths),
        ]

    return _slip_pdf(story, title, data)


# Where the clerk writes the number when the officer left it blank (Nghị định 30/2020 prints
# "Số: …/…" with the symbol after the slash).
BLANK_REFERENCE = "……/……"


# The text of a document in 13 pt, each paragraph's first line indented by 1 cm (Nghị định
# 30/2020/NĐ-CP, Phụ lục I); the slips keep 11 pt, to fit their one page.
RESULT_BODY_SIZE = 13
RESULT_INDENT = 10 * mm


def _result_paragraphs(content: str, s: Styles) -> list[Any]:
    """Return the officer's text, one justified, indented paragraph per non-blank line."""
    style = ParagraphStyle("result_text", parent=s.body_justified, firstLineIndent=RESULT_INDENT)
    lines = [line.strip() for line in nfc(content).splitlines()]
    return [Paragraph(escaped(line), style) for line in lines if line]


def _recipients_and_signer(data: ResultDocument, s: Styles, width: float) -> KeepTogether:
    """Return "Nơi nhận" on the left and the signer on the right, as a document ends."""
    recipients = [
        Paragraph("<b><i>Nơi nhận:</i></b>", s.small),
        para(f"- {data.applicant.full_name};", s.small),
        para(f"- Lưu: VT, hồ sơ {data.code}.", s.small),
    ]
    signer = [
        # "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH": the lines as the officer broke them.
        Paragraph(
            "<br/>".join(escaped(line) for line in data.signer_title.upper().splitlines()),
            s.centre_bold,
        ),
        para("(Ký, ghi rõ họ tên và đóng dấu)", s.centre_italic),
        Spacer(1, 20 * mm),
    ]
    table = Table([[recipients, signer]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        TableStyle(
            [TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]
        )
    )
    return KeepTogether([Spacer(1, 5 * mm), table])


def render_result(data: ResultDocument) -> bytes:
    """Return the PDF of a result document drafted in Sen (văn bản kết quả giải quyết).

    Laid out as an administrative document of Nghị định 30/2020/NĐ-CP: the header with the
    number and symbol, the title, the officer's text, "Nơi nhận" and the signer; the dossier
    code and its QR code close it, so whoever holds the paper can check it on the tracking
    page.
    """
    s = styles(body_size=RESULT_BODY_SIZE)
    procedure = data.procedure_name
    if data.procedure_code.strip():
        procedure += f" (mã thủ tục: {data.procedure_code})"

    def story(width: float) -> list[Any]:
        return [
            *header(
                data.agency,
                format_date_line(data.agency.place, data.issued_at),
                "",
                width,
                reference=data.reference or BLANK_REFERENCE,
            ),
            *title_block(data.title.upper(), s),
            Spacer(1, 3 * mm),
            labelled("Cấp cho", data.applicant.full_name, s.body),
            labelled("Thủ tục hành chính", procedure, s.body),
            Spacer(1, 2 * mm),
            *_result_paragraphs(data.content, s),
            _recipients_and_signer(data, s, width),
            Spacer(1, 4 * mm),
            tracking_block(data.code, data.tracking_url, width),
        ]

    return build_pdf(
        story,
        title=nfc(data.title),
        author=data.agency.name,
        subject=data.code,
        dossier_code=data.code,
    )


def code_halves(code: str) -> list[str]:
    """Return the lines a dossier code prints on in the register: the agency's part with its
    hyphen, then the day and number ("000.00.01.H37-", "261120-0001")."""
    head, hyphen, tail = nfc(code).partition("-")
    return [head + hyphen, tail] if tail else [head]


# Shares of the register's width left after its fixed columns (number, code, sets, dates):
# the procedure's name is the longest text of a line.
REGISTER_SHARES = {
    "procedure": 0.36,
    "applicant": 0.15,
    "contact": 0.19,
    "agency": 0.17,
    "note": 0.13,
}


def register_widths(
    codes: list[str], width: float, size: float, numbers: Sequence[str] = ()
) -> list[float]:
    """Return the widths of the register's 13 columns in a table ``width`` wide.

    The number column is as wide as the longest of ``numbers`` (the book's numbers, "0012"
    or "25/0012") and at least 10 mm; the code column is as wide as the longer half of the
    longest code, which breaks after its agency's part; the dates are as wide as
    "00/00/0000"; the rest is shared by ``REGISTER_SHARES``.
    """
    padding = 7  # a compact grid cell's left and right padding, with a point to spare
    date_width = pdfmetrics.stringWidth("00/00/0000", SERIF, size) + padding
    widest = max((pdfmetrics.stringWidth(n, SERIF, size) for n in numbers), default=0)
    number_width = max(widest + padding, 10 * mm)
    halves = [half for code in codes for half in code_halves(code)]
    longest = max((pdfmetrics.stringWidth(half, SERIF, size) for half in halves), default=0)
    code_width = min(max(longest, 20 * mm) + padding, 45 * mm)
    flexible = width - (number_width + code_width + 9 * mm + 5 * date_width)
    share = {name: flexible * part for name, part in REGISTER_SHARES.items()}
    return [
        number_width,
        code_width,
        share["procedure"],
        9 * mm,
        share["applicant"],
        share["contact"],
        share["agency"],
        *[date_width] * 5,
        share["note"],
    ]


def render_register(data: DossierRegister) -> bytes:
    """Return the PDF of the dossier register (Sổ theo dõi hồ sơ), A4 landscape."""
    number, title = FORM_REGISTER
    s = styles(cell_size=7.5)

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
        rows: list[list[Any]] = [[para(text, s.cell_head) for text in head]]

        def moment(value: datetime | None) -> Paragraph:
            if value is None:
                return para("", s.cell_centre)
            local = in_vietnam(value)
            return Paragraph(f"{local:%H:%M}<br/>{format_date(local)}", s.cell_centre)

        for line in data.lines:
            contact = ", ".join(x for x in (line.applicant_address, line.applicant_phone) if x)
            rows.append(
                [
                    # The book's number, not the line's: the slip's "số thứ tự" finds it.
                    para(line.number, s.cell_centre),
                    Paragraph("<br/>".join(map(escaped, code_halves(line.code))), s.cell),
                    para(line.procedure_name, s.cell),
                    para(str(line.sets), s.cell_centre),
                    para(line.applicant_name, s.cell),
                    para(contact, s.cell),
                    para(line.processing_agency, s.cell),
                    moment(line.received_at),
                    moment(line.due_at),
                    moment(line.transferred_at),
                    moment(line.result_received_at),
                    moment(line.returned_at),
                    para(line.note, s.cell),
                ]
            )
        widths = register_widths(
            [line.code for line in data.lines],
            width,
            s.cell.fontSize,
            [line.number for line in data.lines],
        )
        period = f"Từ ngày {format_date(data.period_start)} đến ngày {format_date(data.period_end)}"
        book = [labelled("Quyển số", data.book, s.centre)] if data.book else []
        return [
            *header(
                data.agency, format_date_line(data.agency.place, data.issued_on), number, width
            ),
            *title_block(title, s),
            para(period, s.centre),
            *book,
            Spacer(1, 3 * mm),
            grid(rows, widths, compact=True),
        ]

    subject = (
        f"Sổ theo dõi hồ sơ từ {format_date(data.period_start)} đến {format_date(data.period_end)}"
    )
    return build_pdf(
        story,
        title=title_case(title),
        author=data.agency.name,
        subject=subject,
        pagesize=landscape(A4),
    )
