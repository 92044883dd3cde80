"""The rule of a procedure version on Office documents (Word, Excel, OpenDocument) in the
sen.catalog/1 format, its Excel workbook and the API: optional, false unless said so, so
that catalogs written before the rule still import unchanged."""

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from sen.catalog.interchange import clean_procedure, content_digest, procedure_to_dict
from sen.catalog.models import Procedure
from sen.catalog.services import (
    catalog_export,
    catalog_export_xlsx,
    catalog_import,
    catalog_import_xlsx,
)
from sen.catalog.tests.factories import make_procedure, procedure_data

pytestmark = pytest.mark.django_db

HEADER = "Nhận tài liệu Office"


def clean(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    procedure, problems = clean_procedure(data, field_codes={"ho-tich"}, agency_codes=set())
    return procedure, [problem.as_dict() for problem in problems]


def catalog(**overrides: Any) -> dict[str, Any]:
    return {
        "format": "sen.catalog/1",
        "fields": [{"code": "ho-tich", "name": "Hộ tịch"}],
        "procedures": [procedure_data(**overrides)],
    }


def test_a_procedure_written_before_the_rule_keeps_its_canonical_form_and_digest():
    # Given a procedure without the key, and the same saying false,
    old, _ = clean(procedure_data())
    said_false, _ = clean(procedure_data(accepts_office_documents=False))

    # then both mean false, and neither changes the digest an earlier import stored.
    assert old is not None and "accepts_office_documents" not in old
    assert said_false == old
    assert content_digest(said_false) == content_digest(old)


def test_a_procedure_may_accept_office_documents():
    procedure, problems = clean(procedure_data(accepts_office_documents=True))

    assert problems == []
    assert procedure is not None and procedure["accepts_office_documents"] is True


@pytest.mark.parametrize("value", ["true", 1, None])
def test_the_rule_is_a_boolean(value):
    procedure, problems = clean(procedure_data(accepts_office_documents=value))

    assert procedure is None
    assert problems == [
        {"field": "accepts_office_documents", "message": "Phải là true hoặc false."}
    ]


def test_the_rule_is_saved_on_the_version_and_written_back(refs):
    saved = make_procedure(accepts_office_documents=True)

    assert Procedure.objects.get(pk=saved.pk).accepts_office_documents is True
    assert procedure_to_dict(saved)["accepts_office_documents"] is True
    assert "accepts_office_documents" not in procedure_to_dict(make_procedure(code="1.000894"))


def test_turning_the_rule_on_makes_a_new_version_and_the_json_export_carries_it(refs):
    catalog_import(data=catalog(), actor=None)

    report = catalog_import(data=catalog(accepts_office_documents=True), actor=None)

    assert report.new_versions == 1
    current = Procedure.objects.get(code="1.001193", is_current=True)
    assert (current.version, current.accepts_office_documents) == (2, True)
    [exported] = catalog_export()["procedures"]
    assert exported["accepts_office_documents"] is True


def test_the_workbook_has_the_rule_as_a_yes_no_column_and_reads_it_back(refs):
    catalog_import(data=catalog(accepts_office_documents=True), actor=None)
    content = catalog_export_xlsx()
    sheet = load_workbook(io.BytesIO(content))["Thủ tục"]
    [header, row] = list(sheet.iter_rows(values_only=True))
    assert row[header.index(HEADER)] == "Có"

    Procedure.objects.all().delete()
    report = catalog_import_xlsx(content=content, actor=None)

    assert report.ok, report.lines()
    assert Procedure.objects.get(code="1.001193").accepts_office_documents is True


def edited_workbook(content: bytes, change: Any) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    change(workbook["Thủ tục"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_workbook_written_before_the_rule_still_imports(refs):
    catalog_import(data=catalog(), actor=None)
    before = catalog_export()

    def drop_column(sheet: Any) -> None:
        [header] = sheet.iter_rows(min_row=1, max_row=1, values_only=True)
        sheet.delete_cols(header.index(HEADER) + 1)

    report = catalog_import_xlsx(
        content=edited_workbook(catalog_export_xlsx(), drop_column), actor=None
    )

    assert report.ok, report.lines()
    assert report.unchanged == 1
    assert catalog_export() == before


def test_a_wrong_cell_is_reported_at_its_row_and_column(refs):
    catalog_import(data=catalog(), actor=None)

    def write_maybe(sheet: Any) -> None:
        [header] = sheet.iter_rows(min_row=1, max_row=1, values_only=True)
        sheet.cell(row=2, column=header.index(HEADER) + 1, value="Có lẽ")

    report = catalog_import_xlsx(
        content=edited_workbook(catalog_export_xlsx(), write_maybe), actor=None
    )

    assert [(p.sheet, p.row, p.column, p.message) for p in report.problems] == [
        ("Thủ tục", 2, HEADER, "Phải là một trong: «Có», «Không».")
    ]


def test_the_procedure_api_says_whether_office_documents_are_accepted(refs):
    make_procedure(accepts_office_documents=True)

    response = Client().get("/api/v1/procedures/1.001193")

    assert response.status_code == 200
    assert response.json()["accepts_office_documents"] is True
