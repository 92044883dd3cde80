"""What the web pages of several apps read off a request."""

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
