"""`sen serve`: the platform answers over real HTTP through granian."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_when_up(url: str) -> tuple[bytes, Any]:
    """Return the body and headers of ``url`` once the server answers (30 s at most)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http only
                return response.read(), response.headers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def workers_of(pid: int) -> set[int]:
    """Return the worker processes granian forked for the server ``pid`` (Linux)."""
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def test_granian_serves_the_api_over_http(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sen.conf.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    sen = [sys.executable, "-m", "sen.cli"]
    # A database the code has not been migrated to is refused, naming the fix,
    refused = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*sen, "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1
    assert "Chạy `sen migrate` trước khi mở máy chủ." in refused.stderr
    # and once migrated, it is served.
    subprocess.run([*sen, "migrate", "--no-input"], env=env, check=True, capture_output=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [*sen, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
    try:
        body, headers = fetch_when_up(url)
        assert b'"title": "Sen API"' in body
        assert "default-src 'self'" in headers["Content-Security-Policy"]

        # A worker killed (for memory, say) is started again; the server serves on
        killed = min(workers_of(server.pid))
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(workers_of(server.pid) - {killed}) < 2:
            time.sleep(0.2)
        assert server.poll() is None
        assert len(workers_of(server.pid) - {killed}) == 2
        assert b'"title": "Sen API"' in fetch_when_up(url)[0]
    finally:
        server.terminate()
        server.wait(timeout=10)
