"""Settings for a developer's laptop and ``sen demo``."""

from .base import *  # noqa: F403

DEBUG = True
