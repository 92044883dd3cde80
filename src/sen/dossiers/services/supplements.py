"""Supplements (bổ sung, hoàn thiện hồ sơ): the officer's request and the applicant's answer.

Asked at intake, the dossier waits for intake again once supplemented. Asked during
processing, the clock stops at the request and restarts when the supplement arrives, with
the working time that was left (see ``_clock.resumed_due``).
"""

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.models import DocumentComponent
from sen.core.errors import NotAllowed
from sen.core.models import User
from sen.core.text import fold, visible_text
from sen.core.transactions import atomic_with_files
from sen.dossiers.errors import (
    InvalidSupplement,
    InvalidSupplementRequest,
    ResultAlreadyAttached,
    SupplementAlreadyRequested,
)
from sen.dossiers.models import ClockStop, Dossier
from sen.dossiers.permissions import (
    is_received,
    may_replace_form,
    may_take_supplement,
    result_attached,
    supplement_already_requested,
)
from sen.dossiers.services import _transitions
from sen.dossiers.services._checks import (
    Problems,
    ReadFile,
    SubmittedFile,
    accept_files,
    accepted_kinds,
    check_form,
    read_files,
    store_files,
)
from sen.dossiers.services._clock import iso, resume_clock
from sen.dossiers.states import Action, DossierStatus, next_status

# The most items one request lists. Every item goes into the event, the audit entry, the
# applicant's notice and the printed request (mẫu 02); a procedure has far fewer components.
MAX_SUPPLEMENT_ITEMS = 50

# Tells a field missing from an e-form apart from one answered with null.
_ABSENT = object()


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
    the rule of 61/2018 that the applicant is guided once, in full; article to verify). Once
    a result is attached the dossier is decided: ``ResultAlreadyAttached``. The list has one
    to ``MAX_SUPPLEMENT_ITEMS`` items.
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    # During processing, and while its supplement is awaited, the step's officer asks (and
    # learns that it was asked already); at intake, and once closed, the desk.
    awaited = locked.status == DossierStatus.SUPPLEMENT_REQUESTED and is_received(locked)
    if locked.status == DossierStatus.PROCESSING or awaited:
        _transitions.require_step_holder(locked, actor)
    else:
        _transitions.require_one_stop_officer(locked, actor)
    # A dossier waiting for its supplement is told it was asked once already; one past
    # processing (returned, stopped, withdrawn), that its state allows no request.
    if locked.status != DossierStatus.SUPPLEMENT_REQUESTED:
        next_status(locked.status, Action.REQUEST_SUPPLEMENT)
    if supplement_already_requested(locked):
        raise SupplementAlreadyRequested(
            _("Hồ sơ %(code)s đã được yêu cầu bổ sung một lần; không yêu cầu bổ sung lần nữa.")
            % {"code": locked.code}
        )
    if result_attached(locked):
        raise ResultAlreadyAttached(
            _("Hồ sơ %(code)s đã có kết quả; không yêu cầu bổ sung nữa.") % {"code": locked.code}
        )
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
    _transitions.apply(
        dossier=locked,
        action=Action.REQUEST_SUPPLEMENT,
        actor=actor,
        data={"items": clean},
        at=now,
        changes=changes,
    )
    return locked


def _clean_items(items: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    if len(items) > MAX_SUPPLEMENT_ITEMS:
        # Said alone: the problems of each of so many items would help no one.
        message = _("Liệt kê tối đa %(max)d giấy tờ cần bổ sung.") % {"max": MAX_SUPPLEMENT_ITEMS}
        raise InvalidSupplementRequest(
            _("Yêu cầu bổ sung không hợp lệ."), details=[{"field": "items", "message": message}]
        )
    problems: list[dict[str, str]] = []
    clean: list[dict[str, str]] = []
    if not items:
        problems.append({"field": "items", "message": _("Hãy liệt kê giấy tờ cần bổ sung.")})
    for index, item in enumerate(items):
        row: dict[str, str] = {}
        for name in ("name", "reason"):
            value = item.get(name) if isinstance(item, Mapping) else None
            text = visible_text(value) if isinstance(value, str) else ""
            if not text:
                message = _("Bắt buộc nhập.")
                problems.append({"field": f"items[{index}].{name}", "message": message})
            else:
                row[name] = text
        clean.append(row)
    if problems:
        raise InvalidSupplementRequest(_("Yêu cầu bổ sung không hợp lệ."), details=problems)
    return clean


def _file_requested(
    dossier: Dossier,
    read: list[ReadFile],
    components: Mapping[int, DocumentComponent],
    problems: Problems,
) -> list[ReadFile]:
    """File each file sent for a paper of the request under it: under the procedure's paper
    of that name (compared folded: case, spacing and diacritics aside), else under the name
    asked for. A number beyond
    the request's list is a problem of its field."""
    if all(f.requested is None for f in read):
        return read
    request = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("sequence").last()
    asked = [item["name"] for item in request.requested_items] if request else []
    by_name = {fold(component.name): position for position, component in components.items()}
    filed: list[ReadFile] = []
    for item in read:
        if item.requested is None:
            filed.append(item)
        elif 1 <= item.requested <= len(asked):
            paper = asked[item.requested - 1]
            position = by_name.get(fold(paper))
            filed.append(dataclasses.replace(item, position=position, requested_item=paper))
        else:
            message = _("Yêu cầu bổ sung không có giấy tờ thứ %(number)s.") % {
                "number": item.requested
            }
            problems.add(item.field, message)
    return filed


def dossier_submit_supplement(
    *,
    dossier: Dossier,
    files: Sequence[SubmittedFile],
    form_data: Any = None,
    actor: User | None,
    expected_revision: int | None = None,
) -> Dossier:
    """Take the applicant's supplement (nộp bổ sung) and return the dossier.

    The applicant sends it; a one-stop officer of the receiving agency may hand it in for
    them, with the papers they brought to the desk or sent by post (``may_take_supplement``).

    Files are checked as at submission (kind by content, with Office documents where the
    procedure accepts them; size) and must be for components of the procedure or for
    papers the request named (``SubmittedFile.requested``); ``form_data``, when given,
    replaces the e-form and is checked against its schema: by the applicant, or by the desk
    for a dossier without an account (``may_replace_form``); the event keeps the answers
    it replaced. Asked at intake, the dossier waits for intake again (``submitted``); asked
    during processing, it goes back to its step (``processing``) and the clock restarts:
    the due moments become the moment of the supplement plus the working time that was left
    at the request (see ``_clock.resumed_due``). Raise ``InvalidSupplement`` naming every
    problem.
    """
    if not may_take_supplement(dossier, actor):
        raise NotAllowed(
            _(
                "Chỉ người nộp hồ sơ, hoặc cán bộ một cửa của cơ quan tiếp nhận nhận thay khi "
                "người nộp mang đến hay gửi qua bưu chính, mới nộp bổ sung được."
            )
        )
    if form_data is not None and not may_replace_form(dossier, actor):
        raise NotAllowed(
            _(
                "Tờ khai của hồ sơ nộp từ tài khoản chỉ người nộp sửa được; cán bộ một cửa "
                "chỉ nộp thay giấy tờ bổ sung."
            )
        )
    problems = Problems()
    procedure = dossier.procedure
    kinds = accepted_kinds(office_documents=procedure.accepts_office_documents)
    read = accept_files(read_files(files), problems, kinds=kinds)
    if not read and form_data is None and not problems.items:
        problems.add("files", _("Hãy đính kèm giấy tờ bổ sung."))
    if form_data is not None:
        form_data = check_form(procedure, form_data, problems)
    components = {component.position: component for component in procedure.components.all()}
    for position in sorted({f.position for f in read if f.position is not None} - set(components)):
        message = _("Thủ tục không có thành phần hồ sơ thứ %(position)s.") % {"position": position}
        problems.add(f"component_{position}", message)
    read = _file_requested(dossier, read, components, problems)
    problems.raise_if_any(InvalidSupplement, _("Hồ sơ bổ sung không hợp lệ."))

    with atomic_with_files() as stored:
        locked = _transitions.lock(dossier=dossier)
        _transitions.check_revision(locked, expected_revision)
        # Received before the request means the request came during processing.
        in_processing = is_received(locked)
        action = (
            Action.SUBMIT_SUPPLEMENT_IN_PROCESSING if in_processing else Action.SUBMIT_SUPPLEMENT
        )
        next_status(locked.status, action)
        now = timezone.now()
        changes: dict[str, Any] = {}
        data: dict[str, Any] = {"files": len(read)}
        before: dict[str, Any] = {}
        if form_data is not None:
            changes["form_data"] = form_data
            before = _replaced_answers(locked.form_data, form_data)
            data["form_changed"] = sorted(before)
        if in_processing:
            changes.update(resume_clock(locked, now))
            data["clock_stopped"] = {
                "from": iso(locked.clock_stops.get(ended_at=now).started_at),
                "to": iso(now),
            }
        event = _transitions.apply(
            dossier=locked,
            action=action,
            actor=actor,
            data=data,
            # What the form said before, kept in the history: nothing declared is lost.
            personal_data={"form_before": before} if before else None,
            at=now,
            changes=changes,
        )
        store_files(
            dossier=locked,
            event=event,
            files=read,
            components=components,
            first_index=locked.files.count() + 1,
            stored=stored,
        )
    return locked


def _replaced_answers(old: Any, new: Any) -> dict[str, Any]:
    """Return the e-form's answers that ``new`` changes or drops, with their old values
    (``None`` for a field that ``new`` adds)."""
    old_answers = old if isinstance(old, dict) else {}
    new_answers = new if isinstance(new, dict) else {}
    return {
        name: old_answers.get(name)
        for name in sorted(old_answers.keys() | new_answers.keys())
        if old_answers.get(name, _ABSENT) != new_answers.get(name, _ABSENT)
    }
