"""HTTP API of the catalog, mounted at ``/api/v1/procedures``. The catalog is public: no login."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from sen.catalog.interchange import decimal_text, procedure_to_dict
from sen.catalog.models import (
    DurationUnit,
    FeeKind,
    Implementation,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
)
from sen.catalog.selectors import procedure_get, procedure_search_page
from sen.catalog.services import catalog_export, catalog_export_xlsx
from sen.core.models import Agency
from sen.schemas import ErrorOut, PageParams, blank_accepted

router = Router()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FieldOut(Schema):
    code: str = Field(description="Mã lĩnh vực, ví dụ ho-tich.")
    name: str = Field(description="Tên lĩnh vực, ví dụ Hộ tịch.")


class AgencyOut(Schema):
    code: str = Field(description="Mã định danh điện tử của cơ quan, ví dụ 000.00.00.H37.")
    name: str = Field(description="Tên cơ quan.")


class ProcedureSummary(Schema):
    code: str = Field(description="Mã thủ tục trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193.")
    name: str = Field(description="Tên thủ tục.")
    field: FieldOut
    online_level: OnlineLevel = Field(
        description="Mức độ dịch vụ công trực tuyến: full (toàn trình), partial (một phần), none."
    )
    processing_days: str = Field(
        description='Thời hạn giải quyết, số ngày làm việc viết dạng chuỗi ("1", "1.5").'
    )
    levels: list[ProcedureLevel] = Field(description="Các cấp thực hiện: province, commune.")


class ProcedurePage(Schema):
    count: int = Field(description="Tổng số thủ tục khớp với điều kiện tìm kiếm.")
    page: int
    page_size: int
    results: list[ProcedureSummary]


class ProcedureFilters(PageParams):
    q: str = Field(
        "",
        max_length=200,
        description=(
            "Từ khóa: tên, mã hoặc lĩnh vực, có dấu hay không dấu; từ cuối có thể gõ dở "
            '("dang ky khai si").'
        ),
    )
    field: str = Field("", max_length=40, description="Mã lĩnh vực.")
    level: ProcedureLevel | None = Field(
        None,
        description="Cấp thực hiện: province, commune; bỏ trống: mọi cấp.",
        json_schema_extra=blank_accepted,
    )
    agency: str = Field("", max_length=13, description="Mã định danh cơ quan thực hiện.")
    online_level: OnlineLevel | None = Field(
        None,
        description="Mức độ trực tuyến: full, partial, none; bỏ trống: mọi mức.",
        json_schema_extra=blank_accepted,
    )

    @field_validator("level", "online_level", mode="before")
    @classmethod
    def _blank_is_no_filter(cls, value: Any) -> Any:
        # A form sends "level=" for "any level".
        return value or None


class ImplementationOut(Schema):
    level: ProcedureLevel
    agency: AgencyOut | None = Field(
        description="Cơ quan thực hiện; null ở cấp xã nghĩa là mọi Ủy ban nhân dân cấp xã."
    )


class ComponentOut(Schema):
    name: str
    originals: int = Field(description="Số bản chính.")
    copies: int = Field(description="Số bản sao.")
    required: bool = Field(description="Thành phần bắt buộc (nộp hoặc xuất trình).")
    upload_required: bool = Field(
        description=(
            "Hồ sơ phải có tệp của thành phần này: thành phần bắt buộc được nộp. Giấy tờ chỉ "
            "xuất trình (0 bản chính, 0 bản sao) không cần tệp; cán bộ kiểm tra trực tiếp."
        )
    )
    note: str
    template_url: str | None = Field(
        description="Đường dẫn tải mẫu đơn, tờ khai (nếu có).", examples=[None]
    )


class FeeOut(Schema):
    kind: FeeKind = Field(description="fee (lệ phí) hoặc charge (phí).")
    amount: int = Field(description="Mức thu, đồng.")
    description: str


class StepOut(Schema):
    name: str
    role: str = Field(description="Vai trò thực hiện: one_stop, specialist, leader, clerk.")
    agency: AgencyOut | None = Field(description="Cơ quan thực hiện bước; null: cơ quan tiếp nhận.")
    duration: str = Field(description='Thời gian, số viết dạng chuỗi ("4", "0.5").')
    unit: DurationUnit = Field(description="hours (giờ làm việc) hoặc days (ngày làm việc).")


class ProcedureDetail(ProcedureSummary):
    version: int = Field(description="Phiên bản hiện hành của thủ tục.")
    implementations: list[ImplementationOut]
    description: str = Field(description="Trình tự thực hiện.")
    applicants: str = Field(description="Đối tượng thực hiện.")
    conditions: str = Field(description="Điều kiện thực hiện.")
    legal_basis: list[str] = Field(description="Căn cứ pháp lý.")
    results: list[str] = Field(description="Kết quả thực hiện.")
    components: list[ComponentOut] = Field(description="Thành phần hồ sơ.")
    accepts_office_documents: bool = Field(
        description=(
            "Nhận tài liệu Word, Excel, OpenDocument (.doc, .docx, .xls, .xlsx, .odt, .ods) cho "
            "các thành phần hồ sơ, ngoài PDF, JPEG và PNG."
        )
    )
    fees: list[FeeOut] = Field(description="Phí, lệ phí.")
    steps: list[StepOut] = Field(description="Quy trình nội bộ.")
    form_schema: dict[str, Any] = Field(description="Biểu mẫu điện tử (JSON Schema 2020-12).")


class ExportFilters(Schema):
    code: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="Mã các thủ tục cần xuất (lặp lại, tối đa 500); trống: tất cả.",
    )


def _levels(implementations: Iterable[Implementation]) -> list[str]:
    present = {item.level for item in implementations}
    return [level for level in ProcedureLevel.values if level in present]


def _agency(agency: Agency | None) -> dict[str, str] | None:
    return None if agency is None else {"code": agency.code, "name": agency.name}


def _days(value: Decimal) -> str:
    return decimal_text(value)


def _summary(procedure: Procedure, levels: list[str]) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": {"code": procedure.field.code, "name": procedure.field.name},
        "online_level": procedure.online_level,
        "processing_days": _days(procedure.processing_days),
        "levels": levels,
    }


@router.get(
    "",
    auth=None,
    response={200: ProcedurePage, 400: ErrorOut},
    summary="Tìm thủ tục hành chính",
    description=(
        "Thủ tục hiện hành khớp với từ khóa và bộ lọc, khớp nhất trước (tên trùng khớp, tên "
        "bắt đầu bằng từ khóa, tên chứa cụm từ khóa). Giá trị lọc sai trả lỗi 400 "
        "`invalid_input`."
    ),
)
def procedure_list(request: HttpRequest, filters: Query[ProcedureFilters]) -> dict[str, Any]:
    found = procedure_search_page(
        query=filters.q,
        field=filters.field or None,
        level=filters.level,
        agency=filters.agency or None,
        online_level=filters.online_level,
        page=filters.page,
        page_size=filters.page_size,
    )
    return {
        "count": found.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            _summary(procedure, found.levels[procedure.pk]) for procedure in found.procedures
        ],
    }


@router.get(
    "/export.json",
    auth=None,
    response={200: dict[str, Any], 400: ErrorOut},
    summary="Xuất danh mục thủ tục (JSON)",
    description="Danh mục hiện hành theo định dạng trao đổi `sen.catalog/1`.",
)
def export_json(request: HttpRequest, filters: Query[ExportFilters]) -> dict[str, Any]:
    return catalog_export(codes=filters.code or None)


@router.get(
    "/export.xlsx",
    auth=None,
    response={400: ErrorOut},
    summary="Xuất danh mục thủ tục (Excel)",
    description="Danh mục hiện hành dạng bảng tính: thủ tục, thành phần hồ sơ, phí, quy trình.",
    openapi_extra={
        "responses": {
            200: {
                "description": "Bảng tính .xlsx",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_xlsx(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    response = HttpResponse(catalog_export_xlsx(codes=filters.code or None), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.xlsx"'
    return response


@router.get(
    "/{code}",
    auth=None,
    response={200: ProcedureDetail, 404: ErrorOut, 410: ErrorOut},
    summary="Xem một thủ tục hành chính",
    description=(
        "Phiên bản hiện hành, đầy đủ. Mã không có: 404 `procedure_not_found`; thủ tục đã bị "
        "bãi bỏ: 410 `procedure_abolished`, thông điệp nêu ngày và văn bản bãi bỏ."
    ),
)
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    procedure = procedure_get(code=code)
    implementations = list(procedure.implementations.all())
    steps = list(procedure.steps.all())
    components = list(procedure.components.all())
    # The interchange form, with each agency named rather than only coded, and the links
    # to the blank forms (which the interchange form does not carry).
    document = procedure_to_dict(procedure)
    return {
        **document,
        **_summary(procedure, _levels(implementations)),
        "version": procedure.version,
        "accepts_office_documents": procedure.accepts_office_documents,
        "implementations": [
            {"level": item.level, "agency": _agency(item.agency)} for item in implementations
        ],
        "steps": [
            {**step, "agency": _agency(item.agency)}
            for step, item in zip(document["steps"], steps, strict=True)
        ],
        "components": [
            {
                **component,
                "upload_required": item.upload_required,
                "template_url": item.template.url if item.template else None,
            }
            for component, item in zip(document["components"], components, strict=True)
        ],
    }
