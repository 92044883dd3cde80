"""Writes of the dossiers app: submission and intake at the one-stop desk.

Every write is one transaction holding the dossier's new event, its projection on the
dossier row and the audit entry. A transition locks the dossier row
(``select_for_update``) and compares the caller's ``expected_revision`` with the
dossier's, so of two officers acting at once one wins and the other gets
``DossierConflict`` with nothing applied. The revision is bumped by every transition
and equals the sequence number of the dossier's last event.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from sen.catalog.models import DocumentComponent, OnlineLevel, Procedure
from sen.catalog.selectors import procedure_get
from sen.core.errors import NotAllowed
from sen.core.filetypes import CONTENT_TYPES, detect_kind
from sen.core.models import Agency, AgencyKind, Role, User
from sen.core.selectors import officer_has_role
from sen.core.services import audit_record
from sen.dossiers.codes import dossier_code, local_day
from sen.dossiers.errors import (
    DossierConflict,
    IdempotencyKeyReused,
    InvalidDossier,
    InvalidSupplementRequest,
    RefusalReasonRequired,
    SupplementAlreadyRequested,
)
from sen.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    DossierFile,
    IdempotencyKey,
    id_number_validator,
    phone_validator,
)
from sen.dossiers.states import Action, Channel, DossierStatus, next_status
from sen.workdays.services import due_moment

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
# What a citizen may attach: scans and photos of papers. Office formats come later,
# behind a per-procedure rule.
ACCEPTED_KINDS = ("pdf", "jpg", "png")
MAX_IDEMPOTENCY_KEY = 255
APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")


@dataclass(frozen=True)
class SubmittedFile:
    """A file as it reaches the submission service.

    ``position`` is the position of the document component it is for (``component_<n>``
    in the API), or ``None`` for a file beyond the components. ``size`` is what the
    upload declared; the service never reads more than the limit from ``stream``.
    """

    position: int | None
    name: str
    stream: IO[bytes]
    size: int


@dataclass(frozen=True)
class SubmitResult:
    """The dossier a submission made, or found again for a retried ``Idempotency-Key``."""

    dossier: Dossier
    created: bool


@dataclass(frozen=True)
class _ReadFile:
    position: int | None
    name: str
    content: bytes
    sha256: str
    kind: str

    @property
    def field(self) -> str:
        return f"component_{self.position}" if self.position is not None else "extra"


class _Problems:
    """Every problem found, so that the answer names each at once."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": str(message)})

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidDossier(_("Hồ sơ không hợp lệ."), details=self.items)


# --- Submission ------------------------------------------------------------------------------


def dossier_submit(
    *,
    procedure_code: str,
    channel: str,
    applicant: User | None,
    applicant_details: Mapping[str, Any],
    form_data: Any,
    files: Sequence[SubmittedFile],
    agency_code: str | None = None,
    idempotency_key: str | None = None,
    actor: User | None,
) -> SubmitResult:
    """Check a submission and create its dossier; return it with ``created=True``.

    Raise ``ProcedureNotFound`` for an unknown procedure code and ``InvalidDossier``
    listing every problem with the channel, the receiving agency, the e-form, the
    applicant's details and the files. With an ``idempotency_key`` already used by
    ``actor`` for the same request, return the first dossier with ``created=False``;
    for a different request raise ``IdempotencyKeyReused``. A failed submission leaves
    nothing behind: no dossier, no event, no stored file, no number drawn.
    """
    problems = _Problems()
    read = _read_files(files, problems)
    key = (idempotency_key or "").strip() or None
    fingerprint = _fingerprint(
        procedure_code=procedure_code,
        channel=channel,
        agency_code=agency_code,
        applicant_details=applicant_details,
        form_data=form_data,
        files=read,
    )
    if key is not None:
        if len(key) > MAX_IDEMPOTENCY_KEY:
            problems.add("Idempotency-Key", _("Khóa chống gửi trùng dài quá 255 ký tự."))
        else:
            earlier = _earlier_submission(actor=actor, key=key, fingerprint=fingerprint)
            if earlier is not None:
                return earlier

    procedure = procedure_get(code=procedure_code)
    _check_channel(channel, procedure, problems)
    agency = _receiving_agency(procedure, agency_code, problems)
    _check_form(procedure, form_data, problems)
    details = _check_applicant(applicant_details, problems)
    components = _check_components(procedure, read, problems)
    problems.raise_if_any()
    if agency is None:  # never: a missing agency is always one of the problems above
        raise InvalidDossier(_("Hồ sơ không hợp lệ."))

    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier = _create(
                procedure=procedure,
                agency=agency,
                channel=Channel(channel),
                applicant=applicant,
                details=details,
                form_data=form_data,
                files=read,
                components=components,
                actor=actor,
                stored=stored,
            )
            if key is not None:
                IdempotencyKey.objects.create(
                    user=actor, key=key, fingerprint=fingerprint, dossier=dossier
                )
    except BaseException as error:
        # The rows are rolled back; the files in storage must go too.
        for name in stored:
            default_storage.delete(name)
        if key is not None and isinstance(error, IntegrityError):
            # The same request, retried while the first was still being written.
            earlier = _earlier_submission(actor=actor, key=key, fingerprint=fingerprint)
            if earlier is not None:
                return earlier
        raise
    return SubmitResult(dossier=dossier, created=True)


def _read_files(files: Iterable[SubmittedFile], problems: _Problems) -> list[_ReadFile]:
    """Read each file no further than the limit, with its SHA-256 and detected kind."""
    read: list[_ReadFile] = []
    total = 0
    for item in files:
        field = f"component_{item.position}" if item.position is not None else "extra"
        name = item.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        if item.size > MAX_FILE_BYTES:
            problems.add(field, _("Tệp “%(name)s” lớn hơn 10 MB.") % {"name": name})
            total += item.size
            continue
        content = item.stream.read(MAX_FILE_BYTES + 1)
        total += len(content)
        if len(content) > MAX_FILE_BYTES:
            problems.add(field, _("Tệp “%(name)s” lớn hơn 10 MB.") % {"name": name})
            continue
        if not content:
            problems.add(field, _("Tệp “%(name)s” rỗng.") % {"name": name})
            continue
        kind = detect_kind(content)
        if kind is None or kind not in ACCEPTED_KINDS:
            message = _("Tệp “%(name)s” không phải PDF, JPEG hoặc PNG.") % {"name": name}
            problems.add(field, message)
            continue
        digest = hashlib.sha256(content).hexdigest()
        read.append(_ReadFile(item.position, name, content, digest, kind))
    if total > MAX_TOTAL_BYTES:
        problems.add("files", _("Tổng dung lượng các tệp lớn hơn 50 MB."))
    return read


def _fingerprint(
    *,
    procedure_code: str,
    channel: str,
    agency_code: str | None,
    applicant_details: Mapping[str, Any],
    form_data: Any,
    files: Iterable[_ReadFile],
) -> str:
    """Return the SHA-256 of the request in a canonical form."""
    canonical = {
        "procedure": procedure_code,
        "channel": channel,
        "agency": agency_code,
        "applicant": dict(applicant_details),
        "form": form_data,
        "files": sorted([item.position or 0, item.sha256] for item in files),
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _earlier_submission(*, actor: User | None, key: str, fingerprint: str) -> SubmitResult | None:
    """Return the dossier an earlier request with this key made, if any."""
    found = (
        IdempotencyKey.objects.select_related("dossier__procedure", "dossier__agency")
        .filter(user=actor, key=key)
        .first()
    )
    if found is None:
        return None
    if found.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("Khóa chống gửi trùng này đã được dùng cho một hồ sơ khác nội dung.")
        )
    return SubmitResult(dossier=found.dossier, created=False)


def _check_channel(channel: str, procedure: Procedure, problems: _Problems) -> None:
    if channel not in Channel.values:
        problems.add("channel", _("Hình thức nộp không hợp lệ."))
    elif channel == Channel.ONLINE and procedure.online_level == OnlineLevel.NONE:
        problems.add("channel", _("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))


def _receiving_agency(
    procedure: Procedure, agency_code: str | None, problems: _Problems
) -> Agency | None:
    """Return the agency that receives the dossier, or add a problem and return None.

    The procedure's implementing agency when it has exactly one; otherwise the one the
    applicant chose among them (any active commune committee where the procedure is
    implemented by "every commune committee").
    """
    implementations = list(procedure.implementations.all())
    named = {item.agency.code: item.agency for item in implementations if item.agency}
    every_commune = any(item.agency is None for item in implementations)
    agency: Agency | None = None
    if agency_code:
        agency = named.get(agency_code)
        if agency is None and every_commune:
            agency = Agency.objects.filter(
                code=agency_code, kind=AgencyKind.COMMUNE_COMMITTEE
            ).first()
        if agency is None:
            message = _("Cơ quan %(code)s không giải quyết thủ tục này.") % {"code": agency_code}
            problems.add("agency", message)
            return None
    elif len(named) == 1 and not every_commune:
        [agency] = named.values()
    else:
        problems.add("agency", _("Hãy chọn cơ quan tiếp nhận hồ sơ."))
        return None
    if not agency.is_active:
        problems.add("agency", _("Cơ quan %(code)s đã ngừng hoạt động.") % {"code": agency.code})
        return None
    return agency


def _check_form(procedure: Procedure, form_data: Any, problems: _Problems) -> None:
    """Check the e-form against the procedure's JSON Schema; one problem per error."""
    try:
        validator = Draft202012Validator(procedure.form_schema, format_checker=FormatChecker())
        errors = sorted(
            validator.iter_errors(form_data),
            key=lambda error: ([str(part) for part in error.absolute_path], error.message),
        )
    except SchemaError:
        problems.add("form", _("Biểu mẫu điện tử của thủ tục bị lỗi; hãy báo cơ quan."))
        return
    for error in errors:
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        )
        problems.add(
            f"form{path}", _("Biểu mẫu không hợp lệ: %(error)s") % {"error": error.message}
        )


def _check_applicant(details: Mapping[str, Any], problems: _Problems) -> dict[str, str]:
    """Return the applicant's details cleaned, adding a problem for each bad one."""
    clean: dict[str, str] = {}
    for name in sorted(set(details) - set(APPLICANT_FIELDS)):
        problems.add(f"applicant.{name}", _("Trường không được hỗ trợ."))
    for name in APPLICANT_FIELDS:
        value = details.get(name, "")
        if not isinstance(value, str):
            problems.add(f"applicant.{name}", _("Phải là chuỗi ký tự."))
            value = ""
        clean[name] = value.strip()
    if not clean["name"]:
        problems.add("applicant.name", _("Hãy nhập họ và tên người nộp."))
    elif len(clean["name"]) > 150:
        problems.add("applicant.name", _("Họ và tên dài quá 150 ký tự."))
    checks = (
        ("id_number", id_number_validator, True),
        ("phone", phone_validator, False),
        ("email", validate_email, False),
    )
    for name, validate, required in checks:
        if not clean[name] and not required:
            continue
        try:
            validate(clean[name])
        except ValidationError as error:
            # Django's own email message ("Nhập địa chỉ email.") does not say what is wrong.
            message = _("Địa chỉ thư điện tử không hợp lệ.") if name == "email" else None
            problems.add(f"applicant.{name}", message or " ".join(error.messages))
    if len(clean["address"]) > 255:
        problems.add("applicant.address", _("Địa chỉ dài quá 255 ký tự."))
    return clean


def _check_components(
    procedure: Procedure, files: Iterable[_ReadFile], problems: _Problems
) -> dict[int, DocumentComponent]:
    """Check that each required component has a file and each file a component."""
    components = {component.position: component for component in procedure.components.all()}
    given = {item.position for item in files}
    for position in sorted(p for p in given if p is not None and p not in components):
        message = _("Thủ tục không có thành phần hồ sơ thứ %(position)s.") % {"position": position}
        problems.add(f"component_{position}", message)
    for position, component in components.items():
        if component.required and position not in given:
            message = _("Thiếu “%(name)s”.") % {"name": component.name}
            problems.add(f"component_{position}", message)
    return components


def _next_sequence(agency: Agency, day: date) -> int:
    """Draw the next dossier number of ``agency`` on ``day``; call inside a transaction.

    The UPDATE locks the day's row on PostgreSQL until the transaction ends, so
    concurrent submissions queue on it; SQLite runs one writer at a time. Two first
    submissions of a day may both try to create the row: the loser retries once and
    then finds the winner's.
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                row, _created = DailySequence.objects.get_or_create(agency=agency, day=day)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    DailySequence.objects.filter(pk=row.pk).update(last=F("last") + 1)
    last: int = DailySequence.objects.values_list("last", flat=True).get(pk=row.pk)
    return last


def _create(
    *,
    procedure: Procedure,
    agency: Agency,
    channel: Channel,
    applicant: User | None,
    details: dict[str, str],
    form_data: Any,
    files: Sequence[_ReadFile],
    components: dict[int, DocumentComponent],
    actor: User | None,
    stored: list[str],
) -> Dossier:
    """Write the dossier, its first event, its files and the audit entry."""
    now = timezone.now()
    day = local_day(now)
    code = dossier_code(agency.code, day, _next_sequence(agency, day))
    status = next_status(None, Action.SUBMIT)
    dossier = Dossier.objects.create(
        code=code,
        procedure=procedure,
        agency=agency,
        channel=channel,
        status=status,
        applicant=applicant,
        applicant_name=details["name"],
        applicant_id_number=details["id_number"],
        applicant_phone=details["phone"],
        applicant_email=details["email"],
        applicant_address=details["address"],
        form_data=form_data,
        submitted_at=now,
        revision=1,
    )
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=1,
        action=Action.SUBMIT,
        from_status="",
        to_status=status,
        at=now,
        actor=actor,
        actor_label=_actor_label(actor),
        data={"channel": channel.value},
    )
    for index, item in enumerate(files, start=1):
        prefix = f"{item.position:02d}" if item.position is not None else "extra"
        name = f"dossiers/{code}/{prefix}-{index:02d}-{item.sha256[:12]}.{item.kind}"
        saved = default_storage.save(name, ContentFile(item.content))
        stored.append(saved)
        DossierFile.objects.create(
            dossier=dossier,
            component=components.get(item.position) if item.position is not None else None,
            event=event,
            file=saved,
            original_name=item.name,
            content_type=CONTENT_TYPES[item.kind],
            size=len(item.content),
            sha256=item.sha256,
        )
    audit_record(
        actor=actor,
        action="dossiers.dossier.submitted",
        target=dossier,
        data={
            "procedure": procedure.audit_key,
            "agency": agency.code,
            "channel": channel.value,
            "files": len(files),
        },
    )
    return dossier


def _actor_label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


# --- Intake at the one-stop desk -------------------------------------------------------------


def _lock_for_intake(*, dossier: Dossier, actor: User | None, expected_revision: int) -> Dossier:
    """Check the actor is a one-stop officer of the dossier's agency; lock and return it.

    Raise ``NotAllowed`` otherwise, and ``DossierConflict`` if the dossier changed since
    the caller read it at ``expected_revision``.
    """
    if not officer_has_role(actor, dossier.agency, Role.ONE_STOP_OFFICER):
        raise NotAllowed(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được xử lý hồ sơ này."))
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency")
        .get(pk=dossier.pk)
    )
    if locked.revision != expected_revision:
        raise DossierConflict(
            _("Hồ sơ %(code)s vừa được người khác cập nhật; hãy tải lại rồi thử lại.")
            % {"code": locked.code}
        )
    return locked


def _record(
    *,
    dossier: Dossier,
    action: Action,
    actor: User | None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    at: Any,
    changes: Mapping[str, Any],
) -> Dossier:
    """Apply ``action`` to the locked ``dossier``: event, projection and audit entry."""
    before = dossier.status
    after = next_status(before, action)
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.status = after
    dossier.revision += 1
    dossier.save(update_fields=["status", "revision", *changes])
    DossierEvent.objects.create(
        dossier=dossier,
        sequence=dossier.revision,
        action=action,
        from_status=before,
        to_status=after,
        at=at,
        actor=actor,
        actor_label=_actor_label(actor),
        comment=comment,
        data=data or {},
        due_at=dossier.due_at,
    )
    audit_record(
        actor=actor,
        action=f"dossiers.dossier.{_AUDIT_VERBS[action]}",
        target=dossier,
        data={"from": before, "to": after, **(data or {})},
    )
    return dossier


_AUDIT_VERBS = {
    Action.RECEIVE: "received",
    Action.REQUEST_SUPPLEMENT: "supplement_requested",
    Action.REFUSE: "refused",
}


@transaction.atomic
def dossier_receive(
    *, dossier: Dossier, actor: User | None, comment: str = "", expected_revision: int
) -> Dossier:
    """Receive the dossier (tiếp nhận) and set its due moment from the legal time.

    The due moment is ``processing_days`` working days of the procedure version after
    the moment of receipt, on the receiving agency's calendar.
    """
    locked = _lock_for_intake(dossier=dossier, actor=actor, expected_revision=expected_revision)
    next_status(locked.status, Action.RECEIVE)  # refuse before computing anything
    now = timezone.now()
    due = due_moment(start=now, days=locked.procedure.processing_days, agency=locked.agency)
    return _record(
        dossier=locked,
        action=Action.RECEIVE,
        actor=actor,
        comment=comment,
        at=now,
        changes={"received_at": now, "due_at": due},
    )


@transaction.atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    items: Sequence[Mapping[str, Any]],
    actor: User | None,
    expected_revision: int,
) -> Dossier:
    """Ask the applicant to supplement the dossier, with the complete list of what is missing.

    ``items`` are ``{"name", "reason"}``. Supplements are requested once per dossier: a
    second request raises ``SupplementAlreadyRequested``.
    """
    locked = _lock_for_intake(dossier=dossier, actor=actor, expected_revision=expected_revision)
    if locked.supplement_count >= 1:
        raise SupplementAlreadyRequested(
            _("Hồ sơ %(code)s đã được yêu cầu bổ sung một lần; không yêu cầu bổ sung lần nữa.")
            % {"code": locked.code}
        )
    next_status(locked.status, Action.REQUEST_SUPPLEMENT)
    clean = _clean_items(items)
    return _record(
        dossier=locked,
        action=Action.REQUEST_SUPPLEMENT,
        actor=actor,
        data={"items": clean},
        at=timezone.now(),
        changes={"supplement_count": locked.supplement_count + 1},
    )


def _clean_items(items: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    clean: list[dict[str, str]] = []
    if not items:
        problems.append({"field": "items", "message": _("Hãy liệt kê giấy tờ cần bổ sung.")})
    for index, item in enumerate(items):
        row: dict[str, str] = {}
        for name in ("name", "reason"):
            value = item.get(name) if isinstance(item, Mapping) else None
            if not isinstance(value, str) or not value.strip():
                message = _("Bắt buộc nhập.")
                problems.append({"field": f"items[{index}].{name}", "message": message})
            else:
                row[name] = value.strip()
        clean.append(row)
    if problems:
        raise InvalidSupplementRequest(_("Yêu cầu bổ sung không hợp lệ."), details=problems)
    return clean


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int
) -> Dossier:
    """Refuse the dossier at intake (từ chối tiếp nhận) with the reason given to the applicant."""
    locked = _lock_for_intake(dossier=dossier, actor=actor, expected_revision=expected_revision)
    if not reason.strip():
        raise RefusalReasonRequired(_("Hãy nêu lý do từ chối tiếp nhận hồ sơ."))
    now = timezone.now()
    return _record(
        dossier=locked,
        action=Action.REFUSE,
        actor=actor,
        data={"reason": reason.strip()},
        at=now,
        changes={"finished_at": now},
    )


__all__ = [
    "ACCEPTED_KINDS",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "DossierStatus",
    "SubmitResult",
    "SubmittedFile",
    "dossier_receive",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_submit",
]
