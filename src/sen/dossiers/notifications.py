"""Emails about dossiers: the applicant's status-change notice and the officers' reminders.

Plain functions that read the database and build ``EmailMultiAlternatives`` (plain text with
an HTML alternative, rendered from ``templates/dossiers/email/``); ``tasks.py`` sends them.
No email carries a personal identifier: no CCCD, no phone, no address (numbers in an
officer's free text, such as who took a result at the desk, are masked), and the officers'
lists name dossiers by code and procedure only.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

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
from sen.dossiers.models import (
    Dossier,
    DossierEvent,
    OverdueDigestSent,
    StepRecord,
    StepReminder,
)
from sen.dossiers.permissions import step_holder
from sen.dossiers.selectors import OPEN, is_overdue, overdue_at, step_overdue_at
from sen.dossiers.states import FINISHED_STATUSES, Action, DossierStatus, ReturnMethod
from sen.workdays.services import due_moment, is_working_day

# Events that keep the status but still change what the applicant waits for: the apology
# sets a new appointment. Internal moves (a step completed, a result attached) do not.
NOTIFIED_WITHOUT_STATUS_CHANGE = frozenset({Action.APOLOGIZE})

# One working day is never longer than this on any calendar (the longest holiday, Tết, with
# its weekends, stays well under it); a cheap first filter before each agency's exact bound.
LONGEST_WORKING_DAY = timedelta(days=21)

# How long whoever claimed an email holds it before another may take it: a notice's sender
# (``outbox``), a run of the schedule with an officer's reminder or digest. Longer
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


class OfficerEmail(Protocol):
    """One email of the schedule to one officer's address, sent and recorded on its own
    (``tasks._send_each``): ``accounts`` are the usernames that hold the address, for the
    log when the mail server refuses it."""

    @property
    def address(self) -> str: ...

    @property
    def accounts(self) -> tuple[str, ...]: ...

    @property
    def message(self) -> EmailMultiAlternatives: ...


@dataclass(frozen=True)
class DueStep:
    """A step due soon as one officer's reminder lists it: the step record, the due moment
    the reminder announces, and its line."""

    step: int
    due_at: datetime
    line: Line


@dataclass(frozen=True)
class DueSoonReminder:
    """One officer's due-soon email: the steps due within a working day that they hold and
    have not been reminded of."""

    address: str
    accounts: tuple[str, ...]
    steps: tuple[DueStep, ...]
    now: datetime

    @property
    def message(self) -> EmailMultiAlternatives:
        return _message(
            subject=_("[Sen] Hồ sơ đến hạn xử lý trong một ngày làm việc"),
            template="due_soon",
            context={"lines": [step.line for step in self.steps], "now": short_moment(self.now)},
            to=[self.address],
        )


def due_soon_reminders(*, now: datetime) -> list[DueSoonReminder]:
    """Return one reminder per officer listing their dossiers whose step is due within a
    day, each step once per address and due moment: a step an address was reminded of (or
    whose reminder a run holds) is left out of its list until its due moment moves or the
    step starts again (sent back to it, say), so that an hourly schedule does not repeat it.
    An officer given the role later is reminded at the next run.

    A dossier is the officer's when they hold the current step's role in the step's agency
    (the receiving agency when the step names none). "Within one working day" is from
    ``now`` to ``due_moment(start=now, days=1)`` on that agency's calendar; on a day that is
    not a working day there (Vietnam time) its officers are reminded of nothing. Costs one query
    for the dossiers, one for the officers, one for the reminders already sent or held, and
    the calendar's for each agency involved.

    The caller claims each reminder before sending it (``claim_due_soon``), then records it
    (``mark_reminded``) or gives it back (``release_reminded``).
    """
    open_step = StepRecord.objects.filter(dossier=OuterRef("pk"), finished_at__isnull=True)
    candidates = (
        Dossier.objects.filter(
            OPEN,
            current_step__isnull=False,
            clock_stopped_at__isnull=True,
            step_due_at__gte=now,
            step_due_at__lte=now + LONGEST_WORKING_DAY,
        )
        .annotate(open_step=Subquery(open_step.order_by("-id").values("pk")[:1]))
        .filter(open_step__isnull=False)
        .select_related("procedure", "agency", "current_step", "current_step__agency")
        .order_by("step_due_at", "code")
    )
    today = local_day(now)
    bounds: dict[int, datetime | None] = {}
    due: list[tuple[DueStep, str, Agency]] = []
    for dossier in candidates:
        if dossier.step_due_at is None:
            continue  # excluded by the query; keeps the types honest
        role, agency = step_holder(dossier)
        if agency.pk not in bounds:
            # Not on the agency's days off: the first run of its next working day reminds
            # of all they would have, as no due moment falls on a day off.
            working = is_working_day(day=today, agency=agency)
            bounds[agency.pk] = (
                due_moment(start=now, days=Decimal(1), agency=agency) if working else None
            )
        bound = bounds[agency.pk]
        if bound is not None and dossier.step_due_at <= bound:
            line = _line(dossier, dossier.step_due_at)
            due.append((DueStep(dossier.open_step, dossier.step_due_at, line), role, agency))
    if not due:
        return []
    holders: dict[tuple[int, str], list[Membership]] = defaultdict(list)
    for membership in _members({a.pk for _s, _r, a in due}, {r for _s, r, _a in due}):
        holders[(membership.agency_id, membership.role)].append(membership)
    done = set(
        StepReminder.objects.filter(step_id__in={step.step for step, _r, _a in due})
        .filter(Q(sent_at__isnull=False) | Q(claimed_until__gt=now))
        .values_list("step_id", "due_at", "email")
    )
    lists: dict[str, list[DueStep]] = defaultdict(list)
    accounts: dict[str, set[str]] = defaultdict(set)
    for step, role, agency in due:
        for membership in holders[(agency.pk, role)]:
            email = membership.user.email
            if (step.step, step.due_at, email) in done or step in lists[email]:
                continue
            lists[email].append(step)
            accounts[email].add(membership.user.username)
    return [
        DueSoonReminder(email, tuple(sorted(accounts[email])), tuple(steps), now)
        for email, steps in sorted(lists.items())
    ]


def claim_due_soon(reminder: DueSoonReminder, *, now: datetime) -> DueSoonReminder | None:
    """Claim each step of ``reminder`` for its address from ``now`` for ``CLAIM_LEASE``,
    unless it was sent or another run holds it; return the reminder of the steps this call
    claimed, or ``None``. Committed at once (autocommit), before the email goes out: two
    runs at once (a slow mail server, two hosts) remind of each step once."""
    claimed = tuple(
        step
        for step in reminder.steps
        if _claim(
            StepReminder.objects.filter(
                step_id=step.step, due_at=step.due_at, email=reminder.address
            ),
            StepReminder(step_id=step.step, due_at=step.due_at, email=reminder.address),
            now=now,
        )
    )
    return replace(reminder, steps=claimed) if claimed else None


def _claim(row: QuerySet[Any], new: StepReminder | OverdueDigestSent, *, now: datetime) -> bool:
    """Claim the email that ``row`` records (``new`` when it has none yet) for
    ``CLAIM_LEASE`` from ``now``, unless it was sent or its claim still holds; return
    whether this call did."""
    new.claimed_until = now + CLAIM_LEASE
    try:
        with transaction.atomic():
            new.save(force_insert=True)
    except IntegrityError:
        lapsed = row.filter(sent_at__isnull=True, claimed_until__lte=now)
        return lapsed.update(claimed_until=now + CLAIM_LEASE) == 1
    return True


def _reminder_claims(reminder: DueSoonReminder) -> QuerySet[StepReminder]:
    return StepReminder.objects.filter(
        step_id__in=[step.step for step in reminder.steps],
        email=reminder.address,
        claimed_until=reminder.now + CLAIM_LEASE,
        sent_at__isnull=True,
    )


def mark_reminded(reminder: DueSoonReminder) -> None:
    """Record that ``reminder``, claimed at its ``now``, was sent (or refused for good): its
    address hears of these steps no more at these due moments."""
    _reminder_claims(reminder).update(sent_at=reminder.now, claimed_until=None)


def release_reminded(reminder: DueSoonReminder) -> None:
    """Give back the claims of ``reminder``, whose email could not be sent, so that the
    next run sends it."""
    _reminder_claims(reminder).delete()


@dataclass(frozen=True)
class DigestEmail:
    """One officer's email of an agency's overdue digest."""

    agency: Agency
    address: str
    accounts: tuple[str, ...]
    message: EmailMultiAlternatives


@dataclass(frozen=True)
class AgencyDigest:
    """One agency's digest of what is past due there: one email to each of its officers."""

    agency: Agency
    emails: list[DigestEmail]

    @property
    def messages(self) -> list[EmailMultiAlternatives]:
        return [email.message for email in self.emails]


def overdue_digest_messages(*, now: datetime) -> list[EmailMultiAlternatives]:
    """Return the emails of every agency's digest (``overdue_digests``), in one list."""
    return [message for digest in overdue_digests(now=now) for message in digest.messages]


def overdue_digests(*, now: datetime) -> list[AgencyDigest]:
    """Return, per agency, one email to each of its officers listing what is past due there:
    its open dossiers past their due moment, and the dossiers not yet past it whose current
    step, held by the agency, is (a step can be late while its dossier is not).

    An agency's dossiers are those it received and those at one of its inter-agency steps,
    as in its queue. Its officers are the active holders of any role there except the
    provincial administrator's, each address once. An agency gets no digest on a day that is
    not a working day there (Vietnam time): its next working day's does. Costs one query for
    the dossiers and one for the officers.
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
    today = local_day(now)
    agencies = {
        pk: agency for pk, agency in agencies.items() if is_working_day(day=today, agency=agency)
    }
    if not agencies:
        return []
    roles = [role for role in Role.values if role != Role.PROVINCE_ADMIN]
    officers: dict[int, dict[str, set[str]]] = defaultdict(dict)
    for membership in _members(agencies, roles):
        user = membership.user
        officers[membership.agency_id].setdefault(user.email, set()).add(user.username)
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
        emails = [
            DigestEmail(
                agency,
                email,
                tuple(sorted(accounts)),
                _message(subject=subject, template="overdue_digest", context=context, to=[email]),
            )
            for email, accounts in officers[agency.pk].items()
        ]
        digests.append(AgencyDigest(agency, emails))
    return digests


def claim_digest(email: DigestEmail, *, now: datetime) -> bool:
    """Claim the officer's email of the agency's digest of the day of ``now`` (Vietnam
    time) for ``CLAIM_LEASE``; return whether this caller got it. Committed before the
    email goes out, so that a second run of the schedule the same day, even a concurrent
    one, finds it taken and sends nothing; a claim left by a run cut off before
    ``mark_digest_sent`` runs out, and a later run that day sends the email."""
    day = local_day(now)
    key = {"agency": email.agency, "day": day, "email": email.address}
    return _claim(OverdueDigestSent.objects.filter(**key), OverdueDigestSent(**key), now=now)


def _digest_claim(email: DigestEmail, *, now: datetime) -> QuerySet[OverdueDigestSent]:
    return OverdueDigestSent.objects.filter(
        agency=email.agency,
        day=local_day(now),
        email=email.address,
        claimed_until=now + CLAIM_LEASE,
        sent_at__isnull=True,
    )


def mark_digest_sent(email: DigestEmail, *, now: datetime) -> None:
    """Record that the officer's digest email claimed at ``now`` was sent (or refused for
    good): not again that day."""
    _digest_claim(email, now=now).update(sent_at=now, claimed_until=None)


def release_digest(email: DigestEmail, *, now: datetime) -> None:
    """Give back a claim whose email could not be sent, so that the next run sends it."""
    _digest_claim(email, now=now).delete()
