"""The slips of one dossier as PDF: ``GET /api/v1/dossiers/{code}/slips/<slip>.pdf``.

Every slip endpoint is registered from a row of ``SLIPS``; they differ only in the path,
what the slip shows and when it is available.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sen.dossiers.api.routers import dossiers_router
from sen.dossiers.links import tracking_url
from sen.dossiers.models import Dossier
from sen.dossiers.selectors import dossier_get_for_reader
from sen.dossiers.slipdata import (
    SlipNotAvailable,
    apology_slip_data,
    control_sheet_data,
    receipt_slip_data,
    refusal_slip_data,
    step_records,
    stop_notice_slip_data,
    supplement_request_slip_data,
)
from sen.dossiers.slips import (
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_stop_notice,
    render_supplement_request,
)
from sen.schemas import ErrorOut

SLIP_RESPONSES: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@dataclass(frozen=True)
class SlipEndpoint:
    """One slip endpoint.

    ``name`` makes its operation id (``sen_dossiers_api_<name>``), its URL name
    (``dossier_<name>``) and the purpose recorded when an officer downloads it. ``render``
    draws the PDF of a dossier with the address of its tracking page, which its QR code
    points at. ``available`` says
    when the slip exists: before, the endpoint answers 409 ``slip_not_available``.
    """

    name: str
    path: str
    title: str
    render: Callable[[Dossier, str], bytes]
    file_suffix: str
    description: str
    available: str


SLIPS = (
    SlipEndpoint(
        name="receipt_slip",
        path="/{code}/slips/receipt.pdf",
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        render=lambda dossier, url: render_receipt(receipt_slip_data(dossier, tracking_url=url)),
        file_suffix="phieu-tiep-nhan",
        description=(
            "Render the receipt and appointment slip (mẫu 01): the components received with "
            "their counts, the legal time, when it was received and when the result is due."
        ),
        available="once the dossier is received",
    ),
    SlipEndpoint(
        name="supplement_request_slip",
        path="/{code}/slips/supplement-request.pdf",
        title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        render=lambda dossier, url: render_supplement_request(
            supplement_request_slip_data(dossier, tracking_url=url)
        ),
        file_suffix="phieu-yeu-cau-bo-sung",
        description=(
            "Render the request to supplement (mẫu 02): every missing item and its reason."
        ),
        available="once a supplement is requested",
    ),
    SlipEndpoint(
        name="refusal_slip",
        path="/{code}/slips/refusal.pdf",
        title="Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        render=lambda dossier, url: render_refusal(refusal_slip_data(dossier, tracking_url=url)),
        file_suffix="phieu-tu-choi",
        description="Render the refusal (mẫu 03) with its reason.",
        available="once the dossier is refused",
    ),
    SlipEndpoint(
        name="apology_slip",
        path="/{code}/slips/apology.pdf",
        title="Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        render=lambda dossier, url: render_apology(apology_slip_data(dossier, tracking_url=url)),
        file_suffix="van-ban-xin-loi",
        description="Render the apology (mẫu 04) with the reason and the new appointment.",
        available="once an apology is made",
    ),
    SlipEndpoint(
        name="stop_notice_slip",
        path="/{code}/slips/stop-notice.pdf",
        title="Thông báo dừng giải quyết hồ sơ",
        render=lambda dossier, url: render_stop_notice(
            stop_notice_slip_data(dossier, tracking_url=url)
        ),
        file_suffix="thong-bao-dung",
        description="Render the notice of stopped processing (mẫu 05) with its reason.",
        available="once processing is stopped",
    ),
    SlipEndpoint(
        name="control_sheet",
        path="/{code}/slips/control-sheet.pdf",
        title="Phiếu kiểm soát quá trình giải quyết hồ sơ",
        render=lambda dossier, url: render_control_sheet(
            control_sheet_data(dossier, steps=step_records(dossier), tracking_url=url)
        ),
        file_suffix="phieu-kiem-soat",
        description=(
            "Render the process control sheet (mẫu 06): each hand-off between steps, from "
            "whom to whom, when, and whether it was early, on time or late."
        ),
        available="once the dossier is received",
    ),
)


def _description(slip: SlipEndpoint) -> str:
    return (
        f"{slip.description}\n\n"
        "For the applicant or an officer allowed to read the dossier; an officer's download "
        "is recorded in the audit log, since the slip carries the applicant's personal data. "
        "Errors: 401 `not_authenticated`; 404 `dossier_not_found` to anyone else, as for an "
        f"unknown code; 409 `{SlipNotAvailable.code}` until it is issued ({slip.available})."
    )


def _pdf_doc(title: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": f"{title}, PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _handler(slip: SlipEndpoint) -> Callable[[HttpRequest, str], HttpResponse]:
    def handler(request: HttpRequest, code: str) -> HttpResponse:
        read = dossier_get_for_reader(code=code, user=request.user, purpose=slip.name)
        # The QR code takes people to the public tracking page, on the public address.
        page = tracking_url(read.dossier.code)
        # The forms' wording is the law's, in Vietnamese, whatever language the reader uses.
        with translation.override("vi"):
            pdf = slip.render(read.dossier, page)
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = f'inline; filename="{read.dossier.code}-{slip.file_suffix}.pdf"'
        response["Content-Disposition"] = disposition
        return response

    handler.__name__ = handler.__qualname__ = slip.name
    return handler


def register_slips() -> None:
    """Add every slip endpoint of ``SLIPS`` to the dossiers router."""
    for slip in SLIPS:
        dossiers_router.get(
            slip.path,
            response=SLIP_RESPONSES,
            summary=f"{slip.title} (PDF)",
            description=_description(slip),
            url_name=f"dossier_{slip.name}",
            operation_id=f"sen_dossiers_api_{slip.name}",
            openapi_extra=_pdf_doc(slip.title),
        )(_handler(slip))
