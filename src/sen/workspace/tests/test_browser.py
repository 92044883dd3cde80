"""Officers take a demo dossier from intake to its returned result in a real browser.

The one-stop officer of the ward of Nam Định receives a birth registration waiting for
intake and completes the desk's step, the specialist completes theirs, the leader attaches
the result and approves, and the officer completes the return step and returns the result.
Headless Chromium through Playwright (the system Chromium; skipped when missing). Officers
are signed in by a session made on the server (the sign-in page is the portal's).
"""

import pytest

from sen.dossiers.demo import NAM_DINH, minimal_pdf
from sen.dossiers.models import Dossier
from sen.tests.browser import (
    NARROW_PHONE,
    act,
    fill_birth_declaration,
    open_form,
    screenshot,
    scrolls_sideways,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(demo: None) -> Dossier:
    """Return the demo's birth registration waiting for intake in Nam Định."""
    return Dossier.objects.get(
        agency__code=NAM_DINH, procedure__code="1.001193", status="submitted"
    )


def test_officers_take_a_demo_dossier_from_intake_to_the_returned_result(
    live_server,
    waiting,
    browser,
):
    page = browser.page
    code = waiting.code
    dossier_url = f"{live_server.url}/can-bo/ho-so/{code}/"

    # Given the one-stop officer of Nam Định at their queue
    sign_in(page, live_server, "motcua.namdinh")
    page.goto(f"{live_server.url}/can-bo/?status=submitted")
    assert page.locator("h1").inner_text() == "Hồ sơ cần xử lý"
    screenshot(page, "workspace-queue")

    # When they open the dossier and receive it
    page.get_by_role("link", name=code).click()
    page.wait_for_url(dossier_url)
    assert "Chờ tiếp nhận" in page.locator(".ws-status").inner_text()
    act(page, "tiep-nhan")
    assert f"Đã tiếp nhận hồ sơ {code}." in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả").count() == 1
    screenshot(page, "workspace-received")

    # and complete the desk's step
    act(page, "hoan-thanh-buoc")
    assert "Đang xử lý" in page.locator(".ws-status").inner_text()

    # Then the specialist completes theirs
    sign_in(page, live_server, "chuyenvien.namdinh")
    page.goto(dossier_url)
    act(page, "hoan-thanh-buoc")

    # The leader attaches the result and approves
    sign_in(page, live_server, "lanhdao.namdinh")
    page.goto(dossier_url)
    assert page.locator("details#hoan-thanh-buoc").count() == 0  # no approval without a result
    open_form(page, "dinh-kem-ket-qua").locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "giay-khai-sinh.pdf",
                "mimeType": "application/pdf",
                "buffer": minimal_pdf("Giay khai sinh"),
            }
        ]
    )
    with page.expect_navigation():
        page.locator("details#dinh-kem-ket-qua button[type=submit]").click()
    assert page.get_by_role("link", name="giay-khai-sinh.pdf").count() == 1
    act(page, "hoan-thanh-buoc")

    # And the one-stop officer completes the return step and returns the result
    sign_in(page, live_server, "motcua.namdinh")
    page.goto(dossier_url)
    act(page, "hoan-thanh-buoc")
    assert "Có kết quả" in page.locator(".ws-status").inner_text()
    open_form(page, "tra-ket-qua").get_by_label("Trả kết quả điện tử").check()
    with page.expect_navigation():
        page.locator("details#tra-ket-qua button[type=submit]").click()
    assert "Đã trả kết quả" in page.locator(".ws-status").inner_text()
    assert page.locator(".ws-history > li").count() == 8
    screenshot(page, "workspace-returned")

    # On a 360 px wide phone neither page scrolls sideways
    page.set_viewport_size(NARROW_PHONE)
    assert not scrolls_sideways(page)
    page.goto(f"{live_server.url}/can-bo/")
    assert not scrolls_sideways(page)
    # and the queue starts in the top half of the screen: each menu keeps to one row,
    # scrolled sideways within itself (three rows and two pushed the heading to 450 px)
    assert page.locator("h1").bounding_box()["y"] < NARROW_PHONE["height"] / 2
    assert page.locator(".main-nav").bounding_box()["height"] < 60
    page.goto(f"{live_server.url}/can-bo/tiep-nhan/1.001193/")
    assert not scrolls_sideways(page)
    screenshot(page, "workspace-intake-360")

    # And nothing was refused by the Content-Security-Policy or failed in the console
    assert browser.console_errors == []
    assert Dossier.objects.get(pk=waiting.pk).status == "returned"


def test_an_action_form_is_sent_once_however_often_its_button_is_clicked(
    live_server, demo, browser
):
    """Two clicks 30 ms apart sent the draft twice: the first created the result, the
    second was told the dossier had been changed by someone else."""
    dossier = Dossier.objects.filter(
        agency__code=NAM_DINH, status="processing", current_step__role="specialist"
    ).first()
    assert dossier is not None
    page = browser.page
    sign_in(page, live_server, "chuyenvien.namdinh")
    page.goto(f"{live_server.url}/can-bo/ho-so/{dossier.code}/")

    # When the form's submission starts twice (as a second click would, the first request
    # still on its way; the events are the page's own, so nothing is sent)
    sent = page.evaluate(
        """() => {
            const form = document.querySelector("details#soan-ket-qua form");
            const submit = () => form.dispatchEvent(
                new SubmitEvent("submit", {bubbles: true, cancelable: true}));
            return [submit(), submit(), form.getAttribute("aria-busy")];
        }"""
    )

    # Then the first goes ahead and the second is stopped, the form marked busy
    assert sent == [True, False, "true"]
    assert browser.console_errors == []


def test_back_after_entering_a_dossier_the_desk_form_starts_empty(live_server, demo, browser):
    """Back after entering one applicant's dossier, the browser filled the form again with
    their declaration, paper ticks and scans (all but the applicant's own fields): the next
    applicant's dossier carried them."""
    page = browser.page
    sign_in(page, live_server, "motcua.namdinh")
    page.goto(f"{live_server.url}/can-bo/tiep-nhan/1.001193/")

    # Given the desk enters one applicant's dossier, with her declaration and a scan
    page.locator("#id_applicant_name").fill("Bùi Thị Trước")
    page.locator("#id_applicant_id_number").fill("036190001111")
    fill_birth_declaration(page)
    page.get_by_label("Họ, chữ đệm và tên người mẹ").fill("Mẹ Của Người Trước")
    page.get_by_label("Tiếp nhận ngay", exact=False).uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập hồ sơ").click()
    assert "/can-bo/ho-so/" in page.url

    # When the officer goes back to enter the next applicant's
    page.go_back()
    page.wait_for_load_state("load")

    # Then nothing of the last applicant's is left in the form
    mother = page.get_by_label("Họ, chữ đệm và tên người mẹ")
    assert mother.input_value() == ""
    assert page.locator("#id_component_1").evaluate("input => input.files.length") == 0
    assert page.get_by_label("Tiếp nhận ngay", exact=False).is_checked()
    assert browser.console_errors == []
