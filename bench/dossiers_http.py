"""Submissions through a real HTTP server under concurrency: throughput and latency.

Run from the repository root (PostgreSQL must answer at SEN_BENCH_POSTGRES for postgres):

    .venv/bin/python bench/dossiers_http.py                          # PostgreSQL
    .venv/bin/python bench/dossiers_http.py --workers 2 --threads 2 --clients 2 --connections 8
    .venv/bin/python bench/dossiers_http.py --database sqlite
    .venv/bin/python bench/dossiers_http.py --agencies 8 --rate 100   # latency at 100 /s offered
    .venv/bin/python bench/dossiers_http.py --redis none              # sessions in the database

What it does, on a fresh database (``sen_bench_http`` on PostgreSQL, a temporary SQLite
file otherwise):

1. migrates, creates a receiving agency, a procedure and an applicant with a signed-in
   session (as bench/kill_test.py does);
2. starts ``sen serve`` (granian, ``--workers`` processes × ``--threads`` threads) on a free
   loopback port, with the settings of bench/dossiers_settings.py: the task queue is the
   database (django-tasks-db), as in production, so each submission writes its notice and
   its task and no email is sent on the request path; no worker runs during the bench;
   sessions are read from Redis (``--redis``, ``SEN_REDIS_URL``) when one answers, as in
   production, and from the database otherwise (``--redis none``);
3. warms up, then ``GET /bench/bare`` (the bare Django JSON view) for ``--seconds``, then
   ``POST /api/v1/dossiers`` (multipart, one small PDF, one ``Idempotency-Key`` each) for
   ``--seconds``, from ``--clients`` client processes with ``--connections`` keep-alive
   connections each, as fast as the server answers;
4. prints requests per second, p50 and p99 latency, and the submission figures as a
   ratio to the bare view's, then checks that every dossier answered is in the database
   with its notice.

The clients run on the same machine as the server and the database, and take their share
of its cores: the figures are a floor of what the server does on its own machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from dossiers import BENCH, fresh_database, percentile, postgres_reachable
from kill_test import BOUNDARY, body_for, free_port, wait_ready

ROOT = BENCH.parent
DATABASE_NAME = "sen_bench_http"
# A Redis database of its own, so that a developer's cache is left alone.
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def prepare(agencies: int) -> tuple[str, str, str, list[str]]:
    """Migrate, create the world and a session.

    Return the cookies, the CSRF secret, the procedure code and the codes of the
    ``agencies`` agencies that receive it.
    """
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connections

    from sen.core.tests.factories import AgencyFactory, UserFactory
    from sen.dossiers.tests.factories import birth_procedure, service_centre

    call_command("migrate", verbosity=0)
    centre = service_centre()
    # Agencies of one province, as Sen serves one: they share the province's counters.
    receiving = [centre] + [AgencyFactory(unit=centre.unit) for _ in range(agencies - 1)]
    procedure = birth_procedure(agencies=receiving)
    user = UserFactory(username="congdan")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    backends = [b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b]
    store[BACKEND_SESSION_KEY] = backends[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = secrets.token_hex(16)
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    connections.close_all()
    return cookies, csrf, procedure.code, [agency.code for agency in receiving]


def client_process(
    port: int, kind: str, seconds: float, connections: int, interval: float, auth: tuple, out
) -> None:
    """Send requests on ``connections`` keep-alive connections for ``seconds``; report them.

    With ``interval`` 0 each connection sends its next request as soon as it has the answer
    (closed loop: the server's maximum rate). Otherwise each connection sends one request
    every ``interval`` seconds on a fixed schedule (open loop: a given offered rate), and a
    request's latency counts from the moment it was due, so a server that falls behind is
    charged for the requests it kept waiting.
    """
    cookies, csrf, procedure, agencies = auth
    latencies: list[float] = []
    codes: list[str] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(offset: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        made: list[str] = []
        due = time.perf_counter() + offset
        while time.perf_counter() < deadline:
            if interval:
                time.sleep(max(0.0, due - time.perf_counter()))
            if kind == "bare":
                method, path, body, headers = "GET", "/bench/bare", None, {}
            else:
                key = str(uuid.uuid4())
                method, path = "POST", "/api/v1/dossiers"
                body = body_for(key, procedure)
                if len(agencies) > 1:
                    # Choose the receiving agency in the e-form's payload, in turn.
                    agency = agencies[len(mine) % len(agencies)]
                    body = body.replace(
                        b'{"procedure": ', f'{{"agency": "{agency}", "procedure": '.encode(), 1
                    )
                headers = {
                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    "Cookie": cookies,
                    "X-CSRFToken": csrf,
                    "Idempotency-Key": key,
                }
            t0 = min(due, time.perf_counter()) if interval else time.perf_counter()
            due += interval
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors[0] += 1
                continue
            mine.append((time.perf_counter() - t0) * 1000)
            if response.status not in (200, 201):
                with lock:
                    errors[0] += 1
            elif kind == "submit":
                made.append(json.loads(content)["code"])
        with lock:
            latencies.extend(mine)
            codes.extend(made)

    cpu = time.process_time()
    # Connections start spread over one interval, so that the requests arrive evenly.
    threads = [
        threading.Thread(target=loop, args=(interval * n / connections,))
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(
        {
            "latencies": latencies,
            "codes": codes,
            "errors": errors[0],
            "cpu": time.process_time() - cpu,
        }
    )


def cpu_seconds(match: Callable[[str, int], bool]) -> float:
    """Return the CPU time used so far by the live processes ``match(command, session)`` takes."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if match(command, int(fields[3])):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def server_cpu(server: int) -> float:
    """CPU seconds of the server's processes (its own session, see subprocess_popen)."""
    return cpu_seconds(lambda command, session: session == server)


def database_cpu() -> float:
    """CPU seconds of PostgreSQL's processes and Redis's (sessions, when it is used)."""
    return cpu_seconds(lambda command, session: command.startswith(("postgres", "redis-server")))


def redis_for_sessions(choice: str) -> str | None:
    """Return the Redis URL the server is to use (``SEN_REDIS_URL``), or None for none.

    ``auto`` takes DEFAULT_REDIS when a server answers there, as a production installation
    has one (ADR 12, decision 7); an address given explicitly must answer.
    """
    if choice == "none":
        return None
    import redis

    url = DEFAULT_REDIS if choice == "auto" else choice
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if choice == "auto":
            return None
        raise SystemExit(f"Redis does not answer at {url}.") from None
    return url


def run(port: int, kind: str, args: argparse.Namespace, auth: tuple, server_pid: int) -> dict:
    rate = args.rate if kind == "submit" else 0
    interval = args.clients * args.connections / rate if rate else 0.0
    server = server_cpu(server_pid)
    database = database_cpu()
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(
            target=client_process,
            args=(port, kind, args.seconds, args.connections, interval, auth, queue),
        )
        for _ in range(args.clients)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=args.seconds + 120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    elapsed = time.perf_counter() - started
    server = server_cpu(server_pid) - server
    database = database_cpu() - database
    latencies = [x for r in results for x in r["latencies"]]
    count = max(len(latencies), 1)
    return {
        # CPU milliseconds per request: the server's processes, PostgreSQL's, the clients'.
        "cpu_ms": (
            server * 1000 / count,
            database * 1000 / count,
            sum(r["cpu"] for r in results) * 1000 / count,
        ),
        "count": len(latencies),
        "per_second": len(latencies) / min(elapsed, args.seconds + 1),
        "p50_ms": statistics.median(latencies) if latencies else 0.0,
        "p99_ms": percentile(latencies, 0.99) if latencies else 0.0,
        "errors": sum(r["errors"] for r in results),
        "codes": [c for r in results for c in r["codes"]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    # Two threads per worker did best on 2 cores: more threads only fight over the GIL
    # (8 receiving agencies: 2 × 8 111 /s, 2 × 4 101, 3 × 2 115, 4 × 1 118, 2 × 1 130, 2 × 2 138-149).
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--connections", type=int, default=8, help="connections per client")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each run")
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="submissions offered per second on a fixed schedule (0: as fast as answered)",
    )
    parser.add_argument(
        "--agencies",
        type=int,
        default=1,
        help=(
            "receiving agencies of one province, taken in turn (each has its own daily "
            "number row; they share the province's counters)"
        ),
    )
    parser.add_argument(
        "--redis",
        default="auto",
        help=(
            "Redis URL for the sessions and the cache, as in production; auto: "
            f"{DEFAULT_REDIS} when it answers; none: sessions in the database"
        ),
    )
    args = parser.parse_args()
    if args.database == "postgres" and not postgres_reachable():
        print("PostgreSQL does not answer at SEN_BENCH_POSTGRES.")
        return 2

    redis_url = redis_for_sessions(args.redis)
    fresh_database(args.database, DATABASE_NAME)
    # Read by sen.conf.base here (prepare) and in the server, which inherits the environment.
    os.environ.pop("SEN_REDIS_URL", None)
    if redis_url:
        os.environ["SEN_REDIS_URL"] = redis_url
    media = tempfile.mkdtemp(prefix="sen-http-media-")
    os.environ["SEN_BENCH_MEDIA"] = media
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossiers_settings"
    sys.path.insert(0, str(BENCH))
    auth = prepare(args.agencies)

    port = free_port()
    env = {
        **os.environ,
        # The checkout's own code, even when the virtualenv was installed from another one.
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT / "src")]),
        "DJANGO_SETTINGS_MODULE": "dossiers_settings",
    }
    command = [str(ROOT / ".venv/bin/sen"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(args.workers), "--threads", str(args.threads)]
    log = Path(media) / "server.log"
    with log.open("ab") as out:
        server = subprocess_popen(command, env, out)
    try:
        wait_ready(port)
        warm = argparse.Namespace(**{**vars(args), "seconds": 3.0})
        run(port, "bare", warm, auth, server.pid)
        run(port, "submit", warm, auth, server.pid)
        bare = run(port, "bare", args, auth, server.pid)
        submit = run(port, "submit", args, auth, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from sen.dossiers.models import Dossier, DossierNotice

    answered = set(submit["codes"])
    stored = set(Dossier.objects.filter(code__in=answered).values_list("code", flat=True))
    notices = DossierNotice.objects.filter(event__dossier__code__in=answered).count()
    print(
        f"Sen submissions over HTTP — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {args.database}; granian {args.workers} worker(s) "
        f"× {args.threads} threads; {args.agencies} receiving agencies; {args.clients} client "
        f"processes × {args.connections} "
        f"connections; "
        + (f"{args.rate:.0f} submissions offered per second; " if args.rate else "")
        + f"{args.seconds:.0f} s per run; sessions in "
        + (f"Redis ({redis_url})" if redis_url else "the database")
        + "; load average before: "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"  {'':<42}  {'per s':>8}  {'p50 ms':>7}  {'p99 ms':>7}  {'/ bare':>6}  errors")
    for label, m in (("GET /bench/bare", bare), ("POST /api/v1/dossiers", submit)):
        print(
            f"  {label:<42}  {m['per_second']:>8,.0f}  {m['p50_ms']:>7.2f}  {m['p99_ms']:>7.2f}"
            f"  {m['per_second'] / bare['per_second']:>6.3f}  {m['errors']}"
        )
    print("  CPU per request, ms: server / PostgreSQL and Redis / clients")
    for label, m in (("GET /bench/bare", bare), ("POST /api/v1/dossiers", submit)):
        print(f"  {label:<42}  " + " / ".join(f"{ms:.2f}" for ms in m["cpu_ms"]))
    print(
        f"  dossiers answered {len(answered)}, in the database {len(stored)}, "
        f"with their notice {notices}"
    )
    return 0 if len(stored) == len(answered) == notices and not submit["errors"] else 1


def subprocess_popen(command: list[str], env: dict[str, str], out):
    import subprocess

    return subprocess.Popen(
        command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


if __name__ == "__main__":
    sys.exit(main())
