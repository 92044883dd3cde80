"""``sen check_catalog``: list the current procedures whose e-form the catalog now refuses."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sen.catalog.interchange import form_schema_problems
from sen.catalog.selectors import procedure_current_forms


class Command(BaseCommand):
    help = (
        "Kiểm tra biểu mẫu điện tử của mọi thủ tục hiện hành theo quy tắc của danh mục "
        "(ADR 0023); in từng lỗi và trả mã lỗi khác 0 nếu có thủ tục không đạt. "
        "Không thay đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Procedures stored before a rule was added are not re-checked until their next
        # edit: after an upgrade, this says which the apply page may be unable to send.
        checked = failing = problem_count = 0
        for procedure in procedure_current_forms().iterator(chunk_size=200):
            checked += 1
            problems = form_schema_problems(procedure.form_schema)
            if not problems:
                continue
            failing += 1
            problem_count += len(problems)
            # Sorted: PostgreSQL keeps a JSON object's keys in an order of its own (jsonb),
            # so the schema's order would differ from one database to the other.
            for problem in sorted(problems):
                self.stderr.write(
                    _("%(code)s — %(name)s: %(problem)s")
                    % {"code": procedure.code, "name": procedure.name, "problem": problem}
                )
        if failing:
            raise CommandError(
                ngettext(
                    "%(failing)d/%(checked)d thủ tục hiện hành có biểu mẫu điện tử không đạt "
                    "(%(problems)d lỗi): hãy sửa trong trang quản trị, nút «Sửa (tạo phiên bản "
                    "mới)», hoặc nhập lại danh mục.",
                    "%(failing)d/%(checked)d thủ tục hiện hành có biểu mẫu điện tử không đạt "
                    "(%(problems)d lỗi): hãy sửa trong trang quản trị, nút «Sửa (tạo phiên bản "
                    "mới)», hoặc nhập lại danh mục.",
                    failing,
                )
                % {"failing": failing, "checked": checked, "problems": problem_count}
            )
        if options["verbosity"] < 1:
            return
        if checked == 0:
            self.stdout.write(_("Chưa có thủ tục hiện hành nào để kiểm tra."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Biểu mẫu điện tử của %(checked)d thủ tục hiện hành đạt.",
                    "Biểu mẫu điện tử của cả %(checked)d thủ tục hiện hành đều đạt.",
                    checked,
                )
                % {"checked": checked}
            )
        )
