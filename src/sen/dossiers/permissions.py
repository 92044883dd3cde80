"""Who may do what to a dossier right now: the rules the services enforce, as questions.

The services of :mod:`sen.dossiers.services` ask these predicates before they act, and
:func:`actions_allowed` asks the same ones to tell a page which actions to offer, so that
what a page offers and what a service accepts cannot drift apart. The state table is
:data:`sen.dossiers.states.TRANSITIONS`; the rest is who holds which role in which agency
and the one-stop rules that do not depend on input (a supplement is requested once, the
apology comes once and on a day before the due day, the leader approves only with a result).

Plain reads: nothing here writes or raises.
"""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects
from django.utils import timezone

from sen.catalog.models import ProcessStep
from sen.core.models import Agency, Role
from sen.core.selectors import officer_role_pairs
from sen.core.timezones import start_of_day
from sen.dossiers.codes import local_day
from sen.dossiers.models import Dossier
from sen.dossiers.states import TRANSITIONS, Action, DossierStatus

AnyUser = AbstractBaseUser | AnonymousUser

# What an officer does to a dossier, in the order a page offers them.
OFFICER_ACTIONS = (
    Action.RECEIVE,
    Action.REQUEST_SUPPLEMENT,
    Action.REFUSE,
    Action.COMPLETE_STEP,
    Action.SEND_BACK,
    Action.ATTACH_RESULT,
    Action.GENERATE_RESULT,
    Action.REMOVE_RESULT,
    Action.APOLOGIZE,
    Action.STOP,
    Action.RETURN_RESULT,
    # The supplement the applicant brings to the desk or sends by post, taken in for them.
    Action.SUBMIT_SUPPLEMENT,
    Action.SUBMIT_SUPPLEMENT_IN_PROCESSING,
    # The written request to withdraw of an applicant without an account.
    Action.WITHDRAW,
)


def holds_role(user: AnyUser | None, agency: Agency, role: str) -> bool:
    """Return whether ``user`` holds ``role`` in ``agency``, as
    :func:`sen.core.selectors.officer_has_role` answers, from the roles the user object
    remembers for its request (ADR 14): listing every action costs one query however many
    (agency, role) pairs it asks about, none when it asks none, and none when the user
    object has read its roles already (for the menu, say)."""
    return agency.is_active and (agency.pk, str(role)) in officer_role_pairs(user)


def step_holder(dossier: Dossier) -> tuple[str, Agency]:
    """Return the role and agency that act on the dossier's current step.

    The step's own agency when it names one (an inter-agency hand-off, liên thông),
    otherwise the receiving agency. Without a current step, the receiving agency's
    one-stop desk.
    """
    step = dossier.current_step
    if step is None:
        return Role.ONE_STOP_OFFICER, dossier.agency
    return step.role, step.agency or dossier.agency


# --- Who -----------------------------------------------------------------------------------


def may_enter_at_desk(agency: Agency, user: AnyUser | None) -> bool:
    """Return whether ``user`` is a one-stop officer of ``agency``, who enters the dossiers
    brought to its desk or sent to it by post."""
    return holds_role(user, agency, Role.ONE_STOP_OFFICER)


def may_intake(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` is a one-stop officer of the receiving agency, and not the
    dossier's applicant (``handles_own``).

    They receive, refuse and return dossiers, and ask for supplements at intake.
    """
    return may_enter_at_desk(dossier.agency, user) and not is_applicant(dossier, user)


def may_act_on_step(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` holds the current step's role in the step's agency, and is
    not the dossier's applicant (``handles_own``)."""
    role, agency = step_holder(dossier)
    return holds_role(user, agency, role) and not is_applicant(dossier, user)


def may_request_supplement(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` may ask for a supplement: the step's officer during
    processing, a one-stop officer of the receiving agency otherwise."""
    if dossier.status == DossierStatus.PROCESSING:
        return may_act_on_step(dossier, user)
    return may_intake(dossier, user)


def may_apologize(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` is the current step's officer or a leader of the agency, and
    not the dossier's applicant."""
    leads = holds_role(user, dossier.agency, Role.LEADER) and not is_applicant(dossier, user)
    return may_act_on_step(dossier, user) or leads


def may_stop(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` is a leader of the receiving agency, and not the dossier's
    applicant."""
    return holds_role(user, dossier.agency, Role.LEADER) and not is_applicant(dossier, user)


def is_applicant(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` is the account that submitted the dossier."""
    return user is not None and dossier.applicant_id is not None and user.pk == dossier.applicant_id


def handles_own(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user``, an officer, would act as an officer on a dossier they
    applied for with their own account: nobody decides their own case, so no officer's
    action is theirs on it, only the applicant's (withdraw, supplement, rate)."""
    return is_applicant(dossier, user) and bool(officer_role_pairs(user))


# --- One-stop rules that do not depend on input ---------------------------------------------


def is_received(dossier: Dossier) -> bool:
    """Return whether the dossier was received: from then on it is processed, and a leader
    may stop that; before, it is the desk's to receive or refuse. A dossier waiting for a
    supplement may be either (asked at intake, or during processing)."""
    return dossier.received_at is not None


def supplement_already_requested(dossier: Dossier) -> bool:
    """Return whether the dossier's one supplement request was made (guided once, in full)."""
    return dossier.supplement_count >= 1


def result_attached(dossier: Dossier) -> bool:
    """Return whether a result is attached during processing: the dossier is decided (the
    leader signed it), so asking the applicant for more papers no longer makes sense.
    Reads the results unless they are loaded; no query before processing."""
    return dossier.status == DossierStatus.PROCESSING and dossier.results.exists()


def approves_result(step: ProcessStep, later: Sequence[ProcessStep]) -> bool:
    """Return whether completing ``step`` approves the result: it is the leader's, and no
    leader's step follows it (``later``, the procedure's steps after it). A procedure may
    have a department's leader and then the committee's chairman sign; the last one is the
    approval after which the result is the applicant's."""
    return step.role == Role.LEADER and all(item.role != Role.LEADER for item in later)


def result_approved(dossier: Dossier) -> bool:
    """Return whether the leader approved the result at the procedure's last leader step:
    from then on it is the applicant's, and no step after (the desk's return, say) attaches,
    drafts or takes back a result. Sending the dossier back to that step undoes it."""
    return dossier.result_approved_at is not None


def apology_already_made(dossier: Dossier) -> bool:
    """Return whether the dossier's one apology with a new appointment was made."""
    return dossier.apologized_at is not None


def apology_deadline(due_at: datetime) -> datetime:
    """Return the moment an apology for a dossier due at ``due_at`` must come before.

    The letter is sent "chậm nhất 01 ngày trước ngày hết hạn" (Nghị định 61/2018/NĐ-CP,
    carried into 118/2025; article to verify): on a day before the due day, so until
    midnight, Vietnam time, at the start of the day the dossier is due.
    """
    return start_of_day(local_day(due_at))


def apology_too_late(dossier: Dossier, now: datetime) -> bool:
    """Return whether ``now`` is past the moment an apology had to come before."""
    return dossier.due_at is None or now >= apology_deadline(dossier.due_at)


def approval_needs_result(dossier: Dossier) -> bool:
    """Return whether the current step is the leader's and no result is attached yet."""
    step = dossier.current_step
    return step is not None and step.role == Role.LEADER and not dossier.results.exists()


# --- Everything at once ----------------------------------------------------------------------


def _from(status: str, *actions: Action) -> bool:
    """Return whether every one of ``actions`` is a transition out of ``status``."""
    return all((DossierStatus(status), action) in TRANSITIONS for action in actions)


def has_previous_step(dossier: Dossier) -> bool:
    """Return whether the dossier's current step has one before it (steps count from 1)."""
    step = dossier.current_step
    return step is not None and step.position > 1


def actions_allowed(
    *, dossier: Dossier, user: AnyUser | None, now: datetime | None = None
) -> list[Action]:
    """Return the actions ``user`` may take on ``dossier`` at ``now`` (default: now).

    Officer actions come in the order of :data:`OFFICER_ACTIONS`; the applicant's are
    ``WITHDRAW`` and ``SUBMIT_SUPPLEMENT`` (or ``SUBMIT_SUPPLEMENT_IN_PROCESSING`` when
    the supplement was asked during processing). Completing the last step is listed as
    ``COMPLETE_STEP``. What the action's input must be (a reason, a file) is not judged
    here. Costs one query for the user's roles, when an officer action is possible at all
    and the user object has not read them yet, and one for the results during processing
    unless they are loaded.
    """
    moment = now or timezone.now()
    status = dossier.status
    if status == DossierStatus.PROCESSING:
        # Two rules ask whether a result is attached: read the results once, unless loaded.
        prefetch_related_objects([dossier], "results")
    allowed: list[Action] = []
    if _from(status, Action.RECEIVE) and may_intake(dossier, user):
        allowed.append(Action.RECEIVE)
    if (
        _from(status, Action.REQUEST_SUPPLEMENT)
        and not supplement_already_requested(dossier)
        and not result_attached(dossier)
        and may_request_supplement(dossier, user)
    ):
        allowed.append(Action.REQUEST_SUPPLEMENT)
    if _from(status, Action.REFUSE) and not is_received(dossier) and may_intake(dossier, user):
        allowed.append(Action.REFUSE)
    if (
        _from(status, Action.COMPLETE_STEP, Action.FINISH_PROCESSING)
        and may_act_on_step(dossier, user)
        and not approval_needs_result(dossier)
    ):
        allowed.append(Action.COMPLETE_STEP)
    if (
        _from(status, Action.SEND_BACK)
        and has_previous_step(dossier)
        and may_act_on_step(dossier, user)
    ):
        allowed.append(Action.SEND_BACK)
    if (
        _from(status, Action.ATTACH_RESULT, Action.GENERATE_RESULT)
        and not result_approved(dossier)
        and may_act_on_step(dossier, user)
    ):
        allowed += [Action.ATTACH_RESULT, Action.GENERATE_RESULT]
        if _from(status, Action.REMOVE_RESULT) and result_attached(dossier):
            allowed.append(Action.REMOVE_RESULT)
    if (
        _from(status, Action.APOLOGIZE)
        and not apology_already_made(dossier)
        and not apology_too_late(dossier, moment)
        and may_apologize(dossier, user)
    ):
        allowed.append(Action.APOLOGIZE)
    if _from(status, Action.STOP) and is_received(dossier) and may_stop(dossier, user):
        allowed.append(Action.STOP)
    if _from(status, Action.RETURN_RESULT) and may_intake(dossier, user):
        allowed.append(Action.RETURN_RESULT)
    # The desk acting for the applicant; the applicant's own part comes last.
    if not is_applicant(dossier, user):
        supplement = _supplement_action(dossier)
        if _from(status, supplement) and may_take_supplement(dossier, user):
            allowed.append(supplement)
        if withdrawable(dossier) and may_withdraw(dossier, user):
            allowed.append(Action.WITHDRAW)
    allowed += applicant_actions(dossier=dossier, user=user)
    return allowed


def _supplement_action(dossier: Dossier) -> Action:
    """The supplement's action: asked during processing when the dossier was received before
    the request, as the service decides."""
    if is_received(dossier):
        return Action.SUBMIT_SUPPLEMENT_IN_PROCESSING
    return Action.SUBMIT_SUPPLEMENT


def withdrawable(dossier: Dossier) -> bool:
    """Return whether the dossier is not yet decided, so its applicant may still withdraw it:
    not once the leader approved the result, even while later steps (a tax office's, the
    desk's return) still hold it."""
    return _from(dossier.status, Action.WITHDRAW) and not result_approved(dossier)


def may_withdraw(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` may withdraw the dossier: its applicant, or, for an applicant
    without an account (entered at the desk or by post), a one-stop officer of the receiving
    agency recording their written request. An account holder withdraws it themselves: an
    officer never closes a citizen's online dossier in their name."""
    if dossier.applicant_id is not None:
        return is_applicant(dossier, user)
    return may_intake(dossier, user)


def may_take_supplement(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` may hand in the supplement asked for: the applicant, or a
    one-stop officer of the receiving agency taking in the papers the applicant brought to
    the desk or sent by post (a dossier entered at the desk has no account to send it)."""
    return is_applicant(dossier, user) or may_intake(dossier, user)


def may_replace_form(dossier: Dossier, user: AnyUser | None) -> bool:
    """Return whether ``user`` may replace the dossier's e-form with its supplement: what
    an account holder declared is theirs alone to change; the desk writes in the changes
    only for a dossier without an account, as it wrote the form (ADR 15)."""
    if dossier.applicant_id is not None:
        return is_applicant(dossier, user)
    return may_intake(dossier, user)


def applicant_actions(*, dossier: Dossier, user: AnyUser | None) -> list[Action]:
    """Return the applicant's part of :func:`actions_allowed`, without a query.

    ``WITHDRAW`` and the supplement (``SUBMIT_SUPPLEMENT``, or
    ``SUBMIT_SUPPLEMENT_IN_PROCESSING`` when the dossier was received before the request,
    as the service decides), for the applicant only: anyone else gets none. The citizen's
    pages ask this rather than ``actions_allowed``, whose officer checks would cost role
    queries for actions a citizen's page never offers.
    """
    if not is_applicant(dossier, user):
        return []
    allowed = []
    if withdrawable(dossier):
        allowed.append(Action.WITHDRAW)
    supplement = _supplement_action(dossier)
    if _from(dossier.status, supplement):
        allowed.append(supplement)
    return allowed


__all__ = [
    "OFFICER_ACTIONS",
    "actions_allowed",
    "apology_already_made",
    "apology_deadline",
    "apology_too_late",
    "applicant_actions",
    "approval_needs_result",
    "holds_role",
    "is_applicant",
    "may_act_on_step",
    "may_apologize",
    "may_enter_at_desk",
    "may_intake",
    "may_replace_form",
    "may_request_supplement",
    "may_stop",
    "may_take_supplement",
    "may_withdraw",
    "result_attached",
    "step_holder",
    "supplement_already_requested",
    "withdrawable",
]
