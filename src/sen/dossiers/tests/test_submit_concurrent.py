"""Concurrent submissions draw distinct, consecutive numbers (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from sen.dossiers.models import DailySequence, Dossier
from sen.dossiers.tests.factories import birth_procedure, citizen, service_centre, submit_online

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
