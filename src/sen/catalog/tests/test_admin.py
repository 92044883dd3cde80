"""The catalog admin: import with a report, edits that make new versions, read-only versions."""

import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sen.catalog.models import Field, Procedure
from sen.catalog.services import catalog_export, catalog_export_xlsx
from sen.catalog.tests.factories import UserFactory, make_procedure, procedure_data
from sen.core.models import AuditEntry
from sen.portal.tests.html import text_of

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/catalog/procedure/import/"
FORM_URLENCODED = "application/x-www-form-urlencoded"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def json_of_size(size: int) -> str:
    """Return a valid procedure as JSON of ``size`` bytes, its description in Vietnamese."""
    base = len(json.dumps(procedure_data(description=""), ensure_ascii=False).encode())
    words, rest = divmod(size - base, len("Hồ sơ ".encode()))
    description = "Hồ sơ " * words + "x" * rest
    content = json.dumps(procedure_data(description=description), ensure_ascii=False)
    assert len(content.encode()) == size
    return content


@pytest.fixture
def viewer(client, refs):
    """A staff member who may only look at the catalog."""
    user = UserFactory(username="xem", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_procedure"))
    client.force_login(user)
    return client


def test_an_administrator_imports_a_json_file_and_sees_what_happened(admin_client, refs):
    catalog = {"format": "sen.catalog/1", "fields": [], "procedures": [procedure_data()]}

    response = admin_client.post(
        IMPORT_URL, {"file": upload("danh-muc.json", json.dumps(catalog).encode())}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã nhập 1 thủ tục: 1 mới, 0 phiên bản mới, 0 không đổi" in page
    assert "<td>1.001193</td><td>mới</td><td>1</td>" in page
    assert Procedure.objects.get().version == 1


def test_a_bad_file_shows_every_problem_and_writes_nothing(admin_client, refs):
    bad = procedure_data(processing_days="2")
    catalog = {
        "format": "sen.catalog/1",
        "fields": [],
        "procedures": [procedure_data(code="1.000894"), bad],
    }

    response = admin_client.post(
        IMPORT_URL, {"file": upload("danh-muc.json", json.dumps(catalog).encode())}
    )

    page = response.content.decode()
    assert "Không nhập gì: có 1 lỗi." in page
    assert "<td>procedures[1]</td>" in page
    assert "Tổng thời gian các bước là 8 giờ làm việc" in page
    assert Procedure.objects.count() == 0


def test_an_excel_file_is_imported_and_its_errors_name_sheet_and_row(admin_client, refs):
    make_procedure()
    content = catalog_export_xlsx()
    Procedure.objects.all().delete()

    response = admin_client.post(IMPORT_URL, {"file": upload("danh-muc.xlsx", content)})

    assert "1 mới" in response.content.decode()
    assert Procedure.objects.count() == 1

    workbook = load_workbook(io.BytesIO(catalog_export_xlsx()))
    workbook["Quy trình"]["D3"] = "Giám đốc"
    output = io.BytesIO()
    workbook.save(output)
    response = admin_client.post(IMPORT_URL, {"file": upload("danh-muc.xlsx", output.getvalue())})

    page = response.content.decode()
    assert "<td>Quy trình, dòng 3</td>" in page
    assert "<td>Vai trò</td>" in page
    assert Procedure.objects.count() == 1

    response = admin_client.post(IMPORT_URL, {"file": upload("danh-muc.xlsx", b"not excel")})

    assert "Tệp không phải là bảng tính Excel (.xlsx) đọc được." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-muc.csv", b"a,b", "Chỉ nhận tệp .json hoặc .xlsx."),
        ("danh-muc.json", b"{khong phai json", "Tệp không phải JSON đọc được"),
    ],
)
def test_files_of_another_kind_are_refused(admin_client, refs, name, content, message):
    response = admin_client.post(IMPORT_URL, {"file": upload(name, content)})

    assert message in response.content.decode()
    assert Procedure.objects.count() == 0


def test_staff_without_the_right_cannot_import_or_edit(viewer):
    procedure = make_procedure()
    catalog = {
        "format": "sen.catalog/1",
        "fields": [],
        "procedures": [procedure_data(code="1.000894")],
    }

    response = viewer.post(IMPORT_URL, {"file": upload("x.json", json.dumps(catalog).encode())})
    edit = viewer.post(
        f"/admin/catalog/procedure/{procedure.pk}/edit/",
        {"content": json.dumps(procedure_data(name="Khác"))},
    )

    assert (response.status_code, edit.status_code) == (403, 403)
    assert list(Procedure.objects.values_list("code", "version")) == [("1.001193", 1)]


def test_viewers_see_procedures_read_only_and_can_export(viewer):
    procedure = make_procedure()

    change = viewer.get(f"/admin/catalog/procedure/{procedure.pk}/change/")
    listing = viewer.get("/admin/catalog/procedure/")

    assert change.status_code == 200
    assert 'name="name"' not in change.content.decode()
    assert "Sửa (tạo phiên bản mới)" not in change.content.decode()
    assert "Nhập danh mục" not in listing.content.decode()
    exported = viewer.get("/admin/catalog/procedure/export.json")
    assert json.loads(exported.content) == catalog_export()


def test_editing_the_current_version_as_json_saves_a_new_version(admin_client, refs):
    procedure = make_procedure()
    edit_url = f"/admin/catalog/procedure/{procedure.pk}/edit/"

    form = admin_client.get(edit_url)
    assert json.loads(form.context["form"].initial["content"]) == procedure_data()

    changed = procedure_data(fees=[{"kind": "fee", "amount": 10000, "description": ""}])
    response = admin_client.post(edit_url, {"content": json.dumps(changed)})

    new = Procedure.objects.get(is_current=True)
    assert new.version == 2
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_procedure_change", args=[new.pk])


def test_an_edit_with_problems_lists_them_and_makes_no_version(admin_client, refs):
    procedure = make_procedure()
    edit_url = f"/admin/catalog/procedure/{procedure.pk}/edit/"

    response = admin_client.post(
        edit_url, {"content": json.dumps(procedure_data(online_level="x", code="1.000894"))}
    )
    invalid = admin_client.post(edit_url, {"content": json.dumps(procedure_data(online_level="x"))})

    assert "Không được đổi mã thủ tục." in response.content.decode()
    assert "Mức độ trực tuyến phải là full, partial hoặc none." in invalid.content.decode()
    assert Procedure.objects.count() == 1


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_paste_too_large_to_read_is_answered_by_name_and_saves_nothing(
    admin_client, refs, encoding
):
    # Given a procedure, and 3 MB of JSON pasted into its editor (a whole catalog's export)
    procedure = make_procedure()
    audited = AuditEntry.objects.count()
    content = json.dumps(procedure_data(description="Hồ sơ " * 400_000), ensure_ascii=False)
    assert len(content.encode()) > 3_000_000
    edit_url = f"/admin/catalog/procedure/{procedure.pk}/edit/"

    # When it is sent as a browser sends the form
    if encoding == "urlencoded":
        body = urlencode({"content": content})
        response = admin_client.post(edit_url, body, content_type=FORM_URLENCODED)
    else:
        response = admin_client.post(edit_url, {"content": content})

    # Then the answer says the content is too large and what the limit is, not "bad request"
    assert response.status_code == 413
    page = text_of(response.content.decode())
    assert "Nội dung gửi lên quá lớn" in page
    assert "vượt quá 2,5 MB, mức tối đa cho một lần gửi" in page
    assert "không có gì được lưu" in page
    # and nothing was saved or recorded
    assert list(Procedure.objects.values_list("pk", "version", "is_current")) == [
        (procedure.pk, 1, True)
    ]
    assert AuditEntry.objects.count() == audited


def test_the_editor_sends_its_json_as_it_is_and_says_how_large_it_may_be(admin_client, refs):
    procedure = make_procedure()

    html = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/edit/").content.decode()

    # Multipart, so that a letter with a diacritic counts its 2 or 3 bytes, not 6 or 9
    assert '<form method="post" enctype="multipart/form-data" novalidate>' in html
    # 2.5 MB less room for the token and the button, checked in the browser before sending
    assert 'data-max-bytes="2620416"' in html
    assert "Nội dung quá lớn để lưu: tối đa 2,5\xa0MB cho một thủ tục." in html
    assert re.search(r'<script src="[^"]*catalog/editor[^"]*\.js" defer>', html)


def test_a_json_of_vietnamese_text_is_saved_up_to_the_limit_as_the_page_sends_it(
    admin_client, refs, settings
):
    # Given a site that reads 100 KB of a form's text, and 73 KB of JSON, mostly Vietnamese
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    procedure = make_procedure()
    content = json.dumps(procedure_data(description="Hồ sơ " * 8_000), ensure_ascii=False)
    assert 70_000 < len(content.encode()) < 80_000
    edit_url = f"/admin/catalog/procedure/{procedure.pk}/edit/"

    # When it is sent percent-encoded, and as the page sends it, multipart
    encoded = admin_client.post(
        edit_url, urlencode({"content": content}), content_type=FORM_URLENCODED
    )
    sent = admin_client.post(edit_url, {"content": content})

    # Then percent-encoded it was over the limit, and as the page sends it, it is saved
    assert (encoded.status_code, sent.status_code) == (413, 302)
    assert Procedure.objects.get(is_current=True).description.startswith("Hồ sơ Hồ sơ")


def test_a_json_over_the_editors_limit_comes_back_with_the_limit_and_saves_nothing(
    admin_client, refs, settings
):
    # Given a site that reads 100 KB of a form's text, and JSON just under that
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    procedure = make_procedure()
    audited = AuditEntry.objects.count()
    content = json_of_size(99_500)

    # When it is sent
    response = admin_client.post(
        f"/admin/catalog/procedure/{procedure.pk}/edit/", {"content": content}
    )

    # Then the editor comes back with the text and the limit, and nothing was saved
    assert response.status_code == 200
    assert response.context["form"].errors["content"] == [
        "Nội dung quá lớn để lưu: tối đa 96,7\xa0KB cho một thủ tục. Để nhập nhiều thủ tục một "
        "lúc, hãy dùng trang Nhập danh mục."
    ]
    assert response.context["form"]["content"].value() == content
    assert list(Procedure.objects.values_list("pk", "version", "is_current")) == [
        (procedure.pk, 1, True)
    ]
    assert AuditEntry.objects.count() == audited


def test_an_old_version_is_read_only_and_cannot_be_edited(admin_client, refs):
    old = make_procedure()
    make_procedure(name="Đăng ký khai sinh (mới)")

    page = admin_client.get(f"/admin/catalog/procedure/{old.pk}/change/").content.decode()
    edit = admin_client.get(f"/admin/catalog/procedure/{old.pk}/edit/")

    assert "chỉ để xem" in page
    assert "Sửa (tạo phiên bản mới)" not in page
    assert edit.status_code == 404


def test_versions_cannot_be_added_or_deleted_in_the_admin(admin_client, refs):
    procedure = make_procedure()

    add = admin_client.get("/admin/catalog/procedure/add/")
    delete = admin_client.post(f"/admin/catalog/procedure/{procedure.pk}/delete/", {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert Procedure.objects.count() == 1


def test_the_export_action_downloads_the_selected_procedures(admin_client, refs):
    birth = make_procedure()
    make_procedure(code="1.000894", name="Đăng ký kết hôn")

    response = admin_client.post(
        "/admin/catalog/procedure/",
        {"action": "export_json", "_selected_action": [birth.pk]},
    )

    assert response["Content-Disposition"] == 'attachment; filename="danh-muc-thu-tuc.json"'
    assert json.loads(response.content) == catalog_export(codes=["1.001193"])


def test_renaming_a_field_in_the_admin_renames_it_for_search_too(admin_client, refs):
    procedure = make_procedure()

    admin_client.post(
        f"/admin/catalog/field/{refs.civil_status.pk}/change/",
        {"name": "Hộ tịch, quốc tịch"},
    )

    assert Field.objects.get(code="ho-tich").name == "Hộ tịch, quốc tịch"
    procedure.refresh_from_db()
    assert procedure.search_text == " dang ki khai sinh 1.001193 ho tich quoc tich "


def test_a_field_is_added_in_the_admin_with_a_checked_code(admin_client, refs):
    bad = admin_client.post("/admin/catalog/field/add/", {"code": "thuế", "name": "Thuế"})
    good = admin_client.post("/admin/catalog/field/add/", {"code": "thue", "name": "Thuế"})

    assert bad.status_code == 200
    assert good.status_code == 302
    assert list(Field.objects.filter(code__startswith="thu").values_list("code", flat=True)) == [
        "thue"
    ]
