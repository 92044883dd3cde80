"""Settings for the test suite: fast hashing, tasks run inline, no network."""

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test database connection is closed at the end of a test; persistent
# connections would only keep idle ones open across tests.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Static files come from the apps' folders; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests look up many codes from one address; those of the limit turn it on themselves.
SEN_TRACKING_PER_MINUTE = None
