"""Factories and builders for the catalog's tests.

Core has no factories of its own for these tests to use, so the agencies and units the
catalog refers to are made here. Procedures are made through ``procedure_save`` from a
valid interchange dict (``procedure_data``), as in production.
"""

import copy
from typing import Any

import factory

from sen.catalog.models import Field, Procedure
from sen.catalog.services import procedure_save
from sen.core.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel, User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("level", "code", "is_legacy")

    code = "37"
    name = "Tỉnh Ninh Bình"
    division_type = "tỉnh"
    level = UnitLevel.PROVINCE
    is_legacy = False


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n // 100 % 100:02d}.{n % 100:02d}.H37")
    name = factory.Sequence(lambda n: f"Sở số {n}")
    kind = AgencyKind.DEPARTMENT
    unit = factory.SubFactory(ProvinceFactory)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = "ho-tich"
    name = "Hộ tịch"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = "Nguyễn Văn An"


BIRTH_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["ho_ten"],
    "properties": {"ho_ten": {"type": "string", "title": "Họ và tên", "propertyOrder": 1}},
}


def procedure_data(**overrides: Any) -> dict[str, Any]:
    """Return a valid procedure in the interchange format (birth registration), changed."""
    data: dict[str, Any] = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "ho-tich",
        "online_level": "full",
        "processing_days": "1",
        "implementations": [{"level": "commune", "agency": None}],
        "description": "Nộp tờ khai tại Bộ phận Một cửa Ủy ban nhân dân cấp xã.",
        "applicants": "Cha, mẹ của trẻ",
        "conditions": "",
        "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
        "results": ["Giấy khai sinh"],
        "components": [
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "copies": 0,
                "required": True,
                "note": "",
            },
            {
                "name": "Văn bản ủy quyền",
                "originals": 1,
                "copies": 0,
                "required": False,
                "note": "Khi ủy quyền",
            },
        ],
        "fees": [{"kind": "fee", "amount": 8000, "description": "Lệ phí đăng ký khai sinh"}],
        "steps": [
            {
                "name": "Tiếp nhận",
                "role": "one_stop",
                "agency": None,
                "duration": "1",
                "unit": "hours",
            },
            {
                "name": "Thẩm định",
                "role": "specialist",
                "agency": None,
                "duration": "6",
                "unit": "hours",
            },
            {"name": "Ký", "role": "leader", "agency": None, "duration": "1", "unit": "hours"},
        ],
        "form_schema": BIRTH_FORM,
    }
    data.update(overrides)
    return copy.deepcopy(data)


def one_step(days: str) -> list[dict[str, Any]]:
    """Return a single step taking the whole legal time, for procedures of ``days`` days."""
    return [
        {
            "name": "Giải quyết",
            "role": "specialist",
            "agency": None,
            "duration": days,
            "unit": "days",
        }
    ]


def make_procedure(**overrides: Any) -> Procedure:
    """Save a procedure through the service; its field must exist."""
    return procedure_save(data=procedure_data(**overrides), actor=None)
