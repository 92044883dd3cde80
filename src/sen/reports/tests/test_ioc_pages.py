"""The IOC page (``/ioc/``) and its drill-down to overdue dossiers: who sees what, bad input."""

import pytest
from django.urls import reverse

from sen.core.models import AgencyKind
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.factories import APPLICANT
from sen.reports.tests.ioc import IOC, OVERDUE, board_data

pytestmark = pytest.mark.django_db


def test_a_provincial_leader_sees_the_province_board_with_every_figure(
    client, finished_and_open, provincial_leader, centre, django_assert_num_queries
):
    """Given a dossier resolved early and one overdue, when a leader of the provincial
    committee opens the IOC without choosing, then the province's board for this month shows
    the index, the figures, the agencies' ranking, the overdue by agency with its drill-down
    link, and the charts' data and scripts."""
    client.force_login(provincial_leader)
    # The dashboard API's 21 queries (see test_ioc_api) and the menu's staff links (2), the
    # picker's units (1): a fixed number, whatever the number of dossiers.
    with django_assert_num_queries(24):
        response = client.get(IOC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" + centre.unit.name + "</h1>" in html
    assert "Tháng 11/2026" in html
    data = board_data(response)
    assert data["unit"]["kind"] == "province" and data["period"]["key"] == "2026-11"
    assert data["figures"]["received"] == 2 and data["figures"]["early"] == 1
    assert (data["figures"]["in_progress_now"], data["figures"]["overdue_now"]) == (1, 1)
    assert [line["code"] for line in data["agencies"]] == [centre.code]
    assert data["overdue"] == [
        {"agency_code": centre.code, "agency_name": centre.name, "in_progress": 1, "overdue": 1}
    ]
    assert f'href="{OVERDUE}?unit={centre.code}"' in html
    groups = {group["code"]: group for group in data["groups"]}
    assert groups["tttt"]["score"] is None  # no payment data: shown as such, not as 0
    assert "chưa có dữ liệu" in html
    assert len(data["trend"]) == 12 and data["trend"][-1]["month"] == "2026-11"
    assert "reports/vendor/chart.umd.min.js" in html and "reports/ioc.js" in html
    assert "<script>" not in html and "style=" not in html  # nothing inline, for the CSP


def test_the_page_costs_the_same_queries_with_more_dossiers_and_agencies(
    client,
    finished_and_open,
    submit,
    people,
    provincial_leader,
    centre,
    clock,
    django_assert_num_queries,
):
    client.force_login(provincial_leader)
    # The 24 queries of the province's board above, before and after.
    with django_assert_num_queries(24):
        client.get(IOC)
    for _ in range(3):
        dossier_receive(dossier=submit().dossier, actor=people.desk, expected_revision=1)
    AgencyFactory(kind=AgencyKind.DEPARTMENT, unit=centre.unit)
    with django_assert_num_queries(24):
        response = client.get(IOC)
    assert board_data(response)["figures"]["received"] == 5


def test_an_officer_sees_their_agency_and_may_not_open_another(
    client, finished_and_open, people, centre, department
):
    """The department's specialist opens the IOC: their agency by default; the centre's
    board is refused with a message, and shows no figures."""
    client.force_login(people.specialist)
    response = client.get(IOC)
    assert response.status_code == 200
    assert board_data(response)["unit"]["code"] == department.code
    options = response.content.decode()
    assert f'value="{centre.code}"' not in options  # not offered in the picker

    denied = client.get(IOC, {"unit": centre.code, "period": "2026-11"})
    assert denied.status_code == 403
    assert "Bạn không có quyền xem chỉ số của" in denied.content.decode()
    assert 'id="ioc-data"' not in denied.content.decode()


def test_visitors_sign_in_and_citizens_are_refused(client, finished_and_open, people):
    response = client.get(IOC)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))

    client.force_login(people.applicant)
    refused = client.get(IOC)
    assert refused.status_code == 403
    assert "Không có quyền truy cập" in refused.content.decode()
    assert client.get(OVERDUE, {"unit": "province"}).status_code == 403


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"period": "2026-13"}, 400, "Kỳ báo cáo không hợp lệ"),
        ({"period": "2027"}, 400, "chưa bắt đầu"),
        ({"unit": "Sở Tư pháp"}, 400, "Đơn vị không hợp lệ"),
        ({"unit": "999.99.99.Z99"}, 404, "Không tìm thấy cơ quan"),
    ],
)
def test_bad_units_and_periods_say_what_is_wrong_in_vietnamese(
    client, finished_and_open, provincial_leader, query, status, message
):
    client.force_login(provincial_leader)
    response = client.get(IOC, query)
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert 'id="ioc-unit"' in html  # the picker stays, to choose again
    assert 'id="ioc-data"' not in html


def test_a_leader_drills_down_to_the_overdue_dossiers_without_personal_data(
    client, finished_and_open, provincial_leader, centre, django_assert_num_queries
):
    """Given one dossier overdue at the centre, when the provincial leader, who holds no
    role there, opens the drill-down, then the dossier's code, procedure and dates are
    listed, its applicant is not, and the code does not lead to the officers' page."""
    client.force_login(provincial_leader)
    # Session and user (2), the reader's scope (2, with the codes of the reader's own
    # agencies), the agency (1), the count and the page of rows (2), the menu's staff links
    # (2).
    with django_assert_num_queries(9):
        response = client.get(OVERDUE, {"unit": centre.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert finished_and_open.code in html
    assert "Đăng ký khai sinh" in html and "Đã tiếp nhận" in html
    # Received Monday 09:00, due 1.5 working days later (Tuesday 24/11 is a day off). On
    # Monday 30 at 09:00 it is late by Wednesday's last three hours, Thursday, Friday and
    # Monday's first hour: 2.5 working days, not the 4 days of the calendar.
    assert "14:00 25/11/2026" in html and '<td class="num">2,5</td>' in html
    assert APPLICANT["name"] not in html and APPLICANT["id_number"] not in html
    assert reverse("workspace:dossier", args=[finished_and_open.code]) not in html


def test_an_officer_of_the_agency_opens_an_overdue_dossier_from_the_list(
    client, finished_and_open, people, centre
):
    client.force_login(people.desk)
    response = client.get(OVERDUE, {"unit": centre.code})
    html = response.content.decode()
    assert reverse("workspace:dossier", args=[finished_and_open.code]) in html


def test_the_drill_down_is_refused_outside_what_the_reader_may_read(
    client, finished_and_open, people, centre
):
    client.force_login(people.specialist)
    response = client.get(OVERDUE, {"unit": centre.code})
    assert response.status_code == 403
    assert finished_and_open.code not in response.content.decode()
    assert client.get(OVERDUE, {"unit": "999.99.99.Z99"}).status_code == 404
    assert client.get(OVERDUE).status_code == 403  # no unit: the installation's province


def test_an_older_period_stays_chosen_in_the_picker(client, finished_and_open, people, centre):
    client.force_login(people.desk)
    response = client.get(IOC, {"unit": centre.code, "period": "2024-Q1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="2024-Q1" selected>Quý I/2024</option>' in html
    assert board_data(response)["figures"]["received"] == 0


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999"])
def test_a_page_number_out_of_range_shows_a_page_of_the_drill_down(
    client, finished_and_open, provincial_leader, centre, page
):
    """A page number that is not one, or past the last page, shows the nearest page rather
    than an error: the overdue list shrinks between two clicks."""
    client.force_login(provincial_leader)
    response = client.get(OVERDUE, {"unit": centre.code, "page": page})
    assert response.status_code == 200
    assert finished_and_open.code in response.content.decode()


def test_the_drill_down_says_what_is_wrong_with_a_unit_written_wrong(
    client, finished_and_open, provincial_leader
):
    client.force_login(provincial_leader)
    response = client.get(OVERDUE, {"unit": "Sở Tư pháp"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Đơn vị không hợp lệ" in html
    assert finished_and_open.code not in html
