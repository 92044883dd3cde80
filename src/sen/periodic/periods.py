"""Reporting periods: their keys, bounds and names (pure functions, no database).

A period is named by a key a person can read and type: ``2026-03`` (March 2026), ``2026-Q1``
(the first quarter) or ``2026`` (the year). Keys appear in URLs, exports and the API.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ROMAN_QUARTERS = ("I", "II", "III", "IV")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Tháng")
    QUARTER = "quarter", gettext_lazy("Quý")
    YEAR = "year", gettext_lazy("Năm")


class InvalidPeriodKey(ValueError):
    """The text does not name a period of the expected kind."""


@dataclass(frozen=True)
class Period:
    """One reporting period: its kind, key and first and last day."""

    kind: str
    key: str
    starts_on: date
    ends_on: date

    @property
    def label(self) -> str:
        """Name the period as a report's title does: "Tháng 03/2026", "Quý I/2026"."""
        year = self.starts_on.year
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(month)02d/%(year)d") % {"month": self.starts_on.month, "year": year}
        if self.kind == PeriodKind.QUARTER:
            roman = ROMAN_QUARTERS[(self.starts_on.month - 1) // 3]
            return _("Quý %(quarter)s/%(year)d") % {"quarter": roman, "year": year}
        return _("Năm %(year)d") % {"year": year}


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def period_from_key(kind: str, key: str) -> Period:
    """Return the period of ``kind`` named by ``key``; raise ``InvalidPeriodKey`` otherwise.

    Months are ``YYYY-MM``, quarters ``YYYY-Qn`` (``q`` accepted), years ``YYYY``.
    """
    text = key.strip().upper()
    try:
        if kind == PeriodKind.MONTH:
            year_text, month_text = text.split("-")
            if len(month_text) != 2:
                raise ValueError
            year, month = int(year_text), int(month_text)
            if not 1 <= month <= 12:
                raise ValueError
            first_month, last_month = month, month
        elif kind == PeriodKind.QUARTER:
            year_text, quarter_text = text.split("-Q")
            year, quarter = int(year_text), int(quarter_text)
            if not 1 <= quarter <= 4 or len(quarter_text) != 1:
                raise ValueError
            first_month, last_month = 3 * quarter - 2, 3 * quarter
        elif kind == PeriodKind.YEAR:
            year, first_month, last_month = int(text), 1, 12
        else:
            raise InvalidPeriodKey(f"Unknown period kind {kind!r}")
        if len(year_text if kind != PeriodKind.YEAR else text) != 4:
            raise ValueError
    except ValueError:
        raise InvalidPeriodKey(text) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidPeriodKey(text)
    return Period(
        kind=kind,
        key=period_key(kind, year, first_month),
        starts_on=date(year, first_month, 1),
        ends_on=_month_end(year, last_month),
    )


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
    return period_containing(kind, current.starts_on - timedelta(days=1))


def key_example(kind: str) -> str:
    """Return an example key of ``kind`` for error messages."""
    examples: dict[str, str] = {PeriodKind.MONTH: "2026-03", PeriodKind.QUARTER: "2026-Q1"}
    return examples.get(kind, "2026")
