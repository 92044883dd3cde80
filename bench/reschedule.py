"""What moving deadlines after a day declared off costs (``services.rescheduling``).

Run from the repository root (PostgreSQL must answer at SEN_BENCH_POSTGRES):

    .venv/bin/python bench/reschedule.py                    # 1,000 open dossiers
    .venv/bin/python bench/reschedule.py --dossiers 5000

On a fresh PostgreSQL database (``sen_bench_reschedule``), with the settings of
bench/dossiers_settings.py (the task queue is the database, as in production):

1. submits ``--dossiers`` dossiers through the services and receives them, half of them
   then handed to the inter-agency step, all with deadlines after the day to be declared;
2. declares that day off through ``calendar_entry_create`` (which enqueues the task), then
   runs the task's work (``dossiers_follow_calendar``) in this process and times it;
3. prints the dossiers moved, the time and CPU per dossier (this process and PostgreSQL's
   backend), and what a province's open dossiers would take at that rate; then checks that
   every dossier moved once and that its applicant's notice was written.

The work runs in the background, so the figure to watch is how long a province waits for
its deadlines to follow, and that it is linear in the dossiers moved.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date, datetime

from dossiers import POSTGRES_ADMIN_URL, make_world, postgres_backend_cpu, postgres_reachable
from dossiers import setup_django as setup

# A province's open dossiers at any time: a million a year, about ten working days each.
PROVINCE_OPEN = 40_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=1000)
    args = parser.parse_args()
    if not postgres_reachable():
        print("postgres: skipped (no server answers at", POSTGRES_ADMIN_URL + ")")
        return
    setup("postgres", "sen_bench_reschedule")

    from unittest import mock

    from django.utils import timezone

    from sen.core.timezones import VIETNAM
    from sen.dossiers.models import DossierEvent, DossierNotice
    from sen.dossiers.services import dossier_complete_step, dossier_receive
    from sen.dossiers.services.rescheduling import dossiers_follow_calendar
    from sen.dossiers.tests.factories import submit_online
    from sen.workdays.selectors import calendar_entries
    from sen.workdays.services import calendar_entry_create

    world = make_world()
    # Friday 20/11/2026 at 09:00; the day declared off is Monday 23/11, within every deadline.
    received_at = datetime(2026, 11, 20, 9, 0, tzinfo=VIETNAM)
    changed_at = datetime(2026, 11, 20, 11, 0, tzinfo=VIETNAM)
    day_off = date(2026, 11, 23)
    t0 = time.perf_counter()
    with mock.patch.object(timezone, "now", lambda: received_at):
        for n in range(args.dossiers):
            dossier = submit_online(world.procedure, world.applicant).dossier
            dossier_receive(dossier=dossier, actor=world.desk, expected_revision=1)
            if n % 2:
                dossier_complete_step(dossier=dossier, actor=world.desk, expected_revision=2)
    setup_seconds = time.perf_counter() - t0

    with mock.patch.object(timezone, "now", lambda: changed_at):
        calendar_entry_create(
            date=day_off, kind="day_off", name="Nghỉ hoán đổi", legal_basis="", actor=None
        )
        database_cpu = postgres_backend_cpu()
        cpu0, db0, wall0 = time.process_time(), database_cpu(), time.perf_counter()
        moved = dossiers_follow_calendar(
            change="bench",
            at=changed_at,
            before={day_off: None},
            entries=calendar_entries(first_year=changed_at.year - 1),
            reason="Nghỉ hoán đổi",
        )
        wall = time.perf_counter() - wall0
        cpu, db = time.process_time() - cpu0, (database_cpu() or 0) - (db0 or 0)

    events = DossierEvent.objects.filter(action="reschedule", data__change="bench")
    notices = DossierNotice.objects.filter(event__in=events).count()
    print(
        f"Sen deadlines after a day declared off — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, postgres; {args.dossiers:,} open dossiers "
        f"(set up in {setup_seconds:.0f} s)"
    )
    print(f"  dossiers moved           {moved:>8,}   in {wall:.1f} s")
    print(
        f"  per dossier, ms          {wall * 1000 / moved:>8.2f} wall   "
        f"{cpu * 1000 / moved:.2f} CPU here   {db * 1000 / moved:.2f} CPU PostgreSQL"
    )
    print(
        f"  {PROVINCE_OPEN:,} open dossiers      ~{wall / moved * PROVINCE_OPEN / 60:.0f} min "
        "in the background"
    )
    ok = moved == args.dossiers == events.count() == notices
    print(f"  each moved once with its notice: {'PASS' if ok else 'FAIL'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
