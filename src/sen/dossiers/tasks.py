"""Background tasks of the dossiers app: the applicant's notices and the officers' reminders.

They run on the database queue (``django_tasks_db``, see ADR 0003) and take only plain,
JSON-serializable arguments, so that a task enqueued before a deployment still runs after it.
"""

import logging
from datetime import datetime

from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone
from django_tasks import task

from sen.dossiers.models import DossierEvent
from sen.dossiers.notifications import (
    due_soon_messages,
    overdue_digest_messages,
    status_change_message,
)

logger = logging.getLogger(__name__)

# How long the "already sent" mark of an event is kept: longer than any retry would wait.
SENT_MARK_SECONDS = 7 * 24 * 3600


def sent_mark(event_id: int) -> str:
    """Return the cache key marking that the notice of event ``event_id`` was sent."""
    return f"sen:dossiers:status-notice:{event_id}"


@task()
def notify_status_change(event_id: int) -> bool:
    """Email the applicant about the dossier event ``event_id``; return whether one was sent.

    Everything comes from the event (the dossier, its state after the event, the due moment
    it set), so a retry sends the same notice. The notice is sent at most once per event on
    a best-effort basis: the first run marks the event in the cache (``cache.add``, atomic
    on Redis and within one process on the local-memory cache) and removes the mark if
    sending fails, so that a retry tries again. The mark does not survive a cache flush and
    is not shared between processes without Redis; exactly-once delivery needs an outbox
    table written in the event's transaction, later.
    """
    event = (
        DossierEvent.objects.select_related(
            "dossier", "dossier__procedure", "dossier__agency", "dossier__applicant"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        # Its transaction was rolled back after the task was queued: nothing happened.
        logger.warning("Dossier event %s not found; no notice sent.", event_id)
        return False
    message = status_change_message(event)
    if message is None:
        return False
    if not cache.add(sent_mark(event_id), "sent", timeout=SENT_MARK_SECONDS):
        return False
    try:
        message.send()
    except Exception:
        cache.delete(sent_mark(event_id))
        raise
    return True


def _send_all(messages: list[EmailMultiAlternatives]) -> int:
    if not messages:
        return 0
    # One connection for the whole batch rather than one SMTP session per email.
    with get_connection() as connection:
        sent: int = connection.send_messages(messages) or 0
    return sent


@task()
def send_due_soon_reminders(now: str | None = None) -> int:
    """Email each officer their dossiers whose current step is due within one working day.

    ``now`` is an ISO 8601 moment (default: the moment the task runs). Return the number of
    emails sent.
    """
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return _send_all(due_soon_messages(now=moment))


@task()
def send_overdue_digests(now: str | None = None) -> int:
    """Email each agency's officers the list of its open dossiers past their due moment.

    ``now`` is an ISO 8601 moment (default: the moment the task runs). Return the number of
    emails sent.
    """
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return _send_all(overdue_digest_messages(now=moment))
