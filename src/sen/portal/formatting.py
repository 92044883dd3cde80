"""How the portal shows catalog values to people: money, durations, documents, e-form fields.

Plain functions without database access. Numbers follow the active language's separators
(Vietnamese: "50.000", "0,5"; English: "50,000", "0.5"); Django's Vietnamese locale sets no
number grouping, so grouping is done here rather than with ``number_format``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext, ngettext

from sen.catalog.models import DurationUnit


def group_thousands(amount: int) -> str:
    """Return ``amount`` with the active language's thousands separator: "1.500.000"."""
    separator = str(get_format("THOUSAND_SEPARATOR"))
    return f"{amount:,}".replace(",", separator)


def format_dong(amount: int | None) -> str:
    """Return an amount of money for people: "50.000 đồng", or "Miễn phí" when nothing is due."""
    if not amount:
        return gettext("Miễn phí")
    return gettext("%(amount)s đồng") % {"amount": group_thousands(amount)}


def format_number(value: Decimal) -> str:
    """Return a decimal without trailing zeros, with the active decimal separator: "0,5", "3"."""
    if value == value.to_integral_value():
        return group_thousands(int(value))
    whole, _, fraction = format(value.normalize(), "f").partition(".")
    return f"{group_thousands(int(whole))}{get_format('DECIMAL_SEPARATOR')}{fraction}"


def format_duration(value: Decimal, unit: str = DurationUnit.DAYS) -> str:
    """Return a legal time for people: "3 ngày làm việc", "4 giờ làm việc"."""
    # gettext wants an integer count; a fraction takes the plural form in English
    # ("0.5 working days") and Vietnamese has a single form.
    count = int(value) if value == value.to_integral_value() else 2
    number = format_number(value)
    if unit == DurationUnit.HOURS:
        text = ngettext("%(number)s giờ làm việc", "%(number)s giờ làm việc", count)
    else:
        text = ngettext("%(number)s ngày làm việc", "%(number)s ngày làm việc", count)
    return text % {"number": number}


# Keys a legal document or a result paper may carry, in the order a reader expects them.
_DOCUMENT_KEYS = ("number", "code", "title", "name", "issued_by", "issued_on", "date")


def document_label(item: Any) -> str:
    """Return one line for an entry of a procedure's legal basis or results list.

    Entries are plain strings ("Luật Hộ tịch số 60/2014/QH13") or objects such as
    ``{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}``. PostgreSQL's jsonb does not
    keep key order, so known keys are read in a fixed order and the rest after them.
    """
    if isinstance(item, Mapping):
        keys = [key for key in _DOCUMENT_KEYS if key in item]
        keys += sorted(key for key in item if key not in _DOCUMENT_KEYS)
        parts = [str(item[key]).strip() for key in keys if _is_scalar(item[key])]
        return " — ".join(part for part in parts if part)
    if item is None:
        return ""
    return str(item).strip()


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class FormField:
    """A field of a procedure's e-form as a citizen should know it before applying."""

    name: str
    title: str
    required: bool
    description: str = ""
    children: tuple["FormField", ...] = ()


def form_fields(schema: Any) -> list[FormField]:
    """Return the fields of an e-form JSON Schema, nested objects as children.

    Fields are in the schema's ``propertyOrder`` when it gives one (jsonb on PostgreSQL
    sorts object keys), otherwise in stored order. A field without ``title`` shows its key.
    """
    if not isinstance(schema, Mapping):
        return []
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return []
    required = schema.get("required")
    required_names = set(required) if isinstance(required, list) else set()
    entries = [
        (index, name, spec if isinstance(spec, Mapping) else {})
        for index, (name, spec) in enumerate(properties.items())
    ]
    entries.sort(key=lambda entry: (_order_of(entry[2], entry[0]), entry[0]))
    fields = []
    for _index, name, spec in entries:
        title = spec.get("title")
        description = spec.get("description")
        children = form_fields(spec) if spec.get("type") == "object" else []
        items = spec.get("items")
        if spec.get("type") == "array" and isinstance(items, Mapping):
            children = form_fields(items)
        fields.append(
            FormField(
                name=str(name),
                title=str(title) if title else str(name),
                required=name in required_names,
                description=str(description) if description else "",
                children=tuple(children),
            )
        )
    return fields


def _order_of(spec: Mapping[str, Any], index: int) -> int:
    order = spec.get("propertyOrder")
    return order if isinstance(order, int) and not isinstance(order, bool) else 1_000_000 + index
