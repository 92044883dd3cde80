"""``sen check_catalog``: after an upgrade, the current procedures whose e-form the catalog
now refuses (ADR 0023) are listed, and the exit status says whether there are any."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation

import sen.catalog
from sen.catalog.interchange import referenced_agency_codes
from sen.catalog.models import Procedure
from sen.catalog.services import catalog_import
from sen.catalog.tests.factories import AgencyFactory, make_procedure

pytestmark = pytest.mark.django_db

DEMO_CATALOG = Path(sen.catalog.__file__).parent / "data" / "demo_catalog.json"

# Stored before the profile: the page cannot draw a household's members, so it can never
# send a form that requires them.
HOUSEHOLD_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["thanh_vien"],
    "properties": {
        "thanh_vien": {"type": "array", "items": {"type": "object", "properties": {}}},
        "ngay": {"type": "string", "format": "date-time"},
    },
}


def stored_before_the_profile(procedure: Procedure, form: dict) -> None:
    """Give ``procedure`` an e-form the catalog now refuses, as an older Sen stored it."""
    Procedure.objects.filter(pk=procedure.pk).update(form_schema=form)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check_catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_when_every_e_form_fits_it_says_so_and_succeeds(refs):
    make_procedure()
    make_procedure(code="1.000894", name="Đăng ký kết hôn")

    out, err = run()

    assert out == "Biểu mẫu điện tử của cả 2 thủ tục hiện hành đều đạt.\n"
    assert err == ""


def test_an_e_form_outside_the_profile_is_listed_with_its_path_and_fails(refs):
    make_procedure()
    household = make_procedure(code="1.004222", name="Đăng ký thường trú")
    stored_before_the_profile(household, HOUSEHOLD_FORM)
    err = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("check_catalog", stdout=io.StringIO(), stderr=err)

    # In the order of their text, the same on every database (jsonb reorders keys)
    assert err.getvalue().splitlines() == [
        "1.004222 — Đăng ký thường trú: Biểu mẫu điện tử, tại properties.ngay.format: "
        "định dạng “date-time” chưa được hỗ trợ; dùng một trong: date, email",
        "1.004222 — Đăng ký thường trú: Biểu mẫu điện tử, tại properties.thanh_vien.items: "
        "mảng các đối tượng chưa được hỗ trợ",
    ]
    assert str(failed.value) == (
        "1/2 thủ tục hiện hành có biểu mẫu điện tử không đạt (2 lỗi): hãy sửa trong trang "
        "quản trị, nút «Sửa (tạo phiên bản mới)», hoặc nhập lại danh mục."
    )


def test_an_e_form_that_is_not_json_schema_is_listed_too(refs):
    stored_before_the_profile(make_procedure(), {"type": "object", "required": "ho_ten"})

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_catalog", stdout=io.StringIO(), stderr=err)

    [line] = err.getvalue().splitlines()
    assert line.startswith(
        "1.001193 — Đăng ký khai sinh: Biểu mẫu điện tử không phải JSON Schema hợp lệ "
        "(tại required): "
    )


def test_the_command_line_exits_with_status_1_when_any_does_not_fit(refs, capsys):
    stored_before_the_profile(make_procedure(), HOUSEHOLD_FORM)

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["sen", "check_catalog"]).execute()

    assert exited.value.code == 1
    assert "1.001193 — Đăng ký khai sinh" in capsys.readouterr().err


def test_a_superseded_version_outside_the_profile_is_not_listed(refs):
    first = make_procedure()
    make_procedure(name="Đăng ký khai sinh (sửa đổi)")
    stored_before_the_profile(first, HOUSEHOLD_FORM)
    assert Procedure.objects.get(pk=first.pk).is_current is False

    out, err = run()

    assert out == "Biểu mẫu điện tử của 1 thủ tục hiện hành đạt.\n"
    assert err == ""


def test_it_changes_nothing(refs):
    procedure = make_procedure()
    stored_before_the_profile(procedure, HOUSEHOLD_FORM)
    before = list(Procedure.objects.values())

    with pytest.raises(CommandError, match="không đạt"):
        call_command("check_catalog", stdout=io.StringIO(), stderr=io.StringIO())

    assert list(Procedure.objects.values()) == before


def test_it_reads_the_procedures_in_one_query(refs, django_assert_num_queries):
    for number in range(5):
        make_procedure(code=f"1.00000{number}")

    with django_assert_num_queries(1):
        run()


@pytest.mark.skipif(not DEMO_CATALOG.exists(), reason=f"{DEMO_CATALOG} is not written yet")
def test_the_demo_catalog_fits(db):
    demo = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    for code in sorted(referenced_agency_codes(demo)):
        AgencyFactory(code=code)
    assert catalog_import(data=demo, actor=None, source="demo").ok

    out, _err = run()

    count = len(demo["procedures"])
    assert out == f"Biểu mẫu điện tử của cả {count} thủ tục hiện hành đều đạt.\n"


def test_the_report_reads_in_english(refs):
    stored_before_the_profile(make_procedure(), HOUSEHOLD_FORM)
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command("check_catalog", stdout=io.StringIO(), stderr=err)

    assert (
        "1.001193 — Đăng ký khai sinh: E-form, at properties.thanh_vien.items: "
        "arrays of objects are not supported"
    ) in err.getvalue().splitlines()
    assert str(failed.value).startswith("1 of 1 current procedures has an e-form that does not fit")
