"""``sen sweep_files``: list, or with ``--delete`` delete, the stored files no row names."""

import logging
from argparse import ArgumentTypeError
from datetime import timedelta
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sen.core.filesweep import swept_folders, unnamed_files
from sen.core.services import audit_record

logger = logging.getLogger("sen.files")


def at_least_one(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(_("cần một số nguyên từ 1 trở lên, không phải “%s”") % value)
    return int(value)


class Command(BaseCommand):
    help = (
        "Tìm các tệp trong kho lưu trữ không thuộc hồ sơ, kết quả hay mẫu đơn nào (còn lại khi "
        "một giao dịch bị huỷ sau khi đã lưu tệp), lưu trước đây hơn --older-than-hours giờ. "
        "Mặc định chỉ liệt kê; --delete thì xoá và ghi nhật ký. Lập lịch hằng tuần, ví dụ "
        "'0 3 * * 0 sen sweep_files --delete'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="Xoá các tệp tìm thấy (mặc định: chỉ liệt kê)."
        )
        parser.add_argument(
            "--older-than-hours",
            type=at_least_one,
            default=24,
            help="Chỉ xét tệp lưu trước đây hơn chừng ấy giờ (mặc định 24, ít nhất 1): tệp "
            "mới lưu có thể thuộc một giao dịch chưa xong.",
        )
        parser.add_argument(
            "--at-most",
            type=at_least_one,
            default=100,
            help="Không xoá gì nếu tìm thấy nhiều hơn chừng ấy tệp (mặc định 100).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stored_before = timezone.now() - timedelta(hours=options["older_than_hours"])
        at_most = options["at_most"]
        found = list(
            islice(
                (
                    (folder, name)
                    for folder in swept_folders()
                    for name in unnamed_files(folder, stored_before=stored_before)
                ),
                at_most + 1,
            )
        )
        if len(found) > at_most:
            # So many is likelier a wrong database or media folder than leftovers.
            raise CommandError(
                _(
                    "Có hơn %(limit)d tệp không thuộc hồ sơ nào, nên chưa xoá tệp nào: nhiều như "
                    "vậy thường là do trỏ nhầm cơ sở dữ liệu (DATABASE_URL) hoặc thư mục lưu tệp "
                    "(SEN_VAR_DIR). Kiểm tra lại; nếu đúng là vậy, chạy lại với --at-most lớn hơn."
                )
                % {"limit": at_most}
            )
        for _folder, name in found:
            self.stdout.write(name)
        if not options["delete"]:
            self.stdout.write(
                ngettext(
                    "Có %(count)d tệp không thuộc hồ sơ nào; chạy lại với --delete để xoá.",
                    "Có %(count)d tệp không thuộc hồ sơ nào; chạy lại với --delete để xoá.",
                    len(found),
                )
                % {"count": len(found)}
            )
            return
        for folder, name in found:
            folder.storage.delete(name)
            logger.info("Deleted %s, stored but named by no row", name)
        if found:
            names = [name for _folder, name in found]
            audit_record(actor=None, action="core.files.swept", data={"files": names})
        done = ngettext(
            "Đã xoá %(count)d tệp không thuộc hồ sơ nào.",
            "Đã xoá %(count)d tệp không thuộc hồ sơ nào.",
            len(found),
        )
        self.stdout.write(done % {"count": len(found)})
