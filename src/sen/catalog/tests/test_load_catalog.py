"""``sen load_catalog``: the demo catalog and any catalog file load from the command line."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

import sen.catalog
from sen.catalog.interchange import referenced_agency_codes
from sen.catalog.models import Field, Procedure
from sen.catalog.services import catalog_export, catalog_export_xlsx
from sen.catalog.tests.factories import AgencyFactory, procedure_data

pytestmark = pytest.mark.django_db

DEMO_CATALOG = Path(sen.catalog.__file__).parent / "data" / "demo_catalog.json"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.skipif(not DEMO_CATALOG.exists(), reason=f"{DEMO_CATALOG} is not written yet")
def test_the_demo_catalog_loads_without_error_once_its_agencies_exist(db):
    demo = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    # The demo's agencies come from core's demo data; here any agency with the code will do.
    for code in sorted(referenced_agency_codes(demo)):
        AgencyFactory(code=code)

    out, _err = run(str(DEMO_CATALOG))

    count = len(demo["procedures"])
    assert out.startswith(f"Đã nhập {count} thủ tục: {count} mới, 0 phiên bản mới, 0 không đổi")
    assert Procedure.objects.filter(is_current=True).count() == count
    assert Field.objects.count() == len(demo["fields"])
    # The demo file is already in canonical form: exporting gives it back.
    by_code = sorted(demo["procedures"], key=lambda procedure: procedure["code"])
    assert catalog_export()["procedures"] == by_code


def test_a_json_catalog_loads_and_the_report_is_printed(refs, tmp_path):
    path = tmp_path / "danh-muc.json"
    catalog = {"format": "sen.catalog/1", "fields": [], "procedures": [procedure_data()]}
    path.write_text(json.dumps(catalog), encoding="utf-8")

    out, _err = run(str(path), "--verbosity", "2")

    assert out.splitlines() == [
        "Đã nhập 1 thủ tục: 1 mới, 0 phiên bản mới, 0 không đổi; lĩnh vực: 0 mới, 0 đổi tên.",
        "1.001193: mới (phiên bản 1)",
    ]


def test_a_workbook_loads(refs, tmp_path):
    call_command("load_catalog", str(_write_json(tmp_path)), stdout=io.StringIO())
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(catalog_export_xlsx())
    Procedure.objects.all().delete()

    out, _err = run(str(path))

    assert out.startswith("Đã nhập 1 thủ tục: 1 mới")


def test_a_bad_catalog_fails_with_the_problems_on_stderr_and_loads_nothing(refs, tmp_path):
    path = tmp_path / "danh-muc.json"
    catalog = {
        "format": "sen.catalog/1",
        "procedures": [procedure_data(), procedure_data(code="x")],
    }
    path.write_text(json.dumps(catalog), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^Không nhập gì: có 1 lỗi\.$"):
        call_command("load_catalog", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "procedures[1], thủ tục x, code: "
        "Mã thủ tục phải có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số)."
    ]
    assert Procedure.objects.count() == 0


def test_a_catalog_with_an_e_form_part_the_page_cannot_draw_loads_nothing(refs, tmp_path):
    form = {
        "type": "object",
        "required": ["thanh_vien"],
        "properties": {
            "thanh_vien": {"type": "array", "items": {"type": "object", "properties": {}}}
        },
    }
    path = tmp_path / "danh-muc.json"
    catalog = {"format": "sen.catalog/1", "procedures": [procedure_data(form_schema=form)]}
    path.write_text(json.dumps(catalog), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("load_catalog", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "procedures[0], thủ tục 1.001193, form_schema: Biểu mẫu điện tử, tại "
        "properties.thanh_vien.items: mảng các đối tượng chưa được hỗ trợ"
    ]
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-muc.csv", "a,b", "Chỉ nhập được tệp .json hoặc .xlsx."),
        ("danh-muc.json", "{", "không phải JSON đọc được"),
    ],
)
def test_files_that_are_not_catalogs_fail(refs, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_at_verbosity_0_success_prints_nothing(refs, tmp_path):
    out, err = run(str(_write_json(tmp_path)), "--verbosity", "0")

    assert (out, err) == ("", "")
    assert Procedure.objects.count() == 1


def test_a_missing_file_fails(db, tmp_path):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run(str(tmp_path / "khong-co.json"))


def test_the_command_exits_non_zero_on_failure(refs, tmp_path):
    path = tmp_path / "danh-muc.json"
    path.write_text(json.dumps({"format": "khac", "procedures": []}), encoding="utf-8")
    utility = ManagementUtility(["sen", "load_catalog", str(path)])
    with pytest.raises(SystemExit) as exited:
        utility.execute()

    assert exited.value.code == 1


def _write_json(tmp_path: Path) -> Path:
    path = tmp_path / "mot.json"
    catalog = {"format": "sen.catalog/1", "fields": [], "procedures": [procedure_data()]}
    path.write_text(json.dumps(catalog), encoding="utf-8")
    return path


def test_loading_after_an_export_changes_nothing(refs, tmp_path):
    run(str(_write_json(tmp_path)))
    path = tmp_path / "xuat.json"
    path.write_text(json.dumps(catalog_export()), encoding="utf-8")

    out, _err = run(str(path))

    assert "0 mới, 0 phiên bản mới, 1 không đổi" in out
