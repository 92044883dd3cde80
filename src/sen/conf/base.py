"""Settings shared by every environment.

Configuration comes from environment variables with defaults that work on a laptop
(SQLite in ``./var``). ``dev``, ``test`` and ``production`` refine these.
"""

import os
from pathlib import Path
from typing import Literal, overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


@overload
def env_int(
    name: str,
    default: int,
    *,
    off: Literal[False] = False,
    at_least: int = 0,
    at_most: int | None = None,
) -> int: ...
@overload
def env_int(
    name: str, default: int, *, off: Literal[True], at_least: int = 0, at_most: int | None = None
) -> int | None: ...
def env_int(
    name: str, default: int, *, off: bool = False, at_least: int = 0, at_most: int | None = None
) -> int | None:
    """Return the whole number the environment variable ``name`` holds, or ``default``.

    With ``off``, the word "off" gives ``None``. Anything else, or a number outside
    ``at_least`` … ``at_most``, stops start-up with a message naming the variable, rather
    than a bare ``ValueError`` from deep in settings or a limit that quietly means nothing.
    """
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if off and text == "off":
        return None
    try:
        number = int(text)
    except ValueError:
        expected = 'a whole number or "off"' if off else "a whole number"
        raise ImproperlyConfigured(f"{name} must be {expected}, not {text!r}.") from None
    if at_most is not None and not at_least <= number <= at_most:
        raise ImproperlyConfigured(
            f"{name} must be between {at_least} and {at_most}, not {number}."
        )
    if number < at_least:
        raise ImproperlyConfigured(f"{name} must be at least {at_least}, not {number}.")
    return number


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Return the yes-or-no the environment variable ``name`` holds, or ``default``.

    ``1``, ``true``, ``yes``, ``on`` and their opposites, in any case. Anything else stops
    start-up with the variable's name: "true" read as "no" would turn TLS off unseen.
    """
    text = os.environ.get(name, "").strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {text!r}.")


SRC_DIR = Path(__file__).resolve().parent.parent
# Runtime data (SQLite database, uploaded files, collected static files).
VAR_DIR = Path(os.environ.get("SEN_VAR_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("SEN_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("SEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "ninja",
    "django_tasks",
    "axes",
    "sen.core",
    "sen.workdays",
    "sen.catalog",
    "sen.dossiers",
    "sen.reports",
    "sen.periodic",
    "sen.portal",
    "sen.workspace",
    # After sen.dossiers, whose db_worker (this one's, and the applicants' notices) takes
    # the command's name: the first app that has a command wins.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sen.core.middleware.WholeBodyMiddleware",
    "sen.core.middleware.NulCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sen.core.middleware.PrivateResponsesMiddleware",
    # HEAD as GET outside the 405 in JSON, so that its body is dropped too.
    "sen.api.HeadAnsweredAsGet",
    "sen.api.MethodNotAllowedAsJson",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sen.core.middleware.ContentSecurityPolicyMiddleware",
    # After the others, so that its answer carries their headers (Vary, Content-Language,
    # the security policy) and speaks the client's language, as every other answer does.
    "sen.core.middleware.NulCharacterMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sen.urls"
WSGI_APPLICATION = "sen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One database. SQLite by default so that a newcomer needs no server; PostgreSQL in
# production through DATABASE_URL. Persistent connections: opening one per request
# costs several times the request itself.
DATABASES = {
    # An empty DATABASE_URL counts as unset (dj-database-url would give no database at all).
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'sen.sqlite3'}",
        conn_max_age=env_int("SEN_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server and statements prepared after a few runs on the
    # connection: PostgreSQL then parses and plans each query once, not on every request,
    # which halves its CPU per submission (ADR 0012). A transaction-mode pooler older than
    # PgBouncer 1.21 cannot keep prepared statements: set SEN_DB_PREPARE_THRESHOLD=off.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": env_int("SEN_DB_PREPARE_THRESHOLD", 5, off=True),
    }
    # A statement waiting longer than this for a lock gives up with an error, rather than
    # every request of an agency or a province queuing behind one transaction left open (a
    # session in psql, a stuck process) until the app servers run out of threads. A
    # submission or an action fails whole and may be sent again; the worker tries again.
    # PgBouncer refuses the "options" start-up parameter: set SEN_DB_LOCK_TIMEOUT=off there,
    # and the timeout on the database role instead (docs/deployment.md).
    LOCK_TIMEOUT = env_int("SEN_DB_LOCK_TIMEOUT", 10, off=True, at_least=1)
    if LOCK_TIMEOUT is not None:
        DATABASES["default"]["OPTIONS"]["options"] = f"-c lock_timeout={LOCK_TIMEOUT}s"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "portal:login"

AUTHENTICATION_BACKENDS = [
    # Counts failed logins per user name and address and locks out guessing.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SEN_LOGIN_FAILURE_LIMIT", 5, at_least=1)
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out login may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures on all user names together from one address, before it may not try for the
# cool-off (sen.core.logins: password spraying stays under the limit for each name).
SEN_LOGIN_ADDRESS_LIMIT = env_int("SEN_LOGIN_ADDRESS_LIMIT", 20, at_least=1)
# Failures on one user name from all addresses together, before the name is locked for
# everyone for the cool-off (sen.core.logins: many addresses each stay under the limit per
# address). Higher than the address limit, since reaching it locks the owner out too: their
# own typos from a few places (at most five from each) must not, while a botnet gets some
# 120 guesses an hour at one account instead of as many as it has addresses.
SEN_LOGIN_ACCOUNT_LIMIT = env_int("SEN_LOGIN_ACCOUNT_LIMIT", 30, at_least=1)
# Axes' own handler, which also asks whether the user name is locked for everyone.
AXES_HANDLER = "sen.core.logins.LoginHandler"
# The client's address through SEN_PROXY_COUNT trusted proxies (sen.core.requests.client_ip).
AXES_CLIENT_IP_CALLABLE = "sen.core.requests.client_ip"
SEN_PROXY_COUNT = env_int("SEN_PROXY_COUNT", 0)
# Public tracking lookups one client address may make a minute (page and API together): a
# citizen checks a few codes, a script walking every code of a day makes thousands.
SEN_TRACKING_PER_MINUTE = env_int("SEN_TRACKING_PER_MINUTE", 60, off=True, at_least=1)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are logged; no banner on every command
# A locked-out login is told so in Vietnamese, with HTTP 429, on the portal's own page,
# which says whether the name is locked from this address or for everyone.
AXES_LOCKOUT_CALLABLE = "sen.portal.views.account.locked_out"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# The language chosen with the switcher is remembered for a year, not only until the browser
# closes (Django's default): a reader of English chose it once.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's Vietnamese formats group no thousands; sen.formats.vi adds the grouping by three
# ("1.000.000"). Numbers are grouped only where asked (intcomma, force_grouping): with
# USE_THOUSAND_SEPARATOR left off, a year or a code in a template stays "2026".
FORMAT_MODULE_PATH = ["sen.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Citizens' papers are readable by the server's own user and group, not by every account on
# the machine (Django's default follows the umask, usually 644 and 755).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background work through Django's task interface, queued in the database
# (workers claim tasks with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def redis_cache(url: str) -> dict[str, object]:
    """The cache in Redis at ``url``, which the platform works without while Redis is away.

    A call Redis does not answer is a miss (a read) or a no-op (a write), logged, instead of
    an error on every page: sessions are then read from the database, calendars from their
    tables (ADR 21). A hung server costs a request at most the socket's timeouts.
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


# django-redis logs each ignored failure with its traceback, here at most once a minute
# (LOGGING below): a missing Redis would otherwise write several per request.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "sen.cache"

CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if os.environ.get("SEN_REDIS_URL"):
    CACHES["default"] = redis_cache(os.environ["SEN_REDIS_URL"])
    # Every signed-in request reads its session: from Redis, with the database behind it, so
    # an emptied cache signs no one out, and a sign-out ends the session in every process
    # (ADR 12, decision 7).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# A sign-in lasts a working day at most, and its cookie goes when the browser closes: the
# next person at a shared computer (the desk, a kiosk, an internet café) does not find the
# last one signed in with their papers.
SEN_SESSION_HOURS = env_int("SEN_SESSION_HOURS", 12, at_least=1, at_most=24 * 14)  # 2 weeks
SESSION_COOKIE_AGE = SEN_SESSION_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Served as the Content-Security-Policy header on every response.
SEN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

NINJA_PAGINATION_PER_PAGE = 20

# Whether the demo commands may add the demo province, its accounts (with a published
# password) and invented dossiers; off in production unless asked for (a training copy).
SEN_DEMO_DATA = env_bool("SEN_DEMO_DATA", True)

# The province this installation serves, shown on the citizen portal.
SEN_PROVINCE_NAME = os.environ.get("SEN_PROVINCE_NAME", "Ninh Bình")

# Where the public reaches Sen: the links in the emails (tracking a dossier) start with it.
SEN_PUBLIC_URL = os.environ.get("SEN_PUBLIC_URL", "http://127.0.0.1:8000")

# How often the operations dashboard (IOC) fetches fresh figures, in seconds.
SEN_IOC_REFRESH_SECONDS = env_int("SEN_IOC_REFRESH_SECONDS", 10, at_least=1)

# Email through SMTP (production); dev.py prints emails to the console instead.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("SEN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SEN_EMAIL_PORT", 587, at_least=1, at_most=65535)
EMAIL_HOST_USER = os.environ.get("SEN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SEN_EMAIL_PASSWORD", "")
# STARTTLS on the submission port (587), or TLS from the start (465): one or the other.
EMAIL_USE_SSL = env_bool("SEN_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("SEN_EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("Set SEN_EMAIL_USE_TLS or SEN_EMAIL_USE_SSL to 1, not both.")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("SEN_EMAIL_FROM", "Sen <khong-tra-loi@sen.localhost>")

LOG_LEVEL = os.environ.get("SEN_LOG_LEVEL", "INFO").strip().upper() or "INFO"
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"SEN_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # When, how grave, from where: a line without them is of little use in a journal.
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"once_a_minute": {"()": "sen.core.logfilters.Throttle", "seconds": 60}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "loggers": {"sen.cache": {"filters": ["once_a_minute"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
