"""Which agencies receive a procedure's dossiers: the rule of ``sen.dossiers.receiving``.

Each case is asked three ways (the predicate, the citizen's list and the desk's SQL
condition), so that the Python and SQL forms of the rule cannot drift apart.
"""

from types import SimpleNamespace

import pytest
from django.db.models import Exists, OuterRef

from sen.catalog.models import Procedure
from sen.catalog.selectors import procedure_get
from sen.core.models import Agency, AgencyKind
from sen.core.tests.factories import AgencyFactory, CommuneFactory
from sen.dossiers.receiving import (
    implements,
    receives,
    receiving_agencies,
    receiving_implementations,
)
from sen.dossiers.tests.factories import birth_procedure

pytestmark = pytest.mark.django_db


def commune(code: str, name: str, *, is_active: bool = True) -> Agency:
    agency: Agency = AgencyFactory(
        code=code,
        name=name,
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=CommuneFactory(),
        is_active=is_active,
    )
    return agency


def close(agency: Agency) -> None:
    agency.is_active = False
    agency.save(update_fields=["is_active"])


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """A department, a closed department, two open communes and a closed one; a procedure
    naming the departments and one of "every commune committee"."""
    justice = AgencyFactory(code="000.00.12.H37", name="Sở Tư pháp")
    # Named while open (the catalog names only open agencies), closed since.
    health = AgencyFactory(code="000.00.13.H37", name="Sở Y tế")
    gia_vien = commune("000.21.37.H37", "UBND xã Gia Viễn")
    gia_sinh = commune("000.21.38.H37", "UBND xã Gia Sinh")
    old = commune("000.21.39.H37", "UBND xã Cũ")
    named = birth_procedure(agencies=[justice, health], code="1.000001")
    every_commune = birth_procedure(
        agencies=[], code="1.000002", implementations=[{"level": "commune"}]
    )
    close(health)
    close(old)
    # Read as the pages read them: current version, implementations and agencies loaded.
    return SimpleNamespace(
        justice=justice,
        health=health,
        gia_vien=gia_vien,
        gia_sinh=gia_sinh,
        old=old,
        named=procedure_get(code=named.code),
        every_commune=procedure_get(code=every_commune.code),
    )


def received_through_sql(procedure: Procedure, agency: Agency) -> bool:
    implementations = receiving_implementations(agencies=[agency])
    found = Procedure.objects.filter(
        Exists(implementations.filter(procedure=OuterRef("pk"))), pk=procedure.pk
    )
    return found.exists()


def asked_three_ways(procedure: Procedure, agency: Agency) -> tuple[bool, bool, bool]:
    return (
        receives(procedure=procedure, agency=agency),
        agency in receiving_agencies(procedure=procedure),
        received_through_sql(procedure, agency),
    )


# --- The rule -----------------------------------------------------------------------------------


def test_a_named_implementing_agency_receives(world):
    assert asked_three_ways(world.named, world.justice) == (True, True, True)


def test_an_agency_the_procedure_does_not_name_does_not_receive(world):
    # Not even a commune committee: the procedure names its agencies, not "every commune".
    assert asked_three_ways(world.named, world.gia_vien) == (False, False, False)
    assert implements(procedure=world.named, agency=world.gia_vien) is False


def test_a_named_agency_that_stopped_operating_no_longer_receives(world):
    assert implements(procedure=world.named, agency=world.health) is True
    assert asked_three_ways(world.named, world.health) == (False, False, False)


def test_every_commune_committee_receives_a_procedure_of_every_commune(world):
    assert asked_three_ways(world.every_commune, world.gia_vien) == (True, True, True)
    assert asked_three_ways(world.every_commune, world.gia_sinh) == (True, True, True)


def test_an_agency_that_is_not_a_commune_committee_does_not_receive_it(world):
    assert asked_three_ways(world.every_commune, world.justice) == (False, False, False)
    assert implements(procedure=world.every_commune, agency=world.justice) is False


def test_an_inactive_commune_committee_does_not_receive_it(world):
    assert implements(procedure=world.every_commune, agency=world.old) is True
    assert asked_three_ways(world.every_commune, world.old) == (False, False, False)


# --- The lists ----------------------------------------------------------------------------------


def test_the_citizen_is_offered_the_open_named_agencies_without_a_query(
    world, django_assert_num_queries
):
    with django_assert_num_queries(0):
        agencies = receiving_agencies(procedure=world.named)

    assert agencies == [world.justice]


def test_the_citizen_is_offered_every_open_commune_by_name_in_one_query(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        agencies = receiving_agencies(procedure=world.every_commune)

    assert agencies == [world.gia_sinh, world.gia_vien]


def test_a_commune_named_by_a_procedure_of_every_commune_is_offered_once(world):
    procedure = birth_procedure(
        agencies=[],
        code="1.000003",
        implementations=[
            {"level": "commune", "agency": world.gia_vien.code},
            {"level": "commune"},
        ],
    )

    agencies = receiving_agencies(procedure=procedure_get(code=procedure.code))

    assert agencies == [world.gia_sinh, world.gia_vien]


def test_a_desk_finds_the_procedures_its_open_agencies_receive(world):
    def received_by(*agencies: Agency) -> list[str]:
        implementations = receiving_implementations(agencies=agencies)
        procedures = Procedure.objects.filter(
            Exists(implementations.filter(procedure=OuterRef("pk")))
        )
        return sorted(procedures.values_list("code", flat=True))

    assert received_by(world.justice, world.gia_vien) == ["1.000001", "1.000002"]
    assert received_by(world.gia_sinh) == ["1.000002"]
    assert received_by(world.health, world.old) == []
    assert received_by() == []
