"""Sample Vietnamese slips for the tests (and for looking at the PDFs by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sen.core.timezones import VIETNAM
from sen.dossiers.slips import (
    Agency,
    ApologySlip,
    Applicant,
    ComponentLine,
    ControlSheet,
    DossierRegister,
    HandOff,
    HandOffResult,
    MissingItem,
    ReceiptSlip,
    RefusalSlip,
    RegisterLine,
    ResultDocument,
    StopNoticeSlip,
    SupplementRequestSlip,
)

CODE = "000.00.01.H22-261121-0007"
TRACKING_URL = "https://dichvucong.ninhbinh.gov.vn/tra-cuu/000.00.01.H22-261121-0007"
PROCEDURE = "Đăng ký khai sinh có yếu tố nước ngoài"
PROCEDURE_CODE = "1.001193"

AGENCY = Agency(
    name="Trung tâm Phục vụ hành chính công tỉnh",
    parent_name="UBND tỉnh Ninh Bình",
    place="Ninh Bình",
    address="Số 2 đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình",
    phone="0229 3871 234",
)
APPLICANT = Applicant(
    full_name="Nguyễn Thị Hường",
    address="Thôn Yên Trạch, xã Gia Viễn, tỉnh Ninh Bình",
    phone="0912 345 678",
    email="huong.nguyen@example.vn",
)
# 07:30 UTC is 14:30 in Vietnam: the slips must print the latter.
RECEIVED_AT = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)
DUE_AT = datetime(2026, 11, 26, 16, 0, tzinfo=VIETNAM)
# The fields of every slip about the sample dossier.
DOSSIER: dict[str, object] = {
    "code": CODE,
    "procedure_name": PROCEDURE,
    "procedure_code": PROCEDURE_CODE,
    "agency": AGENCY,
    "applicant": APPLICANT,
}
# Who signs the letters that engage the agency (apology, stop notice).
SIGNER: dict[str, object] = {"signer_title": "Giám đốc", "signer_name": "Phạm Quang Vinh"}


def receipt(**changes: object) -> ReceiptSlip:
    """Return a receipt for a birth registration; ``changes`` override fields."""
    fields: dict[str, object] = {
        **DOSSIER,
        "components": (
            ComponentLine("Tờ khai đăng ký khai sinh", originals=1),
            ComponentLine(
                "Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp", originals=1, photocopies=2
            ),
            ComponentLine(
                "Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con",
                certified_copies=3,
            ),
        ),
        "sets": 1,
        "legal_days": Decimal("0.5"),
        "received_at": RECEIVED_AT,
        "due_at": DUE_AT,
        "result_place": "Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh",
        "tracking_url": TRACKING_URL,
        "register_book": "03/2026",
        "register_number": "1127",
        "receiver_name": "Trần Văn Đức",
    }
    fields.update(changes)
    return ReceiptSlip(**fields)  # type: ignore[arg-type]


def supplement_request(**changes: object) -> SupplementRequestSlip:
    """Return a request to supplement two missing items."""
    fields: dict[str, object] = {
        **DOSSIER,
        "missing_items": (
            MissingItem(
                "Giấy chứng sinh",
                "Bản chụp không rõ chữ, không đọc được họ tên người mẹ",
            ),
            MissingItem(
                "Văn bản thỏa thuận chọn quốc tịch",
                "Thiếu chữ ký của người cha; văn bản lập ở nước ngoài chưa được hợp pháp hóa "
                "lãnh sự theo quy định",
            ),
        ),
        "issued_at": RECEIVED_AT,
        "officer_name": "Trần Văn Đức",
        "officer_phone": "0229 3871 234",
        "deadline": datetime(2026, 12, 5, 10, 0, tzinfo=UTC),
        "tracking_url": TRACKING_URL,
    }
    fields.update(changes)
    return SupplementRequestSlip(**fields)  # type: ignore[arg-type]


def refusal(**changes: object) -> RefusalSlip:
    """Return a refusal with its reason."""
    fields: dict[str, object] = {
        **DOSSIER,
        "reason": "Trẻ đã được đăng ký khai sinh tại UBND xã Gia Viễn ngày 02/10/2026",
        "issued_at": RECEIVED_AT,
        "officer_name": "Trần Văn Đức",
        "tracking_url": TRACKING_URL,
    }
    fields.update(changes)
    return RefusalSlip(**fields)  # type: ignore[arg-type]


def apology(**changes: object) -> ApologySlip:
    """Return an apology that moves the appointment by three days."""
    fields: dict[str, object] = {
        **DOSSIER,
        "received_at": RECEIVED_AT,
        "reason": "Cần xác minh thông tin về quốc tịch của người cha với cơ quan đại diện",
        "old_due_at": DUE_AT,
        "new_due_at": datetime(2026, 12, 1, 9, 15, tzinfo=VIETNAM),
        "issued_at": datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        "tracking_url": TRACKING_URL,
        **SIGNER,
    }
    fields.update(changes)
    return ApologySlip(**fields)  # type: ignore[arg-type]


def stop_notice(**changes: object) -> StopNoticeSlip:
    """Return a notice that processing stopped, with reason and legal basis."""
    fields: dict[str, object] = {
        **DOSSIER,
        "received_at": RECEIVED_AT,
        "reason": "Người nộp hồ sơ đề nghị dừng giải quyết để bổ sung giấy tờ ở nước ngoài",
        "legal_basis": "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
        "issued_at": datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
        "tracking_url": TRACKING_URL,
        **SIGNER,
    }
    fields.update(changes)
    return StopNoticeSlip(**fields)  # type: ignore[arg-type]


def result_document(**changes: object) -> ResultDocument:
    """Return a result document with its number, signed by a deputy for the head."""
    fields: dict[str, object] = {
        **DOSSIER,
        "title": "Trích lục khai sinh",
        "content": (
            "Họ, chữ đệm, tên: Nguyễn Minh An.\n"
            "Ngày, tháng, năm sinh: 02/11/2026; nơi sinh: Bệnh viện Sản Nhi Ninh Bình.\n"
            "\n"
            "Đã đăng ký khai sinh tại Sở Tư pháp tỉnh Ninh Bình, số 125, quyển số 01/2026."
        ),
        "reference": "125/TLKS-STP",
        "signer_title": "KT. Giám đốc\nPhó Giám đốc",
        "issued_at": datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
        "tracking_url": TRACKING_URL,
    }
    fields.update(changes)
    return ResultDocument(**fields)  # type: ignore[arg-type]


def control_sheet(**changes: object) -> ControlSheet:
    """Return a control sheet with three hand-offs, one of them late."""
    fields: dict[str, object] = {
        **DOSSIER,
        "received_at": RECEIVED_AT,
        "due_at": DUE_AT,
        "processing_agency": "Sở Tư pháp tỉnh Ninh Bình",
        "coordinating_agencies": ("Công an tỉnh Ninh Bình",),
        "hand_offs": (
            HandOff(
                from_party="Bộ phận Một cửa",
                to_party="Phòng Hộ tịch, Sở Tư pháp",
                at=datetime(2026, 11, 21, 8, 45, tzinfo=UTC),
                by="Trần Văn Đức",
                result=HandOffResult.EARLY,
            ),
            HandOff(
                from_party="Phòng Hộ tịch, Sở Tư pháp",
                to_party="Lãnh đạo Sở Tư pháp",
                at=datetime(2026, 11, 24, 9, 5, tzinfo=VIETNAM),
                by="Lê Thị Thu Hà",
                result=HandOffResult.ON_TIME,
            ),
            HandOff(
                from_party="Lãnh đạo Sở Tư pháp",
                to_party="Bộ phận Một cửa",
                at=datetime(2026, 11, 27, 10, 20, tzinfo=VIETNAM),
                by="Phạm Quang Vinh",
                result=HandOffResult.LATE,
                note="Chờ ý kiến của Công an tỉnh về quốc tịch",
            ),
        ),
        "tracking_url": TRACKING_URL,
    }
    fields.update(changes)
    return ControlSheet(**fields)  # type: ignore[arg-type]


def register(lines: int = 120) -> DossierRegister:
    """Return a register of ``lines`` dossiers received over November 2026, numbered in
    the year's book from 1101 on."""
    start = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    entries = []
    for index in range(1, lines + 1):
        received = start + timedelta(hours=5 * index)
        entries.append(
            RegisterLine(
                number=f"{1100 + index:04d}",
                code=f"000.00.01.H22-2611{received.astimezone(VIETNAM).day:02d}-{index:04d}",
                procedure_name=PROCEDURE if index % 2 else "Cấp phiếu lý lịch tư pháp số 1",
                applicant_name=f"Nguyễn Văn Sơn {index}",
                applicant_address="Xã Gia Viễn, tỉnh Ninh Bình",
                applicant_phone="0912 345 678",
                processing_agency="Sở Tư pháp",
                received_at=received,
                due_at=received + timedelta(days=5),
                transferred_at=received + timedelta(hours=2) if index % 3 else None,
                returned_at=received + timedelta(days=4) if index % 4 == 0 else None,
                note="Trả qua bưu chính" if index % 10 == 0 else "",
            )
        )
    return DossierRegister(
        agency=AGENCY,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        lines=tuple(entries),
        issued_on=date(2026, 12, 1),
        book="03/2026",
    )
