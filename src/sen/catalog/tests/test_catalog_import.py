"""Importing and exporting a whole catalog in the sen.catalog/1 format: all or nothing."""

from typing import Any

import pytest

from sen.catalog.models import Field, Procedure
from sen.catalog.reports import ImportProblem, ImportRow, Outcome
from sen.catalog.selectors import procedure_search
from sen.catalog.services import catalog_export, catalog_import
from sen.catalog.tests.conftest import JUSTICE
from sen.catalog.tests.factories import one_step, procedure_data
from sen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def small_catalog() -> dict[str, Any]:
    """Three procedures in two fields, one of them new to the database."""
    return {
        "format": "sen.catalog/1",
        "fields": [
            {"code": "ho-tich", "name": "Hộ tịch"},
            {"code": "chung-thuc", "name": "Chứng thực"},
        ],
        "procedures": [
            procedure_data(),
            procedure_data(code="1.000894", name="Đăng ký kết hôn"),
            procedure_data(
                code="2.000815",
                name="Chứng thực bản sao từ bản chính",
                field="chung-thuc",
                processing_days="0.5",
                steps=[
                    {
                        "name": "Chứng thực",
                        "role": "specialist",
                        "agency": None,
                        "duration": "4",
                        "unit": "hours",
                    }
                ],
                implementations=[
                    {"level": "commune", "agency": None},
                    {"level": "province", "agency": JUSTICE},
                ],
            ),
        ],
    }


def database_state() -> tuple[Any, ...]:
    return (
        list(Field.objects.order_by("code").values_list("code", "name")),
        list(
            Procedure.objects.order_by("code", "version").values_list(
                "code", "version", "is_current"
            )
        ),
        AuditEntry.objects.count(),
    )


def test_importing_a_catalog_creates_its_fields_and_procedures(refs):
    report = catalog_import(data=small_catalog(), actor=refs.officer, source="ninh-binh.json")

    assert report.ok
    assert report.rows == [
        ImportRow(0, "1.001193", Outcome.CREATED, 1),
        ImportRow(1, "1.000894", Outcome.CREATED, 1),
        ImportRow(2, "2.000815", Outcome.CREATED, 1),
    ]
    assert (report.created, report.new_versions, report.unchanged) == (3, 0, 0)
    assert (report.fields_created, report.fields_renamed) == (1, 0)
    assert Field.objects.get(code="chung-thuc").name == "Chứng thực"
    assert report.summary() == (
        "Đã nhập 3 thủ tục: 3 mới, 0 phiên bản mới, 0 không đổi; lĩnh vực: 1 mới, 0 đổi tên."
    )
    entry = AuditEntry.objects.filter(action="catalog.imported").get()
    assert (entry.actor, entry.target_key) == (refs.officer, "ninh-binh.json")
    assert entry.data == {
        "created": 3,
        "new_versions": 0,
        "unchanged": 0,
        "fields_created": 1,
        "fields_renamed": 0,
    }


def test_importing_the_same_file_twice_changes_nothing_the_second_time(refs):
    catalog_import(data=small_catalog(), actor=None)

    report = catalog_import(data=small_catalog(), actor=None)

    assert [row.outcome for row in report.rows] == [Outcome.UNCHANGED] * 3
    assert Procedure.objects.count() == 3
    assert report.lines() == [
        "Đã nhập 3 thủ tục: 0 mới, 0 phiên bản mới, 3 không đổi; lĩnh vực: 0 mới, 0 đổi tên.",
        "1.001193: không đổi (phiên bản 1)",
        "1.000894: không đổi (phiên bản 1)",
        "2.000815: không đổi (phiên bản 1)",
    ]


def test_a_changed_procedure_becomes_a_new_version_and_the_others_stay(refs):
    catalog_import(data=small_catalog(), actor=None)
    catalog = small_catalog()
    catalog["procedures"][1]["processing_days"] = "5"
    catalog["procedures"][1]["steps"] = one_step("5")

    report = catalog_import(data=catalog, actor=None)

    assert [(row.code, row.outcome, row.version) for row in report.rows] == [
        ("1.001193", Outcome.UNCHANGED, 1),
        ("1.000894", Outcome.NEW_VERSION, 2),
        ("2.000815", Outcome.UNCHANGED, 1),
    ]
    assert Procedure.objects.filter(code="1.000894", is_current=True).get().version == 2


def test_one_bad_procedure_stops_the_whole_import_and_the_report_says_where(refs):
    catalog_import(data=small_catalog(), actor=None)
    before = database_state()
    catalog = small_catalog()
    catalog["fields"].append({"code": "dat-dai-moi", "name": "Đất đai"})
    catalog["procedures"][0]["name"] = "Đăng ký khai sinh (mới)"
    catalog["procedures"].append(procedure_data(code="1.004227", field="khong-co"))
    catalog["procedures"][1]["steps"][0]["role"] = "director"

    report = catalog_import(data=catalog, actor=None)

    assert not report.ok
    assert report.rows == []
    assert report.problems == [
        ImportProblem(
            "Vai trò phải là một trong: one_stop, specialist, leader, clerk.",
            field="steps[0].role",
            index=1,
            code="1.000894",
        ),
        ImportProblem(
            "Lĩnh vực «khong-co» không có trong danh mục.", field="field", index=3, code="1.004227"
        ),
    ]
    assert database_state() == before
    assert report.lines() == [
        "Không nhập gì: có 2 lỗi.",
        "procedures[1], thủ tục 1.000894, steps[0].role: "
        "Vai trò phải là một trong: one_stop, specialist, leader, clerk.",
        "procedures[3], thủ tục 1.004227, field: Lĩnh vực «khong-co» không có trong danh mục.",
    ]


def test_a_code_twice_in_the_file_is_refused(refs):
    catalog = small_catalog()
    catalog["procedures"].append(procedure_data(name="Đăng ký khai sinh lần hai"))

    report = catalog_import(data=catalog, actor=None)

    assert report.problems == [
        ImportProblem(
            "Mã thủ tục 1.001193 đã có ở procedures[0].", field="code", index=3, code="1.001193"
        )
    ]
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(
    ("catalog", "expected"),
    [
        ([], [("", "Tệp phải chứa một đối tượng JSON.")]),
        (
            {"format": "sen.catalog/2", "procedures": []},
            [("format", 'Định dạng phải là "sen.catalog/1".')],
        ),
        (
            {"format": "sen.catalog/1", "procedures": {}},
            [("procedures", "Phải là một danh sách thủ tục.")],
        ),
        (
            {"format": "sen.catalog/1", "procedures": [], "agencies": []},
            [("agencies", "Trường này không thuộc định dạng sen.catalog/1.")],
        ),
        (
            {
                "format": "sen.catalog/1",
                "fields": [{"code": "Hộ tịch", "name": "Hộ tịch"}],
                "procedures": [],
            },
            [
                (
                    "fields[0].code",
                    "Mã lĩnh vực gồm chữ không dấu, chữ số, gạch ngang; tối đa 40 ký tự.",
                )
            ],
        ),
        (
            {
                "format": "sen.catalog/1",
                "fields": [{"code": "a", "name": "A"}, {"code": "a", "name": ""}],
                "procedures": [],
            },
            [
                ("fields[1].name", "Không được để trống."),
                ("fields[1].code", "Mã lĩnh vực «a» bị lặp."),
            ],
        ),
        (
            {"format": "sen.catalog/1", "procedures": ["1.001193"]},
            [("", "Thủ tục phải là một đối tượng JSON.")],
        ),
    ],
)
def test_a_file_not_in_the_format_is_refused_whole(refs, catalog, expected):
    before = database_state()

    report = catalog_import(data=catalog, actor=None)

    assert [(problem.field, problem.message) for problem in report.problems] == expected
    assert database_state() == before


def test_renaming_a_field_renames_it_and_search_finds_its_procedures_by_the_new_name(refs):
    catalog_import(data=small_catalog(), actor=None)
    catalog = small_catalog()
    catalog["fields"][0]["name"] = "Hộ tịch và quốc tịch"

    report = catalog_import(data=catalog, actor=None)

    assert (report.fields_created, report.fields_renamed, report.unchanged) == (0, 1, 3)
    assert Field.objects.get(code="ho-tich").name == "Hộ tịch và quốc tịch"
    found = [procedure.code for procedure in procedure_search(query="quoc tich")]
    assert found == ["1.000894", "1.001193"]


def test_a_catalog_with_fields_only_is_imported(refs):
    report = catalog_import(
        data={
            "format": "sen.catalog/1",
            "fields": [{"code": "thue", "name": "Thuế"}],
            "procedures": [],
        },
        actor=None,
    )

    assert report.ok and report.fields_created == 1
    assert Field.objects.filter(code="thue").exists()


def test_export_returns_the_current_versions_in_the_import_format(refs):
    catalog_import(data=small_catalog(), actor=None)
    changed = small_catalog()
    changed["procedures"][0]["conditions"] = "Trẻ chưa được đăng ký khai sinh"
    catalog_import(data=changed, actor=None)

    exported = catalog_export()

    assert exported == {
        "format": "sen.catalog/1",
        "fields": [
            {"code": "chung-thuc", "name": "Chứng thực"},
            {"code": "dat-dai", "name": "Đất đai"},
            {"code": "ho-tich", "name": "Hộ tịch"},
        ],
        "procedures": sorted(changed["procedures"], key=lambda procedure: procedure["code"]),
    }


def test_export_of_some_codes_carries_only_their_fields(refs):
    catalog_import(data=small_catalog(), actor=None)

    exported = catalog_export(codes=["2.000815"])

    assert exported["fields"] == [{"code": "chung-thuc", "name": "Chứng thực"}]
    assert [procedure["code"] for procedure in exported["procedures"]] == ["2.000815"]


def test_an_export_imported_into_an_empty_catalog_gives_the_same_export(refs):
    catalog_import(data=small_catalog(), actor=None)
    exported = catalog_export()
    Procedure.objects.all().delete()
    Field.objects.all().delete()

    report = catalog_import(data=exported, actor=None)

    assert report.created == 3
    assert catalog_export() == exported


def test_a_repeated_full_export_comes_from_the_cache_until_anything_shown_changes(
    refs, django_assert_num_queries
):
    """Three small queries make the cache key: versions, fields, agencies."""
    catalog_import(data=small_catalog(), actor=None)
    first = catalog_export()

    with django_assert_num_queries(3):
        assert catalog_export() == first

    changed = small_catalog()
    changed["fields"][1]["name"] = "Chứng thực bản sao"
    changed["procedures"][0]["conditions"] = "Trẻ chưa được đăng ký khai sinh"
    catalog_import(data=changed, actor=None)
    second = catalog_export()

    assert second["fields"][0] == {"code": "chung-thuc", "name": "Chứng thực bản sao"}
    assert second["procedures"][1]["conditions"] == "Trẻ chưa được đăng ký khai sinh"
