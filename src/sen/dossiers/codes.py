"""The dossier code the national portal uses: ``<agency identifier>-<yyMMdd>-<sequence>``,
and the dossier's entry in its agency's register (Sổ theo dõi hồ sơ).

For example ``000.00.01.H37-261121-0001``: the first dossier received by agency
000.00.01.H37 on 21 November 2026 (a Vietnamese day). The sequence is four digits, and
simply grows longer past 9999. The register keeps one book a year per agency, named
``<yy>/<agency identifier>`` (quyển số ``26/000.00.01.H37``), whose entries are numbered
from 1 in the order of receipt (số thứ tự), printed with four digits or more. Plain
functions without database access.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sen.core.timezones import VIETNAM

# The agency identifier's four parts (000.20.01.H37), the day (yyMMdd) and the number.
_AGENCY_PARTS = (r"[0-9A-Z]{3}", r"[0-9A-Z]{2}", r"[0-9A-Z]{2}", r"[A-Z][0-9]{2}")
_DAY, _SEQUENCE = r"[0-9]{6}", r"[0-9]{4,}"
_CODE = re.compile(
    rf"^(?P<agency>{'[.]'.join(_AGENCY_PARTS)})-(?P<day>{_DAY})-(?P<sequence>{_SEQUENCE})$"
)
# The same characters alone, as someone reading a code aloud, or typing it with other
# separators (spaces, a word processor's dashes), writes them.
_BARE = re.compile("^" + "".join(f"({part})" for part in (*_AGENCY_PARTS, _DAY, _SEQUENCE)) + "$")


@dataclass(frozen=True)
class DossierCode:
    """The parts of a dossier code."""

    agency_code: str
    day: date
    sequence: int


def local_day(moment: datetime) -> date:
    """Return the day of ``moment`` (aware) in Asia/Ho_Chi_Minh."""
    if moment.tzinfo is None:
        raise ValueError("moment must be aware")
    return moment.astimezone(VIETNAM).date()


# The sequence is written with at least this many digits, zeros in front.
SEQUENCE_DIGITS = 4


def dossier_code(agency_code: str, day: date | datetime, sequence: int) -> str:
    """Return the code of the ``sequence``-th dossier of ``agency_code`` on ``day``.

    ``day`` is a date, or an aware moment whose Vietnamese day is taken.
    """
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{dossier_code_prefix(agency_code, day)}{sequence:0{SEQUENCE_DIGITS}d}"


def dossier_code_prefix(agency_code: str, day: date | datetime) -> str:
    """Return what the codes of ``agency_code``'s dossiers of ``day`` start with, up to the
    sequence (``000.00.01.H37-261121-``)."""
    if isinstance(day, datetime):
        day = local_day(day)
    return f"{agency_code}-{day:%y%m%d}-"


def register_book(agency_code: str, year: int) -> str:
    """Return the name of ``agency_code``'s register book of ``year``: ``26/000.00.01.H37``."""
    return f"{year % 100:02d}/{agency_code}"


def register_number_text(number: int) -> str:
    """Return a register number as the slips print it: four digits or more (``0012``)."""
    return f"{number:04d}"


def typed_dossier_code(text: str) -> str:
    """Return a dossier code as typed, copied or spoken into a phone in the form printed on
    the slips: in capitals, its characters in order whatever separates them (stray spaces,
    spaces or dashes where the hyphens go, none at all). Text that is no code comes back
    without spaces, in capitals, to be refused as such."""
    joined = "".join(text.split()).upper()
    bare = _BARE.match(re.sub(r"[^0-9A-Z]", "", joined))
    if bare is None:
        return joined
    *agency, day, sequence = bare.groups()
    return f"{'.'.join(agency)}-{day}-{sequence}"


def parse_dossier_code(code: str) -> DossierCode | None:
    """Return the parts of ``code``, or ``None`` if it is not a dossier code."""
    match = _CODE.match(code)
    if match is None:
        return None
    digits = match["day"]
    try:
        day = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None
    sequence = int(match["sequence"])
    # A canonical code only: no zero sequence, no padding past four digits.
    if sequence < 1 or match["sequence"] != f"{sequence:04d}":
        return None
    return DossierCode(agency_code=match["agency"], day=day, sequence=sequence)
