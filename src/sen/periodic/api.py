"""HTTP API of periodic reporting (``/api/v1/periodic``).

Handlers parse, call one service or selector, and answer. Access checks live in
:mod:`sen.periodic.selectors` and the services: a user who may not see a form, period or
report gets 404, as for one that does not exist; a user who may see but not change it, 403.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from sen.core.models import User
from sen.core.requests import request_user
from sen.core.selectors import officer_agencies, unit_get
from sen.core.text import typed_code
from sen.periodic.errors import InvalidForm
from sen.periodic.exports import XLSX_TYPE
from sen.periodic.models import ReportForm, ReportingPeriod
from sen.periodic.periods import PeriodKind
from sen.periodic.selectors import (
    PeriodOverview,
    ReporterState,
    ReportProgress,
    assignments_of,
    form_get,
    form_indicators,
    forms_visible_to,
    managed_province_ids,
    manages_form,
    period_get,
    period_overview,
    periods_of_form,
    reads_form,
    report_agency_get,
    report_get,
    report_progress,
    reporter_agencies,
)
from sen.periodic.services import (
    IndicatorSpec,
    report_form_create,
    report_form_update,
    report_save,
    reporting_period_lock,
    reporting_period_open,
    reporting_period_unlock,
)
from sen.periodic.values import Aggregation, ValueType, plain_decimal
from sen.periodic.web import export_response
from sen.schemas import BodyIn, ErrorOut, JsonBool, JsonDecimal, JsonInt, PageParams

router = Router()

# --- Schemas -------------------------------------------------------------------------------

# The bodies' integers and booleans are strict: "10" or 1 where the document says an integer
# or a boolean is refused, not read (``sen.schemas``).


class IndicatorIn(BodyIn):
    code: str = Field(description="Mã chỉ tiêu, duy nhất trong biểu mẫu, ví dụ `NN01`.")
    name: str = Field(description="Tên chỉ tiêu, ví dụ `Diện tích lúa gieo cấy`.")
    unit: str = Field(description="Đơn vị tính: `ha`, `tấn`, `người`, `triệu đồng`, `%` …")
    value_type: ValueType = Field(
        ValueType.DECIMAL, description="`integer` (số nguyên) hoặc `decimal` (số thập phân)."
    )
    aggregation: Aggregation = Field(
        Aggregation.SUM, description="Tổng hợp giữa các đơn vị: `sum` (cộng) hoặc `average`."
    )
    allow_negative: JsonBool = Field(False, description="Cho phép giá trị âm (ví dụ tốc độ tăng).")
    max_value: JsonDecimal | None = Field(
        None,
        description=(
            'Giá trị tối đa được nhập: số, hoặc chữ số với dấu chấm thập phân như `"99.5"`; '
            "`null`: không giới hạn. "
            "Ví dụ 100 cho tỷ lệ hộ nghèo (%); tỷ lệ hoàn thành kế hoạch có thể vượt 100 nên "
            "để trống. Giá trị lớn hơn bị từ chối (400 `invalid_report_values`)."
        ),
    )


class IndicatorOut(IndicatorIn):
    position: int = Field(description="Số thứ tự trong biểu mẫu, từ 1.")


class ReportingAgency(Schema):
    code: str = Field(description="Mã định danh cơ quan, ví dụ `000.20.01.H37`.")
    name: str = Field(description="Tên cơ quan.")


class FormIn(BodyIn):
    code: str = Field(description="Mã biểu mẫu (chữ in hoa, số, . _ -), ví dụ `KTXH-01`.")
    name: str = Field(description="Tên biểu mẫu.")
    province: str = Field(description="Mã tỉnh ban hành (2 chữ số), ví dụ `37`.")
    period_kind: PeriodKind = Field(description="Kỳ báo cáo: `month`, `quarter`, `year`.")
    due_days: JsonInt = Field(description="Hạn nộp: số ngày làm việc sau ngày cuối kỳ (0–60).")
    indicators: list[IndicatorIn] = Field(description="Các chỉ tiêu, theo thứ tự.")
    reporters: list[str] = Field(description="Mã định danh các đơn vị phải báo cáo.")


class FormPatch(Schema):
    name: str | None = Field(None, description="Tên mới.")
    due_days: JsonInt | None = Field(None, description="Hạn nộp mới; áp dụng cho kỳ mở sau.")
    is_active: JsonBool | None = Field(None, description="`false`: ngừng áp dụng, không mở kỳ mới.")
    reporters: list[str] | None = Field(None, description="Danh sách đơn vị báo cáo mới.")
    period_kind: PeriodKind | None = Field(
        None, description="Kỳ báo cáo mới; chỉ khi biểu mẫu chưa có báo cáo nào."
    )
    indicators: list[IndicatorIn] | None = Field(
        None, description="Chỉ tiêu mới; chỉ khi biểu mẫu chưa có báo cáo nào."
    )


class PeriodSummary(Schema):
    key: str = Field(description="Kỳ: `2026-03`, `2026-Q1` hoặc `2026`.")
    label: str = Field(description="Tên kỳ, ví dụ `Quý I/2026`.")
    starts_on: str = Field(description="Ngày đầu kỳ (YYYY-MM-DD).")
    ends_on: str = Field(description="Ngày cuối kỳ.")
    due_at: datetime = Field(description="Hạn nộp, giờ Việt Nam.")
    locked: bool = Field(description="Đã khóa số liệu: không nộp hay sửa được nữa.")


class FormSummary(Schema):
    code: str = Field(description="Mã biểu mẫu.")
    name: str = Field(description="Tên biểu mẫu.")
    province: str = Field(description="Mã tỉnh ban hành.")
    period_kind: PeriodKind = Field(description="Kỳ báo cáo.")
    due_days: int = Field(description="Hạn nộp: số ngày làm việc sau ngày cuối kỳ.")
    is_active: bool = Field(description="Đang áp dụng.")
    manages: bool = Field(description="Người gọi quản lý biểu mẫu (quản trị cấp tỉnh).")


class FormOut(FormSummary):
    indicators: list[IndicatorOut] = Field(description="Các chỉ tiêu, theo thứ tự.")
    reporters: list[ReportingAgency] = Field(
        description=(
            "Đơn vị báo cáo (người quản lý và lãnh đạo tỉnh thấy tất cả; đơn vị báo cáo thấy mình)."
        )
    )
    periods: list[PeriodSummary] = Field(description="Các kỳ đã mở, mới trước.")


class PeriodIn(BodyIn):
    period: str = Field(description="Kỳ cần mở: `2026-03`, `2026-Q1` hoặc `2026`.")


class ReporterOut(Schema):
    agency: ReportingAgency
    state: ReporterState = Field(
        description="`on_time`, `late` (đã nộp), `missing` (chưa nộp, chưa đến hạn), "
        "`overdue` (quá hạn chưa nộp)."
    )
    state_label: str = Field(description="Tình trạng, tiếng Việt.")
    has_draft: bool = Field(description="Đơn vị đang soạn nhưng chưa nộp.")
    submitted_at: datetime | None = Field(description="Thời điểm nộp lần đầu.")
    corrected_at: datetime | None = Field(description="Thời điểm điều chỉnh gần nhất.")


class IndicatorTotal(Schema):
    code: str = Field(description="Mã chỉ tiêu.")
    name: str = Field(description="Tên chỉ tiêu.")
    unit: str = Field(description="Đơn vị tính.")
    aggregation: Aggregation = Field(description="Cách tổng hợp.")
    total: str | None = Field(description="Tổng hoặc bình quân (số dạng chuỗi); null khi chưa có.")
    reported: int = Field(description="Số đơn vị đã nộp giá trị.")
    values: dict[str, str | None] = Field(description="Giá trị theo mã đơn vị (đã nộp).")


class PeriodOverviewOut(PeriodSummary):
    form: str = Field(description="Mã biểu mẫu.")
    counts: dict[str, int] = Field(description="Số đơn vị theo tình trạng.")
    reporters: list[ReporterOut] = Field(description="Đơn vị phải báo cáo, theo mã.")
    indicators: list[IndicatorTotal] = Field(description="Tổng hợp từng chỉ tiêu.")


class ReportIn(BodyIn):
    values: dict[str, Any] = Field(
        description='Giá trị theo mã chỉ tiêu: số, hoặc chuỗi như `"1234.5"`, `"1.234,5"`; '
        "`null` để xóa (chỉ với bản nháp). Chỉ tiêu không gửi giữ giá trị cũ."
    )
    submit: JsonBool = Field(False, description="`true`: nộp báo cáo (cần đủ mọi chỉ tiêu).")
    revision: JsonInt | None = Field(
        None, description="Lần sửa đã đọc; nếu người khác đã lưu sau đó, trả 409 `report_changed`."
    )


class ReportOut(Schema):
    form: str = Field(description="Mã biểu mẫu.")
    period: str = Field(description="Kỳ.")
    agency: ReportingAgency
    status: ReportProgress = Field(description="Trạng thái.")
    state: ReporterState = Field(description="Tình trạng so với hạn nộp.")
    revision: int = Field(description="Lần sửa; gửi lại trong `revision` khi lưu.")
    submitted_at: datetime | None = Field(description="Thời điểm nộp lần đầu.")
    corrected_at: datetime | None = Field(description="Thời điểm điều chỉnh gần nhất.")
    due_at: datetime = Field(description="Hạn nộp.")
    editable: bool = Field(description="Người gọi được sửa (đơn vị mình, kỳ chưa khóa).")
    values: dict[str, str | None] = Field(description="Giá trị theo mã chỉ tiêu.")


class AssignmentOut(Schema):
    form: str = Field(description="Mã biểu mẫu.")
    form_name: str = Field(description="Tên biểu mẫu.")
    period: PeriodSummary
    agency: ReportingAgency
    state: ReporterState = Field(description="Tình trạng so với hạn nộp.")
    status: ReportProgress = Field(description="Trạng thái.")


class AssignmentPage(Schema):
    count: int = Field(description="Tổng số báo cáo các đơn vị của tôi phải nộp hoặc đã nộp.")
    page: int = Field(description="Trang hiện tại, từ 1.")
    page_size: int = Field(description="Số báo cáo mỗi trang.")
    results: list[AssignmentOut]


# --- Bodies --------------------------------------------------------------------------------


def _period_body(period: ReportingPeriod) -> dict[str, Any]:
    return {
        "key": period.key,
        "label": period.label,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "due_at": timezone.localtime(period.due_at),
        "locked": period.is_locked,
    }


def _form_summary(form: ReportForm, *, manages: bool) -> dict[str, Any]:
    return {
        "code": form.code,
        "name": form.name,
        "province": form.province.code,
        "period_kind": form.period_kind,
        "due_days": form.due_days,
        "is_active": form.is_active,
        "manages": manages,
    }


def _form_body(form: ReportForm, user: User) -> dict[str, Any]:
    body = _form_summary(form, manages=manages_form(user, form))
    reporters = form.reporters.order_by("code")
    if not reads_form(user, form):
        reporters = reporters.filter(pk__in=officer_agencies(user).values("pk"))
    return {
        **body,
        "indicators": [
            {
                "position": i.position,
                **asdict(IndicatorSpec.of(i)),
                "max_value": plain_decimal(i.max_value),
            }
            for i in form_indicators(form)
        ],
        "reporters": [{"code": a.code, "name": a.name} for a in reporters],
        "periods": [_period_body(p) for p in periods_of_form(form)],
    }


def _specs(indicators: list[IndicatorIn]) -> list[IndicatorSpec]:
    return [
        IndicatorSpec(
            code=typed_code(i.code),
            name=i.name,
            unit=i.unit,
            value_type=i.value_type,
            aggregation=i.aggregation,
            allow_negative=i.allow_negative,
            max_value=i.max_value,
        )
        for i in indicators
    ]


def _reporters(user: User, codes: list[str]) -> list[Any]:
    agencies, unknown = reporter_agencies(user=user, codes=codes)
    if unknown:
        details = [
            {
                "field": "reporters",
                "message": _("Không tìm thấy cơ quan mã %(code)s.") % {"code": c},
            }
            for c in unknown
        ]
        raise InvalidForm(_("Biểu mẫu chưa hợp lệ."), details=details)
    return agencies


def _overview_body(overview: PeriodOverview) -> dict[str, Any]:
    period = overview.period
    codes = [row.agency.code for row in overview.reporters]
    return {
        **_period_body(period),
        "form": period.form.code,
        "counts": {state: overview.counts.get(state, 0) for state in ReporterState},
        "reporters": [
            {
                "agency": {"code": row.agency.code, "name": row.agency.name},
                "state": row.state,
                "state_label": row.state_label,
                "has_draft": row.has_draft,
                "submitted_at": _local(row.report.submitted_at if row.report else None),
                "corrected_at": _local(row.report.corrected_at if row.report else None),
            }
            for row in overview.reporters
        ],
        "indicators": [
            {
                "code": line.indicator.code,
                "name": line.indicator.name,
                "unit": line.indicator.unit,
                "aggregation": line.indicator.aggregation,
                "total": plain_decimal(line.total),
                "reported": line.reported,
                "values": {
                    code: plain_decimal(value)
                    for code, value in zip(codes, line.values, strict=True)
                },
            }
            for line in overview.indicators
        ],
    }


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


# --- Forms ---------------------------------------------------------------------------------


@router.get(
    "/forms",
    response={200: list[FormSummary], 401: ErrorOut},
    summary="Các biểu mẫu báo cáo định kỳ",
    url_name="periodic_forms",
)
def forms(request: HttpRequest) -> list[dict[str, Any]]:
    """List the forms the signed-in officer manages (provincial administrator), reads (a
    leader of the provincial people's committee: the province's forms) or reports on."""
    user = request_user(request)
    provinces = managed_province_ids(user)
    return [
        _form_summary(form, manages=provinces is None or form.province_id in provinces)
        for form in forms_visible_to(user)
    ]


@router.post(
    "/forms",
    response={
        201: FormOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
    },
    summary="Ban hành biểu mẫu báo cáo định kỳ",
    url_name="periodic_form_create",
)
def form_create(request: HttpRequest, body: FormIn) -> Status:
    """Define a form: its indicators, period kind, deadline rule and reporters.

    Only a provincial administrator of the province may (403 `permission_denied`). Errors:
    400 `invalid_report_form` with one line per problem, 409 `report_form_code_taken`.
    """
    user = request_user(request)
    province = unit_get(level="province", code=body.province)
    form = report_form_create(
        province=province,
        code=body.code,
        name=body.name,
        period_kind=body.period_kind,
        due_days=body.due_days,
        indicators=_specs(body.indicators),
        reporters=_reporters(user, body.reporters),
        actor=user,
    )
    return Status(201, _form_body(form, user))


@router.get(
    "/forms/{code}",
    response={200: FormOut, 401: ErrorOut, 404: ErrorOut},
    summary="Xem một biểu mẫu",
    url_name="periodic_form",
)
def form_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """Show a form with its indicators, reporters and periods (404 to anyone else)."""
    user = request_user(request)
    return _form_body(form_get(user=user, code=code), user)


@router.patch(
    "/forms/{code}",
    response={
        200: FormOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
    },
    summary="Sửa biểu mẫu",
    url_name="periodic_form_update",
)
def form_update(request: HttpRequest, code: str, body: FormPatch) -> dict[str, Any]:
    """Change a form. Indicators and period kind only while it has no report: 409
    `report_form_frozen` after (create a new form instead)."""
    user = request_user(request)
    form = form_get(user=user, code=code)
    updated = report_form_update(
        form=form,
        actor=user,
        name=body.name,
        due_days=body.due_days,
        is_active=body.is_active,
        period_kind=body.period_kind,
        reporters=_reporters(user, body.reporters) if body.reporters is not None else None,
        indicators=_specs(body.indicators) if body.indicators is not None else None,
    )
    return _form_body(updated, user)


# --- Periods -------------------------------------------------------------------------------


@router.post(
    "/forms/{code}/periods",
    response={
        201: PeriodSummary,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
    },
    summary="Mở một kỳ báo cáo",
    url_name="periodic_period_open",
)
def period_open(request: HttpRequest, code: str, body: PeriodIn) -> Status:
    """Open a period for the form's reporters; its due moment is computed now, in working
    days after the period ends. Errors: 400 `invalid_period`, 409 `reporting_period_exists`,
    409 `report_form_inactive`."""
    user = request_user(request)
    period = reporting_period_open(form=form_get(user=user, code=code), key=body.period, actor=user)
    return Status(201, _period_body(period))


@router.get(
    "/forms/{code}/periods/{key}",
    response={200: PeriodOverviewOut, 401: ErrorOut, 404: ErrorOut},
    summary="Tình hình nộp và tổng hợp một kỳ",
    url_name="periodic_period",
)
def period_detail(request: HttpRequest, code: str, key: str) -> dict[str, Any]:
    """Show who has reported (on time, late) and who has not (missing, overdue), and the
    total of each indicator over the submitted reports. For the form's managers and the
    province's leaders (leaders of its people's committee) only."""
    user = request_user(request)
    period = period_get(user=user, code=code, key=key)
    return _overview_body(period_overview(user=user, period=period))


@router.post(
    "/forms/{code}/periods/{key}/lock",
    response={200: PeriodSummary, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Khóa số liệu của kỳ",
    url_name="periodic_period_lock",
)
def period_lock(request: HttpRequest, code: str, key: str) -> dict[str, Any]:
    """Lock the period: no report of it may be submitted or corrected any more."""
    user = request_user(request)
    period = reporting_period_lock(period=period_get(user=user, code=code, key=key), actor=user)
    return _period_body(period)


@router.post(
    "/forms/{code}/periods/{key}/unlock",
    response={200: PeriodSummary, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Mở khóa số liệu của kỳ",
    url_name="periodic_period_unlock",
)
def period_unlock(request: HttpRequest, code: str, key: str) -> dict[str, Any]:
    """Unlock the period so that reporters may submit and correct again."""
    user = request_user(request)
    period = reporting_period_unlock(period=period_get(user=user, code=code, key=key), actor=user)
    return _period_body(period)


def _export(request: HttpRequest, code: str, key: str) -> PeriodOverview:
    user = request_user(request)
    return period_overview(user=user, period=period_get(user=user, code=code, key=key))


def _binary(description: str, content_type: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/forms/{code}/periods/{key}/export.xlsx",
    response={401: ErrorOut, 404: ErrorOut},
    summary="Xuất tổng hợp kỳ ra Excel",
    url_name="periodic_export_xlsx",
    openapi_extra=_binary("Bảng tổng hợp: dòng theo chỉ tiêu, cột theo đơn vị và tổng.", XLSX_TYPE),
)
def export_xlsx(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Export the period's figures in the layout sent upward: title, period, one row per
    indicator, one column per unit and the total."""
    return export_response(_export(request, code, key), "xlsx")


@router.get(
    "/forms/{code}/periods/{key}/export.csv",
    response={401: ErrorOut, 404: ErrorOut},
    summary="Xuất tổng hợp kỳ ra CSV",
    url_name="periodic_export_csv",
    openapi_extra=_binary("Bảng tổng hợp dạng CSV (UTF-8 có BOM).", "text/csv"),
)
def export_csv(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Export the period's table as CSV, UTF-8 with a byte-order mark so Excel reads it."""
    return export_response(_export(request, code, key), "csv")


# --- Reports -------------------------------------------------------------------------------


def _report_body(user: User, period: ReportingPeriod, agency: str) -> dict[str, Any]:
    read = report_get(user=user, period=period, agency_code=agency)
    report = read.report
    return {
        "form": period.form.code,
        "period": period.key,
        "agency": {"code": read.agency.code, "name": read.agency.name},
        "status": report_progress(report),
        "state": read.state,
        "revision": report.revision if report else 0,
        "submitted_at": _local(report.submitted_at if report else None),
        "corrected_at": _local(report.corrected_at if report else None),
        "due_at": timezone.localtime(period.due_at),
        "editable": read.may_edit,
        "values": {code: plain_decimal(value) for code, value in read.values.items()},
    }


@router.get(
    "/forms/{code}/periods/{key}/reports/{agency}",
    response={200: ReportOut, 401: ErrorOut, 404: ErrorOut},
    summary="Xem báo cáo của một đơn vị",
    url_name="periodic_report",
)
def report_detail(request: HttpRequest, code: str, key: str, agency: str) -> dict[str, Any]:
    """Show an agency's report to its officers, to the form's managers and to the
    province's leaders (404 to others)."""
    user = request_user(request)
    return _report_body(user, period_get(user=user, code=code, key=key), agency)


@router.put(
    "/forms/{code}/periods/{key}/reports/{agency}",
    response={
        200: ReportOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
    },
    summary="Lưu, nộp hoặc điều chỉnh báo cáo",
    url_name="periodic_report_save",
)
def report_put(
    request: HttpRequest, code: str, key: str, agency: str, body: ReportIn
) -> dict[str, Any]:
    """Save the agency's report as a draft, submit it (`submit: true`), or correct it after
    submission until the period is locked. Only the agency's own officers may (403 for the
    province's managers and leaders, 404 for others). Errors: 400 `invalid_report_values`
    with one line per indicator (`values.<code>`), 409 `reporting_period_locked`, 409
    `report_changed`."""
    user = request_user(request)
    period = period_get(user=user, code=code, key=key)
    # The access check only: the report itself is read by the save, and again after it.
    reporter, _works_there = report_agency_get(user=user, period=period, agency_code=agency)
    report_save(
        period=period,
        agency=reporter,
        values=body.values,
        submit=body.submit,
        expected_revision=body.revision,
        actor=user,
    )
    return _report_body(user, period, agency)


@router.get(
    "/assignments",
    response={200: AssignmentPage, 400: ErrorOut, 401: ErrorOut},
    summary="Báo cáo đơn vị tôi phải nộp",
    url_name="periodic_assignments",
)
def assignments(request: HttpRequest, filters: Query[PageParams]) -> dict[str, Any]:
    """List the reports the signed-in officer's agencies owe or have made, a page at a time:
    open periods first, the latest due first. `count` says how many there are in all."""
    found = assignments_of(
        user=request_user(request), page=filters.page, page_size=filters.page_size
    )
    return {
        "count": found.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            {
                "form": a.period.form.code,
                "form_name": a.period.form.name,
                "period": _period_body(a.period),
                "agency": {"code": a.agency.code, "name": a.agency.name},
                "state": a.state,
                "status": report_progress(a.report),
            }
            for a in found.assignments
        ],
    }
