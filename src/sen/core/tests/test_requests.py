"""The request's user, as the pages behind a sign-in need it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from sen.core.models import User
from sen.core.requests import client_ip, request_user


def test_the_signed_in_user_is_returned():
    request = RequestFactory().post("/")
    request.user = User(username="motcua")

    assert request_user(request) is request.user


def test_an_anonymous_visitor_is_refused_where_a_view_forgot_its_guard():
    request = RequestFactory().post("/")
    request.user = AnonymousUser()

    with pytest.raises(PermissionDenied):
        request_user(request)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no proxy declared: the header is not believed
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # what the client wrote is left
        (2, "198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.2"),  # shorter than the proxies declared
        (1, " , ", "10.0.0.2"),  # blank entries
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_is_counted_from_the_right_of_x_forwarded_for(
    settings, proxies, forwarded, expected
):
    settings.SEN_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
