"""Citizen pages of the procedure catalog. Thin: parse the request, call catalog selectors."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sen.catalog.models import Field, OnlineLevel, ProcedureLevel
from sen.catalog.selectors import (
    ProcedureNotFound,
    field_list,
    procedure_get,
    procedure_search,
    procedure_search_page,
)
from sen.core.paging import fetch_page, page_range
from sen.core.text import fold
from sen.eforms.schema import form_fields
from sen.portal.forms import ProcedureFilterForm

PROCEDURES_PER_PAGE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show what the portal is, the search box, the fields and a few counts."""
    fields = _fields_in_vietnamese_order()
    context = {
        "fields": fields,
        "procedure_count": procedure_search().count(),
        "full_online_count": procedure_search(online_level=OnlineLevel.FULL).count(),
    }
    return render(request, "portal/home.html", context)


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    """List current procedures matching the GET filters, 20 to a page."""
    form = ProcedureFilterForm(request.GET, fields=_fields_in_vietnamese_order())
    context: dict[str, Any] = {"form": form, "page": None, "page_range": None, "results": []}
    if form.is_valid():
        found, page = fetch_page(
            lambda number: procedure_search_page(
                **form.filters(), page=number, page_size=PROCEDURES_PER_PAGE
            ),
            request.GET.get("page"),
            PROCEDURES_PER_PAGE,
        )
        context["page"] = page
        context["page_range"] = page_range(page, on_ends=1)
        context["results"] = [
            (procedure, [ProcedureLevel(level).label for level in found.levels[procedure.pk]])
            for procedure in found.procedures
        ]
    return render(request, "portal/procedure_list.html", context)


def procedure_missing_page(
    request: HttpRequest, code: str, error: ProcedureNotFound
) -> HttpResponse:
    """Answer a code without a current version: 410 with the act that abolished it, or 404."""
    context = {"code": code, "message": error.message, "abolished": error.status == 410}
    return render(request, "portal/procedure_not_found.html", context, status=error.status)


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show everything a citizen needs to know about a procedure before applying."""
    try:
        procedure = procedure_get(code=code)
    except ProcedureNotFound as error:
        return procedure_missing_page(request, code, error)
    fees = list(procedure.fees.all())
    context: dict[str, Any] = {
        "procedure": procedure,
        "fees": fees,
        "is_free": all(fee.amount == 0 for fee in fees),
        "form_fields": form_fields(procedure.form_schema),
    }
    return render(request, "portal/procedure_detail.html", context)


def _fields_in_vietnamese_order() -> list[Field]:
    # Byte order puts "Đất đai" after "Hộ tịch"; readers expect Đ right after D.
    return sorted(field_list(), key=lambda field: (fold(field.name), field.name))


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Let search engines index the public pages, not the administration or anyone's dossier."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        # Personal pages, and pages named by a dossier code that only its holder should know.
        "Disallow: /dang-nhap/",
        "Disallow: /ho-so-cua-toi/",
        "Disallow: /tra-cuu/",
        "Allow: /",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
