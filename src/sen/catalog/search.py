"""The words the catalog search works on (pure functions, no database).

Stored text and queries go through the same function, so that SQLite's word matching and
PostgreSQL's full-text parser see the same words: the folded text (``sen.core.text.fold``)
is cut into plain words and dotted numbers (procedure codes such as ``1.001193``), and
every other character is a separator. PostgreSQL's ``simple`` parser reads each of these
words back as exactly one lexeme.
"""

import re

from sen.core.text import fold

_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)+|[a-z0-9]+")
# A syllable whose only vowel is a final i or y, after consonants (or "qu"): Vietnamese
# writes it either way ("đăng ký" and "đăng kí", "lý lịch" and "lí lịch", "quy" and "qui").
_I_OR_Y = re.compile(r"^([bcdghklmnprstvx]+|qu)y$")


def search_words(text: str) -> list[str]:
    """Return the search words of ``text``: folded, in order, duplicates kept, a final y
    after consonants written i (both spellings are in use).

    >>> search_words("Đăng ký kết hôn (trong nước) — 1.000894")
    ['dang', 'ki', 'ket', 'hon', 'trong', 'nuoc', '1.000894']
    """
    return [_I_OR_Y.sub(r"\1i", word) for word in _WORD.findall(fold(text))]


def search_phrase(text: str) -> str:
    """Return the search words of ``text`` joined by single spaces."""
    return " ".join(search_words(text))


def search_document(*, name: str, code: str, field_name: str) -> str:
    """Return the stored search text of a procedure: its words between single spaces.

    The leading and trailing spaces let a plain substring test find whole words
    (" sinh " never matches "sinhvien") without building the padded text for each row at
    query time, which cost more than half of SQLite's search.
    """
    return f" {search_phrase(f'{name} {code} {field_name}')} "


def tsquery_text(words: list[str]) -> str:
    """Return a PostgreSQL ``tsquery`` (raw syntax) requiring every word, the last as a prefix.

    The words come from ``search_words`` and hold only ``[a-z0-9.]``, so quoting them is
    enough to keep the query's operators out of the user's hands.
    """
    if not words:
        return ""
    terms = [f"'{word}'" for word in words]
    terms[-1] += ":*"
    return " & ".join(terms)
