"""Dossier codes in the national portal's format, and back."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sen.dossiers.codes import DossierCode, dossier_code, parse_dossier_code, typed_dossier_code

agency_codes = st.from_regex(r"\A[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}\Z")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def test_the_first_dossier_of_a_day_is_numbered_0001():
    assert dossier_code("000.00.01.H37", date(2026, 11, 21), 1) == "000.00.01.H37-261121-0001"


def test_the_day_is_the_vietnamese_day_of_the_moment():
    # 17:30 UTC on 20 November is 00:30 on 21 November in Hà Nội.
    moment = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    assert dossier_code("000.00.01.H37", moment, 12) == "000.00.01.H37-261121-0012"


def test_the_sequence_grows_past_four_digits():
    assert dossier_code("000.00.01.H37", date(2026, 1, 2), 12345) == "000.00.01.H37-260102-12345"


def test_a_naive_moment_or_a_zero_sequence_is_refused():
    with pytest.raises(ValueError):
        dossier_code("000.00.01.H37", datetime(2026, 1, 2, 8), 1)
    with pytest.raises(ValueError):
        dossier_code("000.00.01.H37", date(2026, 1, 2), 0)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "000.00.01.H37-261121",
        "000.00.01.H37-261121-001",
        "000.00.01.H37-261121-00001",
        "000.00.01.H37-261121-0000",
        "000.00.01.H37-261321-0001",
        "000.00.01.h37-261121-0001",
        "000.00.01.H37-261121-0001 ",
    ],
)
def test_what_is_not_a_canonical_code_parses_to_none(code):
    assert parse_dossier_code(code) is None


@given(agency=agency_codes, day=days, sequence=st.integers(min_value=1, max_value=10**7))
def test_a_code_parses_back_to_its_parts(agency, day, sequence):
    code = dossier_code(agency, day, sequence)
    assert parse_dossier_code(code) == DossierCode(agency_code=agency, day=day, sequence=sequence)


@pytest.mark.parametrize(
    "typed",
    [
        "000.20.01.H37-261123-0003",
        " 000.20.01.h37-261123-0003\t",  # lower case, spaces around
        "000.20.01. H37 - 261123 - 0003",  # stray spaces
        "000.20.01.H37 261123 0003",  # spaces where the hyphens go
        "000.20.01.H37\u2013261123\u20130003",  # en dashes from a word processor
        "000.20.01.H37\u2212261123\u22120003",  # minus signs
        "0002001H372611230003",  # the characters alone, read aloud
        "000 20 01 H37 261123 0003",  # read aloud in groups
    ],
)
def test_a_code_typed_loosely_is_read_as_printed(typed):
    assert typed_dossier_code(typed) == "000.20.01.H37-261123-0003"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("khong phai ma", "KHONGPHAIMA"), ("000.20.01.H37-2611-0003", "000.20.01.H37-2611-0003")],
)
def test_text_that_is_no_code_stays_no_code(typed, kept):
    assert typed_dossier_code(typed) == kept
    assert parse_dossier_code(typed_dossier_code(typed)) is None
