"""``sen serve`` and ``sen demo`` refuse to start where they could only serve badly."""

import socket
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder

from sen.core.management.commands.serve import refuse_busy_address, refuse_unapplied_migrations
from sen.core.models import Agency


@pytest.fixture(params=[False, True], ids=["plain", "reuseport"])
def listening_port(request: pytest.FixtureRequest) -> Iterator[int]:
    """A port something listens on; with ``SO_REUSEPORT``, as granian binds."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        if request.param:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_address_another_server_listens_on_is_refused(listening_port: int) -> None:
    with pytest.raises(CommandError, match=f"127.0.0.1:{listening_port} đang có một máy chủ khác"):
        refuse_busy_address("127.0.0.1", listening_port)


def test_a_free_address_is_accepted() -> None:
    refuse_busy_address("127.0.0.1", free_port())


def test_an_address_that_cannot_be_opened_says_why() -> None:
    # 192.0.2.1 (TEST-NET-1) belongs to no interface of this machine.
    with pytest.raises(CommandError, match=r"Không mở được địa chỉ 192\.0\.2\.1:8000"):
        refuse_busy_address("192.0.2.1", 8000)


def has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not has_ipv6_loopback(), reason="no IPv6 loopback (::1) on this machine")
def test_an_ipv6_address_is_probed_as_ipv6_and_named_with_brackets() -> None:
    # Given a server listening on [::1] as granian binds
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        server.bind(("::1", 0))
        server.listen()
        port = server.getsockname()[1]

        # Then its address is refused, and said as one can type it
        with pytest.raises(CommandError, match=rf"Địa chỉ \[::1\]:{port} đang có một máy chủ khác"):
            refuse_busy_address("::1", port)

    # and once it stopped, the address is free
    refuse_busy_address("::1", port)


@pytest.mark.django_db
def test_serve_refuses_a_busy_port_before_starting(listening_port: int) -> None:
    with pytest.raises(CommandError, match="đang có một máy chủ khác"):
        call_command("serve", port=listening_port)


@pytest.mark.django_db
def test_a_migrated_database_may_be_served() -> None:
    refuse_unapplied_migrations()


@pytest.mark.django_db
def test_a_database_behind_its_code_is_refused_with_the_migrations_named() -> None:
    # As if the code of the latest dossiers migration had been deployed without `sen migrate`.
    latest = MigrationRecorder.Migration.objects.filter(app="dossiers").order_by("-name").first()
    assert latest is not None
    latest.delete()

    with pytest.raises(CommandError) as refused:
        refuse_unapplied_migrations()

    assert str(refused.value) == (
        f"Cơ sở dữ liệu chưa được cập nhật: 1 migration chưa chạy (dossiers.{latest.name}). "
        "Chạy `sen migrate` trước khi mở máy chủ."
    )


@pytest.mark.django_db
def test_the_demo_refuses_a_busy_port_before_preparing_anything(listening_port: int) -> None:
    with pytest.raises(CommandError, match="đang có một máy chủ khác"):
        call_command("demo", port=listening_port)

    assert not Agency.objects.exists()
