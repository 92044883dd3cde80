"""Reading a page's ``?page=``: whatever is typed in the address bar gives a page to show."""

from dataclasses import dataclass

import pytest

from sen.core.paging import MAX_PAGE, fetch_page, requested_page


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        (None, 1),
        ("", 1),
        ("3", 3),
        ("0", 1),
        ("-2", 1),
        ("hai", 1),
        ("2.5", 1),
        (str(MAX_PAGE), MAX_PAGE),
        ("9" * 30, MAX_PAGE),  # past the integers a database counts rows in
    ],
)
def test_a_missing_or_bad_page_is_the_first_and_a_huge_one_the_largest(raw, page):
    assert requested_page(raw) == page


@dataclass
class Rows:
    count: int
    rows: list[int]

    def __len__(self) -> int:
        return len(self.rows)


def rows_of(total: int, per_page: int):
    """A selector over ``total`` numbered rows, recording the pages it was asked for."""
    asked: list[int] = []

    def fetch(number: int) -> Rows:
        asked.append(number)
        start = (number - 1) * per_page
        return Rows(count=total, rows=list(range(total))[start : start + per_page])

    return fetch, asked


def test_the_page_asked_for_is_fetched_once_and_drawn_by_the_pager():
    fetch, asked = rows_of(total=45, per_page=20)
    fetched, page = fetch_page(fetch, "2", per_page=20)
    assert (fetched.rows, asked) == (list(range(20, 40)), [2])
    assert (page.number, page.paginator.num_pages, page.has_next()) == (2, 3, True)


@pytest.mark.parametrize("raw", ["4", str(MAX_PAGE)])
def test_a_page_past_the_end_shows_the_last_page(raw):
    fetch, asked = rows_of(total=45, per_page=20)
    fetched, page = fetch_page(fetch, raw, per_page=20)
    assert (fetched.rows, asked) == ([40, 41, 42, 43, 44], [int(raw), 3])
    assert (page.number, page.has_next()) == (3, False)


def test_an_empty_list_is_one_empty_page_fetched_once():
    fetch, asked = rows_of(total=0, per_page=20)
    fetched, page = fetch_page(fetch, "7", per_page=20)
    assert (fetched.rows, asked, page.number) == ([], [7], 1)
