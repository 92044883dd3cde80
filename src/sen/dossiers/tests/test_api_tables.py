"""The action and slip endpoints registered from their tables.

Each row must say what its endpoint does: its service takes what its input reads, its errors
are stable domain errors the endpoint can answer, and the API document shows them.
"""

import inspect

import pytest
from django.urls import reverse

from sen.api import api
from sen.dossiers.api.actions import ACTION_RESPONSES, ACTIONS, COMMON_ERRORS
from sen.dossiers.api.slips import SLIPS
from sen.errors import DomainError

CODE = "000.00.01.H37-261120-0001"


@pytest.fixture(scope="module")
def document() -> dict:
    return api.get_openapi_schema()


def operation(document: dict, method: str, path: str) -> dict:
    return document["paths"][f"/api/v1/dossiers{path}"][method]


def test_each_action_is_served_at_its_path_under_its_names(document):
    # Given the table, when the API is built, then each row is a POST with its own names.
    for action in ACTIONS:
        url = reverse(f"api-v1:dossier_{action.name}", kwargs={"code": CODE})
        assert url == f"/api/v1/dossiers{action.path.replace('{code}', CODE)}"
        found = operation(document, "post", action.path)
        assert found["operationId"] == f"sen_dossiers_api_{action.name}"
        assert found["summary"] == action.summary


def test_each_json_action_passes_fields_its_service_takes():
    # A row without its own ``arguments`` hands its input's fields to the service by name.
    for action in ACTIONS:
        if action.upload is not None:
            continue
        accepted = set(inspect.signature(action.service).parameters)
        assert set(action.input.model_fields) <= accepted, action.name
        assert {"dossier", "actor"} <= accepted


def test_each_action_error_is_a_stable_code_the_document_names(document):
    for action in ACTIONS:
        found = operation(document, "post", action.path)
        description = found["description"]
        assert COMMON_ERRORS in description
        assert set(ACTION_RESPONSES) <= set(found["responses"])
        for error, _when in action.errors:
            assert issubclass(error, DomainError)
            assert error.status in found["responses"], (action.name, error.code)
            assert f"{error.status} `{error.code}`" in description


def test_each_slip_is_a_pdf_served_at_its_path(document):
    for slip in SLIPS:
        url = reverse(f"api-v1:dossier_{slip.name}", kwargs={"code": CODE})
        assert url == f"/api/v1/dossiers{slip.path.replace('{code}', CODE)}"
        found = operation(document, "get", slip.path)
        assert found["operationId"] == f"sen_dossiers_api_{slip.name}"
        assert "application/pdf" in found["responses"][200]["content"]
        assert "`slip_not_available`" in found["description"]
