"""The Redis server the tests may use, and whether it answers.

Tests that need Redis skip where none answers, so the suite still runs on a bare machine.
"""

import socket

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A database of its own, so that a developer's cache is left alone.
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/14"


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False
