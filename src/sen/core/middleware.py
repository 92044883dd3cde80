from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header (Django 5.2 has no built-in one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.SEN_CONTENT_SECURITY_POLICY
        # The browsable API docs load their own scripts and styles from the same origin
        # but inline a bootstrap script; they get a policy that allows exactly that.
        if request.path.startswith("/api/v1/docs"):
            policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
