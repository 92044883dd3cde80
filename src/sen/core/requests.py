"""What the web pages of several apps read off a request."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from sen.core.models import User


def request_user(request: HttpRequest) -> User:
    """Return the signed-in user of ``request``, as Sen's ``User``, for a view behind
    ``login_required`` (or the admin); raise ``PermissionDenied`` (403) for anyone else.

    The check holds when the view forgot its guard, and it tells the type checker that
    the user may act (services take a ``User``, not an ``AnonymousUser``).
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client who sent ``request``, for the login lockout.

    Behind ``SEN_PROXY_COUNT`` trusted proxies, each appending the address it received the
    request from to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``), the
    client is the entry that many places from the right; what the client wrote to the left
    of it is not believed. With none, or a header shorter than that, the connection's own
    address: behind an unconfigured proxy every officer would share the proxy's address,
    and five wrong passwords from anywhere would lock an account for everyone.
    """
    count = settings.SEN_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote
