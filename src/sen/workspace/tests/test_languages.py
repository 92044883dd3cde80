"""The officers' pages in English: the catalog's and the applicants' Vietnamese stays as it
is, marked ``lang="vi"`` so that a screen reader reads it with a Vietnamese voice (WCAG 3.1.2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import PDF
from sen.portal.tests.html import languages_of
from sen.workspace.tests.test_intake import URL, entry

pytestmark = pytest.mark.django_db


def in_english(client, user) -> None:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})


def test_on_the_english_officer_pages_the_catalogs_vietnamese_reads_as_vietnamese(
    client, people, procedure, received, centre
):
    # Given a dossier taken in at the desk, with the papers counted, beside one sent online
    in_english(client, people.desk)
    taken_in = client.post(URL, entry(paper_1_originals="1"))
    assert taken_in.status_code == 302
    at_desk = Dossier.objects.get(channel="desk")

    # When the desk officer reads the queue, the intake pages and both dossiers
    pages = {
        "queue": client.get("/can-bo/").content.decode(),
        "intake": client.get("/can-bo/tiep-nhan/", {"q": "khai sinh"}).content.decode(),
        "intake form": client.get(URL).content.decode(),
        "online": client.get(f"/can-bo/ho-so/{received.code}/").content.decode(),
        "desk": client.get(f"/can-bo/ho-so/{at_desk.code}/").content.decode(),
    }

    # Then each piece of Vietnamese they show is read as Vietnamese
    shown = {
        "queue": [procedure.name, centre.name, "Trần Thị Bình"],
        "intake": [procedure.name],
        "intake form": [procedure.name, "Tờ khai đăng ký khai sinh", "Văn bản ủy quyền"],
        "online": [procedure.name, centre.name, "Tờ khai đăng ký khai sinh"],
        "desk": [procedure.name, "Tờ khai đăng ký khai sinh", "Phạm Minh Tuấn"],
    }
    languages = {
        (page, text): set(languages_of(pages[page], text))
        for page, texts in shown.items()
        for text in texts
    }
    assert languages == {key: {"vi"} for key in languages}
    # while the page's own words stay English
    assert set(languages_of(pages["desk"], "Papers handed in")) == {"en"}


def test_the_intakes_problems_name_the_catalogs_papers_in_vietnamese(client, people, procedure):
    in_english(client, people.desk)

    response = client.post(
        URL,
        entry(
            component_1=SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf"),
            paper_1_originals="-1",
        ),
    )

    # Then the summary at the top names the paper whose count is wrong in Vietnamese, as
    # its file input and the fieldset of its counts do, and the rest in English
    html = response.content.decode()
    assert response.status_code == 400
    assert '<div class="error-summary"' in html
    assert set(languages_of(html, "Tờ khai đăng ký khai sinh")) == {"vi"}
    assert set(languages_of(html, "Originals –")) == {"en"}
    assert set(languages_of(html, "Papers handed in:")) == {"en"}
