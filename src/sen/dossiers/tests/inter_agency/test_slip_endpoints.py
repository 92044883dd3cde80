"""The slips of a dossier as PDF: request to supplement, refusal, apology, stop notice and
the process control sheet.

Each is for the applicant and the officers allowed to read the dossier (an officer's download
is a read of personal data, in the audit log); anyone else gets 404; before the dossier has
reached the state that issues it, 409 `slip_not_available`.
"""

import re
from datetime import datetime
from typing import Any

import pytest

from sen.core.models import AuditEntry, Role
from sen.core.tests.factories import MembershipFactory
from sen.dossiers.models import DossierEvent
from sen.dossiers.selectors import dossier_get_for_applicant, dossier_get_for_reader
from sen.dossiers.services import (
    dossier_apologize,
    dossier_complete_step,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_stop,
    dossier_submit_supplement,
)
from sen.dossiers.slipdata import (
    apology_slip_data,
    available_slips,
    control_sheet_data,
    receipt_slip_data,
    step_records,
)
from sen.dossiers.slips import HandOffResult
from sen.dossiers.states import Action
from sen.dossiers.tests.factories import upload
from sen.dossiers.tests.inter_agency.conftest import CODE, MISSING, URL, as_user
from sen.dossiers.tests.pdf import pdf_text
from sen.dossiers.tests.state import written_state
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

PERSONAL_DATA_READ = "dossiers.dossier.personal_data_read"


def reads() -> list[dict[str, str]]:
    entries = AuditEntry.objects.filter(action=PERSONAL_DATA_READ).order_by("id")
    return [entry.data for entry in entries]


def get_slip(user, name: str):
    return as_user(user).get(f"{URL}/{CODE}/slips/{name}.pdf")


def check_pdf(response, file_suffix: str, *expected: str) -> None:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{CODE}-{file_suffix}.pdf"'
    text = pdf_text(response.content)
    for piece in (CODE, "Đăng ký khai sinh", "Trần Thị Bình", *expected):
        assert piece in text, piece


@pytest.mark.parametrize(("who", "recorded"), [("applicant", 0), ("desk", 1)])
def test_the_supplement_request_lists_every_missing_item_and_its_reason(
    submitted, people, who, recorded
):
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )

    response = get_slip(getattr(people, who), "supplement-request")

    check_pdf(
        response,
        "phieu-yeu-cau-bo-sung",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Giấy chứng sinh",
        "Bản chụp bị mờ",
        "Lê Văn Tiếp",
    )
    assert reads() == [{"purpose": "supplement_request_slip"}] * recorded


@pytest.mark.parametrize(
    ("officer_phone", "agency_phone", "shown"),
    [
        ("0912 000 111", "0229 3871 234", "0912 000 111"),
        ("", "0229 3871 234", "0229 3871 234"),
        # Neither on record: a blank to write it in, as the form has
        ("", "", "………………… để được hướng dẫn"),
    ],
)
def test_the_supplement_request_gives_a_number_to_call(
    submitted, people, officer_phone, agency_phone, shown
):
    # The officer's own phone, else the receiving agency's
    people.desk.phone = officer_phone
    people.desk.save(update_fields=["phone"])
    submitted.agency.phone = agency_phone
    submitted.agency.save(update_fields=["phone"])
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )

    response = get_slip(people.applicant, "supplement-request")

    check_pdf(response, "phieu-yeu-cau-bo-sung", f"Lê Văn Tiếp, số điện thoại {shown}")


def test_the_refusal_gives_the_reason(submitted, people):
    dossier_refuse(
        dossier=submitted, reason="Hồ sơ nộp sai cơ quan", actor=people.desk, expected_revision=1
    )

    response = get_slip(people.desk, "refusal")

    check_pdf(
        response,
        "phieu-tu-choi",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Hồ sơ nộp sai cơ quan",
    )
    assert reads() == [{"purpose": "refusal_slip"}]


def test_the_apology_gives_the_reason_and_the_new_appointment(received, people):
    new_due = datetime.fromisoformat("2026-11-30T16:00:00+07:00")
    dossier_apologize(
        dossier=received,
        reason="Cần xác minh thêm tại địa phương",
        new_due_at=new_due,
        actor=people.leader,
        expected_revision=2,
    )

    response = get_slip(people.applicant, "apology")

    check_pdf(
        response,
        "van-ban-xin-loi",
        "VĂN BẢN XIN LỖI",
        "Cần xác minh thêm tại địa phương",
        "30/11/2026",
        "23/11/2026",
        "Phạm Thị Duyệt",
    )
    assert reads() == []


@pytest.mark.parametrize(
    ("who", "fixture", "revision", "named"),
    [
        ("leader", "received", 2, "Phạm Thị Duyệt"),
        # The one-stop officer holds the first step; the department's specialist, the second
        # (a leader of their own department too, not of the centre that sends the letter).
        ("desk", "received", 2, ""),
        ("specialist", "at_specialist", 3, ""),
    ],
)
def test_the_apology_names_its_signer_only_if_they_lead_the_agency_that_sends_it(
    request, people, department, who, fixture, revision, named
):
    # Given the officer who records the apology
    dossier = request.getfixturevalue(fixture)
    MembershipFactory(user=people.specialist, agency=department, role=Role.LEADER)
    people.specialist.full_name = "Đỗ Văn Thẩm"
    people.specialist.save()
    officer = getattr(people, who)
    dossier_apologize(
        dossier=dossier,
        reason="Cần xác minh thêm tại địa phương",
        new_due_at=datetime.fromisoformat("2026-11-30T16:00:00+07:00"),
        actor=officer,
        expected_revision=revision,
    )

    # When the letter is drawn, and downloaded
    read = dossier_get_for_applicant(code=CODE, user=people.applicant)
    data = apology_slip_data(read, tracking_url="https://sen.example/tra-cuu/x/")
    text = pdf_text(get_slip(people.applicant, "apology").content)

    # Then the head's signature names the centre's leader, and nobody else: the line is left
    # for the head of the agency to sign
    assert data.signer_title == "THỦ TRƯỞNG CƠ QUAN"
    assert data.signer_name == named
    signature = f"THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu) {named}".strip()
    assert text.endswith(f"Kính mong Ông/Bà thông cảm./. {signature}")


def apologize(received, people) -> None:
    dossier_apologize(
        dossier=received,
        reason="Cần xác minh thêm tại địa phương",
        new_due_at=datetime.fromisoformat("2026-11-30T16:00:00+07:00"),
        actor=people.leader,
        expected_revision=2,
    )


def apology_slips(people) -> list[str]:
    dossier = dossier_get_for_applicant(code=CODE, user=people.applicant)
    return [slip.name for slip in available_slips(dossier) if slip.name == "apology_slip"]


def test_an_apology_whose_data_lost_its_appointments_prints_them_from_the_history(received, people):
    # Given an apology whose data was repaired by hand and lost both appointments
    apologize(received, people)
    DossierEvent.objects.filter(action=Action.APOLOGIZE).update(
        data={"reason": "Cần xác minh thêm tại địa phương"}
    )

    # When the applicant downloads the letter
    response = get_slip(people.applicant, "apology")

    # Then it still gives both, from the due moments the events keep
    check_pdf(response, "van-ban-xin-loi", "VĂN BẢN XIN LỖI", "30/11/2026", "23/11/2026")
    assert apology_slips(people) == ["apology_slip"]


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "Cần xác minh", "previous_due_at": "hôm qua"},
        {"reason": "Cần xác minh", "new_due_at": "2026-11-30T16:00:00"},  # no offset
        {
            "reason": "Cần xác minh",
            "previous_due_at": "2026-11-30T16:00:00+07:00",
            "new_due_at": "2026-11-23T09:00:00+07:00",
        },
    ],
    ids=["unreadable", "naive", "new-before-old"],
)
def test_an_apology_whose_history_does_not_tell_its_appointments_is_a_clear_409(
    received, people, data
):
    # Given an apology whose data and due moments were both spoilt by hand
    apologize(received, people)
    DossierEvent.objects.filter(action=Action.APOLOGIZE).update(data=data, due_at=None)
    before = written_state()

    # When the applicant asks for the letter, then the answer says why there is none,
    # nothing changed, and the pages do not link it
    assert_not_available(
        people,
        "apology",
        f"Lịch sử hồ sơ {CODE} không ghi rõ ngày hẹn trả cũ và ngày hẹn lại "
        "nên không in được văn bản xin lỗi; hãy báo quản trị hệ thống.",
        before,
    )


SLIP_LINK = re.compile(r'href="(/api/v1/dossiers/[^"]+/slips/[a-z-]+\.pdf)"')


def linked_slips(people) -> list[str]:
    """Return the slips the citizen's page and the officer's page link, in that order."""
    pages = [
        as_user(people.applicant).get(f"/ho-so-cua-toi/{CODE}/"),
        as_user(people.leader).get(f"/can-bo/ho-so/{CODE}/"),
    ]
    assert [page.status_code for page in pages] == [200, 200]
    return [link for page in pages for link in SLIP_LINK.findall(page.content.decode())]


def assert_not_available(people, name: str, message: str, before: Any) -> None:
    """Assert that the applicant asking for slip ``name`` gets 409 with ``message``, that
    nothing changed since ``before`` (a ``written_state``), and that no dossier page links it."""
    response = get_slip(people.applicant, name)

    assert response.status_code == 409
    assert response.json() == {"error": {"code": "slip_not_available", "message": message}}
    assert written_state() == before
    assert not any(link.endswith(f"/{name}.pdf") for link in linked_slips(people))


def refuse(submitted, people) -> None:
    dossier_refuse(
        dossier=submitted, reason="Hồ sơ nộp sai cơ quan", actor=people.desk, expected_revision=1
    )


def stop(at_specialist, people) -> None:
    dossier_stop(
        dossier=at_specialist,
        reason="Có tranh chấp về quyền nuôi con",
        actor=people.leader,
        expected_revision=3,
    )


REASONED = {
    # slip: its event, how to issue it, the state it is issued in, what the message calls it
    "refusal": (Action.REFUSE, refuse, "submitted", "phiếu từ chối"),
    "apology": (Action.APOLOGIZE, apologize, "received", "văn bản xin lỗi"),
    "stop-notice": (Action.STOP, stop, "at_specialist", "thông báo dừng"),
}


@pytest.mark.parametrize("blank", ["", "  "], ids=["empty", "spaces"])
@pytest.mark.parametrize("name", list(REASONED))
def test_a_slip_whose_history_lost_its_reason_is_a_clear_409_and_not_linked(
    request, people, name, blank
):
    # Given a refusal, apology or stop whose reason was lost from its data and comment
    action, issue, state, called = REASONED[name]
    issue(request.getfixturevalue(state), people)
    events = DossierEvent.objects.filter(action=action)
    events.update(data={**events.get().data, "reason": blank}, comment=blank)
    before = written_state()

    # When the applicant asks for the slip, then the answer says why there is none,
    # nothing changed, and the pages do not link it
    assert_not_available(
        people,
        name,
        f"Lịch sử hồ sơ {CODE} không ghi lý do nên không in được {called}; "
        "hãy báo quản trị hệ thống.",
        before,
    )


@pytest.mark.parametrize(
    "items",
    [[], [{"name": "Giấy chứng sinh", "reason": " "}], [{"reason": "Bản chụp bị mờ"}], "mờ"],
    ids=["none", "blank-reason", "no-name", "not-a-list"],
)
def test_a_supplement_request_whose_history_lost_its_papers_is_a_clear_409_and_not_linked(
    submitted, people, items
):
    # Given a supplement request whose list of papers was spoilt by hand
    dossier_request_supplement(
        dossier=submitted, items=MISSING, actor=people.desk, expected_revision=1
    )
    DossierEvent.objects.filter(action=Action.REQUEST_SUPPLEMENT).update(data={"items": items})
    before = written_state()

    # When the applicant asks for the slip, then the answer says why there is none,
    # nothing changed, and the pages do not link it
    assert_not_available(
        people,
        "supplement-request",
        f"Lịch sử hồ sơ {CODE} không ghi đủ giấy tờ cần bổ sung và lý do nên "
        "không in được phiếu yêu cầu bổ sung; hãy báo quản trị hệ thống.",
        before,
    )


@pytest.mark.parametrize(
    ("legal_basis", "cited"),
    [
        # The provision the leader names comes first, then the one-stop framework
        (
            "khoản 3 Điều 16 Luật Hộ tịch",
            "Căn cứ khoản 3 Điều 16 Luật Hộ tịch; Nghị định 118/2025/NĐ-CP",
        ),
        ("", "Căn cứ Nghị định 118/2025/NĐ-CP"),
    ],
)
def test_the_stop_notice_gives_the_reason_and_legal_basis(
    at_specialist, people, legal_basis, cited
):
    dossier_stop(
        dossier=at_specialist,
        reason="Có tranh chấp về quyền nuôi con",
        actor=people.leader,
        expected_revision=3,
        legal_basis=legal_basis,
    )

    response = get_slip(people.specialist, "stop-notice")

    check_pdf(
        response,
        "thong-bao-dung",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Có tranh chấp về quyền nuôi con",
        cited,
        "Trung tâm Phục vụ hành chính công tỉnh thông báo dừng giải quyết hồ sơ",
    )
    assert reads() == [{"purpose": "stop_notice_slip"}]


def test_the_control_sheet_shows_each_hand_off_with_early_on_time_or_late(
    at_specialist, clock, people
):
    # The specialist finishes on Tuesday at 09:00: their day was due on Monday at 10:00.
    clock(at(24, 9))
    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=3)

    response = get_slip(people.leader, "control-sheet")

    check_pdf(
        response,
        "phieu-kiem-soat",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Tiếp nhận – Trung tâm Phục vụ hành chính công tỉnh",
        "Thẩm định – Sở Tư pháp",
        "Phê duyệt – Trung tâm Phục vụ hành chính công tỉnh",
        "Lê Văn Tiếp",
        "Đúng hạn",
        "Quá hạn",
    )
    assert "Trước hạn" not in pdf_text(response.content)
    assert reads() == [{"purpose": "control_sheet"}]


def control_sheet(user):
    read = dossier_get_for_reader(code=CODE, user=user)
    steps = step_records(read.dossier)
    return control_sheet_data(read.dossier, steps=steps, tracking_url="https://sen.example/")


def row(hand_off) -> tuple[str, str, str, str]:
    return (hand_off.from_party, hand_off.to_party, hand_off.by, hand_off.note)


def test_the_control_sheet_ends_with_the_result_handed_to_the_applicant(
    result_ready, clock, people
):
    clock(at(23, 15))
    dossier_return_result(
        dossier=result_ready, method="desk", actor=people.desk, expected_revision=6
    )

    last = control_sheet(people.leader).hand_offs[-1]

    assert row(last) == (
        "Bộ phận Một cửa – Trung tâm Phục vụ hành chính công tỉnh",
        "Người nhận kết quả: Trần Thị Bình",
        "Lê Văn Tiếp",
        "Trả trực tiếp tại Bộ phận Một cửa, người nhận: Trần Thị Bình",
    )
    assert last.at == at(23, 15)
    # approved on Monday at 10:00, before the 14:00 appointment: on time
    assert last.result == HandOffResult.ON_TIME
    check_pdf(get_slip(people.leader, "control-sheet"), "phieu-kiem-soat", "Người nhận kết quả")


def test_the_control_sheet_says_where_the_supplement_went_and_why_the_appointment_moved(
    at_specialist, clock, people
):
    # Given the specialist asks for a paper on Friday at 15:00 (the dossier due Monday at
    # 14:00), the applicant brings it on Monday at 09:00, and the specialist finishes at 10:00
    clock(at(20, 15))
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    clock(at(23, 9))
    dossier_submit_supplement(
        dossier=at_specialist,
        files=[upload(name="giay-chung-sinh.pdf")],
        actor=people.applicant,
        expected_revision=4,
    )
    clock(at(23, 10))
    dossier_complete_step(dossier=at_specialist, actor=people.specialist, expected_revision=5)

    sheet = control_sheet(people.leader)

    # Then between the desk's hand-off and the specialist's, the request went to the
    # applicant and the papers came back, moving the appointment by the three working hours
    # it stood still (Friday 15:00-17:00, Monday 08:00-09:00): Monday 14:00 becomes 17:00.
    rows = [(row(hand_off), hand_off.at) for hand_off in sheet.hand_offs]
    specialist = "Thẩm định – Sở Tư pháp"
    assert rows[1:] == [
        (
            (
                specialist,
                "Người nộp hồ sơ",
                people.specialist.full_name,
                f"Yêu cầu bổ sung: {MISSING[0]['name']}. Thời gian chờ bổ sung không tính vào "
                "thời hạn giải quyết.",
            ),
            at(20, 15),
        ),
        (
            (
                "Người nộp hồ sơ",
                specialist,
                people.applicant.full_name,
                "Đã nộp bổ sung; hẹn trả kết quả dời đến 17:00 23/11/2026.",
            ),
            at(23, 9),
        ),
        (
            (specialist, "Phê duyệt – Trung tâm Phục vụ hành chính công tỉnh",
             people.specialist.full_name, ""),
            at(23, 10),
        ),
    ]  # fmt: skip
    assert sheet.due_at == at(23, 17)
    check_pdf(
        get_slip(people.leader, "control-sheet"),
        "phieu-kiem-soat",
        "Người nộp hồ sơ",
        "Đã nộp bổ sung; hẹn trả kết quả dời đến 17:00 23/11/2026.",
    )


def test_the_control_sheet_says_the_appointment_an_apology_moved(received, people):
    # Given the leader apologizes and sets a new appointment for the 14:00 one
    dossier_apologize(
        dossier=received,
        reason="Cần xác minh thêm tại địa phương",
        new_due_at=datetime.fromisoformat("2026-11-30T16:00:00+07:00"),
        actor=people.leader,
        expected_revision=2,
    )

    # Then the sheet gives the new appointment and the one it replaced
    sheet = control_sheet(people.leader)
    assert sheet.previous_due_at == at(23, 14)
    text = pdf_text(get_slip(people.leader, "control-sheet").content)
    assert (
        "Hẹn trả kết quả: 16 giờ 00 phút, ngày 30/11/2026 (hẹn lại theo văn bản xin lỗi; hẹn "
        "trước: 14 giờ 00 phút, ngày 23/11/2026)"
    ) in text


def test_the_control_sheet_of_a_stopped_dossier_shows_the_step_it_was_stopped_at(
    at_specialist, clock, people
):
    clock(at(23, 9))
    dossier_stop(
        dossier=at_specialist, reason="Có tranh chấp", actor=people.leader, expected_revision=3
    )

    last = control_sheet(people.leader).hand_offs[-1]

    assert row(last) == (
        "Thẩm định – Sở Tư pháp",
        "Bộ phận Một cửa – Trung tâm Phục vụ hành chính công tỉnh",
        "Phạm Thị Duyệt",
        "Dừng giải quyết hồ sơ: Có tranh chấp",
    )


SLIPS = ["supplement-request", "refusal", "apology", "stop-notice", "control-sheet"]
NOT_YET = {
    "supplement-request": (
        f"Hồ sơ {CODE} chưa có yêu cầu bổ sung nên chưa có phiếu yêu cầu bổ sung."
    ),
    "refusal": f"Hồ sơ {CODE} không bị từ chối tiếp nhận nên không có phiếu từ chối.",
    "apology": f"Hồ sơ {CODE} chưa có văn bản xin lỗi, hẹn lại ngày trả kết quả.",
    "stop-notice": f"Hồ sơ {CODE} không bị dừng giải quyết nên không có thông báo dừng.",
    "control-sheet": f"Hồ sơ {CODE} chưa được tiếp nhận nên chưa có phiếu kiểm soát.",
}


@pytest.mark.parametrize("name", SLIPS)
def test_a_slip_is_not_available_before_the_dossier_reaches_its_state(submitted, people, name):
    before = written_state()

    response = get_slip(people.applicant, name)

    assert response.status_code == 409
    assert response.json() == {"error": {"code": "slip_not_available", "message": NOT_YET[name]}}
    assert written_state() == before


@pytest.mark.parametrize("name", SLIPS)
@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_a_slip_of_someone_elses_dossier_is_not_found(received, people, name, who):
    before = written_state()

    response = get_slip(getattr(people, who), name)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "dossier_not_found"
    assert written_state() == before


@pytest.mark.parametrize("name", SLIPS)
def test_a_slip_needs_a_signed_in_user(received, name):
    assert get_slip(None, name).status_code == 401


# --- Where the QR code leads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slip", "file_suffix"),
    [("receipt", "phieu-tiep-nhan"), ("control-sheet", "phieu-kiem-soat")],
)
def test_every_slip_leads_to_the_public_tracking_page_whatever_address_printed_it(
    received, people, settings, slip, file_suffix
):
    # Given a province's public portal address, when an officer prints a slip over the
    # intranet's name for the same server,
    settings.SEN_PUBLIC_URL = "https://dichvucong.ninhbinh.gov.vn"
    settings.ALLOWED_HOSTS = ["sen.noibo.ninhbinh", "dichvucong.ninhbinh.gov.vn"]
    response = as_user(people.desk).get(
        f"{URL}/{CODE}/slips/{slip}.pdf", HTTP_HOST="sen.noibo.ninhbinh"
    )

    # then the slip (its QR code and the address printed beside it) leads to the public
    # HTML tracking page, which the applicant can open from home, not to the JSON API.
    page = f"https://dichvucong.ninhbinh.gov.vn/tra-cuu/{CODE}/"
    check_pdf(response, file_suffix, page)
    assert "/api/v1/tracking" not in pdf_text(response.content)
    assert "noibo" not in pdf_text(response.content)


def test_the_receipt_reprinted_later_is_the_one_handed_out(at_specialist, clock, people):
    """An apology moves the appointment, a supplement brings papers: neither rewrites the
    receipt issued at intake (due 23/11 at 14:00, with the papers submitted)."""
    before = receipt_slip_data(
        dossier_get_for_applicant(code=CODE, user=people.applicant),
        tracking_url="https://dichvucong.example.vn/tra-cuu/",
    )
    clock(at(20, 15))
    dossier_request_supplement(
        dossier=at_specialist, items=MISSING, actor=people.specialist, expected_revision=3
    )
    dossier_submit_supplement(
        dossier=at_specialist,
        files=[upload(name="to-khai-sua.pdf")],
        actor=people.applicant,
        expected_revision=4,
    )
    dossier_apologize(
        dossier=at_specialist,
        reason="Chờ xác minh",
        new_due_at=at(27, 17),
        actor=people.specialist,
        expected_revision=5,
    )

    dossier = dossier_get_for_applicant(code=CODE, user=people.applicant)
    later = receipt_slip_data(dossier, tracking_url="https://dichvucong.example.vn/tra-cuu/")

    assert dossier.due_at == at(27, 17)
    assert later.due_at == before.due_at == at(23, 14)
    assert later.components == before.components
