"""The queue page /can-bo/ ("Hồ sơ cần xử lý"): the officer's dossiers, soonest due first."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sen.dossiers import services
from sen.workspace.tests.conftest import at

pytestmark = pytest.mark.django_db


def codes_on(html: str) -> list[str]:
    return re.findall(r'<a href="/can-bo/ho-so/([^/]+)/">', html)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/can-bo/")

    assert response.status_code == 302
    assert "next=/can-bo/" in response.headers["Location"]


def test_a_citizen_without_a_role_gets_a_forbidden_page(client, people):
    client.force_login(people.applicant)

    response = client.get("/can-bo/")

    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_the_queue_lists_the_agencys_dossiers_soonest_due_first_and_marks_them(
    client, people, submit, clock
):
    # Given, on Friday 20/11/2026: one dossier received on the 20th at 09:00 (due Mon 23
    # at 14:00), one received a week earlier (overdue), one waiting for intake
    clock(at(13, 9))
    late = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    clock(at(20, 9))
    soon = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    waiting = submit()
    client.force_login(people.desk)

    # When the one-stop officer opens the queue on Monday 23/11 at 09:00
    clock(at(23, 9))
    response = client.get("/can-bo/")

    # Then they come by due moment, the one not yet received last
    html = response.content.decode()
    assert response.status_code == 200
    assert codes_on(html) == [late.code, soon.code, waiting.code]
    assert html.count("ws-flag--overdue") == 1
    assert html.count("ws-flag--soon") == 1
    assert "23/11/2026 14:00" in html


def test_filters_keep_the_overdue_or_a_status(client, people, submit, clock):
    clock(at(13, 9))
    late = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    clock(at(20, 9))
    waiting = submit()
    client.force_login(people.desk)

    overdue = client.get("/can-bo/", {"overdue": "on"}).content.decode()
    submitted = client.get("/can-bo/", {"status": "submitted"}).content.decode()
    other_procedure = client.get("/can-bo/", {"procedure": "9.999999"}).content.decode()

    assert codes_on(overdue) == [late.code]
    assert codes_on(submitted) == [waiting.code]
    assert codes_on(other_procedure) == []
    assert "Không có hồ sơ nào phù hợp." in other_procedure


def test_an_officer_of_another_agency_sees_none_of_these_dossiers(client, people, submitted):
    client.force_login(people.other_desk)

    response = client.get("/can-bo/")

    assert response.status_code == 200
    assert codes_on(response.content.decode()) == []


def test_the_queue_costs_the_same_queries_for_2_or_20_dossiers_and_pages_by_20(
    client, people, submit, clock, django_assert_max_num_queries
):
    client.force_login(people.desk)
    for _index in range(2):
        services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    client.get("/can-bo/")  # the working calendar is cached from here on
    with CaptureQueriesContext(connection) as few:
        client.get("/can-bo/")
    for _index in range(23):
        services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)

    # Session and user (2), the user's agencies (1), the capped count (1), the page (1),
    # the menu's roles and reporting duty (2).
    with django_assert_max_num_queries(7):
        response = client.get("/can-bo/")

    assert len(few.captured_queries) == 7
    assert len(codes_on(response.content.decode())) == 20
    second = client.get("/can-bo/", {"page": 2}).content.decode()
    assert len(codes_on(second)) == 5
    assert "Trang 2 / 2." in second


def test_a_queue_past_the_count_cap_says_more_than_and_lists_the_soonest_due(
    client, people, submit, clock, monkeypatch
):
    # Given three dossiers waiting at the desk, and a page that counts only up to two
    monkeypatch.setattr("sen.workspace.views.QUEUE_COUNT_CAP", 2)
    dossiers = [submit() for _ in range(3)]
    client.force_login(people.desk)

    # When the one-stop officer opens the queue
    html = client.get("/can-bo/").content.decode()

    # Then it says there are more than two and still lists them in queue order
    assert "Hơn 2 hồ sơ; danh sách hiện 2 hồ sơ đến hạn sớm nhất" in html
    assert codes_on(html) == [dossier.code for dossier in dossiers][:2]


def test_the_queue_in_english(client, people, submitted):
    client.force_login(people.desk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})

    html = client.get("/can-bo/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Dossiers to process</h1>" in html
    assert "Due soon (within 1 working day)" in html
    assert "1 dossier." in html
