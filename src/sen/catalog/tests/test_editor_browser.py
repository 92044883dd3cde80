"""The procedure editor in a real browser: a text too large to send stays on the page.

Headless Chromium through Playwright (the system Chromium; skipped when missing).
"""

import json

import pytest

from sen.catalog.models import Procedure
from sen.catalog.tests.factories import UserFactory, make_procedure, procedure_data
from sen.core.models import AuditEntry
from sen.tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_a_paste_too_large_stays_in_the_editor_with_the_limit_and_a_smaller_one_is_saved(
    live_server, transactional_db, refs, browser, settings
):
    # Given a site that reads 20 KB of a form's text, and the provincial administrator in
    # the editor of a procedure
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    procedure = make_procedure()
    UserFactory(username="quantri.tinh", is_staff=True, is_superuser=True)
    audited = AuditEntry.objects.count()
    page = browser.page
    sign_in(page, live_server, "quantri.tinh")
    edit_url = f"{live_server.url}/admin/catalog/procedure/{procedure.pk}/edit/"
    page.goto(edit_url)
    box = page.locator("textarea#id_content")

    # When they paste 30 KB of JSON and save
    pasted = json.dumps(procedure_data(description="Hồ sơ " * 3_400), ensure_ascii=False)
    assert len(pasted.encode()) > 30_000
    box.fill(pasted)
    page.get_by_role("button", name="Lưu phiên bản mới").click()

    # Then the editor stays, with their text and the limit, and nothing was sent
    alert = page.get_by_role("alert")
    assert alert.inner_text() == (
        "Nội dung quá lớn để lưu: tối đa 18,5\xa0KB cho một thủ tục. Để nhập nhiều thủ tục "
        "một lúc, hãy dùng trang Nhập danh mục."
    )
    assert page.url == edit_url
    assert box.input_value() == pasted
    assert box.get_attribute("aria-invalid") == "true"
    assert list(Procedure.objects.values_list("version", flat=True)) == [1]
    assert AuditEntry.objects.count() == audited

    # When they shorten it to 15 KB and save again
    box.fill(json.dumps(procedure_data(description="Hồ sơ " * 1_500), ensure_ascii=False))
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu phiên bản mới").click()

    # Then the new version is saved
    assert "Đã lưu phiên bản 2 của thủ tục 1.001193." in page.locator(".messagelist").inner_text()
    # (The admin has no /favicon.ico: the browser's one console error, a 404, is that.)
    assert [error for error in browser.console_errors if "Content Security" in error] == []
