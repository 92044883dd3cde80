"""The catalog admin in English: the import report, its problems, the blank-forms page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.catalog.models import Procedure
from sen.catalog.tests.factories import make_procedure, procedure_data

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/catalog/procedure/import/"


def in_english(client) -> None:
    """Choose English with the site's language switcher."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})


def catalog_file(*procedures: dict) -> SimpleUploadedFile:
    catalog = {"format": "sen.catalog/1", "fields": [], "procedures": list(procedures)}
    return SimpleUploadedFile("catalog.json", json.dumps(catalog).encode())


def test_an_administrator_imports_in_english_and_reads_the_summary(admin_client, refs):
    in_english(admin_client)

    response = admin_client.post(IMPORT_URL, {"file": catalog_file(procedure_data())})

    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Sen — System administration" in page
    assert "Procedures imported: 1 (new: 1, new versions: 0, unchanged: 0)" in page
    assert "<td>1.001193</td><td>new</td><td>1</td>" in page
    assert Procedure.objects.get().version == 1


def test_a_bad_file_is_explained_in_english_and_nothing_is_written(admin_client, refs):
    in_english(admin_client)
    bad = procedure_data(processing_days="2")

    response = admin_client.post(IMPORT_URL, {"file": catalog_file(bad)})

    page = response.content.decode()
    assert "Nothing imported; errors found: 1." in page
    assert "Nothing was written to the database." in page
    assert "The steps add up to 8 working hours; they must equal the processing time" in page
    assert "Không nhập gì" not in page
    assert Procedure.objects.count() == 0


def test_the_blank_forms_page_speaks_english(admin_client, refs):
    procedure = make_procedure()
    in_english(admin_client)

    page = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/templates/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Blank forms of procedure 1.001193 | Sen</title>" in html
    assert "Blank forms are the files applicants download." in html
    assert ">Upload or replace</th>" in html and 'value="Upload"' in html
    assert "None yet" in html
