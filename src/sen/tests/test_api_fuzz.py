"""No request makes the API fail or stray from its contract: tests generated from OpenAPI.

Schemathesis generates requests for every operation of ``docs/openapi.json`` (valid ones,
and ones that break the documented types, bounds and content types) and sends them
through Django in-process, as a citizen, a one-stop officer, the province's administrator
and someone not signed in. Whatever it sends, the answer must not be a server error (bad
input gets a 4xx with an error code, ``sen.api``), its status, content type, headers and
body must be the ones the document lists for the operation, with no problem in it said in
pydantic's English; a request the document allows must be accepted, and one it forbids
refused; an operation behind a session must refuse the visitor without one. This is how
the unbounded page numbers, the multipart body without a boundary, the over-long query
string, the schemas that shared a name (``test_api_schemas``), the calendar's year that
was required although documented as optional and the indicators' unit that one endpoint
read empty and another refused were found.
"""

import json
import re
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
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from sen.core.models import Role, User
from sen.dossiers.tests.factories import (
    birth_procedure,
    citizen,
    officer,
    service_centre,
    submit_online,
)
from sen.tests.pydantic_english import is_pydantic_english

OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"

schema = schemathesis.openapi.from_path(OPENAPI)
schema.app = WSGIHandler()
# The test signs each browser in itself: Schemathesis is not to make up session cookies, nor
# to call a request without one invalid (that is the visitor's browser, below).
schema.config.generation.update(with_security_parameters=False)
# Upload fields name the types of file they take (`encoding`); Schemathesis sends any value
# it makes for them as bytes, as it does for application/octet-stream.
schemathesis.serializer.alias(
    ["application/pdf", "image/jpeg", "image/png"], "application/octet-stream"
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Refusals of requests the document allows, by rules a JSON Schema cannot state; the
# descriptions state them. positive_data_acceptance lets these through, and only these:
# the error code, on the operations that have the rule.
BEYOND_THE_SCHEMA: dict[str, set[str]] = {
    # Text with a NUL character (U+0000), which the database cannot store (sen.core.text).
    "*": {"invalid_characters"},
    # The years a moment may fall in (1900–2200), the bounds of a number (0–365, three
    # decimals): both are written as text.
    "GET /api/v1/workdays/deadline": {"invalid_start", "invalid_days"},
    # The range's end before its start, or more than 366 days after it.
    "GET /api/v1/dossiers/register": {"invalid_input"},
    # Words in the names of more procedures than the queue filters by at once.
    "GET /api/v1/dossiers/queue": {"procedure_filter_too_broad"},
    # A period that has not begun yet.
    "GET /api/v1/indicators": {"invalid_period"},
    "GET /api/v1/indicators/dashboard": {"invalid_period"},
    "GET /api/v1/indicators/export": {"invalid_period"},
    # The JSON document a multipart form carries in its `payload` field (documented by its
    # contentMediaType, which generated data does not follow), and the files, told PDF,
    # JPEG or PNG by their content (their `encoding` lists the types a client declares).
    "POST /api/v1/dossiers": {"invalid_json", "invalid_dossier"},
    "POST /api/v1/dossiers/{code}/supplement": {"invalid_json", "invalid_supplement"},
    "POST /api/v1/dossiers/{code}/result": {"invalid_result"},
}


def _error_code(response: Response) -> str | None:
    try:
        return str(json.loads(response.content)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


def _numbered_files_sent_as_text(response: Response, case: Case) -> bool:
    """Whether a 400 names only fields the document gives as files by a pattern of names
    (``patternProperties``: ``component_<n>``, ``requested_<n>``) as fields the form does
    not read. Schemathesis tells a file from the form's ``properties`` alone, so it sends
    those without a file name, as text fields, which the server refuses (``sen.apiforms``);
    a client that follows the document sends them as files."""
    try:
        form = case.operation.definition.raw["requestBody"]["content"]["multipart/form-data"]
        details = json.loads(response.content)["error"]["details"]
    except (ValueError, KeyError, TypeError):
        return False
    patterns = form["schema"].get("patternProperties", {})
    return bool(details) and all(
        problem.get("type") == "extra_forbidden"
        and any(re.search(pattern, problem["field"]) for pattern in patterns)
        for problem in details
    )


def positive_data_accepted(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """``positive_data_acceptance``, but for the refusals listed in ``BEYOND_THE_SCHEMA``
    and of files Schemathesis sends as text (``_numbered_files_sent_as_text``)."""
    known = BEYOND_THE_SCHEMA["*"] | BEYOND_THE_SCHEMA.get(case.operation.label, set())
    if response.status_code == 400 and _error_code(response) in known:
        return None
    if response.status_code == 400 and _numbered_files_sent_as_text(response, case):
        return None
    return positive_data_acceptance(ctx, response, case)


def problems_in_vietnamese(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """No problem in an error's details is said in pydantic's English (sen.validation_messages)."""
    try:
        details = json.loads(response.content)["error"].get("details") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    english = [d for d in details if is_pydantic_english(str(d.get("message", "")))]
    assert not english, f"Problems said in pydantic's English: {english}"
    return None


# Every check of Schemathesis (`-c all`) but these:
# - use_after_free and ensure_resource_availability follow links between operations in
#   stateful runs; this test sends one request at a time, and the API deletes nothing;
# - object_level_authorization needs Schemathesis to hold the identities itself; who may
#   read what is tested per endpoint, with the allowed and the denied roles.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_accepted,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    problems_in_vietnamese,
]
# ignored_auth for the visitor only: it takes the session cookie the test sets for a signed-in
# browser for one Schemathesis made up, and a success with it for an ignored login.
VISITOR_CHECKS = [*CHECKS, ignored_auth]


def _browser(user: User | None) -> dict[str, dict[str, str]]:
    """Return the cookies and headers of a browser where ``user`` signed in (or nobody did)."""
    csrf = secrets.token_hex(16)
    cookies = {settings.CSRF_COOKIE_NAME: csrf}
    if user is not None:
        browser = Client()
        browser.force_login(user)
        cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": cookies,
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
    """A citizen with a dossier, the one-stop officer who receives it, the province admin,
    and a visitor who has not signed in, last."""
    centre = service_centre()
    procedure = birth_procedure(agencies=[centre])
    applicant = citizen(username="congdan")
    submit_online(procedure, applicant)
    desk = officer(centre, username="motcua")
    admin = officer(centre, Role.PROVINCE_ADMIN, username="quantri")
    return [_browser(user) for user in (applicant, desk, admin, None)]


@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    deadline=None,
    # One world per operation, shared by its examples: each example only reads it or is
    # refused, and what it does write (a dossier, a form) makes the next one no less valid.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_documented_and_none_is_a_server_error(case, browsers):
    *signed_in, visitor = browsers
    for browser in signed_in:
        case.call_and_validate(
            cookies=browser["cookies"], headers=browser["headers"], checks=CHECKS
        )
    case.call_and_validate(
        cookies=visitor["cookies"], headers=visitor["headers"], checks=VISITOR_CHECKS
    )
