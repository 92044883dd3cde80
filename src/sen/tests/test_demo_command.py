"""`sen demo`: the README's first command prepares everything a newcomer needs."""

import io

import pytest
from django.core.management import call_command

from sen.catalog.selectors import procedure_search
from sen.core.models import AdministrativeUnit, Agency, Membership
from sen.dossiers.demo import demo_dossiers

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_prepares_units_agencies_officers_and_the_catalog_twice_alike(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)
    counts = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Membership.objects.count(),
        procedure_search().count(),
    )
    call_command("demo", "--no-serve", stdout=io.StringIO())

    assert counts[0] > 14_000  # current and former units of the whole country
    assert counts[1:] == (15, 16, 32)
    assert (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Membership.objects.count(),
        procedure_search().count(),
    ) == counts
    assert procedure_search(query="dang ky khai sinh")[0].name == "Đăng ký khai sinh"
    assert "Dữ liệu mẫu đã sẵn sàng." in out.getvalue()
    assert "motcua.tuphap" in out.getvalue()
    assert demo_dossiers().count() == 29
    assert (
        "29 hồ sơ mẫu ở mọi trạng thái, ở nhiều cơ quan; đăng nhập congdan để xem hồ sơ của "
        "công dân." in out.getvalue()
    )
    # Every demo login is in the table, the citizen's and the officers the dossiers need.
    for username in ("congdan", "motcua.phuly", "chuyenvien.moitruong", "chuyenvien.thue"):
        assert f"\n{username} " in out.getvalue()
    assert (tmp_path / "static" / "portal" / "sen.css").exists()
