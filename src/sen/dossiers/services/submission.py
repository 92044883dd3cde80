"""Submission of a dossier (nộp hồ sơ): every check at once, one transaction, idempotent."""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils.translation import gettext as _

from sen.catalog.models import DocumentComponent, OnlineLevel, Procedure
from sen.core.errors import DomainError, NotAllowed
from sen.core.models import Agency, User
from sen.core.transactions import atomic_with_files
from sen.dossiers import receiving
from sen.dossiers.errors import IdempotencyKeyReused, InvalidDossier
from sen.dossiers.models import (
    INVALID_EMAIL,
    Dossier,
    IdempotencyKey,
    id_number_validator,
    phone_validator,
)
from sen.dossiers.permissions import may_enter_at_desk
from sen.dossiers.procedures import agency_row, current_procedure
from sen.dossiers.services._checks import (
    MAX_PAPER_COUNT,
    PaperHandedIn,
    Problems,
    ReadFile,
    SubmittedFile,
    accept_files,
    accepted_kinds,
    check_form,
    read_files,
)
from sen.dossiers.services._transitions import create_dossier
from sen.dossiers.states import Channel, ReturnMethod

MAX_IDEMPOTENCY_KEY = 255
APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")


@dataclass(frozen=True)
class SubmitResult:
    """The dossier a submission made, or found again for a retried ``Idempotency-Key``."""

    dossier: Dossier
    created: bool


def dossier_submit(
    *,
    procedure_code: str,
    channel: str,
    applicant: User | None,
    applicant_details: Mapping[str, Any],
    form_data: Any,
    files: Sequence[SubmittedFile],
    agency_code: str | None = None,
    papers: Sequence[PaperHandedIn] = (),
    result_delivery: str | None = None,
    idempotency_key: str | None = None,
    actor: User | None,
) -> SubmitResult:
    """Check a submission and create its dossier; return it with ``created=True``.

    Raise ``ProcedureNotFound`` for an unknown procedure code and ``InvalidDossier``
    listing every problem with the channel, the receiving agency, the e-form, the
    applicant's details, the files (PDF, JPEG or PNG, and Office documents where the
    procedure accepts them) and the ``papers`` handed in on paper, which only a dossier at
    the desk or by post has (a paper with nothing handed in nor shown is left out), and
    the way the applicant registers to receive the result (``result_delivery``, a
    ``ReturnMethod``: electronically only with an account, by post only with an address;
    by default electronically online, else as the dossier came). Raise
    ``NotAllowed`` for a dossier at the desk or by post entered by anyone but a one-stop
    officer of the receiving agency (or the system, with no ``actor``). With an
    ``idempotency_key`` already used by ``actor`` for the same request, return the first
    dossier with ``created=False``; for a different request raise ``IdempotencyKeyReused``.
    A failed submission leaves nothing behind: no dossier, no event, no stored file, no
    number drawn.
    """
    problems = Problems()
    read = read_files(files)
    key = (idempotency_key or "").strip() or None
    fingerprint = _fingerprint(
        procedure_code=procedure_code,
        channel=channel,
        agency_code=agency_code,
        applicant_details=applicant_details,
        form_data=form_data,
        files=read,
        papers=papers,
        result_delivery=result_delivery,
    )
    if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
        problems.add("Idempotency-Key", _("Khóa chống gửi trùng dài quá 255 ký tự."))
        key = None

    # The key is not looked up first: nearly every key is new, and create_dossier claims it
    # with its insert. A retry is told apart only when it is refused or its claim conflicts.
    try:
        checked = _check(
            procedure_code=procedure_code,
            channel=channel,
            agency_code=agency_code,
            applicant_details=applicant_details,
            form_data=form_data,
            read=read,
            papers=papers,
            result_delivery=result_delivery,
            applicant=applicant,
            actor=actor,
            problems=problems,
        )
    except DomainError:
        # A retry gets its first dossier even if the request would be refused today (the
        # agency closed, a new version of the procedure asks for other papers).
        earlier = _earlier_submission(actor=actor, key=key, fingerprint=fingerprint)
        if earlier is not None:
            return earlier
        raise

    try:
        with atomic_with_files() as stored:
            dossier = create_dossier(
                procedure=checked.procedure,
                agency=checked.agency,
                channel=Channel(channel),
                applicant=applicant,
                details=checked.details,
                form_data=checked.form_data,
                files=checked.files,
                result_delivery=checked.result_delivery,
                components=checked.components,
                papers=checked.papers,
                actor=actor,
                stored=stored,
                idempotency_key=key,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        # The key's claim conflicted: the same request retried, either committed before
        # or still being written (PostgreSQL made this claim wait for its commit).
        earlier = _earlier_submission(actor=actor, key=key, fingerprint=fingerprint)
        if earlier is not None:
            return earlier
        raise
    return SubmitResult(dossier=dossier, created=True)


@dataclass(frozen=True)
class _Checked:
    """What a submission that passed every check is written with."""

    procedure: Procedure
    agency: Agency
    form_data: Any
    details: dict[str, str]
    files: list[ReadFile]
    components: dict[int, DocumentComponent]
    papers: list[tuple[DocumentComponent, PaperHandedIn]]
    result_delivery: ReturnMethod | None


def _check(
    *,
    procedure_code: str,
    channel: str,
    agency_code: str | None,
    applicant_details: Mapping[str, Any],
    form_data: Any,
    read: list[ReadFile],
    papers: Sequence[PaperHandedIn],
    result_delivery: str | None,
    applicant: User | None,
    actor: User | None,
    problems: Problems,
) -> _Checked:
    """Return what the submission is written with, or raise its refusal (every problem)."""
    procedure = current_procedure(code=procedure_code)
    kinds = accepted_kinds(office_documents=procedure.accepts_office_documents)
    read = accept_files(read, problems, kinds=kinds)
    _check_channel(channel, procedure, problems)
    agency = _receiving_agency(procedure, agency_code, problems)
    form_data = check_form(procedure, form_data, problems)
    details = _check_applicant(applicant_details, problems)
    delivery = _check_result_delivery(result_delivery, applicant, details, problems)
    components = _check_components(procedure, read, problems)
    handed_in = _check_papers(channel, papers, components, problems)
    problems.raise_if_any()
    if agency is None:  # never: a missing agency is always one of the problems above
        raise InvalidDossier(_("Hồ sơ không hợp lệ."))
    # A dossier brought to the desk or posted is entered by the receiving agency's desk,
    # not by a citizen nor by another agency; the system (no actor) seeds and imports.
    if channel != Channel.ONLINE and actor is not None and not may_enter_at_desk(agency, actor):
        raise NotAllowed(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được xử lý hồ sơ này."))
    return _Checked(
        procedure=procedure,
        agency=agency,
        form_data=form_data,
        details=details,
        files=read,
        components=components,
        papers=[(components[paper.position], paper) for paper in handed_in],
        result_delivery=delivery,
    )


def _fingerprint(
    *,
    procedure_code: str,
    channel: str,
    agency_code: str | None,
    applicant_details: Mapping[str, Any],
    form_data: Any,
    files: Iterable[ReadFile],
    papers: Iterable[PaperHandedIn],
    result_delivery: str | None = None,
) -> str:
    """Return the SHA-256 of the request in a canonical form."""
    handed_in = sorted([p.position, *p.counts, p.original_shown] for p in papers if not p.is_empty)
    canonical = {
        "procedure": procedure_code,
        "channel": channel,
        "agency": agency_code,
        "applicant": dict(applicant_details),
        "form": form_data,
        "files": sorted([item.position or 0, item.sha256] for item in files),
        # Left out when there are none, so that the keys of earlier requests still match.
        **({"papers": handed_in} if handed_in else {}),
        **({"result_delivery": result_delivery} if result_delivery else {}),
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _earlier_submission(
    *, actor: User | None, key: str | None, fingerprint: str
) -> SubmitResult | None:
    """Return the dossier an earlier request with this key made, if any.

    Raise ``IdempotencyKeyReused`` when that request was a different one.
    """
    if key is None:
        return None
    # Asked only for a refused or conflicting submission: read the key with a small query,
    # and the dossier only for a retry. At most one row (a unique constraint).
    keys = IdempotencyKey.objects.filter(user=actor, key=key)
    found = list(keys.values_list("fingerprint", "dossier_id")[:1])
    if not found:
        return None
    [(earlier_fingerprint, dossier_id)] = found
    if earlier_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("Khóa chống gửi trùng này đã được dùng cho một hồ sơ khác nội dung.")
        )
    dossier = Dossier.objects.select_related("procedure", "agency").get(pk=dossier_id)
    return SubmitResult(dossier=dossier, created=False)


def _check_channel(channel: str, procedure: Procedure, problems: Problems) -> None:
    if channel not in Channel.values:
        problems.add("channel", _("Hình thức nộp không hợp lệ."))
    elif channel == Channel.ONLINE and procedure.online_level == OnlineLevel.NONE:
        problems.add("channel", _("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))


def _receiving_agency(
    procedure: Procedure, agency_code: str | None, problems: Problems
) -> Agency | None:
    """Return the agency that receives the dossier, or add a problem and return None.

    The procedure's implementing agency when it has exactly one; otherwise the one the
    applicant chose, which must receive the procedure's dossiers (``sen.dossiers.receiving``).
    """
    implementations = list(procedure.implementations.all())
    # The procedure's implementations come from the process's cache (``procedures``), and
    # with them their agencies as they were then: they only say which agency to read. The
    # rule is then asked of that agency as ``agency_row`` has it (at most a second old).
    named = {item.agency.code: item.agency.pk for item in implementations if item.agency}
    every_commune = any(item.agency_id is None for item in implementations)
    agency = None
    if agency_code:
        if agency_code in named:
            agency = agency_row(pk=named[agency_code])
        elif every_commune:
            agency = agency_row(code=agency_code)
    elif len(named) == 1 and not every_commune:
        agency = agency_row(pk=next(iter(named.values())))
    else:
        problems.add("agency", _("Hãy chọn cơ quan tiếp nhận hồ sơ."))
        return None
    if agency is None or not receiving.implements(procedure=procedure, agency=agency):
        message = _("Cơ quan %(code)s không giải quyết thủ tục này.") % {"code": agency_code}
        problems.add("agency", message)
        return None
    if not receiving.receives(procedure=procedure, agency=agency):
        problems.add("agency", _("Cơ quan %(code)s đã ngừng hoạt động.") % {"code": agency.code})
        return None
    return agency


def _check_result_delivery(
    value: Any, applicant: User | None, details: Mapping[str, str], problems: Problems
) -> ReturnMethod | None:
    """Return the way the applicant registers to receive the result, None for the default
    (``states.default_result_delivery``), adding a problem when it cannot be."""
    if value is None or value == "":
        return None
    if value not in ReturnMethod.values:
        problems.add(
            "result_delivery",
            _("Hình thức nhận kết quả phải là electronic, desk hoặc post."),
        )
        return None
    method = ReturnMethod(value)
    if method == ReturnMethod.ELECTRONIC and applicant is None:
        problems.add(
            "result_delivery",
            _(
                "Người nộp không có tài khoản nên không nhận kết quả điện tử được: hãy chọn "
                "nhận tại Bộ phận Một cửa hoặc qua bưu chính."
            ),
        )
    if method == ReturnMethod.POST and not details.get("address"):
        problems.add("applicant.address", _("Hãy ghi địa chỉ để nhận kết quả qua bưu chính."))
    return method


def _check_applicant(details: Mapping[str, Any], problems: Problems) -> dict[str, str]:
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
            message = str(INVALID_EMAIL) if name == "email" else None
            problems.add(f"applicant.{name}", message or " ".join(error.messages))
    if len(clean["address"]) > 255:
        problems.add("applicant.address", _("Địa chỉ dài quá 255 ký tự."))
    return clean


def _check_components(
    procedure: Procedure, files: Iterable[ReadFile], problems: Problems
) -> dict[int, DocumentComponent]:
    """Check that each component that must be handed in has a file, and each file a
    component. A paper only shown (xuất trình) needs none: the officer checks it in person."""
    components = {component.position: component for component in procedure.components.all()}
    given = {item.position for item in files}
    for position in sorted(p for p in given if p is not None and p not in components):
        message = _("Thủ tục không có thành phần hồ sơ thứ %(position)s.") % {"position": position}
        problems.add(f"component_{position}", message)
    for position, component in components.items():
        if component.upload_required and position not in given:
            message = _("Thiếu “%(name)s”.") % {"name": component.name}
            problems.add(f"component_{position}", message)
    return components


def _check_papers(
    channel: str,
    papers: Sequence[PaperHandedIn],
    components: Mapping[int, DocumentComponent],
    problems: Problems,
) -> list[PaperHandedIn]:
    """Return the papers to record, adding a problem for each that cannot be.

    Only a dossier at the desk or by post comes on paper; each paper is a component of the
    procedure, counted once, with 0 to ``MAX_PAPER_COUNT`` of each kind. An original is
    shown only at the desk.
    """
    given = [paper for paper in papers if not paper.is_empty]
    if given and channel == Channel.ONLINE:
        problems.add("papers", _("Hồ sơ nộp trực tuyến không có giấy tờ bản giấy."))
        return []
    seen: set[int] = set()
    for paper in given:
        where = f"paper_{paper.position}"
        if paper.position not in components:
            message = _("Thủ tục không có thành phần hồ sơ thứ %(position)s.")
            problems.add(where, message % {"position": paper.position})
        elif paper.position in seen:
            problems.add(where, _("Thành phần hồ sơ này đã được đếm."))
        elif not all(0 <= count <= MAX_PAPER_COUNT for count in paper.counts):
            message = _("Số bản phải từ 0 đến %(most)s.") % {"most": MAX_PAPER_COUNT}
            problems.add(where, message)
        elif paper.original_shown and channel == Channel.POST:
            problems.add(
                f"{where}.original_shown",
                _("Hồ sơ gửi qua bưu chính không có bản chính nào được xuất trình để đối chiếu."),
            )
        seen.add(paper.position)
    return given
