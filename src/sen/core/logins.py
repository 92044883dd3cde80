"""Failed sign-ins counted per client address, across user names.

django-axes locks a user name tried wrongly ``SEN_LOGIN_FAILURE_LIMIT`` times from one
address. An address trying a few passwords on many names (password spraying) stays under
that for every name: this stops it once its failures on all names together reach
``SEN_LOGIN_ADDRESS_LIMIT``, a higher number, so that the officers of an office sharing one
address are not locked out by one another's typos. The count is axes' own record of
failures (``AccessAttempt``), kept in the database and shared by every app server.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def cooloff() -> timedelta:
    """Return how long a failure counts: as long as axes keeps a user name locked
    (``AXES_COOLOFF_TIME``, in hours)."""
    return timedelta(hours=settings.AXES_COOLOFF_TIME)


def address_locked_out(address: str) -> bool:
    """Return whether ``address`` failed to sign in ``SEN_LOGIN_ADDRESS_LIMIT`` times or more,
    on any user names together, within ``cooloff()``. One query."""
    since = timezone.now() - cooloff()
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    failures: int | None = recent.aggregate(total=Sum("failures_since_start"))["total"]
    limit: int = settings.SEN_LOGIN_ADDRESS_LIMIT
    return (failures or 0) >= limit
