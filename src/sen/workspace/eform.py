"""A procedure's e-form (JSON Schema) as Django form fields, and its data as labelled lines.

The officer enters the e-form at the desk, and reads it on the dossier page. The service
(``dossier_submit``) checks the data against the schema again: these fields only help the
officer type it (date pickers, choices, numbers) and name each problem next to its field.

Supported: strings (with ``enum``, ``format`` date or email, ``maxLength``), integers,
numbers, booleans and nested objects (their fields follow, named ``form__parent__child``);
arrays of strings as one item per line. Anything else is left out of the desk form.

Kept apart from the views so that it can later merge with the citizen portal's rendering.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

PREFIX = "form"
SEPARATOR = "__"


@dataclass(frozen=True)
class EFormField:
    """One leaf of the e-form: where its value goes, its label and its schema."""

    path: tuple[str, ...]
    title: str
    required: bool
    spec: Mapping[str, Any]
    depth: int

    @property
    def name(self) -> str:
        """Return the HTML field name: ``form__me__ho_ten_me``."""
        return SEPARATOR.join((PREFIX, *self.path))


@dataclass(frozen=True)
class EFormLine:
    """A line of the e-form as the dossier page shows it; a heading has no value."""

    title: str
    value: str
    depth: int
    heading: bool = False


def _ordered(schema: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Return the properties in ``propertyOrder`` (jsonb sorts keys), else stored order."""
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return []
    entries = [
        (index, str(name), spec if isinstance(spec, Mapping) else {})
        for index, (name, spec) in enumerate(properties.items())
    ]

    def order(entry: tuple[int, str, Mapping[str, Any]]) -> int:
        value = entry[2].get("propertyOrder")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return 1_000_000 + entry[0]

    return [(name, spec) for _index, name, spec in sorted(entries, key=order)]


def _required(schema: Mapping[str, Any]) -> set[str]:
    names = schema.get("required")
    return {str(name) for name in names} if isinstance(names, list) else set()


def walk(
    schema: Any, path: tuple[str, ...] = (), *, required: bool = True
) -> Iterator[EFormField | tuple[str, int]]:
    """Yield the leaves of the schema, and ``(title, depth)`` before each nested object.

    A field is required when its own object requires it and every enclosing object is.
    """
    if not isinstance(schema, Mapping):
        return
    needed = _required(schema)
    for name, spec in _ordered(schema):
        title = str(spec.get("title") or name)
        here = (*path, name)
        if spec.get("type") == "object":
            yield (title, len(path))
            yield from walk(spec, here, required=required and name in needed)
        else:
            yield EFormField(here, title, required and name in needed, spec, len(path))


def _choices(spec: Mapping[str, Any], required: bool) -> list[tuple[str, Any]]:
    blank = [("", _("— Chọn —"))]
    return blank + [(str(value), str(value)) for value in spec.get("enum", [])]


def django_field(field: EFormField) -> forms.Field | None:
    """Return the Django form field for an e-form leaf, or ``None`` when unsupported."""
    spec, label, required = field.spec, field.title, field.required
    help_text = str(spec.get("description") or "")
    kind = spec.get("type")
    common: dict[str, Any] = {"label": label, "required": required, "help_text": help_text}
    if "enum" in spec:
        return forms.ChoiceField(choices=_choices(spec, required), **common)
    if kind == "string" and spec.get("format") == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "string" and spec.get("format") == "email":
        return forms.EmailField(**common)
    if kind == "string":
        max_length = spec.get("maxLength")
        length = max_length if isinstance(max_length, int) else None
        return forms.CharField(max_length=length, **common)
    if kind == "integer":
        return forms.IntegerField(**common)
    if kind == "number":
        return forms.DecimalField(**common)
    if kind == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    if kind == "array" and (spec.get("items") or {}).get("type") == "string":
        common["help_text"] = help_text or _("Mỗi dòng một mục.")
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return None


def add_fields(form: forms.Form, schema: Any) -> list[EFormField]:
    """Add the e-form's fields to ``form``; return the leaves added, in order."""
    added = []
    for item in walk(schema):
        if isinstance(item, EFormField):
            field = django_field(item)
            if field is not None:
                form.fields[item.name] = field
                added.append(item)
    return added


def _json_value(field: EFormField, value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if field.spec.get("type") == "array":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    return value


def collect(fields: list[EFormField], cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """Return the e-form data from a form's cleaned data, leaving out what was left blank."""
    data: dict[str, Any] = {}
    for field in fields:
        value = cleaned.get(field.name)
        if value in (None, "", []) or (value is False and not field.required):
            continue
        target = data
        for part in field.path[:-1]:
            target = target.setdefault(part, {})
        target[field.path[-1]] = _json_value(field, value)
    return data


def field_name_for(problem_field: str) -> str | None:
    """Return the form field named by a service problem (``form.me.ho_ten_me``), if any."""
    if problem_field == PREFIX:
        return None
    if problem_field.startswith(f"{PREFIX}."):
        parts = problem_field[len(PREFIX) + 1 :].split(".")
        if all(parts) and not any("[" in part for part in parts):
            return SEPARATOR.join((PREFIX, *parts))
    return None


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def lines(schema: Any, data: Any) -> list[EFormLine]:
    """Return the e-form data as labelled lines, in the schema's order.

    Values the schema does not name come last under their key, so that nothing the
    applicant entered is hidden from the officer.
    """
    if not isinstance(data, Mapping):
        return []
    shown: list[EFormLine] = []
    named: set[tuple[str, ...]] = set()
    for item in walk(schema):
        if isinstance(item, tuple):
            shown.append(EFormLine(title=item[0], value="", depth=item[1], heading=True))
            continue
        value: Any = data
        for part in item.path:
            value = value.get(part) if isinstance(value, Mapping) else None
        named.add(item.path)
        if value is not None and value != "":
            shown.append(EFormLine(title=item.title, value=_shown(value), depth=item.depth))
    for key, value in data.items():
        known = any(path[0] == key for path in named) or isinstance(value, Mapping)
        if not known:
            shown.append(EFormLine(title=str(key), value=_shown(value), depth=0))
    # Drop headings of objects left empty.
    return [
        line
        for index, line in enumerate(shown)
        if not line.heading
        or (
            index + 1 < len(shown)
            and not shown[index + 1].heading
            and shown[index + 1].depth > line.depth
        )
    ]
