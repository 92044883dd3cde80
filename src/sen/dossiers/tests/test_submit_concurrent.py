"""Concurrent submissions and receipts (PostgreSQL): distinct, consecutive numbers; one
dossier per key."""

import threading
import time

import pytest
from django.db import connection, connections

from sen.dossiers.models import (
    DailySequence,
    Dossier,
    DossierFile,
    IdempotencyKey,
    RegisterSequence,
)
from sen.dossiers.services import SubmitResult, _transitions, dossier_receive
from sen.dossiers.tests.factories import (
    birth_procedure,
    citizen,
    officer,
    service_centre,
    submit_online,
)
from sen.dossiers.tests.state import stored_names

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        # The SQLite test database is in memory with a shared cache, where a second writer
        # fails at once with "table is locked" instead of waiting: the race cannot be staged.
        # On a file database SQLite runs writers one at a time (BEGIN IMMEDIATE).
        reason="needs PostgreSQL: SQLite's in-memory test database cannot host two writers",
    ),
]

THREADS = 4


def test_simultaneous_submissions_get_distinct_consecutive_codes():
    centre = service_centre()
    procedure = birth_procedure(agencies=[centre])
    applicant = citizen()
    start = threading.Barrier(THREADS)
    codes: list[str] = []
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            result = submit_online(procedure, applicant)
            codes.append(result.dossier.code)
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(code.rsplit("-", 1)[1] for code in codes) == ["0001", "0002", "0003", "0004"]
    assert len({code.rsplit("-", 1)[0] for code in codes}) == 1
    assert Dossier.objects.count() == THREADS
    assert DailySequence.objects.get().last == THREADS


def test_simultaneous_receipts_at_one_desk_get_distinct_consecutive_register_numbers():
    # Given four dossiers waiting at the centre's desk and two officers there
    centre = service_centre()
    procedure = birth_procedure(agencies=[centre])
    applicant = citizen()
    dossiers = [submit_online(procedure, applicant).dossier for _ in range(THREADS)]
    desks = [officer(centre, username=f"motcua{n}") for n in range(2)]
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def receive(n: int) -> None:
        try:
            start.wait()
            dossier_receive(dossier=dossiers[n], actor=desks[n % 2], expected_revision=1)
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)
        finally:
            connections.close_all()

    # When they receive them all at once
    threads = [threading.Thread(target=receive, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then each dossier has its own entry in the book: 1 to 4, none twice, none skipped.
    assert failures == []
    entries = list(Dossier.objects.values_list("register_year", "register_number"))
    assert len({year for year, _number in entries}) == 1
    assert sorted(number for _year, number in entries) == [1, 2, 3, 4]
    assert RegisterSequence.objects.get().last == THREADS


def test_a_retry_sent_while_the_first_request_is_still_writing_gets_the_first_dossier(
    monkeypatch,
):
    # Given a first submission with a key, held inside its transaction after claiming it
    centre = service_centre()
    procedure = birth_procedure(agencies=[centre])
    applicant = citizen()
    claimed, release = threading.Event(), threading.Event()
    store_files = _transitions.store_files
    storing: list[str] = []

    def held(**kwargs):
        storing.append(threading.current_thread().name)
        if not claimed.is_set():
            claimed.set()
            assert release.wait(10), "the test never released the first submission"
        return store_files(**kwargs)

    monkeypatch.setattr(_transitions, "store_files", held)
    answers: dict[str, SubmitResult] = {}
    failures: list[BaseException] = []

    def submit(name: str) -> None:
        try:
            answers[name] = submit_online(procedure, applicant, idempotency_key="b1c9-0001")
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=submit, args=("first",), name="first")
    first.start()
    assert claimed.wait(10)

    # When the client retries the same request before the first one is committed
    retry = threading.Thread(target=submit, args=("retry",), name="retry")
    retry.start()
    # (its claim of the key waits for the first transaction, whose claim is not committed)
    waited = _waits_on_a_lock()
    release.set()
    first.join()
    retry.join()

    # Then both answers are the first dossier, written once, with one number and one file
    assert waited, "the retry never waited for the first submission's claim"
    assert failures == []
    assert (answers["first"].created, answers["retry"].created) == (True, False)
    assert answers["retry"].dossier.pk == answers["first"].dossier.pk
    assert answers["retry"].dossier.code == answers["first"].dossier.code
    assert Dossier.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert DossierFile.objects.count() == 1
    assert DailySequence.objects.get().last == 1
    assert len(stored_names()) == 1
    # The retry stopped at its claim: it stored no file, even for a moment, and never
    # waited for the agency's number with the first submission's key in its way.
    assert storing == ["first"]


def _waits_on_a_lock(seconds: float = 10) -> bool:
    """Return once another session of the test database waits on a lock (or time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False
