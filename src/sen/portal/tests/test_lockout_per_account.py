"""One user name guessed from many addresses: locked for everyone (``sen.core.logins``)."""

import logging
from datetime import timedelta

import axes.attempts
import axes.handlers.proxy
import pytest
from django.core.management import call_command

from sen.core.models import AuditEntry
from sen.core.tests.factories import UserFactory
from sen.portal.tests.html import text_of
from sen.tests.clock import Clock

pytestmark = pytest.mark.django_db

PASSWORD = "dung-mat-khau-2026"
LOCKED_FOR_EVERYONE = (
    "Tài khoản này tạm bị khóa vì có quá nhiều lần đăng nhập sai, từ nhiều nơi khác nhau."
)
LOCKED_FROM_HERE = "Bạn đã nhập sai tên đăng nhập hoặc mật khẩu quá nhiều lần."
# The owner's own address, none of the botnet's.
OWNER = "203.0.113.9"


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="congdan", password=PASSWORD, full_name="Trần Thị Bình"
    )


@pytest.fixture
def clock(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The frozen clock, read by axes too, which imported ``now`` by name."""
    for module in (axes.handlers.proxy, axes.attempts):
        monkeypatch.setattr(module, "now", lambda: clock.now)
    return clock


def guess(client, username: str, failures: int, *, through_proxy: bool = False) -> None:
    """Post ``failures`` wrong passwords for ``username``, three from each address of a
    botnet: under the lock per name and address (5) and the one per address (20)."""
    for number in range(failures):
        address = f"198.51.100.{number // 3 + 1}"
        where = (
            {"headers": {"x-forwarded-for": address}} if through_proxy else {"REMOTE_ADDR": address}
        )
        response = client.post("/dang-nhap/", {"username": username, "password": "sai"}, **where)
        assert response.status_code in (200, 429)


def sign_in(client, username: str = "congdan", password: str = PASSWORD, **where):
    return client.post("/dang-nhap/", {"username": username, "password": password}, **where)


def test_thirty_wrong_passwords_from_ten_addresses_lock_the_name_for_its_owner_too(client, citizen):
    # Given a botnet trying congdan's password three times from each of ten addresses
    guess(client, "congdan", 30)

    # When the citizen signs in from home with the right password
    response = sign_in(client, REMOTE_ADDR=OWNER)

    # Then it is refused, and the page says the account is locked and for how long,
    # not that she typed it wrong
    assert response.status_code == 429
    text = text_of(response.content.decode())
    assert "Tạm khóa đăng nhập" in text
    assert LOCKED_FOR_EVERYONE in text
    assert "Hãy thử lại sau 15 phút." in text
    assert LOCKED_FROM_HERE not in text
    assert "_auth_user_id" not in client.session


def test_the_failure_that_reaches_the_limit_is_answered_with_the_lockout_page(client, citizen):
    guess(client, "congdan", 29)

    response = sign_in(client, password="sai", REMOTE_ADDR=OWNER)

    assert response.status_code == 429
    assert LOCKED_FOR_EVERYONE in text_of(response.content.decode())


def test_twenty_nine_wrong_passwords_from_many_addresses_lock_nothing(client, citizen):
    guess(client, "congdan", 29)

    response = sign_in(client, REMOTE_ADDR=OWNER)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_two_addresses_insisting_lock_the_name_for_themselves_only(client, citizen):
    # Given twenty wrong passwords from each of two addresses: five guesses each, then
    # refusals, which axes records as failures too (until the address's own limit)
    for address in ("198.51.100.1", "198.51.100.2"):
        for _ in range(20):
            sign_in(client, password="sai", REMOTE_ADDR=address)

    response = sign_in(client, REMOTE_ADDR=OWNER)

    assert response.status_code == 302


def test_other_accounts_sign_in_from_anywhere_the_botnet_too(client, citizen):
    UserFactory(username="canbo", password=PASSWORD)
    guess(client, "congdan", 30)

    from_home = sign_in(client, "canbo", REMOTE_ADDR=OWNER)
    client.logout()
    from_a_guesser = sign_in(client, "canbo", REMOTE_ADDR="198.51.100.1")

    assert (from_home.status_code, from_a_guesser.status_code) == (302, 302)


def test_the_lock_ends_with_the_cool_off(client, citizen, clock):
    guess(client, "congdan", 30)

    # Fourteen minutes later, still locked (and the refusal counts as one more failure)
    clock(clock.now + timedelta(minutes=14))
    still = sign_in(client, REMOTE_ADDR=OWNER)
    # Fifteen minutes after the last guess, the botnet's failures have expired
    clock(clock.now + timedelta(minutes=1, seconds=1))
    after = sign_in(client, REMOTE_ADDR=OWNER)

    assert still.status_code == 429
    assert after.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_an_administrator_lifts_the_lock_with_axes_reset_username(client, citizen, capsys):
    guess(client, "congdan", 30)
    assert sign_in(client, REMOTE_ADDR=OWNER).status_code == 429

    call_command("axes_reset_username", "congdan")

    assert "attempts removed." in capsys.readouterr().out
    assert sign_in(client, REMOTE_ADDR=OWNER).status_code == 302


def test_behind_a_proxy_the_clients_addresses_are_counted_not_the_proxys(client, citizen, settings):
    # Given every request through one proxy (one REMOTE_ADDR), which names each client
    settings.SEN_PROXY_COUNT = 1
    guess(client, "congdan", 30, through_proxy=True)

    response = sign_in(client, headers={"x-forwarded-for": OWNER})

    # Then the name is locked for everyone, not the proxy's address for its own guesses
    assert response.status_code == 429
    assert LOCKED_FOR_EVERYONE in text_of(response.content.decode())


def test_the_admin_login_is_locked_alike(client):
    UserFactory(username="quantri", password=PASSWORD, is_staff=True, is_superuser=True)
    guess(client, "quantri", 30)

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "quantri", "password": PASSWORD},
        REMOTE_ADDR=OWNER,
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_name_of_no_account_is_locked_alike_telling_nobody_it_does_not_exist(client, citizen):
    guess(client, "congdan", 30)
    guess(client, "khongco", 30)

    existing = sign_in(client, password="sai", REMOTE_ADDR=OWNER)
    missing = sign_in(client, "khongco", password="sai", REMOTE_ADDR=OWNER)

    assert (existing.status_code, missing.status_code) == (429, 429)
    assert text_of(existing.content.decode()) == text_of(missing.content.decode())


def test_the_lock_is_logged_and_audited_once_when_it_begins(client, citizen, caplog):
    caplog.set_level(logging.WARNING, logger="sen.core.logins")

    guess(client, "congdan", 33)
    sign_in(client, REMOTE_ADDR=OWNER)

    [record] = [r for r in caplog.records if r.name == "sen.core.logins"]
    assert record.getMessage() == (
        "Locking out user name 'congdan' for everyone after 30 failed sign-ins from all addresses."
    )
    [entry] = AuditEntry.objects.filter(action="core.login.account_locked")
    assert (entry.actor, entry.actor_label) == (None, "system")
    assert (entry.target_type, entry.target_key, entry.data) == (
        "core.user",
        "congdan",
        {"failures": 30},
    )


def test_a_name_as_long_as_the_form_allows_is_locked_and_audited_without_an_error(client):
    name = "x" * 150

    guess(client, name, 30)

    [entry] = AuditEntry.objects.filter(action="core.login.account_locked")
    assert entry.target_key == "x" * 120


def test_the_lock_is_told_in_english_on_request(client, citizen):
    guess(client, "congdan", 30)
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})

    response = sign_in(client, REMOTE_ADDR=OWNER)

    assert response.status_code == 429
    assert (
        "This account is temporarily locked because of too many failed sign-ins, from many "
        "different places." in text_of(response.content.decode())
    )
