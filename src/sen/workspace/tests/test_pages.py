"""What every workspace page shares with the portal's: no inline code under the
Content-Security-Policy, a label on every input, one main heading, CSRF on every form."""

import re

import pytest

from sen.portal.tests.html import inline_code, unlabelled_inputs

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(client, people, submitted):
    """Return the desk officer's pages, the dossier one with its action forms."""
    client.force_login(people.desk)
    urls = [
        "/can-bo/",
        f"/can-bo/ho-so/{submitted.code}/",
        "/can-bo/tiep-nhan/",
        "/can-bo/tiep-nhan/1.001193/",
        "/can-bo/so-theo-doi/",
        "/can-bo/ho-so/000.00.01.H37-261120-0999/",
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_no_workspace_page_needs_inline_code_and_every_input_has_a_label(pages):
    for url, html in pages.items():
        assert inline_code(html) == [], url
        assert unlabelled_inputs(html) == [], url
        assert html.count("<h1") == 1, url


def test_every_post_form_of_the_workspace_carries_the_csrf_token(pages):
    for url, html in pages.items():
        for form in re.findall(r'<form[^>]*method="post".*?</form>', html, re.S):
            assert 'name="csrfmiddlewaretoken"' in form, url


def test_every_description_an_input_points_to_is_on_the_page(pages, client, people):
    # A refused intake shows its errors; each input's aria-describedby must name a hint or
    # an error that exists, or a screen reader reads nothing.
    refused = client.post("/can-bo/tiep-nhan/1.001193/", {}).content.decode()
    for url, html in {**pages, "refused intake": refused}.items():
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for described in re.findall(r'aria-describedby="([^"]+)"', html):
            for target in described.split():
                assert target in ids, (url, target)
