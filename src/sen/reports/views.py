"""Pages of the operations dashboard (IOC) at ``/ioc/``: the board and the overdue dossiers.

Thin: parse the request, call one selector of ``sen.reports.dashboard``, render. Who may
read which unit is ``sen.reports.access``'s rule; anyone without a unit to read gets 403,
anonymous visitors the login page. The board renders complete without JavaScript; the
scripts in ``static/reports/`` draw the charts and refresh the figures from
``GET /api/v1/indicators/dashboard``.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sen.core.errors import NotAllowed
from sen.core.models import Agency
from sen.core.paging import page_range
from sen.core.periods import month_of
from sen.errors import DomainError
from sen.reports.access import reader_scope
from sen.reports.dashboard import (
    PeriodChoice,
    dashboard_for_reader,
    dashboard_payload,
    default_unit,
    overdue_dossiers_for_reader,
    readable_units,
    recent_periods,
    status_label,
)
from sen.workdays.services import late_by_days

OVERDUE_PAGE_SIZE = 50


def _chart_labels() -> dict[str, str]:
    """Return the words the charts' script shows, in the reader's language."""
    return {
        "score": _("Điểm đạt"),
        "missed": _("Điểm chưa đạt"),
        "unsupported": _("Chưa có dữ liệu"),
        "no_data": _("chưa có dữ liệu"),
        "index": _("Chỉ số"),
        "max_score": _("Tối đa đã tính"),
        "online": _("Trực tuyến"),
        "desk": _("Trực tiếp"),
        "post": _("Bưu chính"),
        "overdue": _("Quá hạn"),
        "in_time": _("Còn hạn"),
        "no_open": _("Không có hồ sơ đang giải quyết."),
        "top_only": _("Biểu đồ: %(count)s đơn vị đầu; bảng số liệu có đủ."),
        "refresh_failed": _("Không cập nhật được số liệu; sẽ thử lại."),
    }


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/forbidden.html", {"message": message}, status=403)


@login_required
@require_safe
def ioc(request: HttpRequest) -> HttpResponse:
    """Show the board of a unit and period: the index, trend, rankings, overdue, statistics.

    Without ``unit``, the widest unit the reader may open; without ``period``, this month.
    """
    scope = reader_scope(request.user)
    choices = readable_units(scope)
    if not choices:
        return _forbidden(request, _("Chỉ lãnh đạo và cán bộ có vai trò tại cơ quan mới xem được."))
    now = timezone.now()
    month = month_of(now)
    unit = request.GET.get("unit", "").strip() or default_unit(choices)
    period = request.GET.get("period", "").strip() or f"{month.year}-{month.month:02d}"
    context: dict[str, Any] = {
        "units": choices,
        "periods": recent_periods(now),
        "selected_unit": unit,
        "selected_period": period,
        "refresh_seconds": settings.SEN_IOC_REFRESH_SECONDS,
        "api_url": reverse("api-v1:indicators_dashboard"),
    }
    try:
        board = dashboard_for_reader(
            user=request.user, unit=unit, period=period, now=now, scope=scope
        )
    except DomainError as error:
        context["error"] = error.message
        return render(request, "reports/ioc.html", context, status=error.status)
    # The period as the picker knows it, even one older than those it offers.
    context["selected_period"] = board.report.period.key
    if all(choice.key != board.report.period.key for choice in context["periods"]):
        context["periods"].append(PeriodChoice(board.report.period.key, board.period_label))
    context["board"] = board
    context["data"] = dashboard_payload(board)
    context["labels"] = _chart_labels()
    return render(request, "reports/ioc.html", context)


@login_required
@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    """List the dossiers of a unit overdue now, most overdue first, 50 to a page."""
    unit = request.GET.get("unit", "").strip()
    try:
        found = overdue_dossiers_for_reader(user=request.user, unit=unit)
    except NotAllowed as error:
        return _forbidden(request, error.message)
    except DomainError as error:
        return render(
            request, "reports/not_found.html", {"message": error.message}, status=error.status
        )
    page = Paginator(found.rows, OVERDUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            **row,
            "status_label": status_label(row["dossier__status"]),
            # Working days, as the legal time is counted (a day of Tết is no day late), on
            # the agency's calendar, which knows the agency by its id alone.
            "overdue_days": late_by_days(
                due=row["late_from"], finished=now, agency=Agency(pk=row["agency"])
            ),
            "linkable": row["agency__code"] in found.linkable_agencies,
        }
        for row in page.object_list
    ]
    context = {
        "unit": found.unit,
        "page": page,
        "rows": rows,
        "page_range": page_range(page),
        "now": now,
    }
    return render(request, "reports/overdue.html", context)
