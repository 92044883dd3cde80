"""Kill test: no dossier is lost or duplicated when the server dies in a burst of submissions.

Run from the repository root (PostgreSQL must answer at SEN_BENCH_POSTGRES):

    .venv/bin/python bench/kill_test.py                  # 600 submissions, 4 client threads
    .venv/bin/python bench/kill_test.py --submissions 1000 --threads 6

What it does, on the fresh PostgreSQL database ``sen_bench_kill``:

1. migrates, creates a receiving agency, a procedure and an applicant, and a signed-in
   session for the applicant (written with the session store, sent as a cookie with a CSRF
   cookie and header);
2. starts ``sen serve`` (granian) on a free loopback port, in its own process group;
3. sends a burst of ``--submissions`` ``POST /api/v1/dossiers`` from ``--threads`` client
   threads, each with its own ``Idempotency-Key`` (the key is also written in the e-form, so
   each dossier can be traced to its key without trusting the key table);
4. kills the whole server with SIGKILL once a share (``--kill-after``) of the burst is
   answered, restarts it, and lets every client retry each request that failed or got no
   answer, with the same key, until it is answered (bounded: ``--max-attempts``);
5. sends every key once more, as a client whose answer was lost after the commit would,
   and expects 200 with the key's first dossier;
6. prints keys sent, dossiers in the database, distinct keys stored, duplicates and lost,
   whether each day's numbers run without a gap, and exits 1 if duplicates or lost is not
   0, if any request stayed unanswered, or if a replay got anything but its first dossier.

Everything is on 127.0.0.1; every wait has a timeout, so the script stops by itself.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from dossiers import BENCH, PDF, fresh_database, postgres_reachable

ROOT = BENCH.parent
DATABASE_NAME = "sen_bench_kill"
BOUNDARY = "sen-kill-test-boundary"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


STARTED: list[subprocess.Popen[bytes]] = []


def stop_leftovers() -> None:
    """Kill the process group of every server this script started that is still running."""
    for server in STARTED:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``sen serve`` in a new process group (granian forks a worker we must kill too)."""
    command = [str(ROOT / ".venv/bin/sen"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as out:
        server = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    STARTED.append(server)
    return server


def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer on port {port} within {timeout:.0f} s")


def body_for(key: str, procedure: str) -> bytes:
    payload = json.dumps(
        {
            "procedure": procedure,
            "applicant": {
                "name": "Trần Thị Bình",
                "id_number": "037190001234",
                "phone": "0912345678",
                "email": "binh@example.vn",
                "address": "Phường Hoa Lư, tỉnh Ninh Bình",
            },
            "form": {"ho_ten": key},
        },
        ensure_ascii=False,
    )
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="payload"\r\n\r\n'.encode(),
        payload.encode(),
        f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="component_1"; '
        'filename="to-khai.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode(),
        PDF,
        f"\r\n--{BOUNDARY}--\r\n".encode(),
    ]
    return b"".join(parts)


class Burst:
    """The client side: each thread submits its keys in turn, retrying each until answered."""

    def __init__(self, *, port: int, cookies: str, csrf: str, procedure: str, max_attempts: int):
        self.port = port
        self.cookies = cookies
        self.csrf = csrf
        self.procedure = procedure
        self.max_attempts = max_attempts
        self.lock = threading.Lock()
        self.answered = 0
        self.failed_attempts = 0
        self.statuses: Counter[int] = Counter()
        self.codes: dict[str, set[str]] = {}
        self.unanswered: list[str] = []

    def post(self, key: str) -> tuple[int, dict] | None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            conn.request(
                "POST",
                "/api/v1/dossiers",
                body=body_for(key, self.procedure),
                headers={
                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    "Cookie": self.cookies,
                    "X-CSRFToken": self.csrf,
                    "Idempotency-Key": key,
                },
            )
            response = conn.getresponse()
            content = response.read()
            conn.close()
        except (OSError, http.client.HTTPException):
            return None
        try:
            return response.status, json.loads(content)
        except ValueError:
            return response.status, {}

    def run(self, keys: list[str]) -> None:
        for key in keys:
            for _attempt in range(self.max_attempts):
                answer = self.post(key)
                if answer is not None and answer[0] in (200, 201):
                    with self.lock:
                        self.answered += 1
                        self.statuses[answer[0]] += 1
                        self.codes.setdefault(key, set()).add(answer[1].get("code", ""))
                    break
                with self.lock:
                    self.failed_attempts += 1
                    if answer is not None:
                        self.statuses[answer[0]] += 1
                time.sleep(0.1)
            else:
                with self.lock:
                    self.unanswered.append(key)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=600)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--kill-after", type=float, default=0.4, help="share of the burst answered before kill"
    )
    parser.add_argument("--max-attempts", type=int, default=300)
    args = parser.parse_args()
    if not postgres_reachable():
        print("PostgreSQL does not answer; the kill test needs it.")
        return 2

    fresh_database("postgres", DATABASE_NAME)
    media = tempfile.mkdtemp(prefix="sen-kill-media-")
    os.environ["SEN_BENCH_MEDIA"] = media
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossiers_settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connections

    from sen.core.tests.factories import UserFactory
    from sen.dossiers.models import Dossier, DossierNotice, IdempotencyKey
    from sen.dossiers.tests.factories import birth_procedure, service_centre

    call_command("migrate", verbosity=0)
    procedure = birth_procedure(agencies=[service_centre()])
    user = UserFactory(username="congdan")
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that loads users (the first one is django-axes', which only guards logins).
    backends = [b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b]
    store[BACKEND_SESSION_KEY] = backends[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    connections.close_all()

    port = free_port()
    env = {
        **os.environ,
        # The checkout's own code, even when the virtualenv was installed from another one.
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT / "src")]),
        "DJANGO_SETTINGS_MODULE": "dossiers_settings",
    }
    log = Path(media) / "server.log"
    server = start_server(port, env, log)
    wait_ready(port)
    probe = Burst(port=port, cookies=cookies, csrf=csrf, procedure=procedure.code, max_attempts=1)
    probe_key = str(uuid.uuid4())
    answer = probe.post(probe_key)
    if answer is None or answer[0] != 201:
        print(f"a first submission was not accepted: {answer}")
        os.killpg(server.pid, signal.SIGKILL)
        return 2
    connections.close_all()

    keys = [str(uuid.uuid4()) for _ in range(args.submissions)]
    burst = Burst(
        port=port,
        cookies=cookies,
        csrf=csrf,
        procedure=procedure.code,
        max_attempts=args.max_attempts,
    )
    threads = [
        threading.Thread(target=burst.run, args=(keys[i :: args.threads],), daemon=True)
        for i in range(args.threads)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()

    target = int(args.kill_after * args.submissions)
    deadline = time.monotonic() + 120
    while burst.answered < target and time.monotonic() < deadline:
        time.sleep(0.01)
    answered_at_kill = burst.answered
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    print(
        f"killed the server (SIGKILL, process group {server.pid}) after {answered_at_kill} answers"
    )
    time.sleep(1.0)  # the clients see refused connections meanwhile and keep retrying
    server = start_server(port, env, log)
    wait_ready(port)
    print("restarted the server; the clients retry with their keys")

    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.monotonic() - started
    # Every key sent once more, as by a client whose answer was lost after the commit (the
    # kill rarely lands between a commit and its answer): each must get its first dossier.
    replay = Burst(port=port, cookies=cookies, csrf=csrf, procedure=procedure.code, max_attempts=3)
    replay_threads = [
        threading.Thread(target=replay.run, args=(keys[i :: args.threads],), daemon=True)
        for i in range(args.threads)
    ]
    for thread in replay_threads:
        thread.start()
    for thread in replay_threads:
        thread.join(timeout=600)
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=15)

    per_key = Counter(row["ho_ten"] for row in Dossier.objects.values_list("form_data", flat=True))
    # The probe's dossier, made before the burst, is not counted.
    del per_key[probe_key]
    stored_keys = set(IdempotencyKey.objects.values_list("key", flat=True)) - {probe_key}
    sent = set(keys)
    dossiers = sum(per_key.values())
    duplicates = sum(n - 1 for key, n in per_key.items() if n > 1)
    lost = len([key for key in keys if per_key[key] == 0])
    strangers = len([key for key in per_key if key not in sent])
    mismatched = len([key for key in sent if per_key[key] and key not in stored_keys])
    split_answers = len([key for key, codes in burst.codes.items() if len(codes) != 1])
    answered_codes = {next(iter(codes)) for codes in burst.codes.values() if len(codes) == 1}
    codes_in_db = set(Dossier.objects.values_list("code", flat=True))
    replayed_elsewhere = len([key for key in keys if replay.codes.get(key) != burst.codes.get(key)])
    # A killed submission's transaction gives its number back: each agency's numbers of a day
    # run from 1 without a gap (the probe's included).
    numbers: dict[str, list[int]] = {}
    for code in codes_in_db:
        day, _, number = code.rpartition("-")
        numbers.setdefault(day, []).append(int(number))
    gaps = len([day for day, got in numbers.items() if sorted(got) != list(range(1, len(got) + 1))])
    print("(one probe submission before the burst is left out of the counts below)")

    print(f"burst: {args.submissions} submissions from {args.threads} threads in {elapsed:.1f} s")
    print(f"answers by status: {dict(sorted(burst.statuses.items()))}")
    print(f"failed attempts retried:     {burst.failed_attempts}")
    print(f"keys sent:                   {len(sent)}")
    print(f"dossiers in the database:    {dossiers}")
    print(f"distinct keys stored:        {len(stored_keys)}")
    print(f"keys answered:               {len(burst.codes)}")
    print(f"keys never answered:         {len(burst.unanswered)}")
    print(f"keys answered two codes:     {split_answers}")
    print(f"answered codes not in db:    {len(answered_codes - codes_in_db)}")
    print(f"dossiers without a key row:  {mismatched}")
    print(f"dossiers of unknown keys:    {strangers}")
    # Each committed submission has its applicant's notice in the outbox, written in its
    # transaction: none is lost with the killed server, none is written twice.
    notices = DossierNotice.objects.exclude(event__dossier__form_data__ho_ten=probe_key).count()
    print(f"notices in the outbox:       {notices}")
    print(f"replayed, answers by status: {dict(sorted(replay.statuses.items()))}")
    print(f"replayed, another answer:    {replayed_elsewhere}")
    print(f"days of numbers with a gap:  {gaps}")
    print(f"duplicates:                  {duplicates}")
    print(f"lost:                        {lost}")
    problems = (
        duplicates
        + replayed_elsewhere
        + len(replay.unanswered)
        + sum(n for status, n in replay.statuses.items() if status != 200)
        + gaps
        + lost
        + len(burst.unanswered)
        + split_answers
        + len(answered_codes - codes_in_db)
        + mismatched
        + strangers
        + abs(notices - dossiers)
    )
    print("PASS" if problems == 0 else "FAIL")
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    # Interrupted or stopped by a timeout, the script still takes its servers down.
    atexit.register(stop_leftovers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
