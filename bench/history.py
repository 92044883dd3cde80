"""Fill a PostgreSQL database with a province's realistic three-year dossier history.

Run from the repository root:

    .venv/bin/python bench/history.py --dossiers 1000000      # database sen_bench_history
    .venv/bin/python bench/history.py --dossiers 10000000 --name sen_bench_history_10m

``--phase generate`` only fills the dossiers (the database is dropped and recreated);
``--phase recompute`` migrates an existing history and rebuilds the indicators, timed (to
time a new ``recompute_indicators`` on the same dossiers); ``--phase all`` (the default)
does both. The database is dropped and recreated (``SEN_BENCH_POSTGRES`` names the server, default
``postgres://postgres@127.0.0.1:5432``). The world: one province, its people's committee and
20 departments, 100 communes with their committees, 60 procedures in 8 fields (a third fully
online, a third partly, a third not online). Dossiers are submitted during office hours on
working days only (holidays and swapped days from ``sen.workdays``) from 1 December 2023
to 30 November 2026, a little more each year; the online share grows from 45% to 85% for
procedures offered online. Due moments come from the working calendar; about 3% finish
late, most early. Dossiers older than two months are almost all finished; recent ones are
in every state. About 5% of dossiers had one supplement request (their due moment moved by
the waiting time) and 0.3% two or more (late from receipt, as the index counts them); a
quarter of the returned dossiers are rated, mostly satisfied. Rows go in with COPY (ratings
with one INSERT … SELECT); the indicators' aggregates are then built by
``recompute_indicators``, timed. Files and result files are not generated (their
indicators read zero): they need the dossiers' events, and timings hardly depend on them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = date(2023, 12, 1)
END = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 17, 0, tzinfo=VN)
FIELDS = [
    ("ho-tich", "Hộ tịch"),
    ("dat-dai", "Đất đai"),
    ("xay-dung", "Xây dựng"),
    ("chung-thuc", "Chứng thực"),
    ("giao-thong", "Giao thông vận tải"),
    ("lao-dong", "Lao động, thương binh và xã hội"),
    ("kinh-doanh", "Đăng ký kinh doanh"),
    ("giao-duc", "Giáo dục và đào tạo"),
]
LEVELS = ["full", "partial", "none"]


def make_world(communes: int = 100, departments: int = 20, procedures: int = 60):
    """Create the province, its agencies and procedures; return them."""
    from sen.catalog.models import Field
    from sen.catalog.tests.factories import make_procedure, one_step
    from sen.core.models import AgencyKind
    from sen.core.tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory

    province = ProvinceFactory(code="90", name="Tỉnh Thử Nghiệm")
    committee = AgencyFactory(
        code="000.00.00.H90", name="UBND tỉnh", kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=province
    )
    depts = [
        AgencyFactory(code=f"000.{n:02d}.00.H90", name=f"Sở {n}", unit=province)
        for n in range(1, departments + 1)
    ]
    commune_agencies = []
    for n in range(communes):
        unit = CommuneFactory(code=f"{90000 + n:05d}", name=f"Xã {n}", parent=province)
        commune_agencies.append(
            AgencyFactory(
                code=f"000.00.{n % 100:02d}.K{n // 100 + 10:02d}",
                name=f"UBND xã {n}",
                kind=AgencyKind.COMMUNE_COMMITTEE,
                unit=unit,
            )
        )
    fields = [Field.objects.create(code=code, name=name) for code, name in FIELDS]
    procs = []
    for n in range(procedures):
        commune_level = n % 2 == 0
        days = random.Random(n).choice(["1", "3", "5", "10", "15", "20"])
        procs.append(
            make_procedure(
                code=f"1.{900000 + n:06d}",
                name=f"Thủ tục thử nghiệm {n}",
                field=fields[n % len(fields)].code,
                online_level=LEVELS[n % 3],
                processing_days=days,
                implementations=[{"level": "commune" if commune_level else "province"}]
                if commune_level
                else [{"level": "province", "agency": depts[n % len(depts)].code}],
                steps=one_step(days),
            )
        )
    return province, committee, depts, commune_agencies, procs


def generate(count: int, seed: int = 766) -> dict[str, float]:
    from django.db import connection

    from sen.catalog.models import Procedure
    from sen.workdays.selectors import calendar_for

    rng = random.Random(seed)
    t0 = time.perf_counter()
    _province, _committee, depts, communes, procs = make_world()
    calendar = calendar_for(years=range(START.year, END.year + 2))
    days = []
    day = START
    while day <= END:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    # Later days weigh a little more: demand grows about 15% a year.
    weights = [1.0 + 0.15 * (d - START).days / 365 for d in days]
    province_procs = [p for p in procs if int(p.code[2:]) % 2 == 1]
    commune_procs = [p for p in procs if int(p.code[2:]) % 2 == 0]
    proc_days = {p.pk: Decimal(p.processing_days) for p in Procedure.objects.all()}
    online_of = {p.pk: p.online_level for p in procs}
    sequences: dict[tuple[int, date], int] = {}
    columns = [
        "code",
        "procedure_id",
        "agency_id",
        "channel",
        "status",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "form_data",
        "submitted_at",
        "received_at",
        "due_at",
        "original_due_at",
        "finished_at",
        "returned_at",
        "return_method",
        "legal_basis",
        "revision",
        "supplement_count",
        "postal_tracking_number",
    ]
    chosen_days = rng.choices(days, weights, k=count)
    chosen_days.sort()
    t_world = time.perf_counter() - t0
    t1 = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY dossiers_dossier ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for n, day in enumerate(chosen_days):
            if rng.random() < 0.6:
                agency, proc = rng.choice(communes), rng.choice(commune_procs)
            else:
                proc = rng.choice(province_procs)
                agency = depts[int(proc.code[2:]) % len(depts)]
            submitted = datetime(day.year, day.month, day.day, 7, 30, tzinfo=VN) + timedelta(
                minutes=rng.randrange(9 * 60)
            )
            progress = (day - START).days / (END - START).days
            online_share = 0.45 + 0.40 * progress
            if online_of[proc.pk] == "none":
                channel = "post" if rng.random() < 0.05 else "desk"
            else:
                r = rng.random()
                channel = "online" if r < online_share else ("post" if r > 0.97 else "desk")
            seq = sequences.get((agency.pk, day), 0) + 1
            sequences[(agency.pk, day)] = seq
            age = (NOW - submitted).days
            r = rng.random()
            received = due = finished = returned = None
            method = ""
            supplements = 0
            status = "submitted"
            if r < 0.03:
                status = "refused"
                finished = submitted + timedelta(hours=rng.randrange(1, 30))
            elif age > 1 or r > 0.5:
                received = submitted + timedelta(minutes=rng.randrange(5, 240))
                due = calendar.add_working_days(received, proc_days[proc.pk])
                s = rng.random()
                if s < 0.05:
                    # The clock stopped while the applicant completed the dossier.
                    supplements = 1 if s > 0.003 else 2
                    due += timedelta(days=rng.randrange(1, 8))
                span = due - received
                finish_chance = 0.995 if age > 60 else min(0.97, age / 30)
                if rng.random() < finish_chance:
                    late = rng.random() < 0.03
                    finished = (
                        due + timedelta(hours=rng.randrange(1, 200))
                        if late
                        else received + span * rng.uniform(0.2, 0.99)
                    )
                    if finished > NOW:
                        finished = None
                if finished is None:
                    status = rng.choice(["received", "processing", "processing", "processing"])
                else:
                    e = rng.random()
                    if e < 0.03:
                        status = "withdrawn"
                    elif e < 0.045:
                        status = "stopped"
                    elif e < 0.06 or finished > NOW - timedelta(days=3):
                        status = "result_ready"
                    else:
                        status = "returned"
                        returned = finished + timedelta(hours=rng.randrange(1, 72))
                        if returned > NOW:
                            returned = NOW
                        method = "electronic" if channel == "online" else "desk"
            copy.write_row(
                (
                    f"{agency.code}-{day:%y%m%d}-{seq:04d}",
                    proc.pk,
                    agency.pk,
                    channel,
                    status,
                    "Nguyễn Văn An",
                    f"0371{n % 10**8:08d}",
                    "0912345678",
                    "",
                    "",
                    "{}",
                    submitted,
                    received,
                    due,
                    due,
                    finished,
                    returned,
                    method,
                    "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP",
                    1,
                    supplements,
                    "",
                )
            )
    _rate_some()
    t_copy = time.perf_counter() - t1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    return {"dossiers": count, "world_seconds": t_world, "copy_seconds": t_copy}


def _rate_some() -> None:
    """Rate a quarter of the returned dossiers within three days of the return, one statement."""
    from django.db import connection

    from sen.core.tests.factories import UserFactory
    from sen.dossiers.ratings import CRITERIA

    applicant = UserFactory(username="bench-nguoi-dan")
    # Each criterion 2 (best) mostly, 1 often, 0 rarely: about 95% of ratings satisfied.
    score = "(CASE WHEN random() < 0.7 THEN 2 WHEN random() < 0.9 THEN 1 ELSE 0 END)"
    scores = ", ".join(f"'{c.code}', {score}" for c in CRITERIA)
    with connection.cursor() as cursor:
        sql = (
            "INSERT INTO dossiers_dossierrating (dossier_id, applicant_id, scores, comment, "  # noqa: S608
            f"rated_at) SELECT id, %s, jsonb_build_object({scores}), '', "
            "LEAST(returned_at + random() * interval '3 days', %s) "
            "FROM dossiers_dossier WHERE status = 'returned' AND random() < 0.25"
        )
        cursor.execute(sql, [applicant.pk, NOW])


def recompute() -> dict[str, float]:
    """Rebuild the indicators from the dossiers, timed, then VACUUM ANALYZE for the reports."""
    from django.db import connection

    from sen.reports.services import recompute_indicators

    t0 = time.perf_counter()
    done = recompute_indicators()
    seconds = time.perf_counter() - t0
    connection.ensure_connection()
    with connection.cursor() as cursor:
        # Index-only scans of the open dossiers need the visibility map VACUUM sets.
        cursor.execute("VACUUM ANALYZE")
    return {
        "dossiers": done.dossiers,
        "recompute_seconds": seconds,
        "agency_months": done.agency_months,
        "procedure_months": done.procedure_months,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--name", default="sen_bench_history", help="PostgreSQL database name")
    parser.add_argument("--phase", choices=["all", "generate", "recompute"], default="all")
    args = parser.parse_args()
    from dossiers import POSTGRES_ADMIN_URL, setup_django

    os.environ.setdefault("SEN_BENCH_MEDIA", tempfile.mkdtemp(prefix="sen-bench-media-"))
    if args.phase == "recompute":
        _existing_database(f"{POSTGRES_ADMIN_URL}/{args.name}")
    else:
        setup_django("postgres", args.name)
    from django.utils import timezone

    # Period ends and "now" are those of the history's last day.
    timezone.now = lambda: NOW  # type: ignore[assignment]
    if args.phase != "recompute":
        made = generate(args.dossiers)
        print(
            f"{made['dossiers']:,} dossiers: world {made['world_seconds']:.0f} s, "
            f"COPY and ratings {made['copy_seconds']:.0f} s",
            flush=True,
        )
    if args.phase != "generate":
        done = recompute()
        print(
            f"recompute_indicators: {done['dossiers']:,} dossiers in "
            f"{done['recompute_seconds']:.0f} s ({done['agency_months']:,} agency-months, "
            f"{done['procedure_months']:,} procedure-months)"
        )


def _existing_database(url: str) -> None:
    """Point Django at the history already in ``url`` and bring its tables up to date."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossiers_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


if __name__ == "__main__":
    main()
