"""The register page /can-bo/so-theo-doi/: pick an agency and a period, download the PDF."""

from datetime import date
from html import unescape

import pytest

from sen.core.models import AuditEntry
from sen.workspace.register import presets

pytestmark = pytest.mark.django_db

URL = "/can-bo/so-theo-doi/"


def test_the_desk_picks_a_period_and_downloads_the_register(
    client, people, centre, received, clock, django_assert_num_queries
):
    client.force_login(people.desk)

    # When the desk opens the page, then the current month is offered for its agency
    page = client.get(URL).content.decode()
    assert f'<option value="{centre.code}" lang="vi" selected>' in page
    assert 'value="2026-11-01"' in page and 'value="2026-11-20"' in page
    assert '<label for="id_start">' in page and '<label for="id_end">' in page

    # When it chooses November; session, user, the agencies of either role, the menu (2)
    with django_assert_num_queries(5):
        chosen = client.get(
            URL, {"agency": centre.code, "start": "2026-11-01", "end": "2026-11-30"}
        )
    html = unescape(chosen.content.decode())
    pdf = f"/api/v1/dossiers/register?agency={centre.code}&from=2026-11-01&to=2026-11-30"
    assert chosen.status_code == 200
    assert f'href="{pdf}"' in html
    assert "từ 01/11/2026 đến 30/11/2026" in html
    # Nothing is read until the PDF is downloaded
    assert not AuditEntry.objects.filter(data__purpose="register").exists()

    # Then the link gives the register, and the read is recorded: the register's and the
    # one dossier's
    download = client.get(pdf)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    reads = AuditEntry.objects.filter(data__purpose="register")
    assert sorted(reads.values_list("target_type", flat=True)) == [
        "core.agency",
        "dossiers.dossier",
    ]


def test_a_leader_may_download_it_too(client, people, centre):
    client.force_login(people.leader)

    response = client.get(URL, {"agency": centre.code, "start": "2026-01-01", "end": "2026-12-31"})

    assert response.status_code == 200
    assert "/api/v1/dossiers/register?" in response.content.decode()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-30", "2026-11-01", "Phải từ ngày bắt đầu trở đi."),
        ("2025-01-01", "2026-11-30", "tối đa 366 ngày một lần"),
        ("30/11/2026", "2026-11-30", "Nhập một ngày hợp lệ."),
        ("9999-12-31", "9999-12-31", "Phải là một ngày trong các năm 2000–2100."),
    ],
)
def test_a_wrong_period_is_named_and_no_link_is_given(client, people, centre, start, end, message):
    client.force_login(people.desk)

    response = client.get(URL, {"agency": centre.code, "start": start, "end": end})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "/api/v1/dossiers/register?" not in html


def test_another_agencys_register_is_not_offered(client, people, centre):
    # The desk of another agency may not choose the centre, here nor in the API
    client.force_login(people.other_desk)

    response = client.get(URL, {"agency": centre.code, "start": "2026-11-01", "end": "2026-11-30"})
    api = client.get(
        "/api/v1/dossiers/register",
        {"agency": centre.code, "from": "2026-11-01", "to": "2026-11-30"},
    )

    assert response.status_code == 400
    assert f'value="{centre.code}"' not in response.content.decode()
    assert api.status_code == 403
    assert not AuditEntry.objects.filter(data__purpose="register").exists()


@pytest.mark.parametrize("who", ["specialist", "clerk", "applicant"])
def test_officers_who_do_not_keep_the_register_and_citizens_get_403(client, people, who):
    client.force_login(getattr(people, who))

    response = client.get(URL)

    assert response.status_code == 403
    assert "Chỉ cán bộ một cửa và lãnh đạo" in response.content.decode()


def test_the_usual_periods():
    assert [(start, end) for _label, start, end in presets(date(2026, 11, 20))] == [
        (date(2026, 11, 1), date(2026, 11, 20)),
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 10, 1), date(2026, 11, 20)),
        (date(2026, 1, 1), date(2026, 11, 20)),
    ]


def test_the_workspace_pages_speak_english_on_request(client, people, centre, received):
    client.force_login(people.desk)
    client.post("/i18n/setlang/", {"language": "en", "next": URL})

    register = client.get(URL, {"agency": centre.code, "start": "2026-11-01", "end": "2026-11-30"})
    queue = client.get("/can-bo/")
    dossier = client.get(f"/can-bo/ho-so/{received.code}/")

    html = register.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Dossier register (form 07)</h1>" in html
    assert "Download the dossier register (PDF)" in html
    assert ">Dossiers to process</a>" in html  # the main menu
    assert "Sổ theo dõi" not in html
    assert "Received" in dossier.content.decode()
    assert "<h1>Hồ sơ cần xử lý</h1>" not in queue.content.decode()
