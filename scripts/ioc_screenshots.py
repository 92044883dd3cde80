"""Take the screenshots of the IOC dashboard for the README, from demo data.

Run from the repository root (needs the test extras, for Playwright, and Chromium at
/usr/bin/chromium or on the PATH; no browser is downloaded):

    .venv/bin/python scripts/ioc_screenshots.py            # writes docs/screenshots/ioc-*.png

In a fresh SQLite database under a temporary directory it loads the demo province (Ninh
Bình), its agencies, officers and catalog and the demo dossiers, as ``sen demo`` does. So
that the 12-month trend has a history, it then replays the demo stories that end (returned,
refused, withdrawn, stopped) in each of the eleven months before, a varying share of them
each month, through the same services and with the same demo officers. It serves the
platform on a free local port and photographs ``/ioc/`` as the provincial administrator
``quantri`` sees it, the whole page: on a 1920×1080 wall screen and on a 360×800 phone.
"""

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]


def prepare(months: int, seed: int) -> None:
    """Load the demo province and its dossiers, then replay the ending stories back in time."""
    from django.core.management import call_command

    from sen.core.demo import seed_demo_org
    from sen.core.management.commands.demo import DEMO_CATALOG
    from sen.core.services import units_load
    from sen.dossiers.demo import replay_demo_history, seed_demo_dossiers

    call_command("migrate", interactive=False, verbosity=0)
    units_load(province_codes=["37"])
    seed_demo_org()
    call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)
    seed_demo_dossiers()
    for back, count in enumerate(replay_demo_history(months=months, seed=seed), start=1):
        print(f"  {back} tháng trước: {count} hồ sơ", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(port: int) -> None:
    """Serve the platform and its static files on ``port`` in a background thread."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = WSGIServer(("127.0.0.1", port), Quiet)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()


def errors_into(errors: list[str]) -> Callable[[Any], None]:
    """Return a console listener keeping the page's errors (CSP refusals show there)."""

    def listen(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    return listen


def photograph(port: int, out: Path) -> list[Path]:
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from sen.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="quantri"))
    session = client.cookies["sessionid"].value
    chromium = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    chromium = chromium or shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium is not installed (/usr/bin/chromium): no screenshots taken")
    url = f"http://127.0.0.1:{port}/ioc/"
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        for name, viewport in (
            ("ioc-wall", {"width": 1920, "height": 1080}),
            ("ioc-phone", {"width": 360, "height": 800}),
        ):
            context = browser.new_context(locale="vi-VN", viewport=viewport)
            context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
            page = context.new_page()
            errors: list[str] = []
            page.on("console", errors_into(errors))
            page.goto(url)
            page.wait_for_function(
                "document.getElementById('ioc').classList.contains('ioc--charts')"
            )
            if errors:
                sys.exit(f"The page reported errors: {errors}")
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SHOTS, help="folder for the PNG files")
    parser.add_argument("--months", type=int, default=12, help="months of history")
    parser.add_argument("--seed", type=int, default=766, help="seed of the monthly shares")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sen-ioc-") as var:
        os.environ["SEN_VAR_DIR"] = var
        os.environ.pop("DATABASE_URL", None)  # a throw-away SQLite database, never yours
        os.environ["DJANGO_SETTINGS_MODULE"] = "sen.conf.dev"
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop, Django's ORM
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        print("Chuẩn bị dữ liệu mẫu…", flush=True)
        prepare(options.months, options.seed)
        port = free_port()
        serve(port)
        options.out.mkdir(parents=True, exist_ok=True)
        for path in photograph(port, options.out):
            print(f"Đã ghi {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
