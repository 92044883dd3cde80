"""With ``SEN_REDIS_URL`` set, sessions are read from Redis and kept in the database.

A signed-in request then costs no query for its session (ADR 12, decision 7), an emptied
cache signs no one out, and signing out ends the session for every client holding its
cookie. Skipped where no Redis server answers.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sen.conf.base import redis_cache
from sen.core.tests.factories import UserFactory
from sen.core.tests.sessions import MINE, copied_cookie_before_and_after_sign_out
from sen.tests.redis import REDIS_URL, redis_answers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis server answers at {REDIS_URL}"),
]


@pytest.fixture(autouse=True)
def sessions_in_redis(settings):
    # What sen.conf.base configures when SEN_REDIS_URL is set (checked in test_settings_env).
    settings.CACHES = {"default": redis_cache(REDIS_URL)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


def session_queries(client: Client) -> tuple[int, list[str]]:
    """Ask for the signed-in user's dossiers; return the status and the session queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MINE)
    return response.status_code, [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_signed_in_request_reads_its_session_from_redis_not_the_database():
    client = Client()
    client.force_login(UserFactory())

    status, queries = session_queries(client)

    assert status == 200
    assert queries == []


def test_an_emptied_cache_signs_no_one_out():
    client = Client()
    client.force_login(UserFactory())
    cache.clear()

    first_status, first_queries = session_queries(client)
    then_status, then_queries = session_queries(client)

    assert first_status == 200
    assert len(first_queries) == 1  # read from the database, and put back in Redis
    assert then_status == 200
    assert then_queries == []


def test_signing_out_ends_the_session_for_every_client_holding_its_cookie():
    assert copied_cookie_before_and_after_sign_out() == (200, 401)
