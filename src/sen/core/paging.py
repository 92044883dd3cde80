"""The bounds of a page number, shared by the API and the pages.

A page number becomes an ``OFFSET`` of ``(page - 1) * page_size`` rows. Unbounded, a client
could send one past the 64-bit integers SQLite and PostgreSQL count rows in, and the query
would fail with a server error. A million pages of a hundred is 10⁸ rows, more than any
list Sen shows: a page beyond that is refused (API) or read as the last page (pages).
"""

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
