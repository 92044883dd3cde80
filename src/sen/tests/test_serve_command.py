"""`sen serve`: the platform answers over real HTTP through granian."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        [*sen, "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body, headers = b"", {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
                with urllib.request.urlopen(url, timeout=2) as response:
                    body = response.read()
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.2)
        assert b'"title": "Sen API"' in body
        assert "default-src 'self'" in headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)
