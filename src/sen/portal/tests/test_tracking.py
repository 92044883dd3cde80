"""The public tracking page: anyone holding the code follows the dossier, nobody learns who
applied or who acted."""

import dataclasses
import re

import pytest

from sen.dossiers import services
from sen.portal.tests.html import text_of
from sen.portal.tests.one_stop import APPLICANT_DETAILS, FORM_DATA, fresh, pdf_upload
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_processing(one_stop, clock):
    """A dossier received Friday 09:00, its first step done on time, the second one late."""
    dossier = one_stop.submit()
    one_stop.receive(dossier)
    clock(at(20, 9, 30))
    one_stop.complete_step(dossier, one_stop.desk)
    clock(at(23, 8, 30))  # Monday: the specialist's step was due on Friday, the dossier at 09:00
    return dossier


def test_anyone_with_the_code_sees_status_due_moment_steps_and_history(
    client, one_stop, in_processing, django_assert_num_queries
):
    # Given an anonymous visitor holding the code of a dossier being processed
    # When they open its tracking page (dossier with procedure and agency, events, steps)
    with django_assert_num_queries(3):
        response = client.get(f"/tra-cuu/{in_processing.code}/")

    # Then they see the procedure, agency, status and due moment
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Đăng ký khai sinh" in text
    assert "Trung tâm Phục vụ hành chính công tỉnh" in text
    assert "Trạng thái Đang xử lý" in text
    assert "Hẹn trả kết quả 09:00 23/11/2026" in text
    assert "Tiến độ Trong hạn" in text
    # and each step with its dates and timeliness
    assert (
        "Tiếp nhận Trung tâm Phục vụ hành chính công tỉnh 09:00 20/11/2026 10:00 20/11/2026 "
        "09:30 20/11/2026 Đúng hạn"
    ) in text
    assert (
        "Thẩm định Trung tâm Phục vụ hành chính công tỉnh 09:30 20/11/2026 16:30 20/11/2026 "
        "Chưa xong, đang xử lý Quá hạn"
    ) in text
    # and the history
    assert "Nộp hồ sơ 09:00 20/11/2026 — Chờ tiếp nhận" in text
    assert "Tiếp nhận hồ sơ 09:00 20/11/2026 — Đã tiếp nhận" in text


def test_in_english_the_history_says_what_happened_not_what_to_do(
    client, settings, one_stop, in_processing
):
    # Given a visitor who chose English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # When they open the tracking page
    text = text_of(client.get(f"/tra-cuu/{in_processing.code}/").content.decode())

    # Then each event reads as something done, not as the officer's button
    assert "Submitted 09:00 20/11/2026" in text
    assert "Received 09:00 20/11/2026" in text
    assert "Processing step completed 09:30 20/11/2026" in text
    assert "Submit 09:00" not in text


def test_the_tracking_page_shows_no_personal_data_and_nobody_who_acted(
    client, one_stop, in_processing
):
    html = client.get(f"/tra-cuu/{in_processing.code}/").content.decode()

    for personal in (
        *APPLICANT_DETAILS.values(),
        # (the child's sex, "Nam", is also in "Việt Nam")
        *(value for key, value in FORM_DATA.items() if key != "gioi_tinh"),
        "to-khai.pdf",
        one_stop.applicant.username,
        one_stop.desk.username,
        one_stop.desk.full_name,
    ):
        assert personal not in html, personal
    assert 'name="robots" content="noindex"' in html


def test_an_unknown_code_answers_a_vietnamese_404_with_the_search_form(client, one_stop):
    response = client.get("/tra-cuu/000.00.01.H37-261120-0099/")

    assert response.status_code == 404
    text = text_of(response.content.decode())
    assert "Không tìm thấy hồ sơ có mã 000.00.01.H37-261120-0099." in text
    assert 'value="000.00.01.H37-261120-0099"' in response.content.decode()


def test_the_search_form_sends_a_code_typed_loosely_to_its_page(client, db):
    response = client.get("/tra-cuu/", {"ma": " 000.00.01.h37-261120-0001 "})

    assert response.status_code == 302
    assert response.headers["Location"] == "/tra-cuu/000.00.01.H37-261120-0001/"


@pytest.mark.parametrize(
    "typed",
    [
        str.lower,
        lambda code: code.replace("-", "%20-%20", 1),
        lambda code: f"%20{code}",
        lambda code: code.replace("-", "%20"),
        lambda code: code.replace("-", "%E2%80%93"),
    ],
    ids=["lower case", "spaces around the dash", "a space before", "spaces", "en dashes"],
)
def test_the_address_typed_by_hand_from_the_slip_finds_the_dossier(
    client, one_stop, in_processing, typed
):
    """The slip prints the tracking address for people to type; a phone writes it in lower
    case or with a space."""
    response = client.get(f"/tra-cuu/{typed(in_processing.code)}/", follow=True)

    assert response.redirect_chain == [(f"/tra-cuu/{in_processing.code}/", 302)]
    assert "Trạng thái Đang xử lý" in text_of(response.content.decode())


def test_an_address_of_spaces_only_is_not_found(client, db):
    assert client.get("/tra-cuu/%20/").status_code == 404


def test_the_search_form_explains_a_code_that_cannot_be_one(client, db):
    response = client.get("/tra-cuu/", {"ma": "khong-phai-ma"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Mã hồ sơ gồm mã cơ quan, ngày nộp và số thứ tự" in html
    assert 'aria-invalid="true"' in html


def test_the_search_page_asks_for_a_code(client, db):
    response = client.get("/tra-cuu/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="search__label" for="id_ma">Mã hồ sơ</label>' in html
    assert "error" not in re.sub(r"<head>.*</head>", "", html, flags=re.S).split("<main")[1]


def test_a_step_left_open_by_a_withdrawal_is_not_in_progress_and_never_becomes_late(
    client, one_stop, clock
):
    # Given a dossier withdrawn at 09:15, while its desk step (due 10:00) was open
    dossier = one_stop.submit()
    one_stop.receive(dossier)
    clock(at(20, 9, 15))
    services.dossier_withdraw(
        dossier=dossier,
        reason="Nộp nhầm thủ tục.",
        actor=one_stop.applicant,
        expected_revision=fresh(dossier).revision,
    )
    # When anyone follows it on Monday, long past the step's due moment
    clock(at(23, 8, 30))
    text = text_of(client.get(f"/tra-cuu/{dossier.code}/").content.decode())

    # Then the step ended with the dossier, in time: not in progress, not late
    assert (
        "Tiếp nhận Trung tâm Phục vụ hành chính công tỉnh 09:00 20/11/2026 10:00 20/11/2026 "
        "Không hoàn thành (hồ sơ đã kết thúc) —"
    ) in text
    assert "Đang xử lý" not in text
    assert "Quá hạn" not in text
    # and the API says the same
    [step] = client.get(f"/api/v1/tracking/{dossier.code}").json()["steps"]
    assert (step["finished_at"], step["timeliness"]) == (None, "unfinished")


def test_a_step_already_late_when_the_dossier_was_stopped_stays_late(
    client, one_stop, in_processing
):
    # Given the dossier whose specialist step was due on Friday, stopped on Monday
    services.dossier_stop(
        dossier=in_processing,
        reason="Hồ sơ giả mạo giấy tờ.",
        actor=one_stop.leader,
        expected_revision=fresh(in_processing).revision,
    )

    # When anyone follows it
    text = text_of(client.get(f"/tra-cuu/{in_processing.code}/").content.decode())

    # Then the open step is no longer in progress, and was late when the dossier stopped
    assert (
        "Thẩm định Trung tâm Phục vụ hành chính công tỉnh 09:30 20/11/2026 16:30 20/11/2026 "
        "Không hoàn thành (hồ sơ đã kết thúc) Quá hạn"
    ) in text
    assert "Đang xử lý" not in text.split("Các bước xử lý")[1].split("Quá trình")[0]


def test_a_rescheduled_dossier_late_by_law_shows_both_appointments_to_everyone(
    client, one_stop, clock
):
    # Given a dossier received Friday 20/11 at 09:00, due Monday at 09:00, whose leader
    # apologizes at once with a new appointment on Friday 27/11 at 16:00,
    dossier = one_stop.submit()
    one_stop.receive(dossier)
    services.dossier_apologize(
        dossier=dossier,
        reason="Cần xác minh",
        new_due_at=at(27, 16),
        actor=one_stop.leader,
        expected_revision=fresh(dossier).revision,
    )
    clock(at(25, 10))  # Wednesday: past the legal due moment, before the new one

    # Then the tracking page says why a future appointment is already late,
    tracking = text_of(client.get(f"/tra-cuu/{dossier.code}/").content.decode())
    assert (
        "Hẹn trả kết quả 16:00 27/11/2026 Hẹn lại theo văn bản xin lỗi; hạn giải quyết theo "
        "quy định là 09:00 23/11/2026. Tiến độ Quá hạn"
    ) in tracking
    # and the officers' page marks it late by law, not overdue.
    client.force_login(one_stop.specialist)
    officers = text_of(client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode())
    assert "Hẹn trả kết quả 16:00 27/11/2026 Trễ hạn theo quy định, đã hẹn lại" in officers


def test_a_dossier_waiting_for_a_supplement_says_its_clock_stands_still(
    client, one_stop, in_processing, clock
):
    # Given the specialist asks for a paper on Monday at 08:30, the dossier due at 09:00
    services.dossier_request_supplement(
        dossier=in_processing,
        items=[{"name": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}],
        actor=one_stop.specialist,
        expected_revision=fresh(in_processing).revision,
    )
    clock(at(25, 10))  # two days later, the appointment long past

    # Then the tracking page, the applicant's page and the officers' page say why
    stopped = "Thời gian giải quyết tạm dừng từ 08:30 23/11/2026 để chờ giấy tờ bổ sung"
    assert stopped in text_of(client.get(f"/tra-cuu/{in_processing.code}/").content.decode())
    client.force_login(one_stop.applicant)
    mine = client.get(f"/ho-so-cua-toi/{in_processing.code}/").content.decode()
    assert stopped in text_of(mine)
    client.force_login(one_stop.specialist)
    officers = client.get(f"/can-bo/ho-so/{in_processing.code}/").content.decode()
    assert stopped in text_of(officers)

    # and once the paper arrives, the note goes and the appointment moves
    paper = pdf_upload("giay-chung-sinh.pdf")
    services.dossier_submit_supplement(
        dossier=in_processing,
        files=[dataclasses.replace(paper, position=None, requested=1)],
        actor=one_stop.applicant,
        expected_revision=fresh(in_processing).revision,
    )
    assert "tạm dừng" not in text_of(client.get(f"/tra-cuu/{in_processing.code}/").content.decode())
