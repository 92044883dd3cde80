"""Benchmarks of Sen's foundation: deadline arithmetic and catalog search.

Run from the repository root:

    .venv/bin/python bench/run.py                    # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/run.py --database sqlite  # one database only
    .venv/bin/python bench/run.py --procedures 2000 --requests 3000

Each database is measured in its own process on a fresh database (a temporary SQLite file, or
the PostgreSQL database ``sen_bench``, dropped and recreated). Requests go through the whole
Django stack (middleware, routing, ORM, JSON) in-process with Django's test client, one at a
time, so the latencies are the server's own work without the network. Results are printed as
a table; record them in docs/benchmarks.md.
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
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("SEN_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
VN = ZoneInfo("Asia/Ho_Chi_Minh")

SEARCHES = [
    "dang ky khai sinh",
    "Đăng ký khai sinh",
    "khai sinh",
    "ket hon",
    "giay phep xay dung",
    "ly lich tu phap",
    "1.001193",
    "chung thuc ban sao",
    "dat dai",
    "ho kinh doanh",
    "tro cap xa hoi",
    "giay phep lai xe",
    "thuong tru",
    "khai si",
]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed_requests(get: Callable[[str], object], paths: list[str]) -> dict[str, float]:
    """Issue each GET in turn; return requests per second and latency percentiles in ms."""
    for path in paths[:50]:  # warm caches and connections
        get(path)
    latencies = []
    started = time.perf_counter()
    for path in paths:
        t0 = time.perf_counter()
        response = get(path)
        latencies.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    return {
        "per_second": len(paths) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
    }


def build_catalog(count: int) -> dict:
    """Return a catalog of ``count`` procedures: the demo catalog and realistic variants of it."""
    demo = json.loads((ROOT / "src/sen/catalog/data/demo_catalog.json").read_text(encoding="utf-8"))
    qualifiers = [
        "có yếu tố nước ngoài",
        "lưu động",
        "cho người đã có hồ sơ, giấy tờ cá nhân",
        "trong trường hợp mất giấy tờ",
        "đối với tổ chức",
        "đối với cá nhân",
        "(liên thông)",
        "cấp lại",
        "điều chỉnh",
        "gia hạn",
    ]
    procedures = list(demo["procedures"])
    rng = random.Random(2026)
    serial = 0
    while len(procedures) < count:
        base = rng.choice(demo["procedures"])
        serial += 1
        variant = json.loads(json.dumps(base))
        variant["code"] = f"3.{serial:06d}"
        variant["name"] = f"{base['name']} {rng.choice(qualifiers)} ({serial})"
        procedures.append(variant)
    return {"format": demo["format"], "fields": demo["fields"], "procedures": procedures}


def child(database: str, procedures: int, requests: int) -> dict:
    """Measure on one database; runs in its own process (settings are per process)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS sen_bench")
            conn.execute("CREATE DATABASE sen_bench")
        os.environ["DATABASE_URL"] = f"{POSTGRES_ADMIN_URL}/sen_bench"
    else:
        tmp = tempfile.mkdtemp(prefix="sen-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from sen.catalog.services import catalog_import
    from sen.core.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel
    from sen.workdays.selectors import calendar_for
    from sen.workdays.services import due_moment

    call_command("migrate", verbosity=0)
    province = AdministrativeUnit.objects.create(
        code="37", name="Ninh Bình", division_type="tỉnh", level=UnitLevel.PROVINCE
    )
    demo_agencies = {
        "000.00.00.H37": ("Ủy ban nhân dân tỉnh Ninh Bình", AgencyKind.PROVINCIAL_COMMITTEE),
        "000.00.01.H37": ("Trung tâm Phục vụ hành chính công", AgencyKind.PUBLIC_SERVICE_CENTRE),
        **{f"000.{n}.00.H37": (f"Sở {n}", AgencyKind.DEPARTMENT) for n in range(10, 20)},
    }
    for code, (name, kind) in demo_agencies.items():
        Agency.objects.create(code=code, name=name, kind=kind, unit=province)

    t0 = time.perf_counter()
    catalog_import(data=build_catalog(procedures), actor=None)
    load_seconds = time.perf_counter() - t0

    rng = random.Random(7)
    base = datetime(2025, 1, 1, 8, 0, tzinfo=VN)
    starts = [base + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)) for _ in range(20000)]
    days = [Decimal(rng.randrange(1, 61)) / 2 for _ in range(20000)]

    calendar = calendar_for()
    t0 = time.perf_counter()
    for start, n in zip(starts, days, strict=True):
        calendar.add_working_days(start, n)
    pure_per_second = len(starts) / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    for start, n in zip(starts[:5000], days[:5000], strict=True):
        due_moment(start=start, days=n)
    service_per_second = 5000 / (time.perf_counter() - t0)

    client = Client()
    deadline_paths = [
        f"/api/v1/workdays/deadline?start={s.isoformat().replace('+', '%2B')}&days={n}"
        for s, n in zip(starts[:requests], days[:requests], strict=True)
    ]
    search_paths = [f"/api/v1/procedures?q={SEARCHES[i % len(SEARCHES)]}" for i in range(requests)]
    page_paths = [f"/thu-tuc/?q={SEARCHES[i % len(SEARCHES)]}" for i in range(requests // 4)]
    return {
        "database": database,
        "procedures": procedures,
        "catalog_import_seconds": load_seconds,
        "deadline_pure_per_second": pure_per_second,
        "deadline_service_per_second": service_per_second,
        "deadline_api": timed_requests(client.get, deadline_paths),
        "search_api": timed_requests(client.get, search_paths),
        "search_page": timed_requests(client.get, page_paths),
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
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.procedures, args.requests)))
        return

    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(
        f"Sen benchmarks — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for database in databases:
        if database == "postgres" and not postgres_reachable():
            print("postgres: skipped (no server answers at", POSTGRES_ADMIN_URL + ")")
            continue
        output = (
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    database,
                    "--procedures",
                    str(args.procedures),
                    "--requests",
                    str(args.requests),
                ],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(output)
        print(
            f"\n{database}: catalog of {r['procedures']} procedures imported in {r['catalog_import_seconds']:.1f} s"
        )
        print(
            f"  deadline arithmetic (WorkCalendar)      {r['deadline_pure_per_second']:>10,.0f} /s"
        )
        print(
            f"  deadline via workdays.due_moment        {r['deadline_service_per_second']:>10,.0f} /s"
        )
        for label, key in [
            ("GET /api/v1/workdays/deadline", "deadline_api"),
            ("GET /api/v1/procedures?q=…", "search_api"),
            ("GET /thu-tuc/?q=… (HTML page)", "search_page"),
        ]:
            m = r[key]
            print(
                f"  {label:<38}  {m['per_second']:>8,.0f} req/s   p50 {m['p50_ms']:.2f} ms   p99 {m['p99_ms']:.2f} ms"
            )


if __name__ == "__main__":
    main()
