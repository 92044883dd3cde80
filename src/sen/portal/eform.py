"""A procedure's e-form (its JSON Schema) as a server-rendered Django form.

What the catalog's schemas use is supported: ``string`` with ``maxLength``, ``pattern``,
``format`` ``date`` or ``email``, ``enum`` (a list to pick from); ``integer`` and ``number``
with ``minimum`` and ``maximum``; ``boolean``; ``required``; ``default``; ``title`` and
``description``; nested ``object``\\s, shown as a group. Each constraint becomes both an
HTML attribute (the browser checks before sending) and a Django validator (the page answers
in Vietnamese); the submission service checks the data against the schema once more.

Form field names are the schema's property path joined by ``__`` and prefixed with
``form__`` (``form__me__ho_ten_me``), so that the service's problem ``form.me.ho_ten_me``
finds its field again.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from sen.portal.formatting import form_fields

PREFIX = "form"
SEPARATOR = "__"
# Longer texts than this get a multi-line box.
TEXTAREA_FROM = 1000


def field_name(path: tuple[str, ...]) -> str:
    """Return the form field name of the schema property at ``path``."""
    return SEPARATOR.join((PREFIX, *path))


def field_for_problem(problem_field: str) -> str | None:
    """Return the form field named by a service problem (``form.a.b``), or ``None``."""
    if problem_field != PREFIX and not problem_field.startswith(PREFIX + "."):
        return None
    parts = [part for part in re.split(r"[.\[\]]", problem_field) if part]
    return SEPARATOR.join(parts) if len(parts) > 1 else None


@dataclass
class Entry:
    """What the template draws: a field (``name`` set) or a group of entries."""

    title: str
    name: str = ""
    description: str = ""
    children: list["Entry"] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return not self.name


class EForm(forms.Form):
    """The e-form of one procedure version; build it with ``eform_for``."""

    entries: list[Entry]
    # Path of each field in the schema, and its JSON type ("string", "integer", …).
    paths: dict[str, tuple[tuple[str, ...], str]]

    def form_data(self) -> dict[str, Any]:
        """Return the cleaned values as the JSON object the schema describes.

        Empty optional values are left out: the schema's ``pattern`` or ``format`` would
        refuse an empty string.
        """
        data: dict[str, Any] = {}
        for name, (path, kind) in self.paths.items():
            value = self.cleaned_data.get(name)
            if kind == "boolean":
                value = bool(value)
            elif value is None or value == "":
                continue
            elif kind == "number" and isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            target = data
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = value
        return data


def eform_for(schema: Any) -> type[EForm]:
    """Return a form class for the e-form ``schema`` (a JSON Schema object)."""
    fields: dict[str, forms.Field] = {}
    paths: dict[str, tuple[tuple[str, ...], str]] = {}
    entries = _entries(schema, (), fields, paths, required=True)
    attrs: dict[str, Any] = {**fields, "entries": entries, "paths": paths}
    return type("ProcedureEForm", (EForm,), attrs)


def _entries(
    schema: Any,
    path: tuple[str, ...],
    fields: dict[str, forms.Field],
    paths: dict[str, tuple[tuple[str, ...], str]],
    *,
    required: bool,
) -> list[Entry]:
    """Add a form field per property of ``schema`` and return the entries to draw, in order.

    ``required`` is whether the object itself is required: fields of an optional group are
    never required on their own.
    """
    if not isinstance(schema, Mapping) or not isinstance(schema.get("properties"), Mapping):
        return []
    properties = schema["properties"]
    entries = []
    # ``form_fields`` knows the display order (``propertyOrder``) and the titles.
    for shown in form_fields(schema):
        spec = properties.get(shown.name)
        if not isinstance(spec, Mapping):
            continue
        here = (*path, shown.name)
        is_required = required and shown.required
        kind = spec.get("type")
        if kind == "object":
            children = _entries(spec, here, fields, paths, required=is_required)
            if children:
                entries.append(
                    Entry(title=shown.title, description=shown.description, children=children)
                )
            continue
        made = _field(
            spec, kind, title=shown.title, help_text=shown.description, required=is_required
        )
        if made is None:  # arrays and unknown types are not drawn
            continue
        name = field_name(here)
        fields[name] = made
        paths[name] = (here, str(kind))
        entries.append(Entry(title=shown.title, name=name, description=shown.description))
    return entries


def _number(spec: Mapping[str, Any], key: str) -> int | float | None:
    value = spec.get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _field(
    spec: Mapping[str, Any], kind: Any, *, title: str, help_text: str, required: bool
) -> forms.Field | None:
    """Return the Django form field of one schema property, or ``None`` if not supported."""
    common: dict[str, Any] = {"label": title, "required": required, "help_text": help_text}
    if "default" in spec and not isinstance(spec["default"], dict | list):
        common["initial"] = spec["default"]
    enum = spec.get("enum")
    if isinstance(enum, list) and enum and kind in ("string", "integer", "number", None):
        choices = [(str(value), str(value)) for value in enum]
        if kind in ("integer", "number"):
            coerce: Any = int if kind == "integer" else float
            return forms.TypedChoiceField(
                choices=[("", _("— Chọn —")), *choices], coerce=coerce, empty_value=None, **common
            )
        return forms.ChoiceField(choices=[("", _("— Chọn —")), *choices], **common)
    if kind == "string":
        return _string_field(spec, common)
    if kind in ("integer", "number"):
        minimum, maximum = _number(spec, "minimum"), _number(spec, "maximum")
        if kind == "integer":
            return forms.IntegerField(
                min_value=int(minimum) if minimum is not None else None,
                max_value=int(maximum) if maximum is not None else None,
                **common,
            )
        return forms.DecimalField(
            min_value=Decimal(str(minimum)) if minimum is not None else None,
            max_value=Decimal(str(maximum)) if maximum is not None else None,
            widget=forms.NumberInput(attrs={"step": "any"}),
            **common,
        )
    if kind == "boolean":
        # A box left unticked is an answer ("no"), never a missing value.
        return forms.BooleanField(
            label=title, help_text=help_text, required=False, initial=spec.get("default") is True
        )
    return None


def _string_field(spec: Mapping[str, Any], common: dict[str, Any]) -> forms.Field:
    max_length = spec.get("maxLength")
    max_length = max_length if isinstance(max_length, int) and max_length > 0 else None
    text_format = spec.get("format")
    if text_format == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d"],
            **common,
        )
    if text_format == "email":
        return forms.EmailField(max_length=max_length, **common)
    attrs: dict[str, str] = {}
    validators = []
    pattern = spec.get("pattern")
    if isinstance(pattern, str) and pattern:
        # HTML's pattern is anchored already; the schema's anchors do no harm in it.
        attrs["pattern"] = pattern
        validators.append(
            RegexValidator(re.compile(pattern), _("Giá trị không đúng định dạng yêu cầu."))
        )
        if pattern in ("^[0-9]{12}$", r"^\d{12}$"):
            attrs.update({"inputmode": "numeric", "title": str(_("Gồm đúng 12 chữ số."))})
        elif pattern in ("^0[0-9]{9}$", r"^0\d{9}$"):
            attrs.update({"inputmode": "tel", "title": str(_("10 chữ số, bắt đầu bằng 0."))})
    widget: forms.Widget = forms.TextInput(attrs=attrs)
    if max_length is not None and max_length >= TEXTAREA_FROM:
        widget = forms.Textarea(attrs={**attrs, "rows": 4})
    return forms.CharField(max_length=max_length, validators=validators, widget=widget, **common)
