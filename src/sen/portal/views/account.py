"""Signing in and out, through Django's own views so that django-axes still counts failures.

A locked-out login gets ``portal/locked_out.html`` with HTTP 429 from axes' middleware
(``AXES_LOCKOUT_TEMPLATE``): the view itself never learns the account is locked.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _

from sen.core.logins import ADDRESS_COOLOFF, address_locked_out
from sen.core.requests import client_ip
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Axes locks a name tried too often from one address; this, an address that tried
        # too many names (sen.core.logins). Said alike, without telling which.
        if address_locked_out(client_ip(request)):
            context = {"cooloff_timedelta": ADDRESS_COOLOFF}
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, with CSRF) and say so on the home page."""

    next_page = "portal:home"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Bạn đã đăng xuất."))
        return response
