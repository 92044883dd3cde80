"""`sen demo`: the README's first command prepares everything a newcomer needs."""

import importlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from sen.catalog.selectors import procedure_search
from sen.core.management.commands.demo import worker_argv, worker_command
from sen.core.models import AdministrativeUnit, Agency, Membership
from sen.dossiers.demo import demo_dossiers

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_the_demo_prepares_units_agencies_officers_and_the_catalog_twice_alike(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)
    counts = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Membership.objects.count(),
        procedure_search().count(),
    )
    call_command("demo", "--no-serve", stdout=io.StringIO())

    assert counts[0] > 14_000  # current and former units of the whole country
    assert counts[1:] == (15, 16, 32)
    assert (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Membership.objects.count(),
        procedure_search().count(),
    ) == counts
    assert procedure_search(query="dang ky khai sinh")[0].name == "Đăng ký khai sinh"
    assert "Dữ liệu mẫu đã sẵn sàng." in out.getvalue()
    assert "motcua.tuphap" in out.getvalue()
    assert demo_dossiers().count() == 29
    assert (
        "29 hồ sơ mẫu ở mọi trạng thái, ở nhiều cơ quan; đăng nhập congdan để xem hồ sơ của "
        "công dân." in out.getvalue()
    )
    # Every demo login is in the table, the citizen's and the officers the dossiers need.
    for username in ("congdan", "motcua.phuly", "chuyenvien.moitruong", "chuyenvien.thue"):
        assert f"\n{username} " in out.getvalue()
    assert (tmp_path / "static" / "portal" / "sen.css").exists()


# Stands in for the worker: says it started, then waits to be stopped.
STAND_IN_WORKER = (
    "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)"
)


def running(pid: int) -> bool:
    """Return whether a process ``pid`` exists (and was not reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def demo_served(monkeypatch, settings, tmp_path):
    """Run `sen demo` up to its server without preparing data; return what it served with.

    The public address is read when an email is built (``tracking_url``), so it is read
    at the moment the server would start. The background worker is a stand-in process:
    ``worker_pid`` is the one running while the server serves, if any.
    """
    from sen.core.management.commands import demo
    from sen.dossiers.links import tracking_url

    served: dict[str, object] = {}
    started = tmp_path / "worker.pid"

    def serve(*, host: str, port: int) -> None:
        served.update(
            port=port, env=os.environ.get("SEN_PUBLIC_URL"), link=tracking_url("000.00.01.H37")
        )
        for _ in range(100):  # the stand-in needs a moment to start Python
            if started.exists() and started.read_text():
                served["worker_pid"] = int(started.read_text())
                served["worker_ran_while_serving"] = running(int(started.read_text()))
                break
            time.sleep(0.1)
        if served.get("interrupt"):
            raise KeyboardInterrupt

    def call_command(name: str, *args: object, **kwargs: object) -> None:
        if name == "seed_demo_dossiers":  # whose drafted results print the tracking address
            served["seeded_with"] = os.environ.get("SEN_PUBLIC_URL")

    monkeypatch.setattr(demo, "call_command", call_command)
    monkeypatch.setattr(demo, "serve", serve)
    monkeypatch.setattr(
        demo, "worker_argv", lambda: [sys.executable, "-c", STAND_IN_WORKER, str(started)]
    )
    # The command sets both; these make the test's teardown undo them.
    settings.SEN_PUBLIC_URL = "http://127.0.0.1:8000"
    monkeypatch.setenv("SEN_PUBLIC_URL", "unset below")
    monkeypatch.delenv("SEN_PUBLIC_URL")
    return served


def test_the_demo_on_another_port_links_its_emails_to_that_port(demo_served):
    out = io.StringIO()

    call_command("demo", "--port", "8080", stdout=out)

    assert demo_served == {
        "seeded_with": "http://127.0.0.1:8080",
        "port": 8080,
        "env": "http://127.0.0.1:8080",
        "link": "http://127.0.0.1:8080/tra-cuu/000.00.01.H37/",
        "worker_pid": demo_served["worker_pid"],
        "worker_ran_while_serving": True,
    }


def test_the_demo_sends_its_emails_from_a_worker_it_stops_with_the_server(demo_served):
    out = io.StringIO()

    call_command("demo", stdout=out)

    assert demo_served["worker_ran_while_serving"] is True
    assert not running(demo_served["worker_pid"])
    assert "Việc chạy nền:      đang chạy; thư gửi người nộp in ra đây" in out.getvalue()


def test_ctrl_c_stops_the_worker_with_the_server(demo_served):
    demo_served["interrupt"] = True

    with pytest.raises(KeyboardInterrupt):
        call_command("demo", stdout=io.StringIO())

    assert demo_served["worker_ran_while_serving"] is True
    assert not running(demo_served["worker_pid"])


def test_without_the_worker_the_demo_prints_the_command_to_run_it(demo_served):
    out = io.StringIO()

    call_command("demo", "--port", "8080", "--no-worker", stdout=out)

    assert "worker_pid" not in demo_served
    # Pasted in another terminal, the command finds this install and the demo's data
    sen = Path(sys.executable).with_name("sen")
    assert (
        f"Việc chạy nền:      chưa chạy; chạy SEN_PUBLIC_URL=http://127.0.0.1:8080 {sen} db_worker"
        in out.getvalue()
    )


def test_the_worker_the_demo_starts_is_this_installs_db_worker():
    ran = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*worker_argv(), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sen.conf.demo"},
        check=False,
    )

    assert ran.returncode == 0, ran.stderr
    assert "Run a database background worker" in ran.stdout


def test_the_worker_command_names_the_demos_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("SEN_VAR_DIR", str(tmp_path / "dữ liệu"))

    command = worker_command("http://127.0.0.1:8080")

    assert command.startswith(f"SEN_VAR_DIR='{tmp_path / 'dữ liệu'}' SEN_PUBLIC_URL=")


def test_an_explicit_public_address_is_kept_whatever_the_port(demo_served, monkeypatch, settings):
    monkeypatch.setenv("SEN_PUBLIC_URL", "https://dichvucong.ninhbinh.gov.vn")
    settings.SEN_PUBLIC_URL = "https://dichvucong.ninhbinh.gov.vn"

    call_command("demo", "--port", "8080", stdout=io.StringIO())

    assert demo_served["link"] == "https://dichvucong.ninhbinh.gov.vn/tra-cuu/000.00.01.H37/"
    assert demo_served["env"] == "https://dichvucong.ninhbinh.gov.vn"


@pytest.mark.parametrize(
    ("words", "chosen"),
    [(["demo", "--port", "8080"], "sen.conf.demo"), (["migrate"], "sen.conf.dev")],
)
def test_the_demo_runs_without_debug_pages_and_other_commands_with_them(monkeypatch, words, chosen):
    import django.core.management

    from sen import cli

    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    ran = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", ran.append)

    cli.main(words)

    assert os.environ["DJANGO_SETTINGS_MODULE"] == chosen
    assert ran == [["sen", *words]]
    module = importlib.import_module(chosen)
    assert module.DEBUG is (chosen == "sen.conf.dev")
