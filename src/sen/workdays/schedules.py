"""Office hours as stored (JSON) and as computed with (``WeeklySchedule``).

The stored form is ``{"mon": [["08:00", "12:00"], ["13:00", "17:00"]], …, "sun": []}``:
weekday keys ``mon`` … ``sun``, each a list of ``[start, end]`` local times ``HH:MM`` (or
``HH:MM:SS``); a missing weekday is closed. This module checks it with messages an
administrator can act on, and converts it.
"""

import re
from datetime import time
from typing import Any

from django.utils.translation import gettext as _

from sen.workdays.calendar import MONDAY, WEEKDAY_KEYS, Interval, WeeklySchedule
from sen.workdays.errors import InvalidSchedule

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")


def _weekday_name(key: str) -> str:
    names = {
        "mon": _("thứ Hai"),
        "tue": _("thứ Ba"),
        "wed": _("thứ Tư"),
        "thu": _("thứ Năm"),
        "fri": _("thứ Sáu"),
        "sat": _("thứ Bảy"),
        "sun": _("Chủ nhật"),
    }
    return names[key]


def _parse(data: Any) -> tuple[dict[int, list[Interval]], list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    hours: dict[int, list[Interval]] = {}

    def error(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    if not isinstance(data, dict):
        error("schedule", _("Giờ làm việc phải là một đối tượng theo thứ trong tuần (mon … sun)."))
        return hours, errors
    for key in data:
        if key not in WEEKDAY_KEYS:
            error(
                f"schedule.{key}",
                _("“%(key)s” không phải là thứ trong tuần; dùng mon, tue, wed, thu, fri, sat, sun.")
                % {"key": key},
            )
    for weekday, key in enumerate(WEEKDAY_KEYS):
        intervals = data.get(key, [])
        day = _weekday_name(key)
        if not isinstance(intervals, list):
            error(f"schedule.{key}", _("Giờ làm việc %(day)s phải là danh sách.") % {"day": day})
            continue
        parsed: list[Interval] = []
        for index, interval in enumerate(intervals):
            field = f"schedule.{key}[{index}]"
            if (
                not isinstance(interval, list | tuple)
                or len(interval) != 2
                or not all(isinstance(t, str) and _TIME.match(t) for t in interval)
            ):
                error(
                    field,
                    _(
                        "Khoảng giờ %(day)s phải có dạng [“HH:MM”, “HH:MM”] trong ngày "
                        "(00:00–23:59)."
                    )
                    % {"day": day},
                )
                continue
            start, end = (time.fromisoformat(t) for t in interval)
            if not start < end:
                error(
                    field,
                    _("Khoảng giờ %(day)s phải bắt đầu trước khi kết thúc: %(start)s–%(end)s.")
                    % {"day": day, "start": interval[0], "end": interval[1]},
                )
                continue
            if parsed and start < parsed[-1][1]:
                error(
                    field,
                    _(
                        "Các khoảng giờ %(day)s phải theo thứ tự và không chồng lấn: "
                        "%(start)s bắt đầu trước %(previous)s."
                    )
                    % {"day": day, "start": interval[0], "previous": parsed[-1][1].isoformat()[:5]},
                )
                continue
            parsed.append((start, end))
        hours[weekday] = parsed
    if not errors and not hours.get(MONDAY):
        error(
            "schedule.mon",
            _("Thứ Hai phải có giờ làm việc: đó là ngày làm việc chuẩn để tính thời hạn."),
        )
    return hours, errors


def schedule_errors(data: Any) -> list[dict[str, str]]:
    """Return what is wrong with stored office hours, as ``[{"field", "message"}]``."""
    return _parse(data)[1]


def schedule_from_json(data: Any) -> WeeklySchedule:
    """Return the weekly schedule of stored office hours; raise ``InvalidSchedule`` if wrong."""
    hours, errors = _parse(data)
    if errors:
        raise InvalidSchedule(_("Giờ làm việc không hợp lệ."), details=errors)
    return WeeklySchedule.from_mapping(hours)
