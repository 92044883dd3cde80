"""Serve Sen with granian, a production-grade WSGI server."""

import errno
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Serve the platform over HTTP with granian (WSGI)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="worker processes")
        parser.add_argument(
            "--threads", type=int, default=8, help="blocking threads per worker (WSGI)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
        )


def refuse_busy_address(host: str, port: int) -> None:
    """Refuse an address another server already listens on.

    granian binds with ``SO_REUSEPORT``: a second ``sen serve`` on the port of a running one
    (an old version left behind by an upgrade, say) would share its requests with it
    silently. A socket bound without that option fails where anything listens.
    """
    ipv6 = ":" in host
    family = socket.AF_INET6 if ipv6 else socket.AF_INET
    address = f"[{host}]:{port}" if ipv6 else f"{host}:{port}"
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # A port left in TIME_WAIT by a server just stopped is free to listen on.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Địa chỉ {address} đang có một máy chủ khác lắng nghe. "
                    "Dừng máy chủ đó, hoặc chọn cổng khác với --port."
                ) from error
            raise CommandError(f"Không mở được địa chỉ {address}: {error.strerror}.") from error


def refuse_unapplied_migrations() -> None:
    """Refuse to serve a database its code has not been migrated to.

    Every page reading a column the migration adds would answer 500; saying so at start-up
    names the fix.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        more = f" và {len(plan) - 5} migration khác" if len(plan) > 5 else ""
        raise CommandError(
            f"Cơ sở dữ liệu chưa được cập nhật: {len(plan)} migration chưa chạy "
            f"({names}{more}). Chạy `sen migrate` trước khi mở máy chủ."
        )


def serve(*, host: str, port: int, workers: int = 1, threads: int = 8) -> None:
    """Run granian in WSGI mode until interrupted."""
    from granian import Granian
    from granian.constants import Interfaces

    refuse_busy_address(host, port)
    refuse_unapplied_migrations()
    # Connections opened while preparing must not be shared with forked workers.
    connections.close_all()
    Granian(
        "sen.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        # A worker that dies (killed for memory, crashed) is started again; by default
        # granian would stop the whole server, the other workers with it.
        respawn_failed_workers=True,
    ).serve()
