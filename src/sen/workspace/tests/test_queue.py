"""The queue page /can-bo/ ("Hồ sơ cần xử lý"): the officer's dossiers, soonest due first."""

import re

import pytest

from sen.catalog.tests.factories import make_procedure, one_step
from sen.core.models import AgencyKind, Role
from sen.core.tests.factories import AgencyFactory, MembershipFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import officer
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
    assert "14:00 23/11/2026" in html


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
    asked = client.get("/can-bo/", {"agency": submitted.agency.code})

    assert response.status_code == 200
    assert codes_on(response.content.decode()) == []
    assert codes_on(asked.content.decode()) == []


# The queue page, however many dossiers, procedures and agencies: session and user (2);
# the officer's agencies (1); the queue counted up to its cap (1); the page of dossiers,
# with their procedures and agencies (1); the menu's roles and reporting duty (2). The
# due-soon bound of each agency on the page comes from its working calendar, cached in the
# process since the dossiers' due moments were computed.
QUEUE_QUERIES = 7


def test_the_queue_costs_the_same_queries_for_1_or_30_dossiers_of_two_agencies_and_pages_by_20(
    client, people, submit, clock, django_assert_num_queries
):
    # Given the specialist of Sở Tư pháp, who is also the one-stop officer of a commune, and
    # one birth registration handed to Sở Tư pháp for its step
    commune = AgencyFactory(name="Ủy ban nhân dân xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE)
    MembershipFactory(user=people.specialist, agency=commune, role=Role.ONE_STOP_OFFICER)
    marriage = make_procedure(
        code="1.000894",
        name="Đăng ký kết hôn",
        processing_days="3",
        steps=one_step("3"),
        implementations=[{"level": "commune", "agency": commune.code}],
    )

    def handed() -> Dossier:
        dossier = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
        return services.dossier_complete_step(
            dossier=dossier, actor=people.desk, expected_revision=2
        )

    first = handed()
    client.force_login(people.specialist)

    with django_assert_num_queries(QUEUE_QUERIES):
        alone = client.get("/can-bo/").content.decode()
    assert codes_on(alone) == [first.code]

    # When 29 more come: 9 more handed to Sở Tư pháp, and for the commune, 10 marriages
    # waiting, 5 received and 5 refused; the birth registrations still at the centre's desk
    # are not theirs
    for _index in range(9):
        handed()
    for _index in range(5):
        services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    desk = officer(commune, username="motcuaxa")
    at_commune = [submit(procedure_code=marriage.code, agency_code=commune.code) for _ in range(20)]
    for dossier in at_commune[:5]:
        services.dossier_receive(dossier=dossier, actor=desk, expected_revision=1)
    for dossier in at_commune[5:10]:
        services.dossier_refuse(
            dossier=dossier, reason="Sai thẩm quyền", actor=desk, expected_revision=1
        )

    # Then the queue costs the same queries, lists 20 of the 25 open ones, and the other 5
    # on page 2; the refused ones are finished, and listed under their status
    with django_assert_num_queries(QUEUE_QUERIES):
        html = client.get("/can-bo/").content.decode()
    with django_assert_num_queries(QUEUE_QUERIES):
        second = client.get("/can-bo/", {"page": 2}).content.decode()
    with django_assert_num_queries(QUEUE_QUERIES):
        refused = client.get("/can-bo/", {"status": "refused"}).content.decode()

    listed = codes_on(html) + codes_on(second)
    assert (len(codes_on(html)), len(codes_on(second))) == (20, 5)
    assert len(set(listed)) == 25
    assert set(codes_on(refused)) == {dossier.code for dossier in at_commune[5:10]}
    assert not set(listed) & set(codes_on(refused))
    assert "Đăng ký khai sinh" in html and "Đăng ký kết hôn" in html + second
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
