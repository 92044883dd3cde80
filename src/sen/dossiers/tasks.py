"""Background tasks of the dossiers app: the applicant's notices and the officers' reminders.

They run on the database queue (``django_tasks_db``, see ADR 0003) and take only plain,
JSON-serializable arguments, so that a task enqueued before a deployment still runs after it.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from sen.dossiers import outbox
from sen.dossiers.notifications import (
    OfficerEmail,
    claim_digest,
    claim_due_soon,
    due_soon_reminders,
    mark_digest_sent,
    mark_reminded,
    overdue_digests,
    release_digest,
    release_reminded,
)
from sen.dossiers.outbox import deliver_notice

logger = logging.getLogger(__name__)

_Email = TypeVar("_Email", bound=OfficerEmail)


def queue_is_transactional(task: Task[..., Any]) -> bool:
    """Return whether ``task`` is queued in the database, so enqueueing it joins a transaction.

    django-tasks-db writes the task as a row of the default database: a task enqueued
    inside a transaction is then committed or rolled back with it.
    """
    return isinstance(task.get_backend(), DatabaseBackend)


@task()
def notify_status_change(event_id: int) -> bool:
    """Email the applicant the notice of dossier event ``event_id``; return whether sent.

    The notice comes from the outbox (``DossierNotice``) and is sent at most once, however
    many times this task runs (see ``sen.dossiers.outbox``). Everything in it comes from the
    event (the dossier, its state after the event, the due moment it set). Enqueued only
    with a queue other than the database, whose worker sends the outbox itself
    (``sen.dossiers.sender``); a task enqueued before that change still runs.
    """
    return deliver_notice(event_id)


@task()
def send_pending_notices(now: str | None = None) -> int:
    """Send the applicant notices left unsent (their task was lost); return how many.

    ``now`` is an ISO 8601 moment (default: the moment each notice is claimed, so that a
    long sweep never takes a lease already run out: ``outbox.send_pending_notices``).
    """
    return outbox.send_pending_notices(now=datetime.fromisoformat(now) if now else None)


def _send_each(
    emails: Sequence[_Email],
    *,
    claim: Callable[[_Email], _Email | None],
    settle: Callable[[_Email], None],
    release: Callable[[_Email], None],
) -> int:
    """Send each officer's email on its own, over one SMTP connection; return how many went.

    Each email is claimed just before it is sent (``claim`` returns what this run got,
    or ``None``) and recorded at once when sent (``settle``), so that what happens to one
    email happens to it alone:

    * refused for good (a 5xx for the address: no such mailbox, say): recorded as if sent,
      and logged as an error naming the accounts, whose address a person must correct;
    * refused for now (a 4xx for the address): given back (``release``) for the next run,
      and the others still go;
    * the mail server failing (no connection, a timeout, cut off midway): given back, and
      the run stops there: the emails after it, never claimed, wait for the next run too.

    Raise ``MailServerDown`` when an email was left for the next run.
    """
    sent = 0
    put_off: list[str] = []
    last_error: Exception | None = None
    connection: BaseEmailBackend | None = None
    try:
        for email in emails:
            claimed = claim(email)
            if claimed is None:
                continue
            try:
                if connection is None:
                    # Opened for the first email to send, not for a run with none.
                    connection = get_connection()
                    connection.open()
                connection.send_messages([claimed.message])
            except Exception as error:
                if outbox.refused_for_good(error):
                    settle(claimed)
                    logger.error(
                        "Email to %s (account %s) refused by the mail server, not sent again: "
                        "%s. Correct the account's address.",
                        claimed.address,
                        ", ".join(claimed.accounts),
                        error,
                    )
                    continue
                release(claimed)
                if outbox.refused_for_now(error):
                    logger.warning(
                        "Email to %s (account %s) put off by the mail server, tried again at "
                        "the next run: %s",
                        claimed.address,
                        ", ".join(claimed.accounts),
                        error,
                    )
                    put_off.append(claimed.address)
                    last_error = error
                    continue
                raise outbox.MailServerDown(
                    f"The mail server failed ({error!r}) at the email to {claimed.address}; "
                    f"{sent} emails sent, the rest go out at the next run."
                ) from error
            settle(claimed)
            sent += 1
    finally:
        if connection is not None:
            connection.close()
    if put_off:
        raise outbox.MailServerDown(
            f"The mail server put off the emails to {', '.join(put_off)} ({last_error}); "
            f"{sent} emails sent, those go out at the next run."
        ) from last_error
    return sent


@task()
def send_due_soon_reminders(now: str | None = None) -> int:
    """Email each officer their dossiers whose current step is due within one working day,
    each step once per officer (``notifications.due_soon_reminders``).

    ``now`` is an ISO 8601 moment (default: the moment the task runs). Return the number of
    emails sent; raise ``MailServerDown`` when some are left for the next run
    (``_send_each``).
    """
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return _send_each(
        due_soon_reminders(now=moment),
        claim=lambda reminder: claim_due_soon(reminder, now=moment),
        settle=mark_reminded,
        release=release_reminded,
    )


@task()
def send_overdue_digests(now: str | None = None) -> int:
    """Email each agency's officers the list of its open dossiers past their due moment,
    once a day each: an officer whose digest of the day was sent is skipped.

    ``now`` is an ISO 8601 moment (default: the moment the task runs). Return the number of
    emails sent; raise ``MailServerDown`` when some are left for the next run
    (``_send_each``).
    """
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return _send_each(
        [email for digest in overdue_digests(now=moment) for email in digest.emails],
        claim=lambda email: email if claim_digest(email, now=moment) else None,
        settle=lambda email: mark_digest_sent(email, now=moment),
        release=lambda email: release_digest(email, now=moment),
    )


@task()
def follow_calendar_change(
    change: str,
    at: str,
    before: dict[str, str | None],
    entries: dict[str, str],
    reason: str,
) -> int:
    """Move the deadlines that a calendar change made at ``at`` (ISO 8601) moves; return
    how many dossiers moved (``services.rescheduling``). ``before`` maps the ISO dates it
    touched to their entry's kind before it, ``entries`` every entry's kind right after it;
    ``change`` names the change, so a rerun moves nothing twice."""
    from sen.dossiers.services.rescheduling import dossiers_follow_calendar

    return dossiers_follow_calendar(
        change=change,
        at=datetime.fromisoformat(at),
        before={date.fromisoformat(day): kind for day, kind in before.items()},
        entries={date.fromisoformat(day): kind for day, kind in entries.items()},
        reason=reason,
    )
