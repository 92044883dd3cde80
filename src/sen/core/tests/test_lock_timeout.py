"""On PostgreSQL a statement waiting for a lock gives up (``SEN_DB_LOCK_TIMEOUT``), so one
transaction left open cannot hold every request behind it until the servers stall."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting"),
]


def test_the_platforms_connections_wait_ten_seconds_at_most_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        [(timeout,)] = cursor.fetchall()

    assert timeout == "10s"
