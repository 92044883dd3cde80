"""Settings read from the environment: numbers are checked, and a bad one is named.

Each case loads the settings in a process of its own, as a server starting up would.
"""

import os
import subprocess
import sys

import pytest


def load_settings(env: dict[str, str], show: str) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print({show})"
    return subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sen.conf.test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SEN_EMAIL_PORT", "abc", "SEN_EMAIL_PORT must be a whole number, not 'abc'."),
        ("SEN_CONN_MAX_AGE", "10m", "SEN_CONN_MAX_AGE must be a whole number, not '10m'."),
        (
            "SEN_DB_PREPARE_THRESHOLD",
            "never",
            "SEN_DB_PREPARE_THRESHOLD must be a whole number or \"off\", not 'never'.",
        ),
    ],
)
def test_a_setting_that_is_not_a_number_stops_start_up_with_its_name(name, value, expected):
    env = {name: value}
    if name == "SEN_DB_PREPARE_THRESHOLD":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/unused"
    done = load_settings(env, "settings.EMAIL_PORT")

    assert done.returncode != 0
    assert f"ImproperlyConfigured: {expected}" in done.stderr


def test_prepared_statements_follow_sen_db_prepare_threshold():
    # Loading settings opens no connection, so no server need answer at this address.
    show = "settings.DATABASES['default']['OPTIONS']"
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused"}

    default = load_settings(url, show)
    off = load_settings({**url, "SEN_DB_PREPARE_THRESHOLD": "off"}, show)
    seven = load_settings({**url, "SEN_DB_PREPARE_THRESHOLD": "7"}, show)

    assert default.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 5}"
    assert off.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': None}"
    assert seven.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 7}"


def test_an_unset_or_empty_number_takes_its_default():
    done = load_settings({"SEN_EMAIL_PORT": ""}, "settings.EMAIL_PORT")

    assert done.stdout.strip() == "587"


def test_sessions_are_read_from_redis_when_sen_redis_url_is_set():
    # Loading settings opens no connection, so no server need answer at this address.
    show = "settings.SESSION_ENGINE"

    without = load_settings({"SEN_REDIS_URL": ""}, show)
    with_redis = load_settings({"SEN_REDIS_URL": "redis://127.0.0.1:6379/14"}, show)

    assert without.stdout.strip() == "django.contrib.sessions.backends.db"
    assert with_redis.stdout.strip() == "django.contrib.sessions.backends.cached_db"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "sen.conf.production",
    "SEN_SECRET_KEY": "a-long-random-secret-for-the-test",
    "SEN_PUBLIC_URL": "https://dichvucong.ninhbinh.gov.vn",
    "SEN_EMAIL_FROM": "Dịch vụ công Ninh Bình <khong-tra-loi@ninhbinh.gov.vn>",
}


def test_production_starts_with_every_required_setting():
    loaded = load_settings(PRODUCTION, "settings.SEN_PUBLIC_URL")

    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == PRODUCTION["SEN_PUBLIC_URL"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SEN_SECRET_KEY", ""),
        # Left unset, every email, reminder and slip would link to 127.0.0.1
        ("SEN_PUBLIC_URL", ""),
        ("SEN_PUBLIC_URL", "http://dichvucong.ninhbinh.gov.vn"),
        ("SEN_EMAIL_FROM", ""),
    ],
)
def test_production_refuses_to_start_without_a_setting_it_cannot_guess(name, value):
    loaded = load_settings({**PRODUCTION, name: value}, "settings.SEN_PUBLIC_URL")

    assert loaded.returncode != 0
    assert f"{name} must be set in production" in loaded.stderr
