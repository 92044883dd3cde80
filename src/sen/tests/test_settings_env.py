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
        ("SEN_SESSION_HOURS", "8h", "SEN_SESSION_HOURS must be a whole number, not '8h'."),
        ("SEN_LOGIN_ADDRESS_LIMIT", "0", "SEN_LOGIN_ADDRESS_LIMIT must be at least 1, not 0."),
        ("SEN_LOGIN_FAILURE_LIMIT", "0", "SEN_LOGIN_FAILURE_LIMIT must be at least 1, not 0."),
        ("SEN_PROXY_COUNT", "-1", "SEN_PROXY_COUNT must be at least 0, not -1."),
        ("SEN_EMAIL_PORT", "70000", "SEN_EMAIL_PORT must be between 1 and 65535, not 70000."),
        (
            "SEN_SESSION_HOURS",
            "0",
            "SEN_SESSION_HOURS must be between 1 and 336, not 0.",
        ),
        (
            "SEN_SESSION_HOURS",
            "337",
            "SEN_SESSION_HOURS must be between 1 and 336, not 337.",
        ),
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
    options = "settings.DATABASES['default']['OPTIONS']"
    show = f"{{k: v for k, v in {options}.items() if k != 'options'}}"
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused"}

    default = load_settings(url, show)
    off = load_settings({**url, "SEN_DB_PREPARE_THRESHOLD": "off"}, show)
    seven = load_settings({**url, "SEN_DB_PREPARE_THRESHOLD": "7"}, show)

    assert default.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 5}"
    assert off.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': None}"
    assert seven.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 7}"


def test_a_wait_for_a_lock_ends_after_sen_db_lock_timeout_seconds():
    show = "settings.DATABASES['default']['OPTIONS'].get('options')"
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused"}

    default = load_settings(url, show)
    off = load_settings({**url, "SEN_DB_LOCK_TIMEOUT": "off"}, show)
    thirty = load_settings({**url, "SEN_DB_LOCK_TIMEOUT": "30"}, show)
    zero = load_settings({**url, "SEN_DB_LOCK_TIMEOUT": "0"}, show)

    assert default.stdout.strip() == "-c lock_timeout=10s"
    assert off.stdout.strip() == "None"
    assert thirty.stdout.strip() == "-c lock_timeout=30s"
    assert "SEN_DB_LOCK_TIMEOUT must be at least 1, not 0." in zero.stderr


def test_a_province_sets_how_long_a_sign_in_lasts_in_hours():
    done = load_settings({"SEN_SESSION_HOURS": "8"}, "settings.SESSION_COOKIE_AGE")

    assert done.stdout.strip() == str(8 * 60 * 60), done.stderr


def test_an_unset_or_empty_number_takes_its_default():
    done = load_settings({"SEN_EMAIL_PORT": ""}, "settings.EMAIL_PORT")

    assert done.stdout.strip() == "587"


def test_sessions_are_read_from_redis_when_sen_redis_url_is_set():
    # Loading settings opens no connection, so no server need answer at this address.
    cache = "settings.CACHES['default']"
    show = f"settings.SESSION_ENGINE, {cache}['BACKEND'], {cache}['OPTIONS']['IGNORE_EXCEPTIONS']"

    without = load_settings({"SEN_REDIS_URL": ""}, "settings.SESSION_ENGINE")
    with_redis = load_settings({"SEN_REDIS_URL": "redis://127.0.0.1:6379/14"}, show)

    assert without.stdout.strip() == "django.contrib.sessions.backends.db"
    # Redis as the sessions' cache, which the platform works without (test_redis_away).
    assert with_redis.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "django_redis.cache.RedisCache",
        "True",
    ]


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "sen.conf.production",
    "SEN_SECRET_KEY": "a-long-random-secret-for-the-test",
    "SEN_PUBLIC_URL": "https://dichvucong.ninhbinh.gov.vn",
    "SEN_EMAIL_FROM": "Dịch vụ công Ninh Bình <khong-tra-loi@ninhbinh.gov.vn>",
    # Loading settings opens no connection, so no server need answer at this address.
    "DATABASE_URL": "postgres://sen@127.0.0.1:5432/sen",
    "SEN_VAR_DIR": "/srv/sen/var",
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
        # Left unset, production would start on an empty SQLite file
        ("DATABASE_URL", ""),
        ("DATABASE_URL", "sqlite:///var/sen.sqlite3"),
        # Relative, the server and a cron job started elsewhere would use different folders
        ("SEN_VAR_DIR", ""),
        ("SEN_VAR_DIR", "var"),
    ],
)
def test_production_refuses_to_start_without_a_setting_it_cannot_guess(name, value):
    loaded = load_settings({**PRODUCTION, name: value}, "settings.SEN_PUBLIC_URL")

    assert loaded.returncode != 0
    assert f"{name} must be set in production" in loaded.stderr


def test_production_serves_its_public_address_and_trusts_forms_posted_from_it():
    show = "settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS"

    derived = load_settings(PRODUCTION, show)
    named = load_settings({**PRODUCTION, "SEN_ALLOWED_HOSTS": "sen.internal,10.0.0.5"}, show)

    assert derived.stdout.strip() == (
        "['dichvucong.ninhbinh.gov.vn'] ['https://dichvucong.ninhbinh.gov.vn']"
    )
    assert named.stdout.strip() == (
        "['sen.internal', '10.0.0.5'] ['https://dichvucong.ninhbinh.gov.vn']"
    )


def test_production_cookies_are_secure_papers_private_and_demo_data_refused():
    show = (
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE, "
        "oct(settings.FILE_UPLOAD_PERMISSIONS), oct(settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS), "
        "settings.SEN_DEMO_DATA"
    )

    loaded = load_settings(PRODUCTION, show)
    training = load_settings({**PRODUCTION, "SEN_DEMO_DATA": "1"}, "settings.SEN_DEMO_DATA")

    assert loaded.stdout.strip() == "True True True Lax 0o640 0o750 False"
    assert training.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True False"),
        ({"SEN_EMAIL_USE_TLS": "true"}, "True False"),
        ({"SEN_EMAIL_USE_TLS": "Yes"}, "True False"),
        ({"SEN_EMAIL_USE_TLS": "0"}, "False False"),
        ({"SEN_EMAIL_USE_TLS": "false"}, "False False"),
        # TLS from the start, on port 465
        ({"SEN_EMAIL_USE_SSL": "1"}, "False True"),
    ],
)
def test_email_encryption_reads_yes_and_no_as_people_write_them(env, expected):
    loaded = load_settings(env, "settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL")

    assert loaded.stdout.strip() == expected, loaded.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # "true" once turned STARTTLS off without a word: only "1" counted
        ({"SEN_EMAIL_USE_TLS": "maybe"}, "SEN_EMAIL_USE_TLS must be 1 or 0"),
        (
            {"SEN_EMAIL_USE_TLS": "1", "SEN_EMAIL_USE_SSL": "1"},
            "Set SEN_EMAIL_USE_TLS or SEN_EMAIL_USE_SSL to 1, not both.",
        ),
        ({"SEN_LOG_LEVEL": "loud"}, "SEN_LOG_LEVEL must be DEBUG, INFO"),
    ],
)
def test_a_setting_that_cannot_be_read_stops_start_up_with_its_name(env, expected):
    loaded = load_settings(env, "settings.EMAIL_USE_TLS")

    assert loaded.returncode != 0
    assert f"ImproperlyConfigured: {expected}" in loaded.stderr


def test_the_log_level_may_be_written_in_lower_case():
    loaded = load_settings({"SEN_LOG_LEVEL": "warning"}, "settings.LOGGING['root']['level']")

    assert loaded.stdout.strip() == "WARNING", loaded.stderr


def test_a_production_environment_without_its_settings_module_is_refused(tmp_path):
    # A cron line that forgot DJANGO_SETTINGS_MODULE would run with the developer's settings,
    # printing the applicants' emails and recording them as sent.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(PRODUCTION)
    del env["DJANGO_SETTINGS_MODULE"]

    done = subprocess.run(
        [sys.executable, "-m", "sen.cli", "send_dossier_reminders", "--notices"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert "DJANGO_SETTINGS_MODULE=sen.conf.production" in done.stderr
    assert list(tmp_path.iterdir()) == []  # not even a database file was made


def test_production_settings_pass_djangos_deployment_checks():
    # Given production settings with a secret as long as Django asks
    env = {**os.environ, **PRODUCTION, "SEN_SECRET_KEY": "k7" * 30 + "-Qx9#mZ2!pL4"}

    # When the administrator runs `sen check --deploy`, warnings counted as failures
    done = subprocess.run(
        [sys.executable, "-m", "sen.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # Then nothing is reported
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
