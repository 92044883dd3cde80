"""Loading the administrative units with ``sen load_units``."""

import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sen.core.models import AdministrativeUnit, AuditEntry
from sen.core.selectors import unit_get, unit_successors


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_units", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def successor_codes(level: str, code: str) -> list[tuple[str, str]]:
    unit = unit_get(level=level, code=code, legacy=True)
    return [(s.level, s.code) for s in unit_successors(unit)]


@pytest.mark.django_db
def test_loading_one_province_brings_the_former_provinces_it_absorbed() -> None:
    output = load("--province", "37")

    assert "thêm 553" in output  # 1 + 129 current, 3 + 22 + 398 legacy
    units = AdministrativeUnit.objects
    assert units.filter(is_legacy=False, level="province").count() == 1
    assert units.filter(is_legacy=False, level="commune", parent__code="37").count() == 129
    assert sorted(
        units.filter(is_legacy=True, level="province").values_list("code", flat=True)
    ) == ["35", "36", "37"]
    assert units.filter(is_legacy=True, level="district").count() == 22
    ward = units.get(level="commune", code="13666", is_legacy=False)
    assert (ward.name, ward.division_type, ward.parent.code) == ("Phường Nam Định", "phường", "37")
    assert ward.folded_name == "phuong nam dinh"


@pytest.mark.django_db
def test_former_nam_dinh_and_ha_nam_are_succeeded_by_ninh_binh() -> None:
    load("--province", "37")

    assert successor_codes("province", "36") == [("province", "37")]
    assert successor_codes("province", "35") == [("province", "37")]
    # Phường Trần Hưng Đạo (13666) of the former city of Nam Định kept its code.
    assert successor_codes("commune", "13666") == [("commune", "13666")]
    # Former Phường Vị Xuyên (13669) merged away: only its province is known.
    assert successor_codes("commune", "13669") == [("province", "37")]
    assert successor_codes("district", "356") == [("province", "37")]  # Thành phố Nam Định


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    load("--province", "37")
    before = list(AdministrativeUnit.objects.values_list("id", "name", "parent_id"))
    entries = AuditEntry.objects.count()

    output = load("--province", "37")

    assert "thêm 0, cập nhật 0; liên kết kế thừa: thêm 0, bỏ 0" in output
    assert list(AdministrativeUnit.objects.values_list("id", "name", "parent_id")) == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_load_is_recorded_in_the_audit_log() -> None:
    load("--province", "37")

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_label, entry.action, entry.target_key) == (
        None,
        "system",
        "core.units.loaded",
        "37",
    )
    assert entry.data == {"created": 553, "updated": 0, "links_added": 423, "links_removed": 0}


@pytest.mark.django_db
def test_a_second_load_repairs_a_changed_name_and_a_wrong_successor() -> None:
    load("--province", "37")
    AdministrativeUnit.objects.filter(level="commune", code="13666", is_legacy=False).update(
        name="Sai"
    )
    former = unit_get(level="province", code="36", legacy=True)
    former.successors.set([unit_get(level="commune", code="13666")])

    output = load("--province", "37")

    assert "cập nhật 1; liên kết kế thừa: thêm 1, bỏ 1" in output
    assert unit_get(level="commune", code="13666").name == "Phường Nam Định"
    assert successor_codes("province", "36") == [("province", "37")]


@pytest.mark.django_db
def test_a_successor_map_completes_the_former_communes(tmp_path: Path) -> None:
    table = tmp_path / "ke-thua.csv"
    # Former Phường Vị Xuyên (13669) → current Phường Nam Định (13666).
    table.write_text("ma_xa_cu,ma_xa_moi\n13669,13666\n", encoding="utf-8")

    load("--province", "37", "--successor-map", str(table))

    assert successor_codes("commune", "13669") == [("commune", "13666")]
    predecessors = unit_get(level="commune", code="13666").predecessors.order_by("code")
    assert [u.code for u in predecessors] == ["13666", "13669"]


@pytest.mark.django_db
def test_a_successor_map_with_an_unknown_code_fails_and_loads_nothing(tmp_path: Path) -> None:
    table = tmp_path / "ke-thua.csv"
    table.write_text("13669,99999\n", encoding="utf-8")

    with pytest.raises(CommandError, match="99999"):
        load("--province", "37", "--successor-map", str(table))

    assert AdministrativeUnit.objects.count() == 0


@pytest.mark.django_db
def test_loading_an_unknown_province_fails_and_loads_nothing() -> None:
    with pytest.raises(CommandError, match="36"):
        load("--province", "36")

    assert AdministrativeUnit.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_successor_map_file_fails(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        load("--successor-map", str(tmp_path / "absent.csv"))


@pytest.mark.slow
@pytest.mark.django_db
def test_the_whole_country_loads_in_seconds_and_again_without_change() -> None:
    started = time.monotonic()
    load()
    first = time.monotonic() - started

    units = AdministrativeUnit.objects
    assert units.filter(level="province", is_legacy=False).count() == 34
    assert units.filter(level="commune", is_legacy=False).count() == 3321
    assert units.filter(level="province", is_legacy=True).count() == 63
    assert units.filter(level="district", is_legacy=True).count() == 696
    assert units.filter(level="commune", is_legacy=True).count() == 10051
    assert AdministrativeUnit.successors.through.objects.count() == 10810
    assert successor_codes("province", "36") == [("province", "37")]
    assert first < 15  # a few seconds; generous for a loaded test machine

    assert "thêm 0, cập nhật 0; liên kết kế thừa: thêm 0, bỏ 0" in load()


@pytest.mark.django_db
def test_a_quiet_load_prints_nothing() -> None:
    out = StringIO()
    call_command("load_units", "--province", "37", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert AdministrativeUnit.objects.filter(level="province", is_legacy=False).count() == 1
