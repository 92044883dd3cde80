"""Settings for the dossier benchmarks and the kill test: bench_settings plus a bare view.

Uploaded files go to ``SEN_BENCH_MEDIA`` (a temporary folder), e-mails nowhere. Tasks go
to the database queue as in production (a submission writes its notice and its task; no
worker runs during the benchmarks), not to the immediate backend of bench_settings, which
would send each email on the request path.
"""

import os
import tempfile

from bench_settings import *  # noqa: F403

ROOT_URLCONF = "dossiers_urls"
MEDIA_ROOT = os.environ.get(
    "SEN_BENCH_MEDIA", os.path.join(tempfile.gettempdir(), "sen-bench-media")
)
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Server errors go to stderr (the kill test's server.log); nothing else is logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": True,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
