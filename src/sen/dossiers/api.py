"""HTTP API of dossiers: submission (``/api/v1/dossiers``) and public tracking
(``/api/v1/tracking``). Handlers parse, call one service or selector, and answer."""

import json
import re
from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Router, Schema, UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from sen.core.models import User
from sen.dossiers.errors import InvalidDossier, InvalidJson
from sen.dossiers.models import Dossier
from sen.dossiers.selectors import dossier_for_tracking
from sen.dossiers.services import SubmittedFile, dossier_submit
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
