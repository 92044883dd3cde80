"""Blank forms (mẫu đơn, tờ khai) attached to document components, for applicants to download.

The content decides what a file is; the name an officer's computer gave it is only kept
as a slug. A PDF uploaded as "to-khai.docx" is a PDF: it is accepted and stored as .pdf,
so the applicant's computer opens it with the right program.
"""

import contextlib
import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sen.catalog import services
from sen.catalog.models import DocumentComponent, Procedure
from sen.catalog.services import (
    TEMPLATE_MAX_BYTES,
    InvalidTemplateFile,
    ProcedureSuperseded,
    component_template_clear,
    component_template_set,
    procedure_save,
)
from sen.catalog.tests import samples
from sen.catalog.tests.factories import UserFactory, make_procedure, procedure_data
from sen.core.errors import NotAllowed, StorageUnavailable
from sen.core.models import AuditEntry
from sen.tests.storage import FULL_DISK

pytestmark = pytest.mark.django_db

FORM_NAME = "Tờ khai đăng ký khai sinh"
DIR = "catalog/templates/1.001193"


@pytest.fixture(autouse=True)
def empty_storage(settings):
    """A fresh in-memory storage for each test, so every stored file is this test's."""
    settings.STORAGES = {**settings.STORAGES}


def stored_files() -> dict[str, bytes]:
    """Return every file in storage under the templates folder, with its content."""
    found: dict[str, bytes] = {}

    def walk(folder: str) -> None:
        folders, files = default_storage.listdir(folder)
        for name in files:
            with default_storage.open(f"{folder}/{name}") as file:
                found[f"{folder}/{name}"] = file.read()
        for name in folders:
            walk(f"{folder}/{name}")

    with contextlib.suppress(FileNotFoundError):  # nothing stored yet
        walk("catalog/templates")
    return found


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def first_component(procedure: Procedure) -> DocumentComponent:
    return procedure.components.get(position=1)


def template_state() -> list[tuple[Any, ...]]:
    """Every component's template and digest, to show that a refused change changed none."""
    return list(
        DocumentComponent.objects.order_by("procedure_id", "position").values_list(
            "procedure__version", "position", "template", "template_sha256"
        )
    )


def template_audit() -> list[tuple[str, str, str, dict[str, Any]]]:
    return list(
        AuditEntry.objects.filter(action__startswith="catalog.component.")
        .order_by("id")
        .values_list("actor_label", "action", "target_key", "data")
    )


@pytest.fixture
def procedure(refs) -> Procedure:
    return make_procedure()


@pytest.fixture
def officer(refs):
    """A staff member with the right to change procedures."""
    user = UserFactory(username="soanthao", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_procedure"))
    return user


@pytest.fixture
def viewer(refs):
    """A staff member who may only look at the catalog."""
    user = UserFactory(username="xem", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_procedure"))
    return user


# --- Attaching a form -----------------------------------------------------------------------


def test_an_officer_attaches_a_pdf_form_stored_under_the_procedure_code(procedure, officer):
    saved = component_template_set(
        component=first_component(procedure),
        upload=upload("Tờ khai đăng ký khai sinh (mẫu 01).pdf", samples.PDF),
        actor=officer,
    )

    digest = sha(samples.PDF)
    name = f"{DIR}/01-to-khai-dang-ky-khai-sinh-mau-01-{digest[:8]}.pdf"
    assert (saved.template.name, saved.template_sha256) == (name, digest)
    assert stored_files() == {name: samples.PDF}
    assert template_state() == [(1, 1, name, digest), (1, 2, "", "")]
    assert template_audit() == [
        (
            "soanthao",
            "catalog.component.template_set",
            "1.001193@1",
            {
                "position": 1,
                "component": FORM_NAME,
                "file_name": "Tờ khai đăng ký khai sinh (mẫu 01).pdf",
                "stored_as": name,
                "size": len(samples.PDF),
                "sha256": digest,
                "replaced_sha256": "",
            },
        )
    ]


@pytest.mark.parametrize(
    ("file_name", "content", "extension"),
    [
        ("to-khai.docx", samples.docx(), "docx"),
        ("to-khai.xlsx", samples.xlsx(), "xlsx"),
        ("to-khai.odt", samples.odf("text"), "odt"),
        ("to-khai.ods", samples.odf("spreadsheet"), "ods"),
        ("to-khai.doc", samples.ole("WordDocument", "\x01CompObj"), "doc"),
        ("to-khai.xls", samples.ole("Workbook"), "xls"),
        # A Word file with an Excel sheet embedded in it is still a Word file.
        ("to-khai.doc", samples.ole("WordDocument", storage=("ObjectPool", "Workbook")), "doc"),
    ],
)
def test_word_excel_and_opendocument_forms_are_accepted(procedure, file_name, content, extension):
    saved = component_template_set(
        component=first_component(procedure), upload=upload(file_name, content), actor=None
    )

    name = f"{DIR}/01-to-khai-{sha(content)[:8]}.{extension}"
    assert (saved.template.name, saved.template_sha256) == (name, sha(content))
    assert stored_files() == {name: content}


@pytest.mark.parametrize(
    ("file_name", "content", "stored_as"),
    [
        ("to-khai.docx", samples.PDF, "pdf"),
        ("to-khai.doc", samples.docx(), "docx"),
        ("to-khai", samples.ole("Workbook"), "xls"),
    ],
)
def test_the_stored_extension_is_that_of_the_content_not_of_the_name(
    procedure, file_name, content, stored_as
):
    saved = component_template_set(
        component=first_component(procedure), upload=upload(file_name, content), actor=None
    )

    assert saved.template.name == f"{DIR}/01-to-khai-{sha(content)[:8]}.{stored_as}"


def test_the_uploaded_path_never_becomes_a_storage_path(procedure):
    saved = component_template_set(
        component=procedure.components.get(position=2),
        upload=upload("../../etc/Đơn ủy quyền.pdf", samples.PDF),
        actor=None,
    )

    assert saved.template.name == f"{DIR}/02-don-uy-quyen-{sha(samples.PDF)[:8]}.pdf"


def test_a_form_of_exactly_ten_megabytes_is_accepted(procedure):
    content = samples.PDF + b"\0" * (TEMPLATE_MAX_BYTES - len(samples.PDF))

    saved = component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", content), actor=None
    )

    assert saved.template.size == 10 * 1024 * 1024
    assert saved.template_sha256 == sha(content)


def test_changing_a_form_makes_no_new_version(procedure):
    component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", samples.PDF), actor=None
    )

    assert list(Procedure.objects.values_list("version", "is_current", "content_digest")) == [
        (1, True, procedure.content_digest)
    ]
    assert not AuditEntry.objects.filter(action="catalog.procedure.versioned").exists()


# --- Refused files --------------------------------------------------------------------------

UNSUPPORTED = (
    "Nội dung tệp không phải PDF, Word (.doc, .docx), Excel (.xls, .xlsx) hay OpenDocument "
    "(.odt, .ods); chỉ nhận mẫu đơn, tờ khai thuộc các loại này."
)


@pytest.mark.parametrize(
    ("file_name", "content", "reason", "message"),
    [
        (
            "mau.pdf",
            samples.PDF + b"\0" * (TEMPLATE_MAX_BYTES + 1 - len(samples.PDF)),
            "too_large",
            "Tệp mẫu lớn quá 10 MB.",
        ),
        ("mau.pdf", b"", "empty", "Tệp mẫu rỗng."),
        ("mau.pdf", "Tờ khai đăng ký khai sinh".encode(), "unsupported_type", UNSUPPORTED),
        ("mau.pdf", b"<html><body>%PDF-</body></html>", "unsupported_type", UNSUPPORTED),
        ("mau.docx", samples.plain_zip(), "unsupported_type", UNSUPPORTED),
        ("mau.docx", samples.docx(samples.WORD_MACRO_MAIN), "unsupported_type", UNSUPPORTED),
        ("mau.odp", samples.odf("presentation"), "unsupported_type", UNSUPPORTED),
        ("mau.docx", b"PK\x03\x04 not really a zip", "unsupported_type", UNSUPPORTED),
        ("mau.doc", samples.ole("PowerPoint Document"), "unsupported_type", UNSUPPORTED),
        ("mau.doc", samples.ole("WordDocument")[:700], "unsupported_type", UNSUPPORTED),
        ("mau.exe", b"MZ\x90\x00", "unsupported_type", UNSUPPORTED),
    ],
    ids=[
        "too-big",
        "empty",
        "text",
        "html",
        "plain-zip",
        "macro-docm",
        "odf-presentation",
        "broken-zip",
        "powerpoint",
        "truncated-ole",
        "program",
    ],
)
def test_a_refused_file_is_explained_and_changes_nothing(
    procedure, officer, file_name, content, reason, message
):
    component = first_component(procedure)
    component_template_set(component=component, upload=upload("cu.pdf", samples.PDF), actor=None)
    before, files_before = template_state(), stored_files()

    with pytest.raises(InvalidTemplateFile) as raised:
        component_template_set(
            component=component, upload=upload(file_name, content), actor=officer
        )

    assert raised.value.as_dict() == {
        "code": "invalid_template_file",
        "message": message,
        "details": [{"field": "upload", "reason": reason}],
    }
    assert raised.value.status == 400
    assert template_state() == before
    assert stored_files() == files_before
    assert [action for _who, action, _key, _data in template_audit()] == [
        "catalog.component.template_set"  # the first form only
    ]


def test_a_full_disk_is_said_and_changes_nothing(procedure, officer, settings):
    component = first_component(procedure)
    before = template_state()
    settings.STORAGES = {**settings.STORAGES, "default": FULL_DISK}

    with pytest.raises(StorageUnavailable) as raised:
        component_template_set(
            component=component, upload=upload("to-khai.pdf", samples.PDF), actor=officer
        )

    assert raised.value.status == 503
    assert template_state() == before
    assert stored_files() == {}  # not even the part the disk took
    assert template_audit() == []


# --- Replacing and removing -----------------------------------------------------------------


def test_the_replaced_file_is_deleted_only_after_the_change_is_committed(
    procedure, django_capture_on_commit_callbacks
):
    component = first_component(procedure)
    first = component_template_set(
        component=component, upload=upload("mau.pdf", samples.PDF), actor=None
    )
    old = first.template.name
    docx = samples.docx()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = component_template_set(
            component=component, upload=upload("mau.docx", docx), actor=None
        )
        assert set(stored_files()) == {old, second.template.name}

    assert len(callbacks) == 1
    assert stored_files() == {second.template.name: docx}
    assert template_state() == [(1, 1, second.template.name, sha(docx)), (1, 2, "", "")]
    assert template_audit()[-1][3]["replaced_sha256"] == sha(samples.PDF)


def test_a_replacement_that_fails_to_save_keeps_the_old_form_and_leaves_no_file(
    procedure, monkeypatch, django_capture_on_commit_callbacks
):
    component = first_component(procedure)
    first = component_template_set(
        component=component, upload=upload("mau.pdf", samples.PDF), actor=None
    )
    before = template_state()

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        component_template_set(
            component=component, upload=upload("mau.docx", samples.docx()), actor=None
        )

    assert callbacks == []
    assert template_state() == before
    assert stored_files() == {first.template.name: samples.PDF}


def test_an_officer_removes_a_form_and_its_file_goes_after_commit(
    procedure, officer, django_capture_on_commit_callbacks
):
    component = first_component(procedure)
    name = component_template_set(
        component=component, upload=upload("mau.pdf", samples.PDF), actor=None
    ).template.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved = component_template_clear(component=component, actor=officer)
        assert set(stored_files()) == {name}

    assert len(callbacks) == 1
    assert (saved.template.name, saved.template_sha256) == ("", "")
    assert stored_files() == {}
    assert template_state() == [(1, 1, "", ""), (1, 2, "", "")]
    assert template_audit()[-1] == (
        "soanthao",
        "catalog.component.template_cleared",
        "1.001193@1",
        {"position": 1, "component": FORM_NAME, "stored_as": name, "sha256": sha(samples.PDF)},
    )


def test_removing_a_form_that_is_not_there_changes_and_records_nothing(procedure, officer):
    saved = component_template_clear(component=first_component(procedure), actor=officer)

    assert saved.template.name == ""
    assert template_audit() == []


# --- Versions -------------------------------------------------------------------------------


def test_a_new_version_carries_over_the_form_and_its_digest(procedure):
    name = component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", samples.PDF), actor=None
    ).template.name
    renamed = procedure_data()
    renamed["components"][1]["name"] = "Giấy ủy quyền"

    second = procedure_save(data={**renamed, "conditions": "Trẻ chưa khai sinh"}, actor=None)

    assert second.version == 2
    assert template_state() == [
        (1, 1, name, sha(samples.PDF)),
        (1, 2, "", ""),
        (2, 1, name, sha(samples.PDF)),
        (2, 2, "", ""),
    ]


def test_replacing_the_form_of_the_new_version_keeps_the_file_the_old_version_names(
    procedure, django_capture_on_commit_callbacks
):
    old = component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", samples.PDF), actor=None
    ).template.name
    second = procedure_save(data=procedure_data(conditions="Trẻ chưa khai sinh"), actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        new = component_template_set(
            component=first_component(second), upload=upload("mau.docx", samples.docx()), actor=None
        ).template.name

    assert stored_files() == {old: samples.PDF, new: samples.docx()}
    assert first_component(procedure).template.name == old


def test_the_form_of_a_superseded_version_cannot_change(procedure, officer):
    component = first_component(procedure)
    component_template_set(component=component, upload=upload("mau.pdf", samples.PDF), actor=None)
    procedure_save(data=procedure_data(conditions="Trẻ chưa khai sinh"), actor=None)
    before, files_before, audit_before = template_state(), stored_files(), template_audit()

    with pytest.raises(ProcedureSuperseded) as replaced:
        component_template_set(
            component=component, upload=upload("mau.docx", samples.docx()), actor=officer
        )
    with pytest.raises(ProcedureSuperseded) as cleared:
        component_template_clear(component=component, actor=officer)

    message = (
        "Phiên bản 1 của thủ tục 1.001193 đã bị thay thế; chỉ thay đổi được mẫu đơn, tờ khai "
        "của phiên bản hiện hành."
    )
    for raised in (replaced, cleared):
        assert (raised.value.code, raised.value.status) == ("procedure_superseded", 409)
        assert raised.value.message == message
    assert template_state() == before
    assert stored_files() == files_before
    assert template_audit() == audit_before


# --- Who may --------------------------------------------------------------------------------


def test_a_staff_member_without_the_right_to_change_procedures_is_refused(procedure, viewer):
    component = first_component(procedure)
    component_template_set(component=component, upload=upload("mau.pdf", samples.PDF), actor=None)
    before, files_before, audit_before = template_state(), stored_files(), template_audit()

    with pytest.raises(NotAllowed) as replaced:
        component_template_set(
            component=component, upload=upload("mau.docx", samples.docx()), actor=viewer
        )
    with pytest.raises(NotAllowed) as cleared:
        component_template_clear(component=component, actor=viewer)

    for raised in (replaced, cleared):
        assert (raised.value.code, raised.value.status) == ("permission_denied", 403)
        assert raised.value.message == "Bạn không có quyền thay đổi mẫu đơn, tờ khai của thủ tục."
    assert template_state() == before
    assert stored_files() == files_before
    assert template_audit() == audit_before


def test_an_inactive_superuser_is_refused(procedure):
    former = UserFactory(username="nghiviec", is_staff=True, is_superuser=True, is_active=False)

    with pytest.raises(NotAllowed):
        component_template_set(
            component=first_component(procedure),
            upload=upload("mau.pdf", samples.PDF),
            actor=former,
        )

    assert stored_files() == {}


# --- Admin ----------------------------------------------------------------------------------


def templates_url(procedure: Procedure) -> str:
    return f"/admin/catalog/procedure/{procedure.pk}/templates/"


def test_the_change_page_links_to_the_forms_of_the_current_version_only(admin_client, procedure):
    second = procedure_save(data=procedure_data(conditions="Trẻ chưa khai sinh"), actor=None)
    link = "Mẫu đơn, tờ khai</a>"

    current_page = admin_client.get(f"/admin/catalog/procedure/{second.pk}/change/")
    old_page = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/change/")

    assert f'<a href="{templates_url(second)}">{link}' in current_page.content.decode()
    assert link not in old_page.content.decode()


def test_the_change_page_has_no_link_for_a_viewer(client, procedure, viewer):
    client.force_login(viewer)

    page = client.get(f"/admin/catalog/procedure/{procedure.pk}/change/")

    assert page.status_code == 200
    assert "Mẫu đơn, tờ khai</a>" not in page.content.decode()


def test_the_forms_page_lists_each_component_with_its_form(admin_client, procedure):
    name = component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", samples.PDF), actor=None
    ).template.name

    response = admin_client.get(templates_url(procedure))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="/media/{name}">{name.rsplit("/", 1)[1]}</a>' in page
    assert f"{len(samples.PDF)}\xa0byte" in page
    assert f'SHA-256 <code title="{sha(samples.PDF)}">{sha(samples.PDF)[:12]}…</code>' in page
    assert page.count('type="file"') == 2
    assert page.count('value="Xoá mẫu"') == 1
    assert "csrfmiddlewaretoken" in page


def test_an_administrator_uploads_a_form_through_the_admin(procedure):
    client = Client(enforce_csrf_checks=True)
    admin = UserFactory(username="quantri2", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(templates_url(procedure))
    token = page.cookies["csrftoken"].value
    docx = samples.docx()

    response = client.post(
        templates_url(procedure),
        {
            "csrfmiddlewaretoken": token,
            "position": "1",
            "action": "upload",
            "upload": upload("Tờ khai.docx", docx),
        },
        follow=True,
    )

    assert response.redirect_chain == [(templates_url(procedure), 302)]
    assert f"Đã lưu mẫu đơn, tờ khai của “{FORM_NAME}”." in response.content.decode()
    name = f"{DIR}/01-to-khai-{sha(docx)[:8]}.docx"
    assert template_state() == [(1, 1, name, sha(docx)), (1, 2, "", "")]
    assert template_audit()[0][:2] == ("quantri2", "catalog.component.template_set")


def test_an_upload_without_the_csrf_token_is_refused(procedure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="quantri2", is_staff=True, is_superuser=True))

    response = client.post(
        templates_url(procedure),
        {"position": "1", "action": "upload", "upload": upload("mau.pdf", samples.PDF)},
    )

    assert response.status_code == 403
    assert template_state() == [(1, 1, "", ""), (1, 2, "", "")]


def test_a_refused_file_is_shown_next_to_its_component(admin_client, procedure):
    response = admin_client.post(
        templates_url(procedure),
        {"position": "2", "action": "upload", "upload": upload("mau.pdf", b"not a pdf")},
    )

    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index('<tr id="component-2"') : page.index("</tr>", page.index("component-2"))]
    assert f'<ul class="errorlist"><li>{UNSUPPORTED}</li></ul>' in row
    assert "errorlist" not in page[page.index('<tr id="component-1"') : page.index(row)]
    assert template_state() == [(1, 1, "", ""), (1, 2, "", "")]
    assert stored_files() == {}


def test_uploading_without_choosing_a_file_asks_for_one(admin_client, procedure):
    response = admin_client.post(templates_url(procedure), {"position": "1", "action": "upload"})

    assert "<li>Chọn tệp mẫu để tải lên.</li>" in response.content.decode()
    assert template_state() == [(1, 1, "", ""), (1, 2, "", "")]


def test_an_administrator_removes_a_form_through_the_admin(admin_client, procedure):
    component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", samples.PDF), actor=None
    )

    response = admin_client.post(
        templates_url(procedure), {"position": "1", "action": "clear"}, follow=True
    )

    assert f"Đã xoá mẫu đơn, tờ khai của “{FORM_NAME}”." in response.content.decode()
    assert template_state() == [(1, 1, "", ""), (1, 2, "", "")]


def test_a_viewer_cannot_see_or_change_the_forms_page(client, procedure, viewer):
    client.force_login(viewer)

    shown = client.get(templates_url(procedure))
    posted = client.post(
        templates_url(procedure),
        {"position": "1", "action": "upload", "upload": upload("mau.pdf", samples.PDF)},
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert template_state() == [(1, 1, "", ""), (1, 2, "", "")]
    assert stored_files() == {}


def test_a_superseded_version_shows_where_the_current_forms_are_and_no_form(
    admin_client, procedure
):
    second = procedure_save(data=procedure_data(conditions="Trẻ chưa khai sinh"), actor=None)
    before = template_state()

    shown = admin_client.get(templates_url(procedure))
    posted = admin_client.post(
        templates_url(procedure),
        {"position": "1", "action": "upload", "upload": upload("mau.pdf", samples.PDF)},
    )

    for response in (shown, posted):
        page = response.content.decode()
        assert "Phiên bản 1 của thủ tục 1.001193 đã bị thay thế" in page
        assert f'<a href="{templates_url(second)}">' in page
        assert 'type="file"' not in page
    assert template_state() == before
    assert stored_files() == {}


# --- What the applicant sees ----------------------------------------------------------------


def test_the_procedure_page_offers_the_form_for_download(client, procedure):
    name = component_template_set(
        component=first_component(procedure), upload=upload("mau.pdf", samples.PDF), actor=None
    ).template.name

    page = client.get("/thu-tuc/1.001193/").content.decode()

    assert f'<a class="table__note" href="/media/{name}">Tải mẫu đơn, tờ khai</a>' in page
    assert page.count("Tải mẫu đơn, tờ khai") == 1


def test_a_form_saved_before_the_service_existed_is_still_carried_over(procedure):
    """Forms attached directly to the field (older data) have no digest; that is kept too."""
    component = first_component(procedure)
    component.template.save("cu/to-khai.pdf", ContentFile(samples.PDF), save=True)

    second = procedure_save(data=procedure_data(conditions="Trẻ chưa khai sinh"), actor=None)

    assert first_component(second).template.name == component.template.name
    assert first_component(second).template_sha256 == ""
