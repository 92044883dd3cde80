"""The dossier register page (Sổ theo dõi hồ sơ, mẫu 07): the one-stop desk or a leader
picks an agency and a period and downloads the register as PDF.

The PDF itself comes from the API (``GET /api/v1/dossiers/register``), which checks the
role again and records the read of personal data; this page offers the agencies where the
officer keeps or answers for the register, checks the period the same way, and links to it.
"""

from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from sen.core.forms import DataChoicesSelect
from sen.core.models import Agency
from sen.core.selectors import officer_agencies
from sen.dossiers.register import REGISTER_ROLES, period_problem
from sen.workspace.views import forbidden

NOT_A_KEEPER = gettext_lazy(
    "Chỉ cán bộ một cửa và lãnh đạo của cơ quan mới được xem sổ theo dõi hồ sơ."
)


def register_agencies(user: Any) -> list[Agency]:
    """Return the agencies whose register ``user`` may read, by name (one query)."""
    return list(officer_agencies(user, *REGISTER_ROLES).order_by("name"))


def presets(today: date) -> list[tuple[str, date, date]]:
    """Return the usual periods of a register: this month, last month, this quarter, this year."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        (_("Tháng này"), month_start, today),
        (_("Tháng trước"), last_month_end.replace(day=1), last_month_end),
        (_("Quý này"), quarter_start, today),
        (_("Năm nay"), date(today.year, 1, 1), today),
    ]


class RegisterForm(forms.Form):
    """The agency and the period (days of reception, both included)."""

    agency = forms.ChoiceField(label=gettext_lazy("Cơ quan"), widget=DataChoicesSelect)
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["agency"])
        field.choices = [(agency.code, agency.name) for agency in agencies]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and (problem := period_problem(start, end)) is not None:
            self.add_error(problem.side, problem.message)
        return cleaned

    def pdf_url(self) -> str:
        """Return the API address of the register's PDF for the chosen agency and period."""
        data = self.cleaned_data
        query = {"agency": data["agency"], "from": data["start"], "to": data["end"]}
        return f"{reverse('api-v1:dossier_register')}?{urlencode(query)}"


@login_required
@require_safe
def register_page(request: HttpRequest) -> HttpResponse:
    """Let a one-stop officer or leader choose an agency and a period, and link to the PDF."""
    agencies = register_agencies(request.user)
    if not agencies:
        return forbidden(request, str(NOT_A_KEEPER))
    today = timezone.localdate()
    chosen = "start" in request.GET or "end" in request.GET
    if chosen:
        form = RegisterForm(request.GET, agencies=agencies)
    else:
        initial = {"agency": agencies[0].code, "start": today.replace(day=1), "end": today}
        form = RegisterForm(initial=initial, agencies=agencies)
    valid = chosen and form.is_valid()
    agency = request.GET.get("agency") or agencies[0].code
    context = {
        "form": form,
        "pdf_url": form.pdf_url() if valid else "",
        "chosen_agency": next((a for a in agencies if a.code == agency), agencies[0]),
        "presets": [
            (label, urlencode({"agency": agency, "start": start, "end": end}))
            for label, start, end in presets(today)
        ],
    }
    return render(
        request, "workspace/register.html", context, status=400 if chosen and not valid else 200
    )
