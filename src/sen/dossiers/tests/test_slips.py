"""The one-stop slips: what a citizen and an officer read on the printed PDF.

Each test renders sample Vietnamese data and reads the PDF back with pypdf; no database.
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from sen.core.timezones import VIETNAM
from sen.core.unitdata import read_current_units, read_legacy_units
from sen.dossiers.slips import (
    Agency,
    Applicant,
    ComponentLine,
    DossierRegister,
    HandOff,
    HandOffResult,
    MissingItem,
    RegisterLine,
    format_date,
    format_date_line,
    format_days,
    format_moment,
    qr_code,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_register,
    render_result,
    render_stop_notice,
    render_supplement_request,
)
from sen.dossiers.slips.layout import (
    HEADER_LEFT_SHARE,
    HEADER_SMALLEST_SIZE,
    PORTRAIT_MARGINS,
    SERIF,
    SERIF_BOLD,
    UNIT_KINDS,
    header_lines,
    register_fonts,
)
from sen.dossiers.slips.render import register_widths
from sen.dossiers.tests import samples
from sen.dossiers.tests.pdf import codes_joined, pdf_pages, pdf_text

HEADER = (
    "UBND TỈNH NINH BÌNH",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
)


def font_resources(pdf: bytes) -> list[Any]:
    """Return every font dictionary that any page uses."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.append(ref.get_object())
    return fonts


ALL_SLIPS: list[tuple[str, Callable[[], bytes]]] = [
    ("receipt", lambda: render_receipt(samples.receipt())),
    ("supplement_request", lambda: render_supplement_request(samples.supplement_request())),
    ("refusal", lambda: render_refusal(samples.refusal())),
    ("apology", lambda: render_apology(samples.apology())),
    ("stop_notice", lambda: render_stop_notice(samples.stop_notice())),
    ("control_sheet", lambda: render_control_sheet(samples.control_sheet())),
    ("register", lambda: render_register(samples.register(lines=3))),
    ("result", lambda: render_result(samples.result_document())),
]


# --- Every slip ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "render"), ALL_SLIPS, ids=[name for name, _ in ALL_SLIPS])
def test_every_slip_is_one_page_with_the_official_header(
    name: str, render: Callable[[], bytes]
) -> None:
    """Given sample data, when a slip is rendered, then it opens as one A4 page with the header."""
    pdf = render()

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    portrait = (round(float(box.width) / mm), round(float(box.height) / mm))
    assert portrait in {(210, 297), (297, 210)}
    page = pdf_pages(pdf)[0]
    for line in HEADER:
        assert line in page


@pytest.mark.parametrize(("name", "render"), ALL_SLIPS, ids=[name for name, _ in ALL_SLIPS])
def test_every_slip_draws_only_with_the_embedded_dejavu_serif(
    name: str, render: Callable[[], bytes]
) -> None:
    """The Vietnamese diacritics need a font that has them, shipped inside the PDF."""
    fonts = font_resources(render())

    names = {str(font["/BaseFont"]) for font in fonts}
    assert {re.sub(r"^/[A-Z]{6}\+", "", n) for n in names} <= {
        "DejaVuSerif",
        "DejaVuSerif-Bold",
        "DejaVuSerif-Italic",
    }
    assert "DejaVuSerif" in {re.sub(r"^/[A-Z]{6}\+", "", n) for n in names}
    for font in fonts:
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"], f"{font['/BaseFont']} is not embedded"


def test_the_pdf_metadata_names_the_form_the_agency_and_the_dossier() -> None:
    metadata = PdfReader(io.BytesIO(render_receipt(samples.receipt()))).metadata

    assert metadata is not None
    assert metadata.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert metadata.author == "Trung tâm Phục vụ hành chính công tỉnh"
    assert metadata.subject == samples.CODE
    assert metadata.creator == "Sen"


@pytest.mark.parametrize("render", [render_receipt, render_refusal])
def test_a_slip_says_it_is_in_vietnamese_for_screen_readers(render: Callable[..., bytes]) -> None:
    data = samples.receipt() if render is render_receipt else samples.refusal()

    catalog = PdfReader(io.BytesIO(render(data))).trailer["/Root"]

    assert catalog.get("/Lang") == "vi"


# --- The header of Nghị định 30/2020 ---------------------------------------------------------


def first_page_lines(pdf: bytes) -> list[str]:
    """Return the lines of the first page as printed, whitespace collapsed in each."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(line.split()) for line in reader.pages[0].extract_text().splitlines()]


def _with_kind(name: str) -> str:
    """Return a unit's name with its kind: the current provinces are named without "Tỉnh"."""
    first = name.split()[0].upper()
    return name if any(kind.startswith(first) for kind in UNIT_KINDS) else f"Tỉnh {name}"


def _longest_province(*, legacy: bool) -> str:
    rows = read_legacy_units() if legacy else read_current_units()
    return max((_with_kind(row.name) for row in rows if row.level == "province"), key=len)


# (name, sample data, renderer) of every slip, to render each with other data.
SLIP_DATA: list[tuple[str, Callable[[], Any], Callable[[Any], bytes]]] = [
    ("receipt", samples.receipt, render_receipt),
    ("supplement_request", samples.supplement_request, render_supplement_request),
    ("refusal", samples.refusal, render_refusal),
    ("apology", samples.apology, render_apology),
    ("stop_notice", samples.stop_notice, render_stop_notice),
    ("control_sheet", samples.control_sheet, render_control_sheet),
    ("register", lambda: samples.register(lines=3), render_register),
]


@pytest.mark.parametrize(
    "place",
    [
        "tỉnh Ninh Bình",  # as the demo names its agencies
        _longest_province(legacy=False),
        _longest_province(legacy=True),
    ],
    ids=["demo", "longest-current-province", "longest-former-province"],
)
@pytest.mark.parametrize(
    ("name", "sample", "render"), SLIP_DATA, ids=[name for name, _s, _r in SLIP_DATA]
)
def test_the_header_prints_each_place_name_on_one_line(
    place: str, name: str, sample: Callable[[], Any], render: Callable[[Any], bytes]
) -> None:
    """The governing body and a long agency name wrap between words, never inside the
    province's name ("TỈNH NINH / BÌNH" was printed), and the national motto keeps its lines."""
    agency = Agency(
        name=f"Trung tâm Phục vụ hành chính công {place}",
        parent_name=f"Ủy ban nhân dân {place}",
        place=place,
    )

    lines = first_page_lines(render(dataclasses.replace(sample(), agency=agency)))

    assert sum(place.upper() in line for line in lines) == 2, lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập - Tự do - Hạnh phúc" in lines


def test_the_name_of_every_administrative_units_committee_fits_the_header() -> None:
    """Every unit of the units data, current or former, at any level: its people's
    committee's name (in bold, the wider face) keeps the unit's name on one line, and no
    line is wider than the header's left column."""
    register_fonts()
    page_width = A4[0] - PORTRAIT_MARGINS["leftMargin"] - PORTRAIT_MARGINS["rightMargin"]
    width = page_width * HEADER_LEFT_SHARE
    for row in (*read_current_units(), *read_legacy_units()):
        place = _with_kind(row.name).upper()

        size, lines = header_lines(f"Ủy ban nhân dân {place}", SERIF_BOLD, width)

        assert any(place in line for line in lines), (row.name, lines)
        assert all(stringWidth(line, SERIF_BOLD, size) <= width for line in lines), lines
        assert size >= HEADER_SMALLEST_SIZE


def test_a_long_name_without_a_place_wraps_between_words() -> None:
    register_fonts()

    size, lines = header_lines("Sở Nông nghiệp và Môi trường", SERIF_BOLD, 40 * mm)

    assert size == 10
    assert " ".join(lines) == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    assert len(lines) > 1


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Bảo hiểm xã hội tỉnh Ninh Bình", "TỈNH NINH BÌNH"),
        ("Ủy ban nhân dân phường Phường Đúc", "PHƯỜNG PHƯỜNG ĐÚC"),
        ("Ủy ban nhân dân thị xã An Khê", "THỊ XÃ AN KHÊ"),
        ("Ủy ban nhân dân xã Thượng Quận", "XÃ THƯỢNG QUẬN"),
    ],
)
def test_the_place_name_is_the_last_unit_named_not_a_kind_word_inside_a_name(
    name: str, place: str
) -> None:
    register_fonts()

    _size, lines = header_lines(name, SERIF_BOLD, 45 * mm)

    assert lines[-1] == place


# --- Mẫu số 01: receipt and appointment ------------------------------------------------------


def test_receipt_shows_the_dossier_the_applicant_each_component_and_the_appointment() -> None:
    """Given a dossier received at 07:30 UTC, the receipt prints 14 giờ 30 phút (Vietnam)."""
    page = pdf_text(render_receipt(samples.receipt()))

    for expected in (
        "Mẫu số 01",
        "Ninh Bình, ngày 21 tháng 11 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        samples.TRACKING_URL,
        "Trung tâm Phục vụ hành chính công tỉnh tiếp nhận hồ sơ của: Nguyễn Thị Hường",
        "Địa chỉ: Thôn Yên Trạch, xã Gia Viễn, tỉnh Ninh Bình",
        "Số điện thoại: 0912 345 678 Email: huong.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh có yếu tố nước ngoài "
        "(mã thủ tục: 1.001193)",
        "STT Tên giấy tờ Bản chính Bản sao chứng thực Bản chụp",
        "1 Tờ khai đăng ký khai sinh 1 0 0",
        "2 Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp 1 0 2",
        "3 Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con 0 3 0",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 0,5 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 21/11/2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 26/11/2026",
        "6. Đăng ký nhận kết quả tại: Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh",
        "Vào Sổ theo dõi hồ sơ, quyển số: 03/2026, số thứ tự: 1127",
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) Nguyễn Thị Hường",
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Trần Văn Đức",
    ):
        assert expected in page


def test_receipt_received_late_at_night_utc_is_dated_the_next_day_in_vietnam() -> None:
    """17:30 UTC on 21/11 is 00:30 on 22/11 in Vietnam: the date line and moment follow it."""
    slip = samples.receipt(
        received_at=datetime(2026, 11, 21, 17, 30, tzinfo=UTC),
        due_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
    )

    page = pdf_text(render_receipt(slip))

    assert "Ninh Bình, ngày 22 tháng 11 năm 2026" in page
    assert "Thời gian nhận hồ sơ: 00 giờ 30 phút, ngày 22/11/2026" in page
    assert "16 giờ 00 phút, ngày 27/11/2026" in page
    assert "21/11/2026" not in page


def test_decomposed_input_prints_the_same_as_precomposed() -> None:
    """Text pasted in NFD (separate combining marks) is drawn exactly as NFC text."""
    nfd = unicodedata.normalize
    decomposed = samples.receipt(
        procedure_name=nfd("NFD", samples.PROCEDURE),
        applicant=Applicant(
            full_name=nfd("NFD", "Nguyễn Thị Hường"),
            address=nfd("NFD", samples.APPLICANT.address),
            phone=samples.APPLICANT.phone,
            email=samples.APPLICANT.email,
        ),
        components=(ComponentLine(nfd("NFD", "Tờ khai đăng ký khai sinh"), originals=1),),
    )
    precomposed = samples.receipt(
        components=(ComponentLine("Tờ khai đăng ký khai sinh", originals=1),),
    )
    assert decomposed.applicant.full_name != precomposed.applicant.full_name

    decomposed_text = pdf_text(render_receipt(decomposed))

    assert decomposed_text == pdf_text(render_receipt(precomposed))
    assert "Nguyễn Thị Hường" in decomposed_text


def test_many_components_spill_onto_a_second_page_with_the_table_header_repeated() -> None:
    components = tuple(
        ComponentLine(f"Giấy tờ chứng minh số {n} về nơi cư trú của người yêu cầu", originals=1)
        for n in range(1, 41)
    )

    result = pdf_pages(render_receipt(samples.receipt(components=components)))

    assert len(result) >= 2
    header = "STT Tên giấy tờ Bản chính Bản sao chứng thực Bản chụp"
    assert all(header in page for page in result)
    assert "1 Giấy tờ chứng minh số 1 về nơi cư trú của người yêu cầu 1 0 0" in result[0]
    assert "40 Giấy tờ chứng minh số 40 về nơi cư trú của người yêu cầu 1 0 0" in result[-1]
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in result[-1]
    # Pages are numbered from the second one (Nghị định 30/2020), and each names the dossier
    assert [page.split()[0] for page in result[1:]] == [str(n) for n in range(2, len(result) + 1)]
    assert all(f"Mã hồ sơ: {samples.CODE}" in page for page in result[1:])


def test_markup_characters_in_data_print_literally() -> None:
    """A name with "<", ">" or "&" is text, not reportlab markup, and does not break rendering."""
    slip = samples.receipt(
        components=(ComponentLine("Bản vẽ <b>sơ đồ</b> & thuyết minh", photocopies=1),)
    )

    assert "1 Bản vẽ <b>sơ đồ</b> & thuyết minh 0 0 1" in pdf_text(render_receipt(slip))


def test_a_reason_written_on_several_lines_prints_on_several_lines() -> None:
    """Officers list reasons ("1. …", "2. …"): each keeps its own line on the slip."""
    slip = samples.refusal(
        reason="Hồ sơ không đủ điều kiện:\n1. Trẻ đã được đăng ký khai sinh\r\n2. Sai thẩm quyền"
    )

    [page] = PdfReader(io.BytesIO(render_refusal(slip))).pages
    lines = [line.strip() for line in page.extract_text().splitlines()]

    assert "1. Trẻ đã được đăng ký khai sinh" in lines
    assert "2. Sai thẩm quyền" in lines


# --- Mẫu số 02: supplement request ----------------------------------------------------------


def test_supplement_request_lists_every_missing_item_with_its_reason_and_the_deadline() -> None:
    page = pdf_text(render_supplement_request(samples.supplement_request()))

    for expected in (
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        "Hồ sơ của: Nguyễn Thị Hường",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "STT Nội dung cần bổ sung, hoàn thiện Lý do",
        "1 Giấy chứng sinh Bản chụp không rõ chữ, không đọc được họ tên người mẹ",
        "2 Văn bản thỏa thuận chọn quốc tịch Thiếu chữ ký của người cha; văn bản lập ở nước "
        "ngoài chưa được hợp pháp hóa lãnh sự theo quy định",
        # 10:00 UTC is 17:00 in Vietnam.
        "Thời hạn bổ sung, hoàn thiện hồ sơ: trước 17 giờ 00 phút, ngày 05/12/2026",
        "liên hệ với Trần Văn Đức, số điện thoại 0229 3871 234 để được hướng dẫn",
        "NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Trần Văn Đức",
    ):
        assert expected in page


def test_supplement_request_without_deadline_prints_no_deadline_line() -> None:
    page = pdf_text(render_supplement_request(samples.supplement_request(deadline=None)))

    assert "Thời hạn bổ sung" not in page
    assert "1 Giấy chứng sinh" in page


# --- Mẫu số 03: refusal ----------------------------------------------------------------------


def test_refusal_states_the_reason() -> None:
    page = pdf_text(render_refusal(samples.refusal()))

    for expected in (
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        "tiếp nhận hồ sơ của: Nguyễn Thị Hường",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau: "
        "Trẻ đã được đăng ký khai sinh tại UBND xã Gia Viễn ngày 02/10/2026",
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Trần Văn Đức",
    ):
        assert expected in page


# --- Mẫu số 04: apology with a new appointment ---------------------------------------------


def test_apology_gives_the_reason_the_missed_and_the_new_appointment() -> None:
    page = pdf_text(render_apology(samples.apology()))

    for expected in (
        "Mẫu số 04",
        "Ninh Bình, ngày 25 tháng 11 năm 2026",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        "Kính gửi: Nguyễn Thị Hường",
        "Ngày 21/11/2026, Trung tâm Phục vụ hành chính công tỉnh tiếp nhận hồ sơ",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 26/11/2026",
        "vì lý do: Cần xác minh thông tin về quốc tịch của người cha với cơ quan đại diện",
        "hẹn trả kết quả vào: 09 giờ 15 phút, ngày 01/12/2026",
        "GIÁM ĐỐC (Ký, ghi rõ họ tên và đóng dấu) Phạm Quang Vinh",
    ):
        assert expected in page


# --- Mẫu số 05: notice of stopped processing -----------------------------------------------


def test_stop_notice_gives_the_reason_and_the_legal_basis() -> None:
    page = pdf_text(render_stop_notice(samples.stop_notice()))

    for expected in (
        "Mẫu số 05",
        "Ninh Bình, ngày 24 tháng 11 năm 2026",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        "Kính gửi: Nguyễn Thị Hường",
        # One sentence, naming the agency (it was "Căn cứ: …," then "cơ quan giải quyết …")
        "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ, Trung tâm Phục vụ "
        "hành chính công tỉnh thông báo dừng giải quyết hồ sơ của Ông/Bà vì lý do: "
        "Người nộp hồ sơ đề nghị dừng giải quyết "
        "để bổ sung giấy tờ ở nước ngoài",
        "GIÁM ĐỐC (Ký, ghi rõ họ tên và đóng dấu) Phạm Quang Vinh",
    ):
        assert expected in page


# --- A result document drafted in Sen --------------------------------------------------------


def test_a_result_document_is_laid_out_as_an_administrative_document() -> None:
    pdf = render_result(samples.result_document())
    text = pdf_text(pdf)

    for expected in (
        "Số: 125/TLKS-STP",
        "Ninh Bình, ngày 24 tháng 11 năm 2026",
        "TRÍCH LỤC KHAI SINH",
        "Cấp cho: Nguyễn Thị Hường",
        "Họ, chữ đệm, tên: Nguyễn Minh An.",
        "Đã đăng ký khai sinh tại Sở Tư pháp tỉnh Ninh Bình, số 125, quyển số 01/2026.",
        "Nơi nhận: - Nguyễn Thị Hường; - Lưu: VT, hồ sơ 000.00.01.H22-261121-0007.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC (Ký, ghi rõ họ tên và đóng dấu)",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        samples.TRACKING_URL,
    ):
        assert expected in text
    # Not a one-stop form: no form number above the header
    assert "Mẫu số" not in text
    # Each line the officer wrote is its paragraph, the blank one dropped
    lines = first_page_lines(pdf)
    assert "Họ, chữ đệm, tên: Nguyễn Minh An." in lines
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert (metadata.title, metadata.subject) == ("Trích lục khai sinh", samples.CODE)


def test_a_result_document_without_its_number_leaves_it_for_the_clerk() -> None:
    text = pdf_text(render_result(samples.result_document(reference="")))

    assert "Số: ……/……" in text


def test_a_long_result_document_goes_on_with_the_dossier_code_at_the_foot() -> None:
    content = "\n".join(f"Điều {n}. Nội dung thứ {n} của văn bản kết quả." for n in range(1, 80))

    pages = pdf_pages(render_result(samples.result_document(content=content)))

    assert len(pages) >= 2
    assert "Điều 79. Nội dung thứ 79 của văn bản kết quả." in pages[-1]
    assert f"Mã hồ sơ: {samples.CODE}" in pages[1]


@pytest.mark.parametrize("field", ["title", "content", "signer_title"])
def test_a_result_document_without_its_title_text_or_signer_is_not_built(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        samples.result_document(**{field: "  "})


# --- Mẫu số 06: process control sheet -------------------------------------------------------


def test_control_sheet_has_one_row_per_hand_off_with_its_result() -> None:
    page = pdf_text(render_control_sheet(samples.control_sheet()))

    for expected in (
        "Mẫu số 06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: 000.00.01.H22-261121-0007",
        "Chủ hồ sơ: Nguyễn Thị Hường",
        "Nhận hồ sơ lúc: 14 giờ 30 phút, ngày 21/11/2026",
        "Hẹn trả kết quả: 16 giờ 00 phút, ngày 26/11/2026",
        "Cơ quan chủ trì giải quyết: Sở Tư pháp tỉnh Ninh Bình",
        "Cơ quan phối hợp giải quyết: Công an tỉnh Ninh Bình",
        "STT Bên giao Bên nhận Thời gian giao, nhận Người giao Kết quả Ghi chú",
        "1 Bộ phận Một cửa Phòng Hộ tịch, Sở Tư pháp 15 giờ 45 phút, ngày 21/11/2026 "
        "Trần Văn Đức Trước hạn",
        "2 Phòng Hộ tịch, Sở Tư pháp Lãnh đạo Sở Tư pháp 09 giờ 05 phút, ngày 24/11/2026 "
        "Lê Thị Thu Hà Đúng hạn",
        "3 Lãnh đạo Sở Tư pháp Bộ phận Một cửa 10 giờ 20 phút, ngày 27/11/2026 "
        "Phạm Quang Vinh Quá hạn Chờ ý kiến của Công an tỉnh về quốc tịch",
    ):
        assert expected in page
    # The control sheet has no place-and-date line of its own.
    assert "Ninh Bình, ngày" not in page


def test_an_unjudged_hand_off_prints_no_result() -> None:
    hand_off = HandOff("Bộ phận Một cửa", "Phòng Hộ tịch", datetime(2026, 11, 21, 8, tzinfo=UTC))

    page = pdf_text(render_control_sheet(samples.control_sheet(hand_offs=(hand_off,))))

    assert "1 Bộ phận Một cửa Phòng Hộ tịch 15 giờ 00 phút, ngày 21/11/2026" in page
    assert not any(label in page for label in ("Trước hạn", "Đúng hạn", "Quá hạn"))


# --- Mẫu số 07: dossier register ------------------------------------------------------------


def test_a_register_of_120_dossiers_spans_pages_repeating_its_header() -> None:
    register = samples.register(lines=120)

    result = [codes_joined(page) for page in pdf_pages(render_register(register))]

    assert len(result) >= 5
    header = "STT Mã hồ sơ Tên thủ tục hành chính Số bộ Tên tổ chức, cá nhân"
    assert all(header in page for page in result)
    assert "SỔ THEO DÕI HỒ SƠ" in result[0]
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in result[0]
    assert "Quyển số: 03/2026" in result[0]
    assert "Ninh Bình, ngày 01 tháng 12 năm 2026" in result[0]
    whole = " ".join(result)
    for line in register.lines:
        assert whole.count(line.code) == 1
    for number, page in enumerate(result[1:], start=2):
        assert page.startswith(f"{number} ")
    # Each line's STT is its number in the year's book, not its place in the period.
    assert "1101 000.00.01.H22-261102-0001" in result[0]
    assert "1220 000.00.01.H22-261127-0120" in result[-1]


def test_a_register_line_prints_its_moments_in_vietnam_time() -> None:
    line = RegisterLine(
        number="0042",
        code="000.00.01.H22-261121-0001",
        procedure_name="Cấp phiếu lý lịch tư pháp số 1",
        applicant_name="Đỗ Minh Khôi",
        received_at=datetime(2026, 11, 21, 17, 5, tzinfo=UTC),
        due_at=datetime(2026, 11, 28, 2, 0, tzinfo=UTC),
        sets=2,
        processing_agency="Sở Tư pháp",
        note="Trả qua bưu chính",
    )
    register = DossierRegister(
        agency=samples.AGENCY,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        lines=(line,),
        issued_on=date(2026, 12, 1),
    )

    page = codes_joined(pdf_text(render_register(register)))

    assert (
        "0042 000.00.01.H22-261121-0001 Cấp phiếu lý lịch tư pháp số 1 2 Đỗ Minh Khôi "
        "Sở Tư pháp 00:05 22/11/2026 09:00 28/11/2026 Trả qua bưu chính"
    ) in page


def test_a_register_number_with_its_books_year_fits_its_column() -> None:
    """A period across two years prints "25/0012": the column widens rather than wrap it."""
    register_fonts()
    codes = ["000.00.01.H37-251231-0001"]

    narrow = register_widths(codes, landscape(A4)[0] - 45 * mm, 7.5, ["0012"])
    wide = register_widths(codes, landscape(A4)[0] - 45 * mm, 7.5, ["25/12345"])

    assert narrow[0] == 10 * mm
    assert wide[0] >= stringWidth("25/12345", SERIF, 7.5) + 6
    assert sum(wide) == pytest.approx(sum(narrow))


LAND_PROCEDURE = (
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất "
    "lần đầu"
)


def lines_taken(lines: list[str], text: str) -> int:
    """Return over how many consecutive ``lines`` ``text`` is printed (0 if it is not)."""
    for count in range(1, len(lines) + 1):
        for start in range(len(lines) - count + 1):
            if " ".join(lines[start : start + count]) == text:
                return count
    return 0


def test_a_register_breaks_a_code_only_after_its_agency_and_gives_the_procedure_room() -> None:
    """The code column was as wide as a whole code and squeezed the procedure's name onto
    seven lines; the code now breaks after its agency's part."""
    line = RegisterLine(
        code="000.00.01.H37-261120-0001",
        procedure_name=LAND_PROCEDURE,
        applicant_name="Đỗ Minh Khôi",
        received_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
        due_at=datetime(2026, 12, 18, 10, 0, tzinfo=UTC),
    )
    register = DossierRegister(
        agency=samples.AGENCY,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        lines=(line,),
        issued_on=date(2026, 12, 1),
    )

    lines = first_page_lines(render_register(register))

    assert "000.00.01.H37-" in lines
    assert "261120-0001" in lines
    assert 1 <= lines_taken(lines, LAND_PROCEDURE) <= 4, lines


def test_the_procedure_column_is_the_widest_of_the_register() -> None:
    register_fonts()
    codes = ["000.00.01.H37-261120-0001", "000.20.01.H37-261120-1234"]

    widths = register_widths(codes, landscape(A4)[0] - 45 * mm, 7.5)

    assert len(widths) == 13
    assert widths[2] == max(widths)
    assert widths[1] >= stringWidth("000.20.01.H37-", SERIF, 7.5) + 6


def test_an_empty_register_still_renders_its_header_row() -> None:
    register = DossierRegister(
        agency=samples.AGENCY,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        lines=(),
        issued_on=date(2026, 12, 1),
    )

    page = pdf_text(render_register(register))

    assert "STT Mã hồ sơ Tên thủ tục hành chính" in page


# --- QR code -------------------------------------------------------------------------------


def test_qr_code_encodes_the_tracking_url_at_the_requested_size() -> None:
    drawing = qr_code(samples.TRACKING_URL, size=30 * mm)

    (widget,) = drawing.contents
    assert isinstance(widget, QrCodeWidget)
    assert widget.value == samples.TRACKING_URL
    assert (drawing.width, drawing.height) == (30 * mm, 30 * mm)


def test_qr_code_differs_for_a_different_url() -> None:
    first = qr_code(samples.TRACKING_URL).contents[0]
    other = qr_code(samples.TRACKING_URL.replace("0007", "0008")).contents[0]

    first.qr.make()
    other.qr.make()
    assert first.qr.modules != other.qr.modules


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "000.00.01.H22-261121-0007"])
def test_qr_code_refuses_anything_but_a_web_address(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        qr_code(url)


# --- Formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 21, 7, 30, tzinfo=UTC), "14 giờ 30 phút, ngày 21/11/2026"),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), "00 giờ 00 phút, ngày 01/01/2027"),
        (
            datetime(2026, 3, 5, 8, 5, tzinfo=VIETNAM),
            "08 giờ 05 phút, ngày 05/03/2026",
        ),
    ],
)
def test_moments_print_in_vietnam_time_whatever_their_zone(moment: datetime, expected: str) -> None:
    assert format_moment(moment) == expected


def test_a_naive_moment_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_moment(datetime(2026, 11, 21, 14, 30))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 21), "Ninh Bình, ngày 21 tháng 11 năm 2026"),
        (date(2026, 2, 5), "Ninh Bình, ngày 05 tháng 02 năm 2026"),
        (date(2026, 3, 1), "Ninh Bình, ngày 01 tháng 3 năm 2026"),
        (datetime(2026, 1, 31, 18, 0, tzinfo=UTC), "Ninh Bình, ngày 01 tháng 02 năm 2026"),
    ],
)
def test_the_date_line_follows_decree_30(day: date, expected: str) -> None:
    assert format_date_line("Ninh Bình", day) == expected


def test_dates_print_as_day_month_year() -> None:
    assert format_date(date(2026, 1, 2)) == "02/01/2026"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (Decimal("0.5"), "0,5"),
        (Decimal("2.50"), "2,5"),
        (Decimal("10"), "10"),
        (Decimal("1E+1"), "10"),
        (Decimal("15.00"), "15"),
    ],
)
def test_working_days_print_with_a_decimal_comma(days: Decimal, expected: str) -> None:
    assert format_days(days) == expected


def test_hand_off_results_print_the_control_sheet_wording() -> None:
    assert [r.label for r in HandOffResult] == ["Trước hạn", "Đúng hạn", "Quá hạn"]


# --- Bad data is refused where the slip is built ----------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: samples.receipt(received_at=datetime(2026, 11, 21, 14, 30)), "aware"),
        (lambda: samples.receipt(sets=0), "sets"),
        (lambda: samples.receipt(legal_days=Decimal("-1")), "legal_days"),
        (lambda: samples.receipt(legal_days=Decimal("NaN")), "legal_days"),
        (
            lambda: samples.receipt(due_at=samples.RECEIVED_AT - timedelta(minutes=1)),
            "due_at",
        ),
        (lambda: samples.receipt(code="  "), "code"),
        (lambda: samples.receipt(tracking_url="dichvucong.ninhbinh.gov.vn/x"), "tracking_url"),
        (lambda: samples.receipt(tracking_url="https://a.vn/x y"), "tracking_url"),
        (lambda: ComponentLine("Tờ khai", originals=-1), "originals"),
        (lambda: ComponentLine(" "), "name"),
        (lambda: Applicant(full_name=""), "full_name"),
        (lambda: Agency(name="Sở Tư pháp", parent_name="UBND", place=""), "place"),
        (lambda: samples.supplement_request(missing_items=()), "missing_items"),
        (lambda: MissingItem("Giấy chứng sinh", reason=""), "reason"),
        (
            lambda: samples.supplement_request(deadline=datetime(2026, 12, 5, 17)),
            "aware",
        ),
        (lambda: samples.refusal(reason=" "), "reason"),
        (lambda: samples.apology(new_due_at=samples.DUE_AT), "new_due_at"),
        (lambda: samples.stop_notice(legal_basis=""), "legal_basis"),
        (
            lambda: HandOff("Một cửa", "Phòng Hộ tịch", datetime(2026, 11, 21, 8)),
            "aware",
        ),
        (
            lambda: DossierRegister(
                agency=samples.AGENCY,
                period_start=date(2026, 11, 30),
                period_end=date(2026, 11, 1),
                lines=(),
                issued_on=date(2026, 12, 1),
            ),
            "period_end",
        ),
    ],
)
def test_bad_slip_data_is_refused_when_built(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()
