"""Submitting a dossier online: ``POST /api/v1/dossiers``."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Header, UploadedFile
from ninja.responses import Status
from pydantic import WithJsonSchema

from sen.apiforms import Form
from sen.core.requests import request_user
from sen.dossiers.api.bodies import local, refs
from sen.dossiers.api.routers import dossiers_router
from sen.dossiers.api.schemas import DossierSubmitted
from sen.dossiers.api.uploads import (
    A_FILE,
    COMPONENT_FILES,
    component_files,
    file_types,
    json_object,
    unknown_keys,
)
from sen.dossiers.errors import InvalidDossier
from sen.dossiers.links import public_url
from sen.dossiers.services import ACCEPTED_KINDS, dossier_submit
from sen.dossiers.services.submission import MAX_IDEMPOTENCY_KEY
from sen.dossiers.states import NATIONAL_CHANNEL, NATIONAL_STATUS, Channel, DossierStatus
from sen.schemas import ErrorOut

# What the submission's payload holds; any other key is refused.
PAYLOAD_FIELDS = ("procedure", "agency", "applicant", "form", "result_delivery")


def _payload(text: str) -> dict[str, Any]:
    payload = json_object(text)
    problems = []
    if not isinstance(payload.get("procedure"), str):
        problems.append({"field": "procedure", "message": _("Hãy ghi mã thủ tục.")})
    if not isinstance(payload.get("agency", ""), str | None):
        problems.append({"field": "agency", "message": _("Phải là mã cơ quan.")})
    if not isinstance(payload.get("applicant"), dict):
        problems.append({"field": "applicant", "message": _("Hãy ghi thông tin người nộp.")})
    if not isinstance(payload.get("result_delivery", ""), str | None):
        problems.append(
            {"field": "result_delivery", "message": _("Phải là electronic, desk hoặc post.")}
        )
    problems += unknown_keys(payload, PAYLOAD_FIELDS)
    if problems:
        raise InvalidDossier(_("Hồ sơ không hợp lệ."), details=problems)
    return payload


@dossiers_router.post(
    "",
    response={
        200: DossierSubmitted,
        201: DossierSubmitted,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        503: ErrorOut,
    },
    summary="Nộp hồ sơ trực tuyến",
    url_name="dossier_submit",
    operation_id="sen_dossiers_api_submit",
    # Office documents too where the procedure accepts them (see the description).
    openapi_extra=file_types("component_1", ACCEPTED_KINDS, named=[COMPONENT_FILES]),
)
def submit(
    request: HttpRequest,
    payload: Annotated[
        str,
        WithJsonSchema({"type": "string", "minLength": 1, "contentMediaType": "application/json"}),
        Form(
            ...,
            description=(
                'JSON: `{"procedure": "1.001193", "agency": "000.00.01.H37" (khi thủ tục có '
                'nhiều cơ quan thực hiện), "applicant": {"name", "id_number", "phone", "email", '
                '"address"}, "form": {...}, "result_delivery": "electronic" | "desk" | "post" '
                "(cách nhận kết quả; mặc định electronic)}`. Các mã `agency` nhận được: "
                "`GET /api/v1/dossiers/receiving-agencies?procedure=…`. Khóa khác bị từ chối "
                "(400, từng khóa một lỗi)."
            ),
        ),
    ],
    component_1: Annotated[
        UploadedFile | None,
        WithJsonSchema(A_FILE),
        File(
            None,
            description=(
                "Tệp của thành phần hồ sơ thứ 1; thành phần thứ n gửi trong trường "
                "`component_<n>`, mỗi trường có thể lặp lại để gửi nhiều tệp."
            ),
        ),
    ] = None,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        # Refused here, before the payload is read, as every bound of the API's input is.
        max_length=MAX_IDEMPOTENCY_KEY,
        description=(
            "Khóa chống gửi trùng, tối đa 255 ký tự (dài hơn: 400 `invalid_input`): gửi lại "
            "cùng khóa, cùng nội dung trả về hồ sơ đã tạo (200), ở trạng thái hiện giờ của nó."
        ),
    ),
) -> Status[dict[str, Any]]:
    """Submit a dossier for a procedure, as the signed-in citizen (multipart form).

    Each document component's files go in fields named `component_<position>` (1, 2, …, in
    the order of the procedure's components): PDF, JPEG or PNG, and Word, Excel or
    OpenDocument where the procedure accepts Office documents (`accepts_office_documents` in
    `GET /api/v1/procedures/{code}`); at most 10 MB each and 50 MB in all. Answers 201 with
    the new dossier; 200 with the same dossier for a retry with the same `Idempotency-Key`,
    in the status it has now (received, processing…), which is not always `submitted`;
    400 `invalid_dossier` listing every problem, each file refused by name; 400
    `invalid_input` for a form field sent twice (`payload`) or one the form does not list
    (`extra_forbidden`; a file sent without its file name is one); 400
    `invalid_json` when `payload` is not a JSON object, nests deeper than 32 levels or
    names a key twice in one object; 401 `not_authenticated` without a session; 403
    `csrf_failed` with a session, when the CSRF token is missing or wrong; 404
    `procedure_not_found`; 413 `request_too_large` when the form's fields other than files
    (`payload`) hold more than 2.5 MB; 415 `unsupported_media_type` for a body that is not
    `multipart/form-data`; 422 `idempotency_key_reused` when the key was used for a
    different request; 503 `storage_unavailable` when the file storage refuses to write
    (nothing is recorded: send the same request again later).
    """
    # Every component_<n> field is read from request.FILES; component_1 is declared only so
    # that the API document shows a multipart form.
    del component_1
    data = _payload(payload)
    files = component_files(request)
    user = request_user(request)
    result = dossier_submit(
        procedure_code=data["procedure"],
        channel=Channel.ONLINE,
        applicant=user,
        applicant_details=data["applicant"],
        form_data=data.get("form", {}),
        files=files,
        agency_code=data.get("agency") or None,
        result_delivery=data.get("result_delivery") or None,
        idempotency_key=idempotency_key,
        actor=user,
    )
    dossier = result.dossier
    # On the public address, as slips and emails give it: the host this request came
    # through may be an internal name or a proxy's.
    tracking = public_url(reverse("api-v1:dossier_tracking", kwargs={"code": dossier.code}))
    body = {
        "code": dossier.code,
        "status": dossier.status,
        "national_status": NATIONAL_STATUS[DossierStatus(dossier.status)],
        "national_channel": NATIONAL_CHANNEL[Channel(dossier.channel)],
        **refs(dossier),
        "submitted_at": local(dossier.submitted_at),
        "tracking_url": tracking,
    }
    return Status(201 if result.created else 200, body)
