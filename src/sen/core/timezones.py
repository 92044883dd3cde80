"""Vietnam time, the one zone Sen reasons in (times are stored in UTC), and how a moment is
written for people.

Plain Python, without Django: the working-day calendar, the dossier codes and the slips
import it, as well as the apps built on them.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def start_of_day(day: date) -> datetime:
    """Return midnight at the start of ``day`` in Vietnam time: the bound of a day's
    records, and the moment a day-counted deadline ends."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def short_moment(moment: datetime) -> str:
    """Return ``moment`` in Vietnam time as pages, emails and exports write it:
    "08:30 22/11/2026".

    The time comes before the date, as the slips write it in full ("08 giờ 30 phút, ngày
    22/11/2026") and as Vietnamese administrative texts do; the same in every language, so
    that an officer reading the English pages compares moments with the slips at a glance.
    Raise ``ValueError`` for a naive datetime: it cannot be placed in Vietnam time.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a naive datetime cannot be placed in Vietnam time: {moment!r}")
    local = moment.astimezone(VIETNAM)
    return f"{local:%H:%M} {local.day:02d}/{local.month:02d}/{local.year:04d}"
