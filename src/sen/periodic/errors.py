"""Domain errors of periodic reporting, each with a stable code (see ``sen.errors``)."""

from sen.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class FormNotFound(NotFound):
    """No such form, or the user may not see it (the same answer, so as not to leak it)."""

    code = "report_form_not_found"


class PeriodNotFound(NotFound):
    code = "reporting_period_not_found"


class ReportNotFound(NotFound):
    code = "report_not_found"


class InvalidForm(InvalidInput):
    """The form's definition fails one or more checks; ``details`` lists every one."""

    code = "invalid_report_form"


class FormCodeTaken(Conflict):
    code = "report_form_code_taken"


class FormFrozen(Conflict):
    """The form has reports: its indicators and period kind can no longer change."""

    code = "report_form_frozen"


class FormInactive(Conflict):
    code = "report_form_inactive"


class InvalidPeriod(InvalidInput):
    code = "invalid_period"


class PeriodExists(Conflict):
    code = "reporting_period_exists"


class PeriodLocked(Conflict):
    code = "reporting_period_locked"


class PeriodNotLocked(Conflict):
    code = "reporting_period_not_locked"


class NotAReporter(PermissionDenied):
    """The agency is not among the period's reporters."""

    code = "not_a_reporter"


class InvalidValues(InvalidInput):
    """One or more indicator values are wrong; ``details`` has one line per indicator."""

    code = "invalid_report_values"


class ReportChanged(Conflict):
    """Someone saved the report since the caller read it (the revision differs)."""

    code = "report_changed"


class NotAllowed(PermissionDenied):
    """The actor may not do this (``permission_denied``)."""
