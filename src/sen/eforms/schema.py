"""Reading an e-form's JSON Schema: its properties in display order, and their overview.

Plain functions without database access. PostgreSQL's jsonb sorts object keys, so the
schema's ``propertyOrder`` decides the order when it is given; stored order otherwise.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Properties without ``propertyOrder`` come after those with one, in stored order.
_UNORDERED = 1_000_000


def ordered_properties(schema: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """Return ``(name, spec)`` of each property of ``schema`` in display order.

    A property whose spec is not an object is kept with an empty spec, so that its name
    still shows.
    """
    if not isinstance(schema, Mapping):
        return []
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return []
    entries = [
        (index, str(name), spec if isinstance(spec, Mapping) else {})
        for index, (name, spec) in enumerate(properties.items())
    ]
    entries.sort(key=lambda entry: (_order_of(entry[2], entry[0]), entry[0]))
    return [(name, spec) for _index, name, spec in entries]


def _order_of(spec: Mapping[str, Any], index: int) -> int:
    order = spec.get("propertyOrder")
    return order if isinstance(order, int) and not isinstance(order, bool) else _UNORDERED + index


def required_names(schema: Any) -> set[str]:
    """Return the names ``schema`` lists as required (none when the list is malformed)."""
    names = schema.get("required") if isinstance(schema, Mapping) else None
    return {str(name) for name in names} if isinstance(names, list) else set()


def title_of(name: str, spec: Mapping[str, Any]) -> str:
    """Return what people read for a property: its ``title``, else its key."""
    title = spec.get("title")
    return str(title) if title else name


@dataclass(frozen=True)
class FormField:
    """A field of a procedure's e-form as a citizen should know it before applying."""

    name: str
    title: str
    required: bool
    description: str = ""
    children: tuple["FormField", ...] = ()


def form_fields(schema: Any) -> list[FormField]:
    """Return the fields of an e-form JSON Schema, nested objects (and arrays of objects)
    as children, in display order. A field without ``title`` shows its key."""
    needed = required_names(schema)
    fields = []
    for name, spec in ordered_properties(schema):
        children = form_fields(spec) if spec.get("type") == "object" else []
        items = spec.get("items")
        if spec.get("type") == "array" and isinstance(items, Mapping):
            children = form_fields(items)
        description = spec.get("description")
        fields.append(
            FormField(
                name=name,
                title=title_of(name, spec),
                required=name in needed,
                description=str(description) if description else "",
                children=tuple(children),
            )
        )
    return fields
