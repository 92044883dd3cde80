"""Settings for a production installation (behind HTTPS, on PostgreSQL)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not os.environ.get("SEN_SECRET_KEY"):
    raise ImproperlyConfigured("SEN_SECRET_KEY must be set in production.")
# Emails, slips' QR codes and reminders link to this address; the default, 127.0.0.1, would
# send every applicant to their own computer.
if not os.environ.get("SEN_PUBLIC_URL", "").startswith("https://"):
    raise ImproperlyConfigured(
        "SEN_PUBLIC_URL must be set in production to the portal's public https:// address."
    )
if not os.environ.get("SEN_EMAIL_FROM"):
    raise ImproperlyConfigured(
        "SEN_EMAIL_FROM must be set in production (the sender of applicants' notices)."
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SEN_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
