"""The worker's notice sender: it sends the applicants' notices as the outbox fills.

With the database queue (django-tasks-db, as in production and the demo), an event writes
its notice (``DossierNotice``) and no task: ``sen db_worker`` runs a ``NoticeSender``
thread beside its tasks, which looks for unsent notices every ``interval`` seconds (the
worker's own, 1 s by default) and sends them through the outbox's claim
(``outbox.send_notices``), so two workers never send one notice twice. A task per
notice did the same at the cost of one more row in every event's transaction, 8 % of a
submission's server time (ADR 0012). With any other queue each notice still has its task
(``services._transitions._notify``).
"""

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from sen.dossiers import outbox

logger = logging.getLogger(__name__)

# Notices claimed per look: a worker asked to stop finishes at most these first.
BATCH = 50
# However short the worker's own interval (0 is allowed), the outbox is not read in a loop.
SHORTEST_INTERVAL = 0.2


def send_waiting_notices(limit: int = BATCH) -> tuple[int, int]:
    """Send up to ``limit`` notices waiting now, however fresh; return how many were
    waiting and how many emails went out (a notice may also be closed unsent).

    Raises ``outbox.MailServerDown`` as ``outbox.send_notices`` does.
    """
    waiting = outbox.pending_notices(now=timezone.now(), limit=limit, waited=timedelta(0))
    return len(waiting), outbox.send_notices(waiting)


class NoticeSender(threading.Thread):
    """Send the outbox every ``interval`` seconds until ``stop``.

    A full batch is followed at once by the next (a backlog after an outage). When the mail
    server fails, the thread waits ``outbox.FIRST_RETRY`` before it looks again: each
    notice keeps its own back-off, and fresh notices would only wait out the same timeouts.
    Anything else that fails a look (the database away) is logged and tried again at the
    next: the thread never dies of a failed look.
    """

    def __init__(self, *, interval: float) -> None:
        super().__init__(name="sen-notice-sender", daemon=True)
        self.interval = max(interval, SHORTEST_INTERVAL)
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                # As Django does around a request: a connection broken or too old is
                # replaced, never reused.
                close_old_connections()
                wait = self._look()
                close_old_connections()
                self._stopping.wait(wait)
        finally:
            connection.close()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to stop, and wait for the email it is sending, if any."""
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)

    def _look(self) -> float:
        """Send what waits; return how long to wait before the next look."""
        try:
            waiting, _sent = send_waiting_notices(BATCH)
        except outbox.MailServerDown as error:
            logger.warning("Notices wait for the mail server: %s", error)
            return outbox.FIRST_RETRY.total_seconds()
        except Exception:
            # The database away, say: the notices wait in the outbox for the next look.
            logger.exception("Could not send the waiting notices; trying again.")
            return self.interval
        return 0 if waiting == BATCH else self.interval
