"""The API's multipart forms read only the text fields an operation declares, each once
(``sen.apiforms``), whichever the operation: it declares its fields with
``sen.apiforms.Form`` and calls nothing."""

from typing import Annotated

import pytest
from django.http import QueryDict
from ninja import Router, Schema
from ninja.testing import TestClient

from sen.apiforms import Form, StrictFormModel
from sen.errors import InvalidInput
from sen.tests.operations import served_operations


class NoteForm(Schema):
    revision: int
    tags: list[str] = []


router = Router()


@router.post("/notes")
def add_note(
    request, note: Annotated[NoteForm, Form(...)], title: Annotated[str, Form(...)]
) -> dict:
    return {"revision": note.revision, "tags": note.tags, "title": title}


def test_a_new_operation_reads_only_its_form_fields_each_once_without_asking():
    client = TestClient(router)

    # Given an operation that only declares its fields, a form with each sent once is read
    read = client.post("/notes", QueryDict("revision=2&tags=a&tags=b&title=Ghi+chú"))
    assert read.json() == {"revision": 2, "tags": ["a", "b"], "title": "Ghi chú"}

    # When a field of one value, of the schema or of its own, is sent twice, and a field it
    # does not declare is sent
    with pytest.raises(InvalidInput) as refused:
        client.post(
            "/notes", QueryDict("revision=2&revision=3&titel=a&title=a&title=b&tags=a&tags=b")
        )

    # Then each is refused by name, and the list field may repeat
    assert refused.value.details == [
        {
            "field": "revision",
            "message": "Trường này được gửi nhiều lần; mỗi trường chỉ được gửi một lần.",
        },
        {"field": "titel", "message": "Không nhận trường này.", "type": "extra_forbidden"},
        {
            "field": "title",
            "message": "Trường này được gửi nhiều lần; mỗi trường chỉ được gửi một lần.",
        },
    ]


def test_the_csrf_token_sent_as_a_form_field_is_not_an_unknown_field():
    # Django's CSRF check reads it before the operation, as from a form posted by a page.
    client = TestClient(router)

    read = client.post("/notes", QueryDict("csrfmiddlewaretoken=abc&revision=2&title=a"))

    assert read.json() == {"revision": 2, "tags": [], "title": "a"}


def test_every_operation_that_reads_a_form_reads_it_with_sen_apiforms():
    """``ninja.Form`` is banned by the linter (pyproject.toml); this finds a form declared
    any other way, whose fields would be read as django-ninja reads them."""
    forms = {
        name: model
        for name, operation in served_operations().items()
        for model in operation.models
        if model.__ninja_param_source__ == "form"
    }

    assert sorted(forms) == [
        "POST /dossiers",
        "POST /dossiers/{code}/result",
        "POST /dossiers/{code}/supplement",
    ]
    assert {
        name for name, model in forms.items() if not issubclass(model, StrictFormModel)
    } == set()
