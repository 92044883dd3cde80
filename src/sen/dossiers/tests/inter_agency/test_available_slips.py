"""The slips a dossier lists are exactly the slips the API serves for it.

For a dossier in every state the services can bring it to, ``available_slips`` (what the
citizen's and the officer's dossier pages link) names a slip exactly when its endpoint
answers the PDF; every other slip endpoint answers 409 ``slip_not_available``. Both pages
link the list and nothing else.

The dossiers are built by ``every_state``, with the procedure and people of this package's
conftest.
"""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from sen.dossiers import selectors
from sen.dossiers.api.slips import SLIPS
from sen.dossiers.slipdata import SLIP_KINDS, available_slips
from sen.dossiers.tests.inter_agency.conftest import as_user
from sen.dossiers.tests.inter_agency.every_state import STATES

pytestmark = pytest.mark.django_db

SLIP_LINK = re.compile(r'href="(/api/v1/dossiers/[^"]+/slips/[a-z-]+\.pdf)"')

# What each state has, in the order the pages list them.
EXPECTED = {
    "submitted": [],
    "supplement_requested_at_intake": ["supplement_request_slip"],
    "submitted_again_after_a_supplement": ["supplement_request_slip"],
    "refused": ["refusal_slip"],
    "withdrawn": [],
    "received": ["receipt_slip", "control_sheet"],
    "at_the_specialist_of_another_agency": ["receipt_slip", "control_sheet"],
    "supplement_requested_during_processing": [
        "receipt_slip",
        "supplement_request_slip",
        "control_sheet",
    ],
    "apologized": ["receipt_slip", "apology_slip", "control_sheet"],
    "at_the_leader_without_a_result": ["receipt_slip", "control_sheet"],
    "at_the_leader_with_a_result": ["receipt_slip", "control_sheet"],
    "stopped": ["receipt_slip", "stop_notice_slip", "control_sheet"],
    "result_ready": ["receipt_slip", "control_sheet"],
    "returned": ["receipt_slip", "control_sheet"],
}


def slip_url(name: str, code: str) -> str:
    return reverse(f"api-v1:dossier_{name}", kwargs={"code": code})


def test_every_slip_kind_has_its_endpoint_under_the_same_title():
    with translation.override("vi"):
        kinds = {kind.name: str(kind.title) for kind in SLIP_KINDS}
    assert kinds == {slip.name: slip.title for slip in SLIPS}


def test_every_state_is_checked():
    assert set(EXPECTED) == set(STATES)


@pytest.mark.parametrize("state", list(STATES))
def test_a_listed_slip_is_served_and_an_unlisted_one_is_not_available(state, submit, people, clock):
    # Given a dossier in the state, read as its pages read it
    code = STATES[state](submit, people).code
    dossier = selectors.dossier_get_for_applicant(code=code, user=people.applicant)

    # When its slips are listed
    listed = available_slips(dossier)

    # Then each endpoint agrees with the list: the PDF if listed, "not available" if not
    names = [slip.name for slip in listed]
    assert all(slip.url == slip_url(slip.name, code) for slip in listed)
    applicant = as_user(people.applicant)
    for endpoint in SLIPS:
        response = applicant.get(slip_url(endpoint.name, code))
        if endpoint.name in names:
            assert response.status_code == 200, (endpoint.name, response.content)
            assert response["Content-Type"] == "application/pdf"
            # the link's title is the form's own, as the PDF names itself
            metadata = PdfReader(io.BytesIO(response.content)).metadata
            assert metadata is not None
            assert metadata.title == endpoint.title, endpoint.name
        else:
            assert response.status_code == 409, (endpoint.name, response.status_code)
            assert response.json()["error"]["code"] == "slip_not_available"

    # And the list holds the slips the state issues
    assert names == EXPECTED[state]

    # And the citizen's page and the officer's page link exactly those slips
    urls = [slip.url for slip in listed]
    portal = applicant.get(f"/ho-so-cua-toi/{code}/").content.decode()
    workspace = as_user(people.desk).get(f"/can-bo/ho-so/{code}/").content.decode()
    assert SLIP_LINK.findall(portal) == urls
    assert SLIP_LINK.findall(workspace) == urls


def test_listing_the_slips_of_a_loaded_dossier_costs_no_query(
    submit, people, clock, django_assert_num_queries
):
    code = STATES["stopped"](submit, people).code
    dossier = selectors.dossier_get_for_applicant(code=code, user=people.applicant)

    with django_assert_num_queries(0):
        listed = available_slips(dossier)

    assert len(listed) == 3
