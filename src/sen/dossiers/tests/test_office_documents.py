"""Office documents (Word, Excel, OpenDocument) in a dossier, where its procedure accepts them.

Told by content, never by name: a procedure that accepts only scans and photos refuses a
Word file named like a PDF, and one that accepts Office documents still refuses anything else,
naming the file.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.catalog.models import Procedure
from sen.catalog.tests.samples import docx, odf, ole, xlsx
from sen.dossiers.errors import InvalidDossier, InvalidResult, InvalidSupplement
from sen.dossiers.models import Dossier, DossierFile
from sen.dossiers.services import (
    dossier_attach_result,
    dossier_receive,
    dossier_request_supplement,
    dossier_submit_supplement,
)
from sen.dossiers.tests.factories import birth_procedure, officer, payload, upload
from sen.dossiers.tests.state import stored_names

pytestmark = pytest.mark.django_db

OFFICE_MESSAGE = (
    "không phải PDF, JPEG, PNG hay tài liệu Word, Excel, OpenDocument "
    "(.doc, .docx, .xls, .xlsx, .odt, .ods)."
)
SAMPLES = {
    "docx": docx,
    "xlsx": xlsx,
    "odt": lambda: odf("text"),
    "ods": lambda: odf("spreadsheet"),
    "doc": lambda: ole("WordDocument"),
    "xls": lambda: ole("Workbook"),
}


@pytest.fixture
def procedure(centre) -> Procedure:
    """Birth registration, which here accepts Office documents for its components."""
    return birth_procedure(agencies=[centre], accepts_office_documents=True)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_office_kind_is_taken_where_the_procedure_accepts_it(submit, kind):
    result = submit(files=[upload(SAMPLES[kind](), f"to-khai.{kind}")])

    stored = DossierFile.objects.get(dossier=result.dossier)
    assert stored.original_name == f"to-khai.{kind}"
    assert stored.file.name.endswith(f".{kind}")
    assert (
        stored.content_type
        == {
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "odt": "application/vnd.oasis.opendocument.text",
            "ods": "application/vnd.oasis.opendocument.spreadsheet",
            "doc": "application/msword",
            "xls": "application/vnd.ms-excel",
        }[kind]
    )


def test_a_procedure_accepting_office_documents_still_refuses_other_files(submit):
    with pytest.raises(InvalidDossier) as caught:
        submit(files=[upload(b"GIF89a....", "anh.gif")])

    assert caught.value.details[0] == {
        "field": "component_1",
        "message": f"Tệp “anh.gif” {OFFICE_MESSAGE}",
    }
    assert Dossier.objects.count() == 0
    assert stored_names() == []


def test_a_word_file_is_refused_where_the_procedure_takes_scans_only(submit):
    Procedure.objects.update(accepts_office_documents=False)

    with pytest.raises(InvalidDossier) as caught:
        submit(files=[upload(docx(), "to-khai.pdf")])

    assert caught.value.details[0] == {
        "field": "component_1",
        "message": "Tệp “to-khai.pdf” không phải PDF, JPEG hoặc PNG.",
    }
    assert Dossier.objects.count() == 0
    assert stored_names() == []


def test_the_api_takes_a_spreadsheet_and_names_a_refused_file(client, applicant, procedure):
    client.force_login(applicant)
    sheet = SimpleUploadedFile("to-khai.xlsx", xlsx())

    response = client.post("/api/v1/dossiers", {"payload": payload(), "component_1": sheet})

    assert response.status_code == 201, response.content
    assert DossierFile.objects.get().content_type.endswith("spreadsheetml.sheet")

    text = SimpleUploadedFile("to-khai.txt", "Tờ khai".encode())
    response = client.post("/api/v1/dossiers", {"payload": payload(), "component_1": text})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_dossier"
    assert {"field": "component_1", "message": f"Tệp “to-khai.txt” {OFFICE_MESSAGE}"} in (
        response.json()["error"]["details"]
    )
    assert Dossier.objects.count() == 1


def test_a_supplement_follows_the_procedures_rule(submit, centre, applicant):
    dossier = submit().dossier
    desk = officer(centre, username="motcua")
    dossier_request_supplement(
        dossier=dossier,
        items=[{"name": "Tờ khai", "reason": "Thiếu chữ ký"}],
        actor=desk,
        expected_revision=1,
    )
    dossier = Dossier.objects.select_related("procedure").get()

    with pytest.raises(InvalidSupplement):
        dossier_submit_supplement(
            dossier=dossier, files=[upload(b"MZ\x90\x00", "virus.exe")], actor=applicant
        )
    dossier_submit_supplement(
        dossier=dossier, files=[upload(docx(), "to-khai.docx")], actor=applicant
    )

    assert Dossier.objects.get().status == "submitted"
    assert DossierFile.objects.filter(original_name="to-khai.docx").exists()


def test_an_officers_result_is_a_pdf_or_scan_whatever_the_procedure_accepts(submit, centre):
    desk = officer(centre, username="motcua")
    dossier = dossier_receive(dossier=submit().dossier, actor=desk, expected_revision=1)

    with pytest.raises(InvalidResult) as caught:
        dossier_attach_result(
            dossier=dossier,
            upload=upload(docx(), "ket-qua.docx", position=0),
            actor=desk,
            expected_revision=2,
        )

    assert caught.value.details == [
        {"field": "file", "message": "Tệp “ket-qua.docx” không phải PDF, JPEG hoặc PNG."}
    ]
