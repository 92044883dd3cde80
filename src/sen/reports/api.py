"""HTTP API of the indicators (``/api/v1/indicators``): the index as JSON, Excel and CSV.

Handlers parse the unit and period, check the reader (``sen.reports.access``), call one
selector and answer.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sen.core.periods import FIRST_YEAR, LAST_YEAR, PERIOD_PATTERN
from sen.reports.access import PROVINCE_KEYWORD, UNIT_PATTERN, unit_for_reader
from sen.reports.dashboard import dashboard_for_reader, dashboard_payload, dashboard_period
from sen.reports.errors import InvalidExportFormat
from sen.reports.exports import CSV_TYPE, TABLES, XLSX_TYPE, report_csv, report_xlsx
from sen.reports.indicators import to_float
from sen.reports.selectors import IndicatorReport, indicator_report
from sen.schemas import ErrorOut

router = Router()

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# The query is read as text and checked by the selectors, each refusal with its own code
# (`invalid_unit`, `invalid_period`, `invalid_export_format`); the patterns and lists below
# say in the API document what those checks accept.
EXPORT_FORMATS = ("xlsx", "csv")


class ReportQuery(Schema):
    unit: str = Field(
        PROVINCE_KEYWORD,
        description=(
            "Mã cơ quan (000.00.01.H37), mã xã (5 chữ số), mã tỉnh (2 chữ số) hoặc `province` "
            "(tỉnh mà hệ thống phục vụ); bỏ trống là `province`."
        ),
        json_schema_extra={"pattern": f"{UNIT_PATTERN}|^$"},
    )
    period: str = Field(
        description=(
            f"Kỳ: tháng `2026-11`, quý `2026-Q4` hoặc năm `2026`, từ năm {FIRST_YEAR} đến "
            f"{LAST_YEAR}; kỳ chưa bắt đầu trả lỗi `invalid_period`."
        ),
        json_schema_extra={"pattern": PERIOD_PATTERN},
    )


class ExportQuery(ReportQuery):
    format: str = Field(
        "xlsx",
        description="`xlsx` (Excel) hoặc `csv`.",
        json_schema_extra={"enum": list(EXPORT_FORMATS)},
    )
    table: str = Field(
        "index",
        description="Với CSV: `index` (chỉ số) hoặc `procedures`.",
        json_schema_extra={"enum": list(TABLES)},
    )


class ReportUnitOut(Schema):
    kind: str = Field(description="`agency`, `commune` hoặc `province`.")
    code: str
    name: str


class PeriodOut(Schema):
    key: str = Field(description="Kỳ như đã ghi, chuẩn hóa: `2026-11`, `2026-Q4`, `2026`.")
    kind: str = Field(description="`month`, `quarter` hoặc `year`.")
    first_month: date
    last_month: date


class ScoredIndicatorOut(Schema):
    code: str = Field(description="Mã chỉ tiêu, ổn định, ví dụ `tdgq_dung_han`.")
    name: str
    max_points: float
    supported: bool = Field(description="false: dữ liệu của hệ thống chưa cho phép tính.")
    score: float | None = Field(description="Điểm; null khi chưa hỗ trợ hoặc chưa có hồ sơ.")
    rate: float | None = Field(description="Tử số / mẫu số.")
    numerator: int | None
    denominator: int | None
    note: str


class GroupOut(Schema):
    code: str = Field(description="ckmb, tdgq, dvctt, tttt, mdhl, mdsh.")
    name: str
    max_points: float
    score: float | None
    max_score: float = Field(description="Điểm tối đa của các chỉ tiêu đã tính được.")
    indicators: list[ScoredIndicatorOut]


class ProcedureOut(Schema):
    code: str
    version: int
    name: str
    field_code: str
    field_name: str
    counters: dict[str, int]


class FieldCountersOut(Schema):
    code: str
    name: str
    counters: dict[str, int]


class IndicatorsOut(Schema):
    unit: ReportUnitOut
    period: PeriodOut
    judged_at: datetime = Field(
        description="Thời điểm xét hồ sơ chưa giải quyết: cuối kỳ, hoặc bây giờ nếu kỳ chưa hết."
    )
    index: float | None = Field(description="Tổng điểm các chỉ tiêu đã tính được.")
    max_score: float = Field(description="Trên tổng điểm tối đa của các chỉ tiêu đó.")
    groups: list[GroupOut]
    statistics: dict[str, Any] = Field(
        description=(
            "Thống kê: submitted, received, received_by_channel, refused, withdrawn, resolved, "
            "early, on_time, late, stopped, on_time_rate, unfinished_at_end, "
            "unfinished_late_at_end, returned, returned_electronic, rated, rated_satisfied, "
            "average_processing_hours."
        )
    )
    in_progress_now: int = Field(description="Hồ sơ đã tiếp nhận, chưa kết thúc, bây giờ.")
    overdue_now: int = Field(description="Trong đó đã quá hạn, bây giờ.")
    procedures: list[ProcedureOut]
    fields: list[FieldCountersOut]


def _report(request: HttpRequest, query: ReportQuery) -> IndicatorReport:
    now = timezone.now()
    period = dashboard_period(query.period, now)
    unit = unit_for_reader(text=query.unit, user=request.user)
    return indicator_report(unit=unit, period=period, now=now)


def _body(report: IndicatorReport) -> dict[str, Any]:
    stats = dict(report.statistics)
    for name in ("on_time_rate", "average_processing_hours"):
        stats[name] = to_float(stats[name])
    return {
        "unit": {"kind": report.unit.kind, "code": report.unit.code, "name": report.unit.name},
        "period": {
            "key": report.period.key,
            "kind": report.period.kind,
            "first_month": report.period.first,
            "last_month": report.period.last,
        },
        "judged_at": timezone.localtime(report.judged_at),
        "index": to_float(report.index),
        "max_score": float(report.max_score),
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "max_points": float(group.max_points),
                "score": to_float(group.score),
                "max_score": float(group.max_score),
                "indicators": [
                    {
                        "code": item.code,
                        "name": item.name,
                        "max_points": float(item.max_points),
                        "supported": item.supported,
                        "score": to_float(item.score),
                        "rate": to_float(item.rate),
                        "numerator": item.numerator,
                        "denominator": item.denominator,
                        "note": item.note,
                    }
                    for item in group.indicators
                ],
            }
            for group in report.groups
        ],
        "statistics": stats,
        "in_progress_now": report.in_progress_now,
        "overdue_now": report.overdue_now,
        "procedures": [
            {
                "code": line.code,
                "version": line.version,
                "name": line.name,
                "field_code": line.field_code,
                "field_name": line.field_name,
                "counters": line.counters,
            }
            for line in report.procedures
        ],
        "fields": report.fields(),
    }


@router.get(
    "",
    response={200: IndicatorsOut, **ERRORS},
    summary="Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766) và thống kê",
    url_name="indicators",
)
def indicators(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """Return the index, its groups and indicators with their counts, and plain statistics.

    Errors: `invalid_period`, `invalid_unit` (400), `unit_not_found` (404),
    `permission_denied` (403: officers read their agencies, commune leaders their commune,
    provincial administrators and leaders of the provincial committee the province).
    """
    return _body(_report(request, query))


@router.get(
    "/export",
    response=ERRORS,
    summary="Xuất báo cáo chỉ số ra Excel hoặc CSV",
    url_name="indicators_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "Báo cáo, Excel (.xlsx) hoặc CSV (UTF-8).",
                "content": {
                    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    """Export the report: Excel with the index and the statistics by procedure, or one CSV table.

    Errors as `GET /indicators`, and `invalid_export_format` for another format or table.
    """
    if query.format not in EXPORT_FORMATS or query.table not in TABLES:
        raise InvalidExportFormat(
            _("Định dạng xuất là xlsx hoặc csv; bảng là index hoặc procedures.")
        )
    report = _report(request, query)
    name = f"chi-so-{report.unit.code}-{report.period.key}"
    if query.format == "csv":
        response = HttpResponse(report_csv(report, query.table), content_type=CSV_TYPE)
        name = f"{name}-{query.table}.csv"
    else:
        response = HttpResponse(report_xlsx(report), content_type=XLSX_TYPE)
        name = f"{name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The operations dashboard (IOC) ----------------------------------------------------------


class DashboardPeriodOut(Schema):
    key: str
    label: str = Field(description="Như trang hiển thị: `Tháng 11/2026`, `Quý IV/2026`.")


class DashboardGroupOut(Schema):
    code: str
    name: str
    max_points: float
    score: float | None = Field(description="null: chưa có dữ liệu để tính nhóm này.")
    max_score: float = Field(description="Điểm tối đa của các chỉ tiêu đã tính được.")


class DashboardFiguresOut(Schema):
    received: int
    resolved: int
    on_time: int = Field(description="Giải quyết trước hạn và đúng hạn.")
    early: int
    late: int
    on_time_rate: float | None
    in_progress_now: int
    overdue_now: int
    received_desk: int
    received_online: int
    received_post: int


class TrendPointOut(Schema):
    month: str = Field(description="`2026-11`.")
    label: str = Field(description="`11/2026`.")
    index: float | None
    max_score: float
    received: int
    resolved: int
    on_time_rate: float | None


class RankingOut(Schema):
    code: str = Field(description="Mã cơ quan hoặc mã xã.")
    name: str
    index: float | None
    max_score: float
    received: int
    resolved: int
    on_time_rate: float | None
    overdue_now: int


class OverdueOut(Schema):
    agency_code: str
    agency_name: str
    in_progress: int
    overdue: int


class DashboardOut(Schema):
    unit: ReportUnitOut
    period: DashboardPeriodOut
    judged_at: datetime
    generated_at: datetime = Field(description="Thời điểm lấy số liệu.")
    index: float | None
    max_score: float
    groups: list[DashboardGroupOut]
    figures: DashboardFiguresOut
    trend: list[TrendPointOut] = Field(description="12 tháng gần nhất, cũ trước.")
    agencies: list[RankingOut] = Field(description="Xếp hạng cơ quan (đơn vị có nhiều cơ quan).")
    communes: list[RankingOut] = Field(description="Xếp hạng xã, phường (khi đơn vị là tỉnh).")
    overdue: list[OverdueOut] = Field(description="Hồ sơ quá hạn bây giờ theo cơ quan.")


@router.get(
    "/dashboard",
    response={200: DashboardOut, **ERRORS},
    summary="Số liệu màn hình điều hành (IOC): chỉ số, xu hướng, xếp hạng, hồ sơ quá hạn",
    url_name="indicators_dashboard",
)
def dashboard(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """Return what the IOC page shows: the index and its groups, the plain figures, the trend
    of the last 12 months, the ranking of agencies and communes, and overdue dossiers by
    agency. The page refreshes from here.

    Errors as `GET /indicators`.
    """
    board = dashboard_for_reader(user=request.user, unit=query.unit, period=query.period)
    return dashboard_payload(board)
