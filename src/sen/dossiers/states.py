"""The states of a dossier, its channels, and the transitions between states.

Plain definitions without database access. The national codes are those the national
public-service portal uses to synchronize dossiers (TrangThaiHoSo, KenhThucHien), so that
a connector can send them unchanged. Lateness is not a state: it is derived from the due
moment and the moment the dossier finished.
"""

from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sen.dossiers.codes import local_day
from sen.errors import Conflict


class DossierStatus(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("Chờ tiếp nhận")
    RECEIVED = "received", gettext_lazy("Đã tiếp nhận")
    PROCESSING = "processing", gettext_lazy("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", gettext_lazy("Yêu cầu bổ sung")
    REFUSED = "refused", gettext_lazy("Từ chối")
    WITHDRAWN = "withdrawn", gettext_lazy("Công dân rút hồ sơ")
    STOPPED = "stopped", gettext_lazy("Dừng xử lý")
    RESULT_READY = "result_ready", gettext_lazy("Có kết quả")
    RETURNED = "returned", gettext_lazy("Đã trả kết quả")


# The result of a dossier reaches its applicant when it is returned; before that it may
# still change (the leader has not signed, the fee is not paid, it was the wrong file).
# Officers see it from its attachment (``RESULT_STATUSES``).
RESULT_VISIBLE_STATUSES = (DossierStatus.RETURNED,)
# Results exist from processing on, and stay on a dossier stopped or withdrawn after one
# was attached.
RESULT_STATUSES = (
    DossierStatus.PROCESSING,
    DossierStatus.RESULT_READY,
    DossierStatus.RETURNED,
    DossierStatus.STOPPED,
    DossierStatus.WITHDRAWN,
)

# A dossier in one of these states is over, whether ``finished_at`` was written or not:
# it can no longer become late.
FINISHED_STATUSES = (
    DossierStatus.REFUSED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.RETURNED,
)


class Channel(models.TextChoices):
    DESK = "desk", gettext_lazy("Trực tiếp tại Bộ phận Một cửa")
    ONLINE = "online", gettext_lazy("Trực tuyến")
    POST = "post", gettext_lazy("Qua dịch vụ bưu chính công ích")


# KenhThucHien of the national portal.
NATIONAL_CHANNEL = MappingProxyType({Channel.DESK: 1, Channel.ONLINE: 2, Channel.POST: 3})

# TrangThaiHoSo of the national portal. 6 (financial obligation requested) has no state of
# its own here yet: fees are a later concern.
NATIONAL_STATUS = MappingProxyType(
    {
        DossierStatus.SUBMITTED: 1,
        DossierStatus.RECEIVED: 2,
        DossierStatus.REFUSED: 3,
        DossierStatus.PROCESSING: 4,
        DossierStatus.SUPPLEMENT_REQUESTED: 5,
        DossierStatus.WITHDRAWN: 7,
        DossierStatus.STOPPED: 8,
        DossierStatus.RESULT_READY: 9,
        DossierStatus.RETURNED: 10,
    }
)


class Action(models.TextChoices):
    """What happens to a dossier; each event of its history records one."""

    SUBMIT = "submit", gettext_lazy("Nộp hồ sơ")
    RECEIVE = "receive", gettext_lazy("Tiếp nhận hồ sơ")
    REQUEST_SUPPLEMENT = "request_supplement", gettext_lazy("Yêu cầu bổ sung hồ sơ")
    SUBMIT_SUPPLEMENT = "submit_supplement", gettext_lazy("Nộp bổ sung hồ sơ")
    REFUSE = "refuse", gettext_lazy("Từ chối tiếp nhận")
    WITHDRAW = "withdraw", gettext_lazy("Rút hồ sơ")
    # The applicant supplements a dossier whose supplement was requested during processing:
    # it goes back to the step it was at, and the clock restarts.
    SUBMIT_SUPPLEMENT_IN_PROCESSING = (
        "submit_supplement_in_processing",
        gettext_lazy("Nộp bổ sung hồ sơ đang giải quyết"),
    )
    COMPLETE_STEP = "complete_step", gettext_lazy("Hoàn thành bước xử lý")
    # The holder of a step hands the dossier back to the step before, with the reason: a
    # leader who will not approve it as it stands, a specialist who needs the desk again.
    SEND_BACK = "send_back", gettext_lazy("Trả lại bước trước")
    # Completing the last step: the result is ready to be returned.
    FINISH_PROCESSING = "finish_processing", gettext_lazy("Hoàn thành giải quyết")
    ATTACH_RESULT = "attach_result", gettext_lazy("Đính kèm kết quả")
    # The same, with the result document drafted in Sen instead of a file sent.
    GENERATE_RESULT = "generate_result", gettext_lazy("Soạn văn bản kết quả")
    # The holder of the step takes back a result attached by mistake (the wrong file, another
    # applicant's paper) before it is approved; the record of both stays in the history.
    REMOVE_RESULT = "remove_result", gettext_lazy("Gỡ kết quả đã đính kèm")
    APOLOGIZE = "apologize", gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "stop", gettext_lazy("Dừng giải quyết hồ sơ")
    RETURN_RESULT = "return_result", gettext_lazy("Trả kết quả")
    # The system moves the deadlines that a day newly declared off falls within: the legal
    # time is counted in working days, and the day given off is not one.
    RESCHEDULE = "reschedule", gettext_lazy("Dời hạn theo lịch làm việc")


# The history names each event as something that happened. The Vietnamese name of the
# action reads so ("Nộp hồ sơ"); English needs its past ("Submitted", not the button's
# "Submit"), hence messages of their own, in the "dossier history" context.
_HAPPENED: MappingProxyType[Action, Any] = MappingProxyType(
    {
        Action.SUBMIT: pgettext_lazy("dossier history", "Nộp hồ sơ"),
        Action.RECEIVE: pgettext_lazy("dossier history", "Tiếp nhận hồ sơ"),
        Action.REQUEST_SUPPLEMENT: pgettext_lazy("dossier history", "Yêu cầu bổ sung hồ sơ"),
        Action.SUBMIT_SUPPLEMENT: pgettext_lazy("dossier history", "Nộp bổ sung hồ sơ"),
        Action.REFUSE: pgettext_lazy("dossier history", "Từ chối tiếp nhận"),
        Action.WITHDRAW: pgettext_lazy("dossier history", "Rút hồ sơ"),
        Action.SUBMIT_SUPPLEMENT_IN_PROCESSING: pgettext_lazy(
            "dossier history", "Nộp bổ sung hồ sơ đang giải quyết"
        ),
        Action.COMPLETE_STEP: pgettext_lazy("dossier history", "Hoàn thành bước xử lý"),
        Action.SEND_BACK: pgettext_lazy("dossier history", "Trả lại bước trước"),
        Action.FINISH_PROCESSING: pgettext_lazy("dossier history", "Hoàn thành giải quyết"),
        Action.ATTACH_RESULT: pgettext_lazy("dossier history", "Đính kèm kết quả"),
        Action.GENERATE_RESULT: pgettext_lazy("dossier history", "Soạn văn bản kết quả"),
        Action.REMOVE_RESULT: pgettext_lazy("dossier history", "Gỡ kết quả đã đính kèm"),
        Action.APOLOGIZE: pgettext_lazy("dossier history", "Xin lỗi và hẹn lại ngày trả kết quả"),
        Action.STOP: pgettext_lazy("dossier history", "Dừng giải quyết hồ sơ"),
        Action.RETURN_RESULT: pgettext_lazy("dossier history", "Trả kết quả"),
        Action.RESCHEDULE: pgettext_lazy("dossier history", "Dời hạn theo lịch làm việc"),
    }
)


def happened(action: str) -> str:
    """Return how a dossier's history names an event of ``action``."""
    return str(_HAPPENED[Action(action)])


class ReturnMethod(models.TextChoices):
    """How the result reaches the applicant (hình thức trả kết quả)."""

    ELECTRONIC = "electronic", gettext_lazy("Trả kết quả điện tử")
    DESK = "desk", gettext_lazy("Trả trực tiếp tại Bộ phận Một cửa")
    POST = "post", gettext_lazy("Trả qua dịch vụ bưu chính công ích")


def default_result_delivery(channel: str) -> ReturnMethod:
    """Return how an applicant who chose nothing receives the result: electronically when
    they applied online, else the way the dossier came (at the desk, by post)."""
    return {
        Channel.ONLINE: ReturnMethod.ELECTRONIC,
        Channel.DESK: ReturnMethod.DESK,
        Channel.POST: ReturnMethod.POST,
    }[Channel(channel)]


class StepOutcome(models.TextChoices):
    """How a step (or a dossier) finished against its due moment (phiếu kiểm soát, mẫu 06)."""

    EARLY = "early", gettext_lazy("Trước hạn")
    ON_TIME = "on_time", gettext_lazy("Đúng hạn")
    LATE = "late", gettext_lazy("Quá hạn")


# ``None`` stands for "no dossier yet": submitting creates one.
TRANSITIONS: MappingProxyType[tuple[DossierStatus | None, Action], DossierStatus] = (
    MappingProxyType(
        {
            (None, Action.SUBMIT): DossierStatus.SUBMITTED,
            (DossierStatus.SUBMITTED, Action.RECEIVE): DossierStatus.RECEIVED,
            (
                DossierStatus.SUBMITTED,
                Action.REQUEST_SUPPLEMENT,
            ): DossierStatus.SUPPLEMENT_REQUESTED,
            (
                DossierStatus.SUPPLEMENT_REQUESTED,
                Action.SUBMIT_SUPPLEMENT,
            ): DossierStatus.SUBMITTED,
            (DossierStatus.SUBMITTED, Action.REFUSE): DossierStatus.REFUSED,
            # Only before receipt: the applicant asked at intake never brought the
            # supplement (``permissions.is_received``).
            (DossierStatus.SUPPLEMENT_REQUESTED, Action.REFUSE): DossierStatus.REFUSED,
            (DossierStatus.SUBMITTED, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            (DossierStatus.RECEIVED, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            (DossierStatus.PROCESSING, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            (DossierStatus.SUPPLEMENT_REQUESTED, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            # Received, the dossier is at the first internal step (usually the one-stop
            # desk's); completing it hands the dossier to the processing steps.
            (DossierStatus.RECEIVED, Action.COMPLETE_STEP): DossierStatus.PROCESSING,
            (DossierStatus.PROCESSING, Action.COMPLETE_STEP): DossierStatus.PROCESSING,
            # Only past the first step (the desk's), where a step before exists.
            (DossierStatus.PROCESSING, Action.SEND_BACK): DossierStatus.PROCESSING,
            (DossierStatus.RECEIVED, Action.FINISH_PROCESSING): DossierStatus.RESULT_READY,
            (DossierStatus.PROCESSING, Action.FINISH_PROCESSING): DossierStatus.RESULT_READY,
            (DossierStatus.PROCESSING, Action.ATTACH_RESULT): DossierStatus.PROCESSING,
            (DossierStatus.PROCESSING, Action.GENERATE_RESULT): DossierStatus.PROCESSING,
            (DossierStatus.PROCESSING, Action.REMOVE_RESULT): DossierStatus.PROCESSING,
            (
                DossierStatus.PROCESSING,
                Action.REQUEST_SUPPLEMENT,
            ): DossierStatus.SUPPLEMENT_REQUESTED,
            (
                DossierStatus.SUPPLEMENT_REQUESTED,
                Action.SUBMIT_SUPPLEMENT_IN_PROCESSING,
            ): DossierStatus.PROCESSING,
            (DossierStatus.RECEIVED, Action.APOLOGIZE): DossierStatus.RECEIVED,
            (DossierStatus.PROCESSING, Action.APOLOGIZE): DossierStatus.PROCESSING,
            (DossierStatus.RECEIVED, Action.STOP): DossierStatus.STOPPED,
            (DossierStatus.PROCESSING, Action.STOP): DossierStatus.STOPPED,
            # Only after receipt: a supplement asked during processing never came.
            (DossierStatus.SUPPLEMENT_REQUESTED, Action.STOP): DossierStatus.STOPPED,
            (DossierStatus.RESULT_READY, Action.RETURN_RESULT): DossierStatus.RETURNED,
            # While the dossier's time runs, or stands still for a supplement.
            (DossierStatus.RECEIVED, Action.RESCHEDULE): DossierStatus.RECEIVED,
            (DossierStatus.PROCESSING, Action.RESCHEDULE): DossierStatus.PROCESSING,
            (
                DossierStatus.SUPPLEMENT_REQUESTED,
                Action.RESCHEDULE,
            ): DossierStatus.SUPPLEMENT_REQUESTED,
        }
    )
)


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


def next_status(status: str | None, action: str) -> DossierStatus:
    """Return the status a dossier in ``status`` takes after ``action``.

    ``status`` is ``None`` for a dossier not yet created. Raise ``TransitionNotAllowed``
    when the action is not allowed from that status.
    """
    key = (
        DossierStatus(status) if status is not None else None,
        Action(action),
    )
    try:
        return TRANSITIONS[key]
    except KeyError:
        current = DossierStatus(status).label if status is not None else _("chưa có hồ sơ")
        message = _("Không thể %(action)s khi hồ sơ đang ở trạng thái “%(status)s”.") % {
            "action": str(Action(action).label).lower(),
            "status": current,
        }
        raise TransitionNotAllowed(message) from None


# --- Lateness, derived ------------------------------------------------------------------------


class LatenessFields(Protocol):
    """What lateness is derived from: a ``Dossier`` has these fields."""

    original_due_at: datetime | None
    finished_at: datetime | None
    clock_stopped_at: datetime | None


def is_late(dossier: LatenessFields, now: datetime) -> bool:
    """Return whether the dossier is late: finished, or still open at ``now``, after its due.

    The due moment compared is ``original_due_at``: the legal time from receipt, moved only
    by clock stops for supplements, never by an apology's new appointment, so that a late
    dossier counts as late however it finishes (Nghị định 118/2025/NĐ-CP keeps the rule of
    61/2018 that the apology does not make a late dossier on time; article to verify).
    While the clock is stopped for a supplement the dossier is judged at the stop.
    """
    due = dossier.original_due_at
    if due is None:
        return False
    moment = dossier.finished_at or dossier.clock_stopped_at or now
    return moment > due


def finished_late(dossier: LatenessFields) -> bool | None:
    """Return whether a finished dossier finished late; ``None`` while it is still open."""
    if dossier.finished_at is None:
        return None
    return is_late(dossier, dossier.finished_at)


def step_outcome(*, finished: datetime, due: datetime) -> StepOutcome:
    """Return early / on time / late for a step finished at ``finished`` and due at ``due``.

    Late after the due moment; early when finished on a day (Vietnam time) before the due
    day; otherwise on time. This is how the process control sheet (mẫu 06, Thông tư
    03/2025/TT-VPCP, to verify) reads "trước hạn / đúng hạn / quá hạn".
    """
    if finished > due:
        return StepOutcome.LATE
    if local_day(finished) < local_day(due):
        return StepOutcome.EARLY
    return StepOutcome.ON_TIME
