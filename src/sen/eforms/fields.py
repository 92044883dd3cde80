"""An e-form as Django form fields, and the cleaned values as the JSON object it describes.

Supported (Sen's e-form profile, ``sen.eforms.profile``, which is all the catalog takes):
``string`` with ``maxLength``, ``minLength``, ``pattern``, ``format`` ``date`` or ``email``;
``enum`` (a list to pick from); ``integer`` and ``number`` with ``minimum`` and ``maximum``;
``boolean``; arrays of strings (one item per line); ``required``; ``default``; ``title``
and ``description``; nested ``object``\\s, drawn as a group. Each constraint becomes both an
HTML attribute (the browser checks before sending) and a Django validator (the page answers
in Vietnamese), except ``maxLength``, drawn without ``maxlength`` (which silently cuts a
longer text pasted in), and the range of a number: ``integer`` and ``number`` are typed in
text boxes, which keep what Vietnamese write (``1.000`` for a thousand, ``25,5`` for a
fraction; ``GroupedIntegerField``, ``DecimalCommaField``) where a number box would change
it. The schema's checks no field makes (``maxLength``, ``minLength``, ``exclusiveMinimum``,
``multipleOf``, …) run in the same round as the fields' own, on the values they took
(``add_schema_errors``), so that every failing field is named at once; the service checks
everything again.

Field names are the property's path joined by ``__`` after ``form`` (``form__me__ho_ten_me``),
so that the service's problem ``form.me.ho_ten_me`` finds its field again
(``field_for_problem``).

Two ways to use it: ``eform_for(schema)`` makes a form class of its own (the portal), and
``add_fields(form, schema)`` adds the fields to a form that asks for more (the desk intake).
Both give the ``entries`` to draw, fields and groups in order.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from jsonschema import SchemaError

from sen.core.forms import (
    DataChoicesSelect,
    DigitsField,
    MultilineField,
    NulSafeForm,
    labelled_with_data,
)
from sen.eforms.schema import ordered_properties, required_names, title_of
from sen.eforms.validation import (
    EMAIL_MISMATCH,
    KNOWN_PATTERNS,
    NOT_AFTER_TODAY,
    PATTERN_MISMATCH,
    after_today,
    eform_errors,
    message_of,
    pattern_as_browser,
)

PREFIX = "form"
SEPARATOR = "__"
# Longer texts than this get a multi-line box.
TEXTAREA_FROM = 1000


def field_name(path: tuple[str, ...]) -> str:
    """Return the form field name of the schema property at ``path``."""
    return SEPARATOR.join((PREFIX, *path))


def field_for_problem(problem_field: str) -> str | None:
    """Return the form field named by a service problem, or ``None`` for the whole form.

    ``form.me.ho_ten_me`` is ``form__me__ho_ten_me``; a problem with an item of an array
    (``form.con[1]``) belongs to the array's field. The caller checks that the field exists.
    """
    if not problem_field.startswith(PREFIX + "."):
        return None
    parts = [re.sub(r"\[\d*\]", "", part) for part in problem_field.split(".")[1:]]
    return field_name(tuple(parts)) if parts and all(parts) else None


@dataclass
class Entry:
    """What a template draws: a field (``name`` set) or a group of entries."""

    title: str
    name: str = ""
    description: str = ""
    children: list["Entry"] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return not self.name


@dataclass(frozen=True)
class Leaf:
    """Where a field's value goes in the JSON object, and its JSON type."""

    path: tuple[str, ...]
    kind: str


@dataclass
class Layout:
    """The fields of an e-form, the entries to draw and where each value goes."""

    fields: dict[str, forms.Field] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    leaves: dict[str, Leaf] = field(default_factory=dict)


def layout(schema: Any) -> Layout:
    """Return the form fields, entries and leaves of the e-form ``schema``."""
    made = Layout()
    made.entries = _entries(schema, (), made, required=True)
    return made


def add_fields(form: forms.BaseForm, schema: Any) -> Layout:
    """Add the e-form's fields to ``form`` (after those it has); return the layout."""
    made = layout(schema)
    form.fields.update(made.fields)
    return made


def add_schema_errors(form: forms.BaseForm, schema: Any, leaves: Mapping[str, Leaf]) -> None:
    """Check the values of ``form`` that its fields took against the e-form ``schema`` and
    add each problem to its field, unless the field has one already; call it from ``clean``.

    The schema's checks the fields do not make (``minLength``, ``exclusiveMinimum``,
    ``multipleOf``, the lengths of an array's items, …) are found in the same round as the
    fields' own, not after these all pass: a citizen who corrects one error does not meet
    the next. The service checks everything again; the words are its own (``message_of``).
    A problem of no field drawn here is left to it.
    """
    data = collect(leaves, form.cleaned_data)
    try:
        errors = eform_errors(schema, data)
    except SchemaError:
        return  # the service says the procedure's form is broken
    for error in errors:
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        )
        name = field_for_problem(PREFIX + path)
        if name is not None and name in form.fields and name not in form.errors:
            form.add_error(name, message_of(error))


class EForm(NulSafeForm):
    """The e-form of one procedure version on its own; build it with ``eform_for``."""

    schema: Any
    entries: list[Entry]
    leaves: dict[str, Leaf]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        add_schema_errors(self, self.schema, self.leaves)
        return cleaned

    def form_data(self) -> dict[str, Any]:
        """Return the cleaned values as the JSON object the schema describes."""
        return collect(self.leaves, self.cleaned_data)


def eform_for(schema: Any) -> type[EForm]:
    """Return a form class for the e-form ``schema`` (a JSON Schema object)."""
    made = layout(schema)
    attrs: dict[str, Any] = {
        **made.fields,
        "schema": schema,
        "entries": made.entries,
        "leaves": made.leaves,
    }
    return type("ProcedureEForm", (EForm,), attrs)


def collect(leaves: Mapping[str, Leaf], cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """Return the e-form data from a form's cleaned data.

    Values left blank are left out: the schema's ``pattern`` or ``format`` would refuse an
    empty string. An unticked box is an answer ("no"), kept at the top level and in a group
    that has other values, but it does not make an optional group appear on its own (the
    group's required fields would then be missing).
    """
    data: dict[str, Any] = {}
    unticked = []
    for name, leaf in leaves.items():
        value = cleaned.get(name)
        if leaf.kind == "boolean" and not value:
            unticked.append(leaf.path)
            continue
        if value is None or value == "" or value == []:
            continue
        target = data
        for part in leaf.path[:-1]:
            target = target.setdefault(part, {})
        target[leaf.path[-1]] = _json_value(leaf, value)
    for path in unticked:
        target = data
        for part in path[:-1]:
            if not isinstance(target.get(part), dict):
                break
            target = target[part]
        else:
            target[path[-1]] = False
    return data


def _json_value(leaf: Leaf, value: Any) -> Any:
    if leaf.kind == "boolean":
        return bool(value)
    if leaf.kind == "array":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _entries(schema: Any, path: tuple[str, ...], made: Layout, *, required: bool) -> list[Entry]:
    """Add a form field per property of ``schema`` and return the entries to draw, in order.

    ``required`` is whether the object itself is required: fields of an optional group are
    never required on their own.
    """
    needed = required_names(schema)
    entries = []
    for name, spec in ordered_properties(schema):
        here = (*path, name)
        title = title_of(name, spec)
        description = str(spec.get("description") or "")
        is_required = required and name in needed
        kind = spec.get("type")
        if kind == "object":
            children = _entries(spec, here, made, required=is_required)
            if children:
                entries.append(Entry(title=title, description=description, children=children))
            continue
        made_field = _field(spec, kind, title=title, help_text=description, required=is_required)
        if made_field is None:  # arrays of objects and unknown types are not drawn
            continue
        # The schema's title and description are the catalog's Vietnamese; a hint of ours
        # in their place is the page's language.
        labelled_with_data(made_field, help_text_too=bool(description))
        name_here = field_name(here)
        made.fields[name_here] = made_field
        made.leaves[name_here] = Leaf(path=here, kind=str(kind))
        entries.append(Entry(title=title, name=name_here, description=description))
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
        choices = [("", _("— Chọn —")), *[(str(value), str(value)) for value in enum]]
        if kind in ("integer", "number"):
            coerce: Any = int if kind == "integer" else float
            return forms.TypedChoiceField(
                choices=choices,
                coerce=coerce,
                empty_value=None,
                widget=DataChoicesSelect,
                **common,
            )
        return forms.ChoiceField(choices=choices, widget=DataChoicesSelect, **common)
    if kind == "string":
        return _string_field(spec, common)
    if kind in ("integer", "number"):
        return _number_field(spec, kind, common)
    if kind == "boolean":
        # A box left unticked is an answer ("no"), never a missing value.
        return forms.BooleanField(
            label=title, help_text=help_text, required=False, initial=spec.get("default") is True
        )
    items = spec.get("items")
    if kind == "array" and isinstance(items, Mapping) and items.get("type") == "string":
        common["help_text"] = help_text or _("Mỗi dòng một mục.")
        return MultilineField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return None


def _number_field(spec: Mapping[str, Any], kind: str, common: dict[str, Any]) -> forms.Field:
    minimum, maximum = _number(spec, "minimum"), _number(spec, "maximum")
    if kind == "integer":
        return GroupedIntegerField(
            min_value=int(minimum) if minimum is not None else None,
            max_value=int(maximum) if maximum is not None else None,
            **common,
        )
    return DecimalCommaField(
        min_value=Decimal(str(minimum)) if minimum is not None else None,
        max_value=Decimal(str(maximum)) if maximum is not None else None,
        **common,
    )


# The range in the API's words (``sen.validation_messages``); Django's Vietnamese catalog
# says "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 20 ." with a stray space.
RANGE_MESSAGES: dict[str, Any] = {
    "min_value": _("Phải lớn hơn hoặc bằng %(limit_value)s."),
    "max_value": _("Phải nhỏ hơn hoặc bằng %(limit_value)s."),
}

# A number as Vietnamese write it: the thousands grouped by points or by spaces (the same
# mark throughout), a comma before the fraction: 1500, 1.500, 1 500, 25,5, 1.250,5.
VIETNAMESE_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<whole>[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+)"
    r"(?:,(?P<fraction>[0-9]+))?"
)


def plain_number(text: str) -> tuple[str, str] | None:
    """Return the whole part (with its sign) and the fraction of a number written the
    Vietnamese way (``("-1250", "5")`` for ``-1.250,5``; the fraction is "" if none), or
    ``None`` when ``text`` is not one.

    A point only groups thousands, so ``1.500`` is fifteen hundred; a point followed by
    anything but groups of three digits (``1.5``, ``1.50``) is refused, since it may be a
    decimal point written the English way and reading it either way would store a number
    a thousand times off. Any blank (a no-break space pasted from a document) groups like
    a space.
    """
    match = VIETNAMESE_NUMBER.fullmatch(re.sub(r"\s", " ", text.strip()))
    if match is None:
        return None
    return match["sign"] + re.sub(r"[. ]", "", match["whole"]), match["fraction"] or ""


class GroupedIntegerField(forms.IntegerField):
    """A whole number, written plain (``1000``) or grouped the Vietnamese way (``1.000``,
    ``1 000``).

    A text box, not ``<input type="number">``, and not Django's reading, which both take
    ``1.000`` for 1: a thousand copies or đồng would silently become one. A comma, or a
    point not grouping thousands, is refused, since a whole number has no fraction. The
    range is checked on the server only; ``inputmode`` still brings up the phone's number
    keys.
    """

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Hãy ghi một số nguyên, ví dụ 1000 hoặc 1.000."),
        **RANGE_MESSAGES,
    }

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip():
            parts = plain_number(value)
            if parts is None or parts[1]:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = parts[0]
        return super().to_python(value)


class DecimalCommaField(forms.DecimalField):
    """A number with a fraction, written the Vietnamese way: ``25,5``, ``1.500`` (fifteen
    hundred), ``1 500``, ``1.250,5`` (``plain_number``).

    A text box, not ``<input type="number">``: browsers drop the comma Vietnamese write
    before the fraction there, so that 25,5 m² was sent as 255. The range is checked on
    the server only; ``inputmode`` still brings up the phone's number keys.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Nhập số, dùng dấu phẩy cho phần thập phân, ví dụ 1.250,5."),
        **RANGE_MESSAGES,
    }

    def to_python(self, value: Any) -> Any:  # a Decimal (the stubs have DecimalField return int)
        if isinstance(value, str) and value.strip():
            parts = plain_number(value)
            if parts is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = f"{parts[0]}.{parts[1]}" if parts[1] else parts[0]
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        """Write a number given as such (a schema's ``default``) with a decimal comma, so that
        the page sends back what it reads."""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return format(Decimal(str(value)), "f").replace(".", ",")
        return value


class DateInput(forms.DateInput):
    """The browser's date picker; for a field that takes no date after today, up to today
    (``max``, read when the page is drawn, so that a form class made yesterday stays right)."""

    def __init__(self, *, not_after_today: bool) -> None:
        super().__init__(attrs={"type": "date"}, format="%Y-%m-%d")
        self.not_after_today = not_after_today

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.not_after_today:
            context["widget"]["attrs"]["max"] = timezone.localdate().isoformat()
        return context


def _refuse_after_today(day: date) -> None:
    if problem := after_today(day):
        raise ValidationError(problem, code="after_today")


def _string_field(spec: Mapping[str, Any], common: dict[str, Any]) -> forms.Field:
    max_length = spec.get("maxLength")
    max_length = max_length if isinstance(max_length, int) and max_length > 0 else None
    text_format = spec.get("format")
    if text_format == "date":
        not_after_today = spec.get(NOT_AFTER_TODAY) is True
        return forms.DateField(
            widget=DateInput(not_after_today=not_after_today),
            input_formats=["%Y-%m-%d"],
            validators=[_refuse_after_today] if not_after_today else [],
            **common,
        )
    if text_format == "email":
        invalid = {"invalid": EMAIL_MISMATCH}  # the API's words, not Django's
        # No max_length: see below; the schema's check says "Dài quá N ký tự."
        return forms.EmailField(error_messages=invalid, **common)
    attrs: dict[str, str] = {}
    min_length = spec.get("minLength")
    if isinstance(min_length, int) and min_length > 0:
        # The browser says it before sending; the schema's check says it in our words.
        attrs["minlength"] = str(min_length)
    validators = []
    known = None
    pattern = spec.get("pattern")
    if isinstance(pattern, str) and pattern:
        # HTML's pattern is anchored already; the schema's anchors do no harm in it.
        attrs["pattern"] = pattern
        # The two patterns every form has say what they want, shown beside the field (a
        # tooltip does not show on a phone) and in its error; any other is "the format".
        known = KNOWN_PATTERNS.get(pattern)
        message = known.text if known else PATTERN_MISMATCH
        validators.append(RegexValidator(pattern_as_browser(pattern), message))
        # And the browser's bubble for a value off the pattern says it too.
        attrs["title"] = str(message)
        if known is not None:
            # An identity or phone number may be typed in groups, as on the applicant's
            # own fields: the box takes the groups, the form keeps the digits.
            attrs["pattern"] = known.grouped
            attrs["inputmode"] = known.input_mode
            if not common["help_text"]:
                common = {**common, "help_text": known.text}
    widget: forms.Widget = forms.TextInput(attrs=attrs)
    if max_length is not None and max_length >= TEXTAREA_FROM:
        widget = forms.Textarea(attrs={**attrs, "rows": 4})
    # No ``maxlength`` attribute: the browser silently cuts a longer text pasted in (300
    # characters stored as 254, mid-phrase). The schema's check (``add_schema_errors``)
    # says "Dài quá N ký tự." next to the field instead, the text kept as typed.
    if known is not None:
        return DigitsField(validators=validators, widget=widget, **common)
    return MultilineField(validators=validators, widget=widget, **common)
