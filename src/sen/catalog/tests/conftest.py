"""Fixtures of the catalog's tests: the agencies and fields a small province's catalog uses."""

from dataclasses import dataclass

import pytest

from sen.catalog.models import Field
from sen.catalog.tests.factories import AgencyFactory, FieldFactory, UserFactory
from sen.core.models import Agency, AgencyKind, User

JUSTICE = "000.00.12.H37"
SERVICE_CENTRE = "000.00.01.H37"
ENVIRONMENT = "000.00.15.H37"


@dataclass
class Refs:
    civil_status: Field
    land: Field
    justice: Agency
    service_centre: Agency
    environment: Agency
    officer: User


@pytest.fixture
def refs(db) -> Refs:
    """Two fields and three provincial agencies, as in Ninh Bình; and an officer."""
    return Refs(
        civil_status=FieldFactory(code="ho-tich", name="Hộ tịch"),
        land=FieldFactory(code="dat-dai", name="Đất đai"),
        justice=AgencyFactory(code=JUSTICE, name="Sở Tư pháp"),
        service_centre=AgencyFactory(
            code=SERVICE_CENTRE,
            name="Trung tâm Phục vụ hành chính công tỉnh",
            kind=AgencyKind.PUBLIC_SERVICE_CENTRE,
        ),
        environment=AgencyFactory(code=ENVIRONMENT, name="Sở Nông nghiệp và Môi trường"),
        officer=UserFactory(username="quantri"),
    )
