"""Fixtures of the core app's tests."""

import pytest

from sen.core.models import AdministrativeUnit
from sen.core.services import units_load


@pytest.fixture
def ninh_binh(db: None) -> AdministrativeUnit:
    """Load current province 37 (Ninh Bình) with the former Ninh Bình, Nam Định and Hà Nam,
    and return the current province."""
    units_load(province_codes=["37"])
    return AdministrativeUnit.objects.get(level="province", code="37", is_legacy=False)
