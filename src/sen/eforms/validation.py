"""Checking e-form data against its JSON Schema (draft 2020-12), with rules of Sen's own,
and saying each problem in Vietnamese (``message_of``).

- **A missing field is named**: the error of a required property is at the property's own
  path, not its parent object's, so that the answer (and the page) names the field.
- **Only the fields the form has** (``_unlisted``). An object of the form (the top level, a
  property's object, an array's item) whose schema lists ``properties`` takes no other key,
  unless the schema opens it itself (``additionalProperties``, ``patternProperties`` or
  ``unevaluatedProperties``). What the object's schema lists counts with what its
  applicators (``allOf``, ``anyOf``, ``oneOf``, ``if``, ``then``, ``else``,
  ``dependentSchemas``) list for the same object; the rule is never applied inside those
  sub-schemas, where it would make an ``if`` fail whenever the form has another key. The
  pages draw only the listed fields, so another key comes only from a program, and it
  would be stored with the dossier and shown to officers under no label.
- **Text as people mean it** (``normalized``): every string of the data is stripped of the
  white space around it and put in Unicode NFC before it is judged and stored, and a key
  whose text is then empty is left out, as the page leaves out a field left blank: a
  required field sent as "" or "   " is missing ("Bắt buộc nhập."), on the page as in the
  API. Items of an array keep their place (an error names the item by its index).
- **Patterns as the browser reads them** (``_pattern_ascii``): ``\\d`` and ``\\w`` are ASCII,
  as in ECMAScript, so that digits of other scripts (Arabic-Indic) are refused on the server
  as in the browser. A newline before the end, which Python's ``$`` lets through, is gone
  with the stripping above.
- **Formats as the page takes them** (``FORMATS``): an email is what Django's
  ``EmailValidator`` takes, as on the page (jsonschema's looks only for an "@"); a time is
  ``HH:MM``, as ``<input type="time">`` sends it, or ``HH:MM:SS``.
- **No date after today** (``"x-not-after-today": true`` beside ``"format": "date"``): a
  birth or a death is never in the future. Today is the day in Vietnam.
"""

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from sen.core.forms import GROUPED_ID_NUMBER, GROUPED_PHONE, ID_NUMBER_HINT
from sen.eforms.schema import title_of
from sen.validation_messages import GENERIC, MESSAGES, written_bound

NOT_AFTER_TODAY = "x-not-after-today"
# The keywords whose errors are Sen's own, worded in Vietnamese.
SEN_RULES = ("required", "properties", "dependentRequired", NOT_AFTER_TODAY)

# A lazy text, as Django's validators take it (``MESSAGES`` is typed as Django's Promise).
PATTERN_MISMATCH: Any = MESSAGES["string_pattern_mismatch"]


@dataclass(frozen=True)
class KnownPattern:
    """A pattern of identity or phone numbers: the input mode a phone opens, what it wants,
    and the page's pattern for the number typed in groups (kept as its digits)."""

    input_mode: str
    text: Any
    grouped: str


KNOWN_PATTERNS: dict[str, KnownPattern] = {
    pattern: known
    for patterns, known in (
        (
            ("^[0-9]{12}$", r"^\d{12}$"),
            KnownPattern("numeric", ID_NUMBER_HINT, GROUPED_ID_NUMBER),
        ),
        (
            ("^0[0-9]{9}$", r"^0\d{9}$"),
            KnownPattern("tel", gettext_lazy("Gồm 10 chữ số, bắt đầu bằng số 0."), GROUPED_PHONE),
        ),
    )
    for pattern in patterns
}
# What a value of each JSON type is said to be (the API's own wordings).
_TYPES = {
    "string": MESSAGES["string_type"],
    "integer": MESSAGES["int_type"],
    "number": MESSAGES["float_type"],
    "boolean": MESSAGES["bool_type"],
    "array": MESSAGES["list_type"],
    "object": MESSAGES["dict_type"],
}
# What an e-form's email that is none is said to be, on the page as in the API.
EMAIL_MISMATCH = gettext_lazy("Phải là một địa chỉ thư điện tử hợp lệ.")
_FORMATS = {
    "date": MESSAGES["date_type"],
    "date-time": MESSAGES["datetime_type"],
    "time": MESSAGES["time_type"],
    "uri": MESSAGES["url_type"],
    "email": EMAIL_MISMATCH,
}
# Keywords with a bound: the API's wording and the name of its placeholder.
_BOUNDS = {
    "minLength": ("string_too_short", "min_length"),
    "maxLength": ("string_too_long", "max_length"),
    "minimum": ("greater_than_equal", "ge"),
    "exclusiveMinimum": ("greater_than", "gt"),
    "maximum": ("less_than_equal", "le"),
    "exclusiveMaximum": ("less_than", "lt"),
    "multipleOf": ("multiple_of", "multiple_of"),
    "minItems": ("too_short", "min_length"),
    "maxItems": ("too_long", "max_length"),
}

# Keywords with which a schema says an object may hold keys it does not list.
_OPENING = frozenset({"additionalProperties", "patternProperties", "unevaluatedProperties"})
# Applicators whose sub-schemas describe the same object as the schema they are in (``not``
# is left out: what it lists is what the object must not be).
_SAME_OBJECT_ONE = ("if", "then", "else")
_SAME_OBJECT_MANY = ("allOf", "anyOf", "oneOf")


def _same_object(schemas: list[Any], root: Any) -> list[Mapping[str, Any]]:
    """Return ``schemas`` with every sub-schema that describes the same object through an
    applicator or a local ``$ref`` (``#/$defs/…``), recursively, each once."""
    found: dict[int, Mapping[str, Any]] = {}
    waiting = list(schemas)
    while waiting:
        schema = waiting.pop(0)
        if not isinstance(schema, Mapping) or id(schema) in found:
            continue
        found[id(schema)] = schema
        waiting.extend(schema.get(key) for key in _SAME_OBJECT_ONE)
        for key in _SAME_OBJECT_MANY:
            branches = schema.get(key)
            waiting.extend(branches if isinstance(branches, list) else [])
        dependent = schema.get("dependentSchemas")
        waiting.extend(dependent.values() if isinstance(dependent, Mapping) else [])
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            waiting.append(_pointed(root, ref))
    return list(found.values())


def _pointed(root: Any, ref: str) -> Any:
    """Return the part of ``root`` a local JSON pointer names, or ``None``."""
    target = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, Mapping) else None
    return target


def _unlisted(
    schemas: list[Any], instance: Any, path: list[str | int], root: Any
) -> Iterator[ValidationError]:
    """Yield an error for each key of an object of the form that no schema of it lists."""
    alternatives = _same_object(schemas, root)
    if isinstance(instance, dict):
        listed: dict[str, list[Any]] = {}
        lists = False
        for schema in alternatives:
            properties = schema.get("properties")
            if isinstance(properties, Mapping):
                lists = True
                for name, spec in properties.items():
                    listed.setdefault(name, []).append(spec)
        if lists and not any(_OPENING & schema.keys() for schema in alternatives):
            for name in sorted(set(instance) - set(listed)):
                yield ValidationError(
                    _("Biểu mẫu của thủ tục không có trường “%(name)s”.") % {"name": name},
                    validator="properties",
                    path=[*path, name],
                )
        for name, specs in listed.items():
            if name in instance:
                yield from _unlisted(specs, instance[name], [*path, name], root)
    elif isinstance(instance, list):
        items = [schema["items"] for schema in alternatives if "items" in schema]
        if items:
            for index, item in enumerate(instance):
                yield from _unlisted(items, item, [*path, index], root)


def _required_named(
    validator: Any, required: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object") or not isinstance(required, list):
        return
    for name in required:
        if name not in instance:
            yield ValidationError(str(MESSAGES["missing"]), validator="required", path=[name])


@lru_cache(maxsize=256)
def pattern_as_browser(pattern: str) -> re.Pattern[str]:
    """Return the schema's ``pattern`` compiled as the browser reads it (``\\d`` and ``\\w``
    ASCII), once: for the server's check and the page's alike."""
    return re.compile(pattern, re.ASCII)


def _dependent_required_named(
    validator: Any, dependent: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """Name each field missing at its own path, and the field that asks for it."""
    if not validator.is_type(instance, "object") or not isinstance(dependent, Mapping):
        return
    properties = schema.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for present, needed in dependent.items():
        if present not in instance or not isinstance(needed, list):
            continue
        spec = properties.get(present)
        title = title_of(present, spec if isinstance(spec, Mapping) else {})
        for name in needed:
            if name not in instance:
                yield ValidationError(
                    _("Bắt buộc nhập khi đã điền “%(field)s”.") % {"field": title},
                    validator="dependentRequired",
                    path=[name],
                )


def _pattern_ascii(
    validator: Any, pattern: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not pattern_as_browser(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


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
    {
        "required": _required_named,
        "pattern": _pattern_ascii,
        "dependentRequired": _dependent_required_named,
        NOT_AFTER_TODAY: _not_after_today,
    },
)


def _written(value: Any) -> str:
    """Return a value as people read it in a message: a text as it is, anything else in
    JSON (``true``, ``null``), never in Python's words (``True``, ``None``)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"«{text}»"


def _listed(values: Any) -> str:
    return ", ".join(_written(value) for value in values) if isinstance(values, list) else ""


def message_of(error: ValidationError) -> str:
    """Return what ``error`` says to people, in Vietnamese: jsonschema's own message is
    English and quotes the value ("'12ab' does not match '^[0-9]{12}$'"). The wordings are
    the API's for the same mistakes (``sen.validation_messages``)."""
    keyword, wanted = error.validator, error.validator_value
    if keyword in SEN_RULES:
        return error.message
    if keyword == "type":
        kinds = wanted if isinstance(wanted, list) else [wanted]
        known = [_TYPES[kind] for kind in kinds if kind in _TYPES]
        return str(known[0]) if len(known) == 1 else str(GENERIC)
    if keyword == "enum":
        return str(MESSAGES["enum"]) % {"expected": _listed(wanted)}
    if keyword == "const":
        if wanted is True:  # a box to tick: a consent, a declaration
            return _("Cần đánh dấu ô này.")
        return _("Phải là %(expected)s.") % {"expected": _written(wanted)}
    if keyword == "pattern":
        known_pattern = KNOWN_PATTERNS.get(str(wanted))
        return str(known_pattern.text if known_pattern else PATTERN_MISMATCH)
    if keyword == "format":
        return str(_FORMATS.get(str(wanted), GENERIC))
    if keyword in _BOUNDS:
        kind, name = _BOUNDS[keyword]
        return str(MESSAGES[kind]) % {name: written_bound(wanted)}
    return str(GENERIC)


def normalized(data: Any) -> Any:
    """Return ``data`` with every string stripped and in Unicode NFC, and without the keys
    of an object whose string is then empty (a field left blank)."""
    if isinstance(data, str):
        return unicodedata.normalize("NFC", data.strip())
    if isinstance(data, list):
        return [normalized(item) for item in data]
    if isinstance(data, dict):
        values = ((key, normalized(value)) for key, value in data.items())
        return {key: value for key, value in values if value != ""}
    return data


# The format checks of e-forms: jsonschema's, with Sen's email and time.
FORMATS = FormatChecker()
# 00:00 to 23:59, with seconds or without; no time zone (a form's time is local).
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?")


@FORMATS.checks("email", raises=DjangoValidationError)
def _is_email(instance: object) -> bool:
    if isinstance(instance, str):
        validate_email(instance)
    return True


@FORMATS.checks("time")
def _is_time(instance: object) -> bool:
    return not isinstance(instance, str) or _TIME.fullmatch(instance) is not None


def eform_errors(schema: Mapping[str, Any], data: Any) -> list[ValidationError]:
    """Return every error of ``data`` against the e-form ``schema``, in the order of their paths.

    Raise ``jsonschema.SchemaError`` when the schema itself is not valid.
    """
    validator = EFormValidator(schema, format_checker=FORMATS)
    errors = [*validator.iter_errors(data), *_unlisted([schema], data, [], schema)]
    return sorted(
        errors,
        key=lambda error: ([str(part) for part in error.absolute_path], error.message),
    )
