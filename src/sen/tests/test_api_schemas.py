"""The OpenAPI document names each response and body schema once."""

import pytest
from ninja import Schema


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("sen.") and ".tests." not in sub.__module__:
            found.append(sub)
        found.extend(_schemas(sub))
    return found


def test_no_two_api_schemas_share_a_name():
    """django-ninja names an OpenAPI component after its class: two classes of one name in
    two apps would share one component, and the document would describe one app's answer
    with the other's fields (as it did for the catalog's and the indicators' FieldOut)."""
    import sen.api  # noqa: F401 - loads every router and its schemas

    by_name: dict[str, set[str]] = {}
    for schema in _schemas(Schema):
        by_name.setdefault(schema.__name__, set()).add(schema.__module__)

    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}


def test_every_operation_behind_a_session_documents_its_refusals():
    """An operation that needs a signed-in user answers 401 without one, and one that writes
    answers 403 without the CSRF token; the document must list both, as it does for the
    answers a client handles (``POST /dossiers`` listed neither)."""
    from sen.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1")
    undocumented = {
        f"{method.upper()} {path}": sorted(needed - listed)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
        for needed in [{401} if method == "get" else {401, 403}]
        for listed in [{int(status) for status in operation["responses"]}]
        if needed - listed
    }
    assert undocumented == {}


def test_every_operation_that_reads_a_body_documents_its_refusals():
    """A body over the limit answers 413 and one of another media type 415, whichever the
    operation (``sen.api``); the periodic forms and reports listed neither."""
    from sen.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1")
    undocumented = {
        f"{method.upper()} {path}": sorted({413, 415} - listed)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
        for listed in [{int(status) for status in operation["responses"]}]
        if {413, 415} - listed
    }
    assert undocumented == {}


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/api/v1/procedures", ["level", "online_level"]),
        ("/api/v1/dossiers/queue", ["status", "due_within_days"]),
    ],
)
def test_filters_read_empty_as_no_filter_and_say_so(path, names):
    """A search form sends `level=` for "any level"; the endpoints read it so, and the document
    lists the empty value, so that a client following it knows it may send it."""
    from sen.api import api

    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][path]["get"]
    schemas = {p["name"]: p["schema"] for p in operation["parameters"]}
    for name in names:
        assert {"const": "", "type": "string"} in schemas[name]["anyOf"], name


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/dossiers", "component_1"),
        ("/api/v1/dossiers/{code}/supplement", "requested_1"),
        ("/api/v1/dossiers/{code}/result", "file"),
    ],
)
def test_uploads_say_which_files_they_take(path, field):
    """A file is refused when empty or when its content is not a PDF, JPEG or PNG (Office
    documents too where a procedure takes them); the document says so for each upload, and
    that the form takes no field it does not list (``sen.apiforms``)."""
    from sen.api import api

    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][path]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]
    assert form["schema"]["properties"][field]["minLength"] == 1
    assert form["encoding"][field] == {"contentType": "application/pdf, image/jpeg, image/png"}
    assert form["schema"]["additionalProperties"] is False


def test_the_not_blank_pattern_finds_what_the_services_keep():
    """The services refuse text that ``visible_text`` leaves empty; the document's pattern
    must find a character in exactly the other texts, whatever JSON Schema calls space."""
    import re

    from sen.core.text import visible_text
    from sen.schemas import NOT_BLANK

    pattern = re.compile(NOT_BLANK)
    basic_plane = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    found = [ch for ch in basic_plane if pattern.search(ch)]
    kept = [ch for ch in basic_plane if visible_text(ch)]
    assert found == kept
    assert not pattern.search("\u200b \u2060\ufeff\u202e")
    for text in ("a", " lý do ", "\x00", "\u200bx"):
        assert pattern.search(text), repr(text)


def test_dossier_actions_document_what_their_services_refuse():
    from sen.api import api
    from sen.schemas import NOT_BLANK

    schemas = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    for name, field in (
        ("ReasonIn", "reason"),
        ("ApologyIn", "reason"),
        ("MissingItemIn", "name"),
        ("MissingItemIn", "reason"),
    ):
        assert schemas[name]["properties"][field]["pattern"] == NOT_BLANK, (name, field)
    assert schemas["SupplementRequestIn"]["properties"]["items"]["minItems"] == 1
    assert schemas["ReturnIn"]["properties"]["method"]["enum"] == ["electronic", "desk", "post"]
