"""HTTP API of dossiers: submission, "my dossiers", the officers' queue, one dossier and its
slips (``/api/v1/dossiers``), and public tracking (``/api/v1/tracking``).

Handlers parse, call one service or selector, and answer. Access checks live in
:mod:`sen.dossiers.selectors`: a user who may not read a dossier gets 404, as for an unknown
code.
"""

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import field_validator

from sen.core.models import User
from sen.dossiers.errors import InvalidDossier, InvalidJson
from sen.dossiers.models import Dossier, DossierEvent, DossierFile
from sen.dossiers.selectors import (
    Reader,
    dossier_for_tracking,
    dossier_get_for_reader,
    dossiers_of_applicant,
    is_overdue,
    officer_queue,
)
from sen.dossiers.services import (
    SubmittedFile,
    dossier_apologize,
    dossier_attach_result,
    dossier_complete_step,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_stop,
    dossier_submit,
    dossier_submit_supplement,
    dossier_withdraw,
)
from sen.dossiers.slipdata import (
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
from sen.dossiers.states import NATIONAL_STATUS, Action, Channel, DossierStatus
from sen.schemas import ErrorOut

dossiers_router = Router()
tracking_router = Router()

_FILE_FIELD = re.compile(r"^component_([1-9][0-9]{0,3})$")


class ProcedureRef(Schema):
    code: str = Field(description="Mã thủ tục trên Cơ sở dữ liệu quốc gia về TTHC.")
    name: str = Field(description="Tên thủ tục.")
    version: int = Field(description="Phiên bản thủ tục áp dụng cho hồ sơ.")


class AgencyRef(Schema):
    code: str = Field(description="Mã định danh cơ quan tiếp nhận.")
    name: str = Field(description="Tên cơ quan tiếp nhận.")


class DossierSubmitted(Schema):
    code: str = Field(description="Mã hồ sơ, ví dụ `000.00.01.H37-261120-0001`.")
    status: DossierStatus = Field(description="Trạng thái: `submitted` (chờ tiếp nhận).")
    national_status: int = Field(description="Mã trạng thái đồng bộ Cổng DVC quốc gia.")
    procedure: ProcedureRef
    agency: AgencyRef
    submitted_at: datetime = Field(description="Thời điểm nộp, giờ Việt Nam.")
    tracking_url: str = Field(description="Địa chỉ tra cứu tiến độ hồ sơ, ai có mã đều xem được.")


class TrackingEvent(Schema):
    action: Action = Field(description="Việc đã làm với hồ sơ.")
    label: str = Field(description="Tên việc, tiếng Việt.")
    at: datetime = Field(description="Thời điểm, giờ Việt Nam.")
    status: DossierStatus = Field(description="Trạng thái sau việc này.")


class Tracking(Schema):
    code: str = Field(description="Mã hồ sơ.")
    procedure: ProcedureRef
    agency: AgencyRef
    status: DossierStatus = Field(description="Trạng thái hiện tại.")
    status_label: str = Field(description="Tên trạng thái, tiếng Việt.")
    national_status: int = Field(description="Mã trạng thái đồng bộ Cổng DVC quốc gia (1–10).")
    submitted_at: datetime = Field(description="Thời điểm nộp.")
    received_at: datetime | None = Field(description="Thời điểm tiếp nhận; null khi chưa.")
    due_at: datetime | None = Field(description="Hẹn trả kết quả; null khi chưa tiếp nhận.")
    finished_at: datetime | None = Field(description="Thời điểm kết thúc; null khi chưa.")
    events: list[TrackingEvent] = Field(description="Quá trình xử lý, cũ trước mới sau.")


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _refs(dossier: Dossier) -> dict[str, Any]:
    procedure, agency = dossier.procedure, dossier.agency
    return {
        "procedure": {"code": procedure.code, "name": procedure.name, "version": procedure.version},
        "agency": {"code": agency.code, "name": agency.name},
    }


def _payload(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidJson(_("Trường payload phải là một đối tượng JSON."))
    problems = []
    if not isinstance(payload.get("procedure"), str):
        problems.append({"field": "procedure", "message": _("Hãy ghi mã thủ tục.")})
    if not isinstance(payload.get("agency", ""), str | None):
        problems.append({"field": "agency", "message": _("Phải là mã cơ quan.")})
    if not isinstance(payload.get("applicant"), dict):
        problems.append({"field": "applicant", "message": _("Hãy ghi thông tin người nộp.")})
    if problems:
        raise InvalidDossier(_("Hồ sơ không hợp lệ."), details=problems)
    return payload


def _files(request: HttpRequest) -> list[SubmittedFile]:
    files: list[SubmittedFile] = []
    problems = []
    for field in sorted(request.FILES):
        match = _FILE_FIELD.match(field)
        if match is None:
            message = _("Tên trường tệp phải có dạng component_<thứ tự thành phần>.")
            problems.append({"field": field, "message": message})
            continue
        for upload in request.FILES.getlist(field):
            files.append(
                SubmittedFile(
                    position=int(match[1]),
                    name=upload.name or "",
                    stream=upload,
                    size=upload.size or 0,
                )
            )
    if problems:
        raise InvalidDossier(_("Hồ sơ không hợp lệ."), details=problems)
    return files


@dossiers_router.post(
    "",
    auth=django_auth,
    response={
        200: DossierSubmitted,
        201: DossierSubmitted,
        400: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Nộp hồ sơ trực tuyến",
    url_name="dossier_submit",
)
def submit(
    request: HttpRequest,
    payload: str = Form(
        ...,
        description=(
            'JSON: `{"procedure": "1.001193", "agency": "000.00.01.H37" (khi thủ tục có nhiều '
            'cơ quan thực hiện), "applicant": {"name", "id_number", "phone", "email", '
            '"address"}, "form": {...}}`.'
        ),
    ),
    component_1: Annotated[
        UploadedFile | None,
        File(
            description=(
                "Tệp của thành phần hồ sơ thứ 1; thành phần thứ n gửi trong trường "
                "`component_<n>`, mỗi trường có thể lặp lại để gửi nhiều tệp."
            ),
        ),
    ] = None,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Khóa chống gửi trùng: gửi lại cùng khóa, cùng nội dung trả về hồ sơ đã tạo.",
    ),
) -> Status[dict[str, Any]]:
    """Submit a dossier for a procedure, as the signed-in citizen (multipart form).

    Each document component's files go in fields named `component_<position>` (1, 2, …, in
    the order of the procedure's components): PDF, JPEG or PNG, at most 10 MB each and
    50 MB in all. Answers 201 with the new dossier; 200 with the same dossier for a retry
    with the same `Idempotency-Key`; 400 `invalid_dossier` listing every problem; 400
    `invalid_json` when `payload` is not a JSON object; 404 `procedure_not_found`; 422
    `idempotency_key_reused` when the key was used for a different request.
    """
    # Every component_<n> field is read from request.FILES; component_1 is declared only so
    # that the API document shows a multipart form.
    del component_1
    data = _payload(payload)
    files = _files(request)
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - django_auth let only signed-in users through
    result = dossier_submit(
        procedure_code=data["procedure"],
        channel=Channel.ONLINE,
        applicant=user,
        applicant_details=data["applicant"],
        form_data=data.get("form", {}),
        files=files,
        agency_code=data.get("agency") or None,
        idempotency_key=idempotency_key,
        actor=user,
    )
    dossier = result.dossier
    tracking = reverse("api-v1:dossier_tracking", kwargs={"code": dossier.code})
    body = {
        "code": dossier.code,
        "status": dossier.status,
        "national_status": NATIONAL_STATUS[DossierStatus(dossier.status)],
        **_refs(dossier),
        "submitted_at": _local(dossier.submitted_at),
        "tracking_url": request.build_absolute_uri(tracking),
    }
    return Status(201 if result.created else 200, body)


@tracking_router.get(
    "/{code}",
    auth=None,
    response={200: Tracking, 404: ErrorOut},
    summary="Tra cứu tiến độ hồ sơ",
    url_name="dossier_tracking",
)
def track(request: HttpRequest, code: str) -> dict[str, Any]:
    """Follow a dossier by its code: open to anyone, so it holds no personal data.

    Answers 404 `dossier_not_found` for an unknown code.
    """
    dossier = dossier_for_tracking(code=code)
    status = DossierStatus(dossier.status)
    return {
        "code": dossier.code,
        **_refs(dossier),
        "status": status,
        "status_label": str(status.label),
        "national_status": NATIONAL_STATUS[status],
        "submitted_at": _local(dossier.submitted_at),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished_at": _local(dossier.finished_at),
        "events": [
            {
                "action": event.action,
                "label": str(Action(event.action).label),
                "at": _local(event.at),
                "status": event.to_status,
            }
            for event in dossier.events.all()
        ],
    }


# --- Reading dossiers ------------------------------------------------------------------------

# Until a tracking page exists, slips point at the tracking API.
TRACKING_PATH = "/api/v1/tracking/"


class DossierSummary(Schema):
    code: str = Field(description="Mã hồ sơ.")
    status: DossierStatus = Field(description="Trạng thái hiện tại.")
    status_label: str = Field(description="Tên trạng thái, tiếng Việt.")
    national_status: int = Field(description="Mã trạng thái đồng bộ Cổng DVC quốc gia (1–10).")
    channel: Channel = Field(description="Hình thức nộp: desk, online, post.")
    procedure: ProcedureRef
    agency: AgencyRef
    submitted_at: datetime = Field(description="Thời điểm nộp, giờ Việt Nam.")
    received_at: datetime | None = Field(description="Thời điểm tiếp nhận; null khi chưa.")
    due_at: datetime | None = Field(description="Hẹn trả kết quả; null khi chưa tiếp nhận.")
    finished_at: datetime | None = Field(description="Thời điểm kết thúc; null khi chưa.")
    overdue: bool = Field(description="Quá hạn: chưa kết thúc mà đã qua thời điểm hẹn trả.")


class QueueItem(DossierSummary):
    applicant_name: str = Field(
        description="Họ và tên người nộp (không kèm số định danh, địa chỉ: xem chi tiết hồ sơ)."
    )


class DossierPage(Schema):
    count: int = Field(description="Tổng số hồ sơ.")
    page: int = Field(description="Trang, từ 1.")
    page_size: int = Field(description="Số hồ sơ mỗi trang.")
    results: list[DossierSummary] = Field(description="Hồ sơ của trang, mới nộp trước.")


class QueuePage(Schema):
    count: int = Field(description="Tổng số hồ sơ khớp với bộ lọc.")
    page: int = Field(description="Trang, từ 1.")
    page_size: int = Field(description="Số hồ sơ mỗi trang.")
    results: list[QueueItem] = Field(
        description="Hồ sơ của trang, hẹn trả sớm trước; hồ sơ chưa có hẹn trả ở cuối."
    )


class PageFilters(Schema):
    page: int = Field(1, ge=1, description="Trang, từ 1.")
    page_size: int = Field(20, ge=1, le=100, description="Số hồ sơ mỗi trang, 1 đến 100.")


class QueueFilters(PageFilters):
    procedure: str = Field("", max_length=20, description="Mã thủ tục, ví dụ 1.001193.")
    status: DossierStatus | None = Field(None, description="Trạng thái hồ sơ.")
    due_within_days: int | None = Field(
        None,
        ge=0,
        le=60,
        description=(
            "Sắp đến hạn: hồ sơ chưa kết thúc, hẹn trả từ bây giờ đến hết số ngày làm việc này "
            "(theo lịch làm việc của cơ quan)."
        ),
    )
    overdue: bool = Field(False, description="Chỉ hồ sơ chưa kết thúc đã quá hạn hẹn trả.")

    @field_validator("status", "due_within_days", mode="before")
    @classmethod
    def _blank_is_no_filter(cls, value: Any) -> Any:
        # A form sends "status=" for "any status".
        return None if value == "" else value


class ApplicantOut(Schema):
    name: str = Field(description="Họ và tên người nộp.")
    id_number: str = Field(description="Số định danh cá nhân (CCCD), 12 chữ số.")
    phone: str = Field(description="Số điện thoại; chuỗi rỗng khi không có.")
    email: str = Field(description="Thư điện tử; chuỗi rỗng khi không có.")
    address: str = Field(description="Địa chỉ; chuỗi rỗng khi không có.")


class DossierEventOut(Schema):
    sequence: int = Field(description="Thứ tự sự kiện trong hồ sơ: 1, 2, …")
    action: Action = Field(description="Việc đã làm với hồ sơ.")
    label: str = Field(description="Tên việc, tiếng Việt.")
    at: datetime = Field(description="Thời điểm, giờ Việt Nam.")
    from_status: DossierStatus | None = Field(description="Trạng thái trước; null khi nộp.")
    status: DossierStatus = Field(description="Trạng thái sau việc này.")
    actor: str | None = Field(
        description="Người thực hiện; chỉ cán bộ thấy, null khi người xem là người nộp."
    )
    comment: str = Field(description="Ý kiến kèm theo.")
    data: dict[str, Any] = Field(
        description="Chi tiết: danh sách giấy tờ cần bổ sung, lý do từ chối, …"
    )


class DossierFileOut(Schema):
    component_position: int | None = Field(
        description="Thứ tự thành phần hồ sơ; null với tệp ngoài thành phần."
    )
    component_name: str | None = Field(description="Tên thành phần hồ sơ.")
    name: str = Field(description="Tên tệp gốc.")
    content_type: str = Field(description="Kiểu nội dung đã nhận diện từ nội dung tệp.")
    size: int = Field(description="Kích thước, byte.")
    sha256: str = Field(description="Mã băm SHA-256 của tệp.")


class DossierDetail(DossierSummary):
    viewer: Literal["applicant", "officer"] = Field(
        description="Người xem là người nộp (applicant) hay cán bộ được phép (officer)."
    )
    revision: int = Field(
        description="Phiên bản dữ liệu; gửi lại khi thao tác để tránh ghi đè lên người khác."
    )
    supplement_count: int = Field(description="Số lần đã yêu cầu bổ sung.")
    legal_basis: str = Field(description="Khung pháp lý về cơ chế một cửa áp dụng cho hồ sơ.")
    applicant: ApplicantOut = Field(
        description="Người nộp. Mỗi lần cán bộ xem đều được ghi nhật ký hệ thống."
    )
    form_data: dict[str, Any] = Field(description="Nội dung biểu mẫu điện tử.")
    events: list[DossierEventOut] = Field(description="Quá trình xử lý, cũ trước mới sau.")
    files: list[DossierFileOut] = Field(description="Các tệp đã nộp.")


def _summary(dossier: Dossier, now: datetime) -> dict[str, Any]:
    status = DossierStatus(dossier.status)
    return {
        "code": dossier.code,
        "status": status,
        "status_label": str(status.label),
        "national_status": NATIONAL_STATUS[status],
        "channel": dossier.channel,
        **_refs(dossier),
        "submitted_at": _local(dossier.submitted_at),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished_at": _local(dossier.finished_at),
        "overdue": is_overdue(dossier, now=now),
    }


def _page(dossiers: Any, filters: PageFilters) -> tuple[int, list[Dossier]]:
    start = (filters.page - 1) * filters.page_size
    return dossiers.count(), list(dossiers[start : start + filters.page_size])


@dossiers_router.get(
    "/mine",
    auth=django_auth,
    response={200: DossierPage, 400: ErrorOut, 401: ErrorOut},
    summary="Hồ sơ của tôi",
    url_name="dossiers_mine",
)
def mine(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    """List the signed-in user's own dossiers, newest first."""
    now = timezone.now()
    count, rows = _page(dossiers_of_applicant(user=request.user), filters)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_summary(dossier, now) for dossier in rows],
    }


@dossiers_router.get(
    "/queue",
    auth=django_auth,
    response={200: QueuePage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Hồ sơ cần xử lý của cán bộ",
    url_name="dossier_queue",
)
def queue(request: HttpRequest, filters: Query[QueueFilters]) -> dict[str, Any]:
    """List the dossiers of the agencies where the signed-in officer holds a role.

    Sorted by due moment, soonest first; dossiers not yet received (no due moment) last.
    Answers 403 `permission_denied` to a user without any role in an agency.
    """
    now = timezone.now()
    dossiers = officer_queue(
        user=request.user,
        procedure=filters.procedure or None,
        status=filters.status,
        due_within_days=filters.due_within_days,
        overdue=filters.overdue,
        now=now,
    )
    count, rows = _page(dossiers, filters)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            {**_summary(dossier, now), "applicant_name": dossier.applicant_name} for dossier in rows
        ],
    }


def _detail_body(dossier: Dossier, *, reader: str) -> dict[str, Any]:
    """Return what `GET /dossiers/{code}` shows of a dossier to ``reader``."""
    by_officer = reader == Reader.OFFICER
    return {
        **_summary(dossier, timezone.now()),
        "viewer": reader,
        "revision": dossier.revision,
        "supplement_count": dossier.supplement_count,
        "legal_basis": dossier.legal_basis,
        "applicant": {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "form_data": dossier.form_data if isinstance(dossier.form_data, dict) else {},
        "events": [
            {
                "sequence": event.sequence,
                "action": event.action,
                "label": str(Action(event.action).label),
                "at": _local(event.at),
                "from_status": event.from_status or None,
                "status": event.to_status,
                "actor": event.actor_label if by_officer else None,
                "comment": event.comment,
                "data": event.data if isinstance(event.data, dict) else {},
            }
            for event in dossier.events.all()
        ],
        "files": [
            {
                "component_position": item.component.position if item.component else None,
                "component_name": item.component.name if item.component else None,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
            }
            for item in dossier.files.all()
        ],
    }


@dossiers_router.get(
    "/{code}",
    auth=django_auth,
    response={200: DossierDetail, 401: ErrorOut, 404: ErrorOut},
    summary="Xem một hồ sơ",
    url_name="dossier_detail",
)
def detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """Show a dossier to its applicant or to an officer of an agency working on it.

    Includes the applicant's personal data; each officer's read is recorded in the audit
    log. Answers 404 `dossier_not_found` to anyone else, as for an unknown code.
    """
    read = dossier_get_for_reader(code=code, user=request.user)
    return _detail_body(read.dossier, reader=read.reader)


@dossiers_router.get(
    "/{code}/slips/receipt.pdf",
    auth=django_auth,
    response={401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)",
    url_name="dossier_receipt_slip",
    openapi_extra={
        "responses": {
            200: {
                "description": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả, PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def receipt_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Render the receipt and appointment slip for the applicant or an allowed officer.

    Answers 404 `dossier_not_found` to anyone else, and 409 `slip_not_available` before the
    dossier is received. An officer's download is recorded in the audit log, since the slip
    carries the applicant's name and address.
    """
    read = dossier_get_for_reader(code=code, user=request.user, purpose="receipt_slip")
    data = receipt_slip_data(
        read.dossier, tracking_base_url=request.build_absolute_uri(TRACKING_PATH)
    )
    response = HttpResponse(render_receipt(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{read.dossier.code}-phieu-tiep-nhan.pdf"'
    return response


# --- Acting on a dossier ---------------------------------------------------------------------

REVISION_HELP = (
    "Phiên bản hồ sơ (`revision`) người dùng đang xem; hồ sơ đã đổi từ đó thì trả 409 "
    "`dossier_conflict` và không thay đổi gì."
)

ACTION_RESPONSES: dict[int, Any] = {
    200: DossierDetail,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}


class ActionIn(Schema):
    expected_revision: int = Field(..., ge=1, description=REVISION_HELP)


class CommentIn(ActionIn):
    comment: str = Field("", max_length=2000, description="Ý kiến kèm theo, có thể để trống.")


class ReasonIn(ActionIn):
    reason: str = Field(..., max_length=2000, description="Lý do, bắt buộc.")


class MissingItemIn(Schema):
    name: str = Field(..., max_length=500, description="Giấy tờ cần bổ sung, hoàn thiện.")
    reason: str = Field(..., max_length=1000, description="Lý do cần bổ sung.")


class SupplementRequestIn(ActionIn):
    items: list[MissingItemIn] = Field(
        ..., description="Toàn bộ giấy tờ cần bổ sung: chỉ yêu cầu bổ sung một lần."
    )


class ApologyIn(ActionIn):
    reason: str = Field(..., max_length=2000, description="Lý do chậm trả kết quả.")
    new_due_at: datetime = Field(
        ...,
        description=(
            "Thời điểm hẹn trả mới, ISO 8601 có múi giờ (ví dụ `2026-11-30T16:00:00+07:00`), "
            "sau thời điểm hẹn trả hiện tại."
        ),
    )


class ReturnIn(ActionIn):
    method: str = Field(
        ...,
        description=(
            "Hình thức trả kết quả: `electronic` (điện tử), `desk` (tại Bộ phận Một cửa), "
            "`post` (qua bưu chính công ích)."
        ),
    )
    postal_tracking_number: str | None = Field(
        None, max_length=50, description="Số hiệu bưu gửi; bắt buộc khi trả qua bưu chính."
    )


def _reloaded(dossier: Dossier) -> Dossier:
    """Return the dossier fresh after an action, with what its detail shows (3 queries)."""
    events = DossierEvent.objects.select_related("actor").order_by("sequence")
    files = DossierFile.objects.select_related("component").order_by("id")
    reloaded: Dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .prefetch_related(Prefetch("events", queryset=events), Prefetch("files", queryset=files))
        .get(pk=dossier.pk)
    )
    return reloaded


def _act(
    request: HttpRequest, code: str, purpose: str, action: Callable[[Dossier, User], Any]
) -> dict[str, Any]:
    """Load the dossier as its reader, apply ``action`` and answer with the dossier's detail.

    Someone who may not read the dossier gets 404 before anything is tried; the service
    decides whether a reader may act (403 ``permission_denied``) and checks the revision.
    Read and action share one transaction, so that a refused action leaves no trace, not
    even the record of the officer's read.
    """
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - django_auth let only signed-in users through
    with transaction.atomic():
        read = dossier_get_for_reader(code=code, user=user, purpose=purpose)
        action(read.dossier, user)
    return _detail_body(_reloaded(read.dossier), reader=read.reader)


@dossiers_router.post(
    "/{code}/receive",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Tiếp nhận hồ sơ",
    url_name="dossier_receive",
)
def receive(request: HttpRequest, code: str, body: CommentIn) -> dict[str, Any]:
    """Receive a submitted dossier at the one-stop desk and set its due moment.

    For a one-stop officer of the receiving agency. Answers the dossier (`received`…
    `processing` at its first step); 403 `permission_denied` to another reader; 409
    `dossier_conflict` on a stale revision, `transition_not_allowed` when not waiting for intake.
    """
    return _act(
        request,
        code,
        "receive",
        lambda dossier, user: dossier_receive(
            dossier=dossier,
            actor=user,
            comment=body.comment,
            expected_revision=body.expected_revision,
        ),
    )


@dossiers_router.post(
    "/{code}/request-supplement",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Yêu cầu bổ sung, hoàn thiện hồ sơ",
    url_name="dossier_request_supplement",
)
def request_supplement(
    request: HttpRequest, code: str, body: SupplementRequestIn
) -> dict[str, Any]:
    """Ask the applicant, once, for everything missing; during processing the clock stops.

    At intake by a one-stop officer, during processing by the officer of the current step.
    Answers the dossier (`supplement_requested`); 400 `invalid_supplement_request` for an
    empty list or blank item; 409 `supplement_already_requested` the second time.
    """
    items = [item.model_dump() for item in body.items]
    return _act(
        request,
        code,
        "request_supplement",
        lambda dossier, user: dossier_request_supplement(
            dossier=dossier, items=items, actor=user, expected_revision=body.expected_revision
        ),
    )


@dossiers_router.post(
    "/{code}/refuse",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Từ chối tiếp nhận hồ sơ",
    url_name="dossier_refuse",
)
def refuse(request: HttpRequest, code: str, body: ReasonIn) -> dict[str, Any]:
    """Refuse a submitted dossier at intake, with the reason given to the applicant.

    For a one-stop officer of the receiving agency. Answers the dossier (`refused`); 400
    `refusal_reason_required` for a blank reason.
    """
    return _act(
        request,
        code,
        "refuse",
        lambda dossier, user: dossier_refuse(
            dossier=dossier,
            reason=body.reason,
            actor=user,
            expected_revision=body.expected_revision,
        ),
    )


@dossiers_router.post(
    "/{code}/complete-step",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Hoàn thành bước xử lý, chuyển bước tiếp theo",
    url_name="dossier_complete_step",
)
def complete_step(request: HttpRequest, code: str, body: CommentIn) -> dict[str, Any]:
    """Complete the current step and hand the dossier to the next one (or finish processing).

    For an officer holding the step's role in the step's agency. The step is recorded as
    early, on time or late. Answers the dossier (`processing`, or `result_ready` after the
    last step); 409 `result_required` when the leader approves before a result is attached.
    """
    return _act(
        request,
        code,
        "complete_step",
        lambda dossier, user: dossier_complete_step(
            dossier=dossier,
            comment=body.comment,
            actor=user,
            expected_revision=body.expected_revision,
        ),
    )


@dossiers_router.post(
    "/{code}/result",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Đính kèm kết quả giải quyết",
    url_name="dossier_attach_result",
)
def attach_result(
    request: HttpRequest,
    code: str,
    file: Annotated[UploadedFile, File(description="Tệp kết quả: PDF, JPEG hoặc PNG.")],
    expected_revision: int = Form(..., ge=1, description=REVISION_HELP),
) -> dict[str, Any]:
    """Attach the result file to a dossier being processed (multipart form).

    For the officer of the current step. Answers the dossier (still `processing`, one
    event more); 400 `invalid_supplement` naming the file when it is not accepted.
    """
    upload = SubmittedFile(position=None, name=file.name or "", stream=file, size=file.size or 0)
    return _act(
        request,
        code,
        "attach_result",
        lambda dossier, user: dossier_attach_result(
            dossier=dossier, upload=upload, actor=user, expected_revision=expected_revision
        ),
    )


@dossiers_router.post(
    "/{code}/apologize",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Xin lỗi và hẹn lại ngày trả kết quả",
    url_name="dossier_apologize",
)
def apologize(request: HttpRequest, code: str, body: ApologyIn) -> dict[str, Any]:
    """Apologize for a dossier that will be late and set its new appointment, once.

    Before the due moment, by the officer of the current step or a leader of the receiving
    agency. Answers the dossier with its new `due_at`; 400 `invalid_new_appointment`,
    `reason_required`; 409 `apology_already_made`, `apology_after_due`.
    """
    return _act(
        request,
        code,
        "apologize",
        lambda dossier, user: dossier_apologize(
            dossier=dossier,
            reason=body.reason,
            new_due_at=body.new_due_at,
            actor=user,
            expected_revision=body.expected_revision,
        ),
    )


@dossiers_router.post(
    "/{code}/stop",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Dừng giải quyết hồ sơ",
    url_name="dossier_stop",
)
def stop(request: HttpRequest, code: str, body: ReasonIn) -> dict[str, Any]:
    """Stop processing the dossier, with the reason, by a leader of the receiving agency.

    Answers the dossier (`stopped`); 400 `reason_required` for a blank reason.
    """
    return _act(
        request,
        code,
        "stop",
        lambda dossier, user: dossier_stop(
            dossier=dossier,
            reason=body.reason,
            actor=user,
            expected_revision=body.expected_revision,
        ),
    )


@dossiers_router.post(
    "/{code}/return",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Trả kết quả cho người nộp",
    url_name="dossier_return_result",
)
def return_result(request: HttpRequest, code: str, body: ReturnIn) -> dict[str, Any]:
    """Return the result electronically, at the desk or by post (with the tracking number).

    For a one-stop officer of the receiving agency. Answers the dossier (`returned`); 400
    `invalid_return_method`, `postal_tracking_number_required`.
    """
    return _act(
        request,
        code,
        "return_result",
        lambda dossier, user: dossier_return_result(
            dossier=dossier,
            method=body.method,
            postal_tracking_number=body.postal_tracking_number,
            actor=user,
            expected_revision=body.expected_revision,
        ),
    )


def _supplement_form(text: str | None) -> Any:
    """Return the new e-form of a supplement's ``payload``, or ``None`` to keep the old one."""
    if text is None or not text.strip():
        return None
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidJson(_("Trường payload phải là một đối tượng JSON."))
    return payload.get("form")


@dossiers_router.post(
    "/{code}/supplement",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Nộp bổ sung hồ sơ",
    url_name="dossier_submit_supplement",
)
def submit_supplement(
    request: HttpRequest,
    code: str,
    expected_revision: int = Form(..., ge=1, description=REVISION_HELP),
    payload: str | None = Form(
        None,
        description='JSON, khi sửa biểu mẫu: `{"form": {...}}` thay toàn bộ biểu mẫu điện tử.',
    ),
    component_1: Annotated[
        UploadedFile | None,
        File(
            description=(
                "Tệp bổ sung cho thành phần hồ sơ thứ 1; thành phần thứ n gửi trong trường "
                "`component_<n>`, như khi nộp hồ sơ."
            ),
        ),
    ] = None,
) -> dict[str, Any]:
    """Submit the supplement asked for, as the applicant (multipart form, like submission).

    Answers the dossier: `submitted` again when asked at intake, back to `processing` with
    its due moments moved by the stopped time when asked during processing. 400
    `invalid_supplement` naming every problem, `invalid_json` for a bad `payload`; 403
    `permission_denied` to an officer.
    """
    del component_1  # read with the other component_<n> fields from request.FILES
    form_data = _supplement_form(payload)
    files = _files(request)
    return _act(
        request,
        code,
        "submit_supplement",
        lambda dossier, user: dossier_submit_supplement(
            dossier=dossier,
            files=files,
            form_data=form_data,
            actor=user,
            expected_revision=expected_revision,
        ),
    )


@dossiers_router.post(
    "/{code}/withdraw",
    auth=django_auth,
    response=ACTION_RESPONSES,
    summary="Rút hồ sơ",
    url_name="dossier_withdraw",
)
def withdraw(request: HttpRequest, code: str, body: ReasonIn) -> dict[str, Any]:
    """Withdraw a dossier not yet decided, as its applicant, with the reason.

    Answers the dossier (`withdrawn`); 400 `reason_required`; 403 `permission_denied` to an
    officer; 409 `transition_not_allowed` once decided.
    """
    return _act(
        request,
        code,
        "withdraw",
        lambda dossier, user: dossier_withdraw(
            dossier=dossier,
            reason=body.reason,
            actor=user,
            expected_revision=body.expected_revision,
        ),
    )


# --- The other slips -------------------------------------------------------------------------


def _pdf_doc(description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


SLIP_RESPONSES: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _slip(
    request: HttpRequest,
    code: str,
    *,
    purpose: str,
    render: Callable[[Dossier, str], bytes],
    file_suffix: str,
) -> HttpResponse:
    """Answer a slip of the dossier as PDF for its applicant or an allowed officer.

    An officer's download is recorded as a read of the applicant's personal data with
    ``purpose``, as the receipt's.
    """
    read = dossier_get_for_reader(code=code, user=request.user, purpose=purpose)
    pdf = render(read.dossier, request.build_absolute_uri(TRACKING_PATH))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{read.dossier.code}-{file_suffix}.pdf"'
    return response


@dossiers_router.get(
    "/{code}/slips/supplement-request.pdf",
    auth=django_auth,
    response=SLIP_RESPONSES,
    summary="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (PDF)",
    url_name="dossier_supplement_request_slip",
    openapi_extra=_pdf_doc("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, PDF."),
)
def supplement_request_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Render the request to supplement: every missing item and its reason.

    Answers 404 `dossier_not_found` to anyone but the applicant and allowed officers, 409
    `slip_not_available` when no supplement was requested.
    """
    return _slip(
        request,
        code,
        purpose="supplement_request_slip",
        render=lambda dossier, base: render_supplement_request(
            supplement_request_slip_data(dossier, tracking_base_url=base)
        ),
        file_suffix="phieu-yeu-cau-bo-sung",
    )


@dossiers_router.get(
    "/{code}/slips/refusal.pdf",
    auth=django_auth,
    response=SLIP_RESPONSES,
    summary="Phiếu từ chối tiếp nhận giải quyết hồ sơ (PDF)",
    url_name="dossier_refusal_slip",
    openapi_extra=_pdf_doc("Phiếu từ chối tiếp nhận giải quyết hồ sơ, PDF."),
)
def refusal_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Render the refusal with its reason; 409 `slip_not_available` unless refused."""
    return _slip(
        request,
        code,
        purpose="refusal_slip",
        render=lambda dossier, base: render_refusal(
            refusal_slip_data(dossier, tracking_base_url=base)
        ),
        file_suffix="phieu-tu-choi",
    )


@dossiers_router.get(
    "/{code}/slips/apology.pdf",
    auth=django_auth,
    response=SLIP_RESPONSES,
    summary="Văn bản xin lỗi và hẹn lại ngày trả kết quả (PDF)",
    url_name="dossier_apology_slip",
    openapi_extra=_pdf_doc("Văn bản xin lỗi và hẹn lại ngày trả kết quả, PDF."),
)
def apology_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Render the apology with the reason and the new appointment.

    409 `slip_not_available` when the dossier has no apology.
    """
    return _slip(
        request,
        code,
        purpose="apology_slip",
        render=lambda dossier, base: render_apology(
            apology_slip_data(dossier, tracking_base_url=base)
        ),
        file_suffix="van-ban-xin-loi",
    )


@dossiers_router.get(
    "/{code}/slips/stop-notice.pdf",
    auth=django_auth,
    response=SLIP_RESPONSES,
    summary="Thông báo dừng giải quyết hồ sơ (PDF)",
    url_name="dossier_stop_notice_slip",
    openapi_extra=_pdf_doc("Thông báo dừng giải quyết hồ sơ, PDF."),
)
def stop_notice_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Render the notice of stopped processing; 409 `slip_not_available` unless stopped."""
    return _slip(
        request,
        code,
        purpose="stop_notice_slip",
        render=lambda dossier, base: render_stop_notice(
            stop_notice_slip_data(dossier, tracking_base_url=base)
        ),
        file_suffix="thong-bao-dung",
    )


@dossiers_router.get(
    "/{code}/slips/control-sheet.pdf",
    auth=django_auth,
    response=SLIP_RESPONSES,
    summary="Phiếu kiểm soát quá trình giải quyết hồ sơ (PDF)",
    url_name="dossier_control_sheet",
    openapi_extra=_pdf_doc("Phiếu kiểm soát quá trình giải quyết hồ sơ, PDF."),
)
def control_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """Render the control sheet: each hand-off between steps, with early / on time / late.

    409 `slip_not_available` before the dossier is received.
    """
    return _slip(
        request,
        code,
        purpose="control_sheet",
        render=lambda dossier, base: render_control_sheet(
            control_sheet_data(dossier, steps=step_records(dossier), tracking_base_url=base)
        ),
        file_suffix="phieu-kiem-soat",
    )
