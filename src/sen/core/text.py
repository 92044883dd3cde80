"""Text helpers for Vietnamese: folding for search that works with and without diacritics."""

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics and with single spaces.

    "Đăng ký khai sinh" and "dang ky  KHAI sinh" both fold to "dang ky khai sinh". This is
    the unaccent-equivalent used on every database, so that search behaves the same on
    SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
