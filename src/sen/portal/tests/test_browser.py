"""A citizen finds a procedure in a real browser (headless Chromium through Playwright).

Uses the system Chromium and never downloads one; skips when it is missing. Set
``SEN_SCREENSHOT_DIR`` to keep screenshots of the pages it visits.
"""

import pytest

from sen.dossiers.demo import NAM_DINH
from sen.dossiers.models import Dossier
from sen.tests.browser import (
    NARROW_PHONE,
    PDF_FILE,
    fill_birth_registration,
    numbers_split,
    screenshot,
    scrolls_sideways,
    sign_in,
)

pytestmark = pytest.mark.browser


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


def test_on_a_phone_codes_and_id_numbers_are_never_split_inside_their_digits(
    live_server, browser, demo
):
    # Given a citizen's dossier and one the Nam Định desk handles
    page = browser.page
    mine = Dossier.objects.filter(applicant__username="congdan").latest("submitted_at")
    theirs = Dossier.objects.filter(agency__code=NAM_DINH).latest("submitted_at")
    pages = {
        "congdan": ["/ho-so-cua-toi/", f"/ho-so-cua-toi/{mine.code}/", f"/tra-cuu/{mine.code}/"],
        "motcua.namdinh": ["/can-bo/", f"/can-bo/ho-so/{theirs.code}/"],
    }

    # When each reads their pages on phones 320 and 360 px wide
    for username, paths in pages.items():
        sign_in(page, live_server, username)
        for width in (320, 360):
            page.set_viewport_size({"width": width, "height": 780})
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                # Then a dossier code breaks only after a hyphen, a CCCD number not at all,
                # and still nothing scrolls sideways
                assert numbers_split(page) == [], (width, path)
                assert not scrolls_sideways(page), (width, path)
    screenshot(page, "dossier-320")


def test_on_a_phone_the_menu_shows_the_current_page_and_the_page_stays_where_it_opened(
    live_server, browser, demo
):
    page = browser.page
    page.set_viewport_size(NARROW_PHONE)
    sign_in(page, live_server, "congdan")

    # Given the menu as one row wider than the screen, when "my dossiers" opens
    page.goto(f"{live_server.url}/ho-so-cua-toi/")
    current = page.locator('.main-nav a[aria-current="page"]')

    # then its item is in view, whole, not past the screen's edge
    box = current.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW_PHONE["width"]
    assert current.inner_text() == "Hồ sơ của tôi"
    # and the page opened at an anchor below the menu stays there: only the menu scrolled
    page.goto(f"{live_server.url}/ho-so-cua-toi/#main")
    assert page.evaluate("window.scrollY") > 0
    assert browser.console_errors == []


def test_a_page_sent_back_with_problems_opens_on_their_summary(live_server, browser, demo_province):
    """A keyboard or screen reader user starts where the problems are said: on the summary
    (focused, so it is read out), whose links lead into the fields."""
    page = browser.page
    sign_in(page, live_server, "congdan")
    focused = "document.activeElement.className + '#' + document.activeElement.id"

    # Given a citizen who attaches a Word file where the procedure takes PDF or pictures
    page.goto(f"{live_server.url}/thu-tuc/1.001193/nop-ho-so/")
    fill_birth_registration(page, agency=NAM_DINH)
    page.locator("#id_component_2").set_input_files(
        {"name": "giay-chung-sinh.docx", "mimeType": "application/msword", "buffer": b"PK\x03\x04"}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()

    # Then the page opens on the summary, and its link leads to the file's input
    assert page.evaluate(focused) == "error-summary#"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(focused) == "#id_component_2"

    # Given, on a phone, a child's name left blank high on the long form
    page.set_viewport_size(NARROW_PHONE)
    fill_birth_registration(page, agency=NAM_DINH)
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("")
    # (as a browser that does not check "required" itself sends it)
    page.evaluate("document.getElementById('id_form__ho_ten_tre').removeAttribute('required')")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()
    # When the summary's link is followed
    page.locator('.error-summary a[href="#id_form__ho_ten_tre"]').click()
    # Then the input has its label and its problem in view above it, not off the top
    assert page.evaluate(focused) == "#id_form__ho_ten_tre"
    assert page.locator('label[for="id_form__ho_ten_tre"]').bounding_box()["y"] >= 0
    assert page.locator("#id_form__ho_ten_tre_error").bounding_box()["y"] >= 0
    page.set_viewport_size({"width": 1280, "height": 720})

    # Given the dossier sent, the citizen withdraws it with a reason of spaces only
    fill_birth_registration(page, agency=NAM_DINH)
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()
    page.get_by_label("Lý do rút hồ sơ").fill("   ")
    page.get_by_label("Tôi hiểu: hồ sơ đã rút thì không được giải quyết tiếp").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Rút hồ sơ").click()

    # Then the page, whose withdrawal form is at its very end, opens on the problem
    assert page.evaluate(focused) == "error-summary#"
    assert page.evaluate("window.scrollY") < page.locator("#history-title").bounding_box()["y"]
    page.get_by_role("link", name="Lý do rút hồ sơ: Trường này là bắt buộc.").click()
    assert page.evaluate(focused) == "#id_reason"
    assert (
        browser.console_errors
        == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"] * 3
    )


def test_a_decimal_typed_with_the_vietnamese_comma_is_sent_as_typed(
    live_server, browser, demo_province
):
    """A number box (``type="number"``) drops the comma Vietnamese write before a fraction:
    25,5 m² went to the agency as 255."""
    page = browser.page
    sign_in(page, live_server, "congdan")

    # Given the demo karaoke licence, whose smallest room must be at least 20 m²
    page.goto(f"{live_server.url}/thu-tuc/1.001029/nop-ho-so/")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("037190001234")
    page.locator("#id_agency").select_option(index=1)
    page.locator("#id_form__ten_co_so").fill("Karaoke Hoa Sen")
    page.locator("#id_form__ma_so_dang_ky").fill("0101234567")
    page.locator("#id_form__dia_diem_kinh_doanh").fill("Số 1 đường Trần Hưng Đạo")
    page.locator("#id_form__so_phong_hat").fill("4")
    page.locator("#id_form__ho_ten_nguoi_dai_dien").fill("Trần Văn Bình")
    page.locator("#id_form__so_dien_thoai").fill("0912345678")
    page.locator("#id_component_1").set_input_files(
        {"name": "don.pdf", "mimeType": "application/pdf", "buffer": PDF_FILE}
    )

    # When the citizen types the area key by key, as on a phone
    page.locator("#id_form__dien_tich_phong_nho_nhat_m2").press_sequentially("25,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()

    # Then the dossier holds 25.5 m², not 255
    page.wait_for_url("**/ho-so-cua-toi/*/")
    dossier = Dossier.objects.get(code=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert dossier.form_data["dien_tich_phong_nho_nhat_m2"] == 25.5
    assert browser.console_errors == []
