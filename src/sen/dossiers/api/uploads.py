"""Reading multipart requests: the ``payload`` JSON field and the ``component_<n>`` files."""

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sen.core import jsoninput
from sen.core.filetypes import CONTENT_TYPES
from sen.core.text import refuse_nul
from sen.dossiers.errors import InvalidDossier, InvalidJson
from sen.dossiers.services import SubmittedFile
from sen.validation_messages import MESSAGES

# The names of file fields, as regular expressions that a JSON Schema reads too: the files
# of the n-th document component, and a supplement's file for the n-th paper of the request
# (at most MAX_SUPPLEMENT_ITEMS).
COMPONENT_FILES = r"^component_([1-9][0-9]{0,3})$"
REQUESTED_FILES = r"^requested_([1-9][0-9]?)$"
# A file field of a multipart form, as the document shows it: optional by not being required,
# never `null`, which a form cannot send. A client's generator then sees a file in it, and
# sends a file name with it: a part without one arrives as a text field, which is refused.
A_FILE: dict[str, Any] = {"type": "string", "format": "binary"}
_FILE_FIELD = re.compile(COMPONENT_FILES)
_REQUESTED_FIELD = re.compile(REQUESTED_FILES)
# How deep objects and arrays may nest in ``payload``. An e-form nests a few groups; what the
# services do with a payload (the NUL check, the schema check, storing it) recurses once per
# level, and Python's stack ends near a thousand.
MAX_JSON_DEPTH = 32


def file_types(field: str, kinds: Iterable[str], *, named: Iterable[str] = ()) -> dict[str, Any]:
    """Return the ``openapi_extra`` that documents the files ``field`` accepts: not empty,
    of the types ``kinds`` (in the ``encoding``: ``application/pdf, image/jpeg, …``), and
    the other file fields whose names match a pattern of ``named`` (``COMPONENT_FILES``):
    the form's schema takes no other field (``sen.apiforms.ClosedFormsSchema``).

    The server tells a file's type by its content, not by the type a client declares.
    """
    types = ", ".join(CONTENT_TYPES[kind] for kind in kinds)
    schema: dict[str, Any] = {"properties": {field: {"minLength": 1}}}
    if named:
        schema["patternProperties"] = {pattern: {**A_FILE, "minLength": 1} for pattern in named}
    form = {"schema": schema, "encoding": {field: {"contentType": types}}}
    return {"requestBody": {"content": {"multipart/form-data": form}}}


def _depth(value: Any) -> int:
    """Return how deep objects and arrays nest in ``value`` (0 for a scalar), without
    recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item)
    return deepest


def _too_deep() -> InvalidJson:
    return InvalidJson(_("Trường payload lồng nhau quá %(max)d cấp.") % {"max": MAX_JSON_DEPTH})


def json_object(text: str) -> dict[str, Any]:
    """Return the JSON object in ``text``; raise ``InvalidJson`` for anything else or for
    one nested deeper than ``MAX_JSON_DEPTH``, and ``InvalidCharacters`` for text with a NUL
    character."""
    try:
        payload = jsoninput.loads(text)
    except ValueError:
        payload = None
    except RecursionError:  # nested deeper than the decoder's stack
        raise _too_deep() from None
    if not isinstance(payload, dict):
        raise InvalidJson(_("Trường payload phải là một đối tượng JSON."))
    if _depth(payload) > MAX_JSON_DEPTH:
        raise _too_deep()
    return refuse_nul(payload)


def unknown_keys(payload: Mapping[str, Any], known: Collection[str]) -> list[dict[str, str]]:
    """Return a problem for each key of ``payload`` outside ``known``: a misspelt field
    ("result_delivry") would otherwise be dropped without a word, as a JSON body refuses
    it (``sen.schemas.BodyIn``)."""
    return [
        {"field": key, "message": str(MESSAGES["extra_forbidden"])}
        for key in sorted(set(payload) - set(known))
    ]


def component_files(request: HttpRequest, *, requested: bool = False) -> list[SubmittedFile]:
    """Return every file of the request's ``component_<position>`` fields, in field order,
    and with ``requested`` (a supplement) those of ``requested_<n>`` fields: the files for
    the n-th paper the supplement request named.

    Raise ``InvalidDossier`` naming each file field of another name.
    """
    files: list[SubmittedFile] = []
    problems = []
    for field in sorted(request.FILES):
        uploads = request.FILES.getlist(field)
        if match := _FILE_FIELD.match(field):
            files.extend(SubmittedFile.of(u, position=int(match[1])) for u in uploads)
        elif requested and (match := _REQUESTED_FIELD.match(field)):
            number = int(match[1])
            files.extend(SubmittedFile.of(u, position=None, requested=number) for u in uploads)
        else:
            message = (
                _(
                    "Tên trường tệp phải có dạng component_<thứ tự thành phần> hoặc "
                    "requested_<thứ tự giấy tờ được yêu cầu>."
                )
                if requested
                else _("Tên trường tệp phải có dạng component_<thứ tự thành phần>.")
            )
            problems.append({"field": field, "message": message})
    if problems:
        raise InvalidDossier(_("Hồ sơ không hợp lệ."), details=problems)
    return files
