"""Whether this server can do its work: what a load balancer or a monitor asks it."""

import logging
import secrets
from typing import Literal

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

State = Literal["ok", "unavailable"]
Overall = Literal["ok", "degraded", "unavailable"]


def database_state() -> State:
    """Return whether the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return "unavailable"
    return "ok"


def cache_state() -> State:
    """Return whether the cache (Redis, where sessions are read) keeps what it is given."""
    key, value = "sen:health", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        kept = cache.get(key) == value
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return "unavailable"
    return "ok" if kept else "unavailable"


def server_state() -> dict[str, str]:
    """Return the server's state and each part's.

    Without the database the server can do nothing: ``unavailable``. Without the cache it
    works, slower (sessions are read from the database): ``degraded``, so that a load
    balancer keeps sending it requests and a monitor still raises the alarm.
    """
    parts: dict[str, State] = {"database": database_state(), "cache": cache_state()}
    overall: Overall = "ok"
    if parts["database"] != "ok":
        overall = "unavailable"
    elif parts["cache"] != "ok":
        overall = "degraded"
    return {"status": overall, **parts}
