"""The home page: what the portal is, the search box, the fields and the counts."""

import re

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_home_page_introduces_the_province_portal_with_a_labelled_search_box(client, catalog):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Cổng dịch vụ công tỉnh Ninh Bình" in html
    assert '<label class="search__label" for="home-q">Tìm thủ tục hành chính</label>' in html
    assert 'action="/thu-tuc/" method="get"' in html
    assert 'name="q"' in html
    assert "dang ky khai sinh" in html  # the hint that search works without diacritics


def test_home_page_links_each_field_in_vietnamese_alphabetical_order(client, catalog):
    response = client.get("/")

    html = response.content.decode()
    links = [
        '<a href="/thu-tuc/?field=chung-thuc">Chứng thực</a>',
        '<a href="/thu-tuc/?field=dat-dai">Đất đai</a>',
        '<a href="/thu-tuc/?field=ho-tich">Hộ tịch</a>',
    ]
    positions = [html.index(link) for link in links]
    assert positions == sorted(positions)


def test_home_page_counts_current_procedures_full_online_ones_and_fields(client, catalog):
    response = client.get("/")

    assert response.context["procedure_count"] == 5  # the superseded version is not counted
    assert response.context["full_online_count"] == 2
    html = response.content.decode()
    assert '<span class="stats__number">5</span>' in html
    assert '<span class="stats__number">2</span>' in html
    assert '<span class="stats__number">3</span>' in html


def test_home_page_works_on_an_empty_catalog(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "Chưa có lĩnh vực nào được công bố." in response.content.decode()


@override_settings(SEN_PROVINCE_NAME="Hà Nam")
def test_home_page_names_the_province_from_the_setting(client, db):
    response = client.get("/")

    assert "Cổng dịch vụ công tỉnh Hà Nam" in response.content.decode()


def test_home_page_costs_three_queries(client, catalog, django_assert_num_queries):
    """Fields (1), count of current procedures (1), count of full-online ones (1)."""
    with django_assert_num_queries(3):
        response = client.get("/")

    assert response.status_code == 200


def test_the_english_search_example_finds_what_it_suggests(client, catalog):
    """Procedure names are Vietnamese: an English example ("birth registration") found
    nothing. The example in English pages is one the search answers."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    example = re.search(r'placeholder="For example: ([^"(]+)', html)
    assert example is not None

    found = client.get("/thu-tuc/", {"q": example.group(1).strip()}).content.decode()

    assert "Đăng ký khai sinh" in found
