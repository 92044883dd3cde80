"""Who reads which units: the reader's scope, from the roles an officer holds."""

import re

import pytest

from sen.core.models import AgencyKind, Role
from sen.core.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ProvinceFactory,
)
from sen.dossiers.tests.factories import officer
from sen.reports.access import UNIT_PATTERN, reader_scope, resolve_unit
from sen.reports.errors import InvalidUnit, ReportUnitNotFound

pytestmark = pytest.mark.django_db


def test_a_leader_reads_the_commune_they_lead_and_only_their_agency_in_another(
    django_assert_num_queries,
):
    """Given a leader of one commune's committee who is also a specialist in another
    commune's, when their scope is read, then they read the first commune whole and, in the
    second, only the agency they work in; the province is not theirs."""
    province = ProvinceFactory()
    led_commune, other_commune = CommuneFactory(parent=province), CommuneFactory(parent=province)
    led = AgencyFactory(kind=AgencyKind.COMMUNE_COMMITTEE, unit=led_commune)
    staffed = AgencyFactory(kind=AgencyKind.COMMUNE_COMMITTEE, unit=other_commune)
    user = officer(led, Role.LEADER, username="lanhdaoxa")
    MembershipFactory(user=user, agency=staffed, role=Role.SPECIALIST)

    # The provinces administered (1), the agencies and whether the user leads each (1).
    with django_assert_num_queries(2):
        scope = reader_scope(user)

    readable = {
        code: scope.may_read(resolve_unit(code))
        for code in (led_commune.code, led.code, other_commune.code, staffed.code, province.code)
    }
    assert readable == {
        led_commune.code: True,
        led.code: True,
        other_commune.code: False,
        staffed.code: True,
        province.code: False,
    }


def test_a_leader_of_the_provincial_committee_reads_the_province():
    province = ProvinceFactory()
    committee = AgencyFactory(kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=province)
    department = AgencyFactory(kind=AgencyKind.DEPARTMENT, unit=province)
    leader = officer(committee, Role.LEADER, username="lanhdaotinh")
    department_leader = officer(department, Role.LEADER, username="giamdocso")

    assert reader_scope(leader).may_read(resolve_unit(province.code))
    assert not reader_scope(department_leader).may_read(resolve_unit(province.code))


def test_no_one_reads_another_provinces_figures():
    """Given two provinces, when the provincial administrator, the provincial committee's
    leader and a commune leader of the first have their scope read, then none of them
    reads the second province, its commune or its agency."""
    province, other = ProvinceFactory(code="91"), ProvinceFactory(code="92")
    committee = AgencyFactory(kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=province)
    commune = AgencyFactory(kind=AgencyKind.COMMUNE_COMMITTEE, unit=CommuneFactory(parent=province))
    other_commune = CommuneFactory(parent=other)
    AgencyFactory(kind=AgencyKind.COMMUNE_COMMITTEE, unit=other_commune)
    other_department = AgencyFactory(kind=AgencyKind.DEPARTMENT, unit=other)
    readers = [
        officer(committee, Role.PROVINCE_ADMIN, username="quantritinh"),
        officer(committee, Role.LEADER, username="lanhdaotinh"),
        officer(commune, Role.LEADER, username="lanhdaoxa"),
    ]

    for reader in readers:
        scope = reader_scope(reader)
        assert scope.may_read(resolve_unit(commune.unit.code)), reader.username
        for code in (other.code, other_commune.code, other_department.code):
            assert not scope.may_read(resolve_unit(code)), (reader.username, code)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_blank_unit_is_the_province_the_installation_serves(text):
    province = ProvinceFactory()
    AgencyFactory(kind=AgencyKind.PROVINCIAL_COMMITTEE, unit=province)

    assert resolve_unit(text) == resolve_unit("province") == resolve_unit(province.code)


@pytest.mark.parametrize(
    "text", ["provinces", "1", "123", "1234", "000.00.01", "000.00.01.h37", "Ninh Bình"]
)
def test_a_unit_the_document_does_not_describe_is_refused_as_invalid(text):
    """What ``UNIT_PATTERN`` (the API document) refuses, ``resolve_unit`` refuses with
    ``invalid_unit``, before any lookup."""
    assert re.fullmatch(UNIT_PATTERN, text) is None
    with pytest.raises(InvalidUnit):
        resolve_unit(text)


# Codes no unit has: the factories number provinces 90–99 and agencies .H90 or .H37.
@pytest.mark.parametrize("text", ["00", "12345", "999.99.99.Z99"])
def test_a_unit_the_document_describes_is_looked_up(text):
    assert re.fullmatch(UNIT_PATTERN, text) is not None
    with pytest.raises(ReportUnitNotFound):
        resolve_unit(text)
