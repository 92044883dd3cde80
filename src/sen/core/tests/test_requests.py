"""The request's user, as the pages behind a sign-in need it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from sen.core.models import User
from sen.core.requests import request_user


def test_the_signed_in_user_is_returned():
    request = RequestFactory().post("/")
    request.user = User(username="motcua")

    assert request_user(request) is request.user


def test_an_anonymous_visitor_is_refused_where_a_view_forgot_its_guard():
    request = RequestFactory().post("/")
    request.user = AnonymousUser()

    with pytest.raises(PermissionDenied):
        request_user(request)
