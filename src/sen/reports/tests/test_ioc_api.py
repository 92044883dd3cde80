"""``GET /api/v1/indicators/dashboard``: what the IOC page refreshes from."""

import pytest

from sen.core.models import AgencyKind, Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.factories import officer
from sen.tests.clock import at

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/dashboard"


@pytest.fixture
def one_open(submit, clock, people):
    """One dossier received on Monday 23/11 09:00, open; the clock at Monday 30/11 09:00."""
    clock(at(23, 9))
    dossier = dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    clock(at(30, 9))
    return dossier


def test_a_provincial_leader_reads_the_board_of_the_province(
    client, one_open, provincial_leader, centre, django_assert_num_queries
):
    """Given one dossier open and overdue at the centre, when the provincial leader asks for
    the province in November, then the board has the index, the figures, 12 months of trend,
    the agencies' ranking and the overdue by agency."""
    client.force_login(provincial_leader)
    # The queries accounted for in test_the_board_reads_the_open_dossiers_not_late_once: a
    # fixed number, whatever the number of dossiers.
    with django_assert_num_queries(21):
        response = client.get(URL, {"unit": "province", "period": "2026-11"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == {"kind": "province", "code": centre.unit.code, "name": centre.unit.name}
    assert body["period"] == {"key": "2026-11", "label": "Tháng 11/2026"}
    assert body["figures"]["received"] == 1 and body["figures"]["received_online"] == 1
    assert (body["figures"]["in_progress_now"], body["figures"]["overdue_now"]) == (1, 1)
    assert [point["month"] for point in body["trend"]][-2:] == ["2026-10", "2026-11"]
    assert body["trend"][-1]["received"] == 1
    assert [line["code"] for line in body["agencies"]] == [centre.code]
    assert body["agencies"][0]["overdue_now"] == 1
    assert body["communes"] == []  # no commune has received a dossier
    assert body["overdue"][0]["agency_code"] == centre.code
    progress = next(group for group in body["groups"] if group["code"] == "tdgq")
    assert (progress["score"], progress["max_score"], progress["max_points"]) == (0.0, 20.0, 20.0)


def test_a_transition_shows_in_the_next_refresh(client, one_open, submit, people, centre, clock):
    """Given the board read at 09:00, when the desk receives another dossier a minute later,
    then the next refresh counts it received and in progress."""
    client.force_login(people.desk)
    query = {"unit": centre.code, "period": "2026-11"}
    before = client.get(URL, query).json()
    clock(at(30, 9, 1))
    dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    after = client.get(URL, query).json()
    assert (before["figures"]["received"], after["figures"]["received"]) == (1, 2)
    assert (before["figures"]["in_progress_now"], after["figures"]["in_progress_now"]) == (1, 2)
    assert after["generated_at"].startswith("2026-11-30T09:01")
    assert after["agencies"] == []  # a single agency: nothing to rank


def test_others_are_refused_and_change_nothing(client, one_open, people, centre):
    other = AgencyFactory(kind=AgencyKind.DEPARTMENT, unit=centre.unit)
    outsider = officer(other, Role.LEADER, username="lanhdaokhac")
    for user in (outsider, people.applicant):
        client.force_login(user)
        response = client.get(URL, {"unit": centre.code, "period": "2026-11"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    client.logout()
    response = client.get(URL, {"unit": centre.code, "period": "2026-11"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("unit", "period", "status", "code"),
    [
        ("000.00.01.H37", "2026-13", 400, "invalid_period"),
        ("000.00.01.H37", "2027", 400, "invalid_period"),
        ("Sở Tư pháp", "2026", 400, "invalid_unit"),
        ("999.99.99.Z99", "2026", 404, "unit_not_found"),
    ],
)
def test_bad_input_answers_with_a_stable_code(client, one_open, people, unit, period, status, code):
    client.force_login(people.desk)
    response = client.get(URL, {"unit": unit, "period": period})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_board_reads_the_open_dossiers_not_late_once(
    client, one_open, provincial_leader, centre, django_assert_num_queries
):
    """Given one overdue dossier at the centre, when the provincial leader reads the board,
    then the report, the trend, the agencies' ranking and the overdue by agency agree on it,
    from one read of the open dossiers not late yet."""
    client.force_login(provincial_leader)
    # Session and user (2), the reader's scope (2), the province and its agencies (2), the
    # open dossiers not late now (2), the report (2), the trend (2), the agencies' ranking
    # (3), the communes' (5), the overdue by agency (1).
    with django_assert_num_queries(21):
        response = client.get(URL, {"unit": "province", "period": "2026-11"})
    body = response.json()
    assert body["figures"]["overdue_now"] == 1
    assert body["trend"][-1]["on_time_rate"] == body["figures"]["on_time_rate"]
    assert [line["overdue_now"] for line in body["agencies"]] == [1]
    assert [line["overdue"] for line in body["overdue"]] == [1]
