"""Withdrawal of a dossier by its applicant (rút hồ sơ)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.errors import NotAllowed
from sen.core.models import User
from sen.core.text import visible_text
from sen.core.timezones import short_moment
from sen.dossiers.errors import ReasonRequired, ResultApproved
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import may_withdraw
from sen.dossiers.services import _transitions
from sen.dossiers.services._clock import closing_changes
from sen.dossiers.states import Action, next_status


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int | None = None
) -> Dossier:
    """Withdraw the dossier at the applicant's request (rút hồ sơ), while not yet decided.

    Allowed while submitted, received, processing or waiting for a supplement, until the
    leader approves the result (``permissions.withdrawable``); the
    applicant may withdraw a dossier not yet resolved (Nghị định 118/2025/NĐ-CP, article
    to verify). An applicant without an account hands a written request to the desk, whose
    one-stop officer records it (``permissions.may_withdraw``).
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    if not may_withdraw(locked, actor):
        raise NotAllowed(_("Chỉ người nộp hồ sơ mới được rút hồ sơ."))
    next_status(locked.status, Action.WITHDRAW)
    approved_at = locked.result_approved_at  # what permissions.result_approved asks
    if approved_at is not None:
        raise ResultApproved(
            _(
                "Hồ sơ %(code)s đã có kết quả giải quyết, được lãnh đạo phê duyệt lúc %(at)s; "
                "hồ sơ đã giải quyết thì không rút được nữa."
            )
            % {"code": locked.code, "at": short_moment(approved_at)}
        )
    reason = visible_text(reason)
    if not reason:
        raise ReasonRequired(_("Hãy nêu lý do rút hồ sơ."))
    now = timezone.now()
    _transitions.apply(
        dossier=locked,
        action=Action.WITHDRAW,
        actor=actor,
        data={"reason": reason},
        at=now,
        changes=closing_changes(locked, now),
    )
    return locked
