"""What the periodic pages and the periodic API share about HTTP: the period's download."""

from django.http import HttpResponse

from sen.periodic.exports import XLSX_TYPE, export_filename, period_csv, period_workbook
from sen.periodic.selectors import PeriodOverview


def export_response(overview: PeriodOverview, extension: str) -> HttpResponse:
    """Return the period's figures as a file to download: Excel for ``xlsx``, else CSV."""
    if extension == "xlsx":
        response = HttpResponse(period_workbook(overview), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(period_csv(overview), content_type="text/csv; charset=utf-8")
    filename = export_filename(overview, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
