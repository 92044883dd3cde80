"""Serve Sen with granian, a production-grade WSGI server."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections


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


def serve(*, host: str, port: int, workers: int = 1, threads: int = 8) -> None:
    """Run granian in WSGI mode until interrupted."""
    from granian import Granian
    from granian.constants import Interfaces

    # Connections opened while preparing must not be shared with forked workers.
    connections.close_all()
    Granian(
        "sen.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
    ).serve()
