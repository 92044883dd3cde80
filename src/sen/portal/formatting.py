"""How the portal shows values to people: money, durations, documents (moments:
``sen.core.timezones.short_moment``, the ``|moment`` filter).

Plain functions without database access. Numbers follow the active language's formats
(Vietnamese: "50.000", "0,5"; English: "50,000", "0.5"), Django's with the Vietnamese
grouping of ``sen.formats.vi``.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext, ngettext

from sen.catalog.models import DurationUnit
from sen.core.text import group_thousands


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
