"""With ``SEN_REDIS_URL`` set and Redis away, the platform works on, from the database.

Redis is pointed at a port where nothing listens, which is what a stopped Redis looks like
to a client: no server is needed, and none is stopped.
"""

import socket

import pytest
from django.test import Client

from sen.conf.base import redis_cache
from sen.core.tests.factories import UserFactory
from sen.core.tests.sessions import MINE, copied_cookie_before_and_after_sign_out

pytestmark = pytest.mark.django_db

PASSWORD = "dung-mat-khau-2026"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(autouse=True)
def redis_away(settings):
    # What sen.conf.base configures when SEN_REDIS_URL is set (checked in test_settings_env).
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_a_citizen_signs_in_and_reads_their_dossiers():
    UserFactory(username="congdan", password=PASSWORD)
    client = Client()

    signed_in = client.post("/dang-nhap/", {"username": "congdan", "password": PASSWORD})

    assert signed_in.status_code == 302
    assert client.get("/ho-so-cua-toi/").status_code == 200
    assert client.get(MINE).status_code == 200


def test_signing_out_ends_the_session_for_every_client_holding_its_cookie():
    assert copied_cookie_before_and_after_sign_out() == (200, 401)


def test_deadlines_are_counted_on_the_calendar_from_the_database(client):
    # Friday 16:00 plus one working day is Monday 16:00: the weekend is read from the tables.
    response = client.get(
        "/api/v1/workdays/deadline", {"start": "2026-01-09T16:00:00+07:00", "days": "1"}
    )

    assert response.status_code == 200
    assert response.json()["due"] == "2026-01-12T16:00:00+07:00"


def test_health_says_the_server_works_degraded_and_names_the_cache(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
