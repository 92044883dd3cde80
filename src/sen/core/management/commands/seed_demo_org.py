"""Create the demo organisation of Ninh Bình and print its logins."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sen.core.demo import login_table, seed_demo_org
from sen.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create the demo agencies of Ninh Bình (province 37) and demo officers, and print "
        "their logins. Needs `sen load_units` first. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            logins = seed_demo_org()
        except DomainError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(login_table(logins))
