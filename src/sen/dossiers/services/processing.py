"""Processing through the procedure's internal steps (thụ lý, giải quyết).

Completing steps (and sending back), the apology for a late dossier with its new
appointment (mẫu 04), and stopping processing (mẫu 05). The result itself is
:mod:`.results`.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.models import ProcessStep
from sen.core.errors import NotAllowed
from sen.core.models import Role, User
from sen.core.text import visible_text
from sen.core.timezones import short_moment
from sen.dossiers.errors import (
    ApologyAlreadyMade,
    ApologyTooLate,
    InvalidNewAppointment,
    NoPreviousStep,
    ReasonRequired,
    ResultRequired,
)
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import (
    apology_already_made,
    apology_too_late,
    approval_needs_result,
    approves_result,
    has_previous_step,
    holds_role,
    is_received,
    may_apologize,
    may_stop,
)
from sen.dossiers.services import _transitions
from sen.dossiers.services._clock import closing_changes, iso, open_step_record, start_step
from sen.dossiers.states import Action, TransitionNotAllowed, next_status, step_outcome
from sen.workdays.services import is_office_moment

# How far an apology may move the appointment. No text sets a limit; a later date is a typo
# (2062 for 2026) or a dossier that should be stopped rather than delayed, and far enough it
# leaves the working calendar that every later clock stop counts on.
MAX_POSTPONEMENT = timedelta(days=365)


@transaction.atomic
def dossier_complete_step(
    *, dossier: Dossier, comment: str = "", actor: User | None, expected_revision: int
) -> Dossier:
    """Complete the dossier's current step and hand it to the next one.

    Only an officer holding the step's role in the step's agency (the step's own agency
    for an inter-agency hand-off, else the receiving agency) may complete it. The step
    record gets the moment, the officer and early / on time / late. After the last step the
    result is ready (``result_ready``). The leader's step (approval) needs a result
    attached first (``ResultRequired``); completing the approving one records the approval
    (``Dossier.result_approved_at``, ``permissions.approves_result``).
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    _transitions.require_step_holder(locked, actor)
    step = locked.current_step
    later: list[ProcessStep] = []
    if step is not None:
        later = list(locked.procedure.steps.filter(position__gt=step.position))
    following = later[0] if later else None
    action = Action.COMPLETE_STEP if following is not None else Action.FINISH_PROCESSING
    next_status(locked.status, action)
    if approval_needs_result(locked):
        raise ResultRequired(
            _("Hãy đính kèm kết quả giải quyết trước khi lãnh đạo phê duyệt hồ sơ %(code)s.")
            % {"code": locked.code}
        )
    now = timezone.now()
    data = _finish_step_record(locked, actor=actor, comment=comment, at=now)
    changes: dict[str, Any]
    upcoming = None
    if following is not None:
        upcoming = start_step(dossier=locked, step=following, at=now)
        data["next_step"] = following.position
        data["next_agency"] = upcoming.agency.code
        changes = {"current_step": following, "step_due_at": upcoming.due_at}
    else:
        changes = {"current_step": None, "step_due_at": None, "finished_at": now}
    if step is not None and approves_result(step, later):
        changes["result_approved_at"] = now
    _transitions.apply(
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


def _finish_step_record(
    dossier: Dossier, *, actor: User | None, comment: str, at: datetime
) -> dict[str, Any]:
    """Close the record of the dossier's current step, handed on at ``at`` by ``actor``
    (early / on time / late, as on the control sheet); return what the event records."""
    record = open_step_record(dossier)
    if record is None:
        return {}
    record.finished_at = at
    record.finished_by = actor
    record.comment = comment
    record.outcome = step_outcome(finished=at, due=record.due_at)
    record.save(update_fields=["finished_at", "finished_by", "comment", "outcome"])
    return {
        "step": record.position,
        "agency": record.agency.code,
        "step_due_at": iso(record.due_at),
        "outcome": record.outcome,
    }


@transaction.atomic
def dossier_send_back(
    *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int
) -> Dossier:
    """Send the dossier back to the step before its current one (trả lại bước trước).

    By the officer holding the current step, with the reason: a leader who will not approve
    the dossier as it stands, a specialist who needs the desk to correct the intake. The
    current step is handed on as by completing it (early / on time / late, the reason as
    its comment: the control sheet shows the hand-off back), and the step before starts
    again with its own time from now. The dossier's due moment does not move: the rework
    counts against it, and an apology may still be made. A result attached stays.
    Raise ``NoPreviousStep`` at the first step.
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    _transitions.require_step_holder(locked, actor)
    next_status(locked.status, Action.SEND_BACK)
    step = locked.current_step
    if step is None or not has_previous_step(locked):
        raise NoPreviousStep(
            _("Hồ sơ %(code)s đang ở bước đầu tiên, không có bước trước để trả lại.")
            % {"code": locked.code}
        )
    reason = visible_text(reason)
    if not reason:
        raise ReasonRequired(_("Hãy nêu lý do trả lại bước trước."))
    previous = locked.procedure.steps.get(position=step.position - 1)
    later = list(locked.procedure.steps.filter(position__gt=previous.position))
    now = timezone.now()
    data = _finish_step_record(locked, actor=actor, comment=reason, at=now)
    upcoming = start_step(dossier=locked, step=previous, at=now)
    data.update(
        {"reason": reason, "next_step": previous.position, "next_agency": upcoming.agency.code}
    )
    _transitions.apply(
        dossier=locked,
        action=Action.SEND_BACK,
        actor=actor,
        data=data,
        at=now,
        changes={
            "current_step": previous,
            "step_due_at": upcoming.due_at,
            # Back at the approving step, the leader approves again: the result may change.
            **({"result_approved_at": None} if approves_result(previous, later) else {}),
        },
    )
    upcoming.save()
    return locked


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

    Rule: the apology with its reason and a new appointment is sent at the latest the day
    before the due day (``permissions.apology_deadline``), once per dossier (Nghị định
    118/2025/NĐ-CP keeps the rule of 61/2018; article to verify). The new appointment
    replaces ``due_at`` only: ``original_due_at`` stays, so the dossier still counts as late
    (``states.is_late``). The new appointment comes after the current one, at most
    ``MAX_POSTPONEMENT`` later, within the agency's office hours (the closing instant
    included, as for a due moment). By the officer of the current step or a leader of the
    receiving agency.
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    _transitions.refuse_own_dossier(locked, actor)
    if not may_apologize(locked, actor):
        raise NotAllowed(
            _("Chỉ cán bộ đang xử lý hoặc lãnh đạo cơ quan mới được xin lỗi, hẹn lại.")
        )
    next_status(locked.status, Action.APOLOGIZE)
    if apology_already_made(locked):
        raise ApologyAlreadyMade(
            _("Hồ sơ %(code)s đã được hẹn lại một lần; không hẹn lại lần nữa.")
            % {"code": locked.code}
        )
    now = timezone.now()
    # (``due_at is None`` is part of "too late", never met after receipt; said again so that
    # the type narrows.)
    if apology_too_late(locked, now) or locked.due_at is None:
        due = short_moment(locked.due_at) if locked.due_at is not None else "—"
        raise ApologyTooLate(
            _(
                "Văn bản xin lỗi phải gửi chậm nhất một ngày trước ngày hẹn trả: hồ sơ "
                "%(code)s hẹn trả %(due)s, nên đã hết hạn gửi."
            )
            % {"code": locked.code, "due": due}
        )
    reason = visible_text(reason)
    if not reason:
        raise ReasonRequired(_("Hãy nêu lý do chậm trả kết quả."))
    if timezone.is_naive(new_due_at):
        raise InvalidNewAppointment(
            _("Ngày giờ hẹn mới phải ghi cả múi giờ, ví dụ 2026-12-30T16:00:00+07:00.")
        )
    if new_due_at <= locked.due_at:
        raise InvalidNewAppointment(_("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."))
    if new_due_at - locked.due_at > MAX_POSTPONEMENT:
        raise InvalidNewAppointment(
            _("Ngày hẹn mới không được quá %(days)d ngày sau ngày hẹn trả hiện tại.")
            % {"days": MAX_POSTPONEMENT.days}
        )
    # The letter gives the applicant this moment to come back, and it can be set only once.
    if not is_office_moment(moment=new_due_at, agency=locked.agency):
        raise InvalidNewAppointment(
            _(
                "Ngày giờ hẹn mới phải trong giờ làm việc của một ngày làm việc, không vào "
                "ngày nghỉ, ngày lễ hay ngoài giờ hành chính."
            )
        )
    previous = locked.due_at
    _transitions.apply(
        dossier=locked,
        action=Action.APOLOGIZE,
        actor=actor,
        data={
            "reason": reason,
            "previous_due_at": iso(previous),
            "new_due_at": iso(new_due_at),
            # The letter is the agency's, signed by its head: it names the officer who made
            # the apology only if they lead the agency (slipdata.apology_slip_data). Kept
            # as of now, so that a reprint stays the letter sent.
            "by_leader": holds_role(actor, locked.agency, Role.LEADER),
        },
        at=now,
        changes={"due_at": new_due_at, "apologized_at": now},
    )
    return locked


@transaction.atomic
def dossier_stop(
    *,
    dossier: Dossier,
    reason: str,
    actor: User | None,
    expected_revision: int,
    legal_basis: str = "",
) -> Dossier:
    """Stop processing the dossier (dừng giải quyết, mẫu 05) with the reason, by a leader.

    A leader of the receiving agency decides it (Nghị định 118/2025/NĐ-CP, article to
    verify). ``legal_basis`` names the provision that allows it ("điểm c khoản 1 Điều 151
    Luật Đất đai"), which the notice cites before the one-stop framework; it may be blank.
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    _transitions.refuse_own_dossier(locked, actor)
    if not may_stop(locked, actor):
        raise NotAllowed(_("Chỉ lãnh đạo cơ quan tiếp nhận mới được dừng giải quyết hồ sơ."))
    next_status(locked.status, Action.STOP)
    if not is_received(locked):
        raise TransitionNotAllowed(
            _(
                "Hồ sơ %(code)s chưa được tiếp nhận nên chưa có việc giải quyết để dừng; "
                "Bộ phận Một cửa có thể từ chối tiếp nhận hồ sơ."
            )
            % {"code": locked.code}
        )
    reason = visible_text(reason)
    if not reason:
        raise ReasonRequired(_("Hãy nêu lý do dừng giải quyết hồ sơ."))
    basis = visible_text(legal_basis)
    now = timezone.now()
    _transitions.apply(
        dossier=locked,
        action=Action.STOP,
        actor=actor,
        data={"reason": reason, **({"legal_basis": basis} if basis else {})},
        at=now,
        changes=closing_changes(locked, now),
    )
    return locked
