"""Benchmarks of the one-stop shop: submissions, transitions, tracking and the officers' queue.

Run from the repository root:

    .venv/bin/python bench/dossiers.py                     # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/dossiers.py --database postgres # one database only
    .venv/bin/python bench/dossiers.py --dossiers 1000000 --database postgres
    .venv/bin/python bench/dossiers.py --without-reports-hook  # what sen.reports' hook costs

Each database is measured in its own process on a fresh database (a temporary SQLite file, or
the PostgreSQL database ``sen_bench_dossiers``, dropped and recreated). Requests go through the
whole Django stack in-process with Django's test client, one at a time, as in bench/run.py.
Every figure is also given as a ratio to a bare Django JSON view (``/bench/bare``, see
bench/dossiers_urls.py) measured in the same run: its requests per second divided by the
bare view's (1.00 = as fast as Django can answer at all).

1. ``POST /api/v1/dossiers``: multipart with one small PDF, a signed-in applicant, one
   ``Idempotency-Key`` per request.
2. State transitions through the services: ``dossier_receive`` then ``dossier_complete_step``.
3. ``GET /api/v1/tracking/<code>`` and ``GET /api/v1/dossiers/queue`` (unfiltered, five
   filters in turn, and ``my_turn``) with ``--dossiers``
   dossiers in the database, bulk-inserted (realistic codes, statuses, due moments over three
   years, several agencies; events for the dossiers looked up).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
POSTGRES_ADMIN_URL = os.environ.get("SEN_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE_NAME = "sen_bench_dossiers"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# (status, share): a province's dossiers over three years are mostly finished.
STATUS_MIX = [
    ("returned", 0.62),
    ("result_ready", 0.04),
    ("processing", 0.12),
    ("received", 0.03),
    ("submitted", 0.05),
    ("supplement_requested", 0.04),
    ("refused", 0.04),
    ("withdrawn", 0.03),
    ("stopped", 0.03),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Huy", "Ngọc Lan", "Hải Nam"]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    return {
        "count": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
    }


def timed(
    calls: list[Callable[[], object]],
    *,
    expect: int | None = 200,
    database_cpu: Callable[[], float | None] = lambda: None,
) -> dict[str, float | None]:
    """Make each call in turn; return calls per second, latency percentiles in ms and CPU.

    ``cpu_ms`` is this process's CPU per call (``time.process_time``): on a shared machine
    whose speed drifts it moves much less than the latencies. ``database_cpu_ms`` is the
    database server's CPU per call, when ``database_cpu`` can read it (``None`` otherwise).
    """
    latencies = []
    cpu = 0.0
    database_before = database_cpu()
    started = time.perf_counter()
    for call in calls:
        t0 = time.perf_counter()
        c0 = time.process_time()
        result = call()
        cpu += time.process_time() - c0
        latencies.append((time.perf_counter() - t0) * 1000)
        if expect is not None:
            status = result.status_code  # type: ignore[attr-defined]
            assert status == expect, (status, getattr(result, "content", b"")[:300])
    measured: dict[str, float | None] = dict(summary(latencies, time.perf_counter() - started))
    database_after = database_cpu()
    measured["cpu_ms"] = cpu * 1000 / len(calls)
    measured["database_cpu_ms"] = (
        (database_after - database_before) * 1000 / len(calls)
        if database_before is not None and database_after is not None
        else None
    )
    return measured


def postgres_backend_cpu() -> Callable[[], float | None]:
    """Return a function reading the CPU seconds of this connection's PostgreSQL backend.

    Read from ``/proc``, so only for a server on this machine; elsewhere the function
    returns ``None``. SQLite runs in this process, so its CPU is already in ``cpu_ms``.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    return read


def fresh_database(database: str, name: str) -> None:
    """Point DATABASE_URL at an empty database ``name`` (PostgreSQL) or a new SQLite file."""
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{POSTGRES_ADMIN_URL}/{name}"
    else:
        tmp = tempfile.mkdtemp(prefix="sen-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"


def setup_django(database: str, name: str) -> None:
    fresh_database(database, name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossiers_settings"
    os.environ.setdefault("SEN_BENCH_MEDIA", tempfile.mkdtemp(prefix="sen-bench-media-"))
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # As the server does (sen/wsgi.py): otherwise a full collection now and then adds tens
    # of milliseconds to a request measured here that a served request does not pay.
    from sen.core.runtime import collect_cycles_less_often

    collect_cycles_less_often()


def make_world(agencies: int = 8):
    """Create the receiving agencies, a procedure with three steps, officers and an applicant."""
    from types import SimpleNamespace

    from sen.core.models import Role
    from sen.core.tests.factories import AgencyFactory
    from sen.dossiers.tests.factories import (
        citizen,
        officer,
        service_centre,
        three_step_birth_procedure,
    )

    centre = service_centre()
    department = AgencyFactory(name="Sở Tư pháp")
    others = [AgencyFactory(name=f"Trung tâm hành chính công {n}") for n in range(agencies - 2)]
    procedure = three_step_birth_procedure(centre=centre, department=department)
    return SimpleNamespace(
        centre=centre,
        department=department,
        agencies=[centre, department, *others],
        procedure=procedure,
        desk=officer(centre, username="motcua"),
        specialist=officer(department, Role.SPECIALIST, username="chuyenvien"),
        applicant=citizen(username="congdan"),
    )


def submission_calls(client, procedure_code: str, count: int) -> list[Callable[[], object]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sen.dossiers.tests.factories import APPLICANT

    def call(n: int) -> Callable[[], object]:
        payload = json.dumps(
            {"procedure": procedure_code, "applicant": APPLICANT, "form": {"ho_ten": f"Con {n}"}}
        )

        def post() -> object:
            upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
            return client.post(
                "/api/v1/dossiers",
                {"payload": payload, "component_1": upload},
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )

        return post

    return [call(n) for n in range(count)]


def bulk_dossiers(world, count: int, tracked: int) -> tuple[list[str], float]:
    """Insert ``count`` dossiers straight into the table; return sampled codes and seconds.

    The sampled codes (``tracked`` of them) get a realistic history of events.
    """
    from django.db.models import Max

    from sen.dossiers.models import Dossier, DossierEvent

    rng = random.Random(2026)
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    steps = list(world.procedure.steps.order_by("position"))
    start = datetime(2023, 11, 22, 7, 30, tzinfo=VN)
    span_minutes = 3 * 365 * 24 * 60
    sequences: dict[tuple[int, str], int] = {}
    tracked_every = max(1, count // tracked)
    codes: list[str] = []
    first_id = (Dossier.objects.aggregate(last=Max("id"))["last"] or 0) + 1
    t0 = time.perf_counter()
    batch: list[Dossier] = []
    for n in range(count):
        agency = world.agencies[rng.randrange(len(world.agencies))]
        submitted = start + timedelta(minutes=rng.randrange(span_minutes))
        day = submitted.astimezone(VN).strftime("%y%m%d")
        seq = sequences.get((agency.pk, day), 0) + 1
        sequences[(agency.pk, day)] = seq
        status = rng.choices(statuses, weights)[0]
        received = None if status in {"submitted", "refused"} else submitted + timedelta(hours=2)
        due = received + timedelta(days=rng.randrange(1, 30)) if received else None
        finished = (
            due - timedelta(hours=rng.randrange(-48, 72))
            if due and status in {"returned", "result_ready", "withdrawn", "stopped"}
            else None
        )
        step = rng.choice(steps) if status == "processing" else None
        # The agency of an inter-agency step, as services._transitions sets it.
        handed = step.agency_id if step and step.agency_id not in (None, agency.pk) else None
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        batch.append(
            Dossier(
                code=f"{agency.code}-{day}-{seq:04d}",
                procedure=world.procedure,
                agency=agency,
                channel=rng.choice(["online", "online", "desk", "post"]),
                status=status,
                applicant=world.applicant if n % 50 == 0 else None,
                applicant_name=name,
                applicant_id_number=f"0371{rng.randrange(10**8):08d}",
                applicant_phone=f"09{rng.randrange(10**8):08d}",
                applicant_email="",
                applicant_address="Phường Hoa Lư, tỉnh Ninh Bình",
                form_data={"ho_ten": name},
                submitted_at=submitted,
                received_at=received,
                due_at=due,
                original_due_at=due,
                finished_at=finished,
                returned_at=finished if status == "returned" else None,
                current_step=step,
                step_agency_id=handed,
                step_due_at=(received + timedelta(days=1)) if step and received else None,
            )
        )
        if len(batch) == 5000 or n == count - 1:
            Dossier.objects.bulk_create(batch)
            batch = []
    insert_seconds = time.perf_counter() - t0
    sample = list(
        Dossier.objects.filter(id__in=range(first_id, first_id + count, tracked_every)).values(
            "id", "code", "status", "submitted_at", "received_at"
        )
    )
    events = []
    for row in sample:
        codes.append(row["code"])
        at = row["submitted_at"]
        history = [("submit", "", "submitted")]
        if row["received_at"] is not None:
            history += [("receive", "submitted", "processing")]
            history += [("complete_step", "processing", "processing")] * 2
            if row["status"] != "processing":
                history += [("finish_processing", "processing", row["status"])]
        for sequence, (action, before, after) in enumerate(history, start=1):
            events.append(
                DossierEvent(
                    dossier_id=row["id"],
                    sequence=sequence,
                    action=action,
                    from_status=before,
                    to_status=after,
                    at=at + timedelta(hours=3 * sequence),
                    actor_label="Cán bộ",
                )
            )
    DossierEvent.objects.bulk_create(events, batch_size=5000)
    rng.shuffle(codes)
    return codes, insert_seconds


def child(database: str, submissions: int, dossiers: int, lookups: int) -> dict:
    """Measure on one database; runs in its own process (settings are per process)."""
    setup_django(database, DATABASE_NAME)
    from django.db import connection
    from django.test import Client

    from sen.dossiers.models import Dossier
    from sen.dossiers.services import dossier_complete_step, dossier_receive

    if os.environ.get("SEN_BENCH_WITHOUT_REPORTS_HOOK"):
        # Measurement only: what the indicators' hook (sen.reports) costs each write.
        from sen.dossiers.services import _transitions

        _transitions.record_dossier_change = lambda **kwargs: None  # type: ignore[assignment]
    world = make_world()
    bare_client = Client()
    bare = timed([lambda: bare_client.get("/bench/bare")] * max(lookups, 2000))

    applicant = Client()
    applicant.force_login(world.applicant)
    for call in submission_calls(applicant, world.procedure.code, 30):  # warm up
        call()
    database_cpu = postgres_backend_cpu() if database == "postgres" else lambda: None
    submit = timed(
        submission_calls(applicant, world.procedure.code, submissions),
        expect=201,
        database_cpu=database_cpu,
    )

    # Transitions through the services: receive, then the one-stop step hands the dossier on.
    to_move = list(Dossier.objects.filter(status="submitted").order_by("id"))
    latencies: list[float] = []
    started = time.perf_counter()
    for dossier in to_move:
        t0 = time.perf_counter()
        dossier = dossier_receive(dossier=dossier, actor=world.desk, expected_revision=1)
        latencies.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        dossier_complete_step(dossier=dossier, actor=world.desk, expected_revision=2)
        latencies.append((time.perf_counter() - t0) * 1000)
    transitions = summary(latencies, time.perf_counter() - started)

    codes, insert_seconds = bulk_dossiers(world, dossiers, tracked=max(lookups, 1000))
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Dossier.objects.count()

    public = Client()

    def track(index: int, code: str) -> object:
        # Each lookup from an address of its own, as many citizens' are: the per-address
        # limit (SEN_TRACKING_PER_MINUTE) is counted, and never reached.
        return public.get(
            f"/api/v1/tracking/{code}",
            REMOTE_ADDR=f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}",
        )

    for index, code in enumerate(codes[:50]):
        track(index, code)
    tracking = timed(
        [
            lambda i=index, c=code: track(i, c)
            for index, code in enumerate(codes[:lookups], start=50)
        ]
    )

    desk = Client()
    desk.force_login(world.desk)
    queries = [
        "/api/v1/dossiers/queue",
        "/api/v1/dossiers/queue?status=processing",
        "/api/v1/dossiers/queue?overdue=true",
        "/api/v1/dossiers/queue?due_within_days=1",
        "/api/v1/dossiers/queue?page=5",
    ]
    for path in queries:
        desk.get(path)
    queue_default = timed([lambda: desk.get(queries[0])] * max(lookups // 4, 100))
    mixed = [queries[i % len(queries)] for i in range(max(lookups // 4, 100))]
    queue_mixed = timed([lambda p=path: desk.get(p) for path in mixed])
    my_turn = "/api/v1/dossiers/queue?my_turn=true"
    desk.get(my_turn)
    queue_my_turn = timed([lambda: desk.get(my_turn)] * max(lookups // 4, 100))
    return {
        "database": database,
        "dossiers_in_database": total,
        "bulk_insert_seconds": insert_seconds,
        "bare": bare,
        "submit": submit,
        "transitions": transitions,
        "tracking": tracking,
        "queue_default": queue_default,
        "queue_mixed": queue_mixed,
        "queue_my_turn": queue_my_turn,
    }


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument(
        "--without-reports-hook",
        action="store_true",
        help="leave out sen.reports' record_dossier_change, to measure what it costs",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        result = child(args.child, args.submissions, args.dossiers, args.lookups)
        print(json.dumps(result))
        return

    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(
        f"Sen dossier benchmarks — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for database in databases:
        if database == "postgres" and not postgres_reachable():
            print("postgres: skipped (no server answers at", POSTGRES_ADMIN_URL + ")")
            continue
        command = [sys.executable, __file__, "--child", database]
        command += ["--submissions", str(args.submissions), "--dossiers", str(args.dossiers)]
        command += ["--lookups", str(args.lookups)]
        env = dict(os.environ)
        if args.without_reports_hook:
            env["SEN_BENCH_WITHOUT_REPORTS_HOOK"] = "1"
            print("(without the indicators' hook record_dossier_change)")
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=env)
        r = json.loads(output.stdout.strip().splitlines()[-1])
        bare = r["bare"]["per_second"]
        print(
            f"\n{database}: {r['dossiers_in_database']:,} dossiers in the database "
            f"({args.dossiers:,} bulk-inserted in {r['bulk_insert_seconds']:.0f} s)"
        )
        print(
            f"  {'':<44}  {'per s':>8}  {'p50 ms':>7}  {'p99 ms':>7}  {'/ bare':>6}"
            f"  {'CPU ms':>6}  {'db CPU':>6}"
        )
        for label, key in [
            ("bare Django JsonResponse", "bare"),
            ("POST /api/v1/dossiers (1 PDF, idempotent)", "submit"),
            ("transitions (receive, complete_step)", "transitions"),
            ("GET /api/v1/tracking/<code>", "tracking"),
            ("GET /api/v1/dossiers/queue", "queue_default"),
            ("GET /api/v1/dossiers/queue (5 filters)", "queue_mixed"),
            ("GET /api/v1/dossiers/queue?my_turn=true", "queue_my_turn"),
        ]:
            m = r[key]
            cpu = f"{m['cpu_ms']:>6.2f}" if m.get("cpu_ms") is not None else f"{'-':>6}"
            db = m.get("database_cpu_ms")
            db_cpu = f"{db:>6.2f}" if db is not None else f"{'-':>6}"
            print(
                f"  {label:<44}  {m['per_second']:>8,.0f}  {m['p50_ms']:>7.2f}  {m['p99_ms']:>7.2f}"
                f"  {m['per_second'] / bare:>6.3f}  {cpu}  {db_cpu}"
            )


if __name__ == "__main__":
    main()
