"""What a change of the working calendar did, said to the people whose deadlines it moved.

A calendar move (``Action.RESCHEDULE``, ``services.rescheduling``) records the dates the
change touched with their entry's kind before and after it (``data["calendar"]``: ISO date
to ``[before, after]``, each ``"day_off"``, ``"working_day"`` or ``None`` for no entry) and
the entry's name (``data["reason"]``). These functions turn them into a sentence, in the
reader's language, at the moment it is read: the applicant's email and the history alike.
Plain functions, without database access.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

DAY_OFF = "day_off"
WORKING_DAY = "working_day"


def _dates(days: list[date]) -> str:
    return ", ".join(f"{day:%d/%m/%Y}" for day in sorted(days))


def _days(calendar: Any) -> dict[date, tuple[str | None, str | None]]:
    """Return the recorded dates and kinds; {} for data that does not hold them."""
    if not isinstance(calendar, Mapping):
        return {}
    days = {}
    for day, kinds in calendar.items():
        try:
            before, after = kinds
            days[date.fromisoformat(day)] = (before, after)
        except (TypeError, ValueError):
            return {}
    return days


def calendar_change_text(calendar: Any, *, name: str) -> str:
    """Return what the calendar change recorded in ``calendar`` did, with the entry's
    ``name``: a day declared off, a day off cancelled or moved, a day declared worked, a
    worked day cancelled or moved; ``name`` alone if the record says nothing of it (moves
    recorded before the change's kinds were)."""
    days = _days(calendar)
    if not days:
        return name
    said = [
        _kind_change(
            days,
            DAY_OFF,
            name=name,
            moved=_("Ngày nghỉ “%(name)s” được chuyển từ ngày %(old)s sang ngày %(new)s."),
            declared=_("Ngày %(dates)s được công bố là ngày nghỉ (“%(name)s”)."),
            cancelled=_(
                "Ngày nghỉ “%(name)s” ngày %(dates)s đã được hủy: ngày này lại là ngày làm việc."
            ),
        ),
        _kind_change(
            days,
            WORKING_DAY,
            name=name,
            moved=_("Ngày làm việc bù “%(name)s” được chuyển từ ngày %(old)s sang ngày %(new)s."),
            declared=_("Ngày %(dates)s được công bố là ngày làm việc (“%(name)s”)."),
            cancelled=_(
                "Ngày làm việc bù “%(name)s” ngày %(dates)s đã được hủy: ngày này lại là ngày nghỉ."
            ),
        ),
    ]
    return " ".join(sentence for sentence in said if sentence) or name


def _kind_change(
    days: Mapping[date, tuple[str | None, str | None]],
    kind: str,
    *,
    name: str,
    moved: str,
    declared: str,
    cancelled: str,
) -> str:
    """Return what the change did to the days of ``kind`` (a day off, a worked day): one
    moved from some dates to others, declared on some, or cancelled on some; "" if none."""
    added = [day for day, (before, after) in days.items() if after == kind and before != kind]
    removed = [day for day, (before, after) in days.items() if before == kind and after != kind]
    if added and removed:
        return moved % {"name": name, "old": _dates(removed), "new": _dates(added)}
    if added:
        return declared % {"dates": _dates(added), "name": name}
    if removed:
        return cancelled % {"dates": _dates(removed), "name": name}
    return ""


def appointment_move_text(*, code: str, later: bool) -> str:
    """Return the email's opening sentence for an appointment the calendar moved, ``later``
    or earlier (a day that counts again brings it back, never before the promise)."""
    if later:
        return _(
            "Ngày hẹn trả kết quả hồ sơ %(code)s được lùi lại vì lịch làm việc thay đổi: "
            "thời hạn giải quyết chỉ tính ngày làm việc, mà một ngày trong thời hạn đó nay là "
            "ngày nghỉ."
        ) % {"code": code}
    return _(
        "Ngày hẹn trả kết quả hồ sơ %(code)s được đưa về sớm hơn vì lịch làm việc thay đổi: "
        "thời hạn giải quyết được tính lại theo ngày làm việc, nhưng không sớm hơn ngày đã "
        "hẹn ban đầu."
    ) % {"code": code}
