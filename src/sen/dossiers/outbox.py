"""Sending the applicant's notices from the outbox (``DossierNotice``), each once.

A notice row is written in the same transaction as its event (``services._transitions``),
so a committed event always has its notice and a rolled-back one never has. Sending is
idempotent:

1. the sender claims the notice with one conditional UPDATE (not yet sent, not claimed by
   another sender, or claimed by one whose lease ran out); a sender that claims nothing
   sends nothing;
2. it sends the email;
3. it marks the notice sent (``sent_at``); a notice marked sent is never sent again.

A notice closed unsent is marked the same way, without a ``recipient``; ``closed_as`` says
how each notice was closed (``NoticeOutcome``: sent, no address, superseded, refused).

A notice is not sent once a newer notice of its dossier exists (sent already, or waiting
to be): it is closed unsent, as superseded, and never sent later. The claim asks for no
newer notice in its UPDATE, and ``close_if_superseded`` closes the notice the claim left.
Without it a notice held for its retry after a mail failure arrived after the newer one and
told the applicant of a state the dossier had left (bring papers, for a dossier stopped
meanwhile). Each notice says the status and the appointment in force when it was written,
so the newest is the one the applicant needs; what an older one adds matters only while the
dossier stands where that one left it (the papers a supplement request lists, an apology's
appointment, which a later move replaces). The address is read from the dossier when
sending, so both would go to the same recipient. A notice already claimed is left to go
out: it may be in the mailbox already. The receipt closes the submission's notice at once
(``close_superseded``): at the desk the two would come a moment apart.

An address the mail server refuses for good (``refused_for_good``: no such mailbox, say)
closes the notice unsent at its first attempt, logged once as a warning with the event and
the dossier's code, never the address: sent again it would be refused again, and retried
as a failure it filled the log for 34 hours and stopped the sweep as if the server were
down. The officers' reminders do the same (``tasks``). Sen has no way yet to correct an
applicant's address on a dossier: its later notices meet the same refusal.
An address put off for now (a full mailbox) is tried again as any failure, but raised
again as ``AddressPutOff``, the server's answer with the address masked: the log, the task
queue's record of the failure and the sweep's message name no applicant's address.

The one window for a duplicate is a crash between 2 and 3: the email went out but the mark
did not, so once the lease (``CLAIM_LEASE``) runs out the sweeper sends it again. A crash
anywhere before 2 sends nothing and the notice is sent later.

Who sends: with the database queue, ``sen db_worker`` reads the notices waiting every
second or so and sends them (``sen.dossiers.sender``); with any other queue, each notice's
task (``tasks.notify_status_change``). The sweeper (``send_pending_notices``, run by
``sen send_dossier_reminders --notices`` every minute) sends the notices left unsent for a
minute: no worker running, or a queue other than the database losing the task.
"""

import logging
from datetime import datetime, timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused, SMTPResponseException
from typing import TypeGuard

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from sen.core.text import mask_email_addresses
from sen.dossiers.models import Dossier, DossierEvent, DossierNotice, NoticeOutcome
from sen.dossiers.notifications import CLAIM_LEASE, status_change_message

logger = logging.getLogger(__name__)

# The sweeper leaves fresh notices to the worker or their task, normally a moment away.
SWEEP_AFTER = timedelta(minutes=1)
# A notice whose email failed is tried again at the next look (the worker's, or the
# sweep's), then after 1, 2, 4 … minutes: a mail server down for a night loses nothing.
# After this many attempts, some 34 hours after the first, it is left for a person to look
# at: it stays unsent, with its attempts, in the table dossiers_dossiernotice, and the log
# says so as an error.
FIRST_RETRY = timedelta(minutes=1)
MAX_ATTEMPTS = 13
# Failures in a row after which sending stops: the mail server is down, and each further
# email would wait out its timeout (30 s) for nothing.
GIVE_UP_AFTER = 3


def retry_wait(attempts: int) -> timedelta:
    """Return how long a notice that failed its ``attempts``-th try waits for the next."""
    return FIRST_RETRY * 2 ** (attempts - 2) if attempts > 1 else timedelta(0)


def _claimable(now: datetime) -> Q:
    """Return the notices a sender may claim at ``now``: unsent, unclaimed or with a lapsed
    claim, and not given up on. The claim and the sweep ask the same, so that the sweep
    lists only what it can claim."""
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return unclaimed & Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def _newer_notice() -> Exists:
    """Return whether a notice has a newer one of its dossier (of a later event).

    Asked of the notice's own key only: an outer reference to its event's columns would
    join the event table into the UPDATE that claims the notice, which Django then writes
    as ``WHERE id IN (SELECT …)``, whose conditions PostgreSQL does not check again on the
    row a concurrent claim has just changed, so two senders could both claim one notice.
    A dossier's events are written one at a time under its lock, so a later event of the
    dossier has a greater key (the notice's key is its event's).
    """
    return Exists(
        DossierNotice.objects.filter(
            event__dossier__events__pk=OuterRef("pk"), pk__gt=OuterRef("pk")
        )
    )


def claim_notice(event_id: int, *, now: datetime) -> bool:
    """Claim the notice of event ``event_id`` for one sender; return whether it is ours.

    Not one that a newer notice of its dossier supersedes: asked in the same UPDATE, so a
    notice claimed had no newer one at that moment.
    """
    claimed = DossierNotice.objects.filter(_claimable(now), ~_newer_notice(), pk=event_id).update(
        claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1
    )
    return claimed == 1


def close_if_superseded(event_id: int, *, now: datetime) -> bool:
    """Close unsent the notice of event ``event_id`` if a sender may claim it at ``now``
    and a newer notice of its dossier exists; return whether it was closed.

    Recorded as every notice closed unsent is: ``sent_at`` set, no ``recipient``, and
    why in ``closed_as``. One query.
    """
    closed = DossierNotice.objects.filter(_claimable(now), _newer_notice(), pk=event_id).update(
        sent_at=now, claimed_until=None, recipient="", closed_as=NoticeOutcome.SUPERSEDED
    )
    if closed:
        logger.info(
            "Notice of dossier event %s closed unsent: a newer notice of its dossier "
            "supersedes it.",
            event_id,
        )
    return closed == 1


def close_superseded(*, dossier: Dossier, action: str, now: datetime) -> int:
    """Close unsent the notices of ``dossier``'s ``action`` events that no sender holds at
    ``now``, because a later notice tells the applicant all they would; return how many.

    A notice being sent is left to go out: it may be in the applicant's mailbox already.
    One waiting for its retry after a failure is closed then (``close_if_superseded``).
    One query.
    """
    return DossierNotice.objects.filter(
        _claimable(now), event__dossier=dossier, event__action=action
    ).update(sent_at=now, recipient="", closed_as=NoticeOutcome.SUPERSEDED)


def deliver_notice(event_id: int, *, now: datetime | None = None) -> bool:
    """Send the applicant's notice of event ``event_id`` once; return whether one was sent.

    Send nothing for a notice already sent or being sent by another sender, and for an
    event without a notice (an internal step, or a transaction rolled back after the task
    was queued). A dossier without an email address has its notice closed unsent, and so
    is a notice that a newer one of its dossier supersedes (``close_if_superseded``), or
    whose address the mail server refused for good (``_close_refused``). If sending fails
    otherwise the notice is held until its next try and the error raised, so that a retry
    tries again. Three queries and the email; four for a notice not claimed.
    """
    moment = now or timezone.now()
    if not claim_notice(event_id, now=moment):
        close_if_superseded(event_id, now=moment)
        return False
    # Whatever fails once the notice is claimed (reading it, writing the message, sending
    # it) holds it until its next try and is logged, and the caller hears of it.
    try:
        event = DossierEvent.objects.select_related(
            "dossier", "dossier__procedure", "dossier__agency", "dossier__applicant"
        ).get(pk=event_id)
        message = status_change_message(event)
        if message is not None:
            message.send()
    except Exception as error:
        if refused_for_good(error):
            # Raised by the sending alone, so the event was read. Sent again it would be
            # refused again, for 34 hours: only a corrected address can help.
            _close_refused(event, error)
            return False
        if refused_for_now(error):
            # The server's refusal names the applicant's address: the log, the task's
            # record and the sweep's message hear of it without.
            put_off = AddressPutOff(_answer_without_address(error))
            _failed(event_id, put_off)
            raise put_off from None
        _failed(event_id, error)
        raise
    DossierNotice.objects.filter(pk=event_id).update(
        sent_at=timezone.now(),
        claimed_until=None,
        recipient=message.to[0] if message is not None else "",
        # A notice is written only for an event the applicant hears of: no message, no address.
        closed_as=NoticeOutcome.SENT if message is not None else NoticeOutcome.NO_ADDRESS,
    )
    return message is not None


def _close_refused(event: DossierEvent, error: SMTPRecipientsRefused | SMTPDataError) -> None:
    """Close unsent the notice of ``event``, whose address the mail server refused for
    good, and log it once: the event, the dossier's code and the server's answer, without
    the address (the applicant's personal data)."""
    DossierNotice.objects.filter(pk=event.pk).update(
        sent_at=timezone.now(), claimed_until=None, recipient="", closed_as=NoticeOutcome.REFUSED
    )
    logger.warning(
        "Notice of dossier event %s (dossier %s) refused for good by the mail server (%s); "
        "closed unsent, not tried again; the desk can reach the applicant by phone.",
        event.pk,
        event.dossier.code,
        _answer_without_address(error),
    )


def _answer_without_address(error: SMTPRecipientsRefused | SMTPResponseException) -> str:
    """Return the mail server's answers carried by the refusal ``error``, each code with its
    text, any email address in them masked."""
    answers: list[tuple[int, bytes | str]]
    if isinstance(error, SMTPRecipientsRefused):
        answers = list(error.recipients.values())
    else:
        answers = [(error.smtp_code, error.smtp_error)]
    text = "; ".join(
        f"{code} {answer.decode(errors='replace') if isinstance(answer, bytes) else answer}"
        for code, answer in answers
    )
    # The answer may repeat the address ("550 5.1.1 <binh@example.vn>: no such user").
    return mask_email_addresses(text)


class AddressPutOff(OSError):
    """The mail server put off an applicant's email (a full mailbox, greylisting); its
    answer, the address masked, is the message."""


def _failed(event_id: int, error: BaseException) -> None:
    """Hold the notice of ``event_id``, whose sending just failed with ``error``, until its
    next try, and log the failure: a warning while it will be tried again, an error once it
    is given up. A put-off is logged by its answer alone; anything else with its traceback."""
    attempts = DossierNotice.objects.values_list("attempts", flat=True).get(pk=event_id)
    exc_info = error if not isinstance(error, AddressPutOff) else None
    if attempts >= MAX_ATTEMPTS:
        DossierNotice.objects.filter(pk=event_id).update(claimed_until=None)
        logger.error(
            "Notice of dossier event %s not sent after %s attempts (%s); given up. It stays "
            "unsent in dossiers_dossiernotice for a person to look at.",
            event_id,
            attempts,
            error,
            exc_info=exc_info,
        )
        return
    wait = retry_wait(attempts)
    # Held by the claim until the retry; released at once after the first failure.
    retry_at = timezone.now() + wait if wait else None
    DossierNotice.objects.filter(pk=event_id).update(claimed_until=retry_at)
    logger.warning(
        "Notice of dossier event %s not sent (attempt %s of %s: %s); tried again %s.",
        event_id,
        attempts,
        MAX_ATTEMPTS,
        error,
        f"from {retry_at.isoformat()}" if retry_at else "at the next try",
        exc_info=exc_info,
    )


def pending_notices(
    *, now: datetime, limit: int = 500, waited: timedelta = SWEEP_AFTER
) -> list[int]:
    """Return the event ids of the notices a sender may claim at ``now`` that were written
    ``waited`` or longer before it, oldest first."""
    return list(
        DossierNotice.objects.filter(_claimable(now), created_at__lte=now - waited)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


class MailServerDown(Exception):
    """Emails were left for a later run because the mail server failed or put them off."""


def refused_for_good(error: BaseException) -> TypeGuard[SMTPRecipientsRefused | SMTPDataError]:
    """Return whether the mail server refused an email for good: every recipient with a
    permanent (5xx) answer (no such mailbox, say), or the message itself after it was
    handed over. Sent again it would be refused again; the connection still serves the
    next email."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _answer in error.recipients.values())
    return isinstance(error, SMTPDataError) and error.smtp_code >= 500


def refused_for_now(error: BaseException) -> TypeGuard[SMTPRecipientsRefused]:
    """Return whether the mail server put off an email's recipients with a temporary (4xx)
    answer (a full mailbox, greylisting): worth trying again later, and the connection
    still serves the next email."""
    return isinstance(error, SMTPRecipientsRefused) and not refused_for_good(error)


def send_pending_notices(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the notices left unsent for ``SWEEP_AFTER`` (the sweep run by cron); return how
    many emails went out, as ``send_notices``."""
    return send_notices(pending_notices(now=now or timezone.now(), limit=limit), now=now)


def send_notices(event_ids: list[int], *, now: datetime | None = None) -> int:
    """Send the notices of ``event_ids`` (``pending_notices``); return how many emails went out.

    A notice that fails is logged and tried again later (``retry_wait``, at most
    ``MAX_ATTEMPTS``); one whose address is refused for good is closed and counts as no
    failure (``deliver_notice``). Each claim's lease runs from the moment it is taken, not
    from the sweep's start: a long sweep (a backlog after an outage, a slow mail server)
    would take leases already run out, and another sweeper would send the same notice. After
    ``GIVE_UP_AFTER`` failures in a row the sweep stops with ``MailServerDown``: the rest
    wait for the next sweep rather than for a mail server that does not answer, each for
    its whole timeout. A sweep in which the mail server failed a notice at all ends with
    ``MailServerDown`` too, so that the scheduled command exits 1 and its operator hears
    of it.
    """
    sent = failed_in_a_row = mail_failures = 0
    last_error: Exception | None = None
    for event_id in event_ids:
        try:
            sent += deliver_notice(event_id, now=now)
        except Exception as error:
            # Logged by deliver_notice, and tried again later: go on to the next.
            failed_in_a_row += 1
            if isinstance(error, OSError):
                mail_failures, last_error = mail_failures + 1, error
            if failed_in_a_row >= GIVE_UP_AFTER:
                raise MailServerDown(
                    f"{failed_in_a_row} notices failed in a row ({error}); {sent} sent, "
                    "the rest wait for the next sweep."
                ) from error
        else:
            failed_in_a_row = 0
    if last_error is not None:
        raise MailServerDown(
            f"{mail_failures} notices not sent ({last_error}); {sent} sent, those are tried "
            "again later."
        ) from last_error
    return sent
