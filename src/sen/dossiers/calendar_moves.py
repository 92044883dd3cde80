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
    off_added = [day for day, (b, a) in days.items() if a == DAY_OFF and b != DAY_OFF]
    off_removed = [day for day, (b, a) in days.items() if b == DAY_OFF and a != DAY_OFF]
    worked_added = [day for day, (b, a) in days.items() if a == WORKING_DAY and b != WORKING_DAY]
    worked_removed = [day for day, (b, a) in days.items() if b == WORKING_DAY and a != WORKING_DAY]
    said = []
    if off_added and off_removed:
        said.append(
            _("Ngày nghỉ “%(name)s” được chuyển từ ngày %(old)s sang ngày %(new)s.")
            % {"name": name, "old": _dates(off_removed), "new": _dates(off_added)}
        )
    elif off_added:
        said.append(
            _("Ngày %(dates)s được công bố là ngày nghỉ (“%(name)s”).")
            % {"dates": _dates(off_added), "name": name}
        )
    elif off_removed:
        said.append(
            _("Ngày nghỉ “%(name)s” ngày %(dates)s đã được hủy: ngày này lại là ngày làm việc.")
            % {"dates": _dates(off_removed), "name": name}
        )
    if worked_added and worked_removed:
        said.append(
            _("Ngày làm việc bù “%(name)s” được chuyển từ ngày %(old)s sang ngày %(new)s.")
            % {"name": name, "old": _dates(worked_removed), "new": _dates(worked_added)}
        )
    elif worked_added:
        said.append(
            _("Ngày %(dates)s được công bố là ngày làm việc (“%(name)s”).")
            % {"dates": _dates(worked_added), "name": name}
        )
    elif worked_removed:
        said.append(
            _("Ngày làm việc bù “%(name)s” ngày %(dates)s đã được hủy: ngày này lại là ngày nghỉ.")
            % {"dates": _dates(worked_removed), "name": name}
        )
    return " ".join(said) or name


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
