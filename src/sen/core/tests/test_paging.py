"""Reading a page's ``?page=``: whatever is typed in the address bar gives a page to show."""

import pytest

from sen.core.paging import MAX_PAGE, requested_page


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
