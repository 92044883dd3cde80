"""Failed sign-ins counted across user names for one address, and across addresses for one
user name.

django-axes locks a user name tried wrongly ``SEN_LOGIN_FAILURE_LIMIT`` times from one
address. Two attacks stay under that:

- An address trying a few passwords on many names (password spraying) stays under it for
  every name: ``address_locked_out`` stops it once its failures on all names together reach
  ``SEN_LOGIN_ADDRESS_LIMIT``, a higher number, so that the officers of an office sharing
  one address are not locked out by one another's typos. Its refused tries count as
  failures too: an address that keeps trying stays stopped.
- Many addresses (a botnet, rotating proxies) trying a few passwords each on one name stay
  under it for every address: ``account_locked_out`` locks the name for everyone once its
  failures from all addresses together reach ``SEN_LOGIN_ACCOUNT_LIMIT``. ``LoginHandler``
  asks it before every sign-in, from whichever page, so the right password signs nobody in
  while the name is locked.

Both count axes' own record of failures (``AccessAttempt``), kept in the database and
shared by every app server, and both end after axes' cool-off, when the failures expire.
Deleting them lifts either lock: ``sen axes_reset_ip`` and ``sen axes_reset_username``.
"""

import logging
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum, Value
from django.db.models.functions import Least
from django.http import HttpRequest
from django.utils import timezone

from sen.core.models import AuditEntry
from sen.core.services import audit_record

logger = logging.getLogger(__name__)

# Why Sen refused a sign-in, set on its request: its address tried too many names, or its
# user name is locked for everyone (the lockout page says which; axes' own lock sets none).
_REFUSED_FOR = "sen_login_refused_for"
ADDRESS, ACCOUNT = "address", "account"


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


def account_failures(username: str) -> int:
    """Return the failed sign-ins on ``username`` from all addresses together within
    ``cooloff()``, each address counting ``SEN_LOGIN_FAILURE_LIMIT`` at most. One query.

    Past that limit axes refuses the address and records each refusal as one more failure:
    counted in full, one address could lock a name for everyone. A name that belongs to no
    account counts alike (axes records its failures too), so the lock tells nobody whether
    an account exists.
    """
    since = timezone.now() - cooloff()
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    per_address = recent.values("ip_address").annotate(
        failures=Least(Sum("failures_since_start"), Value(settings.AXES_FAILURE_LIMIT))
    )
    failures: int | None = per_address.aggregate(total=Sum("failures"))["total"]
    return failures or 0


def account_locked_out(username: str) -> bool:
    """Return whether ``username`` failed to sign in ``SEN_LOGIN_ACCOUNT_LIMIT`` times or more,
    from any addresses together, within ``cooloff()``. One query."""
    limit: int = settings.SEN_LOGIN_ACCOUNT_LIMIT
    return account_failures(username) >= limit


def refused_for_account(request: HttpRequest) -> bool:
    """Return whether the sign-in ``request`` made was refused because its user name is
    locked for everyone (the lockout page says so), rather than for its address."""
    return getattr(request, _REFUSED_FOR, None) == ACCOUNT


class LoginHandler(AxesDatabaseHandler):
    """django-axes' database handler (``AXES_HANDLER``) that also refuses an address whose
    failures on all names reach ``SEN_LOGIN_ADDRESS_LIMIT``, and a user name whose failures
    from all addresses together reach ``SEN_LOGIN_ACCOUNT_LIMIT``.

    Axes asks ``is_locked`` before it lets any backend check a password, for the portal's
    login and the admin's alike: a locked name is refused, the right password too, and
    axes records the refusal as a failure, answered with the lockout page (HTTP 429).
    """

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        # Said alike, without telling the address it tried too many names.
        if address_locked_out(request.axes_ip_address):  # type: ignore[attr-defined]
            setattr(request, _REFUSED_FOR, ADDRESS)
            return True
        username = get_client_username(request, credentials)
        if username and account_locked_out(username):
            setattr(request, _REFUSED_FOR, ACCOUNT)
            return True
        return False

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return  # no request to answer, or axes locks it for its address already
        if getattr(request, _REFUSED_FOR, None) is None:
            # A password checked and wrong: is this the failure that reaches the limit?
            username = get_client_username(request, credentials)
            failures = account_failures(username) if username else 0
            if failures < settings.SEN_LOGIN_ACCOUNT_LIMIT:
                return
            logger.warning(
                "Locking out user name %r for everyone after %d failed sign-ins from all "
                "addresses.",
                username,
                failures,
            )
            audit_record(
                actor=None,
                action="core.login.account_locked",
                target_type="core.user",
                # A name as long as the form allows does not fit the key: cut, not a 500.
                target_key=username[: AuditEntry._meta.get_field("target_key").max_length],
                data={"failures": failures},
            )
            setattr(request, _REFUSED_FOR, ACCOUNT)
        # What axes does for its own lock: the middleware answers with the lockout page.
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.axes_credentials = credentials  # type: ignore[attr-defined]
