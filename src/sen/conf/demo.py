"""Settings for ``sen demo``: the developer's settings, without Django's debug pages.

A newcomer walking through the demo meets what a province's users meet: Sen's Vietnamese
404 and 500 pages, not Django's technical pages listing every address or a traceback.
Errors still reach the console through the root logger (``LOGGING`` in ``base``). The demo
collects the static files before it serves, which serving without ``DEBUG`` needs.
"""

from .dev import *  # noqa: F403

DEBUG = False
