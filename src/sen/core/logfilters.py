"""Logging filters named in ``LOGGING`` (``sen.conf.base``)."""

import logging
import threading
import time
from collections.abc import Callable


class Throttle(logging.Filter):
    """Let a message through at most once per ``seconds``, and count the ones held back.

    For a failure that repeats on every request (a cache that does not answer): the journal
    gets one line with its traceback a minute, and the next one says how many it stands for.
    """

    def __init__(self, seconds: float = 60.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._passed_at: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = self._clock()
        with self._lock:
            passed_at = self._passed_at.get(key)
            if passed_at is not None and now - passed_at < self.seconds:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._passed_at[key] = now
            held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} (and {held} more like it since the last one logged)"
        return True
