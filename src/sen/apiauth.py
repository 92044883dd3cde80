"""Who calls the API: the portal's session, asked for its CSRF token only when there is one.

The session is the API's default (``sen.api``): an operation open to anyone says
``auth=None``, and ``sen.tests.test_platform`` lists those operations.
"""

from typing import Any

from django.http import HttpRequest
from ninja import security


class SessionAuth(security.SessionAuth):
    """django-ninja's session authentication (``django_auth``), with the CSRF check after
    the session's.

    django-ninja checks the CSRF token first, so a write without a session answered 403
    ``csrf_failed`` ("reload the page") where the API's document promises 401
    ``not_authenticated``, and a program that had not signed in was told the wrong thing to
    fix. A request that carries no signed-in session cannot be a forged request riding on
    one, which is all the token guards against: it is refused as unauthenticated. A
    request with a session still needs the token for an unsafe method (403 ``csrf_failed``).
    The class keeps django-ninja's name, which names the security scheme in the document.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = SessionAuth()
