"""What every portal page shares: security headers, no inline code, accessible skeleton."""

import re

import pytest
from django.contrib.staticfiles import finders

from sen.portal.tests.html import inline_code

pytestmark = pytest.mark.django_db

PAGES = [
    "/dang-nhap/",
    "/tra-cuu/",
    "/tra-cuu/?ma=sai",
    "/tra-cuu/000.00.01.H37-261120-0001/",
    "/",
    "/thu-tuc/",
    "/thu-tuc/?q=khai+sinh&field=ho-tich&level=commune&online_level=full",
    "/thu-tuc/?q=khong+co+gi",
    "/thu-tuc/1.001193/",
    "/thu-tuc/9.999999/",
    "/trang-khong-ton-tai/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_security_headers(client, catalog, url):
    response = client.get(url)

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "style-src 'self';" in policy
    assert "script-src 'self';" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", PAGES)
def test_no_page_needs_inline_styles_or_scripts_that_the_policy_would_block(client, catalog, url):
    html = client.get(url).content.decode()

    assert inline_code(html) == []
    # The scripts, from the site's own files
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/portal/once.js" defer>',
        '<script src="/static/portal/nav.js" defer>',
        '<script src="/static/portal/fresh.js" defer>',
    ]
    assert '<link rel="stylesheet" href="/static/portal/sen.css">' in html


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_language_viewport_skip_link_and_one_main(client, catalog, url):
    html = client.get(url).content.decode()

    assert '<html lang="vi">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>' in html
    assert html.count('<main id="main"') == 1
    assert html.count("<h1") == 1


@pytest.mark.parametrize("url", PAGES)
def test_every_input_has_a_label(client, catalog, url):
    html = client.get(url).content.decode()

    visible_ids = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html)
    unlabelled = re.findall(r'<(?:input|select)(?![^>]*type="hidden")(?![^>]*\sid=)[^>]*>', html)
    assert unlabelled == []
    for element_id in visible_ids:
        assert re.search(rf'<label[^>]*\sfor="{re.escape(element_id)}"', html), element_id


def test_main_navigation_marks_the_current_section(client, catalog):
    home = client.get("/").content.decode()
    detail = client.get("/thu-tuc/1.001193/").content.decode()

    assert '<a href="/" aria-current="page">Trang chủ</a>' in home
    assert '<a href="/thu-tuc/" aria-current="page">Thủ tục hành chính</a>' in detail


def test_an_unknown_address_answers_a_vietnamese_404_page(client, db):
    response = client.get("/trang-khong-ton-tai/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert '<a href="/thu-tuc/">Tra cứu thủ tục hành chính</a>' in html


def test_robots_txt_keeps_crawlers_out_of_the_administration_and_the_dossiers(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /i18n/\nDisallow: /dang-nhap/\n"
        "Disallow: /ho-so-cua-toi/\nDisallow: /tra-cuu/\nAllow: /\n"
    )


def test_the_stylesheet_and_logo_ship_with_the_app():
    assert finders.find("portal/sen.css") is not None
    assert finders.find("portal/sen.svg") is not None
