"""Settings for a developer's laptop and ``sen demo``."""

from .base import *  # noqa: F403

DEBUG = True
# Emails (notices, reminders) are printed to the console, not sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
