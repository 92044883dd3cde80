"""The states of a dossier, its channels, and the transitions between states.

Plain definitions without database access. The national codes are those the national
public-service portal uses to synchronize dossiers (TrangThaiHoSo, KenhThucHien), so that
a connector can send them unchanged. Lateness is not a state: it is derived from the due
moment and the moment the dossier finished.
"""

from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
            (DossierStatus.SUBMITTED, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            (DossierStatus.RECEIVED, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            (DossierStatus.PROCESSING, Action.WITHDRAW): DossierStatus.WITHDRAWN,
            (DossierStatus.SUPPLEMENT_REQUESTED, Action.WITHDRAW): DossierStatus.WITHDRAWN,
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
