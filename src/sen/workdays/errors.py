"""Failures of the working-day calendar, each with a stable code (see ``sen.errors``)."""

from sen.errors import Conflict, InvalidInput, NotFound


class InvalidStart(InvalidInput):
    """The start of a deadline is not an ISO 8601 moment in the years 1900–2200."""

    code = "invalid_start"


class InvalidDays(InvalidInput):
    """A number of working days is not a number, negative, too large or too precise."""

    code = "invalid_days"


class InvalidYear(InvalidInput):
    """A calendar year is missing, not a number, or outside the years the calendar serves."""

    code = "invalid_year"


class AgencyNotFound(NotFound):
    code = "agency_not_found"


class InvalidCalendarEntry(InvalidInput):
    """A calendar entry is malformed (no name, unknown kind, date out of range)."""

    code = "invalid_calendar_entry"


class AlreadyWorkingDay(InvalidInput):
    """A working day was declared on a date offices already work."""

    code = "already_working_day"


class AlreadyDayOff(InvalidInput):
    """A day off was declared on a date offices are already closed (weekend or holiday)."""

    code = "already_day_off"


class CalendarEntryExists(Conflict):
    """The date already has a calendar entry; change that one instead."""

    code = "calendar_entry_exists"


class InvalidSchedule(InvalidInput):
    """Office hours that do not parse, overlap, or leave Monday without hours."""

    code = "invalid_schedule"
