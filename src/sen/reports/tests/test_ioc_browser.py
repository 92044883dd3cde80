"""The IOC in a real browser, on the demo province: charts drawn on a wall screen and on a
phone, no CSP or console error, and a dossier received elsewhere shows within seconds.

Headless Chromium through Playwright (the system Chromium; skipped when missing). Set
``SEN_SCREENSHOT_DIR`` to keep screenshots of the board.
"""

import re
from typing import Any

import pytest

from sen.core.models import User
from sen.dossiers.demo import NAM_DINH
from sen.dossiers.models import Dossier
from sen.dossiers.services import dossier_receive
from sen.tests.browser import screenshot, scrolls_sideways, sign_in

pytestmark = pytest.mark.browser
WALL = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 800}
CHARTS = ["groups", "channels", "trend", "agencies", "communes", "overdue"]


# Every request of the page answered 2 s late (the page refreshes every second in the test),
# counting the requests sent and the most open at once.
SLOW_SERVER = """() => {
    const send = window.fetch;
    const seen = (window.iocRequests = { sent: 0, open: 0, most_open: 0 });
    window.fetch = (...args) => {
        seen.sent += 1;
        seen.open += 1;
        seen.most_open = Math.max(seen.most_open, seen.open);
        return new Promise((resolve) => setTimeout(resolve, 2000))
            .then(() => send(...args))
            .finally(() => { seen.open -= 1; });
    };
}"""


def drawn_charts(page: Any) -> list[str]:
    """Return the charts Chart.js has drawn on a canvas with a visible size."""
    return page.evaluate(
        """() => [...document.querySelectorAll('canvas[id^="ioc-chart-"]')]
            .filter((canvas) => window.Chart.getChart(canvas) && canvas.clientWidth > 0
                && canvas.clientHeight > 0)
            .map((canvas) => canvas.id.replace('ioc-chart-', ''))"""
    )


def figure(page: Any, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').first.inner_text()


def test_a_leader_watches_the_province_on_a_wall_screen_and_a_phone(
    live_server,
    demo,
    settings,
    browser,
):
    # The page refreshes every second instead of 30, so that the test does not wait.
    settings.SEN_IOC_REFRESH_SECONDS = 1
    page = browser.page
    sign_in(page, live_server, "quantri")

    # Given the IOC on a 1920×1080 wall screen
    page.set_viewport_size(WALL)
    page.goto(f"{live_server.url}/ioc/")
    assert page.locator("h1").inner_text() == "Ninh Bình"
    # Then every chart is drawn, with its table folded beneath it
    page.wait_for_function("document.getElementById('ioc').classList.contains('ioc--charts')")
    assert drawn_charts(page) == CHARTS
    assert page.locator("details.ioc__data[open]").count() == 0
    # and the type is large enough to read from across the room
    assert page.evaluate("window.Chart.defaults.font.size") == 20
    # and the unsupported groups say so rather than score zero
    page.locator("details.ioc__data").first.locator("summary").click()
    assert "chưa có dữ liệu" in page.locator('[data-table="groups"]').inner_text()
    screenshot(page, "ioc-wall")

    # When a one-stop officer receives a dossier waiting at Nam Định
    in_progress = int(figure(page, "in_progress_now").replace(".", ""))
    waiting = Dossier.objects.filter(agency__code=NAM_DINH, status="submitted").first()
    assert waiting is not None
    dossier_receive(
        dossier=waiting,
        actor=User.objects.get(username="motcua.namdinh"),
        expected_revision=waiting.revision,
    )
    # Then the board shows it within seconds, without reloading
    page.wait_for_function(
        "(expected) => document.querySelector('[data-figure=\"in_progress_now\"]')"
        ".textContent.trim() === expected",
        arg=str(in_progress + 1),
    )
    # and the moment of the figures, rewritten by the refresh, reads as every page writes one
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", figure(page, "generated_at"))

    # And while the server is slow to answer, the board waits for the answer it asked for
    # rather than asking again, so that an older answer never lands over a newer one
    page.evaluate(SLOW_SERVER)
    page.wait_for_function("() => window.iocRequests.sent >= 2")
    assert page.evaluate("window.iocRequests.most_open") == 1
    assert page.locator("[data-refresh-status]").inner_text() == ""

    # And on a 360 px phone the board is stacked: charts still drawn, nothing scrolls sideways
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_function("document.getElementById('ioc').classList.contains('ioc--charts')")
    assert drawn_charts(page) == CHARTS
    assert not scrolls_sideways(page)
    widths = page.evaluate(
        "[...document.querySelectorAll('canvas')].map((canvas) => canvas.clientWidth)"
    )
    assert max(widths) <= PHONE["width"]
    screenshot(page, "ioc-phone")

    # And the overdue figure leads to the list of those dossiers
    page.locator('a[data-figure="overdue_now"]').click()
    page.wait_for_url("**/ioc/qua-han/?unit=37")
    assert page.locator("h1").inner_text().startswith("Hồ sơ quá hạn")
    assert not scrolls_sideways(page)

    # And nothing was refused by the Content-Security-Policy or failed in the console
    assert browser.console_errors == []
