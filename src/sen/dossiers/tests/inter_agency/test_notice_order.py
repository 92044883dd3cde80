"""A notice that a newer one of its dossier supersedes is never sent (``sen.dossiers.outbox``).

A notice held for its retry after a mail failure must not reach the applicant after a newer
one: the audit found "Yêu cầu bổ sung" (bring papers) arriving two minutes after "Dừng xử
lý" (stopped). Tasks run inline in tests (``ImmediateBackend``); a service's task is
enqueued on commit, so the tests run the commit callbacks when the worker would.
"""

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from sen.dossiers.models import Dossier, DossierEvent, DossierNotice, NoticeOutcome
from sen.dossiers.outbox import (
    SWEEP_AFTER,
    claim_notice,
    deliver_notice,
    retry_wait,
    send_pending_notices,
)
from sen.dossiers.services import _transitions, dossier_request_supplement, dossier_stop
from sen.dossiers.tasks import notify_status_change
from sen.dossiers.tests.factories import (
    APPLICANT,
    birth_procedure,
    citizen,
    officer,
    service_centre,
    submit_online,
)
from sen.dossiers.tests.inter_agency.conftest import MISSING
from sen.tests.clock import at


def smtp_refuses(*args: Any, **kwargs: Any) -> int:
    """Send nothing, as when the mail server refuses the address for a while."""
    raise OSError("451 4.7.1 Try again later")


def notice(dossier: Dossier, action: str) -> DossierNotice:
    return DossierNotice.objects.get(event__dossier=dossier, event__action=action)


@pytest.fixture
def held_supplement_request(
    at_specialist: Dossier, clock: Any, people: Any, monkeypatch: Any, capture: Any
) -> DossierEvent:
    """The specialist's supplement request of Friday 16:00, whose notice failed three times
    (its task, its retry, the next sweep) and waits for its retry at 16:04."""
    clock(at(20, 16))
    with capture(execute=False):  # the task, run below
        dossier_request_supplement(
            dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
        )
    event = DossierEvent.objects.get(dossier=at_specialist, action="request_supplement")
    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", smtp_refuses)
        for moment in (at(20, 16), at(20, 16), at(20, 16, 2)):
            clock(moment)
            with pytest.raises(OSError):
                deliver_notice(event.pk)
    held = DossierNotice.objects.get(pk=event.pk)
    assert (held.attempts, held.sent_at) == (3, None)
    assert held.claimed_until == at(20, 16, 2) + retry_wait(3)
    return event


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


def test_a_notice_held_for_its_retry_is_never_sent_once_a_newer_one_went_out(
    at_specialist, held_supplement_request, clock, people, mailoutbox, capture, caplog
):
    # Given the supplement request's notice held for its retry, when the leader stops the
    # dossier and its notice goes out at once
    clock(at(20, 16, 3))
    with capture(execute=True):
        dossier_stop(
            dossier=at_specialist,
            reason="Người nộp đề nghị dừng",
            actor=people.leader,
            expected_revision=4,
        )
    # And its retry comes: the sweep, and the task's own retry
    clock(at(20, 16, 5))
    assert send_pending_notices() == 0
    assert notify_status_change.call(held_supplement_request.pk) is False
    clock(at(21, 9))
    assert send_pending_notices() == 0

    # Then the applicant heard of the stop only, never to bring papers
    assert [m.subject for m in mailoutbox] == [f"[Sen] Hồ sơ {at_specialist.code}: Dừng xử lý"]
    assert "Giấy tờ cần bổ sung" not in mailoutbox[0].body
    # and the request's notice is closed unsent, as superseded, with no recipient
    closed = notice(at_specialist, "request_supplement")
    assert (closed.sent_at, closed.recipient, closed.claimed_until, closed.attempts) == (
        at(20, 16, 5),
        "",
        None,
        3,
    )
    assert closed.closed_as == NoticeOutcome.SUPERSEDED
    sent = notice(at_specialist, "stop")
    assert (sent.sent_at is not None, sent.recipient) == (True, APPLICANT["email"])
    assert f"Notice of dossier event {held_supplement_request.pk} closed unsent" in caplog.text


def test_a_notice_is_not_sent_once_a_newer_one_waits_to_go_out(
    at_specialist, held_supplement_request, clock, people, mailoutbox, capture
):
    # Given the stop's notice written but not sent yet (its task is a moment away)
    clock(at(20, 16, 3))
    with capture(execute=False) as tasks:
        dossier_stop(
            dossier=at_specialist,
            reason="Người nộp đề nghị dừng",
            actor=people.leader,
            expected_revision=4,
        )
    # When the held request's retry comes first (its task, then the sweep)
    clock(at(20, 16, 5))
    assert notify_status_change.call(held_supplement_request.pk) is False
    assert send_pending_notices() == 1  # the stop's, whose task is late

    # Then the request's notice is closed unsent and the stop's goes out once
    for task in tasks:
        task()
    assert [m.subject for m in mailoutbox] == [f"[Sen] Hồ sơ {at_specialist.code}: Dừng xử lý"]
    assert notice(at_specialist, "request_supplement").recipient == ""


def test_a_notice_with_no_newer_one_is_still_sent_after_its_retry(
    at_specialist, held_supplement_request, clock, mailoutbox
):
    clock(at(20, 16, 5))
    assert send_pending_notices() == 1
    [message] = mailoutbox
    assert message.subject == f"[Sen] Hồ sơ {at_specialist.code}: Yêu cầu bổ sung"
    assert "Giấy tờ cần bổ sung" in message.body


# --- At once: the sweep and the worker (PostgreSQL) ---------------------------------------


DOSSIERS = 6


class LostTask:
    """The notice's task, lost: enqueued, it never runs (a process that died after commit)."""

    def get_backend(self) -> Any:
        return notify_status_change.get_backend()

    def enqueue(self, *args: Any) -> None:
        pass


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database cannot host two writers",
)
def test_the_sweep_and_the_worker_at_once_send_each_notice_at_most_once(
    clock, monkeypatch, mailoutbox
):
    # Given dossiers whose submission and supplement request (at intake) both wait unsent:
    # their tasks were lost and the sweep is due
    clock(at(20, 9))
    centre = service_centre()
    procedure = birth_procedure(agencies=[centre])
    desk = officer(centre, username="motcua")
    with monkeypatch.context() as patch:
        patch.setattr(_transitions, "notify_status_change", LostTask())
        dossiers = [
            submit_online(procedure, citizen(username=f"dan{n}")).dossier for n in range(DOSSIERS)
        ]
        for dossier in dossiers:
            dossier_request_supplement(
                dossier=dossier, items=MISSING, actor=desk, expected_revision=1
            )
    events = list(
        DossierEvent.objects.filter(dossier__in=dossiers)
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    clock(at(20, 9) + SWEEP_AFTER + timedelta(seconds=1))
    send = mail.EmailMultiAlternatives.send

    def slow_send(message: Any, *args: Any, **kwargs: Any) -> int:
        time.sleep(0.02)  # a mail server's pace, so that the senders overlap
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", slow_send)
    start = threading.Barrier(3)
    failures: list[BaseException] = []

    def run(job: Any) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)
        finally:
            connections.close_all()

    # When the sweep and two workers running every notice's task go at once
    jobs = [
        send_pending_notices,
        lambda: [deliver_notice(pk) for pk in events],
        lambda: [deliver_notice(pk) for pk in reversed(events)],
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then each dossier's supplement request went out once, and no submission's notice
    assert failures == []
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == sorted(f"[Sen] Hồ sơ {d.code}: Yêu cầu bổ sung" for d in dossiers)
    assert not DossierNotice.objects.filter(sent_at__isnull=True).exists()
    closed = DossierNotice.objects.filter(
        event__action="submit", recipient="", closed_as=NoticeOutcome.SUPERSEDED
    )
    assert closed.count() == DOSSIERS


def test_the_claim_checks_the_notice_row_itself_so_that_a_concurrent_claim_is_seen(submitted):
    # The claim is one UPDATE whose conditions PostgreSQL checks again on a row another
    # sender has just claimed. Written as "id IN (SELECT …)" (what Django writes when the
    # condition joins another table) it is not: two senders claimed one notice, about one
    # run in five of the test above.
    with CaptureQueriesContext(connection) as queries:
        claim_notice(submitted.events.get().pk, now=at(20, 9))

    [update] = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert " IN (SELECT " not in update
