"""The text fields of the API's multipart forms: only those an operation reads, each one
read once.

django-ninja reads an operation's form fields through one model it builds from the
fields the operation declares. A field the operation does not declare it drops without a
word, so a misspelt one (``expected_revison``) was never heard of, as ``sen.schemas.BodyIn``
refuses for a JSON body. Of a field sent twice it keeps the last value, where a proxy or a
gateway's filter in front of Sen may keep the first, so the two would act on different
requests (as ``sen.core.jsoninput`` refuses for a JSON key named twice). ``Form`` is
django-ninja's ``Form`` with a model that refuses both, where the declared fields are
known: an operation that declares its fields with it gets the check without calling
anything. ``ninja.Form`` is banned by the linter, and a test checks every operation's form;
the API's document closes each form it reads (``additionalProperties: false``,
``ClosedFormsSchema``, which ``sen.api`` uses).

Files are another matter: a field may carry several (``component_<n>`` of a submission),
and each operation names the file fields it takes (``sen.dossiers.api.uploads``). A file
sent without its file name arrives as a text field, and is refused as one the operation
does not read rather than dropped.
"""

from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.params import models as params

from sen.errors import InvalidInput
from sen.validation_messages import MESSAGES

# Read before the operation, by Django's CSRF check: a client may send its token so, as a
# form posted from a page does, rather than in the X-CSRFToken header.
CSRF_FIELD = "csrfmiddlewaretoken"


def refuse_unread_fields(data: QueryDict, *, read: Any, lists: Any) -> None:
    """Refuse a text field of ``data`` the operation does not ``read``, and one it reads
    sent twice unless it takes a list (``lists``): 400 ``invalid_input`` naming each field,
    in the order they came. A field not read has the problem of a JSON body's field its
    schema does not list (``extra_forbidden``)."""
    problems = []
    for field in data:
        if field == CSRF_FIELD:
            continue
        if field not in read:
            message = str(MESSAGES["extra_forbidden"])
            problems.append({"field": field, "message": message, "type": "extra_forbidden"})
        elif field not in lists and len(data.getlist(field)) > 1:
            message = _("Trường này được gửi nhiều lần; mỗi trường chỉ được gửi một lần.")
            problems.append({"field": field, "message": message})
    if problems:
        raise InvalidInput(_("Dữ liệu gửi lên không hợp lệ."), details=problems)


class StrictFormModel(params.FormModel):
    """django-ninja's model of an operation's form fields, refusing the fields it does not
    declare and those it declares sent twice (``refuse_unread_fields``)."""

    @classmethod
    def get_request_data(
        cls, request: HttpRequest, api: Any, path_params: dict[str, Any]
    ) -> dict[str, Any] | None:
        # The parser first: a body of another type is 415, text with a NUL character 400.
        data = super().get_request_data(request, api, path_params)
        refuse_unread_fields(
            request.POST,
            read=cls.__ninja_flatten_map__,  # type: ignore[attr-defined]
            lists=cls.__ninja_collection_fields__,  # type: ignore[attr-defined]
        )
        return data


class Form(params.Form):  # type: ignore[misc]  # as django-ninja declares its own
    """django-ninja's ``Form`` (the class keeps its name, which django-ninja reads as the
    parameter's source), read by ``StrictFormModel``. Use it in an annotation:
    ``Annotated[SomeForm, Form(...)]`` or ``Annotated[str | None, Form(None, description=…)]``."""

    _model = StrictFormModel


class ClosedFormsSchema(OpenAPISchema):
    """django-ninja's OpenAPI document, where the body of an operation whose form
    ``StrictFormModel`` reads takes no field it does not list (``additionalProperties:
    false``). File fields numbered beyond the one listed (``component_<n>``) are stated by
    their operation's ``openapi_extra`` (``patternProperties``)."""

    def request_body(self, operation: Operation) -> dict[str, Any]:
        body: dict[str, Any] = super().request_body(operation)
        if any(issubclass(model, StrictFormModel) for model in operation.models):
            for content in body["content"].values():
                content["schema"]["additionalProperties"] = False
        return body
