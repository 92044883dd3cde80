"""Acting on a dossier through the API: intake, steps, the result, supplements, apology,
stop, return and withdrawal.

Each action answers the dossier as `GET /dossiers/{code}` shows it. Someone who may not read
the dossier gets 404 as for an unknown code; a reader who may not act gets 403; a stale
`expected_revision` gets 409. A refused action changes nothing, not even the audit log.

The procedure takes 1.5 working days in three steps: the one-stop desk (2 hours), the
specialist of the justice department (1 day, inter-agency) and the leader (2 hours); the
dossiers in each state come from this package's conftest.
"""

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.api import api
from sen.catalog.models import Procedure
from sen.catalog.tests.factories import BIRTH_FORM
from sen.core.models import AuditEntry
from sen.dossiers.models import Dossier, DossierEvent, DossierResult
from sen.dossiers.services import dossier_request_supplement
from sen.dossiers.tests.factories import JPEG, PDF
from sen.dossiers.tests.inter_agency.conftest import CODE, MISSING, URL, as_user, post
from sen.dossiers.tests.state import written_state
from sen.tests.clock import at
from sen.tests.storage import FULL_DISK

pytestmark = pytest.mark.django_db


def last_event(response: Any) -> dict[str, Any]:
    event: dict[str, Any] = response.json()["events"][-1]
    return event


# --- Good paths ------------------------------------------------------------------------------


def test_the_one_stop_officer_receives_a_submitted_dossier(submitted, people):
    response = post(people.desk, "receive", {"expected_revision": 1, "comment": "Đủ giấy tờ"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["code"], body["status"], body["revision"]) == (CODE, "received", 2)
    assert body["viewer"] == "officer"
    assert body["due_at"] == "2026-11-23T14:00:00+07:00"
    assert last_event(response)["action"] == "receive"
    assert last_event(response)["comment"] == "Đủ giấy tờ"
    assert last_event(response)["actor"] == "motcua"
    assert Dossier.objects.get().revision == 2
    # The answer says what the desk may do next: its own step, now started
    assert body["allowed_actions"] == ["complete_step", "apologize"]
    assert [step["name"] for step in body["steps"]] == ["Tiếp nhận"]


def test_the_one_stop_officer_requests_every_missing_item_at_intake(submitted, people):
    response = post(people.desk, "request-supplement", {"expected_revision": 1, "items": MISSING})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"], body["supplement_count"]) == (
        "supplement_requested",
        2,
        1,
    )
    assert last_event(response)["data"] == {"items": MISSING}


def test_the_one_stop_officer_refuses_a_dossier_with_a_reason(submitted, people):
    response = post(people.desk, "refuse", {"expected_revision": 1, "reason": "Sai thủ tục"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("refused", 2)
    assert body["finished_at"] == "2026-11-20T09:00:00+07:00"
    assert last_event(response)["data"] == {"reason": "Sai thủ tục"}


def test_a_reason_with_a_nul_character_is_refused_and_changes_nothing(submitted, people):
    # PostgreSQL cannot store it: this was a server error there.
    response = post(people.desk, "refuse", {"expected_revision": 1, "reason": "Sai\x00 thủ tục"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert (dossier.status, dossier.revision) == ("submitted", 1)


def test_the_desk_completes_its_step_and_hands_the_dossier_to_the_department(
    received, clock, people
):
    clock(at(20, 10))

    response = post(people.desk, "complete-step", {"expected_revision": 2, "comment": "Chuyển"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("processing", 3)
    assert last_event(response)["action"] == "complete_step"
    assert last_event(response)["data"] == {
        "step": 1,
        "agency": "000.00.01.H37",
        "step_due_at": "2026-11-20T11:00:00+07:00",
        "outcome": "on_time",
        "next_step": 2,
        "next_agency": "000.00.12.H37",
    }


def test_the_specialist_attaches_the_result_as_a_multipart_file(at_specialist, people):
    client = as_user(people.specialist)
    upload_file = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    response = client.post(f"{URL}/{CODE}/result", {"expected_revision": "3", "file": upload_file})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("processing", 4)
    assert last_event(response)["action"] == "attach_result"
    assert last_event(response)["data"]["file"] == "ket-qua.pdf"
    result = DossierResult.objects.get()
    assert (result.original_name, result.content_type, result.size) == (
        "ket-qua.pdf",
        "application/pdf",
        len(PDF),
    )


def test_a_revision_sent_twice_in_a_form_is_refused_and_changes_nothing(at_specialist, people):
    before = written_state()
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": ["2", "3"], "file": scan}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert [d["field"] for d in response.json()["error"]["details"]] == ["expected_revision"]
    assert written_state() == before


def test_a_note_the_result_form_does_not_read_is_refused_and_changes_nothing(at_specialist, people):
    # Given a specialist's client that sends a comment with the result, as the JSON actions
    # take one: read as before, the result was attached and the comment lost
    before = written_state()
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result",
        {"expected_revision": "3", "comment": "Đã ký, đóng dấu.", "file": scan},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["details"] == [
        {"field": "comment", "message": "Không nhận trường này.", "type": "extra_forbidden"}
    ]
    assert written_state() == before


@pytest.mark.parametrize("revision", ["3.0", "+3", " 3", "3 ", "3_0", "0x3", "3e0", "٣"])
def test_a_revision_not_written_in_decimal_digits_is_refused_and_changes_nothing(
    at_specialist, people, revision
):
    # Given the dossier at revision 3, and a form whose revision is not plain digits: read
    # leniently, "3.0" or "+3" acted on the dossier
    before = written_state()
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": revision, "file": scan}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["details"] == [
        {"field": "expected_revision", "message": "Phải là số nguyên.", "type": "int_parsing"}
    ]
    assert written_state() == before


def test_a_revision_in_digits_is_read_even_with_a_leading_zero(at_specialist, people):
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": "03", "file": scan}
    )

    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 4


def test_two_result_files_in_one_call_are_refused_not_one_dropped(at_specialist, people):
    before = written_state()
    files = [
        SimpleUploadedFile(name, PDF, content_type="application/pdf")
        for name in ("ket-qua.pdf", "phu-luc.pdf")
    ]

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": "3", "file": files}
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_result"
    assert response.json()["error"]["details"] == [
        {"field": "file", "message": "Mỗi lần đính kèm một tệp kết quả; lần này có 2 tệp."}
    ]
    assert written_state() == before


def test_a_file_beside_the_result_is_refused_not_dropped(at_specialist, people):
    before = written_state()
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
    annex = SimpleUploadedFile("phu-luc.pdf", PDF, content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": "3", "file": scan, "annex": annex}
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_result"
    assert response.json()["error"]["details"] == [
        {
            "field": "annex",
            "message": "Kết quả được gửi trong trường tệp file; trường này không được đọc.",
        }
    ]
    assert written_state() == before


def test_a_result_that_is_not_an_accepted_file_is_refused_and_changes_nothing(
    at_specialist, people
):
    before = written_state()
    text = SimpleUploadedFile("ket-qua.pdf", b"just text", content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": "3", "file": text}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_result"
    assert response.json()["error"]["details"][0]["field"] == "file"
    assert written_state() == before


def test_a_full_storage_refuses_the_result_with_503_as_documented(at_specialist, people, settings):
    # Given a file storage that refuses to write (a full disk, a lost mount)
    settings.STORAGES = {**settings.STORAGES, "default": FULL_DISK}
    before = written_state()
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    # When the specialist attaches the result
    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": "3", "file": scan}
    )

    # Then they are told to try again later, nothing is recorded, and the document says so
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_unavailable"
    assert written_state() == before
    document = api.get_openapi_schema(path_prefix="/api/v1")
    assert 503 in document["paths"][f"{URL}/{{code}}/result"]["post"]["responses"]


def test_the_leader_apologizes_with_a_new_appointment(received, people):
    response = post(
        people.leader,
        "apologize",
        {
            "expected_revision": 2,
            "reason": "Cần xác minh thêm",
            "new_due_at": "2026-11-30T16:00:00+07:00",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("received", 3)
    assert body["due_at"] == "2026-11-30T16:00:00+07:00"
    assert last_event(response)["data"] == {
        "reason": "Cần xác minh thêm",
        "previous_due_at": "2026-11-23T14:00:00+07:00",
        "new_due_at": "2026-11-30T16:00:00+07:00",
        "by_leader": True,
    }


def test_an_apology_without_a_time_zone_is_refused_and_changes_nothing(received, people):
    before = written_state()
    body = {"expected_revision": 2, "reason": "Chậm", "new_due_at": "2026-11-30T16:00:00"}

    response = post(people.leader, "apologize", body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_new_appointment"
    assert written_state() == before


def test_the_leader_stops_processing_with_a_reason(at_specialist, people):
    response = post(people.leader, "stop", {"expected_revision": 3, "reason": "Có tranh chấp"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("stopped", 4)
    assert last_event(response)["data"] == {"reason": "Có tranh chấp"}


def test_the_desk_returns_the_result_by_post_with_the_tracking_number(result_ready, people):
    assert result_ready.status == "result_ready"
    body = {"expected_revision": 6, "method": "post", "postal_tracking_number": "EA123456789VN"}

    response = post(people.desk, "return", body)

    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["status"], answer["revision"]) == ("returned", 7)
    assert last_event(response)["data"] == {
        "method": "post",
        "postal_tracking_number": "EA123456789VN",
    }


def test_a_return_by_post_without_a_tracking_number_is_refused(result_ready, people):
    before = written_state()

    response = post(people.desk, "return", {"expected_revision": 6, "method": "post"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "postal_tracking_number_required"
    assert written_state() == before


def test_an_electronic_return_to_an_applicant_without_an_account_is_refused(walk_in_ready, people):
    before = written_state()

    response = as_user(people.desk).post(
        f"{URL}/{walk_in_ready.code}/return",
        {"expected_revision": 6, "method": "electronic"},
        content_type="application/json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "electronic_return_without_account"
    assert "không nhận được kết quả điện tử" in error["message"]
    assert written_state() == before


def test_the_applicant_submits_the_supplement_asked_at_intake(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    scan = SimpleUploadedFile("giay-chung-sinh.jpg", JPEG, content_type="image/jpeg")
    payload = json.dumps({"form": {"ho_ten": "Trần Văn Con Mới"}})

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement",
        {"expected_revision": "2", "payload": payload, "component_1": scan},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("submitted", 3)
    assert body["viewer"] == "applicant"
    assert body["form_data"] == {"ho_ten": "Trần Văn Con Mới"}
    assert last_event(response)["actor"] is None
    assert [item["name"] for item in body["files"]] == ["to-khai.pdf", "giay-chung-sinh.jpg"]


def test_a_corrected_form_keeps_the_answers_it_replaced_in_the_history_not_the_audit_log(
    submitted, people
):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    payload = json.dumps({"form": {"ho_ten": "Trần Văn Con Mới"}})

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "2", "payload": payload}
    )

    assert response.status_code == 200, response.content
    event = DossierEvent.objects.get(dossier=submitted, sequence=3)
    assert event.data == {
        "files": 0,
        "form_changed": ["ho_ten"],
        "form_before": {"ho_ten": "Trần Văn Con"},
    }
    # The audit log says which answers changed, never what they said.
    audit = AuditEntry.objects.filter(action="dossiers.dossier.supplement_submitted").get()
    assert audit.data["form_changed"] == ["ho_ten"]
    assert "Trần Văn Con" not in json.dumps(audit.data, ensure_ascii=False)


def test_the_desk_hands_in_papers_but_not_a_new_form_for_an_account_holder(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()
    payload = json.dumps({"form": {"ho_ten": "Người Khác"}})
    scan = SimpleUploadedFile("giay-chung-sinh.jpg", JPEG, content_type="image/jpeg")

    response = as_user(people.desk).post(
        f"{URL}/{CODE}/supplement",
        {"expected_revision": "2", "payload": payload, "component_1": scan},
    )

    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert error["message"] == (
        "Tờ khai của hồ sơ nộp từ tài khoản chỉ người nộp sửa được; cán bộ một cửa chỉ nộp "
        "thay giấy tờ bổ sung."
    )
    assert written_state() == before

    scan.seek(0)
    papers_only = as_user(people.desk).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "2", "component_1": scan}
    )
    assert papers_only.status_code == 200, papers_only.content
    assert papers_only.json()["form_data"] == {"ho_ten": "Trần Văn Con"}


def test_a_corrected_form_that_adds_and_drops_answers_keeps_what_each_said_before(
    procedure, submit, people
):
    # Given a form with two optional answers, sent with a note and no phone number
    schema = copy.deepcopy(BIRTH_FORM)
    schema["properties"]["ghi_chu"] = {"type": "string", "title": "Ghi chú"}
    schema["properties"]["so_dien_thoai"] = {"type": "string", "title": "Số điện thoại"}
    Procedure.objects.filter(pk=procedure.pk).update(form_schema=schema)
    dossier = submit(form_data={"ho_ten": "Trần Văn Con", "ghi_chu": "Sinh đôi"}).dossier
    dossier_request_supplement(
        dossier=dossier, items=MISSING, actor=people.desk, expected_revision=1
    )
    # When the applicant drops the note and adds a phone number
    corrected = {"ho_ten": "Trần Văn Con", "so_dien_thoai": "0912345678"}

    response = as_user(people.applicant).post(
        f"{URL}/{dossier.code}/supplement",
        {"expected_revision": "2", "payload": json.dumps({"form": corrected})},
    )

    # Then the history names both, with the dropped note's words and no earlier phone
    assert response.status_code == 200, response.content
    event = DossierEvent.objects.get(dossier=dossier, sequence=3)
    assert event.data["form_changed"] == ["ghi_chu", "so_dien_thoai"]
    assert event.data["form_before"] == {"ghi_chu": "Sinh đôi", "so_dien_thoai": None}


def test_the_desk_writes_in_the_corrected_form_of_a_dossier_without_an_account(
    submitted, submit, people
):
    walk_in = submit(channel="desk", applicant=None, actor=people.desk).dossier
    dossier_request_supplement(
        dossier=walk_in, items=MISSING, actor=people.desk, expected_revision=1
    )
    payload = json.dumps({"form": {"ho_ten": "Trần Văn Con Mới"}})

    response = as_user(people.desk).post(
        f"{URL}/{walk_in.code}/supplement", {"expected_revision": "2", "payload": payload}
    )

    assert response.status_code == 200, response.content
    assert response.json()["form_data"] == {"ho_ten": "Trần Văn Con Mới"}
    assert DossierEvent.objects.get(dossier=walk_in, sequence=3).data["form_before"] == {
        "ho_ten": "Trần Văn Con"
    }


def test_the_applicant_sends_a_file_for_each_paper_the_request_named(submitted, people):
    # Given a request for the procedure's declaration (named loosely) and a paper of its own
    declaration = submitted.procedure.components.get(position=1)
    items = [
        {"name": declaration.name.lower(), "reason": "Thiếu chữ ký"},
        {"name": "Bản chụp giấy tờ tùy thân", "reason": "Ảnh mờ"},
    ]
    dossier_request_supplement(
        dossier=submitted, items=items, actor=people.desk, expected_revision=1
    )

    # When the applicant sends a file for each, by its number in the request
    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement",
        {
            "expected_revision": "2",
            "requested_1": SimpleUploadedFile("to-khai-ky.pdf", PDF, "application/pdf"),
            "requested_2": SimpleUploadedFile("cccd.jpg", JPEG, content_type="image/jpeg"),
        },
    )

    # Then each is filed under its paper: the procedure's own, or the name asked for
    assert response.status_code == 200, response.content
    sent = [
        (item["name"], item["component_position"], item["requested_item"])
        for item in response.json()["files"][1:]
    ]
    assert sent == [
        ("to-khai-ky.pdf", 1, declaration.name.lower()),
        ("cccd.jpg", None, "Bản chụp giấy tờ tùy thân"),
    ]


def test_a_supplement_file_for_a_paper_the_request_did_not_name_is_refused(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement",
        {
            "expected_revision": "2",
            "requested_2": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
            "giay_to_khac": SimpleUploadedFile("b.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_dossier"
    assert [d["field"] for d in error["details"]] == ["giay_to_khac"]
    again = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement",
        {
            "expected_revision": "2",
            "requested_2": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        },
    )
    assert again.status_code == 400
    assert again.json()["error"]["details"] == [
        {"field": "requested_2", "message": "Yêu cầu bổ sung không có giấy tờ thứ 2."}
    ]
    assert written_state() == before


def test_a_supplement_with_a_payload_that_is_not_a_json_object_is_refused(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "2", "payload": "[1, 2"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert written_state() == before


def test_a_json_body_naming_a_field_twice_is_refused_and_changes_nothing(submitted, people):
    before = written_state()

    response = post(
        people.desk,
        "refuse",
        '{"reason": "Sai thẩm quyền", "expected_revision": 1, "reason": " "}',
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_json",
        "message": "Khóa “reason” có hai lần trong cùng một đối tượng JSON.",
        "details": [
            {
                "field": "reason",
                "message": "Khóa “reason” có hai lần trong cùng một đối tượng JSON.",
            }
        ],
    }
    assert written_state() == before


def test_a_supplement_payload_with_a_misspelt_form_is_refused_not_dropped(submitted, people):
    # "forms" for "form": the e-form's correction would be ignored and the supplement taken
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement",
        {"expected_revision": "2", "payload": '{"forms": {"ho_ten": "Trần Văn Con"}}'},
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_supplement"
    assert response.json()["error"]["details"] == [
        {"field": "forms", "message": "Không nhận trường này."}
    ]
    assert written_state() == before


def test_a_corrected_form_sent_beside_the_payload_is_refused_not_dropped(submitted, people):
    # "form" as a field of its own, not inside the payload: the supplement was taken and the
    # e-form's correction ignored
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement",
        {"expected_revision": "2", "form": json.dumps({"ho_ten": "Trần Văn Con"})},
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_input"
    assert [d["field"] for d in response.json()["error"]["details"]] == ["form"]
    assert written_state() == before


def test_a_supplement_field_sent_twice_is_refused_and_changes_nothing(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()
    payloads = [json.dumps({"form": {"ho_ten": name}}) for name in ("Trần Văn A", "Trần Văn B")]

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "2", "payload": payloads}
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"] == [
        {
            "field": "payload",
            "message": "Trường này được gửi nhiều lần; mỗi trường chỉ được gửi một lần.",
        }
    ]
    assert written_state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"payload": '{"form": {"ho_ten": "Trần\\u0000Con"}}'},  # in the payload's JSON
        {"payload": "", "expected_revision": "2\x00"},  # in a form field itself
    ],
    ids=["payload", "form-field"],
)
def test_a_supplement_with_a_nul_character_is_refused_and_changes_nothing(
    submitted, people, fields
):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "2", **fields}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"
    assert written_state() == before


def test_the_applicant_withdraws_a_dossier_being_processed(at_specialist, people):
    response = post(people.applicant, "withdraw", {"expected_revision": 3, "reason": "Nộp nhầm"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revision"]) == ("withdrawn", 4)
    assert body["viewer"] == "applicant"
    assert last_event(response)["data"] == {"reason": "Nộp nhầm"}


# --- Denied, stale and malformed -------------------------------------------------------------

# Each JSON action, the dossier it acts on, who may do it and a valid body (without revision).
JSON_ACTIONS = [
    ("receive", "submitted", "desk", {}),
    ("request-supplement", "submitted", "desk", {"items": MISSING}),
    ("refuse", "submitted", "desk", {"reason": "Sai thủ tục"}),
    ("complete-step", "received", "desk", {}),
    ("apologize", "received", "leader", {"reason": "Chậm", "new_due_at": "2026-12-01T09:00+07:00"}),
    ("stop", "received", "leader", {"reason": "Có tranh chấp"}),
    ("return", "result_ready", "desk", {"method": "desk"}),
    ("withdraw", "submitted", "applicant", {"reason": "Nộp nhầm"}),
]
# A reader of the dossier who may not do the action.
NOT_ALLOWED = {
    "receive": "leader",
    "request-supplement": "applicant",
    "refuse": "leader",
    "complete-step": "leader",
    "apologize": "applicant",
    "stop": "desk",
    "return": "leader",
    "withdraw": "desk",
}


def revision_of(request: pytest.FixtureRequest, state: str) -> int:
    dossier: Dossier = request.getfixturevalue(state)
    return dossier.revision


@pytest.mark.parametrize(("action", "state", "who", "body"), JSON_ACTIONS)
def test_each_action_is_done_by_whom_it_belongs_to(request, people, action, state, who, body):
    revision = revision_of(request, state)

    response = post(getattr(people, who), action, {"expected_revision": revision, **body})

    assert response.status_code == 200, response.content
    assert response.json()["revision"] == revision + 1
    assert Dossier.objects.get().revision == revision + 1


@pytest.mark.parametrize(("action", "state", "who", "body"), JSON_ACTIONS)
@pytest.mark.parametrize("stranger", ["stranger", "outsider"])
def test_someone_who_cannot_see_the_dossier_gets_404_and_nothing_changes(
    request, people, action, state, who, body, stranger
):
    revision = revision_of(request, state)
    before = written_state()

    response = post(getattr(people, stranger), action, {"expected_revision": revision, **body})

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "dossier_not_found", "message": f"Không tìm thấy hồ sơ có mã {CODE}."}
    }
    assert written_state() == before


@pytest.mark.parametrize(("action", "state", "who", "body"), JSON_ACTIONS)
def test_a_reader_who_may_not_act_gets_403_and_nothing_changes_not_even_the_audit_log(
    request, people, action, state, who, body
):
    revision = revision_of(request, state)
    before = written_state()

    response = post(
        getattr(people, NOT_ALLOWED[action]), action, {"expected_revision": revision, **body}
    )

    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "permission_denied"
    assert written_state() == before


@pytest.mark.parametrize(("action", "state", "who", "body"), JSON_ACTIONS)
def test_a_stale_revision_gets_409_and_nothing_changes(request, people, action, state, who, body):
    revision = revision_of(request, state)
    before = written_state()

    # A dossier still at revision 1 has no older revision: any other one is stale too.
    stale = revision - 1 if revision > 1 else revision + 1

    response = post(getattr(people, who), action, {"expected_revision": stale, **body})

    assert response.status_code == 409, response.content
    status = Dossier.objects.get(code=CODE).get_status_display()
    assert response.json() == {
        "error": {
            "code": "dossier_conflict",
            "message": (
                f"Hồ sơ {CODE} vừa có cập nhật mới (trạng thái hiện tại: {status}); hãy xem lại "
                "hồ sơ rồi làm lại nếu vẫn cần."
            ),
        }
    }
    assert written_state() == before


@pytest.mark.parametrize(
    ("action", "state", "body"),
    [
        ("receive", "submitted", {}),
        ("refuse", "submitted", {"reason": "Sai thẩm quyền"}),
        ("return", "result_ready", {"method": "desk"}),
    ],
)
def test_an_applicant_calling_a_desk_action_learns_it_is_not_theirs_whatever_the_revision(
    request, people, action, state, body
):
    """Whether one may act at the desk does not follow the dossier's state: told to reload
    and try again, the applicant would only be refused after."""
    revision = revision_of(request, state)
    before = written_state()

    response = post(people.applicant, action, {"expected_revision": revision + 1, **body})

    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "permission_denied"
    assert written_state() == before


@pytest.mark.parametrize(("action", "state", "who", "body"), JSON_ACTIONS)
@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ("[]", "body"),
        ("{}", "body.expected_revision"),
        ('{"expected_revision": 1, "expected_revison": 1}', "body.expected_revison"),
        ('{"expected_revision": "x"}', "body.expected_revision"),
    ],
)
def test_a_body_without_its_fields_gets_400_and_nothing_changes(
    request, people, action, state, who, body, bad, field
):
    request.getfixturevalue(state)
    before = written_state()

    response = post(getattr(people, who), action, bad)

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert field in [detail["field"] for detail in error["details"]]
    assert written_state() == before


@pytest.mark.parametrize(("action", "state", "who", "body"), JSON_ACTIONS)
def test_a_body_that_is_not_json_gets_400_and_nothing_changes(
    request, people, action, state, who, body
):
    request.getfixturevalue(state)
    before = written_state()

    response = post(getattr(people, who), action, '{"expected_revision": 1,')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert written_state() == before


def test_an_action_needs_a_signed_in_user(submitted):
    response = post(None, "receive", {"expected_revision": 1})
    assert response.status_code == 401


def test_an_unknown_dossier_gets_404(db, people):
    response = post(people.desk, "receive", {"expected_revision": 1})
    assert response.status_code == 404


# The multipart actions: the result (by the step's officer) and the supplement (applicant).


def test_the_result_by_a_stranger_is_404_by_a_reader_not_at_the_step_403(at_specialist, people):
    before = written_state()
    for who, status in (("stranger", 404), ("outsider", 404), ("desk", 403), ("applicant", 403)):
        scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
        response = as_user(getattr(people, who)).post(
            f"{URL}/{CODE}/result", {"expected_revision": "3", "file": scan}
        )
        assert response.status_code == status, (who, response.content)
    assert written_state() == before


def test_the_result_with_a_stale_revision_gets_409(at_specialist, people):
    before = written_state()
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")

    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/result", {"expected_revision": "2", "file": scan}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "dossier_conflict"
    assert written_state() == before


def test_the_result_without_a_file_or_revision_gets_400(at_specialist, people):
    before = written_state()
    client = as_user(people.specialist)

    without_file = client.post(f"{URL}/{CODE}/result", {"expected_revision": "3"})
    scan = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
    without_revision = client.post(f"{URL}/{CODE}/result", {"file": scan})

    assert (without_file.status_code, without_revision.status_code) == (400, 400)
    assert written_state() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("stranger", 404),
        ("outsider", 404),
        # The justice department's step is not reached yet: it cannot see the dossier
        ("specialist", 404),
        ("leader", 403),
    ],
)
def test_the_supplement_by_anyone_but_the_applicant_or_the_desk_is_refused(
    submitted, people, who, status
):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()
    scan = SimpleUploadedFile("giay-chung-sinh.pdf", PDF, content_type="application/pdf")

    response = as_user(getattr(people, who)).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "2", "component_1": scan}
    )

    assert response.status_code == status, response.content
    assert written_state() == before


def test_the_supplement_with_a_stale_revision_gets_409(submitted, people):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    before = written_state()
    scan = SimpleUploadedFile("giay-chung-sinh.pdf", PDF, content_type="application/pdf")

    response = as_user(people.applicant).post(
        f"{URL}/{CODE}/supplement", {"expected_revision": "1", "component_1": scan}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "dossier_conflict"
    assert written_state() == before


def test_the_leader_stops_with_the_provision_that_allows_it_and_a_long_one_is_refused(
    received, people
):
    body = {"expected_revision": 2, "reason": "Có tranh chấp"}
    before = written_state()
    too_long = post(people.leader, "stop", {**body, "legal_basis": "Điều 1 " * 100})
    assert (too_long.status_code, too_long.json()["error"]["code"]) == (400, "invalid_input")
    assert written_state() == before

    response = post(people.leader, "stop", {**body, "legal_basis": "khoản 3 Điều 16 Luật Hộ tịch"})

    assert response.status_code == 200, response.content
    [stop] = [event for event in response.json()["events"] if event["action"] == "stop"]
    assert stop["data"]["legal_basis"] == "khoản 3 Điều 16 Luật Hộ tịch"


@pytest.mark.parametrize("media", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_json_body_sent_as_another_type_is_refused_and_changes_nothing(submitted, people, media):
    """A browser may send text/plain to another site without asking first; read as JSON, a
    page elsewhere could have posted the API's input."""
    before = written_state()

    response = as_user(people.desk).post(
        f"{URL}/{CODE}/receive", json.dumps({"expected_revision": 1}), content_type=media
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["error"]["message"]
    assert written_state() == before


@pytest.mark.parametrize(
    ("action", "media"), [("result", "application/json"), ("supplement", "text/plain")]
)
def test_a_body_sent_to_a_multipart_action_as_another_type_is_refused_and_changes_nothing(
    at_specialist, people, action, media
):
    # Given the officer of the step, who sends the action's fields as JSON (or as text)
    before = written_state()

    # When they post them to an action that takes a multipart form
    response = as_user(people.specialist).post(
        f"{URL}/{CODE}/{action}", json.dumps({"expected_revision": 3}), content_type=media
    )

    # Then they are told the type to send, as the JSON actions tell theirs, and nothing changes
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "multipart/form-data" in response.json()["error"]["message"]
    assert written_state() == before


def test_json_with_its_charset_is_taken(submitted, people):
    response = as_user(people.desk).post(
        f"{URL}/{CODE}/receive",
        json.dumps({"expected_revision": 1}),
        content_type="application/json; charset=utf-8",
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_a_method_an_action_does_not_take_answers_405_in_the_apis_shape(submitted, people, method):
    before = written_state()

    response = getattr(as_user(people.desk), method)(f"{URL}/{CODE}/receive")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert written_state() == before


def test_head_answers_as_get_without_the_body(received, people):
    client = as_user(people.desk)
    got = client.get(f"{URL}/{CODE}")
    file = client.get(f"{URL}/{CODE}/files/1")

    head = client.head(f"{URL}/{CODE}")
    file_head = client.head(f"{URL}/{CODE}/files/1")
    action = client.head(f"{URL}/{CODE}/receive")

    # the headers of GET, the length of its body, and no body
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)
    assert (file_head.status_code, b"".join(file_head.streaming_content)) == (200, b"")
    assert file_head["Content-Length"] == file["Content-Length"]
    # an address without GET still refuses HEAD, and says which methods it takes
    assert (action.status_code, action["Allow"]) == (405, "POST")


def test_an_address_that_takes_get_lists_head_among_its_methods(received, people):
    response = as_user(people.desk).delete(f"{URL}/{CODE}")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_result_taken_at_the_desk_records_who_took_it(result_ready, people):
    body = {"expected_revision": 6, "method": "desk", "recipient": "Lê Văn Cường (ủy quyền)"}

    response = post(people.desk, "return", body)

    assert response.status_code == 200, response.content
    [returned] = [e for e in response.json()["events"] if e["action"] == "return_result"]
    assert returned["data"] == {"method": "desk", "recipient": "Lê Văn Cường (ủy quyền)"}


def test_a_recipient_too_long_is_refused_and_nothing_is_returned(result_ready, people):
    before = written_state()

    response = post(
        people.desk, "return", {"expected_revision": 6, "method": "desk", "recipient": "A" * 301}
    )

    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_input")
    assert written_state() == before
