"""Reporting periods: their kinds and keys (pure functions, no database).

A period is named by a key a person can read and type: ``2026-03`` (March 2026), ``2026-Q1``
(the first quarter) or ``2026`` (the year). Keys appear in URLs, exports and the API. The
periods themselves are :class:`sen.core.periods.Period`; this module adds what reporting
needs on top: the kinds a form chooses from, and reading the keys people type. A period's
name ("Quý I/2026") is ``sen.core.periods.period_label``, shared with the indicators.
"""

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy

from sen.core.periods import Period, PeriodError, parse_period
from sen.core.text import typed_code


class PeriodKind(models.TextChoices):
    """How often a form is reported (stable codes used by the API and in keys)."""

    MONTH = "month", gettext_lazy("Tháng")
    QUARTER = "quarter", gettext_lazy("Quý")
    YEAR = "year", gettext_lazy("Năm")


class InvalidPeriodKey(ValueError):
    """The text does not name a period of the expected kind."""


def period_from_key(kind: str, key: str) -> Period:
    """Return the period of ``kind`` named by ``key``; raise ``InvalidPeriodKey`` otherwise.

    Months are ``YYYY-MM``, quarters ``YYYY-Qn`` (``q`` accepted), years ``YYYY``; the
    shapes are read by :func:`sen.core.periods.parse_period`, the one parser of keys.
    """
    if kind not in PeriodKind.values:
        raise InvalidPeriodKey(f"Unknown period kind {kind!r}")
    text = typed_code(key)
    try:
        parsed = parse_period(text)
    except PeriodError:
        raise InvalidPeriodKey(text) from None
    if parsed.kind != kind:
        raise InvalidPeriodKey(text)
    return parsed


def period_key(kind: str, year: int, month: int) -> str:
    """Return the key of the period of ``kind`` holding the given month."""
    if kind == PeriodKind.MONTH:
        return f"{year:04d}-{month:02d}"
    if kind == PeriodKind.QUARTER:
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}"


def period_containing(kind: str, day: date) -> Period:
    """Return the period of ``kind`` that ``day`` falls in."""
    return period_from_key(kind, period_key(kind, day.year, day.month))


def period_before(kind: str, day: date) -> Period:
    """Return the last period of ``kind`` that ended before ``day``: the one due soon."""
    current = period_containing(kind, day)
    return period_containing(kind, current.first - timedelta(days=1))


def key_example(kind: str) -> str:
    """Return an example key of ``kind`` for error messages."""
    examples: dict[str, str] = {PeriodKind.MONTH: "2026-03", PeriodKind.QUARTER: "2026-Q1"}
    return examples.get(kind, "2026")
