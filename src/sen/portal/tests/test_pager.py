"""The one pager under every paged list (``portal/_pager.html``): what it links to."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from sen.core.paging import page_range


def pager(number: int, *, pages: int, query: str = "", on_ends: int = 2) -> str:
    page = Paginator(range(pages * 10), 10).get_page(number)
    request = RequestFactory().get("/danh-sach/" + query)
    context = {"page": page, "page_range": page_range(page, on_ends=on_ends)}
    return render_to_string("portal/_pager.html", context, request=request)


def links(html: str) -> list[tuple[str, str]]:
    """Return (href, the words a reader hears) for each item of the pager, … for a gap."""
    items = re.findall(r"<li>(.*?)</li>", html)
    found = []
    for item in items:
        href = re.search(r'href="([^"]*)"', item)
        words = " ".join(re.sub(r"<[^>]+>", " ", item).split())
        current = " (current)" if 'aria-current="page"' in item else ""
        found.append((href[1] if href else "", words + current))
    return found


def test_a_middle_page_links_its_neighbours_the_ends_and_keeps_the_filters():
    html = pager(6, pages=12, query="?q=dat&page=6")

    assert '<nav class="pagination" aria-label="Phân trang">' in html
    assert links(html) == [
        ("?q=dat&amp;page=5", "‹ Trang trước"),
        ("?q=dat&amp;page=1", "Trang 1"),
        ("?q=dat&amp;page=2", "Trang 2"),
        ("", "…"),
        ("?q=dat&amp;page=5", "Trang 5"),
        ("?q=dat&amp;page=6", "Trang 6 (current)"),
        ("?q=dat&amp;page=7", "Trang 7"),
        ("", "…"),
        ("?q=dat&amp;page=11", "Trang 11"),
        ("?q=dat&amp;page=12", "Trang 12"),
        ("?q=dat&amp;page=7", "Trang sau ›"),
    ]
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert '<span aria-hidden="true">…</span>' in html  # the gap is not read out


def test_one_page_at_each_end_when_asked_and_no_previous_on_the_first_page():
    html = pager(1, pages=12, on_ends=1)

    assert links(html) == [
        ("?page=1", "Trang 1 (current)"),
        ("?page=2", "Trang 2"),
        ("", "…"),
        ("?page=12", "Trang 12"),
        ("?page=2", "Trang sau ›"),
    ]


def test_a_list_on_one_page_has_no_pager():
    assert pager(1, pages=1).strip() == ""
