"""Acting on a dossier: ``POST /api/v1/dossiers/{code}/<action>``.

Every action endpoint is registered from a row of ``ACTIONS``: the path, the service it
calls, what it reads, its summary and description, and the errors of its own. Each one
loads the dossier as its reader, calls its service with the fields it read and answers with
the dossier's detail, as ``GET /dossiers/{code}`` shows it.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Schema, UploadedFile
from pydantic import WithJsonSchema

from sen.apiforms import Form
from sen.core.errors import StorageUnavailable
from sen.core.requests import request_user
from sen.dossiers.api.bodies import detail_body, reloaded
from sen.dossiers.api.routers import dossiers_router
from sen.dossiers.api.schemas import (
    ActionForm,
    ApologyIn,
    CommentIn,
    DossierDetail,
    GenerateResultIn,
    ReasonIn,
    RemoveResultIn,
    ReturnIn,
    StopIn,
    SupplementIn,
    SupplementRequestIn,
)
from sen.dossiers.api.uploads import (
    A_FILE,
    COMPONENT_FILES,
    MAX_JSON_DEPTH,
    REQUESTED_FILES,
    component_files,
    file_types,
    json_object,
    unknown_keys,
)
from sen.dossiers.errors import (
    ApologyAlreadyMade,
    ApologyTooLate,
    ElectronicReturnWithoutAccount,
    InvalidDossier,
    InvalidJson,
    InvalidNewAppointment,
    InvalidResult,
    InvalidReturnMethod,
    InvalidSupplement,
    InvalidSupplementRequest,
    NoPreviousStep,
    ReasonRequired,
    RefusalReasonRequired,
    ResultAlreadyAttached,
    ResultApproved,
    ResultNotAttached,
    ResultRequired,
    SupplementAlreadyRequested,
    TrackingNumberRequired,
)
from sen.dossiers.selectors import dossier_get_for_reader
from sen.dossiers.services import (
    ACCEPTED_KINDS,
    MAX_POSTPONEMENT,
    MAX_SUPPLEMENT_ITEMS,
    RESULT_KINDS,
    SubmittedFile,
    dossier_apologize,
    dossier_attach_result,
    dossier_complete_step,
    dossier_generate_result,
    dossier_receive,
    dossier_refuse,
    dossier_remove_result,
    dossier_request_supplement,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_submit_supplement,
    dossier_withdraw,
)
from sen.errors import DomainError
from sen.schemas import ErrorOut

ACTION_RESPONSES: dict[int, Any] = {
    200: DossierDetail,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
}

COMMON_ERRORS = (
    "Errors of every action: 400 `invalid_input` for a body that does not validate, a value "
    'of another JSON type than the schema\'s included (`"2"` or `true` for an integer), '
    "a form field sent twice or one the form does not list (a file sent without its file "
    "name is one), `invalid_json` for a body that is not JSON or names a key "
    "twice in one object; 401 `not_authenticated`; 404 `dossier_not_found` to anyone who "
    "may not read the dossier, as for an unknown code; 403 `permission_denied` to a reader "
    "who may not take this action; 409 `dossier_conflict` when `expected_revision` is not "
    "the dossier's revision, `transition_not_allowed` when the dossier's state does not "
    "allow the action; 415 `unsupported_media_type` for a body not sent as "
    "`application/json` (as `multipart/form-data` for an action with a file); 413 "
    "`request_too_large` for a body over the limit. A refused action changes nothing."
)


# The actions that store a file (an upload, a drafted document) can find the storage full.
STORAGE_FULL = (
    StorageUnavailable,
    "the file storage refuses to write; nothing is recorded: send the same request again later",
)


@dataclass(frozen=True)
class Upload:
    """The file field of a multipart action, as the API document shows it."""

    field: str
    description: str
    required: bool
    kinds: tuple[str, ...] = ACCEPTED_KINDS
    # The patterns of the other file fields it takes (``file_types``).
    named: tuple[str, ...] = ()


def _body_fields(body: Schema, request: HttpRequest) -> dict[str, Any]:
    """Pass the body's fields to the service as they are named."""
    return body.model_dump()


@dataclass(frozen=True)
class ActionEndpoint:
    """One action endpoint.

    ``name`` makes its operation id (``sen_dossiers_api_<name>``), its URL name
    (``dossier_<name>``) and the purpose recorded when an officer reads the dossier to act.
    ``service`` is called with ``dossier``, ``actor`` and what ``arguments`` makes of the
    body read with ``input`` (by default its fields, named as the service's arguments).
    With an ``upload``, the action reads a multipart form instead of JSON. ``errors`` are
    the action's own errors with when each is answered, beyond ``COMMON_ERRORS``; their
    statuses join ``ACTION_RESPONSES`` in the document.
    """

    name: str
    path: str
    service: Callable[..., object]
    input: type[Schema]
    summary: str
    description: str
    errors: tuple[tuple[type[DomainError], str], ...] = ()
    arguments: Callable[[Any, HttpRequest], dict[str, Any]] = _body_fields
    upload: Upload | None = None


def _result_file(body: ActionForm, request: HttpRequest) -> dict[str, Any]:
    # A file under another name (an annex beside the result) would be dropped without a word.
    strays = [name for name in request.FILES if name != "file"]
    if strays:
        message = _("Kết quả được gửi trong trường tệp file; trường này không được đọc.")
        details = [{"field": name, "message": message} for name in strays]
        raise InvalidResult(_("Tệp kết quả không hợp lệ."), details=details)
    files = request.FILES.getlist("file")  # one at least: django-ninja answered 400 without
    if len(files) > 1:
        # One result per call: a second would otherwise be dropped without a word.
        message = _("Mỗi lần đính kèm một tệp kết quả; lần này có %(count)s tệp.") % {
            "count": len(files)
        }
        raise InvalidResult(message, details=[{"field": "file", "message": message}])
    upload = SubmittedFile.of(files[0], position=None)
    return {"upload": upload, "expected_revision": body.expected_revision}


def _supplement(body: SupplementIn, request: HttpRequest) -> dict[str, Any]:
    # A blank payload keeps the e-form; a payload replaces it with its "form".
    text = body.payload
    form_data = None
    if text is not None and text.strip():
        payload = json_object(text)
        if problems := unknown_keys(payload, ("form",)):
            raise InvalidSupplement(_("Hồ sơ bổ sung không hợp lệ."), details=problems)
        form_data = payload.get("form")
    return {
        "form_data": form_data,
        "files": component_files(request, requested=True),
        "expected_revision": body.expected_revision,
    }


ACTIONS = (
    ActionEndpoint(
        name="receive",
        path="/{code}/receive",
        service=dossier_receive,
        input=CommentIn,
        summary="Tiếp nhận hồ sơ",
        description=(
            "Receive a submitted dossier at the one-stop desk and set its due moment.\n\n"
            "For a one-stop officer of the receiving agency. Answers the dossier (`received`… "
            "`processing` at its first step)."
        ),
    ),
    ActionEndpoint(
        name="request_supplement",
        path="/{code}/request-supplement",
        service=dossier_request_supplement,
        input=SupplementRequestIn,
        summary="Yêu cầu bổ sung, hoàn thiện hồ sơ",
        description=(
            "Ask the applicant, once, for everything missing; during processing the clock "
            "stops.\n\nAt intake by a one-stop officer, during processing by the officer of "
            "the current step. Answers the dossier (`supplement_requested`)."
        ),
        errors=(
            (
                InvalidSupplementRequest,
                f"the list is empty or longer than {MAX_SUPPLEMENT_ITEMS}, or an item is blank",
            ),
            (SupplementAlreadyRequested, "a supplement was already requested"),
            (ResultAlreadyAttached, "a result is attached: the dossier is decided"),
        ),
    ),
    ActionEndpoint(
        name="refuse",
        path="/{code}/refuse",
        service=dossier_refuse,
        input=ReasonIn,
        summary="Từ chối tiếp nhận hồ sơ",
        description=(
            "Refuse a submitted dossier at intake, with the reason given to the applicant.\n\n"
            "For a one-stop officer of the receiving agency. Answers the dossier (`refused`)."
        ),
        errors=((RefusalReasonRequired, "the reason is blank"),),
    ),
    ActionEndpoint(
        name="complete_step",
        path="/{code}/complete-step",
        service=dossier_complete_step,
        input=CommentIn,
        summary="Hoàn thành bước xử lý, chuyển bước tiếp theo",
        description=(
            "Complete the current step and hand the dossier to the next one (or finish "
            "processing).\n\nFor an officer holding the step's role in the step's agency. The "
            "step is recorded as early, on time or late. Answers the dossier (`processing`, or "
            "`result_ready` after the last step)."
        ),
        errors=((ResultRequired, "the leader approves before a result is attached"),),
    ),
    ActionEndpoint(
        name="send_back",
        path="/{code}/send-back",
        service=dossier_send_back,
        input=ReasonIn,
        summary="Trả lại bước trước",
        description=(
            "Send the dossier back to the step before its current one, with the reason (a "
            "leader who will not approve it as it stands, a specialist who needs the desk "
            "again).\n\nFor an officer holding the current step's role in its agency. The "
            "current step is recorded as handed on (early, on time or late); the step before "
            "starts again with its own time; the dossier's due moment does not move. Answers "
            "the dossier (still `processing`)."
        ),
        errors=(
            (ReasonRequired, "the reason is blank"),
            (NoPreviousStep, "the dossier is at the procedure's first step"),
        ),
    ),
    ActionEndpoint(
        name="attach_result",
        path="/{code}/result",
        service=dossier_attach_result,
        input=ActionForm,
        summary="Đính kèm kết quả giải quyết",
        description=(
            "Attach the result file to a dossier being processed (multipart form).\n\n"
            "For the officer of the current step. Answers the dossier (still `processing`, "
            "one event more)."
        ),
        errors=(
            (InvalidResult, "the file is not accepted, or more than one was sent; `details` says"),
            (ResultApproved, "the leader approved the result: it is no longer changed"),
            STORAGE_FULL,
        ),
        arguments=_result_file,
        upload=Upload(
            "file",
            "Tệp kết quả: PDF, JPEG hoặc PNG; một tệp mỗi lần.",
            required=True,
            kinds=RESULT_KINDS,
        ),
    ),
    ActionEndpoint(
        name="generate_result",
        path="/{code}/generate-result",
        service=dossier_generate_result,
        input=GenerateResultIn,
        summary="Soạn văn bản kết quả giải quyết",
        description=(
            "Draft the result document in Sen instead of attaching a file: Sen lays out the "
            "title and text as an administrative document (Nghị định 30/2020/NĐ-CP) in the "
            "name of the agency of the current step, dated now, with the dossier's code and "
            "QR code, and attaches the PDF as the dossier's result.\n\nFor the officer of the "
            "current step, as `result`. The leader approves it at their step. Answers the "
            "dossier (still `processing`, one result more); the PDF is "
            "`GET /dossiers/{code}/results/{number}`."
        ),
        errors=(
            (
                InvalidResult,
                "the title or the text is blank, the signer's title has more than four lines, "
                "or a field holds a character the document's font cannot print (an emoji, a "
                "control character); `details` names each. A field over its length is 400 "
                "`invalid_input`",
            ),
            (ResultApproved, "the leader approved the result: it is no longer changed"),
            STORAGE_FULL,
        ),
    ),
    ActionEndpoint(
        name="remove_result",
        path="/{code}/remove-result",
        service=dossier_remove_result,
        input=RemoveResultIn,
        summary="Gỡ kết quả đã đính kèm",
        description=(
            "Remove a result attached by mistake (the wrong file, another applicant's paper), "
            "with the reason, while the dossier is being processed.\n\nFor the officer of "
            "the current step. The history keeps the attachment and the removal with the "
            "file's name and SHA-256; the file is deleted. Answers the dossier (still "
            "`processing`, without that result)."
        ),
        errors=(
            (ResultNotAttached, "the dossier has no result of that number"),
            (ReasonRequired, "the reason is blank"),
            (ResultApproved, "the leader approved the result: it is the applicant's"),
        ),
    ),
    ActionEndpoint(
        name="apologize",
        path="/{code}/apologize",
        service=dossier_apologize,
        input=ApologyIn,
        summary="Xin lỗi và hẹn lại ngày trả kết quả",
        description=(
            "Apologize for a dossier that will be late and set its new appointment, once.\n\n"
            "At the latest the day before the due day (Vietnam time), by the officer of the "
            "current step or a leader of the receiving agency. Answers the dossier with its new "
            "`due_at`."
        ),
        errors=(
            (
                InvalidNewAppointment,
                "the new appointment is not after the current one, or more than "
                f"{MAX_POSTPONEMENT.days} days after it",
            ),
            (ReasonRequired, "the reason is blank"),
            (ApologyAlreadyMade, "the dossier already has an apology"),
            (ApologyTooLate, "the due day has come: the letter goes out the day before at latest"),
        ),
    ),
    ActionEndpoint(
        name="stop",
        path="/{code}/stop",
        service=dossier_stop,
        input=StopIn,
        summary="Dừng giải quyết hồ sơ",
        description=(
            "Stop processing the dossier, with the reason, by a leader of the receiving "
            "agency.\n\nAnswers the dossier (`stopped`)."
        ),
        errors=((ReasonRequired, "the reason is blank"),),
    ),
    ActionEndpoint(
        name="return_result",
        path="/{code}/return",
        service=dossier_return_result,
        input=ReturnIn,
        summary="Trả kết quả cho người nộp",
        description=(
            "Return the result electronically, at the desk or by post (with the tracking "
            "number).\n\nFor a one-stop officer of the receiving agency. Answers the dossier "
            "(`returned`)."
        ),
        errors=(
            (InvalidReturnMethod, "the method is not `electronic`, `desk` or `post`"),
            (TrackingNumberRequired, "by post without the postal tracking number"),
            (
                ElectronicReturnWithoutAccount,
                "electronically to an applicant without an account (a dossier entered at the "
                "desk or by post)",
            ),
        ),
    ),
    ActionEndpoint(
        name="submit_supplement",
        path="/{code}/supplement",
        service=dossier_submit_supplement,
        input=SupplementIn,
        summary="Nộp bổ sung hồ sơ",
        description=(
            "Submit the supplement asked for (multipart form, like submission), as the "
            "applicant, or as a one-stop officer of the receiving agency taking in the papers "
            "the applicant brought to the desk or sent by post.\n\nAnswers the dossier: "
            "`submitted` again when asked at intake, back to `processing` with its due moments "
            "moved by the stopped time when asked during processing. Another officer gets 403 "
            "`permission_denied`, and so does the desk sending a `form` for a dossier sent from "
            "an account: its holder alone corrects what they declared. The event of a "
            "corrected form names the answers it changed (`data.form_changed`) and keeps what "
            "they said before (`data.form_before`)."
        ),
        errors=(
            (InvalidSupplement, "a file or the e-form fails a check; `details` names each"),
            (InvalidJson, f"`payload` is not a JSON object or nests over {MAX_JSON_DEPTH} levels"),
            (InvalidDossier, "a file field is not named `component_<n>` or `requested_<n>`"),
            STORAGE_FULL,
        ),
        arguments=_supplement,
        upload=Upload(
            "requested_1",
            "Tệp cho giấy tờ thứ 1 mà yêu cầu bổ sung nêu (`data.items` của sự kiện "
            "`request_supplement`); giấy tờ thứ n gửi trong trường `requested_<n>`, được xếp vào "
            "thành phần hồ sơ cùng tên nếu có. Tệp cho thành phần hồ sơ thứ n cũng gửi được "
            "trong trường `component_<n>`, như khi nộp hồ sơ.",
            required=False,
            named=(REQUESTED_FILES, COMPONENT_FILES),
        ),
    ),
    ActionEndpoint(
        name="withdraw",
        path="/{code}/withdraw",
        service=dossier_withdraw,
        input=ReasonIn,
        summary="Rút hồ sơ",
        description=(
            "Withdraw a dossier not yet decided, as its applicant, with the reason. For an "
            "applicant without an account (a dossier entered at the desk or by post), a "
            "one-stop officer of the receiving agency records their written request.\n\n"
            "Answers the dossier (`withdrawn`); once decided, 409 `transition_not_allowed`, or "
            "409 `result_approved` while a step after the leader's approval still holds it. "
            "Any other officer gets 403 `permission_denied`."
        ),
        errors=(
            (ReasonRequired, "the reason is blank"),
            (ResultApproved, "the leader approved the result: the dossier is decided"),
        ),
    ),
)


def _description(action: ActionEndpoint) -> str:
    parts = [action.description]
    if action.errors:
        lines = [f"- {error.status} `{error.code}`: {when}." for error, when in action.errors]
        parts.append("Errors of this action:\n\n" + "\n".join(lines))
    parts.append(COMMON_ERRORS)
    return "\n\n".join(parts)


def _act(request: HttpRequest, code: str, action: ActionEndpoint, arguments: dict[str, Any]) -> Any:
    """Load the dossier as its reader, call the action's service and answer its detail.

    Someone who may not read the dossier gets 404 before anything is tried; the service
    decides whether a reader may act (403 ``permission_denied``) and checks the revision.
    Read and action share one transaction, so that a refused action leaves no trace, not
    even the record of the officer's read.
    """
    user = request_user(request)
    with transaction.atomic():
        read = dossier_get_for_reader(code=code, user=user, purpose=action.name)
        action.service(dossier=read.dossier, actor=user, **arguments)
    return detail_body(reloaded(read.dossier, reader=read.reader), reader=read.reader, user=user)


def _handler(action: ActionEndpoint) -> Callable[..., dict[str, Any]]:
    """Return the view of ``action``, with the signature django-ninja reads its inputs from."""

    def handler(request: HttpRequest, code: str, body: Schema, **uploads: Any) -> dict[str, Any]:
        # The uploads are read again from request.FILES by ``arguments``: declaring them only
        # makes the API document show the multipart form.
        del uploads
        return _act(request, code, action, action.arguments(body, request))

    parameter = inspect.Parameter
    parameters = [
        parameter("request", parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
        parameter("code", parameter.POSITIONAL_OR_KEYWORD, annotation=str),
        parameter(
            "body",
            parameter.POSITIONAL_OR_KEYWORD,
            # A multipart action reads its schema's fields from the form (sen.apiforms).
            annotation=Annotated[action.input, Form(...)] if action.upload else action.input,
        ),
    ]
    if action.upload is not None:
        upload = action.upload
        parameters.append(
            parameter(
                upload.field,
                parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    UploadedFile if upload.required else UploadedFile | None,
                    WithJsonSchema(A_FILE),
                    # The default here: beside WithJsonSchema, the parameter's is not read.
                    File(... if upload.required else None, description=upload.description),
                ],
                **({} if upload.required else {"default": None}),
            )
        )
    handler.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters, return_annotation=dict[str, Any]
    )
    handler.__name__ = handler.__qualname__ = action.name
    return handler


def register_actions() -> None:
    """Add every action endpoint of ``ACTIONS`` to the dossiers router."""
    for action in ACTIONS:
        dossiers_router.post(
            action.path,
            response={**ACTION_RESPONSES, **{e.status: ErrorOut for e, _when in action.errors}},
            summary=action.summary,
            description=_description(action),
            url_name=f"dossier_{action.name}",
            operation_id=f"sen_dossiers_api_{action.name}",
            openapi_extra=(
                file_types(action.upload.field, action.upload.kinds, named=action.upload.named)
                if action.upload
                else None
            ),
        )(_handler(action))
