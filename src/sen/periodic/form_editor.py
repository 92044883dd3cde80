"""The province's pages for defining report forms: a new form, a copy of one, and the
changes allowed once a form is in use.

A form's name, deadline rule, reporters and whether it is in use change at any time; its
indicators and period kind only until its first report (``report_form_update`` refuses
after, docs/adr "frozen report forms"). A frozen form shows them read-only, and "copy as a
new form" starts a new form from them. Thin: parse, call one service, render; the services
check who may and what is valid, and their problems are put next to the inputs they name.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sen.core.models import AdministrativeUnit, Agency, User
from sen.core.requests import request_user
from sen.core.selectors import unit_search
from sen.core.text import typed_code
from sen.errors import DomainError, InvalidInput, NotFound
from sen.periodic.models import ReportForm
from sen.periodic.periods import PeriodKind
from sen.periodic.selectors import (
    form_get,
    form_indicators,
    form_is_frozen,
    managed_province_ids,
    manages_form,
    reporter_choices,
)
from sen.periodic.services import (
    MAX_DUE_DAYS,
    MAX_INDICATORS,
    IndicatorSpec,
    report_form_create,
    report_form_update,
)
from sen.periodic.values import (
    Aggregation,
    IndicatorRule,
    ValueProblem,
    ValueType,
    format_input,
    format_value,
    parse_value,
)

# Blank indicator rows offered under the filled ones; save to get more.
BLANK_ROWS = 3
NOT_A_MANAGER = gettext_lazy("Chỉ quản trị cấp tỉnh mới ban hành và sửa biểu mẫu báo cáo.")


class IndicatorRow(forms.Form):
    """One indicator of the form; a row left blank is no indicator."""

    code = forms.CharField(label=gettext_lazy("Mã chỉ tiêu"), max_length=30, required=False)
    name = forms.CharField(label=gettext_lazy("Tên chỉ tiêu"), max_length=255, required=False)
    unit = forms.CharField(label=gettext_lazy("Đơn vị tính"), max_length=40, required=False)
    value_type = forms.ChoiceField(
        label=gettext_lazy("Kiểu giá trị"), choices=ValueType.choices, initial=ValueType.DECIMAL
    )
    aggregation = forms.ChoiceField(
        label=gettext_lazy("Cách tổng hợp"), choices=Aggregation.choices, initial=Aggregation.SUM
    )
    allow_negative = forms.BooleanField(label=gettext_lazy("Cho phép số âm"), required=False)
    max_value = forms.CharField(
        label=gettext_lazy("Giá trị tối đa"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Để trống nếu không giới hạn. Ví dụ 100 cho một tỷ lệ không thể vượt 100 %; tỷ lệ "
            "hoàn thành kế hoạch có thể vượt nên để trống."
        ),
    )

    def clean_max_value(self) -> Decimal | None:
        """Read the bound as a report's values are read ("1.000" or "99,5"); the service
        checks it against the indicator's type and sign."""
        rule = IndicatorRule(
            code="", name=_("Giá trị tối đa"), value_type=ValueType.DECIMAL, allow_negative=True
        )
        bound = parse_value(self.cleaned_data["max_value"], rule)
        if isinstance(bound, ValueProblem):
            raise forms.ValidationError(bound.message)
        return bound

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(str(data.get(name) or "").strip() for name in ("code", "name", "unit"))

    def spec(self) -> IndicatorSpec:
        data = self.cleaned_data
        return IndicatorSpec(
            code=typed_code(data["code"]),
            name=data["name"],
            unit=data["unit"],
            value_type=data["value_type"],
            aggregation=data["aggregation"],
            allow_negative=data["allow_negative"],
            max_value=data["max_value"],
        )


IndicatorRows = forms.formset_factory(IndicatorRow, extra=BLANK_ROWS, max_num=MAX_INDICATORS)


class DefinitionForm(forms.Form):
    """What defines a form besides its indicators."""

    code = forms.CharField(
        label=gettext_lazy("Mã biểu mẫu"),
        max_length=30,
        help_text=gettext_lazy("Chữ in hoa không dấu, số và . _ -, ví dụ KTXH-02."),
    )
    name = forms.CharField(label=gettext_lazy("Tên biểu mẫu"), max_length=255)
    province = forms.ChoiceField(label=gettext_lazy("Tỉnh ban hành"))
    period_kind = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=PeriodKind.choices)
    due_days = forms.IntegerField(
        label=gettext_lazy("Hạn nộp (số ngày làm việc sau ngày cuối kỳ)"),
        min_value=0,
        max_value=MAX_DUE_DAYS,
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Đang áp dụng (được mở kỳ mới)"), required=False, initial=True
    )
    reporters = forms.MultipleChoiceField(
        label=gettext_lazy("Đơn vị báo cáo"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        provinces: list[AdministrativeUnit],
        agencies: list[Agency],
        existing: ReportForm | None,
        frozen: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        province = cast(forms.ChoiceField, self.fields["province"])
        province.choices = [(unit.code, unit.name) for unit in provinces]
        reporters = cast(forms.MultipleChoiceField, self.fields["reporters"])
        reporters.choices = [(agency.code, agency.name) for agency in agencies]
        if existing is not None:  # the code and the province stay; a copy gets a new code
            del self.fields["code"], self.fields["province"]
        else:
            del self.fields["is_active"]
            if len(provinces) == 1:
                province.initial = provinces[0].code
                province.widget = forms.HiddenInput()
        if frozen:
            del self.fields["period_kind"]


def _provinces(user: User) -> list[AdministrativeUnit]:
    managed = managed_province_ids(user)
    provinces = unit_search(level="province")
    if managed is not None:
        provinces = provinces.filter(pk__in=managed)
    return sorted(provinces, key=lambda unit: unit.name)


def _initial(form: ReportForm, *, copy: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the initial values of the page for ``form``, or for a new copy of it."""
    initial: dict[str, Any] = {
        "name": _("%(name)s (bản mới)") % {"name": form.name} if copy else form.name,
        "period_kind": form.period_kind,
        "due_days": form.due_days,
        "is_active": form.is_active,
        "reporters": [agency.code for agency in form.reporters.all()],
        "province": form.province.code,
    }
    rows = [
        {**asdict(IndicatorSpec.of(indicator)), "max_value": format_input(indicator.max_value)}
        for indicator in form_indicators(form)
    ]
    return initial, rows


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "forbidden": status == 403}
    return render(request, "periodic/not_found.html", context, status=status)


def _province_of(provinces: list[AdministrativeUnit], code: str) -> AdministrativeUnit:
    return next(unit for unit in provinces if unit.code == code)


def _chosen_agencies(agencies: list[Agency], codes: Iterable[str]) -> list[Agency]:
    wanted = set(codes)
    return [agency for agency in agencies if agency.code in wanted]


def _place_problems(
    definition: DefinitionForm, rows: Any, kept: list[int], details: Iterable[Mapping[str, Any]]
) -> list[str]:
    """Put each problem the service named next to its input; return the others."""
    general = []
    for problem in details:
        where, message = str(problem.get("field", "")), str(problem.get("message", ""))
        found = re.fullmatch(r"indicators\[(\d+)\]\.(\w+)", where)
        if found and int(found.group(1)) < len(kept):
            row = rows.forms[kept[int(found.group(1))]]
            if found.group(2) in row.fields:
                row.add_error(found.group(2), message)
                continue
        if where in definition.fields:
            definition.add_error(where, message)
        else:
            general.append(message)
    return general


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_new(request: HttpRequest, source: str = "") -> HttpResponse:
    """Define a new form, empty or (``source``) copied from another form of the province."""
    user = request_user(request)
    provinces = _provinces(user)
    if not provinces:
        return _refused(request, str(NOT_A_MANAGER), 403)
    initial: dict[str, Any] = {"period_kind": PeriodKind.MONTH, "due_days": 5}
    initial_rows: list[dict[str, Any]] = []
    if source:
        try:
            original = form_get(user=user, code=source)
        except NotFound as error:
            return _refused(request, error.message, 404)
        if not manages_form(user, original):
            return _refused(request, str(NOT_A_MANAGER), 403)
        initial, initial_rows = _initial(original, copy=True)
    province_code = request.POST.get("province") or initial.get("province") or provinces[0].code
    province = next((unit for unit in provinces if unit.code == province_code), provinces[0])
    agencies = list(reporter_choices(user=user, province_id=province.pk))
    options: dict[str, Any] = {
        "provinces": provinces,
        "agencies": agencies,
        "existing": None,
        "frozen": False,
    }
    if request.method != "POST":
        definition = DefinitionForm(initial=initial, **options)
        rows = IndicatorRows(initial=initial_rows, prefix="indicators")
        return _render(request, definition, rows, source=source)
    definition = DefinitionForm(request.POST, **options)
    rows = IndicatorRows(request.POST, prefix="indicators")
    if not (definition.is_valid() and rows.is_valid()):
        return _render(request, definition, rows, source=source, status=400)
    kept = [index for index, row in enumerate(rows.forms) if not row.is_blank()]
    data = definition.cleaned_data
    try:
        created = report_form_create(
            province=_province_of(provinces, data["province"]),
            code=data["code"],
            name=data["name"],
            period_kind=data["period_kind"],
            due_days=data["due_days"],
            indicators=[rows.forms[index].spec() for index in kept],
            reporters=_chosen_agencies(agencies, data["reporters"]),
            actor=user,
        )
    except InvalidInput as error:
        general = _place_problems(definition, rows, kept, error.details or [])
        return _render(request, definition, rows, source=source, general=general, status=400)
    except DomainError as error:
        general = [error.message]
        return _render(
            request, definition, rows, source=source, general=general, status=error.status
        )
    messages.success(request, _("Đã ban hành biểu mẫu %(code)s.") % {"code": created.code})
    return redirect("periodic:form_edit", code=created.code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a form: always its name, deadline, reporters and use; its indicators and
    period kind only while it has no report."""
    user = request_user(request)
    try:
        existing = form_get(user=user, code=code)
    except NotFound as error:
        return _refused(request, error.message, 404)
    if not manages_form(user, existing):
        return _refused(request, str(NOT_A_MANAGER), 403)
    frozen = form_is_frozen(existing)
    agencies = list(reporter_choices(user=user, province_id=existing.province_id))
    options: dict[str, Any] = {
        "provinces": [existing.province],
        "agencies": agencies,
        "existing": existing,
        "frozen": frozen,
    }
    initial, initial_rows = _initial(existing, copy=False)
    if request.method != "POST":
        definition = DefinitionForm(initial=initial, **options)
        rows = IndicatorRows(initial=initial_rows, prefix="indicators")
        return _render(request, definition, rows, existing=existing, frozen=frozen)
    definition = DefinitionForm(request.POST, **options)
    rows = IndicatorRows(request.POST, prefix="indicators")
    rows_valid = frozen or rows.is_valid()
    if not (definition.is_valid() and rows_valid):
        return _render(request, definition, rows, existing=existing, frozen=frozen, status=400)
    data = definition.cleaned_data
    kept = [] if frozen else [i for i, row in enumerate(rows.forms) if not row.is_blank()]
    try:
        report_form_update(
            form=existing,
            actor=user,
            name=data["name"],
            due_days=data["due_days"],
            is_active=data["is_active"],
            reporters=_chosen_agencies(agencies, data["reporters"]),
            period_kind=None if frozen else data["period_kind"],
            indicators=None if frozen else [rows.forms[index].spec() for index in kept],
        )
    except InvalidInput as error:
        general = _place_problems(definition, rows, kept, error.details or [])
        return _render(
            request,
            definition,
            rows,
            existing=existing,
            frozen=frozen,
            general=general,
            status=400,
        )
    except DomainError as error:
        return _render(
            request,
            definition,
            rows,
            existing=existing,
            frozen=frozen,
            general=[error.message],
            status=error.status,
        )
    messages.success(request, _("Đã lưu biểu mẫu %(code)s.") % {"code": existing.code})
    return redirect("periodic:form_edit", code=existing.code)


def _render(
    request: HttpRequest,
    definition: DefinitionForm,
    rows: Any,
    *,
    existing: ReportForm | None = None,
    frozen: bool = False,
    source: str = "",
    general: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "definition": definition,
        "rows": rows,
        "existing": existing,
        "frozen": frozen,
        # A frozen form's indicators, each with its bound as the reports show values.
        "indicators": [
            (indicator, format_value(indicator.max_value))
            for indicator in (form_indicators(existing) if existing is not None and frozen else [])
        ],
        "source": source,
        "general": general or [],
    }
    return render(request, "periodic/form_edit.html", context, status=status)
