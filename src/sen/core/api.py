"""HTTP API of administrative units, mounted at ``/api/v1/units``. Public, read-only."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sen.core.models import UnitLevel
from sen.core.selectors import unit_get, unit_predecessors, unit_search, unit_successors

router = Router()


class ErrorBody(Schema):
    code: str = Field(description="Stable machine code, e.g. `unit_not_found`.")
    message: str = Field(description="Message for people, Vietnamese first.")
    details: list[dict[str, Any]] | None = Field(None, description="Per-field problems.")


class ErrorOut(Schema):
    error: ErrorBody


class UnitOut(Schema):
    code: str = Field(
        description="GSO code, zero-padded: province 2 digits (`01`), district 3, commune 5 "
        "(`00070`). Codes repeat across levels and between current and legacy units."
    )
    name: str = Field(description="Official name, e.g. `Phường Phủ Lý`.")
    division_type: str = Field(
        description="`tỉnh`, `thành phố trung ương`, `xã`, `phường`, `đặc khu`; for legacy "
        "units also `huyện`, `quận`, `thị xã`, `thành phố`, `thị trấn`."
    )
    level: UnitLevel = Field(description="`province`, `commune`, or `district` (legacy only).")
    parent_code: str | None = Field(
        description="Code of the parent unit: the province of a current commune, the "
        "district of a legacy commune; null for provinces."
    )
    is_legacy: bool = Field(description="True for units abolished or merged on 1 July 2025.")


class UnitRef(Schema):
    code: str
    name: str
    level: UnitLevel


class UnitDetail(UnitOut):
    successors: list[UnitRef] = Field(
        description="For a legacy unit, the current units that took it over: its commune "
        "when known, otherwise its current province. Empty for current units."
    )
    predecessors: list[UnitRef] = Field(
        description="For a current unit, the legacy units of the same level it took over "
        "(former provinces of a province, former communes of a commune). Empty for legacy "
        "units."
    )


class UnitPage(Schema):
    count: int = Field(description="Number of matching units.")
    page: int
    page_size: int
    results: list[UnitOut]


class UnitFilters(Schema):
    level: UnitLevel | None = Field(None, description="Only units of this level.")
    parent: str | None = Field(
        None, description="Only children of the unit with this code, e.g. a province `37`."
    )
    q: str = Field(
        "",
        max_length=100,
        description="Words of the name, with or without diacritics (`phu ly`), or a code.",
    )
    legacy: bool = Field(False, description="Include units abolished on 1 July 2025.")
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Units per page, at most 100.")


@router.get(
    "",
    response={200: UnitPage, 400: ErrorOut},
    summary="Search administrative units",
    description="Provinces first, then communes, each by code; current units before legacy.",
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
    response={200: UnitDetail, 400: ErrorOut, 404: ErrorOut},
    summary="One administrative unit with its successors or predecessors",
    description="Error `unit_not_found` (404) when there is no such unit.",
)
def get_unit(
    request: HttpRequest,
    level: UnitLevel,
    code: str,
    legacy: bool = Query(False, description="The legacy unit with this code."),
) -> dict[str, Any]:
    unit = unit_get(level=level, code=code, legacy=legacy)
    # One query each, and only the one that can be non-empty (see the selectors).
    return {
        **UnitOut.from_orm(unit).model_dump(),
        "successors": unit_successors(unit),
        "predecessors": list(unit_predecessors(unit)),
    }
