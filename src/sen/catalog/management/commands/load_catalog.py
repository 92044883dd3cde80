"""``sen load_catalog <file.json|file.xlsx>``: import a procedure catalog, all or nothing."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sen.catalog.services import catalog_import, catalog_import_xlsx


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp JSON (sen.catalog/1) hoặc Excel (.xlsx); "
        "in báo cáo từng dòng và trả mã lỗi khác 0 nếu không nhập được."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Tệp .json hoặc .xlsx.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Không đọc được tệp %(path)s: %(error)s")
                % {
                    "path": path,
                    "error": error.strerror,
                }
            ) from error
        if path.suffix.lower() == ".xlsx":
            report = catalog_import_xlsx(content=content, actor=None, source=path.name)
        elif path.suffix.lower() == ".json":
            try:
                data = json.loads(content)
            except ValueError as error:
                raise CommandError(
                    _("Tệp %(path)s không phải JSON đọc được: %(error)s")
                    % {"path": path, "error": error}
                ) from error
            report = catalog_import(data=data, actor=None, source=path.name)
        else:
            raise CommandError(_("Chỉ nhập được tệp .json hoặc .xlsx."))
        lines = report.lines()
        if not report.ok:
            for line in lines[1:]:
                self.stderr.write(line)
            raise CommandError(lines[0])
        verbosity = options["verbosity"]
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(lines[0]))
        if verbosity >= 2:
            for line in lines[1:]:
                self.stdout.write(line)
