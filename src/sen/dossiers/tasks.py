"""Background tasks of the dossiers app: the applicant's notices and the officers' reminders.

They run on the database queue (``django_tasks_db``, see ADR 0003) and take only plain,
JSON-serializable arguments, so that a task enqueued before a deployment still runs after it.
"""

import logging
from datetime import date, datetime
from typing import Any

from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from sen.dossiers import outbox
from sen.dossiers.notifications import (
    claim_digest_day,
    due_soon_reminders,
    mark_digest_sent,
    mark_reminded,
    overdue_digests,
    release_digest_day,
    release_reminded,
)
from sen.dossiers.outbox import deliver_notice

logger = logging.getLogger(__name__)


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
    event (the dossier, its state after the event, the due moment it set).
    """
    return deliver_notice(event_id)


@task()
def send_pending_notices(now: str | None = None) -> int:
    """Send the applicant notices left unsent (their task was lost); return how many.

    ``now`` is an ISO 8601 moment (default: the moment each notice is claimed, so that a
    long sweep never takes a lease already run out: ``outbox.send_pending_notices``).
    """
    return outbox.send_pending_notices(now=datetime.fromisoformat(now) if now else None)


def _send_all(messages: list[EmailMultiAlternatives]) -> int:
    if not messages:
        return 0
    # One connection for the whole batch rather than one SMTP session per email.
    with get_connection() as connection:
        sent: int = connection.send_messages(messages) or 0
    return sent


@task()
def send_due_soon_reminders(now: str | None = None) -> int:
    """Email each officer their dossiers whose current step is due within one working day,
    each step once (``notifications.due_soon_reminders``).

    ``now`` is an ISO 8601 moment (default: the moment the task runs). Return the number of
    emails sent.
    """
    moment = datetime.fromisoformat(now) if now else timezone.now()
    # Each step is claimed before its email goes out, so that a second run at the same time
    # reminds of it no more; given back if the emails fail, for the next run.
    reminders = due_soon_reminders(now=moment, claim=True)
    try:
        sent = _send_all(reminders.messages)
    except Exception:
        release_reminded(reminders.steps, at=moment)
        raise
    mark_reminded(reminders.steps, at=moment)
    return sent


@task()
def send_overdue_digests(now: str | None = None) -> int:
    """Email each agency's officers the list of its open dossiers past their due moment,
    once a day: an agency whose digest of the day was sent is skipped.

    ``now`` is an ISO 8601 moment (default: the moment the task runs). Return the number of
    emails sent. An agency whose emails fail is released, and the next run sends them; the
    others are still tried (but for ``GIVE_UP_AFTER`` failures in a row), and the run then
    raises ``MailServerDown`` naming the agencies not reached.
    """
    moment = datetime.fromisoformat(now) if now else timezone.now()
    sent = failed_in_a_row = 0
    failed: list[str] = []
    last_error: Exception | None = None
    for digest in overdue_digests(now=moment):
        if not claim_digest_day(digest.agency, now=moment):
            continue
        try:
            sent += _send_all(digest.messages)
        except Exception as error:
            # Released for the next run; the other agencies' digests are still tried.
            release_digest_day(digest.agency, now=moment)
            logger.exception("Overdue digest of agency %s not sent", digest.agency.code)
            failed.append(digest.agency.code)
            failed_in_a_row, last_error = failed_in_a_row + 1, error
            if failed_in_a_row >= outbox.GIVE_UP_AFTER:
                break
        else:
            mark_digest_sent(digest.agency, now=moment)
            failed_in_a_row = 0
    if failed:
        raise outbox.MailServerDown(
            f"Overdue digests not sent for {', '.join(failed)} ({last_error}); {sent} emails "
            "sent, the rest go out at the next run."
        ) from last_error
    return sent


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
