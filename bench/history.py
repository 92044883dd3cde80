"""Fill a PostgreSQL database with a province's realistic three-year dossier history.

Run from the repository root:

    .venv/bin/python bench/history.py --dossiers 1000000      # database sen_bench_history
    .venv/bin/python bench/history.py --dossiers 10000000 --name sen_bench_history_10m

The database is dropped and recreated (``SEN_BENCH_POSTGRES`` names the server, default
``postgres://postgres@127.0.0.1:5432``). The world: one province, its people's committee and
20 departments, 100 communes with their committees, 60 procedures in 8 fields (a third fully
online, a third partly, a third not online). Dossiers are submitted during office hours on
working days only (holidays and swapped days from ``sen.workdays``) from 1 December 2023
to 30 November 2026, a little more each year; the online share grows from 45% to 85% for
procedures offered online. Due moments come from the working calendar; about 3% finish
late, most early. Dossiers older than two months are almost all finished; recent ones are
in every state. Rows go in with COPY; the indicators' aggregates are then built by
``recompute_indicators``, timed. Files, results and ratings are not generated (their
indicators read zero); timings do not depend on them.
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
    from sen.reports.services import recompute_indicators
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
            status = "submitted"
            if r < 0.03:
                status = "refused"
                finished = submitted + timedelta(hours=rng.randrange(1, 30))
            elif age > 1 or r > 0.5:
                received = submitted + timedelta(minutes=rng.randrange(5, 240))
                due = calendar.add_working_days(received, proc_days[proc.pk])
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
                    0,
                    "",
                )
            )
    t_copy = time.perf_counter() - t1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    t2 = time.perf_counter()
    done = recompute_indicators()
    t_recompute = time.perf_counter() - t2
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "dossiers": count,
        "world_seconds": t_world,
        "copy_seconds": t_copy,
        "recompute_seconds": t_recompute,
        "agency_months": done.agency_months,
        "procedure_months": done.procedure_months,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--name", default="sen_bench_history", help="PostgreSQL database name")
    args = parser.parse_args()
    from dossiers import setup_django

    os.environ.setdefault("SEN_BENCH_MEDIA", tempfile.mkdtemp(prefix="sen-bench-media-"))
    setup_django("postgres", args.name)
    from django.utils import timezone

    # Period ends and "now" are those of the history's last day.
    timezone.now = lambda: NOW  # type: ignore[assignment]
    result = generate(args.dossiers)
    print(
        f"{result['dossiers']:,} dossiers: world {result['world_seconds']:.0f} s, "
        f"COPY {result['copy_seconds']:.0f} s, recompute_indicators "
        f"{result['recompute_seconds']:.0f} s ({result['agency_months']:,} agency-months, "
        f"{result['procedure_months']:,} procedure-months)"
    )


if __name__ == "__main__":
    main()
