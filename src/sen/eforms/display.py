"""Entered e-form data as labelled lines, for the people who read a dossier."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sen.eforms.schema import ordered_properties, title_of


@dataclass(frozen=True)
class EFormLine:
    """A line of the e-form as a dossier page shows it; a group's heading has no value."""

    title: str
    value: str
    depth: int
    heading: bool = False


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int | float):
        # With the reader's decimal mark: the applicant typed 25,5, and "25.5" reads as 255
        # to a Vietnamese officer. Not grouped: a whole number may be a year.
        return number_format(value)
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _walk(schema: Any, data: Any, depth: int, named: set[str]) -> list[EFormLine]:
    shown = []
    for name, spec in ordered_properties(schema):
        value = data.get(name) if isinstance(data, Mapping) else None
        named.add(name)
        if spec.get("type") == "object":
            children = _walk(spec, value, depth + 1, set())
            if children:  # a group left empty shows no heading
                shown.append(EFormLine(title_of(name, spec), "", depth, heading=True))
                shown += children
        elif value is not None and value != "":
            shown.append(EFormLine(title_of(name, spec), _shown(value), depth))
    return shown


def lines(schema: Any, data: Any) -> list[EFormLine]:
    """Return the e-form data as labelled lines, in the schema's order, dates as dd/mm/yyyy
    and numbers with the reader's decimal mark.

    Values the schema does not name come last under their key, so that nothing the
    applicant entered is hidden from the officer.
    """
    if not isinstance(data, Mapping):
        return []
    named: set[str] = set()
    shown = _walk(schema, data, 0, named)
    for key, value in data.items():
        if key not in named and not isinstance(value, Mapping):
            shown.append(EFormLine(title=str(key), value=_shown(value), depth=0))
    return shown
