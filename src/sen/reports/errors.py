"""Domain errors of the reports app, each with a stable code (see ``sen.errors``)."""

from sen.errors import InvalidInput, NotFound


class InvalidPeriod(InvalidInput):
    code = "invalid_period"


class InvalidUnit(InvalidInput):
    code = "invalid_unit"


class ReportUnitNotFound(NotFound):
    code = "unit_not_found"


class InvalidExportFormat(InvalidInput):
    code = "invalid_export_format"
