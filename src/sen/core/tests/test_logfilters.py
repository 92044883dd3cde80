"""``Throttle``: a failure repeated on every request is logged once a minute, and counted."""

import logging

from sen.core.logfilters import Throttle


def record(msg: str = "Exception ignored") -> logging.LogRecord:
    return logging.LogRecord("sen.cache", logging.ERROR, __file__, 1, msg, None, None)


def test_a_message_repeated_within_the_minute_is_held_back_then_counted():
    now = [0.0]
    throttle = Throttle(seconds=60, clock=lambda: now[0])

    first = [throttle.filter(record()) for _ in range(3)]
    now[0] = 61.0
    later = record()
    passed = throttle.filter(later)

    assert first == [True, False, False]
    assert passed
    assert later.getMessage() == "Exception ignored (and 2 more like it since the last one logged)"


def test_different_messages_are_each_let_through():
    throttle = Throttle(seconds=60, clock=lambda: 0.0)

    assert throttle.filter(record("Exception ignored"))
    assert throttle.filter(record("Another failure"))
