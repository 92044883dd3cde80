"""What the periodic pages and the periodic API share about HTTP."""

from django.http import HttpRequest, HttpResponse

from sen.core.models import User
from sen.periodic.exports import XLSX_TYPE, export_filename, period_csv, period_workbook
from sen.periodic.selectors import PeriodOverview


def signed_in_user(request: HttpRequest) -> User:
    """Return the request's user, for a view that lets only signed-in users in."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required or django_auth checked it
    return user


def export_response(overview: PeriodOverview, extension: str) -> HttpResponse:
    """Return the period's figures as a file to download: Excel for ``xlsx``, else CSV."""
    if extension == "xlsx":
        response = HttpResponse(period_workbook(overview), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(period_csv(overview), content_type="text/csv; charset=utf-8")
    filename = export_filename(overview, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
