"""The ``sen`` command: Django's management commands with Sen's settings.

``sen demo`` prepares a demo database and serves the platform; ``sen serve`` serves it
with granian; every other word is a Django management command (``sen migrate``,
``sen load_units``, ``sen db_worker`` …).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    words = argv if argv is not None else sys.argv[1:]
    # The demo shows Sen's own error pages (sen.conf.demo); a developer's commands, Django's.
    default = "sen.conf.demo" if words[:1] == ["demo"] else "sen.conf.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sen", *words])


if __name__ == "__main__":
    main()
