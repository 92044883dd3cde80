"""Emails about dossiers: the applicant's status-change notice and the officers' reminders.

Plain functions that read the database and build ``EmailMultiAlternatives`` (plain text with
an HTML alternative, rendered from ``templates/dossiers/email/``); ``tasks.py`` sends them.
No email carries a personal identifier: no CCCD, no phone, no address (numbers in an
officer's free text, such as who took a result at the desk, are masked), and the officers'
lists name dossiers by code and procedure only.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sen.core.models import Agency, Membership, Role
from sen.core.text import mask_identifying_numbers
from sen.core.timezones import short_moment
from sen.dossiers.calendar_moves import appointment_move_text
from sen.dossiers.codes import local_day
from sen.dossiers.links import (
    applicant_page_path,
    officer_page_path,
    public_url,
    tracking_url,
)
from sen.dossiers.models import Dossier, DossierEvent, OverdueDigestSent, StepRecord
from sen.dossiers.permissions import step_holder
from sen.dossiers.selectors import OPEN, is_overdue, overdue_at, step_overdue_at
from sen.dossiers.states import FINISHED_STATUSES, Action, DossierStatus, ReturnMethod
from sen.workdays.services import due_moment

# Events that keep the status but still change what the applicant waits for: the apology
# sets a new appointment. Internal moves (a step completed, a result attached) do not.
NOTIFIED_WITHOUT_STATUS_CHANGE = frozenset({Action.APOLOGIZE})

# One working day is never longer than this on any calendar (the longest holiday, Tết, with
# its weekends, stays well under it); a cheap first filter before each agency's exact bound.
LONGEST_WORKING_DAY = timedelta(days=21)

# How long whoever claimed an email holds it before another may take it: a notice's sender
# (``outbox``), a run of the schedule with a step's reminder or an agency's digest. Longer
# than any email takes to send (Django's SMTP backend has EMAIL_TIMEOUT for that); a claim
# older than this belongs to a sender that died, and costs minutes, not a day.
CLAIM_LEASE = timedelta(minutes=10)


def _message(
    *, subject: str, template: str, context: dict[str, Any], to: list[str]
) -> EmailMultiAlternatives:
    text = render_to_string(f"dossiers/email/{template}.txt", context)
    html = render_to_string(f"dossiers/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(html, "text/html")
    return message


# --- The applicant -----------------------------------------------------------------------------


def applicant_address(dossier: Dossier) -> str:
    """Return where the applicant's notices go: the dossier's email, else the account's."""
    if dossier.applicant_email:
        return dossier.applicant_email
    if dossier.applicant is not None:
        return dossier.applicant.email
    return ""


def is_notified(event: DossierEvent) -> bool:
    """Return whether the applicant hears about this event: a status change, an apology, or
    an appointment moved by the working calendar (not the officers' deadlines, nor one
    that waits for a supplement: the appointment is counted again when it arrives)."""
    if event.action == Action.RESCHEDULE:
        return event.moved_appointment and event.to_status != DossierStatus.SUPPLEMENT_REQUESTED
    return event.from_status != event.to_status or event.action in NOTIFIED_WITHOUT_STATUS_CHANGE


def status_change_message(event: DossierEvent) -> EmailMultiAlternatives | None:
    """Return the applicant's notice of ``event``, or ``None`` when nobody is to be told.

    ``event`` comes with its dossier, the dossier's procedure, agency and applicant.
    """
    dossier = event.dossier
    to = applicant_address(dossier)
    if not to or not is_notified(event):
        return None
    status = str(DossierStatus(event.to_status).label)
    data = event.data or {}
    previous_due = event.data_moment("previous_due_at")
    asks_supplement = event.action == Action.REQUEST_SUPPLEMENT
    apology = event.action == Action.APOLOGIZE
    rescheduled = event.action == Action.RESCHEDULE
    # The applicant's own page, behind their login: where a supplement is sent and a
    # result downloaded. A dossier entered at the desk without an account has none.
    own_page = (
        public_url(applicant_page_path(dossier.code)) if dossier.applicant_id is not None else ""
    )
    # Downloadable once returned electronically (not before: ``RESULT_VISIBLE_STATUSES``).
    returned_by = data.get("method") if event.to_status == DossierStatus.RETURNED else None
    result_online = returned_by == ReturnMethod.ELECTRONIC
    context = {
        "applicant": dossier.applicant_name,
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "status": status,
        # No appointment once the dossier is over, nor while its clock stands still.
        "due": (
            short_moment(event.due_at)
            if event.due_at is not None
            and event.to_status not in (*FINISHED_STATUSES, DossierStatus.SUPPLEMENT_REQUESTED)
            else ""
        ),
        "clock_stopped": event.to_status == DossierStatus.SUPPLEMENT_REQUESTED
        and event.from_status == DossierStatus.PROCESSING,
        "items": data.get("items", []) if asks_supplement else [],
        "reason": (
            event.stated_reason
            if event.action in (Action.REFUSE, Action.STOP, Action.APOLOGIZE, Action.RESCHEDULE)
            else ""
        ),
        "refused": event.action == Action.REFUSE,
        "apology": apology,
        "rescheduled": rescheduled,
        # Later, or back earlier (a day that counts again): the email says which, and why.
        "moved": (
            appointment_move_text(
                code=dossier.code,
                later=event.due_at is not None
                and previous_due is not None
                and event.due_at > previous_due,
            )
            if rescheduled
            else ""
        ),
        "submitted": event.action == Action.SUBMIT,
        "previous_due": (
            _moment_text(data.get("previous_due_at")) if apology or rescheduled else ""
        ),
        "tracking_url": tracking_url(dossier.code),
        "supplement_url": own_page if asks_supplement else "",
        "supplement_at_desk": asks_supplement and not own_page,
        "result_url": own_page if result_online else "",
        # How a paper result left: the parcel's number to follow it at the post office, or
        # who took it at the desk (the applicant learns if someone else collected it).
        "posted_as": data.get("postal_tracking_number", "")
        if returned_by == ReturnMethod.POST
        else "",
        "handed_to": (
            mask_identifying_numbers(str(data.get("recipient", "")))
            if returned_by == ReturnMethod.DESK
            else ""
        ),
        "collect_at": (
            dossier.agency.name
            if event.to_status == DossierStatus.RESULT_READY
            and dossier.result_delivery == ReturnMethod.DESK
            else ""
        ),
    }
    if apology:
        subject = _("[Sen] Hồ sơ %(code)s: xin lỗi và hẹn lại ngày trả kết quả") % {
            "code": dossier.code
        }
    elif rescheduled:
        subject = _("[Sen] Hồ sơ %(code)s: dời ngày hẹn trả kết quả theo lịch làm việc") % {
            "code": dossier.code
        }
    else:
        subject = _("[Sen] Hồ sơ %(code)s: %(status)s") % {"code": dossier.code, "status": status}
    return _message(subject=subject, template="status_change", context=context, to=[to])


def _moment_text(value: Any) -> str:
    """Return an ISO moment an event's data holds as the emails print it; "" if none."""
    if not isinstance(value, str) or not value:
        return ""
    return short_moment(datetime.fromisoformat(value))


# --- The officers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One dossier in an officer's list."""

    code: str
    procedure: str
    due: str
    # The officers' page of the dossier, where they act on it.
    url: str


def _line(dossier: Dossier, moment: datetime) -> Line:
    return Line(
        code=dossier.code,
        procedure=dossier.procedure.name,
        due=short_moment(moment),
        url=public_url(officer_page_path(dossier.code)),
    )


def _members(agency_ids: Iterable[int], roles: Iterable[str] | None = None) -> list[Membership]:
    """Return the active memberships of active officers with an email, in these agencies."""
    memberships = Membership.objects.filter(
        agency_id__in=set(agency_ids),
        is_active=True,
        agency__is_active=True,
        user__is_active=True,
    ).exclude(user__email="")
    if roles is not None:
        memberships = memberships.filter(role__in=set(roles))
    return list(memberships.select_related("user").order_by("user__email", "id"))


@dataclass(frozen=True)
class Reminders:
    """The due-soon emails to send, and the step records they remind of."""

    messages: list[EmailMultiAlternatives]
    steps: list[int]


def due_soon_reminders(*, now: datetime, claim: bool = False) -> Reminders:
    """Return one email per officer listing their dossiers whose step is due within a day,
    each step once: a step whose officers were reminded is left out until it starts again
    (sent back to it, say), so that an hourly schedule does not repeat the same list.

    A dossier is the officer's when they hold the current step's role in the step's agency
    (the receiving agency when the step names none). "Within one working day" is from
    ``now`` to ``due_moment(start=now, days=1)`` on that agency's calendar. Costs one query
    for the dossiers, one for the officers, and the calendar's for each agency involved.

    With ``claim``, each step is first claimed for ``CLAIM_LEASE``, and only the steps
    this call claimed are listed: two runs of the schedule at once (a slow mail server, two
    hosts) remind of each step once. One query more per step. The caller marks the steps
    reminded once the emails are sent (``mark_reminded``), or gives them back
    (``release_reminded``); a claim left by a run cut off in between runs out, and a later
    run reminds of its steps.
    """
    open_step = StepRecord.objects.filter(
        Q(reminder_claimed_until__isnull=True) | Q(reminder_claimed_until__lte=now),
        dossier=OuterRef("pk"),
        finished_at__isnull=True,
        reminded_at__isnull=True,
    )
    candidates = (
        Dossier.objects.filter(
            OPEN,
            current_step__isnull=False,
            clock_stopped_at__isnull=True,
            step_due_at__gte=now,
            step_due_at__lte=now + LONGEST_WORKING_DAY,
        )
        .annotate(unreminded_step=Subquery(open_step.order_by("-id").values("pk")[:1]))
        .filter(unreminded_step__isnull=False)
        .select_related("procedure", "agency", "current_step", "current_step__agency")
        .order_by("step_due_at", "code")
    )
    bounds: dict[int, datetime] = {}
    due: list[tuple[Line, str, Agency]] = []
    steps: list[int] = []
    for dossier in candidates:
        if dossier.step_due_at is None:
            continue  # excluded by the query; keeps the types honest
        role, agency = step_holder(dossier)
        if agency.pk not in bounds:
            bounds[agency.pk] = due_moment(start=now, days=Decimal(1), agency=agency)
        if dossier.step_due_at <= bounds[agency.pk]:
            if claim and not _claim_step(dossier.unreminded_step, at=now):
                continue
            due.append((_line(dossier, dossier.step_due_at), role, agency))
            steps.append(dossier.unreminded_step)
    if not due:
        return Reminders([], [])
    holders: dict[tuple[int, str], list[Membership]] = defaultdict(list)
    for membership in _members({a.pk for _d, _r, a in due}, {r for _d, r, _a in due}):
        holders[(membership.agency_id, membership.role)].append(membership)
    lists: dict[str, list[Line]] = defaultdict(list)
    for line, role, agency in due:
        for membership in holders[(agency.pk, role)]:
            if line not in lists[membership.user.email]:
                lists[membership.user.email].append(line)
    subject = _("[Sen] Hồ sơ đến hạn xử lý trong một ngày làm việc")
    messages = [
        _message(
            subject=subject,
            template="due_soon",
            context={"lines": lines, "now": short_moment(now)},
            to=[email],
        )
        for email, lines in sorted(lists.items())
    ]
    return Reminders(messages, steps)


def _claim_step(step: int, *, at: datetime) -> bool:
    """Claim the step record's reminder from ``at`` for ``CLAIM_LEASE`` unless it was
    sent or another run holds it; return whether this call did. Committed at once
    (autocommit), before any email goes out."""
    unclaimed = Q(reminder_claimed_until__isnull=True) | Q(reminder_claimed_until__lte=at)
    claimed = StepRecord.objects.filter(unclaimed, pk=step, reminded_at__isnull=True).update(
        reminder_claimed_until=at + CLAIM_LEASE
    )
    return claimed == 1


def mark_reminded(steps: Iterable[int], *, at: datetime) -> None:
    """Record that the reminders of the steps claimed at ``at`` were sent: they are not
    sent again in this turn of the step."""
    StepRecord.objects.filter(pk__in=list(steps), reminder_claimed_until=at + CLAIM_LEASE).update(
        reminded_at=at, reminder_claimed_until=None
    )


def release_reminded(steps: Iterable[int], *, at: datetime) -> None:
    """Give back the steps claimed at ``at`` whose emails could not be sent, so that the
    next run reminds of them."""
    StepRecord.objects.filter(pk__in=list(steps), reminder_claimed_until=at + CLAIM_LEASE).update(
        reminder_claimed_until=None
    )


@dataclass(frozen=True)
class AgencyDigest:
    """One agency's digest of what is past due there: one email to each of its officers."""

    agency: Agency
    messages: list[EmailMultiAlternatives]


def overdue_digest_messages(*, now: datetime) -> list[EmailMultiAlternatives]:
    """Return the emails of every agency's digest (``overdue_digests``), in one list."""
    return [message for digest in overdue_digests(now=now) for message in digest.messages]


def overdue_digests(*, now: datetime) -> list[AgencyDigest]:
    """Return, per agency, one email to each of its officers listing what is past due there:
    its open dossiers past their due moment, and the dossiers not yet past it whose current
    step, held by the agency, is (a step can be late while its dossier is not).

    An agency's dossiers are those it received and those at one of its inter-agency steps,
    as in its queue. Its officers are the active holders of any role there except the
    provincial administrator's, each once. Costs one query for the dossiers and one for the
    officers.
    """
    candidates = (
        Dossier.objects.filter(overdue_at(now) | step_overdue_at(now))
        .select_related("procedure", "agency", "current_step", "current_step__agency")
        .order_by("due_at", "code")
    )
    by_agency: dict[int, list[Line]] = defaultdict(list)
    steps_by_agency: dict[int, list[Line]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for dossier in candidates:
        if is_overdue(dossier, now=now) and dossier.due_at is not None:
            line = _line(dossier, dossier.due_at)
            involved = [dossier.agency]
            step = dossier.current_step
            if step is not None and step.agency is not None and step.agency_id != dossier.agency_id:
                involved.append(step.agency)
            for agency in involved:
                agencies[agency.pk] = agency
                by_agency[agency.pk].append(line)
        elif dossier.step_due_at is not None and dossier.current_step is not None:
            _role, agency = step_holder(dossier)
            agencies[agency.pk] = agency
            steps_by_agency[agency.pk].append(_line(dossier, dossier.step_due_at))
    if not agencies:
        return []
    roles = [role for role in Role.values if role != Role.PROVINCE_ADMIN]
    officers: dict[int, list[str]] = defaultdict(list)
    for membership in _members(agencies, roles):
        if membership.user.email not in officers[membership.agency_id]:
            officers[membership.agency_id].append(membership.user.email)
    digests = []
    for agency in sorted(agencies.values(), key=lambda agency: agency.code):
        if not officers[agency.pk]:
            continue
        lines, late_steps = by_agency[agency.pk], steps_by_agency[agency.pk]
        counts = []
        if lines:
            counts.append(
                ngettext("%(count)d hồ sơ quá hạn", "%(count)d hồ sơ quá hạn", len(lines))
                % {"count": len(lines)}
            )
        if late_steps:
            steps = len(late_steps)
            counts.append(
                ngettext("%(count)d bước xử lý quá hạn", "%(count)d bước xử lý quá hạn", steps)
                % {"count": steps}
            )
        subject = _("[Sen] %(agency)s: %(counts)s") % {
            "agency": agency.name,
            "counts": ", ".join(counts),
        }
        context = {
            "agency": agency.name,
            "lines": lines,
            "late_steps": late_steps,
            "now": short_moment(now),
        }
        # One email each: in one "To:" every officer would read every colleague's address.
        messages = [
            _message(subject=subject, template="overdue_digest", context=context, to=[email])
            for email in officers[agency.pk]
        ]
        digests.append(AgencyDigest(agency, messages))
    return digests


def claim_digest_day(agency: Agency, *, now: datetime) -> bool:
    """Claim the agency's digest of the day of ``now`` (Vietnam time) for
    ``CLAIM_LEASE``; return whether this caller got it. Committed before the emails go
    out, so that a second run of the schedule the same day, even a concurrent one, finds it
    taken and sends nothing; a claim left by a run cut off before ``mark_digest_sent`` runs
    out, and a later run that day sends the digest."""
    day, until = local_day(now), now + CLAIM_LEASE
    try:
        with transaction.atomic():
            OverdueDigestSent.objects.create(agency=agency, day=day, claimed_until=until)
    except IntegrityError:
        lapsed = OverdueDigestSent.objects.filter(
            agency=agency, day=day, sent_at__isnull=True, claimed_until__lte=now
        )
        return lapsed.update(claimed_until=until) == 1
    return True


def _digest_claim(agency: Agency, *, now: datetime) -> QuerySet[OverdueDigestSent]:
    return OverdueDigestSent.objects.filter(
        agency=agency, day=local_day(now), claimed_until=now + CLAIM_LEASE
    )


def mark_digest_sent(agency: Agency, *, now: datetime) -> None:
    """Record that the digest claimed at ``now`` was sent: not again that day."""
    _digest_claim(agency, now=now).update(sent_at=now, claimed_until=None)


def release_digest_day(agency: Agency, *, now: datetime) -> None:
    """Give back a claim whose emails could not be sent, so that the next run sends them."""
    _digest_claim(agency, now=now).delete()
