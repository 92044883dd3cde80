"""No request makes the API fail or stray from its contract: tests generated from OpenAPI.

Schemathesis generates requests for every operation of ``docs/openapi.json`` (valid ones,
and ones that break the documented types, bounds and content types) and sends them
through Django in-process, as a citizen, a one-stop officer and the province's
administrator. Whatever it sends, the answer must not be a server error (bad input gets a
4xx with an error code, ``sen.api``), its status must be one the document lists for the
operation, and its body must match the document's schema for that status. This is how the
unbounded page numbers, the multipart body without a boundary, the over-long query string
and the schemas that shared a name (``test_api_schemas``) were found.
"""

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from sen.core.models import Role, User
from sen.dossiers.tests.factories import (
    birth_procedure,
    citizen,
    officer,
    service_centre,
    submit_online,
)

OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"

schema = schemathesis.openapi.from_path(OPENAPI)
schema.app = WSGIHandler()

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _signed_in(user: User) -> dict[str, dict[str, str]]:
    """Return the cookies and headers of a browser where ``user`` signed in."""
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)
    return {
        "cookies": {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf, "Referer": "http://localhost/"},
    }


@pytest.fixture
def connection_kept(db) -> Iterator[None]:
    """Keep the database connection open across the requests, as Django's test client does.

    Django closes it when a request starts and ends (``close_old_connections``); the
    test's transaction lives on it, and on PostgreSQL closing it would lose the test data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def browsers(connection_kept) -> list[dict[str, dict[str, str]]]:
    """A citizen with a dossier, the one-stop officer who receives it, the province admin."""
    centre = service_centre()
    procedure = birth_procedure(agencies=[centre])
    applicant = citizen(username="congdan")
    submit_online(procedure, applicant)
    desk = officer(centre, username="motcua")
    admin = officer(centre, Role.PROVINCE_ADMIN, username="quantri")
    return [_signed_in(user) for user in (applicant, desk, admin)]


@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    deadline=None,
    # One world per operation, shared by its examples: each example only reads it or is
    # refused, and what it does write (a dossier, a form) makes the next one no less valid.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_documented_and_none_is_a_server_error(case, browsers):
    for browser in browsers:
        case.call_and_validate(
            cookies=browser["cookies"],
            headers=browser["headers"],
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )
