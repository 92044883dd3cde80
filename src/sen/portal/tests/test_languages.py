"""Vietnamese first, English on request through Django's language switcher."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from sen.dossiers.states import ReturnMethod
from sen.portal.tests.html import languages_of, text_of

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_by_default(client, catalog):
    response = client.get("/thu-tuc/1.001193/")

    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Thời hạn giải quyết" in html
    assert "Processing time" not in html


def test_every_page_offers_the_language_switcher_as_a_post_form_with_csrf(client, catalog):
    response = client.get("/thu-tuc/?q=khai+sinh")

    html = response.content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S)
    assert form is not None
    assert 'action="/i18n/setlang/" method="post"' in form.group()
    assert 'name="csrfmiddlewaretoken"' in form.group()
    assert '<input type="hidden" name="next" value="/thu-tuc/?q=khai+sinh">' in form.group()
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\w+"', html)
    assert buttons == ["vi", "en"]
    assert 'aria-current="true" class="language-switcher__current">Tiếng Việt</button>' in html


def test_switching_to_english_shows_the_procedure_page_in_english(client, catalog):
    switch = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/1.001193/"})

    assert switch.status_code == 302
    assert switch.headers["Location"] == "/thu-tuc/1.001193/"
    response = client.get("/thu-tuc/1.001193/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Ninh Bình Province Public Service Portal" in html
    assert "Procedure code: <strong>1.001193</strong>" in html
    assert '<dd class="summary__strong">3 working days</dd>' in html
    assert "Fee: 50,000 VND" in html
    assert "Fee: Free of charge" in html
    assert "Documents to submit" in html
    assert "Specialist — the receiving agency — 1.5 working days" in html
    assert "Commune level: The people's committee of the commune where you live" in text_of(html)
    assert "Skip to main content" in html
    # Content from the catalog itself stays as published.
    assert '<h1 lang="vi">Đăng ký khai sinh</h1>' in html


def test_on_an_english_page_the_catalogs_vietnamese_is_marked_to_be_read_as_vietnamese(
    client, catalog
):
    # A screen reader reads "Giấy chứng sinh" with an English voice unless told otherwise.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/thu-tuc/1.001193/").content.decode()

    published = [
        "Đăng ký khai sinh",  # the name
        "Giấy chứng sinh",  # a paper to submit
        "Khi nhờ người khác nộp hồ sơ.",  # its note
        "Trường hợp có yếu tố nước ngoài",  # a fee's case
        "Bước 1: Nộp hồ sơ.",  # the sequence
        "Thẩm định hồ sơ",  # an internal step
        "Công dân Việt Nam",  # who applies
        "Trẻ em sinh ra còn sống.",  # conditions
        "Giấy khai sinh (bản chính)",  # the result
        "Luật Hộ tịch số 60/2014/QH13",  # the legal basis
        "Họ và tên mẹ",  # a field of the e-form
        "Tên cơ sở y tế hoặc địa chỉ nơi sinh.",  # and its description
        "Hộ tịch",  # its field
    ]
    assert {text: set(languages_of(html, text)) for text in published} == {
        text: {"vi"} for text in published
    }
    # while the page's own words are English
    assert set(languages_of(html, "Documents to submit")) == {"en"}


def test_the_language_chosen_is_remembered_after_the_browser_closes(client, catalog):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60


def test_the_english_list_and_home_page(client, catalog):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    home = client.get("/").content.decode()
    results = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    empty = client.get("/thu-tuc/", {"q": "ho chieu"}).content.decode()

    assert "Find an administrative procedure" in home
    assert '<span class="stats__label">fully online services</span>' in home
    assert "Found 2 procedures." in results
    assert '<span class="badge badge--full">Fully online</span>' in results
    assert '<option value="province">Province level</option>' in results
    # the catalog's fields keep their Vietnamese names, read as Vietnamese
    assert set(languages_of(results, "Hộ tịch")) == {"vi"}
    assert "No procedure matches your search." in empty


def test_the_english_404_page(client, catalog):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/thu-tuc/9.999999/")

    assert response.status_code == 404
    assert "No procedure has the code 9.999999." in response.content.decode()


def test_a_browser_asking_for_english_gets_english(client, catalog):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert '<html lang="en">' in response.content.decode()


def test_dates_are_day_month_year_in_both_languages(client, catalog):
    catalog.birth.created_at = catalog.birth.created_at.replace(year=2025, month=7, day=1, hour=3)
    catalog.birth.save(update_fields=["created_at"])

    vietnamese = client.get("/thu-tuc/1.001193/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/thu-tuc/1.001193/").content.decode()

    assert "Phiên bản 2, cập nhật ngày 01/07/2025." in vietnamese
    assert "Version 2, updated on 01/07/2025." in english


def test_on_the_english_citizen_pages_the_names_of_procedures_and_agencies_read_as_vietnamese(
    client, one_stop
):
    dossier = one_stop.receive(one_stop.submit())
    client.force_login(one_stop.applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    apply = client.get(f"/thu-tuc/{dossier.procedure.code}/nop-ho-so/").content.decode()
    mine = client.get("/ho-so-cua-toi/").content.decode()
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()

    assert set(languages_of(apply, dossier.procedure.name)) == {"vi"}
    assert "Apply online: " in text_of(apply)
    assert set(languages_of(mine, dossier.agency.name)) == {"vi"}
    assert set(languages_of(page, dossier.agency.name)) == {"vi"}


def test_on_the_english_apply_page_the_problems_name_the_e_forms_fields_in_vietnamese(
    client, one_stop
):
    client.force_login(one_stop.applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/thu-tuc/{one_stop.procedure.code}/nop-ho-so/"

    # When the citizen sends the mother's number too short and no file for the paper
    sent = {
        "idempotency_key": "2b7f0c1e-5d4a-4f7e-9a51-0c6a8e2d9f10",
        "applicant-name": "Trần Thị Bình",
        "applicant-id_number": "037190001234",
        "applicant-phone": "0912345678",
        "applicant-address": "Số 5 đường Lê Lợi",
        "form__ho_ten": "Trần Văn Con",
        "form__gioi_tinh": "Nam",
        "form__ngay_sinh": "2026-11-10",
        "form__so_cccd_me": "12345",
        "form__me__ho_ten_me": "Trần Thị Bình",
    }
    html = client.post(url, sent).content.decode()

    # Then the summary at the top names the field and the paper as the form does, in
    # Vietnamese, and says what is wrong in English
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    assert "Số định danh cá nhân của người mẹ" in summary.group()
    assert "Tờ khai đăng ký khai sinh" in summary.group()
    assert set(languages_of(html, "Số định danh cá nhân của người mẹ")) == {"vi"}
    assert set(languages_of(html, "Tờ khai đăng ký khai sinh")) == {"vi"}
    assert set(languages_of(html, "12 digits")) == {"en"}


def test_the_english_home_page_and_result_notice_read_the_catalogs_names_as_vietnamese(
    client, one_stop
):
    dossier = one_stop.result_ready(one_stop.receive(one_stop.submit(result_delivery="desk")))
    client.force_login(one_stop.applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    home = client.get("/").content.decode()
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()

    assert set(languages_of(home, "Hộ tịch")) == {"vi"}
    notice = re.search(r'<div class="notice" role="status"><p>The result is ready.*?</div>', page)
    assert notice is not None
    assert set(languages_of(page, one_stop.centre.name)) == {"vi"}


def test_the_english_words_for_the_laws_terms_follow_the_glossary():
    # docs/glossary.md: trước hạn / đúng hạn / quá hạn, and trong hạn for what is not yet
    # due; lĩnh vực is a sector; the ways a result is returned read after "How to receive
    # the result" for the citizen and "How the result is returned" for the officer alike.
    with translation.override("en"):
        badges = [
            text_of(render_to_string("portal/_timeliness.html", {"value": value}))
            for value in ("early", "on_time", "late", "in_time")
        ]
        methods = [str(label) for _value, label in ReturnMethod.choices]
        sector = [gettext("Lĩnh vực"), gettext("Tất cả lĩnh vực"), gettext("Thủ tục theo lĩnh vực")]

    assert badges == ["Early", "On time", "Late", "Within time"]
    assert methods == [
        "Electronically",
        "In person at the one-stop desk",
        "By public postal service",
    ]
    assert sector == ["Sector", "All sectors", "Procedures by sector"]
