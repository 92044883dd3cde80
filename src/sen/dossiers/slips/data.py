"""What a one-stop slip shows, as plain frozen dataclasses.

The dossier services build these from their models; the renderers in
:mod:`sen.dossiers.slips.render` only read them. Every datetime must be timezone-aware (the
slips print it in Vietnam time whatever its zone), every count non-negative. The checks run in
``__post_init__`` so that a bad slip fails where it is built, not halfway through a PDF.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _require_text(name: str, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{name} must not be blank")


def _require_tracking_url(value: str) -> None:
    if not value.startswith(("https://", "http://")) or len(value.split()) != 1:
        raise ValueError(f"tracking_url must be an http(s) URL without spaces, got {value!r}")


@dataclass(frozen=True)
class Agency:
    """The issuing agency (cơ quan, Bộ phận Một cửa) as its header shows it.

    ``parent_name`` is the governing body printed above the agency's name (tên cơ quan chủ
    quản, e.g. "UBND TỈNH NINH BÌNH"); ``place`` is the place name of the date line (địa danh,
    e.g. "Ninh Bình" in "Ninh Bình, ngày 21 tháng 11 năm 2026").
    """

    name: str
    parent_name: str
    place: str
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        _require_text("Agency.name", self.name)
        _require_text("Agency.place", self.place)


@dataclass(frozen=True)
class Applicant:
    """The person or organisation who submitted the dossier (người nộp hồ sơ, chủ hồ sơ)."""

    full_name: str
    address: str = ""
    phone: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        _require_text("Applicant.full_name", self.full_name)


@dataclass(frozen=True)
class ComponentLine:
    """One document component received (thành phần hồ sơ) with its copies.

    ``originals`` are bản chính, ``certified_copies`` bản sao chứng thực (or copies presented
    with the original), ``photocopies`` bản chụp / bản photo.
    """

    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0

    def __post_init__(self) -> None:
        _require_text("ComponentLine.name", self.name)
        for field in ("originals", "certified_copies", "photocopies"):
            if getattr(self, field) < 0:
                raise ValueError(f"ComponentLine.{field} must not be negative")


@dataclass(frozen=True)
class MissingItem:
    """One thing the applicant must add or correct (nội dung cần bổ sung, hoàn thiện)."""

    name: str
    reason: str

    def __post_init__(self) -> None:
        _require_text("MissingItem.name", self.name)
        _require_text("MissingItem.reason", self.reason)


class HandOffResult(enum.StrEnum):
    """How the giving side finished its part (kết quả giải quyết hồ sơ)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        """Return the wording the control sheet prints."""
        return {
            HandOffResult.EARLY: "Trước hạn",
            HandOffResult.ON_TIME: "Đúng hạn",
            HandOffResult.LATE: "Quá hạn",
        }[self]


@dataclass(frozen=True)
class HandOff:
    """One hand-over of the dossier between agencies or people (giao, nhận hồ sơ).

    ``from_party`` gives (bên giao), ``to_party`` receives (bên nhận), ``by`` is the person who
    handed it over (người giao); ``result`` is left empty while the step is unjudged.
    """

    from_party: str
    to_party: str
    at: datetime
    by: str = ""
    result: HandOffResult | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _require_text("HandOff.from_party", self.from_party)
        _require_text("HandOff.to_party", self.to_party)
        _require_aware("HandOff.at", self.at)


@dataclass(frozen=True)
class ReceiptSlip:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả: the receipt and appointment.

    ``legal_days`` is the legal processing time in working days (thời hạn giải quyết theo quy
    định, e.g. ``Decimal("0.5")``, printed "0,5"); ``sets`` is the number of sets received (số
    lượng hồ sơ, bộ); ``register_book`` and ``register_number`` are the book and sequence
    number in the dossier register (Sổ theo dõi hồ sơ: quyển số, số thứ tự).
    """

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    components: tuple[ComponentLine, ...]
    sets: int
    legal_days: Decimal
    received_at: datetime
    due_at: datetime
    result_place: str
    tracking_url: str
    register_book: str = ""
    register_number: str = ""
    receiver_name: str = ""
    # How the dossier came when not in person ("Hồ sơ nộp trực tuyến …"): the applicant was
    # not at the desk to sign, and the slip says so instead of leaving a signature blank.
    not_in_person: str = ""

    def __post_init__(self) -> None:
        _require_text("ReceiptSlip.code", self.code)
        _require_text("ReceiptSlip.procedure_name", self.procedure_name)
        _require_tracking_url(self.tracking_url)
        _require_aware("ReceiptSlip.received_at", self.received_at)
        _require_aware("ReceiptSlip.due_at", self.due_at)
        if self.sets < 1:
            raise ValueError("ReceiptSlip.sets must be at least 1")
        if not self.legal_days.is_finite() or self.legal_days < 0:
            raise ValueError("ReceiptSlip.legal_days must be a non-negative number")
        if self.due_at < self.received_at:
            raise ValueError("ReceiptSlip.due_at must not be before received_at")


@dataclass(frozen=True)
class SupplementRequestSlip:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: everything missing, each with its reason.

    The law asks for the complete list at once (hướng dẫn một lần, đầy đủ), hence one slip with
    every ``missing_items`` entry. ``deadline`` is optional (thời hạn bổ sung); ``officer_name``
    and ``officer_phone`` tell the applicant whom to ask (người hướng dẫn).
    """

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    missing_items: tuple[MissingItem, ...]
    issued_at: datetime
    officer_name: str
    tracking_url: str
    officer_phone: str = ""
    deadline: datetime | None = None

    def __post_init__(self) -> None:
        _require_text("SupplementRequestSlip.code", self.code)
        _require_text("SupplementRequestSlip.officer_name", self.officer_name)
        _require_tracking_url(self.tracking_url)
        _require_aware("SupplementRequestSlip.issued_at", self.issued_at)
        _require_aware("SupplementRequestSlip.deadline", self.deadline)
        if not self.missing_items:
            raise ValueError("SupplementRequestSlip.missing_items must not be empty")


@dataclass(frozen=True)
class RefusalSlip:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ: the refusal and its reason (lý do)."""

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    reason: str
    issued_at: datetime
    officer_name: str
    tracking_url: str

    def __post_init__(self) -> None:
        _require_text("RefusalSlip.code", self.code)
        _require_text("RefusalSlip.reason", self.reason)
        _require_tracking_url(self.tracking_url)
        _require_aware("RefusalSlip.issued_at", self.issued_at)


@dataclass(frozen=True)
class ApologySlip:
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết: apology, new appointment.

    ``old_due_at`` is the appointment that will be missed, ``new_due_at`` the new one (hẹn
    lại, set at most once: the services enforce that, not the slip). ``signer_title`` is the
    head of the agency who signs (thủ trưởng cơ quan).
    """

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    received_at: datetime
    reason: str
    old_due_at: datetime
    new_due_at: datetime
    issued_at: datetime
    tracking_url: str
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    signer_name: str = ""

    def __post_init__(self) -> None:
        _require_text("ApologySlip.code", self.code)
        _require_text("ApologySlip.reason", self.reason)
        _require_tracking_url(self.tracking_url)
        for field in ("received_at", "old_due_at", "new_due_at", "issued_at"):
            _require_aware(f"ApologySlip.{field}", getattr(self, field))
        if self.new_due_at <= self.old_due_at:
            raise ValueError("ApologySlip.new_due_at must be after old_due_at")


@dataclass(frozen=True)
class StopNoticeSlip:
    """Thông báo dừng giải quyết hồ sơ: processing stops, with the reason and legal basis.

    ``legal_basis`` names the provision that allows stopping (căn cứ pháp lý).
    """

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    received_at: datetime
    reason: str
    legal_basis: str
    issued_at: datetime
    tracking_url: str
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    signer_name: str = ""

    def __post_init__(self) -> None:
        _require_text("StopNoticeSlip.code", self.code)
        _require_text("StopNoticeSlip.reason", self.reason)
        _require_text("StopNoticeSlip.legal_basis", self.legal_basis)
        _require_tracking_url(self.tracking_url)
        _require_aware("StopNoticeSlip.received_at", self.received_at)
        _require_aware("StopNoticeSlip.issued_at", self.issued_at)


@dataclass(frozen=True)
class ResultDocument:
    """The result document (văn bản kết quả giải quyết) an officer drafts in Sen.

    ``title`` is the result's name (a procedure's "kết quả thực hiện", e.g. "Giấy xác nhận
    tình trạng hôn nhân"), ``content`` what the officer wrote, one paragraph per line.
    ``reference`` is the document's number and symbol (số, ký hiệu), blank for the clerk
    (văn thư) to write at issuance. The agency is the one deciding the dossier, which for an
    inter-agency step is not the receiving one; ``signer_title`` is who signs for it.
    """

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    title: str
    content: str
    issued_at: datetime
    tracking_url: str
    reference: str = ""
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"

    def __post_init__(self) -> None:
        _require_text("ResultDocument.code", self.code)
        _require_text("ResultDocument.title", self.title)
        _require_text("ResultDocument.content", self.content)
        _require_text("ResultDocument.signer_title", self.signer_title)
        _require_tracking_url(self.tracking_url)
        _require_aware("ResultDocument.issued_at", self.issued_at)


@dataclass(frozen=True)
class ControlSheet:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-off, in order.

    ``processing_agency`` is the agency that resolves the dossier (cơ quan chủ trì giải quyết),
    ``coordinating_agencies`` those that take part (cơ quan phối hợp). ``previous_due_at`` is
    the appointment an apology (mẫu 04) replaced with ``due_at``, if one did.
    """

    code: str
    procedure_name: str
    procedure_code: str
    agency: Agency
    applicant: Applicant
    received_at: datetime
    due_at: datetime
    processing_agency: str
    hand_offs: tuple[HandOff, ...]
    tracking_url: str
    coordinating_agencies: tuple[str, ...] = ()
    previous_due_at: datetime | None = None

    def __post_init__(self) -> None:
        _require_text("ControlSheet.code", self.code)
        _require_tracking_url(self.tracking_url)
        _require_aware("ControlSheet.received_at", self.received_at)
        _require_aware("ControlSheet.due_at", self.due_at)


@dataclass(frozen=True)
class RegisterLine:
    """One dossier in the register (một dòng Sổ theo dõi hồ sơ).

    The dates are when the dossier was received (nhận hồ sơ), due (hẹn trả), sent to the
    processing agency (chuyển hồ sơ đến cơ quan giải quyết), its result came back (nhận kết quả)
    and was returned to the applicant (trả kết quả); those not yet reached are ``None``.
    ``number`` is the dossier's number in the register book (số thứ tự, printed in the STT
    column as on the receipt slip, e.g. ``0012``); blank if it has none.
    """

    code: str
    procedure_name: str
    applicant_name: str
    received_at: datetime
    due_at: datetime
    number: str = ""
    sets: int = 1
    applicant_address: str = ""
    applicant_phone: str = ""
    processing_agency: str = ""
    transferred_at: datetime | None = None
    result_received_at: datetime | None = None
    returned_at: datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _require_text("RegisterLine.code", self.code)
        for field in (
            "received_at",
            "due_at",
            "transferred_at",
            "result_received_at",
            "returned_at",
        ):
            _require_aware(f"RegisterLine.{field}", getattr(self, field))
        if self.sets < 1:
            raise ValueError("RegisterLine.sets must be at least 1")


@dataclass(frozen=True)
class DossierRegister:
    """Sổ theo dõi hồ sơ: the dossiers received over a period (kỳ: từ ngày … đến ngày …)."""

    agency: Agency
    period_start: date
    period_end: date
    lines: tuple[RegisterLine, ...]
    issued_on: date
    book: str = ""

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError("DossierRegister.period_end must not be before period_start")
