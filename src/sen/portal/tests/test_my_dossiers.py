"""My dossiers: the list, one dossier, its actions and files, only ever for its applicant."""

import dataclasses
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.dossiers import services
from sen.dossiers.errors import InvalidSupplement
from sen.dossiers.models import Dossier, DossierEvent, DossierRating
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.states import Action
from sen.dossiers.tests.factories import PDF
from sen.dossiers.tests.state import written_state
from sen.portal.tests.html import languages_of, text_of
from sen.portal.tests.one_stop import OneStop, fresh, pdf_upload
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


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


def test_a_dossier_refused_or_withdrawn_before_intake_has_no_appointment_not_one_to_come(
    client, one_stop
):
    # Given one dossier waiting for intake, one refused and one withdrawn before intake
    waiting = one_stop.submit()
    refused = services.dossier_refuse(
        dossier=one_stop.submit(),
        reason="Không thuộc thẩm quyền.",
        actor=one_stop.desk,
        expected_revision=1,
    )
    withdrawn = services.dossier_withdraw(
        dossier=one_stop.submit(), reason="Nộp nhầm.", actor=one_stop.applicant
    )
    client.force_login(one_stop.applicant)

    # When the applicant opens the list and each dossier
    listed = text_of(client.get("/ho-so-cua-toi/").content.decode())
    pages = {
        dossier.code: text_of(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode())
        for dossier in (waiting, refused, withdrawn)
    }

    # Then only the waiting one says the appointment is still to come
    assert f"{waiting.code} Trạng thái Chờ tiếp nhận Nộp lúc" in listed
    assert listed.count("Hẹn trả Chưa có (chưa tiếp nhận)") == 1
    assert listed.count("Hẹn trả Không có (không tiếp nhận)") == 2
    assert "Hẹn trả kết quả Chưa có (chưa tiếp nhận)" in pages[waiting.code]
    for dossier in (refused, withdrawn):
        assert "Hẹn trả kết quả Không có (không tiếp nhận)" in pages[dossier.code]


def test_my_dossiers_pages_by_twenty_in_the_same_number_of_queries(
    client, one_stop, django_assert_num_queries
):
    for _ in range(25):
        one_stop.submit()
    client.force_login(one_stop.applicant)

    # session, user, the roles behind the menu (none), count, one page of dossiers with
    # procedure and agency, the count of those waiting for a supplement on every page
    with django_assert_num_queries(6):
        first = client.get("/ho-so-cua-toi/")
    with django_assert_num_queries(6):
        second = client.get("/ho-so-cua-toi/?page=2")

    assert first.content.decode().count('<li class="result">') == 20
    assert second.content.decode().count('<li class="result">') == 5
    assert 'href="?page=2" rel="next"' in first.content.decode()


@pytest.mark.parametrize("when", ["at_intake", "during_processing"])
def test_a_dossier_waiting_for_my_supplement_is_marked_and_counted_at_the_top(
    client, one_stop, when
):
    """Given one dossier whose supplement was asked for (at intake, or during processing)
    among others, when its applicant opens their dossiers, then the page says at the top how
    many wait for them, and that dossier's row, and only it, is marked with a link to the
    request on its page."""
    asked = (
        one_stop.ask_supplement(one_stop.submit())
        if when == "at_intake"
        else _asked_during_processing(one_stop)
    )
    waiting = one_stop.receive(one_stop.submit())
    client.force_login(one_stop.applicant)

    html = client.get("/ho-so-cua-toi/").content.decode()

    text = text_of(html)
    assert "Bạn có 2 hồ sơ. Bạn có 1 hồ sơ cần bổ sung." in text
    rows = re.findall(r'<li class="(result[^"]*)">.*?<dd class="code">([^<]+)</dd>', html, re.S)
    assert {code: marked for marked, code in rows} == {
        asked.code: "result result--action",
        waiting.code: "result",
    }
    assert text.count("Cần bổ sung") == 1  # the one row's mark
    assert f'<a href="/ho-so-cua-toi/{asked.code}/#supplement-title">' in html
    # the notice at the top links to it by its code
    notice = (
        f'<a class="code" href="/ho-so-cua-toi/{asked.code}/#supplement-title">{asked.code}</a>'
    )
    assert notice in html
    assert f"/ho-so-cua-toi/{waiting.code}/#supplement-title" not in html
    # and the link leads to what was asked, above the form that sends it
    page = client.get(f"/ho-so-cua-toi/{asked.code}/").content.decode()
    assert 'id="supplement-title"' in page and f"/ho-so-cua-toi/{asked.code}/bo-sung/" in page


def test_the_count_of_dossiers_waiting_for_me_covers_every_page(client, one_stop):
    """The mark is on the row, wherever it is; the count at the top is the same on each page."""
    first = one_stop.ask_supplement(one_stop.submit())
    for _ in range(20):
        one_stop.submit()
    client.force_login(one_stop.applicant)

    newest = client.get("/ho-so-cua-toi/").content.decode()
    oldest = client.get("/ho-so-cua-toi/?page=2").content.decode()

    for html in (newest, oldest):
        assert "Bạn có 1 hồ sơ cần bổ sung." in text_of(html)
    assert "result--action" not in newest
    assert f'<a href="/ho-so-cua-toi/{first.code}/#supplement-title">' in oldest


def test_once_the_supplement_is_sent_nothing_waits_for_me(client, one_stop):
    _supplemented(one_stop)
    client.force_login(one_stop.applicant)

    html = client.get("/ho-so-cua-toi/").content.decode()

    assert "cần bổ sung" not in text_of(html).lower()
    assert "result--action" not in html


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
    # what the applicant declared, under the e-form's labels, to check it
    declared = text.split("Thông tin đã khai")[1].split("Giấy tờ đã nộp")[0]
    assert "Họ, chữ đệm và tên của trẻ Trần Văn Con Giới tính Nam Ngày sinh 10/11/2026" in declared
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
    assert "Hẹn trả kết quả Chưa có (chưa tiếp nhận)" in text


def test_a_dossier_withdrawn_before_intake_promises_no_receipt(client, one_stop):
    dossier = one_stop.submit()
    services.dossier_withdraw(
        dossier=dossier, reason="Nộp nhầm thủ tục", actor=one_stop.applicant, expected_revision=1
    )
    client.force_login(one_stop.applicant)

    text = text_of(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode())

    assert "sẽ có ở đây" not in text
    assert "Hồ sơ đã kết thúc trước khi được tiếp nhận; cơ quan không lập phiếu nào." in text


def test_the_applicant_downloads_their_own_file(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.applicant)

    response = client.get(f"/ho-so-cua-toi/{dossier.code}/tep/1/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Personal papers: not kept in the cache of a shared computer (a kiosk, a café).
    assert response.headers["Cache-Control"] == "private, no-store"
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
    before = written_state()
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
    assert written_state() == before
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
        {
            "reason": "Đã nộp nhầm thủ tục",
            "confirm": "on",
            "expected_revision": fresh(dossier).revision,
        },
        follow=True,
    )

    assert fresh(dossier).status == "withdrawn"
    text = text_of(response.content.decode())
    assert f"Đã rút hồ sơ {dossier.code}." in text
    assert "Lý do: Đã nộp nhầm thủ tục" in text
    assert "rut-ho-so" not in response.content.decode()  # no longer offered


def test_withdrawing_without_a_reason_is_refused_next_to_the_box(client, one_stop):
    dossier = one_stop.submit()
    before = written_state()
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "  ", "expected_revision": dossier.revision},
    )

    assert response.status_code == 400
    assert '<p class="error" id="id_reason_error">Trường này là bắt buộc.</p>' in (
        response.content.decode()
    )
    assert written_state() == before


def test_withdrawing_without_confirming_is_refused_and_keeps_the_reason(client, one_stop):
    dossier = one_stop.submit()
    before = written_state()
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Đã nộp nhầm thủ tục", "expected_revision": dossier.revision},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<p class="error" id="id_confirm_error">Hãy đánh dấu xác nhận trước khi rút hồ sơ.</p>'
    ) in html
    assert re.search(r"<textarea[^>]*>\s*Đã nộp nhầm thủ tục</textarea>", html)
    assert written_state() == before


def error_summary(html: str) -> str:
    """Return the page's summary of the problems of the form sent back, or ""."""
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return found.group() if found else ""


def test_a_refused_withdrawal_is_summed_up_where_the_page_opens_and_linked_to_the_box(
    client, one_stop
):
    """The withdrawal form is the last thing on a long page: the problem must come first."""
    dossier = one_stop.submit()
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "  ", "expected_revision": dossier.revision},
    )

    html = response.content.decode()
    summary = error_summary(html)
    assert 'role="alert" tabindex="-1" autofocus' in summary
    assert '<a href="#id_reason">Lý do rút hồ sơ: Trường này là bắt buộc.</a>' in summary
    assert html.index(summary) < html.index('id="history-title"') < html.index('id="id_reason"')


def test_a_rating_missing_a_criterion_links_the_summary_to_its_first_choice(client, one_stop):
    dossier = returned_dossier(one_stop)
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/danh-gia/",
        {"total_time": 2, "contacts": 2, "on_time": 2, "information": 1},
    )

    html = response.content.decode()
    link = re.search(r'<a href="#(id_attitude_0)">Thái độ[^<]*: Trường này là bắt buộc.</a>', html)
    assert link is not None and f'id="{link[1]}"' in html


def test_a_dossier_page_without_a_form_sent_back_has_no_summary(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.applicant)

    assert error_summary(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()) == ""


@pytest.mark.parametrize("action", ["rut-ho-so", "bo-sung", "danh-gia"])
def test_the_address_a_refused_action_leaves_leads_back_to_the_dossier_page(
    client, one_stop, action
):
    """After a refused action the address bar shows the action's address: reloading it, or
    switching language (which comes back to it), asks for it by GET."""
    dossier = one_stop.submit()
    before = written_state()
    client.force_login(one_stop.applicant)
    url = f"/ho-so-cua-toi/{dossier.code}/{action}/"

    direct = client.get(url)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": url}, follow=True)

    assert direct.status_code == 302
    assert direct.headers["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert switched.status_code == 200
    assert f"Dossier {dossier.code}" in switched.content.decode()
    assert client.put(url).status_code == 405
    assert written_state() == before


def test_another_citizen_reading_an_action_address_gets_404(client, one_stop):
    dossier = one_stop.submit()
    client.force_login(one_stop.stranger)

    response = client.get(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/", follow=True)

    assert response.status_code == 404


def test_withdrawing_a_dossier_an_officer_just_changed_is_refused_and_said(client, one_stop):
    dossier = one_stop.submit()
    seen = dossier.revision
    one_stop.receive(dossier)  # meanwhile, at the desk
    before = written_state()
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Không cần nữa", "confirm": "on", "expected_revision": seen},
    )

    # The page says what the dossier is now, keeps the reason typed, and a second click
    # is against the dossier as it now stands.
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        f"Hồ sơ {dossier.code} vừa có cập nhật mới (trạng thái hiện tại: Đã tiếp nhận); hãy "
        "xem lại hồ sơ rồi làm lại nếu vẫn cần."
    ) in html
    assert re.search(r"<textarea[^>]*>\s*Không cần nữa</textarea>", html)
    assert f'name="expected_revision" value="{fresh(dossier).revision}"' in html
    assert written_state() == before


def test_a_decided_dossier_cannot_be_withdrawn(client, one_stop):
    dossier = one_stop.receive(one_stop.submit())
    one_stop.result_ready(dossier)
    before = written_state()
    client.force_login(one_stop.applicant)

    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Không cần nữa", "confirm": "on", "expected_revision": fresh(dossier).revision},
        follow=True,
    )

    assert "rut-ho-so" not in page
    assert "Không thể rút hồ sơ" in response.content.decode()
    assert written_state() == before


def test_a_withdrawal_sent_blank_after_the_dossier_was_decided_says_why(client, one_stop):
    # Given the citizen opened the page while the dossier was being processed
    dossier = one_stop.receive(one_stop.submit())
    seen = fresh(dossier).revision
    one_stop.result_ready(dossier)  # meanwhile the officers finished it
    before = written_state()
    client.force_login(one_stop.applicant)

    # When they send the withdrawal without a reason
    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/", {"reason": "", "expected_revision": seen}
    )

    # Then the page says it can no longer be withdrawn (the form is gone), not nothing
    assert response.status_code == 409
    assert "Không thể rút hồ sơ khi hồ sơ đang ở trạng thái “Có kết quả”." in text_of(
        response.content.decode()
    )
    assert written_state() == before


def test_a_withdrawal_without_its_revision_asks_to_reload_the_page(client, one_stop):
    dossier = one_stop.submit()
    before = written_state()
    client.force_login(one_stop.applicant)

    response = client.post(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/", {"reason": "Nộp nhầm"})

    assert response.status_code == 400
    assert "Trang này đã cũ hoặc thiếu dữ liệu; hãy tải lại trang rồi gửi lại." in (
        response.content.decode()
    )
    assert written_state() == before


def test_a_reason_with_a_nul_character_is_refused_in_vietnamese(client, one_stop):
    dossier = one_stop.submit()
    before = written_state()
    client.force_login(one_stop.applicant)

    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
        {"reason": "Nộp\x00 nhầm", "expected_revision": dossier.revision},
    )

    assert response.status_code == 400
    assert (
        '<p class="error" id="id_reason_error">'
        "Dữ liệu gửi lên có ký tự rỗng (NUL), không lưu được.</p>"
    ) in response.content.decode()
    assert written_state() == before


# --- Supplementing ----------------------------------------------------------------------------


def test_the_applicant_sees_what_was_asked_and_sends_the_supplement(client, one_stop):
    dossier = one_stop.ask_supplement(one_stop.submit())
    client.force_login(one_stop.applicant)

    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/bo-sung/",
        {
            "expected_revision": fresh(dossier).revision,
            "requested_1": SimpleUploadedFile("giay-chung-sinh.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )

    assert "Giấy chứng sinh — Bản chụp bị mờ, không đọc được." in text_of(page)
    assert f'href="/api/v1/dossiers/{dossier.code}/slips/supplement-request.pdf"' in page
    assert fresh(dossier).status == "submitted"
    assert "Đã nộp bổ sung hồ sơ" in response.content.decode()
    assert "giay-chung-sinh.pdf" in response.content.decode()


def test_the_supplement_form_asks_for_each_paper_requested_and_files_it_by_that_name(
    client, one_stop
):
    # Given a request for one of the procedure's papers (named loosely) and another paper
    declaration = one_stop.procedure.components.order_by("position").first()
    dossier = one_stop.submit()
    services.dossier_request_supplement(
        dossier=dossier,
        items=[
            {"name": f"  {declaration.name.upper()} ", "reason": "Thiếu chữ ký."},
            {"name": "Bản chụp giấy tờ tùy thân", "reason": "Ảnh chụp bị mờ."},
        ],
        actor=one_stop.desk,
        expected_revision=fresh(dossier).revision,
    )
    client.force_login(one_stop.applicant)

    # When the applicant opens the dossier and sends a file for each paper asked for
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    response = client.post(
        f"/ho-so-cua-toi/{dossier.code}/bo-sung/",
        {
            "expected_revision": fresh(dossier).revision,
            "requested_1": SimpleUploadedFile("to-khai-ky.pdf", PDF, "application/pdf"),
            "requested_2": SimpleUploadedFile("cccd.pdf", PDF, "application/pdf"),
        },
    )

    # Then the form had one input per paper asked for, with its reason, and no other
    form = text_of(re.search(r'<form[^>]*bo-sung/".*?</form>', page, re.S).group())
    assert f"{declaration.name.upper()} Thiếu chữ ký." in form
    assert "Bản chụp giấy tờ tùy thân Ảnh chụp bị mờ." in form
    assert 'name="component_' not in page
    # and the files are filed: under the procedure's paper, or by the name asked for
    assert response.status_code == 302
    sent = fresh(dossier).files.filter(event__action=Action.SUBMIT_SUPPLEMENT).order_by("pk")
    assert [(f.component_id, f.requested_item) for f in sent] == [
        (declaration.pk, declaration.name.upper()),
        (None, "Bản chụp giấy tờ tùy thân"),
    ]
    mine = text_of(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode())
    assert "cccd.pdf Bản chụp giấy tờ tùy thân" in mine
    client.force_login(one_stop.desk)
    officers = text_of(client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode())
    assert "cccd.pdf Bản chụp giấy tờ tùy thân" in officers


def test_a_file_for_a_paper_beyond_the_requests_list_is_refused(one_stop):
    dossier = one_stop.ask_supplement(one_stop.submit())  # asks for one paper
    before = written_state()
    stray = dataclasses.replace(pdf_upload(), position=None, requested=2)

    with pytest.raises(InvalidSupplement) as refused:
        services.dossier_submit_supplement(
            dossier=fresh(dossier), files=[stray], actor=one_stop.applicant
        )

    assert refused.value.details == [
        {"field": "requested_2", "message": "Yêu cầu bổ sung không có giấy tờ thứ 2."}
    ]
    assert written_state() == before


def test_a_supplement_without_a_file_or_with_a_wrong_one_is_refused(client, one_stop):
    dossier = one_stop.ask_supplement(one_stop.submit())
    before = written_state()
    client.force_login(one_stop.applicant)
    url = f"/ho-so-cua-toi/{dossier.code}/bo-sung/"

    empty = client.post(url, {"expected_revision": fresh(dossier).revision})
    wrong = client.post(
        url,
        {
            "expected_revision": fresh(dossier).revision,
            "requested_1": SimpleUploadedFile("anh.gif", b"GIF89a....", "image/gif"),
        },
    )

    assert empty.status_code == 400
    assert "Hãy đính kèm ít nhất một giấy tờ bổ sung." in empty.content.decode()
    assert wrong.status_code == 400
    assert "không phải PDF, JPEG hoặc PNG" in wrong.content.decode()
    assert written_state() == before


# --- The actions offered -----------------------------------------------------------------------


def _supplemented(one_stop: OneStop) -> Dossier:
    dossier = one_stop.ask_supplement(one_stop.submit())
    return services.dossier_submit_supplement(
        dossier=dossier,
        files=[pdf_upload()],
        actor=one_stop.applicant,
        expected_revision=fresh(dossier).revision,
    )


def _processing(one_stop: OneStop) -> Dossier:
    return one_stop.complete_step(one_stop.receive(one_stop.submit()), one_stop.desk)


def _asked_during_processing(one_stop: OneStop) -> Dossier:
    dossier = _processing(one_stop)
    return services.dossier_request_supplement(
        dossier=dossier,
        items=[{"name": "Giấy chứng sinh", "reason": "Thiếu dấu"}],
        actor=one_stop.specialist,
        expected_revision=fresh(dossier).revision,
    )


def _by_leader(one_stop: OneStop, verb: str) -> Dossier:
    dossier = _processing(one_stop)
    revision = fresh(dossier).revision
    if verb == "apologize":
        return services.dossier_apologize(
            dossier=dossier, reason="Cần xác minh", new_due_at=at(27, 9),
            actor=one_stop.leader, expected_revision=revision,
        )  # fmt: skip
    return services.dossier_stop(
        dossier=dossier, reason="Có tranh chấp", actor=one_stop.leader, expected_revision=revision
    )


def test_the_history_shows_the_new_appointment_an_apology_gave(client, one_stop):
    dossier = _by_leader(one_stop, "apologize")
    client.force_login(one_stop.applicant)

    text = text_of(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode())

    assert "Hẹn trả mới: 09:00 27/11/2026" in text


@pytest.mark.parametrize(
    "written", ["2026-11-27T09:00:00", "thứ sáu tuần sau"], ids=["naive", "unreadable"]
)
def test_an_apology_whose_new_appointment_was_spoilt_shows_none(client, one_stop, written):
    # Given an apology whose data was repaired by hand: a moment without its offset is
    # no moment, since the services always write the offset
    dossier = _by_leader(one_stop, "apologize")
    DossierEvent.objects.filter(action=Action.APOLOGIZE).update(
        data={"reason": "Cần xác minh", "new_due_at": written}
    )
    client.force_login(one_stop.applicant)

    response = client.get(f"/ho-so-cua-toi/{dossier.code}/")

    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Cần xác minh" in text
    assert "Hẹn trả mới" not in text


# Each state the services bring a dossier to, and the forms its applicant is offered there.
OFFERED: dict[str, tuple[Callable[[OneStop], Dossier], set[str]]] = {
    "submitted": (lambda s: s.submit(), {"withdraw"}),
    "supplement_requested_at_intake": (
        lambda s: s.ask_supplement(s.submit()),
        {"withdraw", "supplement"},
    ),
    "submitted_again_after_a_supplement": (_supplemented, {"withdraw"}),
    "refused": (
        lambda s: services.dossier_refuse(
            dossier=s.submit(), reason="Sai thủ tục", actor=s.desk, expected_revision=1
        ),
        set(),
    ),
    "withdrawn": (
        lambda s: services.dossier_withdraw(dossier=s.submit(), reason="Thôi", actor=s.applicant),
        set(),
    ),
    "received": (lambda s: s.receive(s.submit()), {"withdraw"}),
    "processing": (_processing, {"withdraw"}),
    "supplement_requested_during_processing": (
        _asked_during_processing,
        {"withdraw", "supplement"},
    ),
    "apologized": (lambda s: _by_leader(s, "apologize"), {"withdraw"}),
    "stopped": (lambda s: _by_leader(s, "stop"), set()),
    "result_ready": (lambda s: s.result_ready(s.receive(s.submit())), set()),
    "returned": (returned_dossier, set()),
}
FORM_PATHS = {"withdraw": "rut-ho-so", "supplement": "bo-sung"}
SUPPLEMENTS = {Action.SUBMIT_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT_IN_PROCESSING}


def forms_offered(html: str) -> set[str]:
    return {form for form, path in FORM_PATHS.items() if f"/{path}/" in html}


def permitted(dossier: Dossier, user) -> set[str]:
    """Return the applicant's forms that ``actions_allowed`` allows ``user`` now."""
    allowed = set(actions_allowed(dossier=fresh(dossier), user=user))
    forms = {"withdraw"} if Action.WITHDRAW in allowed else set()
    return forms | ({"supplement"} if allowed & SUPPLEMENTS else set())


def send(client, form: str, dossier: Dossier):
    """Post ``form`` with valid input, as its button on the page would."""
    data: dict = {"expected_revision": fresh(dossier).revision}
    if form == "withdraw":
        data.update(reason="Không cần nữa", confirm="on")
    else:
        data["requested_1"] = SimpleUploadedFile("giay-chung-sinh.pdf", PDF, "application/pdf")
    return client.post(f"/ho-so-cua-toi/{dossier.code}/{FORM_PATHS[form]}/", data)


@pytest.mark.parametrize("form", list(FORM_PATHS))
@pytest.mark.parametrize("state", list(OFFERED))
def test_a_form_is_offered_to_the_applicant_exactly_when_the_service_accepts_it(
    client, one_stop, state, form
):
    # Given a dossier in the state, its applicant signed in
    build, expected = OFFERED[state]
    dossier = build(one_stop)
    client.force_login(one_stop.applicant)

    # When they open its page, then the forms are those the permissions allow them
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    offered = forms_offered(page)
    assert offered == expected == permitted(dossier, one_stop.applicant)

    # And when they send the form, the service takes it exactly when it was offered
    before = fresh(dossier).revision
    send(client, form, dossier)
    assert (fresh(dossier).revision > before) == (form in offered)


@pytest.mark.parametrize("state", list(OFFERED))
def test_another_citizen_is_never_offered_a_form_and_cannot_send_one(client, one_stop, state):
    # Given a dossier in the state and another citizen signed in
    dossier = OFFERED[state][0](one_stop)
    before = written_state()
    client.force_login(one_stop.stranger)

    # When they open its page and send each form
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/")
    sent = [send(client, form, dossier).status_code for form in FORM_PATHS]

    # Then the page and the forms answer 404, nothing is offered and nothing changed
    assert page.status_code == 404 and sent == [404, 404]
    assert forms_offered(page.content.decode()) == set()
    assert permitted(dossier, one_stop.stranger) == set()
    assert written_state() == before


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
    assert after_return.headers["Cache-Control"] == "private, no-store"


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


def test_a_second_rating_with_a_bad_score_says_the_dossier_was_rated(client, one_stop):
    dossier = returned_dossier(one_stop)
    one_stop.rate(dossier)
    before = written_state()
    client.force_login(one_stop.applicant)

    response = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", {"total_time": 5})

    assert response.status_code == 409
    assert f"Hồ sơ {dossier.code} đã được đánh giá." in response.content.decode()
    assert written_state() == before


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


def test_on_the_english_page_what_officers_and_the_applicant_wrote_is_read_as_vietnamese(
    client, one_stop
):
    # Given a dossier whose supplement request names a paper and why, in Vietnamese
    dossier = one_stop.ask_supplement(one_stop.submit())
    client.force_login(one_stop.applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()

    # Then the request (shown above and in the history) and the e-form are marked as
    # Vietnamese for a screen reader, and the page's words stay English
    for text in ("Bản chụp bị mờ, không đọc được.", "Trần Văn Con"):
        assert set(languages_of(html, text)) == {"vi"}, text
    assert set(languages_of(html, "History")) == {"en"}


def test_the_applicant_sees_what_they_declared_and_where_to_collect_a_ready_result(
    client, one_stop
):
    dossier = one_stop.result_ready(one_stop.receive(one_stop.submit(result_delivery="desk")))
    client.force_login(one_stop.applicant)

    text = text_of(client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode())

    assert (
        "Người nộp Trần Thị Bình Số định danh cá nhân (CCCD) 037190001234 Số điện thoại "
        "0912345678 Thư điện tử binh@example.vn Địa chỉ Số 5 đường Lê Lợi, phường Hoa Lư "
        "Cách nhận kết quả Trả trực tiếp tại Bộ phận Một cửa"
    ) in text
    assert (
        f"Đã có kết quả. Mời bạn đến Bộ phận Một cửa của {dossier.agency.name} để nhận, mang "
        "theo giấy tiếp nhận hồ sơ và giấy tờ tùy thân."
    ) in text
