"""Load Viet Nam's administrative units, current and legacy, with their successors."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sen.core.services import units_load
from sen.core.unitdata import read_successor_map
from sen.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and 3,321 communes in force since 1 July 2025 and the legacy "
        "provinces, districts and communes with their successors. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="load only this current province (e.g. 37) and the former provinces it "
            "absorbed; repeat for several",
        )
        parser.add_argument(
            "--successor-map",
            type=Path,
            metavar="CSV",
            help="CSV of (former commune code, current commune code) pairs from the official "
            "merger table, to complete the successors of former communes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pairs: list[tuple[str, str]] = []
        started = time.monotonic()
        try:
            if options["successor_map"] is not None:
                pairs = read_successor_map(options["successor_map"].read_text(encoding="utf-8"))
            report = units_load(province_codes=options["provinces"], successor_pairs=pairs)
        except (DomainError, OSError) as error:
            raise CommandError(str(error)) from error
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if options["verbosity"] < 1:
            return
        elapsed = time.monotonic() - started
        message = _(
            "Đơn vị hành chính: thêm %(created)d, cập nhật %(updated)d; liên kết kế thừa: "
            "thêm %(added)d, bỏ %(removed)d (%(seconds).1f giây)."
        )
        self.stdout.write(
            message
            % {
                "created": report.created,
                "updated": report.updated,
                "added": report.links_added,
                "removed": report.links_removed,
                "seconds": elapsed,
            }
        )
