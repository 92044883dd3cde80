"""Checking e-form data against its JSON Schema (draft 2020-12), with two rules of Sen's own.

- **Only the fields the form has.** An object whose schema lists ``properties`` takes no
  other key, unless the schema opens it itself (``additionalProperties``,
  ``patternProperties`` or ``unevaluatedProperties``). The pages draw only the listed
  fields, so another key comes only from a program, and it would be stored with the dossier
  and shown to officers under no label.
- **No date after today** (``"x-not-after-today": true`` beside ``"format": "date"``): a
  birth or a death is never in the future. Today is the day in Vietnam.
"""

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

NOT_AFTER_TODAY = "x-not-after-today"
# The keywords whose errors are Sen's own, worded in Vietnamese.
SEN_RULES = ("properties", NOT_AFTER_TODAY)

# Keywords with which a schema says an object may hold keys it does not list.
_OPENING = frozenset({"additionalProperties", "patternProperties", "unevaluatedProperties"})
_PROPERTIES = Draft202012Validator.VALIDATORS["properties"]


def _listed_properties_only(
    validator: Any, properties: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    yield from _PROPERTIES(validator, properties, instance, schema)
    if not validator.is_type(instance, "object") or _OPENING & schema.keys():
        return
    for name in sorted(set(instance) - set(properties)):
        yield ValidationError(
            _("Biểu mẫu của thủ tục không có trường “%(name)s”.") % {"name": name},
            validator="properties",
            path=[name],
        )


def _not_after_today(
    validator: Any, wanted: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if wanted is not True or not isinstance(instance, str):
        return
    try:
        day = date.fromisoformat(instance)
    except ValueError:
        return  # "format": "date" says what is wrong with it
    if problem := after_today(day):
        yield ValidationError(problem)


def after_today(day: date) -> str:
    """Return what is wrong with ``day`` for a field that takes no date after today, or ""."""
    today = timezone.localdate()
    if day <= today:
        return ""
    return _("Ngày không được sau hôm nay (%(today)s).") % {"today": f"{today:%d/%m/%Y}"}


EFormValidator = validators.extend(
    Draft202012Validator,
    {"properties": _listed_properties_only, NOT_AFTER_TODAY: _not_after_today},
)


def eform_errors(schema: Mapping[str, Any], data: Any) -> list[ValidationError]:
    """Return every error of ``data`` against the e-form ``schema``, in the order of their paths.

    Raise ``jsonschema.SchemaError`` when the schema itself is not valid.
    """
    validator = EFormValidator(schema, format_checker=FormatChecker())
    return sorted(
        validator.iter_errors(data),
        key=lambda error: ([str(part) for part in error.absolute_path], error.message),
    )
