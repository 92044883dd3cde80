"""A story the session tests tell with Redis present and with Redis away."""

from django.test import Client

from sen.core.tests.factories import UserFactory

MINE = "/api/v1/dossiers/mine"


def copied_cookie_before_and_after_sign_out() -> tuple[int, int]:
    """Sign a user in, copy their session cookie to another client, sign out; return the
    status the copy gets for the user's dossiers before and after."""
    browser = Client()
    browser.force_login(UserFactory())
    copied = Client()
    copied.cookies["sessionid"] = browser.cookies["sessionid"].value
    before = copied.get(MINE).status_code
    browser.post("/dang-xuat/")
    return before, copied.get(MINE).status_code
