"""Signing in and out, through Django's own views so that django-axes still counts failures.

A locked-out login gets ``portal/locked_out.html`` with HTTP 429 from axes' middleware
(``AXES_LOCKOUT_CALLABLE``, ``locked_out``): the view itself never learns the account is
locked.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _

from sen.core.logins import cooloff, refused_for_account
from sen.portal.forms import LoginForm
from sen.portal.navigation import lands_on


class LoginView(auth_views.LoginView):
    """Sign in; go back to ``next`` when it is on this site, else where ``lands_on`` says."""

    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Send an officer to their workspace and a citizen to their dossiers."""
        return resolve_url(lands_on(self.request))


def locked_out(request: HttpRequest, *args: Any) -> HttpResponse:
    """Answer a sign-in refused by a lockout, with HTTP 429: ``AXES_LOCKOUT_CALLABLE`` (axes
    passes the response it replaces and the credentials, unused).

    The page says for how long, and whether the user name is locked for everyone after many
    failures from many places (``sen.core.logins``) rather than from this address, which
    would tell its owner, who typed one password, that they got it wrong.
    """
    context = {"cooloff_timedelta": cooloff(), "account_locked": refused_for_account(request)}
    return render(request, "portal/locked_out.html", context, status=429)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, with CSRF) and say so on the home page."""

    next_page = "portal:home"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Bạn đã đăng xuất."))
        return response
