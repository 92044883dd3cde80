"""Intake at the one-stop desk (tiếp nhận): receive a dossier or refuse it.

Asking for a supplement at intake is in :mod:`.supplements`, with the supplement itself.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.models import User
from sen.core.text import visible_text
from sen.dossiers import outbox
from sen.dossiers.errors import RefusalReasonRequired
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import is_received
from sen.dossiers.services import _transitions
from sen.dossiers.services._clock import start_step
from sen.dossiers.states import Action, TransitionNotAllowed, next_status
from sen.workdays.services import due_moment


@transaction.atomic
def dossier_receive(
    *, dossier: Dossier, actor: User | None, comment: str = "", expected_revision: int
) -> Dossier:
    """Receive the dossier (tiếp nhận) and set its due moment from the legal time.

    The due moment is ``processing_days`` working days of the procedure version after
    the moment of receipt, on the receiving agency's calendar. The dossier is then at the
    first internal step of the procedure (usually the one-stop desk's), due after that
    step's time. The dossier is entered in the agency's register of the year
    (``register_year``, ``register_number``: the number its receipt slip prints). A
    notice of the submission not yet sent is closed unsent: the receipt's says more.
    """
    locked = _transitions.lock_for_intake(
        dossier=dossier, actor=actor, expected_revision=expected_revision
    )
    next_status(locked.status, Action.RECEIVE)  # refuse before computing anything
    now = timezone.now()
    due = due_moment(start=now, days=locked.procedure.processing_days, agency=locked.agency)
    first = locked.procedure.steps.order_by("position").first()
    record = start_step(dossier=locked, step=first, at=now) if first is not None else None
    # Drawn last but for the writes: the draw holds the agency's book until the commit.
    entry = _transitions.register_entry(locked, at=now)
    _transitions.apply(
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
            **entry,
        },
    )
    if record is not None:
        record.save()
    # An applicant not yet told that the dossier arrived is told once, of its receipt. At
    # the desk the officer enters the dossier and receives it in one go: two emails a
    # moment apart, the first saying it waits for intake, would only confuse.
    outbox.close_superseded(dossier=locked, action=Action.SUBMIT, now=now)
    return locked


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int
) -> Dossier:
    """Refuse the dossier at intake (từ chối tiếp nhận) with the reason given to the applicant.

    Waiting for a supplement asked at intake, it is refused when the applicant never brings
    it; once received it is not refused but stopped (``dossier_stop``).
    """
    locked = _transitions.lock_for_intake(
        dossier=dossier, actor=actor, expected_revision=expected_revision
    )
    # A dossier past intake is refused as such, whatever the reason says.
    next_status(locked.status, Action.REFUSE)
    if is_received(locked):
        raise TransitionNotAllowed(
            _(
                "Hồ sơ %(code)s đã được tiếp nhận nên không thể từ chối tiếp nhận; lãnh đạo "
                "có thể dừng giải quyết hồ sơ."
            )
            % {"code": locked.code}
        )
    reason = visible_text(reason)
    if not reason:
        raise RefusalReasonRequired(_("Hãy nêu lý do từ chối tiếp nhận hồ sơ."))
    now = timezone.now()
    _transitions.apply(
        dossier=locked,
        action=Action.REFUSE,
        actor=actor,
        data={"reason": reason},
        at=now,
        changes={"finished_at": now},
    )
    return locked
