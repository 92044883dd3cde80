"""Desk intake /can-bo/tiep-nhan/: the one-stop officer enters a dossier for the applicant."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sen.catalog.tests.factories import FieldFactory, make_procedure
from sen.core.models import AgencyKind
from sen.core.tests.factories import AgencyFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import PDF, officer
from sen.portal.tests.html import text_of

pytestmark = pytest.mark.django_db

URL = "/can-bo/tiep-nhan/1.001193/"


def entry(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "idempotency_key": "a1b2c3",
        "agency": "000.00.01.H37",
        "channel": "desk",
        "applicant_name": "Phạm Minh Tuấn",
        "applicant_id_number": "037088000104",
        "applicant_phone": "0868000104",
        "applicant_email": "",
        "applicant_address": "Xã Gia Viễn, tỉnh Ninh Bình",
        "form__ho_ten": "Phạm Gia Bảo",
        "component_1": SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf"),
        "receive_now": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_desk_finds_the_procedures_its_agency_receives(client, people, procedure):
    client.force_login(people.desk)

    response = client.get("/can-bo/tiep-nhan/", {"q": "khai sinh"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{URL}"' in html


def test_the_desk_list_leaves_out_procedures_its_agency_does_not_receive(client, people, procedure):
    client.force_login(people.other_desk)

    response = client.get("/can-bo/tiep-nhan/", {"q": "khai sinh"})

    assert response.status_code == 200
    assert URL not in response.content.decode()


# The list of procedures a desk may enter, however many there are: session and user (2);
# the desk's agencies (1); the procedures one of them receives, best first (1); the menu's
# roles and reporting duty (2).
START_QUERIES = 6


def test_a_commune_desk_finds_every_commune_procedures_but_not_another_communes(
    client, django_assert_num_queries
):
    # Given a commune committee's desk, a procedure of every commune committee and one
    # named for another commune only
    commune = AgencyFactory(name="Ủy ban nhân dân xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE)
    other = AgencyFactory(name="Ủy ban nhân dân xã Gia Sinh", kind=AgencyKind.COMMUNE_COMMITTEE)
    FieldFactory(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.000001", name="Đăng ký kết hôn")
    named = [{"level": "commune", "agency": other.code}]
    make_procedure(code="1.000002", name="Đăng ký giám hộ", implementations=named)
    client.force_login(officer(commune, username="motcuaxa"))

    # When the desk lists what it may enter
    with django_assert_num_queries(START_QUERIES):
        response = client.get("/can-bo/tiep-nhan/")

    # Then it sees only the procedure its commune receives
    html = response.content.decode()
    assert 'href="/can-bo/tiep-nhan/1.000001/"' in html
    assert "1.000002" not in html


def test_the_desk_list_costs_the_same_queries_for_one_or_sixty_procedures_of_four_fields(
    client, django_assert_num_queries
):
    """Given a commune desk receiving one procedure, when 59 more come in four fields (of
    every commune, or named for this commune), and 10 named for another commune, then the
    list costs the same queries, shows the first 50 by name and says it stops there."""
    commune = AgencyFactory(name="Ủy ban nhân dân xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE)
    other = AgencyFactory(name="Ủy ban nhân dân xã Gia Sinh", kind=AgencyKind.COMMUNE_COMMITTEE)
    for number in range(4):
        FieldFactory(code=f"linh-vuc-{number}", name=f"Lĩnh vực {number}")
    make_procedure(code="1.000100", name="Thủ tục 100", field="linh-vuc-0")
    client.force_login(officer(commune, username="motcuaxa"))

    with django_assert_num_queries(START_QUERIES):
        alone = client.get("/can-bo/tiep-nhan/").content.decode()
    assert re.findall(r'href="/can-bo/tiep-nhan/([0-9.]+)/"', alone) == ["1.000100"]

    for number in range(101, 170):
        where = commune if number % 2 else None
        if number >= 160:
            where = other
        make_procedure(
            code=f"1.000{number}",
            name=f"Thủ tục {number}",
            field=f"linh-vuc-{number % 4}",
            implementations=[{"level": "commune", "agency": where.code if where else None}],
        )

    with django_assert_num_queries(START_QUERIES):
        html = client.get("/can-bo/tiep-nhan/").content.decode()

    listed = re.findall(r'href="/can-bo/tiep-nhan/([0-9.]+)/"', html)
    assert listed == [f"1.000{number}" for number in range(100, 150)]
    assert "Chỉ hiện 50 thủ tục đầu tiên" in html


def test_the_desk_lists_procedures_in_the_order_of_the_alphabet(client):
    # Given a commune desk receiving procedures whose names start with letters with marks
    commune = AgencyFactory(name="Ủy ban nhân dân xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE)
    FieldFactory(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.000001", name="Thực hiện trợ cấp xã hội hằng tháng")
    make_procedure(code="1.000002", name="Đăng ký khai sinh")
    make_procedure(code="1.000003", name="Chứng thực bản sao từ bản chính")
    make_procedure(code="1.000004", name="Cấp bản sao Trích lục hộ tịch")
    make_procedure(code="1.000005", name="Hỗ trợ chi phí mai táng")
    client.force_login(officer(commune, username="motcuaxa"))

    # When the desk lists what it may enter
    html = client.get("/can-bo/tiep-nhan/").content.decode()

    # Then "Cấp" comes before "Chứng", and "Đăng" among the D's, before "Hỗ" and "Thực"
    listed = re.findall(r'href="/can-bo/tiep-nhan/([0-9.]+)/"', html)
    assert listed == ["1.000004", "1.000003", "1.000002", "1.000005", "1.000001"]


def test_the_desk_of_a_commune_that_stopped_operating_enters_nothing(client):
    # Given a procedure of every commune committee and the desk of a commune since closed
    commune = AgencyFactory(name="Ủy ban nhân dân xã Cũ", kind=AgencyKind.COMMUNE_COMMITTEE)
    FieldFactory(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    client.force_login(officer(commune, username="motcuaxacu"))
    commune.is_active = False
    commune.save(update_fields=["is_active"])

    # When the desk looks for the procedure, opens its form and sends it
    listing = client.get("/can-bo/tiep-nhan/", {"q": "khai sinh"})
    form = client.get(URL)
    sent = client.post(URL, entry(agency=commune.code))

    # Then it is refused as an officer without a desk, and no dossier is made
    assert (listing.status_code, form.status_code, sent.status_code) == (403, 403, 403)
    assert "Chỉ cán bộ một cửa mới tiếp nhận hồ sơ" in listing.content.decode()
    assert not Dossier.objects.exists()


def test_an_officer_without_the_one_stop_role_may_not_enter_dossiers(client, people, procedure):
    client.force_login(people.leader)

    assert client.get("/can-bo/tiep-nhan/").status_code == 403
    assert client.post(URL, entry()).status_code == 403
    assert not Dossier.objects.exists()


def test_a_desk_of_an_agency_that_does_not_receive_the_procedure_gets_404(
    client, people, procedure
):
    client.force_login(people.other_desk)

    assert client.get(URL).status_code == 404
    assert client.post(URL, entry(agency=None)).status_code == 404
    assert not Dossier.objects.exists()


def test_a_commune_desk_cannot_enter_a_dossier_for_another_commune(client):
    # Given two communes receiving the same procedure, and the desk of the first
    commune = AgencyFactory(name="Ủy ban nhân dân xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE)
    other = AgencyFactory(name="Ủy ban nhân dân xã Gia Sinh", kind=AgencyKind.COMMUNE_COMMITTEE)
    FieldFactory(code="ho-tich", name="Hộ tịch")
    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    client.force_login(officer(commune, username="motcuaxa"))

    # When it posts a complete form with the other commune's code
    response = client.post(URL, entry(agency=other.code))

    # Then the agency alone is refused (a hidden field: the page asks to reload it), and no
    # dossier is made for either commune
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["agency", "__all__"]
    assert "hãy tải lại trang rồi gửi lại" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_form_asks_for_the_applicant_the_eform_and_each_component(client, people, procedure):
    client.force_login(people.desk)

    html = client.get(URL).content.decode()

    assert '<label for="id_form__ho_ten"><span lang="vi">Họ và tên' in html
    assert 'name="component_1"' in html and 'name="component_2"' in html
    assert 'for="id_applicant_id_number"' in html
    assert 'name="receive_now"' in html and "checked" in html
    assert 'enctype="multipart/form-data"' in html
    # The desk's only agency is not asked for: sent along, without a label or a box
    assert '<input type="hidden" name="agency" value="000.00.01.H37"' in html
    assert 'for="id_agency"' not in html


def test_the_desk_form_draws_nested_groups_and_keeps_their_values(client, people, procedure):
    # Given an e-form with an optional group (the mother) and a list of other papers
    procedure.form_schema = {
        "type": "object",
        "required": ["ho_ten"],
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ và tên", "propertyOrder": 1},
            "me": {
                "type": "object",
                "title": "Thông tin người mẹ",
                "required": ["ho_ten_me"],
                "propertyOrder": 2,
                "properties": {"ho_ten_me": {"type": "string", "title": "Họ và tên mẹ"}},
            },
            "khac": {
                "type": "array",
                "title": "Giấy tờ khác",
                "items": {"type": "string"},
                "propertyOrder": 3,
            },
        },
    }
    procedure.save(update_fields=["form_schema"])
    client.force_login(people.desk)

    # When the officer opens the form, then the group has its own legend
    html = client.get(URL).content.decode()
    assert '<legend lang="vi">Thông tin người mẹ</legend>' in html
    assert '<label for="id_form__me__ho_ten_me"><span lang="vi">Họ và tên mẹ' in html

    # When it is sent, then the values land in the group and the list
    client.post(
        URL, entry(form__me__ho_ten_me="Lê Thị Mẹ", form__khac="Sổ hộ khẩu\nGiấy chứng sinh")
    )
    assert Dossier.objects.get().form_data == {
        "ho_ten": "Phạm Gia Bảo",
        "me": {"ho_ten_me": "Lê Thị Mẹ"},
        "khac": ["Sổ hộ khẩu", "Giấy chứng sinh"],
    }


def test_the_desk_form_offers_office_documents_where_the_procedure_accepts_them(
    client, people, procedure
):
    procedure.accepts_office_documents = True
    procedure.save(update_fields=["accepts_office_documents"])
    client.force_login(people.desk)

    html = client.get(URL).content.decode()

    assert re.search(r'name="component_1"[^>]*accept="[^"]*\.docx', html) or re.search(
        r'accept="[^"]*\.docx[^"]*"[^>]*name="component_1"', html
    )
    assert "tài liệu Word, Excel, OpenDocument" in html


def test_entered_and_received_at_once_the_dossier_has_its_receipt(client, people, procedure, clock):
    client.force_login(people.desk)

    response = client.post(URL, entry())

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert (dossier.status, dossier.channel, dossier.applicant) == ("received", "desk", None)
    assert dossier.form_data == {"ho_ten": "Phạm Gia Bảo"}
    assert list(dossier.events.values_list("action", "actor__username")) == [
        ("submit", "motcua"),
        ("receive", "motcua"),
    ]
    page = client.get(response.headers["Location"]).content.decode()
    assert page.count(f"Đã nhập và tiếp nhận hồ sơ {dossier.code}.") == 1  # shown once
    assert "receipt.pdf" in page


def test_at_the_desk_a_paper_only_shown_is_checked_by_the_officer_not_scanned(
    client, people, procedure, clock
):
    # Given a procedure whose identity card is only shown (0 originals, 0 copies), required
    declaration = {"name": "Tờ khai", "originals": 1, "copies": 0, "required": True, "note": ""}
    shown = {"name": "Giấy tờ tùy thân (xuất trình)", "originals": 0, "copies": 0}
    make_procedure(
        code="1.000889",
        implementations=[{"level": "province", "agency": "000.00.01.H37"}],
        components=[declaration, {**shown, "required": True, "note": ""}],
    )
    client.force_login(people.desk)

    # When the desk enters the dossier with the declaration's scan only
    page = client.get("/can-bo/tiep-nhan/1.000889/").content.decode()
    response = client.post("/can-bo/tiep-nhan/1.000889/", entry())

    # Then the card's input is optional (the officer holds the card) and the dossier is in
    inputs = {name: tag for tag, name in re.findall(r'(<input[^>]*name="([^"]+)"[^>]*>)', page)}
    assert "required" in inputs["component_1"] and "required" not in inputs["component_2"]
    assert "Giấy tờ chỉ xuất trình, không phải tải lên." in page
    assert response.status_code == 302
    assert Dossier.objects.get(procedure__code="1.000889").status == "received"


def test_entered_and_received_at_once_the_applicant_gets_one_email_of_the_receipt(
    client, people, procedure, clock, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people.desk)

    # When the desk enters a walk-in's dossier with an email address and receives it at once
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, entry(applicant_email="tuan@example.vn"))

    # Then the applicant hears once, of the receipt and its appointment; not first that
    # the dossier waits for intake
    code = Dossier.objects.get().code
    assert [message.subject for message in mailoutbox] == [f"[Sen] Hồ sơ {code}: Đã tiếp nhận"]


def test_entered_by_post_without_receiving_it_waits_for_intake(
    client, people, procedure, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people.desk)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, entry(channel="post", receive_now=None, applicant_email="tuan@example.vn"))

    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel) == ("submitted", "post")
    # The applicant hears that it arrived and waits for intake
    assert [message.subject for message in mailoutbox] == [
        f"[Sen] Hồ sơ {dossier.code}: Chờ tiếp nhận"
    ]


def test_the_same_entry_sent_twice_makes_one_dossier(client, people, procedure):
    client.force_login(people.desk)

    client.post(URL, entry())
    again = client.post(URL, entry())

    assert Dossier.objects.count() == 1
    assert "đã được nhập trước đó" in client.get(again.headers["Location"]).content.decode()


def test_bad_entries_name_each_problem_and_create_nothing(client, people, procedure):
    client.force_login(people.desk)

    response = client.post(
        URL,
        entry(
            applicant_id_number="12345",
            component_1=SimpleUploadedFile("to-khai.pdf", b"not a pdf"),
        ),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số." in html
    assert "không phải PDF, JPEG hoặc PNG" in html
    assert "Hồ sơ chưa được nhập." in html
    # Each problem is listed at the top, linked to its input, and the page opens there
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html
    assert re.search(r'<a href="#[\w-]+">Số định danh cá nhân[^<]*: [^<]*12 chữ số', html)
    assert not Dossier.objects.exists()


def test_a_missing_required_field_of_the_eform_is_named(client, people, procedure):
    client.force_login(people.desk)

    response = client.post(URL, entry(form__ho_ten=""))

    html = response.content.decode()
    assert response.status_code == 400
    # Next to the field, which is marked, as on the portal's application page
    assert '<div class="field field--error">\n  <label for="id_form__ho_ten">' in html
    assert '<p class="error" id="id_form__ho_ten_error">Trường này là bắt buộc.</p>' in html
    assert not Dossier.objects.exists()


def test_a_bad_phone_is_named_with_the_other_problems_of_the_form(client, people, procedure):
    client.force_login(people.desk)

    response = client.post(URL, entry(form__ho_ten="", applicant_phone="12345"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in html
    assert "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0." in html
    assert not Dossier.objects.exists()


def test_a_file_of_the_wrong_kind_is_named_with_the_other_problems_of_the_form(
    client, people, procedure
):
    client.force_login(people.desk)

    response = client.post(
        URL,
        entry(form__ho_ten="", component_1=SimpleUploadedFile("to-khai.pdf", b"not a pdf")),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in html
    assert "Tệp “to-khai.pdf” không phải PDF, JPEG hoặc PNG." in html
    assert not Dossier.objects.exists()


def test_an_empty_file_is_named_and_creates_nothing(client, people, procedure):
    client.force_login(people.desk)

    response = client.post(URL, entry(component_1=SimpleUploadedFile("to-khai.pdf", b"")))

    assert response.status_code == 400
    assert "Tệp “to-khai.pdf” rỗng." in response.content.decode()
    assert not Dossier.objects.exists()


def test_an_entry_without_its_hidden_key_asks_to_reload_the_page(client, people, procedure):
    client.force_login(people.desk)

    response = client.post(URL, entry(idempotency_key=""))

    assert response.status_code == 400
    assert "Trang này đã cũ hoặc thiếu dữ liệu; hãy tải lại trang rồi gửi lại." in (
        response.content.decode()
    )
    assert not Dossier.objects.exists()


# --- The page's hidden key: one dossier per entry, whatever the officer clicks ------------------

KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f]{32})"')


def key_on(response: Any) -> str:
    """Return the idempotency key the page carries in its hidden field."""
    found = KEY.search(response.content.decode())
    assert found is not None, "the page has no idempotency key"
    return found[1]


@pytest.mark.parametrize(
    ("mistake", "named"),
    [
        # Refused by the page's form: the required paper is missing, the paper is not a
        # PDF by its content, the phone number has the wrong form
        ({"component_1": None}, "Trường này là bắt buộc."),
        (
            {"component_1": SimpleUploadedFile("to-khai.pdf", b"not a pdf")},
            "không phải PDF, JPEG hoặc PNG",
        ),
        ({"applicant_phone": "12345"}, "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."),
        # Refused by the submission service, after the page's form took it: the e-form's
        # minLength (which the page's fields do not check) is not met
        ({"form__ho_ten": "Bảo"}, "Cần ít nhất 5 ký tự."),
    ],
    ids=["missing-paper", "bad-file", "bad-phone", "refused-by-the-service"],
)
def test_an_entry_corrected_after_its_errors_makes_one_dossier(
    client, people, procedure, mistake, named
):
    # Given the desk's page, with the key it was drawn with
    procedure.form_schema["properties"]["ho_ten"]["minLength"] = 5
    procedure.save(update_fields=["form_schema"])
    client.force_login(people.desk)
    key = key_on(client.get(URL))

    # When the officer sends it with a mistake, then sends the corrected page again
    refused = client.post(URL, entry(idempotency_key=key, **mistake))
    corrected = client.post(URL, entry(idempotency_key=key_on(refused)))

    # Then the first is refused, with the page's key kept, and the second makes the dossier
    assert refused.status_code == 400
    assert named in refused.content.decode()
    assert key_on(refused) == key
    assert corrected.status_code == 302
    dossier = Dossier.objects.get()
    assert corrected.headers["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert dossier.status == "received"


def test_the_e_forms_rules_are_named_with_the_pages_own_in_one_round(client, people, procedure):
    # Given an e-form rule the page's fields do not check (minLength 5)
    procedure.form_schema["properties"]["ho_ten"]["minLength"] = 5
    procedure.save(update_fields=["form_schema"])
    client.force_login(people.desk)

    # When the officer's entry also fails a check of the page's own (the phone)
    response = client.post(URL, entry(form__ho_ten="Bảo", applicant_phone="12345"))

    # Then both are named at once, nothing is entered
    html = response.content.decode()
    assert response.status_code == 400
    assert "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0." in html
    assert '<p class="error" id="id_form__ho_ten_error">Cần ít nhất 5 ký tự.</p>' in html
    assert not Dossier.objects.exists()


def test_a_double_click_on_the_page_makes_one_dossier(client, people, procedure):
    client.force_login(people.desk)
    key = key_on(client.get(URL))

    first = client.post(URL, entry(idempotency_key=key))
    second = client.post(URL, entry(idempotency_key=key))

    dossier = Dossier.objects.get()
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert "đã được nhập trước đó" in client.get(second.headers["Location"]).content.decode()
    assert list(dossier.events.values_list("action", flat=True)) == ["submit", "receive"]


def test_a_page_sent_already_and_reused_for_another_applicant_makes_that_applicants_dossier(
    client, people, procedure
):
    """The officer enters a citizen, goes back to the page (the browser's back button keeps
    its key) and enters the next citizen on it. The key has made the first dossier: the
    second entry is not answered with it, nor refused for ever; the page says why it was
    not taken, keeps what was entered and carries a fresh key, and sent again it makes the
    second citizen's dossier."""
    client.force_login(people.desk)
    key = key_on(client.get(URL))
    first = client.post(URL, entry(idempotency_key=key))
    earlier = Dossier.objects.get()
    next_citizen = {
        "applicant_name": "Đỗ Thị Lan",
        "applicant_id_number": "037190005678",
        "applicant_phone": "0912000678",
        "form__ho_ten": "Đỗ Minh Khang",
    }

    # When the officer sends the next citizen with the page's old key
    stale = client.post(URL, entry(idempotency_key=key, **next_citizen))

    # Then nothing is entered, the page says why in Vietnamese, and keeps the entry
    html = stale.content.decode()
    assert first.status_code == 302
    assert stale.status_code == 400
    assert "Location" not in stale.headers
    assert "Trang này đã được dùng để nhập một hồ sơ khác" in html
    assert "Hồ sơ chưa được nhập." in html
    assert 'name="applicant_name" value="Đỗ Thị Lan"' in html
    assert 'value="Đỗ Minh Khang"' in html
    assert Dossier.objects.get() == earlier
    # And a fresh key: the page sent again makes the next citizen's dossier, once
    fresh = key_on(stale)
    assert fresh != key
    again = client.post(URL, entry(idempotency_key=fresh, **next_citizen))
    twice = client.post(URL, entry(idempotency_key=fresh, **next_citizen))
    assert again.status_code == 302
    second = Dossier.objects.exclude(pk=earlier.pk).get()
    assert again.headers["Location"] == twice.headers["Location"]
    assert again.headers["Location"] == f"/can-bo/ho-so/{second.code}/"
    assert (second.applicant_name, second.form_data) == ("Đỗ Thị Lan", {"ho_ten": "Đỗ Minh Khang"})
    unchanged = Dossier.objects.get(pk=earlier.pk)
    assert (unchanged.applicant_name, unchanged.revision) == ("Phạm Minh Tuấn", earlier.revision)


# --- Papers handed in: what the desk counts for the receipt (mẫu 01) ---------------------------


def test_the_form_asks_how_many_of_each_paper_with_what_the_catalog_asks_filled_in(
    client, people, procedure
):
    client.force_login(people.desk)

    html = client.get(URL).content.decode()

    inputs = {name: tag for tag, name in re.findall(r'(<input[^>]*name="([^"]+)"[^>]*>)', html)}
    # The declaration is required, one original: so filled in; the letter is optional: none
    assert 'value="1"' in inputs["paper_1_originals"]
    assert 'value="0"' in inputs["paper_1_certified_copies"]
    assert 'value="0"' in inputs["paper_2_originals"]
    assert 'type="number"' in inputs["paper_1_photocopies"]
    assert "checked" not in inputs["paper_1_original_shown"]
    assert 'Bản giấy đã nhận: <span lang="vi">Tờ khai đăng ký khai sinh</span>' in html


def test_the_desk_counts_the_papers_and_the_dossier_page_shows_them(
    client, people, procedure, submit, clock
):
    client.force_login(people.desk)
    online = submit()
    online = services.dossier_receive(dossier=online, actor=people.desk, expected_revision=1)

    response = client.post(
        URL,
        entry(
            paper_1_originals="1",
            paper_1_photocopies="2",
            paper_2_certified_copies="",
            paper_2_original_shown="on",
        ),
    )

    dossier = Dossier.objects.get(channel="desk")
    assert response.status_code == 302
    assert list(
        dossier.papers.values_list(
            "component__position", "originals", "certified_copies", "photocopies", "original_shown"
        )
    ) == [(1, 1, 0, 2, False), (2, 0, 0, 0, True)]
    # The page lists them, for one query more than the same page of a dossier sent online
    assert dossier.status == online.status
    with CaptureQueriesContext(connection) as desk_queries:
        page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    with CaptureQueriesContext(connection) as online_queries:
        online_page = client.get(f"/can-bo/ho-so/{online.code}/").content.decode()
    assert len(desk_queries) == len(online_queries) + 1
    rows = [text_of(row) for row in re.findall(r"<tr>.*?</tr>", page, re.S)]
    assert "Tờ khai đăng ký khai sinh 1 0 2 —" in rows
    assert "Văn bản ủy quyền 0 0 0 Đã xem, đã trả lại" in rows
    assert "Giấy tờ nhận bản giấy" not in online_page


def test_a_count_out_of_range_is_named_and_nothing_is_entered(client, people, procedure):
    client.force_login(people.desk)

    response = client.post(
        URL, entry(paper_1_originals="100", paper_2_photocopies="-1", paper_2_originals="một")
    )

    html = response.content.decode()
    errors = dict(re.findall(r'<p class="error" id="id_(paper_\w+)_error">(.*?)</p>', html))
    assert response.status_code == 400
    assert errors == {
        "paper_1_originals": "Số bản phải từ 0 đến 99.",
        "paper_2_originals": "Hãy ghi số bản bằng chữ số.",
        "paper_2_photocopies": "Số bản phải từ 0 đến 99.",
    }
    # and the summary at the top says of which paper each count is, in the catalog's words
    summary = re.findall(r'<a href="#id_paper_\w+">(.*?):', html)
    papers = [f'<span lang="vi">{c.name}</span>' for c in procedure.components.order_by("position")]
    assert summary == [
        f"Bản chính – {papers[0]}",
        f"Bản chính – {papers[1]}",
        f"Bản chụp – {papers[1]}",
    ]
    assert not Dossier.objects.exists()


def test_by_post_the_ticks_of_originals_shown_are_not_taken(client, people, procedure):
    # Given the desk's form, which ticks the papers the catalog asks to be shown
    client.force_login(people.desk)

    # When the officer enters a dossier that came by post with a tick left as it was
    response = client.post(URL, entry(channel="post", paper_2_original_shown="on"))

    # Then it is entered, and no original counts as shown
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.channel == "post"
    assert not dossier.papers.filter(original_shown=True).exists()


def test_the_desk_registers_how_a_walk_in_receives_the_result(client, people, procedure):
    client.force_login(people.desk)

    # At the desk or by post: without an account, no electronic result
    form = client.get(URL).content.decode()
    assert re.findall(r'name="result_delivery" value="([^"]+)"', form) == ["desk", "post"]
    response = client.post(URL, entry(result_delivery="post"))

    assert response.status_code == 302
    assert Dossier.objects.get().result_delivery == "post"


def test_a_dossier_sent_by_post_gets_its_result_by_post_unless_the_desk_chooses(
    client, people, procedure
):
    client.force_login(people.desk)

    # Given the form, with no way to receive the result chosen beforehand
    form = client.get(URL).content.decode()
    assert re.findall(r'<input type="radio" name="result_delivery"[^>]*checked', form) == []

    # When the officer enters a dossier that came by post, leaving it unchosen
    response = client.post(URL, entry(channel="post"))

    # Then its result goes back by post, as it came
    assert response.status_code == 302
    assert Dossier.objects.get().result_delivery == "post"


@pytest.mark.parametrize("way", ["electronic", "fax"])
def test_a_way_to_receive_the_result_the_desk_does_not_offer_is_refused(
    client, people, procedure, way
):
    # An applicant without an account gets no electronic result; "fax" is no way at all
    client.force_login(people.desk)

    response = client.post(URL, entry(result_delivery=way))

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<p class="error" id="id_result_delivery_error">[^<]+</p>', html)
    assert '<a href="#id_result_delivery_0">Nhận kết quả: ' in html
    assert not Dossier.objects.exists()
