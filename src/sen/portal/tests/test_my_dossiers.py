"""My dossiers: the list, one dossier, its actions and files, only ever for its applicant."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.dossiers.models import Dossier, DossierEvent, DossierRating
from sen.dossiers.tests.factories import PDF
from sen.portal.tests.html import text_of
from sen.portal.tests.one_stop import at, fresh, stored_names

pytestmark = pytest.mark.django_db


def snapshot(dossier: Dossier) -> tuple:
    """Return what a refused or denied action must leave unchanged."""
    row = Dossier.objects.filter(pk=dossier.pk).values().get()
    return (
        row,
        DossierEvent.objects.filter(dossier=dossier).count(),
        DossierRating.objects.filter(dossier=dossier).count(),
        stored_names(),
    )


# --- The list ---------------------------------------------------------------------------------


def test_my_dossiers_lists_only_mine_newest_first_with_status_and_due_moment(
    client, one_stop, clock
):
    first = one_stop.submit()
    one_stop.receive(first)
    clock(at(20, 10))
    second = one_stop.submit()
    one_stop.submit(applicant=one_stop.stranger)
    client.force_login(one_stop.applicant)

    response = client.get("/ho-so-cua-toi/")

    html = response.content.decode()
    codes = re.findall(r'<dd class="code">([^<]+)</dd>', html)
    assert codes == [second.code, first.code]
    text = text_of(html)
    assert "Bạn có 2 hồ sơ." in text
    assert f"Mã hồ sơ {first.code} Trạng thái Đã tiếp nhận" in text
    assert "Hẹn trả 09:00 23/11/2026 Trong hạn" in text
    assert f"Mã hồ sơ {second.code} Trạng thái Chờ tiếp nhận" in text


def test_my_dossiers_pages_by_twenty_in_the_same_number_of_queries(
    client, one_stop, django_assert_num_queries
):
    for _ in range(25):
        one_stop.submit()
    client.force_login(one_stop.applicant)

    # session, user, the roles behind the menu (none), count, one page of dossiers with
    # procedure and agency
    with django_assert_num_queries(5):
        first = client.get("/ho-so-cua-toi/")
    with django_assert_num_queries(5):
        second = client.get("/ho-so-cua-toi/?page=2")

    assert first.content.decode().count('<li class="result">') == 20
    assert second.content.decode().count('<li class="result">') == 5
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_a_citizen_without_dossiers_is_shown_where_to_start(client, one_stop):
    client.force_login(one_stop.stranger)

    text = text_of(client.get("/ho-so-cua-toi/").content.decode())

    assert "Bạn chưa nộp hồ sơ trực tuyến nào." in text


# --- One dossier ------------------------------------------------------------------------------


def test_the_dossier_page_shows_history_files_due_moment_slips_and_the_actions_open_now(
    client, one_stop, django_assert_num_queries
):
    dossier = one_stop.submit()
    one_stop.receive(dossier)
    client.force_login(one_stop.applicant)

    # session, user, roles behind the menu, dossier, events, files, components, steps
    with django_assert_num_queries(8):
        response = client.get(f"/ho-so-cua-toi/{dossier.code}/")

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Hẹn trả kết quả 09:00 23/11/2026" in text
    assert "Tiếp nhận hồ sơ 09:00 20/11/2026 — Đã tiếp nhận" in text
    assert f'<a href="/ho-so-cua-toi/{dossier.code}/tep/1/" download>to-khai.pdf</a>' in html
    assert f'href="/api/v1/dossiers/{dossier.code}/slips/receipt.pdf"' in html
    assert f'href="/tra-cuu/{dossier.code}/"' in html
    assert f'action="/ho-so-cua-toi/{dossier.code}/rut-ho-so/"' in html
    assert "/bo-sung/" not in html and "/danh-gia/" not in html
    # no officer's name reaches the applicant
    assert one_stop.desk.full_name not in html


def test_before_intake_the_page_says_when_the_receipt_comes(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.applicant)

    text = text_of(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode())

    assert (
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả sẽ có ở đây khi cơ quan tiếp nhận hồ sơ." in text
    )
    assert "Chưa có (hồ sơ chưa được tiếp nhận)" in text


def test_the_applicant_downloads_their_own_file(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.applicant)

    response = client.get(f"/ho-so-cua-toi/{dossier.code}/tep/1/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/tep/2/").status_code == 404


def returned_dossier(one_stop):
    dossier = one_stop.submit()
    one_stop.receive(dossier)
    one_stop.result_ready(dossier)
    return one_stop.returned(dossier)


def test_another_citizen_gets_404_on_every_page_file_and_action_and_changes_nothing(
    client, one_stop
):
    # Given a returned dossier with a file and a result, and another citizen signed in
    dossier = returned_dossier(one_stop)
    before = snapshot(dossier)
    client.force_login(one_stop.stranger)
    base = f"/ho-so-cua-toi/{dossier.code}"

    # When they try every page, file link and action of it
    answers = {
        "page": client.get(f"{base}/").status_code,
        "file": client.get(f"{base}/tep/1/").status_code,
        "result": client.get(f"{base}/ket-qua/1/").status_code,
        "withdraw": client.post(
            f"{base}/rut-ho-so/", {"reason": "x", "expected_revision": dossier.revision}
        ).status_code,
        "supplement": client.post(
            f"{base}/bo-sung/",
            {
                "expected_revision": dossier.revision,
                "component_1": SimpleUploadedFile("a.pdf", PDF),
            },
        ).status_code,
        "rate": client.post(
            f"{base}/danh-gia/",
            {"total_time": 0, "contacts": 0, "attitude": 0, "on_time": 0, "information": 0},
        ).status_code,
    }

    # Then each answers 404, as for a dossier that does not exist, and nothing changed
    assert answers == dict.fromkeys(answers, 404)
    assert snapshot(dossier) == before
    page = client.get(f"{base}/").content.decode()
    assert "Bạn không có hồ sơ nào mang mã" in page
    assert "Trần Thị Bình" not in page


def test_an_officer_of_the_agency_gets_404_on_the_citizen_pages_too(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.desk)

    assert client.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 404
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/tep/1/").status_code == 404


# --- Withdrawing ------------------------------------------------------------------------------


def test_the_applicant_withdraws_with_a_reason(client, one_stop):
    dossier = one_stop.receive(one_stop.submit())
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Đã nộp nhầm thủ tục", "expected_revision": fresh(dossier).revision},
        follow=True,
    )

    assert fresh(dossier).status == "withdrawn"
    text = text_of(response.content.decode())
    assert f"Đã rút hồ sơ {dossier.code}." in text
    assert "Lý do: Đã nộp nhầm thủ tục" in text
    assert "rut-ho-so" not in response.content.decode()  # no longer offered


def test_withdrawing_without_a_reason_is_refused_next_to_the_box(client, one_stop):
    dossier = one_stop.submit()
    before = snapshot(dossier)
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "  ", "expected_revision": dossier.revision},
    )

    assert response.status_code == 400
    assert '<p class="error" id="id_reason_error">Trường này là bắt buộc.</p>' in (
        response.content.decode()
    )
    assert snapshot(dossier) == before


def test_withdrawing_a_dossier_an_officer_just_changed_is_refused_and_said(client, one_stop):
    dossier = one_stop.submit()
    seen = dossier.revision
    one_stop.receive(dossier)  # meanwhile, at the desk
    before = snapshot(dossier)
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Không cần nữa", "expected_revision": seen},
        follow=True,
    )

    assert "vừa được người khác cập nhật" in response.content.decode()
    assert snapshot(dossier) == before


def test_a_decided_dossier_cannot_be_withdrawn(client, one_stop):
    dossier = one_stop.receive(one_stop.submit())
    one_stop.result_ready(dossier)
    before = snapshot(dossier)
    client.force_login(one_stop.applicant)

    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Không cần nữa", "expected_revision": fresh(dossier).revision},
        follow=True,
    )

    assert "rut-ho-so" not in page
    assert "Không thể rút hồ sơ" in response.content.decode()
    assert snapshot(dossier) == before


# --- Supplementing ----------------------------------------------------------------------------


def test_the_applicant_sees_what_was_asked_and_sends_the_supplement(client, one_stop):
    dossier = one_stop.ask_supplement(one_stop.submit())
    client.force_login(one_stop.applicant)

    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/bo-sung/",
        {
            "expected_revision": fresh(dossier).revision,
            "component_1": SimpleUploadedFile("giay-chung-sinh.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )

    assert "Giấy chứng sinh — Bản chụp bị mờ, không đọc được." in text_of(page)
    assert f'href="/api/v1/dossiers/{dossier.code}/slips/supplement-request.pdf"' in page
    assert fresh(dossier).status == "submitted"
    assert "Đã nộp bổ sung hồ sơ" in response.content.decode()
    assert "giay-chung-sinh.pdf" in response.content.decode()


def test_a_supplement_without_a_file_or_with_a_wrong_one_is_refused(client, one_stop):
    dossier = one_stop.ask_supplement(one_stop.submit())
    before = snapshot(dossier)
    client.force_login(one_stop.applicant)
    url = f"/ho-so-cua-toi/{dossier.code}/bo-sung/"

    empty = client.post(url, {"expected_revision": fresh(dossier).revision})
    wrong = client.post(
        url,
        {
            "expected_revision": fresh(dossier).revision,
            "component_1": SimpleUploadedFile("anh.gif", b"GIF89a....", "image/gif"),
        },
    )

    assert empty.status_code == 400
    assert "Hãy đính kèm ít nhất một giấy tờ bổ sung." in empty.content.decode()
    assert wrong.status_code == 400
    assert "không phải PDF, JPEG hoặc PNG" in wrong.content.decode()
    assert snapshot(dossier) == before


# --- The result and the rating ----------------------------------------------------------------


def test_the_result_is_downloaded_by_the_applicant_only_once_returned(client, one_stop):
    dossier = one_stop.receive(one_stop.submit())
    one_stop.result_ready(dossier)
    client.force_login(one_stop.applicant)

    before_return = client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/1/")
    one_stop.returned(dossier)
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    after_return = client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/1/")

    assert before_return.status_code == 404
    assert f'href="/ho-so-cua-toi/{dossier.code}/ket-qua/1/" download>giay-khai-sinh.pdf' in page
    assert after_return.status_code == 200
    assert b"".join(after_return.streaming_content) == PDF + b"% result\n"
    assert after_return.headers["Content-Disposition"] == (
        'attachment; filename="giay-khai-sinh.pdf"'
    )


def test_a_returned_dossier_is_rated_once_on_the_official_criteria(client, one_stop):
    dossier = returned_dossier(one_stop)
    client.force_login(one_stop.applicant)
    url = f"/ho-so-cua-toi/{dossier.code}/danh-gia/"
    scores = {"total_time": 2, "contacts": 2, "attitude": 1, "on_time": 2, "information": 0}

    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    response = client.post(url, {**scores, "comment": "Nhanh, gọn."}, follow=True)
    again = client.post(url, scores, follow=True)

    assert "<legend>Thái độ, tinh thần trách nhiệm của cán bộ, công chức" in page
    assert 'type="radio" name="attitude" value="2"' in page
    rating = DossierRating.objects.get(dossier=dossier)
    assert (rating.scores, rating.comment) == (scores, "Nhanh, gọn.")
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    assert "Bạn đã đánh giá lúc" in response.content.decode()
    assert "đã được đánh giá" in again.content.decode()
    assert DossierRating.objects.count() == 1


def test_a_rating_missing_a_criterion_is_named_and_stores_nothing(client, one_stop):
    dossier = returned_dossier(one_stop)
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/danh-gia/",
        {"total_time": 2, "contacts": 2, "on_time": 2, "information": 9},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="error" id="id_attitude_error">Trường này là bắt buộc.</p>' in html
    assert 'id="id_information_error"' in html
    assert DossierRating.objects.count() == 0


def test_a_dossier_not_yet_returned_cannot_be_rated(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/danh-gia/",
        {"total_time": 2, "contacts": 2, "attitude": 2, "on_time": 2, "information": 2},
        follow=True,
    )

    assert "chưa được trả kết quả nên chưa thể đánh giá" in response.content.decode()
    assert DossierRating.objects.count() == 0


def test_the_returned_dossier_page_costs_two_queries_more_for_results_and_rating(
    client, one_stop, django_assert_num_queries
):
    dossier = returned_dossier(one_stop)
    one_stop.rate(dossier)
    client.force_login(one_stop.applicant)

    # session, user, roles behind the menu, dossier, events, files, components, steps,
    # results, rating
    with django_assert_num_queries(10):
        response = client.get(f"/ho-so-cua-toi/{dossier.code}/")

    assert "Bạn đã đánh giá lúc" in response.content.decode()
