"""The IOC in English: the board, its charts' words, the drill-down and the refusals."""

import json

import pytest

from sen.reports.tests.ioc import IOC, OVERDUE, board_data

pytestmark = pytest.mark.django_db


def in_english(client, next_url: str = IOC) -> None:
    """Choose English with the site's language switcher, as a reader would."""
    client.post("/i18n/setlang/", {"language": "en", "next": next_url})


def chart_labels(response) -> dict:
    """Return the words the page hands to its charts' script (``json_script``)."""
    html = response.content.decode()
    start = html.index('<script id="ioc-labels" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_a_leader_reads_the_board_in_english_at_the_same_cost(
    client, finished_and_open, provincial_leader, django_assert_num_queries
):
    """Given a dossier resolved early and one overdue, when the provincial leader switches to
    English and opens the IOC, then headings, figures, indicator groups and the charts' words
    are English, for the same queries as in Vietnamese."""
    client.force_login(provincial_leader)
    in_english(client)

    # The same queries as in Vietnamese (test_ioc_pages).
    with django_assert_num_queries(24):
        response = client.get(IOC)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>Operations: " in html
    assert ">Operations (IOC)</a>" in html  # the main menu
    for heading in (
        "Index of service to citizens and businesses",
        "Dossier processing",
        "Trend over the last 12 months",
        "Agency ranking",
        "Overdue dossiers by agency",
    ):
        assert f">{heading}</h2>" in html
    assert "Received in the period" in html and "Overdue (now)" in html
    assert "<strong>Month 11/2026</strong>" in html
    groups = [group["name"] for group in board_data(response)["groups"]]
    assert "Publicity and transparency" in groups and "Satisfaction" in groups
    labels = chart_labels(response)
    assert (labels["overdue"], labels["in_time"], labels["no_data"]) == (
        "Late",
        "Within time",
        "no data yet",
    )
    assert "Màn hình điều hành" not in html and "Chỉ số phục vụ" not in html


def test_the_overdue_list_in_english_counts_its_dossiers(
    client, finished_and_open, provincial_leader, centre, django_assert_num_queries
):
    client.force_login(provincial_leader)
    in_english(client, OVERDUE)

    # The same queries as in Vietnamese (test_ioc_pages).
    with django_assert_num_queries(9):
        response = client.get(OVERDUE, {"unit": centre.code})

    html = response.content.decode()
    assert f"<h1>Overdue dossiers: {centre.name}</h1>" in html
    assert "1 dossier received, not yet resolved and past its statutory due moment" in html
    assert ">Working days overdue</th>" in html and ">Statutory due moment</th>" in html
    assert '<td class="num">2.5</td>' in html
    assert "The list does not show the applicants' personal data." in html
    assert finished_and_open.code in html


def test_refusals_and_bad_periods_are_explained_in_english(
    client, finished_and_open, provincial_leader, people
):
    """A citizen is refused in English; a leader's impossible period is named in English, and
    nothing of the board is shown."""
    client.force_login(people.applicant)
    in_english(client)
    refused = client.get(IOC)
    assert refused.status_code == 403
    assert "Access denied" in refused.content.decode()

    client.force_login(provincial_leader)
    in_english(client)
    response = client.get(IOC, {"period": "2026-13"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not a valid reporting period: give a month (2026-11)" in html
    assert 'id="ioc-data"' not in html


def test_the_period_picker_names_quarters_in_english(client, finished_and_open, people, centre):
    client.force_login(people.desk)
    in_english(client)

    response = client.get(IOC, {"unit": centre.code, "period": "2024-Q1"})

    assert '<option value="2024-Q1" selected>Quarter I/2024</option>' in response.content.decode()
