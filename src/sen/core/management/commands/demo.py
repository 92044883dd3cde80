"""Prepare a demo database and serve the platform: the README's first command ends here."""

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sen.core.management.commands.serve import refuse_busy_address, serve

DEMO_CATALOG = Path(__file__).resolve().parents[3] / "catalog" / "data" / "demo_catalog.json"


def follow_served_address(address: str) -> None:
    """Make the public address (``SEN_PUBLIC_URL``) the served ``address``, unless it was
    set explicitly.

    The links in emails and drafted results start with it, and the default (port 8000) is
    wrong for a demo served elsewhere. The environment carries it to the server's processes
    and to the commands started from this one; this process read its settings already.
    """
    if os.environ.get("SEN_PUBLIC_URL"):
        return
    os.environ["SEN_PUBLIC_URL"] = address
    settings.SEN_PUBLIC_URL = address


def worker_argv() -> list[str]:
    """Return the command line of the background worker the demo runs beside its server."""
    return [sys.executable, "-m", "sen.cli", "db_worker", "--no-reload"]


@contextmanager
def worker_beside_server() -> Iterator[subprocess.Popen[bytes]]:
    """Run the background worker in a child process until the server stops.

    The demo's emails (printed to this terminal by the console backend) and the deadlines a
    day declared off moves are background tasks: without a worker a newcomer would see
    none. The child inherits this process's environment (the data directory, the public
    address, the demo's settings) and its terminal. Ctrl+C reaches it too; it finishes its
    task and stops, and is terminated here if it has not.
    """
    worker = subprocess.Popen(worker_argv())  # noqa: S603 - this interpreter, fixed arguments
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def worker_command(public: str) -> str:
    """Return the command that runs the background tasks, to paste in another terminal.

    That terminal inherits neither this process's environment nor its virtualenv: the
    command names the data directory, the public address and the ``sen`` of this install.
    """
    installed = Path(sys.executable).with_name("sen")
    program = shlex.quote(str(installed)) if installed.exists() else "sen"
    variables = [f"SEN_PUBLIC_URL={shlex.quote(public)}"]
    if os.environ.get("SEN_VAR_DIR"):
        variables.insert(0, f"SEN_VAR_DIR={shlex.quote(os.environ['SEN_VAR_DIR'])}")
    return " ".join([*variables, program, "db_worker"])


class Command(BaseCommand):
    help = (
        "Create or update the demo database (SQLite by default): administrative units, "
        "the demo province's agencies and officers, the demo procedure catalog; then serve it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare the data and exit without serving"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="serve without the background worker (emails, deadlines moved by the "
            "calendar); run `sen db_worker` yourself",
        )

    def _print_demo_dossiers(self) -> None:
        from sen.dossiers.demo import CITIZEN_USERNAME, demo_dossiers

        # The logins are all in the table above: only say whose dossiers to look at.
        self.stdout.write(
            f"{demo_dossiers().count()} hồ sơ mẫu ở mọi trạng thái, ở nhiều cơ quan; "
            f"đăng nhập {CITIZEN_USERNAME} để xem hồ sơ của công dân."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from sen.core.demo import print_demo_logins, require_demo_data_allowed
        from sen.errors import DomainError

        try:
            require_demo_data_allowed()
        except DomainError as refused:
            raise CommandError(str(refused)) from refused
        address = f"http://{options['host']}:{options['port']}"
        if not options["no_serve"]:
            # Say it now, not after a minute of preparing the data.
            refuse_busy_address(options["host"], options["port"])
            # Before the dossiers are seeded: their drafted results print the tracking address.
            follow_served_address(address)
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Chuẩn bị cơ sở dữ liệu mẫu…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_units", verbosity=0)
        call_command("seed_demo_org", verbosity=0)
        if not DEMO_CATALOG.exists():
            raise CommandError(f"Demo catalog missing: {DEMO_CATALOG}")
        call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)
        call_command("seed_demo_dossiers", verbosity=0)
        call_command("seed_demo_periodic", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        self.stdout.write("")
        if options["no_serve"]:
            self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
            self.stdout.write("Chạy `sen serve` (hoặc `sen demo`) để mở cổng dịch vụ công.")
            print_demo_logins(self.stdout)
            self._print_demo_dossiers()
            return
        self.stdout.write(self.style.SUCCESS(f"Sen đang chạy tại {address}/"))
        self.stdout.write(f"  Cổng dịch vụ công:  {address}/")
        self.stdout.write(f"  Tra cứu hồ sơ:      {address}/tra-cuu/")
        self.stdout.write(f"  Cán bộ xử lý:       {address}/can-bo/")
        self.stdout.write(f"  Báo cáo định kỳ:    {address}/bao-cao-dinh-ky/")
        self.stdout.write(f"  Quản trị:           {address}/admin/")
        self.stdout.write(f"  API (OpenAPI):      {address}/api/v1/docs")
        if options["no_worker"]:
            # Emails, and deadlines moved by a day declared off, wait for a worker.
            worker = worker_command(str(settings.SEN_PUBLIC_URL))
            self.stdout.write(f"  Việc chạy nền:      chưa chạy; chạy {worker}")
        else:
            self.stdout.write("  Việc chạy nền:      đang chạy; thư gửi người nộp in ra đây")
        print_demo_logins(self.stdout)
        self._print_demo_dossiers()
        self.stdout.write("Nhấn Ctrl+C để dừng.")
        with nullcontext() if options["no_worker"] else worker_beside_server():
            serve(host=options["host"], port=options["port"])
