"""A small catalog of a province, built with the ORM, for the portal's pages; the demo province
for the browser tests."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command

from sen.catalog.models import (
    DurationUnit,
    FeeKind,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
)
from sen.catalog.tests.factories import AgencyFactory, FieldFactory, ProvinceFactory
from sen.core.demo import DEMO_PASSWORD, seed_demo_org
from sen.core.management.commands.demo import DEMO_CATALOG
from sen.core.models import Agency, AgencyKind, Role
from sen.core.services import units_load
from sen.portal.tests.factories import (
    DocumentComponentFactory,
    FeeFactory,
    ImplementationFactory,
    ProcedureFactory,
    ProcessStepFactory,
)
from sen.portal.tests.one_stop import empty_storage, one_stop  # noqa: F401 - fixtures

BIRTH_FORM_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["ho_ten", "ngay_sinh"],
    "properties": {
        "ho_ten": {
            "type": "string",
            "title": "Họ, chữ đệm và tên người được khai sinh",
            "propertyOrder": 1,
        },
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh", "propertyOrder": 2},
        "noi_sinh": {
            "type": "string",
            "title": "Nơi sinh",
            "description": "Tên cơ sở y tế hoặc địa chỉ nơi sinh.",
            "propertyOrder": 3,
        },
        "me": {
            "type": "object",
            "title": "Thông tin người mẹ",
            "propertyOrder": 4,
            "required": ["ho_ten_me"],
            "properties": {"ho_ten_me": {"type": "string", "title": "Họ và tên mẹ"}},
        },
    },
}


@dataclass
class Catalog:
    """The procedures and agencies the portal tests look at."""

    birth: Procedure
    birth_again: Procedure
    marriage: Procedure
    land: Procedure
    certify: Procedure
    civil_status: Field
    land_field: Field
    certification: Field
    justice_department: Agency
    environment_department: Agency


@pytest.fixture
def catalog(db) -> Catalog:
    """Five current procedures in three fields, at province and commune level."""
    province = ProvinceFactory()
    justice = AgencyFactory(
        code="000.10.00.H37",
        name="Sở Tư pháp tỉnh Ninh Bình",
        kind=AgencyKind.DEPARTMENT,
        unit=province,
    )
    environment = AgencyFactory(
        code="000.20.00.H37",
        name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
        kind=AgencyKind.DEPARTMENT,
        unit=province,
    )
    civil_status = FieldFactory(code="ho-tich", name="Hộ tịch")
    land_field = FieldFactory(code="dat-dai", name="Đất đai")
    certification = FieldFactory(code="chung-thuc", name="Chứng thực")

    # An earlier version of the birth registration, superseded: never shown.
    ProcedureFactory(
        code="1.001193",
        version=1,
        is_current=False,
        name="Đăng ký khai sinh (bản cũ)",
        field=civil_status,
        online_level=OnlineLevel.PARTIAL,
        processing_days=Decimal(5),
    )
    birth = ProcedureFactory(
        code="1.001193",
        version=2,
        name="Đăng ký khai sinh",
        field=civil_status,
        online_level=OnlineLevel.FULL,
        processing_days=Decimal(3),
        description="Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.",
        applicants="Công dân Việt Nam",
        conditions="Trẻ em sinh ra còn sống.",
        legal_basis=[
            "Luật Hộ tịch số 60/2014/QH13",
            {"title": "Nghị định quy định chi tiết Luật Hộ tịch", "number": "123/2015/NĐ-CP"},
        ],
        results=["Giấy khai sinh (bản chính)"],
        form_schema=BIRTH_FORM_SCHEMA,
    )
    ImplementationFactory(procedure=birth, level=ProcedureLevel.COMMUNE, agency=None)
    DocumentComponentFactory(
        procedure=birth, position=1, name="Tờ khai đăng ký khai sinh", originals=1, copies=0
    )
    DocumentComponentFactory(
        procedure=birth, position=2, name="Giấy chứng sinh", originals=1, copies=0
    )
    DocumentComponentFactory(
        procedure=birth,
        position=3,
        name="Văn bản ủy quyền",
        originals=0,
        copies=1,
        required=False,
        note="Khi nhờ người khác nộp hồ sơ.",
    )
    FeeFactory(
        procedure=birth, position=1, kind=FeeKind.FEE, amount=0, description="Đăng ký đúng hạn"
    )
    FeeFactory(
        procedure=birth,
        position=2,
        kind=FeeKind.FEE,
        amount=50_000,
        description="Trường hợp có yếu tố nước ngoài",
    )
    ProcessStepFactory(
        procedure=birth,
        position=1,
        name="Tiếp nhận hồ sơ",
        role=Role.ONE_STOP_OFFICER,
        duration=Decimal(4),
        unit=DurationUnit.HOURS,
    )
    ProcessStepFactory(
        procedure=birth,
        position=2,
        name="Thẩm định hồ sơ",
        role=Role.SPECIALIST,
        duration=Decimal("1.5"),
        unit=DurationUnit.DAYS,
    )
    ProcessStepFactory(
        procedure=birth,
        position=3,
        name="Ký giấy khai sinh",
        role=Role.LEADER,
        duration=Decimal(1),
        unit=DurationUnit.DAYS,
    )

    birth_again = ProcedureFactory(
        code="1.004884",
        name="Đăng ký lại khai sinh",
        field=civil_status,
        online_level=OnlineLevel.PARTIAL,
        processing_days=Decimal(5),
    )
    ImplementationFactory(procedure=birth_again, level=ProcedureLevel.COMMUNE)

    marriage = ProcedureFactory(
        code="1.000894",
        name="Đăng ký kết hôn",
        field=civil_status,
        online_level=OnlineLevel.PARTIAL,
        processing_days=Decimal(5),
    )
    ImplementationFactory(procedure=marriage, level=ProcedureLevel.COMMUNE)

    land = ProcedureFactory(
        code="1.012345",
        name="Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        field=land_field,
        online_level=OnlineLevel.PARTIAL,
        processing_days=Decimal(20),
    )
    ImplementationFactory(procedure=land, level=ProcedureLevel.PROVINCE, agency=environment)
    FeeFactory(procedure=land, position=1, kind=FeeKind.CHARGE, amount=1_500_000)
    ProcessStepFactory(
        procedure=land, position=1, name="Thẩm định", role=Role.SPECIALIST, agency=environment
    )

    certify = ProcedureFactory(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính giấy tờ",
        field=certification,
        online_level=OnlineLevel.FULL,
        processing_days=Decimal("0.5"),
    )
    ImplementationFactory(procedure=certify, level=ProcedureLevel.PROVINCE, agency=justice)
    ImplementationFactory(procedure=certify, level=ProcedureLevel.COMMUNE)

    return Catalog(
        birth=birth,
        birth_again=birth_again,
        marriage=marriage,
        land=land,
        certify=certify,
        civil_status=civil_status,
        land_field=land_field,
        certification=certification,
        justice_department=justice,
        environment_department=environment,
    )


@pytest.fixture
def add_land_procedures(catalog: Catalog):
    """Return a function that adds ``count`` province-level land procedures."""

    def add(count: int) -> list[Procedure]:
        return _land_procedures(catalog, count)

    return add


def _land_procedures(catalog: Catalog, count: int) -> list[Procedure]:
    procedures = []
    for number in range(count):
        procedure = ProcedureFactory(
            code=f"3.{number:06d}",
            name=f"Thủ tục đất đai số {number:02d}",
            field=catalog.land_field,
            online_level=OnlineLevel.FULL if number % 2 else OnlineLevel.PARTIAL,
            processing_days=Decimal(10),
        )
        ImplementationFactory(
            procedure=procedure,
            level=ProcedureLevel.PROVINCE,
            agency=catalog.environment_department,
        )
        DocumentComponentFactory(procedure=procedure, position=1)
        procedures.append(procedure)
    return procedures


@pytest.fixture
def demo_province(transactional_db):
    """Province 37 with the demo agencies and catalog, and the demo citizen's account."""
    units_load(province_codes=["37"])
    seed_demo_org()
    call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)
    return DEMO_PASSWORD
