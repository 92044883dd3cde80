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
from datetime import date, datetime, timedelta
from decimal import Decimal
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

from sen.catalog.models import DocumentComponent, DurationUnit, OnlineLevel, Procedure, ProcessStep
from sen.catalog.selectors import procedure_get
from sen.core.errors import NotAllowed
from sen.core.filetypes import CONTENT_TYPES, detect_kind
from sen.core.models import Agency, AgencyKind, Role, User
from sen.core.selectors import officer_has_role
from sen.core.services import audit_record
from sen.dossiers.codes import dossier_code, local_day
from sen.dossiers.errors import (
    ApologyAlreadyMade,
    ApologyTooLate,
    DossierConflict,
    IdempotencyKeyReused,
    InvalidDossier,
    InvalidNewAppointment,
    InvalidReturnMethod,
    InvalidSupplement,
    InvalidSupplementRequest,
    ReasonRequired,
    RefusalReasonRequired,
    ResultRequired,
    SupplementAlreadyRequested,
    TrackingNumberRequired,
)
from sen.dossiers.models import (
    ClockStop,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierResult,
    IdempotencyKey,
    StepRecord,
    id_number_validator,
    phone_validator,
)
from sen.dossiers.states import (
    Action,
    Channel,
    DossierStatus,
    ReturnMethod,
    next_status,
    step_outcome,
)
from sen.dossiers.tasks import notify_status_change
from sen.errors import DomainError
from sen.reports.services import record_dossier_change
from sen.workdays.calendar import STANDARD_DAY_HOURS, to_local
from sen.workdays.selectors import calendar_for
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

    def raise_if_any(self, error: type[DomainError] = InvalidDossier, message: str = "") -> None:
        if self.items:
            raise error(message or _("Hồ sơ không hợp lệ."), details=self.items)


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
    # The applicant's acknowledgement that the dossier arrived, once it is committed.
    submitted_event_id = event.pk
    transaction.on_commit(lambda: notify_status_change.enqueue(submitted_event_id))
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
    record_dossier_change(dossier=dossier)
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


def _iso(moment: datetime) -> str:
    """Return a moment as ISO 8601 in Vietnam time, as events and audit entries show it."""
    return to_local(moment).isoformat()


def _actor_label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


# --- Locking, access and recording ---------------------------------------------------------


def _lock(*, dossier: Dossier) -> Dossier:
    """Lock the dossier's row until the transaction ends and return it fresh."""
    locked: Dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "current_step__agency")
        .get(pk=dossier.pk)
    )
    return locked


def _check_revision(dossier: Dossier, expected_revision: int | None) -> None:
    """Raise ``DossierConflict`` if the dossier changed since the caller read it."""
    if expected_revision is not None and dossier.revision != expected_revision:
        raise DossierConflict(
            _("Hồ sơ %(code)s vừa được người khác cập nhật; hãy tải lại rồi thử lại.")
            % {"code": dossier.code}
        )


def _lock_for_intake(*, dossier: Dossier, actor: User | None, expected_revision: int) -> Dossier:
    """Check the actor is a one-stop officer of the dossier's agency; lock and return it.

    Raise ``NotAllowed`` otherwise, and ``DossierConflict`` if the dossier changed since
    the caller read it at ``expected_revision``.
    """
    if not officer_has_role(actor, dossier.agency, Role.ONE_STOP_OFFICER):
        raise NotAllowed(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được xử lý hồ sơ này."))
    locked = _lock(dossier=dossier)
    _check_revision(locked, expected_revision)
    return locked


def _step_holder(dossier: Dossier) -> tuple[str, Agency]:
    """Return the role and agency that act on the dossier's current step.

    The step's own agency when it names one (an inter-agency hand-off, liên thông),
    otherwise the receiving agency. Without a current step, the receiving agency's
    one-stop desk.
    """
    step = dossier.current_step
    if step is None:
        return Role.ONE_STOP_OFFICER, dossier.agency
    return step.role, step.agency or dossier.agency


def _require_step_holder(dossier: Dossier, actor: User | None) -> None:
    role, agency = _step_holder(dossier)
    if not officer_has_role(actor, agency, role):
        raise NotAllowed(
            _("Chỉ %(role)s của %(agency)s mới được xử lý bước này của hồ sơ.")
            % {"role": str(Role(role).label).lower(), "agency": agency.name}
        )


def _apply(
    *,
    dossier: Dossier,
    action: Action,
    actor: User | None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    at: Any,
    changes: Mapping[str, Any],
) -> DossierEvent:
    """Apply ``action`` to the locked ``dossier``: event, projection and audit entry."""
    before = dossier.status
    after = next_status(before, action)
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.status = after
    dossier.revision += 1
    dossier.save(update_fields=["status", "revision", *changes])
    record_dossier_change(dossier=dossier)
    event = DossierEvent.objects.create(
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
    # The applicant hears of the event once it is committed, never of a rolled-back one.
    event_id = event.pk
    transaction.on_commit(lambda: notify_status_change.enqueue(event_id))
    return event


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
    """Apply ``action`` as ``_apply`` does and return the dossier."""
    _apply(
        dossier=dossier,
        action=action,
        actor=actor,
        comment=comment,
        data=data,
        at=at,
        changes=changes,
    )
    return dossier


_AUDIT_VERBS = {
    Action.RECEIVE: "received",
    Action.REQUEST_SUPPLEMENT: "supplement_requested",
    Action.REFUSE: "refused",
    Action.SUBMIT_SUPPLEMENT: "supplement_submitted",
    Action.SUBMIT_SUPPLEMENT_IN_PROCESSING: "supplement_submitted",
    Action.WITHDRAW: "withdrawn",
    Action.COMPLETE_STEP: "step_completed",
    Action.FINISH_PROCESSING: "processed",
    Action.ATTACH_RESULT: "result_attached",
    Action.APOLOGIZE: "apologized",
    Action.STOP: "stopped",
    Action.RETURN_RESULT: "returned",
}


# --- Time of the internal steps and clock stops ----------------------------------------------


def _step_days(step: ProcessStep) -> Decimal:
    """Return a step's time in standard working days (hours / ``STANDARD_DAY_HOURS``)."""
    if step.unit == DurationUnit.HOURS:
        return Decimal(step.duration) / STANDARD_DAY_HOURS
    return Decimal(step.duration)


def _start_step(*, dossier: Dossier, step: ProcessStep, at: datetime) -> StepRecord:
    """Open the record of ``step`` for the dossier, due after the step's time from ``at``.

    The step's time counts on the calendar of the agency that does it.
    """
    agency = step.agency or dossier.agency
    return StepRecord(
        dossier=dossier,
        step=step,
        position=step.position,
        agency=agency,
        role=step.role,
        started_at=at,
        due_at=due_moment(start=at, days=_step_days(step), agency=agency),
    )


def _open_step_record(dossier: Dossier) -> StepRecord | None:
    return dossier.steps.filter(finished_at__isnull=True).order_by("-id").first()


def _working_time(a: datetime, b: datetime, agency: Agency) -> tuple[timedelta, timedelta]:
    """Return the working time from ``a`` to ``b`` on the agency's calendar, and its day."""
    first, last = sorted((to_local(a).year, to_local(b).year))
    calendar = calendar_for(agency=agency, years=range(first, last + 1))
    return calendar.working_time_between(a, b), calendar.days_to_time(1)


def _resumed_due(
    *, stopped: datetime, due: datetime, resumed: datetime, agency: Agency
) -> datetime:
    """Return the due moment after a clock stop from ``stopped`` to ``resumed``.

    Rule: the working time that was left at the stop (from the supplement request to the
    due moment in force) is counted again from the moment the supplement arrives. The time
    the applicant takes is not counted in the processing time (Nghị định 118/2025/NĐ-CP on
    supplements requested during processing, article to verify; the progress indicator of
    Quyết định 766/QĐ-TTg subtracts it likewise). A dossier already late at the request has
    no time left: its due moment stays, so the wait does not make it on time.
    """
    left, day = _working_time(stopped, due, agency)
    if left <= timedelta(0):
        return due
    days = Decimal(int(left / timedelta(microseconds=1))) / Decimal(
        int(day / timedelta(microseconds=1))
    )
    return due_moment(start=resumed, days=days, agency=agency)


# --- Intake at the one-stop desk -------------------------------------------------------------


@transaction.atomic
def dossier_receive(
    *, dossier: Dossier, actor: User | None, comment: str = "", expected_revision: int
) -> Dossier:
    """Receive the dossier (tiếp nhận) and set its due moment from the legal time.

    The due moment is ``processing_days`` working days of the procedure version after
    the moment of receipt, on the receiving agency's calendar. The dossier is then at the
    first internal step of the procedure (usually the one-stop desk's), due after that
    step's time.
    """
    locked = _lock_for_intake(dossier=dossier, actor=actor, expected_revision=expected_revision)
    next_status(locked.status, Action.RECEIVE)  # refuse before computing anything
    now = timezone.now()
    due = due_moment(start=now, days=locked.procedure.processing_days, agency=locked.agency)
    first = locked.procedure.steps.order_by("position").first()
    record = _start_step(dossier=locked, step=first, at=now) if first is not None else None
    _record(
        dossier=locked,
        action=Action.RECEIVE,
        actor=actor,
        comment=comment,
        at=now,
        changes={
            "received_at": now,
            "due_at": due,
            "original_due_at": due,
            "current_step": first,
            "step_due_at": record.due_at if record is not None else None,
        },
    )
    if record is not None:
        record.save()
    return locked


@transaction.atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    items: Sequence[Mapping[str, Any]],
    actor: User | None,
    expected_revision: int,
) -> Dossier:
    """Ask the applicant to supplement the dossier, with the complete list of what is missing.

    ``items`` are ``{"name", "reason"}``. At intake (a submitted dossier) the one-stop
    officer asks; during processing, the officer of the current step, and the clock stops
    until the supplement arrives (see ``dossier_submit_supplement``). Supplements are
    requested once per dossier, at intake or during processing, with the complete list:
    a second request raises ``SupplementAlreadyRequested`` (Nghị định 118/2025/NĐ-CP keeps
    the rule of 61/2018 that the applicant is guided once, in full; article to verify).
    """
    locked = _lock(dossier=dossier)
    if locked.status == DossierStatus.PROCESSING:
        _require_step_holder(locked, actor)
    elif not officer_has_role(actor, locked.agency, Role.ONE_STOP_OFFICER):
        raise NotAllowed(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được xử lý hồ sơ này."))
    _check_revision(locked, expected_revision)
    if locked.supplement_count >= 1:
        raise SupplementAlreadyRequested(
            _("Hồ sơ %(code)s đã được yêu cầu bổ sung một lần; không yêu cầu bổ sung lần nữa.")
            % {"code": locked.code}
        )
    next_status(locked.status, Action.REQUEST_SUPPLEMENT)
    clean = _clean_items(items)
    now = timezone.now()
    changes: dict[str, Any] = {"supplement_count": locked.supplement_count + 1}
    if locked.status == DossierStatus.PROCESSING:
        # The clock stops now; the stop is kept as an interval so that every later due
        # moment can be recomputed and explained.
        ClockStop.objects.create(
            dossier=locked,
            started_at=now,
            # Both are set at receipt, before any processing.
            due_before=locked.due_at or now,
            step_due_before=locked.step_due_at,
            original_due_before=locked.original_due_at or now,
        )
        changes["clock_stopped_at"] = now
    return _record(
        dossier=locked,
        action=Action.REQUEST_SUPPLEMENT,
        actor=actor,
        data={"items": clean},
        at=now,
        changes=changes,
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


# --- The applicant: supplement and withdrawal ------------------------------------------------


def _require_applicant(dossier: Dossier, actor: User | None) -> None:
    if actor is None or dossier.applicant_id is None or actor.pk != dossier.applicant_id:
        raise NotAllowed(_("Chỉ người nộp hồ sơ mới được thực hiện thao tác này."))


def dossier_submit_supplement(
    *,
    dossier: Dossier,
    files: Sequence[SubmittedFile],
    form_data: Any = None,
    actor: User | None,
    expected_revision: int | None = None,
) -> Dossier:
    """Take the applicant's supplement (nộp bổ sung) and return the dossier.

    Files are checked as at submission (kind by content, size) and must be for components
    of the procedure; ``form_data``, when given, replaces the e-form and is checked against
    its schema. Asked at intake, the dossier waits for intake again (``submitted``); asked
    during processing, it goes back to its step (``processing``) and the clock restarts:
    the due moments become the moment of the supplement plus the working time that was left
    at the request (see ``_resumed_due``). Raise ``InvalidSupplement`` naming every problem.
    """
    _require_applicant(dossier, actor)
    problems = _Problems()
    read = _read_files(files, problems)
    if not read and form_data is None and not problems.items:
        problems.add("files", _("Hãy đính kèm giấy tờ bổ sung."))
    procedure = dossier.procedure
    if form_data is not None:
        _check_form(procedure, form_data, problems)
    components = {component.position: component for component in procedure.components.all()}
    for position in sorted({f.position for f in read if f.position is not None} - set(components)):
        message = _("Thủ tục không có thành phần hồ sơ thứ %(position)s.") % {"position": position}
        problems.add(f"component_{position}", message)
    problems.raise_if_any(InvalidSupplement, _("Hồ sơ bổ sung không hợp lệ."))

    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _lock(dossier=dossier)
            _check_revision(locked, expected_revision)
            # Received before the request means the request came during processing.
            in_processing = locked.received_at is not None
            action = (
                Action.SUBMIT_SUPPLEMENT_IN_PROCESSING
                if in_processing
                else Action.SUBMIT_SUPPLEMENT
            )
            next_status(locked.status, action)
            now = timezone.now()
            changes: dict[str, Any] = {}
            data: dict[str, Any] = {"files": len(read)}
            if form_data is not None:
                changes["form_data"] = form_data
            if in_processing:
                changes.update(_resume_clock(locked, now))
                data["clock_stopped"] = {
                    "from": _iso(locked.clock_stops.get(ended_at=now).started_at),
                    "to": _iso(now),
                }
            event = _apply(
                dossier=locked, action=action, actor=actor, data=data, at=now, changes=changes
            )
            count = locked.files.count()
            for index, item in enumerate(read, start=count + 1):
                prefix = f"{item.position:02d}" if item.position is not None else "extra"
                name = f"dossiers/{locked.code}/{prefix}-{index:02d}-{item.sha256[:12]}.{item.kind}"
                saved = default_storage.save(name, ContentFile(item.content))
                stored.append(saved)
                DossierFile.objects.create(
                    dossier=locked,
                    component=components.get(item.position) if item.position else None,
                    event=event,
                    file=saved,
                    original_name=item.name,
                    content_type=CONTENT_TYPES[item.kind],
                    size=len(item.content),
                    sha256=item.sha256,
                )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return locked


def _resume_clock(dossier: Dossier, now: datetime) -> dict[str, Any]:
    """Close the open clock stop and return the due moments moved by it."""
    stop = dossier.clock_stops.get(ended_at__isnull=True)
    stop.ended_at = now
    stop.save(update_fields=["ended_at"])
    changes: dict[str, Any] = {
        "clock_stopped_at": None,
        "due_at": _resumed_due(
            stopped=stop.started_at, due=stop.due_before, resumed=now, agency=dossier.agency
        ),
        "original_due_at": _resumed_due(
            stopped=stop.started_at,
            due=stop.original_due_before,
            resumed=now,
            agency=dossier.agency,
        ),
    }
    if stop.step_due_before is not None:
        _role, agency = _step_holder(dossier)
        step_due = _resumed_due(
            stopped=stop.started_at, due=stop.step_due_before, resumed=now, agency=agency
        )
        changes["step_due_at"] = step_due
        record = _open_step_record(dossier)
        if record is not None:
            record.due_at = step_due
            record.save(update_fields=["due_at"])
    return changes


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int | None = None
) -> Dossier:
    """Withdraw the dossier at the applicant's request (rút hồ sơ), while not yet decided.

    Allowed while submitted, received, processing or waiting for a supplement; the
    applicant may withdraw a dossier not yet resolved (Nghị định 118/2025/NĐ-CP, article
    to verify).
    """
    locked = _lock(dossier=dossier)
    _require_applicant(locked, actor)
    _check_revision(locked, expected_revision)
    next_status(locked.status, Action.WITHDRAW)
    if not reason.strip():
        raise ReasonRequired(_("Hãy nêu lý do rút hồ sơ."))
    now = timezone.now()
    return _record(
        dossier=locked,
        action=Action.WITHDRAW,
        actor=actor,
        data={"reason": reason.strip()},
        at=now,
        changes=_close(locked, now),
    )


def _close(dossier: Dossier, now: datetime) -> dict[str, Any]:
    """Return the changes that end processing without a result.

    A dossier closed while waiting for a supplement resumes its clock first, as a supplement
    would: the waiting time never counts, so it is not judged late for it.
    """
    changes: dict[str, Any] = {}
    if dossier.clock_stopped_at is not None:
        changes.update(_resume_clock(dossier, now))
    changes.update(
        {"finished_at": now, "current_step": None, "step_due_at": None, "clock_stopped_at": None}
    )
    return changes


# --- Processing through the internal steps ---------------------------------------------------


@transaction.atomic
def dossier_complete_step(
    *, dossier: Dossier, comment: str = "", actor: User | None, expected_revision: int
) -> Dossier:
    """Complete the dossier's current step and hand it to the next one.

    Only an officer holding the step's role in the step's agency (the step's own agency
    for an inter-agency hand-off, else the receiving agency) may complete it. The step
    record gets the moment, the officer and early / on time / late. After the last step the
    result is ready (``result_ready``). The leader's step (approval) needs a result
    attached first (``ResultRequired``).
    """
    locked = _lock(dossier=dossier)
    _require_step_holder(locked, actor)
    _check_revision(locked, expected_revision)
    step = locked.current_step
    following = None
    if step is not None:
        following = locked.procedure.steps.filter(position__gt=step.position).first()
    action = Action.COMPLETE_STEP if following is not None else Action.FINISH_PROCESSING
    next_status(locked.status, action)
    if step is not None and step.role == Role.LEADER and not locked.results.exists():
        raise ResultRequired(
            _("Hãy đính kèm kết quả giải quyết trước khi lãnh đạo phê duyệt hồ sơ %(code)s.")
            % {"code": locked.code}
        )
    now = timezone.now()
    data: dict[str, Any] = {}
    record = _open_step_record(locked)
    if record is not None:
        record.finished_at = now
        record.finished_by = actor
        record.comment = comment
        record.outcome = step_outcome(finished=now, due=record.due_at)
        record.save(update_fields=["finished_at", "finished_by", "comment", "outcome"])
        data = {
            "step": record.position,
            "agency": record.agency.code,
            "step_due_at": _iso(record.due_at),
            "outcome": record.outcome,
        }
    changes: dict[str, Any]
    upcoming = None
    if following is not None:
        upcoming = _start_step(dossier=locked, step=following, at=now)
        data["next_step"] = following.position
        data["next_agency"] = upcoming.agency.code
        changes = {"current_step": following, "step_due_at": upcoming.due_at}
    else:
        changes = {"current_step": None, "step_due_at": None, "finished_at": now}
    _record(
        dossier=locked,
        action=action,
        actor=actor,
        comment=comment,
        data=data,
        at=now,
        changes=changes,
    )
    if upcoming is not None:
        upcoming.save()
    return locked


def dossier_attach_result(
    *, dossier: Dossier, upload: SubmittedFile, actor: User | None, expected_revision: int
) -> DossierResult:
    """Attach the result (kết quả giải quyết) to a dossier being processed; return it.

    By the officer of the current step. The file is checked as a submitted one, stored
    through Django's storage with its SHA-256.
    """
    problems = _Problems()
    read = _read_files([upload], problems)
    problems.items = [{**item, "field": "file"} for item in problems.items]
    problems.raise_if_any(InvalidSupplement, _("Tệp kết quả không hợp lệ."))
    [item] = read
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _lock(dossier=dossier)
            _require_step_holder(locked, actor)
            _check_revision(locked, expected_revision)
            next_status(locked.status, Action.ATTACH_RESULT)
            if actor is None:  # never: a step holder is an officer
                raise NotAllowed(_("Chỉ cán bộ xử lý mới được đính kèm kết quả."))
            now = timezone.now()
            name = f"results/{locked.code}/{item.sha256[:16]}.{item.kind}"
            saved = default_storage.save(name, ContentFile(item.content))
            stored.append(saved)
            event = _apply(
                dossier=locked,
                action=Action.ATTACH_RESULT,
                actor=actor,
                data={"file": item.name, "sha256": item.sha256},
                at=now,
                changes={},
            )
            result: DossierResult = DossierResult.objects.create(
                dossier=locked,
                event=event,
                file=saved,
                original_name=item.name,
                content_type=CONTENT_TYPES[item.kind],
                size=len(item.content),
                sha256=item.sha256,
                attached_at=now,
                attached_by=actor,
            )
    except BaseException:
        for stored_name in stored:
            default_storage.delete(stored_name)
        raise
    return result


# --- Late dossiers, stops and the return of the result ---------------------------------------


@transaction.atomic
def dossier_apologize(
    *,
    dossier: Dossier,
    reason: str,
    new_due_at: datetime,
    actor: User | None,
    expected_revision: int,
) -> Dossier:
    """Apologize for a dossier that will be late and set a new appointment (mẫu 04).

    Rule: the apology with its reason and a new appointment is sent before the due moment,
    once per dossier (Nghị định 118/2025/NĐ-CP keeps the rule of 61/2018; article to
    verify). The new appointment replaces ``due_at`` only: ``original_due_at`` stays, so the
    dossier still counts as late (``states.is_late``). By the officer of the current step or
    a leader of the receiving agency.
    """
    locked = _lock(dossier=dossier)
    role, agency = _step_holder(locked)
    if not (
        officer_has_role(actor, agency, role) or officer_has_role(actor, locked.agency, Role.LEADER)
    ):
        raise NotAllowed(
            _("Chỉ cán bộ đang xử lý hoặc lãnh đạo cơ quan mới được xin lỗi, hẹn lại.")
        )
    _check_revision(locked, expected_revision)
    next_status(locked.status, Action.APOLOGIZE)
    if locked.apologized_at is not None:
        raise ApologyAlreadyMade(
            _("Hồ sơ %(code)s đã được hẹn lại một lần; không hẹn lại lần nữa.")
            % {"code": locked.code}
        )
    now = timezone.now()
    if locked.due_at is None or now >= locked.due_at:
        raise ApologyTooLate(
            _("Văn bản xin lỗi phải gửi trước thời điểm hẹn trả của hồ sơ %(code)s.")
            % {"code": locked.code}
        )
    if not reason.strip():
        raise ReasonRequired(_("Hãy nêu lý do chậm trả kết quả."))
    if timezone.is_naive(new_due_at) or new_due_at <= locked.due_at:
        raise InvalidNewAppointment(_("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."))
    previous = locked.due_at
    return _record(
        dossier=locked,
        action=Action.APOLOGIZE,
        actor=actor,
        data={
            "reason": reason.strip(),
            "previous_due_at": _iso(previous),
            "new_due_at": _iso(new_due_at),
        },
        at=now,
        changes={"due_at": new_due_at, "apologized_at": now},
    )


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int
) -> Dossier:
    """Stop processing the dossier (dừng giải quyết, mẫu 05) with the reason, by a leader.

    A leader of the receiving agency decides it (Nghị định 118/2025/NĐ-CP, article to
    verify).
    """
    locked = _lock(dossier=dossier)
    if not officer_has_role(actor, locked.agency, Role.LEADER):
        raise NotAllowed(_("Chỉ lãnh đạo cơ quan tiếp nhận mới được dừng giải quyết hồ sơ."))
    _check_revision(locked, expected_revision)
    next_status(locked.status, Action.STOP)
    if not reason.strip():
        raise ReasonRequired(_("Hãy nêu lý do dừng giải quyết hồ sơ."))
    now = timezone.now()
    return _record(
        dossier=locked,
        action=Action.STOP,
        actor=actor,
        data={"reason": reason.strip()},
        at=now,
        changes=_close(locked, now),
    )


@transaction.atomic
def dossier_return_result(
    *,
    dossier: Dossier,
    method: str,
    postal_tracking_number: str | None = None,
    actor: User | None,
    expected_revision: int,
) -> Dossier:
    """Return the result to the applicant (trả kết quả): electronically, at the desk or by post.

    By a one-stop officer of the receiving agency. By post the postal tracking number is
    required.
    """
    locked = _lock_for_intake(dossier=dossier, actor=actor, expected_revision=expected_revision)
    next_status(locked.status, Action.RETURN_RESULT)
    if method not in ReturnMethod.values:
        raise InvalidReturnMethod(_("Hình thức trả kết quả không hợp lệ."))
    tracking = (postal_tracking_number or "").strip()
    if method == ReturnMethod.POST and not tracking:
        raise TrackingNumberRequired(_("Hãy nhập số hiệu bưu gửi khi trả kết quả qua bưu chính."))
    if method != ReturnMethod.POST:
        tracking = ""
    now = timezone.now()
    data = {"method": method, **({"postal_tracking_number": tracking} if tracking else {})}
    return _record(
        dossier=locked,
        action=Action.RETURN_RESULT,
        actor=actor,
        data=data,
        at=now,
        changes={
            "returned_at": now,
            "return_method": method,
            "postal_tracking_number": tracking,
        },
    )


__all__ = [
    "ACCEPTED_KINDS",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "DossierStatus",
    "SubmitResult",
    "SubmittedFile",
    "dossier_apologize",
    "dossier_attach_result",
    "dossier_complete_step",
    "dossier_receive",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_return_result",
    "dossier_stop",
    "dossier_submit",
    "dossier_submit_supplement",
    "dossier_withdraw",
]
