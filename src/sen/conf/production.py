"""Settings for a production installation (behind HTTPS, on PostgreSQL)."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
# Without it the base settings fall back to SQLite in SEN_VAR_DIR: a production server
# would start on an empty file beside the code and look like a fresh installation.
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in production to the PostgreSQL database "
        "(postgres://user:password@host:5432/name)."
    )
# The files (citizens' papers, results) must not land wherever the process was started: the
# server, the worker and the cron jobs must all find the same folder.
if not os.path.isabs(os.environ.get("SEN_VAR_DIR", "")):
    raise ImproperlyConfigured(
        "SEN_VAR_DIR must be set in production to an absolute path (uploaded files, "
        "collected static files), the same for the server, the worker and the cron jobs."
    )
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
# The public address's host is served, unless the administrator names the hosts; and a form
# posted from it is trusted even when the proxy passes another Host to Sen.
_public = urlsplit(os.environ["SEN_PUBLIC_URL"])
if not os.environ.get("SEN_ALLOWED_HOSTS"):
    ALLOWED_HOSTS = [_public.hostname or ""]
CSRF_TRUSTED_ORIGINS = [f"{_public.scheme}://{_public.netloc}"]
SEN_DEMO_DATA = env_bool("SEN_DEMO_DATA", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SEN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Not preloaded: the browsers' preload list binds the whole registered domain (a province's
# gov.vn domain, every office's site under it) to HTTPS for good, the domain owner's call,
# not one application's. `sen check --deploy` would warn of it on every run.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
