"""The bounds of a page number, shared by the API and the pages, and the pages' pager.

A page number becomes an ``OFFSET`` of ``(page - 1) * page_size`` rows. Unbounded, a client
could send one past the 64-bit integers SQLite and PostgreSQL count rows in, and the query
would fail with a server error. A million pages of a hundred is 10⁸ rows, more than any
list Sen shows: a page beyond that is refused (API) or read as the last page (pages).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from django.core.paginator import Page, Paginator

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


def requested_page(raw: str | None) -> int:
    """Read a page's ``?page=``: a missing or bad number is the first page, one past
    ``MAX_PAGE`` is ``MAX_PAGE`` (the caller then shows the last page there is)."""
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


class CountedPage(Protocol):
    """One page of rows a selector read, knowing how many rows there are in all."""

    @property
    def count(self) -> int: ...

    def __len__(self) -> int: ...


P = TypeVar("P", bound=CountedPage)


def fetch_page(fetch: Callable[[int], P], raw: str | None, per_page: int) -> tuple[P, Page[Any]]:
    """Fetch the page ``?page=`` asks for (``raw``, read by ``requested_page``) with
    ``fetch(number)``; one past the end fetches the last page instead, so an old link or
    a shrunk list still shows rows. Return what ``fetch`` returned and a ``Page`` for the
    pager: the paginator only does the arithmetic, ``fetch`` already read the rows.
    """
    number = requested_page(raw)
    fetched = fetch(number)
    if not len(fetched) and fetched.count:
        number = math.ceil(fetched.count / per_page)
        fetched = fetch(number)
    return fetched, Paginator(range(fetched.count), per_page).get_page(number)


def page_range(page: Page[Any], *, on_ends: int = 2) -> Iterator[str | int]:
    """Return the numbers the pager (``portal/_pager.html``) links to: the page and one on
    each side, ``on_ends`` at either end, ``Paginator.ELLIPSIS`` for those left out."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=on_ends)
