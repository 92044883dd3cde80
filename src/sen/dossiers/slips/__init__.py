"""The standard one-stop slips (phiếu, giấy của Bộ phận Một cửa) as PDF.

The slips never read the database. The dossier services map a dossier, its procedure, its
agency and its history into the frozen dataclasses of :mod:`.data` (``ReceiptSlip``,
``SupplementRequestSlip``, …) and call the matching ``render_<slip>(data) -> bytes``; the
bytes are what they store or send. This keeps the forms testable on their own and lets them
follow the law's wording without knowing the models.

Forms of Thông tư 03/2025/TT-VPCP, Phụ lục I (numbering to be verified against the circular):

- Mẫu số 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả → ``render_receipt``
- Mẫu số 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ → ``render_supplement_request``
- Mẫu số 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ → ``render_refusal``
- Mẫu số 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết → ``render_apology``
- Mẫu số 05 Thông báo dừng giải quyết hồ sơ → ``render_stop_notice``
- Mẫu số 06 Phiếu kiểm soát quá trình giải quyết hồ sơ → ``render_control_sheet``
- Mẫu số 07 Sổ theo dõi hồ sơ → ``render_register``

Beside the forms, ``render_result`` lays out a result document an officer drafts in Sen
(văn bản kết quả giải quyết, ``ResultDocument``) as an administrative document of
Nghị định 30/2020/NĐ-CP.

Every slip but the register carries the dossier code and a QR code to its tracking page.
Datetimes must be timezone-aware; they print in Vietnam time (Asia/Ho_Chi_Minh).
"""

from .data import (
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
from .layout import format_date, format_date_line, format_days, format_moment, qr_code
from .render import (
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_register,
    render_result,
    render_stop_notice,
    render_supplement_request,
)

__all__ = [
    "Agency",
    "ApologySlip",
    "Applicant",
    "ComponentLine",
    "ControlSheet",
    "DossierRegister",
    "HandOff",
    "HandOffResult",
    "MissingItem",
    "ReceiptSlip",
    "RefusalSlip",
    "RegisterLine",
    "ResultDocument",
    "StopNoticeSlip",
    "SupplementRequestSlip",
    "format_date",
    "format_date_line",
    "format_days",
    "format_moment",
    "qr_code",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_register",
    "render_result",
    "render_stop_notice",
    "render_supplement_request",
]
