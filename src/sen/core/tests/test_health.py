"""``GET /api/v1/health``: what a load balancer asks before sending a server requests."""

from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.django_db


def test_a_server_whose_database_and_cache_answer_is_healthy(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_server_whose_cache_does_not_answer_works_degraded_and_says_so(client, monkeypatch):
    # Given a cache that refuses every call, as Redis does when it is down
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr("sen.core.health.cache", SimpleNamespace(set=refuse, get=refuse))

    response = client.get("/api/v1/health")

    # The load balancer keeps sending it requests (sessions come from the database); a monitor
    # still sees that the cache is down.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_a_server_whose_database_does_not_answer_is_unavailable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr("sen.core.health.connection", SimpleNamespace(cursor=refuse))

    response = client.get("/api/v1/health")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
