"""Write the API's OpenAPI document, or check that the committed one matches the code."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to a file, or --check that file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="e.g. docs/openapi.json")
        parser.add_argument(
            "--check", action="store_true", help="fail if the file differs from the code"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from sen.api import api

        document = json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2) + "\n"
        path = Path(options["path"])
        if not options["check"]:
            path.write_text(document, encoding="utf-8")
            self.stdout.write(f"Wrote {path}.")
            return
        if not path.exists() or path.read_text(encoding="utf-8") != document:
            raise CommandError(
                f"{path} does not match the API. Run `sen openapi {path}` and commit the result."
            )
        self.stdout.write(f"{path} matches the API.")
