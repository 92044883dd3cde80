"""HTTP API of administrative units, mounted at ``/api/v1/units``. Public, read-only."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sen.core.models import UnitLevel
from sen.core.selectors import unit_get, unit_predecessors, unit_search, unit_successors
from sen.schemas import ErrorOut, PageParams

router = Router()


class UnitOut(Schema):
    code: str = Field(
        description="Mã của Tổng cục Thống kê, đủ chữ số 0 ở đầu: tỉnh 2 chữ số (`01`), huyện "
        "3, xã 5 (`00070`). Mã có thể trùng giữa các cấp và giữa đơn vị hiện hành với đơn vị cũ."
    )
    name: str = Field(description="Tên chính thức, ví dụ `Phường Phủ Lý`.")
    division_type: str = Field(
        description="`tỉnh`, `thành phố trung ương`, `xã`, `phường`, `đặc khu`; đơn vị cũ còn "
        "có `huyện`, `quận`, `thị xã`, `thành phố`, `thị trấn`."
    )
    level: UnitLevel = Field(
        description="Cấp: `province` (tỉnh), `commune` (xã), `district` (huyện, chỉ đơn vị cũ)."
    )
    parent_code: str | None = Field(
        description="Mã đơn vị cấp trên: tỉnh của một xã hiện hành, huyện của một xã cũ; "
        "null với cấp tỉnh."
    )
    is_legacy: bool = Field(
        description="true với đơn vị đã giải thể hoặc sáp nhập từ ngày 01/7/2025."
    )


class UnitRef(Schema):
    code: str = Field(description="Mã đơn vị.")
    name: str = Field(description="Tên đơn vị.")
    level: UnitLevel = Field(description="Cấp của đơn vị.")


class UnitDetail(UnitOut):
    successors: list[UnitRef] = Field(
        description="Với đơn vị cũ: các đơn vị hiện hành tiếp nhận địa bàn, là xã kế thừa nếu "
        "biết, nếu không là tỉnh hiện hành. Rỗng với đơn vị hiện hành."
    )
    predecessors: list[UnitRef] = Field(
        description="Với đơn vị hiện hành: các đơn vị cũ cùng cấp đã nhập vào (các tỉnh cũ "
        "của một tỉnh, các xã cũ của một xã). Rỗng với đơn vị cũ."
    )


class UnitPage(Schema):
    count: int = Field(description="Tổng số đơn vị khớp điều kiện.")
    page: int = Field(description="Trang hiện tại, từ 1.")
    page_size: int = Field(description="Số đơn vị mỗi trang.")
    results: list[UnitOut]


class UnitFilters(PageParams):
    level: UnitLevel | None = Field(None, description="Chỉ lấy đơn vị cấp này.")
    parent: str | None = Field(
        None, description="Chỉ lấy đơn vị trực thuộc đơn vị có mã này, ví dụ tỉnh `37`."
    )
    q: str = Field(
        "",
        max_length=100,
        description="Các từ trong tên, có dấu hoặc không dấu (`phu ly`), hoặc mã đơn vị.",
    )
    legacy: bool = Field(False, description="Gồm cả đơn vị cũ (trước ngày 01/7/2025).")


@router.get(
    "",
    auth=None,
    response={200: UnitPage, 400: ErrorOut},
    summary="Tìm đơn vị hành chính",
    description="Tên chứa cả cụm từ tìm kiếm xếp trước; sau đó đơn vị hiện hành trước đơn vị "
    "cũ, cấp tỉnh trước cấp huyện, cấp xã, theo mã. Lỗi `invalid_input` (400) khi tham số "
    "không hợp lệ.",
)
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, Any]:
    units = unit_search(
        query=filters.q,
        level=filters.level,
        parent=filters.parent,
        include_legacy=filters.legacy,
    )
    count = units.count()
    start = (filters.page - 1) * filters.page_size
    results = list(units[start : start + filters.page_size]) if start < count else []
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": results,
    }


@router.get(
    "/{level}/{code}",
    auth=None,
    response={200: UnitDetail, 400: ErrorOut, 404: ErrorOut},
    summary="Một đơn vị hành chính, với đơn vị kế thừa hoặc tiền thân",
    description="Lỗi `unit_not_found` (404) khi không có đơn vị; `invalid_input` (400) khi "
    "cấp không hợp lệ.",
)
def get_unit(
    request: HttpRequest,
    level: UnitLevel,
    code: str,
    legacy: bool = Query(False, description="Lấy đơn vị cũ mang mã này."),
) -> dict[str, Any]:
    unit = unit_get(level=level, code=code, legacy=legacy)
    # One query each, and only the one that can be non-empty (see the selectors).
    return {
        **UnitOut.from_orm(unit).model_dump(),
        "successors": unit_successors(unit),
        "predecessors": list(unit_predecessors(unit)),
    }
