"""Time the indicators on a database filled by bench/history.py (PostgreSQL).

Run from the repository root, after ``bench/history.py``:

    .venv/bin/python bench/indicators.py                        # database sen_bench_history
    .venv/bin/python bench/indicators.py --name sen_bench_history_10m

Requests go through the whole Django stack in-process with Django's test client, signed in
as a provincial administrator, one at a time after warm-up, as in bench/run.py; "now" is the
history's last day (30/11/2026 17:00). Measured:

1. ``GET /api/v1/indicators`` for the province, a commune and an agency, each for a month,
   a quarter and a year (the current ones, whose unfinished dossiers are judged now, and past
   ones, judged at the period's end from the running counts);
2. the report's selector alone (without the HTTP stack, access checks and JSON) for each
   unit kind, and the IOC selectors: 12-month trend, agency and commune rankings, overdue by
   agency;
3. the IOC dashboard: its API (``GET /api/v1/indicators/dashboard``) and its page
   (``GET /ioc/``) for the province's month, and the Excel export of the province's year;
4. the cost the live counting adds to a transition: ``record_dossier_change`` alone on open
   dossiers that really change (a second supplement request makes one late from receipt),
   rolled back, with its queries counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from dossiers import POSTGRES_ADMIN_URL, percentile  # noqa: E402 - found through BENCH


def timed(call, repeat: int) -> dict[str, float]:
    for _ in range(min(5, repeat)):
        call()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    return {
        "p50": statistics.median(samples),
        "p90": percentile(samples, 0.90),
        "p99": percentile(samples, 0.99),
    }


def fetched(client, path: str, **params: str) -> None:
    """GET ``path`` and fail loudly unless it answers 200 (a refusal would time as fast)."""
    response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--name", default="sen_bench_history")
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{POSTGRES_ADMIN_URL}/{args.name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossiers_settings"
    os.environ.setdefault("SEN_BENCH_MEDIA", tempfile.mkdtemp(prefix="sen-bench-media-"))
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone
    from history import NOW

    timezone.now = lambda: NOW  # type: ignore[assignment]

    from django.contrib.auth import get_user_model

    from sen.core.models import Agency, AgencyKind, Role
    from sen.core.periods import parse_period
    from sen.core.tests.factories import MembershipFactory, UserFactory
    from sen.dossiers.models import Dossier
    from sen.reports.access import resolve_unit
    from sen.reports.selectors import (
        agency_ranking,
        commune_ranking,
        index_trend,
        indicator_report,
        overdue_by_agency,
    )
    from sen.reports.services import record_dossier_change

    User = get_user_model()
    total = Dossier.objects.count()
    committee = Agency.objects.get(kind=AgencyKind.PROVINCIAL_COMMITTEE)
    # Made once per database: the benchmark may run again on the same history.
    admin = User.objects.filter(username="bench-quantri").first()
    if admin is None:
        admin = UserFactory(username="bench-quantri")
        MembershipFactory(user=admin, agency=committee, role=Role.PROVINCE_ADMIN)
    client = Client()
    client.force_login(admin)
    commune = Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).select_related("unit")[0]
    department = Agency.objects.filter(kind=AgencyKind.DEPARTMENT).order_by("code")[0]
    units = [("province", "90"), ("commune", commune.unit.code), ("agency", department.code)]
    periods = ["2026-11", "2026-Q4", "2026", "2025-06", "2025-Q2", "2025"]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.name}: {total:,} dossiers; load average at start {load} (2 cores)")
    print(f"  {'':<52} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for label, unit in units:
        for period in periods:

            def call(unit=unit, period=period):
                response = client.get("/api/v1/indicators", {"unit": unit, "period": period})
                assert response.status_code == 200, response.content[:300]

            m = timed(call, args.repeat)
            print(
                f"  GET /api/v1/indicators {label:<8} {period:<8}{'':<12} {m['p50']:>8.1f} {m['p90']:>8.1f} {m['p99']:>8.1f}"
            )
    province = resolve_unit("90")
    year = parse_period("2026")
    selector_units = [("province", province), *((k, resolve_unit(u)) for k, u in units[1:])]
    for label, report_unit in selector_units:
        past_year = parse_period("2025")

        def report(report_unit=report_unit, past_year=past_year):
            indicator_report(unit=report_unit, period=past_year, now=NOW)

        m = timed(report, args.repeat)
        name = f"indicator_report (selector only), {label}, 2025"
        print(f"  {name:<52} {m['p50']:>8.1f} {m['p90']:>8.1f} {m['p99']:>8.1f}")
    for label, call in [
        ("index_trend (12 months), province", lambda: index_trend(unit=province, now=NOW)),
        (
            "agency_ranking, province, 2026",
            lambda: agency_ranking(unit=province, period=year, now=NOW),
        ),
        (
            "commune_ranking, province, 2026",
            lambda: commune_ranking(unit=province, period=year, now=NOW),
        ),
        ("overdue_by_agency, province", lambda: overdue_by_agency(unit=province, now=NOW)),
        (
            "GET /api/v1/indicators/dashboard, province, month",
            lambda: fetched(client, "/api/v1/indicators/dashboard", unit="90", period="2026-11"),
        ),
        (
            "GET /ioc/ (the dashboard page), province, month",
            lambda: fetched(client, "/ioc/", unit="90", period="2026-11"),
        ),
        (
            "export xlsx, province, 2026",
            lambda: client.get(
                "/api/v1/indicators/export", {"unit": "90", "period": "2026", "format": "xlsx"}
            ),
        ),
    ]:
        m = timed(call, max(10, args.repeat // 5))
        print(f"  {label:<52} {m['p50']:>8.1f} {m['p90']:>8.1f} {m['p99']:>8.1f}")
    open_ids = list(
        Dossier.objects.filter(status="processing").values_list("pk", flat=True)[: args.repeat]
    )
    dossiers = list(Dossier.objects.filter(pk__in=open_ids).select_related("procedure"))
    from django.db import transaction

    def recount():
        for dossier in dossiers:
            with transaction.atomic():
                dossier.supplement_count = 2  # a real change: late from receipt
                record_dossier_change(dossier=dossier)
                transaction.set_rollback(True)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        recount()
    # Each change is its own transaction: leave out its BEGIN and ROLLBACK.
    statements = [q for q in queries.captured_queries if q["sql"] not in ("BEGIN", "ROLLBACK")]
    per_change = len(statements) / max(1, len(dossiers))
    t0 = time.perf_counter()
    recount()
    per = (time.perf_counter() - t0) * 1000 / max(1, len(dossiers))
    label = f"record_dossier_change ({per_change:.0f} queries)"
    print(f"  {label:<52} {per:>8.2f}   (mean)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at the end {load}")


if __name__ == "__main__":
    main()
