"""Reporting periods (kỳ báo cáo): a month, a quarter or a year, in Vietnam time.

Plain functions without database access. A period is written ``2026-11`` (a month),
``2026-Q4`` (a quarter) or ``2026`` (a year); it covers whole months, so that the
aggregates kept per month add up to any period exactly.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from sen.core.timezones import VIETNAM

_PERIOD = re.compile(r"^(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})|Q(?P<quarter>[1-4])))?$")
FIRST_YEAR = 2000
LAST_YEAR = 2100
# The periods ``parse_period`` reads, as one pattern (JSON Schema's, for the API document):
# the years FIRST_YEAR–LAST_YEAR, months 01–12, quarters Q1–Q4.
PERIOD_PATTERN = r"^(20[0-9]{2}|2100)(-(0[1-9]|1[0-2])|-Q[1-4])?$"


class PeriodError(ValueError):
    """The text is not a period Sen knows."""


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` (first days of months), with its written form."""

    key: str
    kind: str  # "month", "quarter" or "year"
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """Return the first moment of the period (midnight, Vietnam time)."""
        return datetime(self.first.year, self.first.month, 1, tzinfo=VIETNAM)

    @property
    def end(self) -> datetime:
        """Return the first moment after the period (midnight, Vietnam time)."""
        following = add_months(self.last, 1)
        return datetime(following.year, following.month, 1, tzinfo=VIETNAM)

    @property
    def last_day(self) -> date:
        """Return the period's last day: 31/03/2026 for ``2026-Q1``."""
        return self.end.date() - timedelta(days=1)


# Quarters are written in Roman numerals, as official documents write them ("quý I").
ROMAN_QUARTERS = ("I", "II", "III", "IV")


def period_label(period: Period) -> str:
    """Name a period as pages and reports do: "Tháng 03/2026", "Quý I/2026", "Năm 2026"."""
    year = period.first.year
    if period.kind == "month":
        return _("Tháng %(month)02d/%(year)d") % {"month": period.first.month, "year": year}
    if period.kind == "quarter":
        roman = ROMAN_QUARTERS[(period.first.month - 1) // 3]
        return _("Quý %(quarter)s/%(year)d") % {"quarter": roman, "year": year}
    return _("Năm %(year)d") % {"year": year}


def add_months(month: date, count: int) -> date:
    """Return the first day of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_of(moment: datetime) -> date:
    """Return the first day of the month of ``moment`` (aware) in Vietnam time."""
    if moment.tzinfo is None:
        raise ValueError("moment must be aware")
    local = moment.astimezone(VIETNAM)
    return date(local.year, local.month, 1)


def parse_period(text: str) -> Period:
    """Return the period written ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; raise ``PeriodError``."""
    match = _PERIOD.match(text.strip())
    if match is None:
        raise PeriodError(text)
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(text)
    if match["month"] is not None:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(text)
        first = date(year, month, 1)
        return Period(key=f"{year}-{month:02d}", kind="month", first=first, last=first)
    if match["quarter"] is not None:
        quarter = int(match["quarter"])
        first = date(year, 3 * quarter - 2, 1)
        return Period(
            key=f"{year}-Q{quarter}", kind="quarter", first=first, last=add_months(first, 2)
        )
    return Period(key=str(year), kind="year", first=date(year, 1, 1), last=date(year, 12, 1))
