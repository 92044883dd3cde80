"""The ``sen`` command: Django's management commands with Sen's settings.

``sen demo`` prepares a demo database and serves the platform; ``sen serve`` serves it
with granian; every other word is a Django management command (``sen migrate``,
``sen load_units``, ``sen db_worker`` …).
"""

import os
import sys

FORGOTTEN_SETTINGS = (
    "sen: SEN_SECRET_KEY đã đặt, như trên máy chủ thật, nhưng DJANGO_SETTINGS_MODULE thì "
    "chưa: lệnh sẽ chạy với cấu hình phát triển (thư gửi người nộp chỉ in ra màn hình mà vẫn "
    "ghi là đã gửi). Đặt DJANGO_SETTINGS_MODULE=sen.conf.production, hoặc bỏ SEN_SECRET_KEY "
    "khi phát triển."
)


def main(argv: list[str] | None = None) -> None:
    words = argv if argv is not None else sys.argv[1:]
    if not os.environ.get("DJANGO_SETTINGS_MODULE") and os.environ.get("SEN_SECRET_KEY"):
        # A production environment with the settings module left out, in a cron line or a
        # shell: the developer's settings would print the applicants' emails, not send them.
        sys.exit(FORGOTTEN_SETTINGS)
    # The demo shows Sen's own error pages (sen.conf.demo); a developer's commands, Django's.
    default = "sen.conf.demo" if words[:1] == ["demo"] else "sen.conf.dev"
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or default
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sen", *words])


if __name__ == "__main__":
    main()
