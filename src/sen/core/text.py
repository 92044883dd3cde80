"""Text helpers: folding for search with and without diacritics, codes as people type them,
unstorable characters, and numbers written for people."""

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from sen.errors import InvalidCharacters

# What the API and the forms answer to text with a NUL character.
NUL_MESSAGE = gettext_lazy("Dữ liệu gửi lên có ký tự rỗng (NUL), không lưu được.")

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
# A run of digits as long as the shortest number that identifies a person: a passport's
# seven (C1234567), a former identity card's nine, a CCCD's twelve, a phone's ten.
_IDENTIFYING_DIGITS = re.compile(r"\d{7,}")
# The mailbox of an email address, before its @: the domain alone names nobody.
_MAILBOX = re.compile(r"[\w.!#$%&*+/=?^`|~-]+@(?=[\w-]+\.)")
# Digits of such a number left to see, at its end, so that its owner still recognizes it.
SHOWN_DIGITS = 3


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics and with single spaces.

    "Đăng ký khai sinh" and "dang ky  KHAI sinh" both fold to "dang ky khai sinh". This is
    the unaccent-equivalent used on every database, so that search behaves the same on
    SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def visible_text(text: str) -> str:
    """Return ``text`` without surrounding white space, or "" when nothing in it shows.

    White space and invisible format characters (zero-width space, word joiner, BOM,
    direction marks: Unicode's category Cf) alone are no reason and no name: an applicant
    would receive a slip with nothing written on it.
    """
    stripped = text.strip()
    if all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in stripped):
        return ""
    return stripped


def typed_code(text: str) -> str:
    """Return a code as a person typed it (`` ktxh-01``, ``2026-q1``) written as codes are
    stored (``KTXH-01``, ``2026-Q1``): without surrounding spaces, in capitals."""
    return text.strip().upper()


def has_nul(value: object) -> bool:
    """Return whether ``value`` (text, or lists and dicts holding text) has a NUL character.

    PostgreSQL can neither store nor compare text with one (SQLite can), so such input is
    refused at the edge instead of failing in the database.
    """
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(item) for item in value)
    return False


def refuse_nul(data: Any) -> Any:
    """Return ``data``; raise ``InvalidCharacters`` if its text has a NUL character."""
    if has_nul(data):
        raise InvalidCharacters(str(NUL_MESSAGE))
    return data


def group_thousands(number: int | float | Decimal) -> str:
    """Return ``number`` with the active language's thousands separator: "1.500.000" in
    Vietnamese (``sen.formats.vi``), "1,500,000" in English."""
    return number_format(number, force_grouping=True)


# How many a message names of a list it counts (``first_few``).
FEW = 3


def first_few(items: Sequence[str], total: int) -> str:
    """Return the first ``FEW`` of ``items`` joined by commas, with "…" when ``total`` is
    more: a message naming a few dossiers or procedures and counting the rest."""
    return ", ".join(items[:FEW]) + (", …" if total > FEW else "")


def mask_identifying_numbers(text: str) -> str:
    """Return ``text`` with each run of seven digits or more (an identity card's, a
    passport's or a phone number) hidden but for its last ``SHOWN_DIGITS``:
    "CCCD 037090001111" becomes "CCCD *********111".

    For free text written by an officer that leaves Sen in an email, where a number that
    identifies a person has no place, while the words around it (a name, an
    authorization's reference) still say who it was.
    """

    def hide(number: re.Match[str]) -> str:
        digits = number.group()
        return "*" * (len(digits) - SHOWN_DIGITS) + digits[-SHOWN_DIGITS:]

    return _IDENTIFYING_DIGITS.sub(hide, text)


def mask_email_addresses(text: str) -> str:
    """Return ``text`` with the mailbox of each email address in it hidden, its domain
    left: "550 <binh@example.vn>: no such user" becomes "550 <***@example.vn>: no such
    user".

    For what Sen writes to its log about an applicant's email, such as a mail server's
    answer, which often repeats the address.
    """
    return _MAILBOX.sub("***@", text)
