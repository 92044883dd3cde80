"""Applying online: the e-form drawn from its JSON Schema, files per component, errors named
next to their field, one dossier however many times the form is sent."""

import json
import re
from html import unescape
from html import unescape as html_unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.catalog.models import Procedure
from sen.catalog.tests.factories import make_procedure
from sen.catalog.tests.samples import docx, odf
from sen.core.models import AgencyKind
from sen.core.tests.factories import AgencyFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier, DossierFile
from sen.dossiers.tests.factories import PDF, PNG
from sen.dossiers.tests.state import stored_names
from sen.portal.tests.html import text_of
from sen.portal.tests.one_stop import APPLICANT_DETAILS, EFORM, FORM_DATA
from sen.tests.clock import at
from sen.tests.storage import FULL_DISK

pytestmark = pytest.mark.django_db

URL = "/thu-tuc/1.001193/nop-ho-so/"
KEY = "2b7f0c1e-5d4a-4f7e-9a51-0c6a8e2d9f10"


def valid_post(**changes):
    """Return a complete application as the browser would send it."""
    data = {
        "idempotency_key": KEY,
        "applicant-name": "Trần Thị Bình",
        "applicant-id_number": "037190001234",
        "applicant-phone": "0912345678",
        "applicant-email": "binh@example.vn",
        "applicant-address": "Số 5 đường Lê Lợi",
        "form__ho_ten": "Trần Văn Con",
        "form__gioi_tinh": "Nam",
        "form__ngay_sinh": "2026-11-10",
        "form__so_cccd_me": "037190001234",
        "form__so_ban_sao": "2",
        "form__can_nang_kg": "3,2",
        "form__email_lien_he": "",
        "form__nhan_ban_dien_tu": "on",
        "form__me__ho_ten_me": "Trần Thị Bình",
        "component_1": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_e_form_is_drawn_with_the_constraints_the_browser_checks(client, one_stop):
    client.force_login(one_stop.applicant)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    inputs = {
        name: tag
        for tag, name in re.findall(r'(<(?:input|select|textarea)[^>]*name="([^"]+)"[^>]*>)', html)
    }
    assert "required" in inputs["form__ho_ten"]
    # no maxlength, which cuts a longer text pasted in without a word: the page says it
    assert "maxlength" not in inputs["form__ho_ten"]
    assert 'type="date"' in inputs["form__ngay_sinh"]
    # 12 digits, which the box takes in groups as the applicant's own number
    pattern = re.search(r'pattern="([^"]+)"', inputs["form__so_cccd_me"]).group(1)
    for typed, fits in (("037190001234", True), ("037 190 001 234", True), ("0371900012", False)):
        assert (re.fullmatch(html_unescape(pattern), typed) is not None) is fits, typed
    assert 'title="Gồm đúng 12 chữ số."' in inputs["form__so_cccd_me"]
    assert 'inputmode="numeric"' in inputs["form__so_cccd_me"]
    # whole numbers too are typed in a text box, which keeps "1.000" a thousand
    assert 'type="text"' in inputs["form__so_ban_sao"]
    assert 'inputmode="numeric"' in inputs["form__so_ban_sao"]
    assert 'value="1"' in inputs["form__so_ban_sao"]  # the schema's default
    # a decimal in a text box, which keeps the comma (a number box drops it), with number keys
    assert 'type="text"' in inputs["form__can_nang_kg"]
    assert 'inputmode="decimal"' in inputs["form__can_nang_kg"]
    assert 'type="email"' in inputs["form__email_lien_he"]
    assert "required" not in inputs["form__email_lien_he"]
    assert 'type="checkbox"' in inputs["form__nhan_ban_dien_tu"]
    assert "<select" in inputs["form__gioi_tinh"] and "required" in inputs["form__gioi_tinh"]
    assert '<option value="Nữ" lang="vi">Nữ</option>' in html  # the catalog's words
    # a nested object is a group of its own
    assert '<legend lang="vi">Thông tin người mẹ</legend>' in html
    # one file input per component, required where the component is
    assert (
        'accept=".pdf,.jpg,.png,.jpeg,application/pdf,image/jpeg,image/png"'
        in inputs["component_1"]
    )
    assert "multiple" in inputs["component_1"] and "required" in inputs["component_1"]
    assert "required" not in inputs["component_2"]
    assert '<label for="id_component_1"><span lang="vi">Tờ khai đăng ký khai sinh' in html
    # the applicant prefilled from the account; a fresh idempotency key
    assert 'value="Trần Thị Bình"' in inputs["applicant-name"]
    assert 'value="binh@example.vn"' in inputs["applicant-email"]
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)
    assert 'enctype="multipart/form-data"' in html


def test_numbers_typed_in_groups_are_kept_as_their_digits(client, one_stop):
    # As printed on the card and as people say a phone number
    client.force_login(one_stop.applicant)

    response = client.post(
        "/thu-tuc/1.001193/nop-ho-so/",
        valid_post(**{"applicant-id_number": "037 190 001 234", "applicant-phone": "0912.345-678"}),
    )

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_number, dossier.applicant_phone) == ("037190001234", "0912345678")


def test_an_e_form_number_typed_in_groups_is_kept_as_its_digits(client, one_stop):
    # The mother's identity number in the e-form, as on her card
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(form__so_cccd_me="037.190 001-234"))

    assert response.status_code == 302
    assert Dossier.objects.get().form_data["so_cccd_me"] == "037190001234"


def test_an_e_form_number_in_groups_of_too_few_digits_is_refused_for_its_length(client, one_stop):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(form__so_cccd_me="037 190 001 23"))

    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_form__so_cccd_me_error">([^<]*)<', html)
    assert error is not None and error.group(1) == "Gồm đúng 12 chữ số."
    # and the box keeps what was typed, to be put right
    assert 'value="037 190 001 23"' in html
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["037 190 001 2345", "037.190.00A.234", "037 190 001 23", "+84 37 190 001 234"],
)
def test_a_number_in_groups_that_is_not_twelve_digits_is_still_refused(client, one_stop, typed):
    client.force_login(one_stop.applicant)

    response = client.post(
        "/thu-tuc/1.001193/nop-ho-so/", valid_post(**{"applicant-id_number": typed})
    )

    assert response.status_code == 400
    error = re.search(r'id="id_applicant-id_number_error">([^<]*)<', response.content.decode())
    assert error is not None and "12" in error.group(1)
    assert not Dossier.objects.exists()


def test_a_full_disk_gives_the_form_back_as_typed_to_send_again_later(client, one_stop, settings):
    settings.STORAGES = {**settings.STORAGES, "default": FULL_DISK}
    client.force_login(one_stop.applicant)

    response = client.post("/thu-tuc/1.001193/nop-ho-so/", valid_post())

    assert response.status_code == 503
    html = response.content.decode()
    assert "Máy chủ chưa lưu được tệp (kho lưu trữ đang gặp sự cố)" in html
    assert 'value="Trần Văn Con"' in html  # what the citizen typed is still there
    assert f'value="{KEY}"' in html  # and the page sends the same application again
    assert not Dossier.objects.exists()
    assert stored_names() == []


def test_a_citizen_applies_and_lands_on_their_new_dossier(client, one_stop):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post())

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert (dossier.applicant, dossier.channel, dossier.agency) == (
        one_stop.applicant,
        "online",
        one_stop.centre,
    )
    assert dossier.applicant_id_number == "037190001234"
    assert dossier.form_data == {
        "ho_ten": "Trần Văn Con",
        "gioi_tinh": "Nam",
        "ngay_sinh": "2026-11-10",
        "so_cccd_me": "037190001234",
        "so_ban_sao": 2,
        "can_nang_kg": 3.2,
        "nhan_ban_dien_tu": True,
        "me": {"ho_ten_me": "Trần Thị Bình"},
    }
    assert list(DossierFile.objects.values_list("original_name", "component__position")) == [
        ("to-khai.pdf", 1)
    ]
    page = client.get(response.headers["Location"]).content.decode()
    assert f"Đã nộp hồ sơ {dossier.code}." in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("3,25", 3.25), (" 4 ", 4), ("1.500", 1500), ("1 500", 1500), ("1.250,5", 1250.5)],
)
def test_a_decimal_is_taken_with_the_vietnamese_comma_and_thousands_grouped(
    client, one_stop, typed, stored
):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(**{"form__can_nang_kg": typed}))

    assert response.status_code == 302
    assert Dossier.objects.get().form_data["can_nang_kg"] == stored


@pytest.mark.parametrize("typed", ["3.25", "1.5", "1.50", "3,2,1", "ba", "-1"])
def test_a_decimal_that_is_not_one_or_out_of_range_is_refused_and_kept(client, one_stop, typed):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(**{"form__can_nang_kg": typed}))

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'<a href="#id_form__can_nang_kg"><span lang="vi">Cân nặng khi sinh \(kg\)</span>: ', html
    )
    assert f'name="form__can_nang_kg" value="{typed}"' in html
    assert not Dossier.objects.exists()


def test_a_thousand_copies_written_the_vietnamese_way_are_not_taken_for_one(client, one_stop):
    """The form allows 1 to 20 copies: 1.000 is a thousand, refused, never one copy."""
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(**{"form__so_ban_sao": "1.000"}))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Phải nhỏ hơn hoặc bằng 20." in html
    assert 'name="form__so_ban_sao" value="1.000"' in html
    assert not Dossier.objects.exists()


def test_the_same_form_sent_twice_makes_one_dossier(client, one_stop):
    client.force_login(one_stop.applicant)

    first = client.post(URL, valid_post())
    second = client.post(URL, valid_post())

    assert Dossier.objects.count() == 1
    assert first.headers["Location"] == second.headers["Location"]
    page = client.get(second.headers["Location"]).content.decode()
    assert "đã được nộp trước đó; không có hồ sơ mới nào được tạo." in page


def test_the_form_brought_back_after_sending_names_the_dossier_already_sent(
    client, one_stop, clock
):
    # The browser's Back button brings the form back filled in, with a new page key: the
    # page says a dossier was just sent, so that a second click is a choice.
    client.force_login(one_stop.applicant)
    assert "Bạn đã nộp hồ sơ" not in client.get(URL).content.decode()
    sent = client.post(URL, valid_post())
    code = sent.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    again = text_of(client.get(URL).content.decode())

    assert (
        f"Bạn đã nộp hồ sơ {code} cho thủ tục này lúc 09:00 20/11/2026. Nếu đó là hồ sơ bạn "
        "định nộp, không cần nộp lại: nộp tiếp sẽ tạo một hồ sơ mới."
    ) in again
    # A day later the form is a fresh application again.
    clock(at(21, 9, 1))
    client.force_login(one_stop.applicant)
    assert "Bạn đã nộp hồ sơ" not in client.get(URL).content.decode()


def test_the_same_page_sent_again_with_other_content_is_not_taken_for_the_first(client, one_stop):
    client.force_login(one_stop.applicant)
    client.post(URL, valid_post())

    response = client.post(URL, valid_post(**{"form__ho_ten": "Trần Văn Khác"}))

    assert response.status_code == 400
    assert "Trang này đã được dùng để nộp một hồ sơ khác." in response.content.decode()
    assert f'value="{KEY}"' not in response.content.decode()  # a new key for the next try
    assert Dossier.objects.count() == 1


def test_every_failing_field_and_file_is_named_next_to_it_and_what_was_typed_stays(
    client, one_stop
):
    client.force_login(one_stop.applicant)

    response = client.post(
        URL,
        valid_post(
            **{
                "applicant-id_number": "12345",
                "applicant-email": "huong@example",
                "form__ho_ten": "",
                "form__so_cccd_me": "03719000123X",
                "form__so_ban_sao": "50",
                "form__ngay_sinh": "10/11/2026",
                "component_1": SimpleUploadedFile("to-khai.docx", b"PK\x03\x04 not a pdf"),
                "component_2": SimpleUploadedFile("uy-quyen.png", PNG, "image/png"),
            }
        ),
    )

    assert response.status_code == 400
    html = response.content.decode()

    def error_of(field_id: str) -> str:
        found = re.search(rf'<p class="error" id="{field_id}_error">([^<]*)</p>', html)
        assert found is not None, field_id
        return found.group(1)

    assert "12 chữ số" in error_of("id_applicant-id_number")
    assert error_of("id_applicant-email") == "Địa chỉ thư điện tử không hợp lệ."
    # A value off the pattern is explained by the browser's own bubble too
    assert (
        r'pattern="(?:[0-9][\s.\-]?){11}[0-9]" inputmode="numeric" autocomplete="off" '
        'title="Gồm đúng 12'
    ) in html
    assert error_of("id_form__ho_ten") == "Trường này là bắt buộc."
    # An identity number says what it wants, in its error and beside the field (a tooltip
    # does not show on a phone)
    assert error_of("id_form__so_cccd_me") == "Gồm đúng 12 chữ số."
    assert re.search(r'id="id_form__so_cccd_me_helptext"[^>]*>Gồm đúng 12 chữ số\.<', html)
    assert "20" in error_of("id_form__so_ban_sao")
    assert error_of("id_form__ngay_sinh")
    assert "không phải PDF, JPEG hoặc PNG" in error_of("id_component_1")
    assert 'aria-invalid="true"' in html
    # the summary links to each field
    assert '<a href="#id_form__so_cccd_me">' in html
    # what was typed is kept; files must be chosen again, and the page says so
    assert 'value="03719000123X"' in html
    assert 'value="Trần Thị Bình"' in html
    assert "hãy chọn lại các tệp trước khi gửi" in html
    # each file input names what was chosen in it, the file that was fine too
    assert re.search(
        r'id="id_component_2_chosen">Đã chọn “uy-quyen.png”: trình duyệt không giữ lại tệp',
        html,
    )
    assert 'id="id_component_1_chosen">Đã chọn “to-khai.docx”' in html
    # and nothing was written
    assert Dossier.objects.count() == 0
    assert stored_names() == []


def test_a_file_name_shown_back_on_the_page_is_escaped(client, one_stop):
    client.force_login(one_stop.applicant)
    sent = SimpleUploadedFile("<i>giay.pdf", PDF, "application/pdf")

    response = client.post(URL, valid_post(**{"form__ho_ten": "", "component_1": sent}))

    html = response.content.decode()
    assert "Đã chọn “&lt;i&gt;giay.pdf”" in html
    assert "<i>giay" not in html


def test_a_nul_character_in_the_applicant_or_the_e_form_is_refused_in_vietnamese(client, one_stop):
    """Django's own message for it has no Vietnamese; the page uses the API's words."""
    client.force_login(one_stop.applicant)

    response = client.post(
        URL, valid_post(**{"applicant-address": "Số 5\x00", "form__ho_ten": "Trần\x00 Con"})
    )

    assert response.status_code == 400
    html = response.content.decode()
    for field_id in ("id_applicant-address", "id_form__ho_ten"):
        assert (
            f'<p class="error" id="{field_id}_error">'
            "Dữ liệu gửi lên có ký tự rỗng (NUL), không lưu được.</p>"
        ) in html
    assert "Null characters" not in html
    assert Dossier.objects.count() == 0


def test_a_procedure_that_accepts_office_documents_takes_a_word_file(client, one_stop):
    # Given a procedure whose components may be Word, Excel or OpenDocument files
    Procedure.objects.filter(pk=one_stop.procedure.pk).update(accepts_office_documents=True)
    client.force_login(one_stop.applicant)

    # When the page is shown, then the file picker offers them and the hint names them
    html = client.get(URL).content.decode()
    assert re.search(r'name="component_1"[^>]*accept="[^"]*\.docx[^"]*\.odt', html)
    assert "tài liệu Word, Excel, OpenDocument" in html

    # When a Word file and an OpenDocument text are attached
    response = client.post(
        URL,
        valid_post(
            component_1=SimpleUploadedFile("to-khai.docx", docx()),
            component_2=SimpleUploadedFile("uy-quyen.odt", odf("text")),
        ),
    )

    # Then the dossier is created with both
    assert response.status_code == 302, response.content.decode()
    assert sorted(DossierFile.objects.values_list("original_name", flat=True)) == [
        "to-khai.docx",
        "uy-quyen.odt",
    ]


def test_a_procedure_that_accepts_office_documents_still_refuses_anything_else(client, one_stop):
    Procedure.objects.filter(pk=one_stop.procedure.pk).update(accepts_office_documents=True)
    client.force_login(one_stop.applicant)

    response = client.post(
        URL, valid_post(component_1=SimpleUploadedFile("to-khai.docx", b"PK\x03\x04 broken"))
    )

    assert response.status_code == 400
    assert "không phải PDF, JPEG, PNG hay tài liệu Word, Excel" in response.content.decode()
    assert Dossier.objects.count() == 0
    assert stored_names() == []


def test_a_procedure_without_office_documents_refuses_a_word_file_before_submitting(
    client, one_stop
):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(component_1=SimpleUploadedFile("a.docx", docx())))

    assert response.status_code == 400
    assert "không phải PDF, JPEG hoặc PNG" in response.content.decode()
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "office_documents"),
    [
        ("anh.gif", b"GIF89a....", False),
        ("rong.pdf", b"", False),
        ("to-khai.docx", docx(), False),
        ("to-khai.docx", b"PK\x03\x04 broken", True),
        ("lon.pdf", b"%PDF-" + bytes(services.MAX_FILE_BYTES), False),
    ],
    ids=["not-a-scan", "empty", "office-not-accepted", "broken-office", "over-10-mb"],
)
def test_a_bad_file_is_named_on_the_page_in_the_apis_words(
    client, one_stop, name, content, office_documents
):
    # Given a procedure, with or without Office documents, and a citizen with a bad file
    Procedure.objects.filter(pk=one_stop.procedure.pk).update(
        accepts_office_documents=office_documents
    )
    client.force_login(one_stop.applicant)

    # When the file is sent through the API and through the apply page
    api = client.post(
        "/api/v1/dossiers",
        {
            "payload": json.dumps(
                {"procedure": "1.001193", "applicant": APPLICANT_DETAILS, "form": FORM_DATA}
            ),
            "component_1": SimpleUploadedFile(name, content),
        },
    )
    page = client.post(URL, valid_post(component_1=SimpleUploadedFile(name, content)))

    # Then the page says next to the file input what the API says of the file
    assert api.status_code == page.status_code == 400
    said = [item["message"] for item in api.json()["error"]["details"]]
    shown = re.search(r'<p class="error" id="id_component_1_error">([^<]*)</p>', page.text)
    assert shown is not None
    assert unescape(shown[1]) == said[0]
    assert Dossier.objects.count() == 0


def test_a_rule_only_the_service_checks_is_named_next_to_its_field_too(client, one_stop):
    # Given an e-form rule the page does not draw (minLength 2)
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(**{"form__ho_ten": "A"}))

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<p class="error" id="id_form__ho_ten_error">Cần ít nhất 2 ký tự.</p>', html)
    assert Dossier.objects.count() == 0
    assert stored_names() == []


def test_the_schemas_rules_are_named_in_the_same_round_as_the_pages_own(client, one_stop):
    """A citizen who corrects the number the page refused does not then meet the name's."""
    client.force_login(one_stop.applicant)

    # When the page's own check (a number) and the schema's (minLength 2) both fail
    response = client.post(URL, valid_post(**{"form__ho_ten": "A", "form__can_nang_kg": "1.5"}))

    # Then both fields are named at once
    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="error" id="id_form__ho_ten_error">Cần ít nhất 2 ký tự.</p>' in html
    assert (
        '<p class="error" id="id_form__can_nang_kg_error">Nhập số, dùng dấu phẩy cho phần '
        "thập phân, ví dụ 1.250,5.</p>"
    ) in html
    assert Dossier.objects.count() == 0


def test_a_text_over_its_length_is_refused_with_a_message_and_kept_whole(client, one_stop):
    """A browser's maxlength cut 300 characters pasted in to 254, mid-phrase, silently."""
    client.force_login(one_stop.applicant)
    pasted = "Trần Văn " + "A" * 100

    response = client.post(URL, valid_post(**{"form__ho_ten": pasted}))

    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="error" id="id_form__ho_ten_error">Dài quá 100 ký tự.</p>' in html
    assert f'name="form__ho_ten" value="{pasted}"' in html
    assert Dossier.objects.count() == 0


def test_a_minimum_length_is_drawn_for_the_browser(client, one_stop):
    client.force_login(one_stop.applicant)

    html = client.get(URL).content.decode()

    assert re.search(r'<input type="text" name="form__ho_ten"[^>]* minlength="2"', html)


def test_a_missing_required_file_is_named_next_to_its_input(client, one_stop):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(component_1=None))

    assert response.status_code == 400
    assert '<p class="error" id="id_component_1_error">Trường này là bắt buộc.</p>' in (
        response.content.decode()
    )
    assert Dossier.objects.count() == 0


# Papers as the demo catalog lists birth registration's: the declaration handed in, the
# declarant's identity card only shown (0 originals, 0 copies), yet required.
DECLARATION = {"name": "Tờ khai", "originals": 1, "copies": 0, "required": True, "note": ""}
IDENTITY_SHOWN = {
    "name": "Giấy tờ tùy thân của người đi đăng ký (xuất trình)",
    "originals": 0,
    "copies": 0,
    "required": True,
    "note": "Xuất trình thẻ Căn cước hoặc hộ chiếu.",
}


def test_a_paper_only_shown_is_no_required_upload_online(client, one_stop):
    # Given a procedure with a required paper to hand in and a required paper only shown
    centre = [{"level": "province", "agency": one_stop.centre.code}]
    make_procedure(
        code="1.000889",
        implementations=centre,
        processing_days="1",
        form_schema=EFORM,
        components=[DECLARATION, IDENTITY_SHOWN],
    )
    client.force_login(one_stop.applicant)
    url = "/thu-tuc/1.000889/nop-ho-so/"

    # When the citizen opens the form and sends the declaration only
    page = client.get(url).content.decode()
    sent = client.post(url, valid_post())

    # Then the shown paper's input is optional and says why, and the dossier is taken
    inputs = {name: tag for tag, name in re.findall(r'(<input[^>]*name="([^"]+)"[^>]*>)', page)}
    assert "required" in inputs["component_1"] and "required" not in inputs["component_2"]
    assert "Giấy tờ chỉ xuất trình, không phải tải lên. Xuất trình thẻ Căn cước" in text_of(page)
    assert sent.status_code == 302
    assert list(DossierFile.objects.values_list("original_name", "component__position")) == [
        ("to-khai.pdf", 1)
    ]
    # and the paper handed in is still required
    client.post(url, valid_post(idempotency_key="khac", component_1=None))
    assert Dossier.objects.count() == 1


def test_the_citizen_chooses_the_commune_where_every_commune_takes_the_procedure(client, one_stop):
    # Given a procedure every commune committee implements
    commune = AgencyFactory(
        code="000.20.03.H37", name="UBND xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE
    )
    AgencyFactory(
        code="000.20.04.H37", name="UBND xã Cũ", kind=AgencyKind.COMMUNE_COMMITTEE, is_active=False
    )
    make_procedure(code="2.000635", name="Cấp bản sao trích lục hộ tịch", processing_days="1")
    client.force_login(one_stop.applicant)

    page = client.get("/thu-tuc/2.000635/nop-ho-so/").content.decode()
    unchosen = client.post("/thu-tuc/2.000635/nop-ho-so/", valid_post())
    chosen = client.post("/thu-tuc/2.000635/nop-ho-so/", valid_post(agency=commune.code))

    assert '<option value="000.20.03.H37" lang="vi">UBND xã Gia Viễn</option>' in page
    assert "UBND xã Cũ" not in page  # an inactive commune is not offered
    assert unchosen.status_code == 400
    assert '<p class="error" id="id_agency_error">Trường này là bắt buộc.</p>' in (
        unchosen.content.decode()
    )
    assert chosen.status_code == 302
    assert Dossier.objects.get().agency == commune


def test_when_one_of_two_named_agencies_has_closed_the_dossier_goes_to_the_other(client, one_stop):
    # Given a procedure naming the centre and a department that has since closed
    closed = AgencyFactory(code="000.00.12.H37", name="Sở Tư pháp")
    named = [{"level": "province", "agency": a.code} for a in (one_stop.centre, closed)]
    make_procedure(code="1.000777", implementations=named, processing_days="1", form_schema=EFORM)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    client.force_login(one_stop.applicant)

    # When the citizen applies, with no agency left to choose
    page = client.get("/thu-tuc/1.000777/nop-ho-so/").content.decode()
    sent = client.post("/thu-tuc/1.000777/nop-ho-so/", valid_post())

    # Then the closed one is not offered and the open one receives the dossier
    assert 'name="agency"' not in page and "Sở Tư pháp" not in page
    assert sent.status_code == 302
    assert Dossier.objects.get().agency == one_stop.centre


def test_a_procedure_without_online_submission_says_where_to_apply(client, one_stop):
    make_procedure(code="2.000346", name="Tặng Giấy khen", online_level="none", processing_days="1")
    client.force_login(one_stop.applicant)

    page = client.get("/thu-tuc/2.000346/nop-ho-so/")
    sent = client.post("/thu-tuc/2.000346/nop-ho-so/", valid_post())

    assert page.status_code == 200
    assert "Thủ tục này chưa nhận hồ sơ trực tuyến." in text_of(page.content.decode())
    assert sent.status_code == 200
    assert Dossier.objects.count() == 0


def test_an_unknown_procedure_answers_404(client, one_stop):
    client.force_login(one_stop.applicant)

    response = client.get("/thu-tuc/9.999999/nop-ho-so/")

    assert response.status_code == 404
    assert "Không tìm thấy thủ tục có mã 9.999999." in response.content.decode()


def test_the_citizen_chooses_to_receive_the_result_by_post(client, one_stop):
    client.force_login(one_stop.applicant)

    # Without an address, the service's problem lands at the address field
    no_address = client.post(
        URL, valid_post(**{"applicant-address": "", "result_delivery": "post"})
    )
    sent = client.post(URL, valid_post(result_delivery="post"))

    assert no_address.status_code == 400
    html = no_address.content.decode()
    found = re.search(r'<p class="error" id="id_applicant-address_error">([^<]*)</p>', html)
    assert found is not None
    assert found.group(1) == "Hãy ghi địa chỉ để nhận kết quả qua bưu chính."
    assert sent.status_code == 302
    assert Dossier.objects.get().result_delivery == "post"


def test_a_way_to_receive_the_result_the_page_does_not_offer_is_refused(client, one_stop):
    client.force_login(one_stop.applicant)

    response = client.post(URL, valid_post(result_delivery="fax"))

    assert response.status_code == 400
    assert 'id="id_result_delivery_error"' in response.content.decode()
    assert Dossier.objects.count() == 0
