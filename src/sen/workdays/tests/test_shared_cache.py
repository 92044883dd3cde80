"""With ``SEN_REDIS_URL`` set, a calendar change made in one process reaches the others.

Each step runs in a process of its own, configured as a production server is (the settings
read ``SEN_REDIS_URL``), so the Redis client, the cache backend and the calendar's revision
token are exercised together. Skipped where no Redis server answers.
"""

import os
import subprocess
import sys

import pytest

from sen.tests.redis import REDIS_URL, redis_answers


def in_another_process(code: str) -> str:
    env = {**os.environ, "SEN_REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "sen.conf.test"}
    setup = "import django; django.setup()\n"
    done = subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", setup + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.skipif(not redis_answers(), reason=f"no Redis server answers at {REDIS_URL}")
def test_a_calendar_change_in_one_process_is_seen_by_another() -> None:
    read = (
        "from django.core.cache import cache, caches\n"
        "from sen.workdays.selectors import REVISION_KEY\n"
        "print(type(caches['default']).__name__, cache.get(REVISION_KEY))"
    )
    in_another_process("from sen.workdays.selectors import calendar_cache_clear as c; c()")
    before = in_another_process(read)
    in_another_process("from sen.workdays.selectors import calendar_cache_clear as c; c()")
    after = in_another_process(read)

    backend, token = before.split()
    assert backend == "RedisCache"
    assert token != "None"
    assert after.split()[1] != token
