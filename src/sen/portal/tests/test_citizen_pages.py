"""What every signed-in citizen page shares with the public ones: no inline code under the
Content-Security-Policy, a label on every input, one main heading, CSRF on every form."""

import re

import pytest

from sen.portal.tests.html import inline_code, unlabelled_inputs

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(client, one_stop):
    """Return the citizen's pages in every state that adds a form."""
    asked = one_stop.ask_supplement(one_stop.submit())
    received = one_stop.receive(one_stop.submit())
    returned = one_stop.returned(one_stop.result_ready(one_stop.receive(one_stop.submit())))
    client.force_login(one_stop.applicant)
    urls = [
        "/thu-tuc/1.001193/nop-ho-so/",
        "/ho-so-cua-toi/",
        f"/ho-so-cua-toi/{asked.code}/",
        f"/ho-so-cua-toi/{received.code}/",
        f"/ho-so-cua-toi/{returned.code}/",
        f"/tra-cuu/{returned.code}/",
        "/ho-so-cua-toi/000.00.01.H37-261120-0999/",
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_no_citizen_page_needs_inline_code_and_every_input_has_a_label(pages):
    for url, html in pages.items():
        assert inline_code(html) == [], url
        assert unlabelled_inputs(html) == [], url
        assert html.count("<h1") == 1, url


def test_every_post_form_carries_the_csrf_token(pages):
    for url, html in pages.items():
        for form in re.findall(r'<form[^>]*method="post".*?</form>', html, re.S):
            assert 'name="csrfmiddlewaretoken"' in form, url
