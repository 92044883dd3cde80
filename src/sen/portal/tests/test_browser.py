"""A citizen finds a procedure in a real browser (headless Chromium through Playwright).

Uses the system Chromium and never downloads one; skips when it is missing. Set
``SEN_SCREENSHOT_DIR`` to keep screenshots of the pages it visits.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
NARROW_PHONE = {"width": 360, "height": 780}


@dataclass
class Visit:
    """A browser page and the errors its console reported (CSP violations show up there)."""

    page: Any
    console_errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
def browser(monkeypatch) -> Iterator[Visit]:
    """A Vietnamese-speaking page of headless Chromium that records console errors."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (/usr/bin/chromium): browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the database calls Django
    # makes here (fixtures, live server setup) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        # Without a locale Chromium asks for English and Django would answer in English.
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(5_000)
        visit = Visit(page=page)
        page.on("console", visit.on_console)
        page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
        try:
            yield visit
        finally:
            # The test's own database calls made while Playwright's loop runs in this
            # thread get a connection of their own; close it here, or PostgreSQL keeps
            # its session and cannot drop the test database at the end.
            connections.close_all()
            context.close()
            browser.close()


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def screenshot(page, name: str) -> None:
    directory = os.environ.get("SEN_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def test_citizen_finds_birth_registration_without_diacritics_and_reads_its_page(
    live_server, transactional_db, catalog, browser
):
    page = browser.page

    # Given the home page
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    # the stylesheet loaded under the Content-Security-Policy
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    screenshot(page, "home")
    # the first Tab lands on the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    # When the citizen types without diacritics and submits with the keyboard
    search = page.get_by_label("Tìm thủ tục hành chính")
    search.fill("dang ky khai sinh")
    search.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=dang+ky+khai+sinh")

    # Then birth registration comes first
    first = page.locator(".result__title a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    screenshot(page, "list")

    # And its page tells the code, the legal time and the fee
    first.click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    summary = page.locator(".summary").inner_text()
    assert "3 ngày làm việc" in summary
    assert "50.000 đồng" in summary
    assert "1.001193" in page.locator(".procedure__code").inner_text()
    screenshot(page, "procedure")

    # And on a 360 px wide phone no page scrolls sideways
    page.set_viewport_size(NARROW_PHONE)
    assert not scrolls_sideways(page)
    screenshot(page, "procedure-360")
    for path in ("/", "/thu-tuc/?q=dang+ky"):
        page.goto(f"{live_server.url}{path}")
        assert not scrolls_sideways(page), path
    screenshot(page, "list-360")

    # And nothing was refused by the Content-Security-Policy or failed in the console
    assert browser.console_errors == []


@pytest.fixture
def demo_province(transactional_db):
    """Province 37 with the demo agencies and catalog, and the demo citizen's account."""
    from django.core.management import call_command

    from sen.core.demo import DEMO_PASSWORD, seed_demo_org
    from sen.core.management.commands.demo import DEMO_CATALOG
    from sen.core.services import units_load

    units_load(province_codes=["37"])
    seed_demo_org()
    call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)
    return DEMO_PASSWORD


PDF_FILE = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def fill_birth_registration(page: Any, *, agency: str) -> None:
    """Fill the demo birth registration's page (1.001193) for ``agency``, three PDFs attached."""
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("037190001234")
    page.locator("#id_agency").select_option(agency)
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("Trần Văn An")
    page.locator("#id_form__gioi_tinh").select_option("Nam")
    page.get_by_label("Ngày, tháng, năm sinh").fill("2026-11-10")
    page.get_by_label("Nơi sinh (tên cơ sở y tế hoặc địa chỉ)").fill("Bệnh viện Sản Nhi Ninh Bình")
    page.get_by_label("Dân tộc").fill("Kinh")
    page.get_by_label("Họ, chữ đệm và tên người mẹ").fill("Trần Thị Bình")
    page.locator("#id_form__quan_he_voi_tre").select_option("Mẹ")
    page.locator("#id_form__so_dien_thoai").fill("0912345678")
    for position in (1, 2, 3):
        page.locator(f"#id_component_{position}").set_input_files(
            {"name": f"giay-to-{position}.pdf", "mimeType": "application/pdf", "buffer": PDF_FILE}
        )


def test_citizen_signs_in_applies_with_a_file_finds_the_dossier_and_tracks_it(
    live_server, browser, demo_province
):
    page = browser.page

    # Given the demo citizen signs in on the portal's login page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("congdan")
    page.get_by_label("Mật khẩu").fill(demo_province)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/ho-so-cua-toi/")
    assert "Xin chào, Nguyễn Thị Hương" in page.locator(".account").inner_text()

    # When they apply for birth registration, a demo procedure every commune takes
    page.goto(f"{live_server.url}/thu-tuc/1.001193/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url("**/thu-tuc/1.001193/nop-ho-so/")
    # the browser itself refuses to send the empty form (HTML constraints)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    assert page.url.endswith("/nop-ho-so/")
    assert not page.evaluate("document.querySelector('form.form').checkValidity()")

    fill_birth_registration(page, agency="000.20.03.H37")
    assert page.evaluate("document.querySelector('form.form').checkValidity()")
    screenshot(page, "apply")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # Then they land on their new dossier, told it was submitted
    page.wait_for_url("**/ho-so-cua-toi/000.20.03.H37-*/")
    message = page.locator(".message--success").inner_text()
    assert message.startswith("Đã nộp hồ sơ 000.20.03.H37-")
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert "giay-to-1.pdf" in page.locator("#files-title + ul").inner_text()
    screenshot(page, "my-dossier")

    # And it is in "my dossiers"
    page.locator(".main-nav").get_by_role("link", name="Hồ sơ của tôi").click()
    page.wait_for_url("**/ho-so-cua-toi/")
    assert code in page.locator(".results").inner_text()

    # And its public tracking page follows it, without their name
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"**/tra-cuu/{code}/")
    assert "Chờ tiếp nhận" in page.locator(".summary__list").inner_text()
    assert "Trần Thị Bình" not in page.locator("main").inner_text()

    # And on a 360 px wide phone none of these pages scrolls sideways
    page.set_viewport_size(NARROW_PHONE)
    for path in ("/thu-tuc/1.001193/nop-ho-so/", f"/ho-so-cua-toi/{code}/", f"/tra-cuu/{code}/"):
        page.goto(f"{live_server.url}{path}")
        assert not scrolls_sideways(page), path
    screenshot(page, "tracking-360")

    # And nothing was refused by the Content-Security-Policy or failed in the console
    assert browser.console_errors == []
