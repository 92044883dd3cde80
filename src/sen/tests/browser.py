"""Helpers of the tests that drive the pages in a real browser (headless Chromium through
Playwright; the ``browser`` fixture is in ``sen/conftest.py``).

Uses the system Chromium and never downloads one. Set ``SEN_SCREENSHOT_DIR`` to keep
screenshots of the pages the tests visit.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.test import Client

from sen.core.models import User

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


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def numbers_split(page) -> list[str]:
    """Return the codes and ID numbers the page shows broken across two lines between two
    letters or digits ("0361900" / "00101"); a break after a hyphen is fine."""
    return page.evaluate(
        """() => {
        const identifier = /[0-9A-Z][0-9A-Z.-]{7,}[0-9A-Z]/g;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const split = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const found of node.data.matchAll(identifier)) {
            if (!/[0-9]{3}/.test(found[0])) continue;
            let top = null;
            for (let i = found.index; i < found.index + found[0].length; i++) {
              const range = document.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const box = range.getClientRects()[0];
              if (!box) break;
              if (top !== null && box.top > top + 2 && /[0-9A-Za-z]/.test(node.data[i - 1])) {
                split.push(found[0]);
                break;
              }
              top = box.top;
            }
          }
        }
        return split;
      }"""
    )


def screenshot(page, name: str) -> None:
    directory = os.environ.get("SEN_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


# --- Officers on the workspace --------------------------------------------------------------


def sign_in(page: Any, live_server: Any, username: str) -> None:
    """Give the browser the session of ``username``, made on the server."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    context = page.context
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def open_form(page: Any, slug: str) -> Any:
    """Unfold the action's form if it is folded; return it."""
    action = page.locator(f"details#{slug}")
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    return action


def act(page: Any, slug: str) -> None:
    """Send the action's form as it is."""
    action = open_form(page, slug)
    with page.expect_navigation():
        action.locator("button[type=submit]").click()


# --- A citizen on the portal ------------------------------------------------------------------


PDF_FILE = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def fill_birth_registration(page: Any, *, agency: str) -> None:
    """Fill the demo birth registration's page (1.001193) for ``agency``, three PDFs attached."""
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("037190001234")
    page.locator("#id_agency").select_option(agency)
    fill_birth_declaration(page)


def fill_birth_declaration(page: Any) -> None:
    """Fill the demo birth registration's e-form (1.001193) and attach three PDFs, on the
    citizen's page or the desk's."""
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
