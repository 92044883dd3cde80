"""The whole one-stop shop in a real browser, as the issue asks: a citizen applies online,
the one-stop officer receives the dossier, a specialist processes it, a leader attaches the
result and approves, the officer returns it, and the citizen sees it returned, downloads
the result and rates the service.

Headless Chromium through Playwright (the system Chromium; skipped when missing), on the
demo province and catalog. The citizen and the one-stop officer sign in on the login page;
the specialist and the leader get a session made on the server, to keep the test short.
"""

from pathlib import Path
from typing import Any

import pytest

from sen.dossiers.demo import NAM_DINH, minimal_pdf
from sen.dossiers.models import Dossier
from sen.tests.browser import (
    NARROW_PHONE,
    act,
    fill_birth_registration,
    open_form,
    screenshot,
    scrolls_sideways,
    sign_in,
)

pytestmark = pytest.mark.browser


def log_in(page: Any, live_server: Any, username: str, password: str) -> None:
    """Sign in on the portal's login page, signing out whoever was signed in."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def apply_for_birth_registration(page: Any, live_server: Any) -> str:
    """Fill the demo birth registration for the ward of Nam Định; return the dossier code."""
    page.goto(f"{live_server.url}/thu-tuc/1.001193/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url("**/thu-tuc/1.001193/nop-ho-so/")
    fill_birth_registration(page, agency=NAM_DINH)
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{NAM_DINH}-*/")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_a_dossier_goes_from_the_citizens_application_to_their_rating(
    live_server,
    demo_province,
    browser,
    tmp_path: Path,
):
    page = browser.page
    password = demo_province

    # Given the demo citizen, signed in, who applies online
    log_in(page, live_server, "congdan", password)
    assert page.url.endswith("/ho-so-cua-toi/")
    code = apply_for_birth_registration(page, live_server)
    assert page.locator(".message--success").count() == 1
    assert "Chờ tiếp nhận" in page.locator("main").inner_text()
    screenshot(page, "flow-1-applied")

    # When the one-stop officer of Nam Định signs in, they land on their queue
    log_in(page, live_server, "motcua.namdinh", password)
    assert page.url == f"{live_server.url}/can-bo/"
    nav = page.locator(".main-nav")
    assert nav.get_by_role("link", name="Hồ sơ cần xử lý").get_attribute("aria-current") == "page"
    # and receive the new dossier and finish the desk's step
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/can-bo/ho-so/{code}/")
    assert "Trần Văn An" in page.locator("main").inner_text()  # the e-form, as entered
    act(page, "tiep-nhan")
    assert page.locator(".messages").inner_text().count(f"Đã tiếp nhận hồ sơ {code}.") == 1
    act(page, "hoan-thanh-buoc")
    assert "Đang xử lý" in page.locator(".ws-status").inner_text()
    dossier_url = page.url

    # Then the specialist processes it
    sign_in(page, live_server, "chuyenvien.namdinh")
    page.goto(dossier_url)
    act(page, "hoan-thanh-buoc")

    # The leader attaches the result and approves
    sign_in(page, live_server, "lanhdao.namdinh")
    page.goto(dossier_url)
    open_form(page, "dinh-kem-ket-qua").locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "giay-khai-sinh.pdf",
                "mimeType": "application/pdf",
                "buffer": minimal_pdf("Giay khai sinh Tran Van An"),
            }
        ]
    )
    with page.expect_navigation():
        page.locator("details#dinh-kem-ket-qua button[type=submit]").click()
    act(page, "hoan-thanh-buoc")

    # The one-stop officer returns the result electronically
    sign_in(page, live_server, "motcua.namdinh")
    page.goto(dossier_url)
    act(page, "hoan-thanh-buoc")
    open_form(page, "tra-ket-qua").get_by_label("Trả kết quả điện tử").check()
    with page.expect_navigation():
        page.locator("details#tra-ket-qua button[type=submit]").click()
    assert "Đã trả kết quả" in page.locator(".ws-status").inner_text()
    screenshot(page, "flow-2-returned")

    # And the citizen sees it returned, downloads the result and rates the service
    log_in(page, live_server, "congdan", password)
    page.goto(f"{live_server.url}/ho-so-cua-toi/{code}/")
    assert "Đã trả kết quả" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="giay-khai-sinh.pdf").click()
    saved = tmp_path / "giay-khai-sinh.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    rating = page.locator("form[action$='/danh-gia/']")
    for criterion in rating.locator("fieldset").all():
        criterion.locator("input[type=radio]").first.check()
    with page.expect_navigation():
        rating.get_by_role("button", name="Gửi đánh giá").click()
    assert "Bạn đã đánh giá lúc" in page.locator("main").inner_text()
    screenshot(page, "flow-3-rated")

    # And the tracking page shows every step without the citizen's name
    page.goto(f"{live_server.url}/tra-cuu/{code}/")
    assert "Đã trả kết quả" in page.locator("main").inner_text()
    assert "Trần Thị Bình" not in page.locator("main").inner_text()

    dossier = Dossier.objects.get(code=code)
    assert (dossier.status, dossier.channel) == ("returned", "online")
    assert hasattr(dossier, "rating")
    # and nothing was refused by the Content-Security-Policy or failed in the console
    assert browser.console_errors == []


def test_the_new_staff_pages_read_on_a_360_px_phone(
    live_server,
    demo_province,
    browser,
):
    page = browser.page
    page.set_viewport_size(NARROW_PHONE)

    # The register page of the one-stop desk, with a period chosen
    sign_in(page, live_server, "motcua.namdinh")
    page.goto(f"{live_server.url}/can-bo/so-theo-doi/")
    with page.expect_navigation():
        page.get_by_role("button", name="Chọn kỳ").click()
    assert page.get_by_role("link", name="Tải sổ theo dõi hồ sơ (PDF)").count() == 1
    assert not scrolls_sideways(page)
    screenshot(page, "register-360")

    # The province's periodic reporting and its new-form page
    sign_in(page, live_server, "quantri")
    for path in ("/bao-cao-dinh-ky/", "/bao-cao-dinh-ky/bieu-mau/moi/"):
        page.goto(f"{live_server.url}{path}")
        assert not scrolls_sideways(page), path
    assert page.get_by_label("Mã chỉ tiêu").count() == 3
    screenshot(page, "report-form-360")

    assert browser.console_errors == []
