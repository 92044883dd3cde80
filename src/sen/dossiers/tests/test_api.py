"""The dossiers' HTTP API: online submission and public tracking."""

import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sen.api import api
from sen.catalog.tests.factories import FieldFactory, make_procedure
from sen.core.models import AgencyKind
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.models import DailySequence, Dossier, DossierEvent, DossierFile
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.factories import APPLICANT, FORM, PDF, birth_procedure, officer, payload
from sen.dossiers.tests.pdf import pdf_text
from sen.dossiers.tests.state import stored_names
from sen.tests.storage import FULL_DISK

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers"
CODE = "000.00.01.H37-261120-0001"
SUBMITTED = {
    "code": CODE,
    "status": "submitted",
    "national_status": 1,
    "national_channel": 2,
    "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "version": 1},
    "agency": {"code": "000.00.01.H37", "name": "Trung tâm Phục vụ hành chính công tỉnh"},
    "submitted_at": "2026-11-20T09:00:00+07:00",
    # on SEN_PUBLIC_URL, not the host the request came through
    "tracking_url": f"http://127.0.0.1:8000/api/v1/tracking/{CODE}",
}


def pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/octet-stream")


@pytest.fixture
def signed_in(client: Client, applicant, procedure, frozen_now) -> Client:
    client.force_login(applicant)
    return client


def documented_statuses() -> set[int]:
    """Return the statuses the API's document lists for the submission."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    return {int(status) for status in document["paths"][URL]["post"]["responses"]}


def assert_nothing_created():
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert not DailySequence.objects.exists()
    assert stored_names() == []


def test_a_signed_in_citizen_submits_a_dossier_and_gets_its_code(signed_in):
    response = signed_in.post(URL, {"payload": payload(), "component_1": pdf()})

    assert response.status_code == 201, response.content
    assert response.json() == SUBMITTED
    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.applicant.username) == ("online", "congdan")
    assert DossierFile.objects.get().original_name == "to-khai.pdf"


def test_a_full_disk_answers_503_and_leaves_nothing_half_written(signed_in, settings):
    settings.STORAGES = {**settings.STORAGES, "default": FULL_DISK}

    response = signed_in.post(URL, {"payload": payload(), "component_1": pdf()})

    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "storage_unavailable",
        "message": "Máy chủ chưa lưu được tệp (kho lưu trữ đang gặp sự cố); chưa có gì được "
        "ghi nhận. Hãy thử lại sau ít phút.",
    }
    assert_nothing_created()  # the first bytes written of the file too
    assert 503 in documented_statuses()  # a client generated from the document expects it


def test_a_paper_only_shown_needs_no_file_and_the_catalog_api_says_so(
    client, applicant, centre, frozen_now
):
    # Given birth registration as the demo catalog has it: the declaration handed in, the
    # identity card only shown (0 originals, 0 copies), both required
    declaration = {"name": "Tờ khai", "originals": 1, "copies": 0, "required": True, "note": ""}
    shown = {"name": "Giấy tờ tùy thân (xuất trình)", "originals": 0, "copies": 0}
    birth_procedure(agencies=[centre], components=[declaration, {**shown, "required": True}])
    client.force_login(applicant)

    # When a client reads the procedure and sends the declaration only
    read = client.get("/api/v1/procedures/1.001193").json()["components"]
    response = client.post(URL, {"payload": payload(), "component_1": pdf()})
    missing = client.post(URL, {"payload": payload()})

    # Then the API says which papers need a file, and takes the dossier without the shown one
    assert [(c["required"], c["upload_required"]) for c in read] == [(True, True), (True, False)]
    assert response.status_code == 201, response.content
    assert DossierFile.objects.get().component.position == 1
    # while a paper handed in is still required
    assert missing.status_code == 400
    assert missing.json()["error"]["details"] == [
        {"field": "component_1", "message": "Thiếu “Tờ khai”."}
    ]


def test_a_retry_with_the_same_idempotency_key_answers_200_with_the_same_dossier(signed_in):
    headers = {"Idempotency-Key": "7f0c2a"}
    first = signed_in.post(URL, {"payload": payload(), "component_1": pdf()}, headers=headers)
    again = signed_in.post(URL, {"payload": payload(), "component_1": pdf()}, headers=headers)
    other = signed_in.post(
        URL, {"payload": payload(form={"ho_ten": "Khác"}), "component_1": pdf()}, headers=headers
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() == SUBMITTED
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


def test_a_retry_answers_the_dossiers_status_now_as_the_document_says(signed_in, centre):
    # Given a dossier submitted with a key, and received at the desk since
    headers = {"Idempotency-Key": "7f0c2a"}
    first = signed_in.post(URL, {"payload": payload(), "component_1": pdf()}, headers=headers)
    dossier_receive(
        dossier=Dossier.objects.get(), actor=officer(centre, username="motcua"), expected_revision=1
    )

    # When the citizen's app, which never heard the first answer, sends it again
    again = signed_in.post(URL, {"payload": payload(), "component_1": pdf()}, headers=headers)

    # Then it gets the dossier as it is now, which the document tells it to expect
    assert (first.status_code, again.status_code) == (201, 200)
    assert (again.json()["code"], again.json()["status"]) == (CODE, "received")
    document = api.get_openapi_schema(path_prefix="/api/v1")
    status = document["components"]["schemas"]["DossierSubmitted"]["properties"]["status"]
    assert "Idempotency-Key" in status["description"]


def test_an_idempotency_key_over_255_characters_is_refused_as_documented(signed_in):
    response = signed_in.post(
        URL, {"payload": payload(), "component_1": pdf()}, headers={"Idempotency-Key": "k" * 256}
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"field": "Idempotency-Key", "message": "Dài quá 255 ký tự.", "type": "string_too_long"}
    ]
    assert_nothing_created()
    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][URL]["post"]
    [key] = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert {"type": "string", "maxLength": 255} in key["schema"]["anyOf"]


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '"chuỗi"', ""])
def test_a_payload_that_is_not_a_json_object_answers_invalid_json(signed_in, text):
    response = signed_in.post(URL, {"payload": text, "component_1": pdf()})
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_json",
            "message": "Trường payload phải là một đối tượng JSON.",
        }
    }
    assert_nothing_created()


def test_a_payload_naming_a_key_twice_is_refused_not_read_one_way(signed_in):
    # A proxy keeping the first value and Sen the last would act on different requests
    text = payload().replace('"form": {', '"form": {"ho_ten": "Người khác", ', 1)

    response = signed_in.post(URL, {"payload": text, "component_1": pdf()})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert response.json()["error"]["message"] == (
        "Khóa “ho_ten” có hai lần trong cùng một đối tượng JSON."
    )
    assert_nothing_created()


def test_a_file_for_a_paper_of_a_supplement_request_is_no_part_of_a_submission(signed_in):
    # `requested_<n>` names the n-th paper a supplement request asked for: a new dossier
    # has no request, so the field is refused as any unknown one.
    response = signed_in.post(
        URL, {"payload": payload(), "component_1": pdf(), "requested_1": pdf()}
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {
            "field": "requested_1",
            "message": "Tên trường tệp phải có dạng component_<thứ tự thành phần>.",
        }
    ]
    assert_nothing_created()


def test_an_invalid_dossier_answers_400_naming_every_problem(signed_in):
    bad = {**APPLICANT, "id_number": "12"}
    response = signed_in.post(
        URL,
        {
            "payload": payload(applicant=bad, form={}),
            "component_9": pdf(),
            "tep_khac": pdf(),
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {
            "field": "tep_khac",
            "message": "Tên trường tệp phải có dạng component_<thứ tự thành phần>.",
        }
    ]
    response = signed_in.post(
        URL, {"payload": payload(applicant=bad, form={}), "component_9": pdf()}
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_dossier",
        "message": "Hồ sơ không hợp lệ.",
        "details": [
            {"field": "form.ho_ten", "message": "Bắt buộc nhập."},
            {
                "field": "applicant.id_number",
                "message": "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.",
            },
            {"field": "component_9", "message": "Thủ tục không có thành phần hồ sơ thứ 9."},
            {"field": "component_1", "message": "Thiếu “Tờ khai đăng ký khai sinh”."},
        ],
    }
    assert_nothing_created()


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_required_answer_sent_blank_is_missing_as_on_the_page(signed_in, blank):
    response = signed_in.post(
        URL, {"payload": payload(form={"ho_ten": blank}), "component_1": pdf()}
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"field": "form.ho_ten", "message": "Bắt buộc nhập."}
    ]
    assert_nothing_created()


def test_the_form_is_stored_stripped_and_in_nfc_as_the_page_stores_it(signed_in):
    typed = {"ho_ten": " Tra\u0302\u0300n Văn Con\t"}

    response = signed_in.post(URL, {"payload": payload(form=typed), "component_1": pdf()})

    assert response.status_code == 201
    assert Dossier.objects.get().form_data == {"ho_ten": "Trần Văn Con"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"procedure": 1.001193}, "procedure", "Hãy ghi mã thủ tục."),
        ({"agency": 37}, "agency", "Phải là mã cơ quan."),
        (
            {"applicant": {**APPLICANT, "id_number": 37190001234}},
            "applicant.id_number",
            "Phải là chuỗi ký tự.",
        ),
        ({"applicant": {**APPLICANT, "phone": True}}, "applicant.phone", "Phải là chuỗi ký tự."),
    ],
)
def test_the_payload_takes_text_where_it_takes_text_and_reads_no_number_as_one(
    signed_in, overrides, field, message
):
    """The ``payload`` part is JSON read by hand (``submit._payload``, the services' checks
    and the e-form's JSON Schema), none of which coerces: a number or a boolean where text
    is meant is named, as the JSON bodies' wrong types are (``sen.schemas``)."""
    response = signed_in.post(URL, {"payload": payload(**overrides), "component_1": pdf()})

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_dossier"
    assert {"field": field, "message": message} in response.json()["error"]["details"]
    assert_nothing_created()


def test_a_misspelt_field_of_the_payload_is_refused_not_dropped(signed_in):
    # "result_delivry": the applicant's choice of post would be lost, the result sent
    # electronically
    response = signed_in.post(
        URL, {"payload": payload(result_delivry="post", extra=1), "component_1": pdf()}
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_dossier"
    assert response.json()["error"]["details"] == [
        {"field": "extra", "message": "Không nhận trường này."},
        {"field": "result_delivry", "message": "Không nhận trường này."},
    ]
    assert_nothing_created()


def test_anyone_lists_the_agencies_a_procedure_is_submitted_to(client, db):
    # Given a procedure of every commune committee, and communes, one of which closed
    FieldFactory(code="ho-tich", name="Hộ tịch")
    every_commune = [{"level": "commune", "agency": None}]
    make_procedure(code="1.000001", name="Đăng ký kết hôn", implementations=every_commune)
    for code, name, active in [
        ("000.20.02.H37", "Ủy ban nhân dân xã Gia Viễn", True),
        ("000.20.01.H37", "Ủy ban nhân dân phường Nam Định", True),
        ("000.20.03.H37", "Ủy ban nhân dân xã đã sáp nhập", False),
    ]:
        AgencyFactory(code=code, name=name, kind=AgencyKind.COMMUNE_COMMITTEE, is_active=active)

    # When a program that has not signed in asks where to submit it
    response = client.get(f"{URL}/receiving-agencies", {"procedure": "1.000001"})
    unknown = client.get(f"{URL}/receiving-agencies", {"procedure": "9.999999"})
    unnamed = client.get(f"{URL}/receiving-agencies")
    too_long = client.get(f"{URL}/receiving-agencies", {"procedure": "1" * 41})

    # Then it gets the active communes by name, each code a submission's `agency` takes
    assert response.status_code == 200, response.content
    assert response.json() == [
        {"code": "000.20.01.H37", "name": "Ủy ban nhân dân phường Nam Định"},
        {"code": "000.20.02.H37", "name": "Ủy ban nhân dân xã Gia Viễn"},
    ]
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "procedure_not_found")
    for refused in (unnamed, too_long):
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "invalid_input")


def test_an_unknown_procedure_answers_404(signed_in):
    response = signed_in.post(URL, {"payload": payload(procedure="9.999999"), "component_1": pdf()})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "procedure_not_found"
    assert_nothing_created()


def test_submitting_needs_a_signed_in_user(client, procedure):
    response = client.post(URL, {"payload": payload(), "component_1": pdf()})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert_nothing_created()


def test_submitting_needs_the_csrf_token(applicant, procedure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(URL, {"payload": payload(), "component_1": pdf()})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert "CSRF" in response.json()["error"]["message"]
    assert_nothing_created()


@pytest.mark.parametrize("media", ["application/json", "text/plain", ""])
def test_a_body_that_is_not_a_multipart_form_answers_415_as_a_json_endpoint_does(signed_in, media):
    # Given a client that sends the submission as JSON (or as text, or without a type)
    body = json.dumps({"payload": payload()})

    # When it posts it
    response = signed_in.post(URL, body, content_type=media)

    # Then it is told the type it should send, not that `payload` is missing
    assert response.status_code == 415
    assert response.json() == {
        "error": {
            "code": "unsupported_media_type",
            "message": "Nội dung gửi lên phải là multipart/form-data, không phải "
            f"“{media or 'không khai báo'}”.",
        }
    }
    assert_nothing_created()
    assert 415 in documented_statuses()


def test_a_form_field_sent_twice_is_refused_not_read_one_way(signed_in):
    # Given a submission whose payload field is sent twice, for two procedures: a proxy in
    # front of Sen may read the first, django-ninja read the last
    twice = [payload(), payload(procedure="9.999999")]

    # When it is posted
    response = signed_in.post(URL, {"payload": twice, "component_1": pdf()})

    # Then neither is taken
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["details"] == [
        {
            "field": "payload",
            "message": "Trường này được gửi nhiều lần; mỗi trường chỉ được gửi một lần.",
        }
    ]
    assert_nothing_created()


def test_a_form_field_the_submission_does_not_read_is_refused_not_dropped(signed_in):
    # Given a client that sends the receiving agency as a form field of its own, not in the
    # payload: read as before, the dossier went to the procedure's default agency
    form = {"payload": payload(), "agency": "000.00.02.H37", "component_1": pdf()}

    # When it is posted
    response = signed_in.post(URL, form)

    # Then it is told which field is not read, as a JSON body is, and nothing is made
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "Dữ liệu gửi lên không hợp lệ.",
        "details": [
            {"field": "agency", "message": "Không nhận trường này.", "type": "extra_forbidden"}
        ],
    }
    assert_nothing_created()


def test_a_file_sent_without_its_file_name_is_refused_not_dropped(signed_in):
    # Given a second component's file sent as a plain field (no file name in its part), which
    # the server receives as text, not as a file
    form = {"payload": payload(), "component_1": pdf(), "component_2": PDF.decode()}

    response = signed_in.post(URL, form)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert [d["field"] for d in response.json()["error"]["details"]] == ["component_2"]
    assert_nothing_created()


def test_the_document_closes_the_submission_form_to_fields_it_does_not_list():
    """A client that follows the document sends ``payload`` and ``component_<n>`` files, and
    nothing else: the server refuses anything else."""
    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][URL]["post"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]

    assert schema["additionalProperties"] is False
    [pattern] = schema["patternProperties"]
    assert schema["patternProperties"][pattern]["format"] == "binary"
    for name in ("component_1", "component_2", "component_12"):
        assert re.search(pattern, name), name
    for name in ("component_0", "component_", "agency", "xcomponent_1"):
        assert not re.search(pattern, name), name


def test_a_multipart_body_without_its_boundary_answers_invalid_multipart(signed_in):
    response = signed_in.post(URL, b"--x\r\n", content_type="multipart/form-data")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_multipart"
    assert_nothing_created()


def test_a_nul_character_in_the_payload_answers_invalid_characters(signed_in):
    # PostgreSQL cannot store it in the e-form's JSON: this was a server error there.
    response = signed_in.post(
        URL, {"payload": payload(form={**FORM, "ho_ten": "Trần\u0000Văn"}), "component_1": pdf()}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"
    assert_nothing_created()


def test_a_payload_nested_too_deep_answers_invalid_json(signed_in):
    # Python's JSON decoder runs out of stack on it: this was a server error.
    deep = '{"procedure": "1.001193", "form": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = signed_in.post(URL, {"payload": deep, "component_1": pdf()})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert_nothing_created()


def test_too_many_form_fields_answer_too_many_fields(signed_in, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    extra = {f"extra_{i}": "x" for i in range(5)}

    response = signed_in.post(URL, {"payload": payload(), "component_1": pdf(), **extra})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_fields"
    assert_nothing_created()


def test_a_form_field_the_procedure_does_not_have_is_refused_and_nothing_is_created(signed_in):
    # A program could otherwise store a megabyte under a key no page shows
    form = {**FORM, "zzz": [{"b": "c" * 1000}] * 100}

    response = signed_in.post(URL, {"payload": payload(form=form), "component_1": pdf()})

    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"field": "form.zzz", "message": "Biểu mẫu của thủ tục không có trường “zzz”."}
    ]
    assert_nothing_created()


def test_a_body_over_the_upload_limit_answers_413(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    long_form = payload(form={**FORM, "ho_ten": "Nguyễn " * 200})

    response = signed_in.post(URL, {"payload": long_form, "component_1": pdf()})

    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "request_too_large", "message": "Nội dung gửi lên quá lớn."}
    }
    assert_nothing_created()
    assert 413 in documented_statuses()


def test_anyone_with_the_code_follows_the_dossier_without_seeing_personal_data(
    submit, centre, frozen_now, client, django_assert_num_queries
):
    dossier = submit().dossier
    dossier_receive(dossier=dossier, actor=officer(centre, username="motcua"), expected_revision=1)

    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/tracking/{CODE}")

    assert response.status_code == 200
    assert response.json() == {
        "code": CODE,
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "version": 1},
        "agency": {"code": "000.00.01.H37", "name": "Trung tâm Phục vụ hành chính công tỉnh"},
        "status": "received",
        "status_label": "Đã tiếp nhận",
        "national_status": 2,
        "submitted_at": "2026-11-20T09:00:00+07:00",
        "received_at": "2026-11-20T09:00:00+07:00",
        "due_at": "2026-11-23T09:00:00+07:00",
        "finished_at": None,
        "timeliness": "in_time",
        "steps": [
            {
                "name": "Tiếp nhận",
                "agency": "Trung tâm Phục vụ hành chính công tỉnh",
                "started_at": "2026-11-20T09:00:00+07:00",
                "due_at": "2026-11-20T10:00:00+07:00",
                "finished_at": None,
                "timeliness": "in_time",
            }
        ],
        "events": [
            {
                "action": "submit",
                "label": "Nộp hồ sơ",
                "at": "2026-11-20T09:00:00+07:00",
                "status": "submitted",
            },
            {
                "action": "receive",
                "label": "Tiếp nhận hồ sơ",
                "at": "2026-11-20T09:00:00+07:00",
                "status": "received",
            },
        ],
    }
    body = response.content.decode()
    for personal in ("Trần Thị Bình", "037190001234", "0912345678", "binh@example.vn", "motcua"):
        assert personal not in body
    assert DossierEvent.objects.count() == 2


def test_a_code_typed_in_lower_case_from_the_slip_finds_its_dossier(
    submit, frozen_now, client, applicant
):
    submit()

    tracked = client.get(f"/api/v1/tracking/{CODE.lower()}")
    client.force_login(applicant)
    read = client.get(f"/api/v1/dossiers/{CODE.lower()}")
    receipt = client.get(f"/api/v1/dossiers/{CODE.lower()}/files/1")

    # Then tracking, the dossier and its files answer as for the code printed on the slip
    assert (tracked.status_code, read.status_code, receipt.status_code) == (200, 200, 200)
    assert tracked.json()["code"] == read.json()["code"] == CODE


def test_an_unknown_code_of_any_length_is_said_back_at_most_64_characters_long(client, db):
    response = client.get(f"/api/v1/tracking/{'X' * 5000}")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"Không tìm thấy hồ sơ có mã {'X' * 64}…."


def test_a_signed_in_reader_of_tracking_costs_no_query_more_and_is_kept_out_of_caches(
    submit, client, applicant, frozen_now, django_assert_num_queries
):
    submit()
    client.force_login(applicant)

    # Neither the session nor the user is read for it
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/tracking/{CODE}")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_an_unknown_code_is_not_found(client, db):
    response = client.get("/api/v1/tracking/000.00.01.H37-261120-0009")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "dossier_not_found",
            "message": "Không tìm thấy hồ sơ có mã 000.00.01.H37-261120-0009.",
        }
    }


# --- How the applicant receives the result ---------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "registered", "place"),
    [
        (None, "electronic", "Tài khoản của người nộp trên Cổng Dịch vụ công (kết quả điện tử)"),
        (
            "post",
            "post",
            "Địa chỉ của người nộp, qua dịch vụ bưu chính công ích: Phường Hoa Lư, tỉnh Ninh Bình",
        ),
        ("desk", "desk", "Trung tâm Phục vụ hành chính công tỉnh"),
    ],
)
def test_the_applicant_registers_how_to_receive_the_result_and_the_receipt_says_so(
    signed_in, centre, chosen, registered, place
):
    extra = {"result_delivery": chosen} if chosen else {}
    response = signed_in.post(URL, {"payload": payload(**extra), "component_1": pdf()})
    assert response.status_code == 201
    dossier = Dossier.objects.get()
    dossier_receive(dossier=dossier, actor=officer(centre, username="motcua"), expected_revision=1)

    detail = signed_in.get(f"{URL}/{CODE}").json()
    receipt = signed_in.get(f"{URL}/{CODE}/slips/receipt.pdf")

    assert detail["result_delivery"] == registered
    assert f"6. Đăng ký nhận kết quả tại: {place}" in pdf_text(receipt.content)


def test_a_slip_is_printed_in_vietnamese_whatever_the_readers_language(signed_in, centre):
    """The forms' wording is the law's: an officer or applicant reading the pages in English
    prints the same slip."""
    signed_in.post(URL, {"payload": payload(), "component_1": pdf()})
    dossier_receive(
        dossier=Dossier.objects.get(),
        actor=officer(centre, username="motcua"),
        expected_revision=1,
    )
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = pdf_text(signed_in.get(f"{URL}/{CODE}/slips/receipt.pdf").content)

    assert "6. Đăng ký nhận kết quả tại: Tài khoản của người nộp trên Cổng Dịch vụ công" in text
    assert "account" not in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"result_delivery": "fax"},
            "result_delivery",
            "Hình thức nhận kết quả phải là electronic, desk hoặc post.",
        ),
        ({"result_delivery": 3}, "result_delivery", "Phải là electronic, desk hoặc post."),
        (
            {"result_delivery": "post", "applicant": {**APPLICANT, "address": ""}},
            "applicant.address",
            "Hãy ghi địa chỉ để nhận kết quả qua bưu chính.",
        ),
    ],
    ids=["unknown", "not-text", "post-without-address"],
)
def test_a_way_to_receive_the_result_that_cannot_be_is_named_and_nothing_is_created(
    signed_in, overrides, field, message
):
    response = signed_in.post(URL, {"payload": payload(**overrides), "component_1": pdf()})

    assert response.status_code == 400
    assert {"field": field, "message": message} in response.json()["error"]["details"]
    assert_nothing_created()
