"""Pages of periodic reporting at ``/bao-cao-dinh-ky/``: what my agency owes, a report to
fill, and, for the province, who has reported and the totals. Thin: parse the request, call
one selector or service, render. Access checks are the selectors' and services'.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sen.core.paging import fetch_page, page_range
from sen.core.requests import request_user
from sen.errors import DomainError, NotFound
from sen.periodic.errors import InvalidValues
from sen.periodic.models import ReportForm, ReportStatus
from sen.periodic.periods import period_before, period_containing
from sen.periodic.selectors import (
    ReporterState,
    assignments_of,
    form_get,
    forms_visible_to,
    managed_province_ids,
    manages_form,
    period_get,
    period_overview,
    read_province_ids,
    report_get,
    works_in_reporting,
)
from sen.periodic.services import (
    report_save,
    reporting_period_lock,
    reporting_period_open,
    reporting_period_unlock,
)
from sen.periodic.values import format_input, format_value
from sen.periodic.web import export_response

# The reports owed listed on a page of the index: a commune owing a monthly report has eight
# years of them on the first page.
ASSIGNMENTS_PER_PAGE = 100


def _not_found(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "periodic/not_found.html", {"message": error.message}, status=404)


def _outsider(request: HttpRequest) -> HttpResponse:
    """Answer a signed-in citizen (no role in any agency) with a 403 page that links home:
    not back to the reports, which are what they may not open."""
    message = _("Báo cáo định kỳ dành cho cán bộ của các cơ quan, đơn vị.")
    context = {"message": message, "forbidden": True, "outsider": True}
    return render(request, "periodic/not_found.html", context, status=403)


def _period_to_open(form: ReportForm, today: date) -> str:
    """Return the key the "open a period" field offers: the period just ended, or the
    current one when that is open already; blank when both are, as opening an open period
    fails. Reads the form's prefetched periods."""
    opened = {period.key for period in form.periods.all()}
    for period in (
        period_before(form.period_kind, today),
        period_containing(form.period_kind, today),
    ):
        if period.key not in opened:
            return period.key
    return ""


@login_required
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    """List the reports the officer's agencies owe, 100 to a page (``?page=``), and the
    province's forms with their periods, to those who read them in full: its
    administrators, who also edit them and open periods, and its leaders."""
    user = request_user(request)
    if not works_in_reporting(user):
        return _outsider(request)
    provinces = read_province_ids(user)
    read = [
        form
        for form in forms_visible_to(user).prefetch_related("periods")
        if provinces is None or form.province_id in provinces
    ]
    managed = managed_province_ids(user)
    today = timezone.localdate()
    owed, page = fetch_page(
        lambda number: assignments_of(user=user, page_size=ASSIGNMENTS_PER_PAGE, page=number),
        request.GET.get("page"),
        ASSIGNMENTS_PER_PAGE,
    )
    context: dict[str, Any] = {
        "assignments": owed.assignments,
        "assignments_count": owed.count,
        "page": page,
        "page_range": page_range(page),
        "manages": managed is None or bool(managed),
        "reads": provinces is None or bool(provinces),
        "province_forms": [
            (
                form,
                sorted(form.periods.all(), key=lambda p: p.starts_on, reverse=True)[:6],
                _period_to_open(form, today),
                manages_form(user, form),
            )
            for form in read
        ],
    }
    return render(request, "periodic/index.html", context)


@login_required
@require_POST
def period_open(request: HttpRequest, code: str) -> HttpResponse:
    """Open a period of a form (province administrators)."""
    user = request_user(request)
    try:
        form = form_get(user=user, code=code)
        period = reporting_period_open(form=form, key=request.POST.get("period", ""), actor=user)
    except NotFound as error:
        return _not_found(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("periodic:index")
    messages.success(request, _("Đã mở kỳ %(label)s.") % {"label": period.label})
    return redirect("periodic:period", code=form.code, key=period.key)


@login_required
@require_http_methods(["GET", "HEAD"])
def period_detail(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Show the province who has reported for a period, and the totals per indicator; its
    administrators also lock and unlock it there."""
    user = request_user(request)
    try:
        period = period_get(user=user, code=code, key=key)
        overview = period_overview(user=user, period=period)
    except NotFound as error:
        return _not_found(request, error)
    table = [
        (line, [format_value(value) for value in line.values], format_value(line.total))
        for line in overview.indicators
    ]
    counts = [(state.label, overview.counts.get(state, 0), state) for state in ReporterState]
    context = {
        "overview": overview,
        "period": period,
        "table": table,
        "counts": counts,
        "manages": manages_form(user, period.form),
    }
    return render(request, "periodic/period.html", context)


@login_required
@require_POST
def period_lock(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Lock or unlock a period's figures (``action`` = ``lock`` or ``unlock``)."""
    user = request_user(request)
    try:
        period = period_get(user=user, code=code, key=key)
        if request.POST.get("action") == "unlock":
            reporting_period_unlock(period=period, actor=user)
            messages.success(request, _("Đã mở khóa số liệu kỳ này."))
        else:
            reporting_period_lock(period=period, actor=user)
            messages.success(request, _("Đã khóa số liệu kỳ này."))
    except NotFound as error:
        return _not_found(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("periodic:period", code=code, key=key)


@login_required
@require_http_methods(["GET", "HEAD"])
def period_export(request: HttpRequest, code: str, key: str, extension: str) -> HttpResponse:
    """Download the period's table as Excel or CSV."""
    user = request_user(request)
    try:
        overview = period_overview(user=user, period=period_get(user=user, code=code, key=key))
    except NotFound as error:
        return _not_found(request, error)
    return export_response(overview, extension)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request: HttpRequest, code: str, key: str, agency: str) -> HttpResponse:
    """Show an agency's report; its officers save a draft, submit or correct it."""
    user = request_user(request)
    try:
        period = period_get(user=user, code=code, key=key)
        read = report_get(user=user, period=period, agency_code=agency)
    except NotFound as error:
        return _not_found(request, error)
    typed = {i.code: format_input(read.values[i.code]) for i in read.indicators}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        typed = {i.code: request.POST.get(f"value_{i.code}", "") for i in read.indicators}
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = None
        submit = request.POST.get("action") == "submit"
        try:
            report_save(
                period=period,
                agency=read.agency,
                values=typed,
                submit=submit,
                expected_revision=revision,
                actor=user,
            )
        except InvalidValues as error:
            errors = {d["field"].removeprefix("values."): d["message"] for d in error.details}
            messages.error(request, error.message)
            status = 400
        except DomainError as error:
            messages.error(request, error.message)
            status = error.status
        else:
            was_submitted = read.report is not None and read.report.status == ReportStatus.SUBMITTED
            if was_submitted:
                messages.success(request, _("Đã lưu điều chỉnh báo cáo."))
            elif submit:
                messages.success(request, _("Đã nộp báo cáo."))
            else:
                messages.success(request, _("Đã lưu bản nháp."))
            url = reverse("periodic:report", args=[period.form.code, period.key, read.agency.code])
            return redirect(url)
    rows = [
        {
            "indicator": indicator,
            "typed": typed[indicator.code],
            "shown": format_value(read.values[indicator.code]),
            "error": errors.get(indicator.code, ""),
        }
        for indicator in read.indicators
    ]
    context = {"read": read, "period": period, "rows": rows, "report": read.report}
    return render(request, "periodic/report.html", context, status=status)
