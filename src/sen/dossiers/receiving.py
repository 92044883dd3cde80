"""Which agencies receive a procedure's dossiers (cơ quan tiếp nhận hồ sơ): the rule, once.

An agency receives dossiers of a procedure when it is **active** and either

- one of the procedure's named implementing agencies (``Implementation.agency``), or
- a commune committee (``AgencyKind.COMMUNE_COMMITTEE``), when the procedure has an
  implementation without agency, which the catalog reads as "every commune committee"
  (mọi UBND cấp xã).

An inactive agency never receives, not even one the catalog names: it has stopped
operating, and a new dossier must go to an agency that will handle it. The submission
service refuses it ("đã ngừng hoạt động"), the citizen is not offered it, and its desk
enters nothing: an officer whose only one-stop agency is an inactive commune committee has
no desk at all (``sen.core.selectors.officer_agencies`` lists active agencies only), so the
desk intake pages refuse them with 403 as they refuse an officer without the one-stop role;
and were such an agency passed here, ``receives`` would be false and
``receiving_implementations`` empty.

``receives`` is the rule in Python, ``receiving_agencies`` and ``receiving_implementations``
the same rule in SQL; the tests in ``tests/test_receiving.py`` hold them to each other.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from sen.catalog.models import Implementation, Procedure
from sen.core.models import Agency, AgencyKind


def implements(*, procedure: Procedure, agency: Agency) -> bool:
    """Return whether the catalog has ``agency`` implement ``procedure``, active or not.

    The rule without its activity condition, so that a caller can tell "does not handle
    this procedure" from "has stopped operating"; ask ``receives`` for the whole rule.
    Reads the procedure's implementations as loaded (no query when prefetched) and only
    their ``agency_id``, so a procedure cached with stale agencies still answers right.
    """
    for implementation in procedure.implementations.all():
        if implementation.agency_id == agency.pk:
            return True
        if implementation.agency_id is None and agency.kind == AgencyKind.COMMUNE_COMMITTEE:
            return True
    return False


def receives(*, procedure: Procedure, agency: Agency) -> bool:
    """Return whether ``agency`` receives dossiers of ``procedure`` (the rule above).

    Trusts ``agency.is_active`` as given: pass an agency read fresh.
    """
    return agency.is_active and implements(procedure=procedure, agency=agency)


def receiving_agencies(*, procedure: Procedure) -> list[Agency]:
    """Return the agencies that receive dossiers of ``procedure``, by name then code.

    The active named agencies come from the procedure's prefetched implementations, with
    their agencies loaded (as ``procedure_get`` does); a procedure of "every commune
    committee" adds the active commune committees, in one query.
    """
    implementations = list(procedure.implementations.all())
    named = {item.agency.pk: item.agency for item in implementations if item.agency}
    agencies = [agency for agency in named.values() if agency.is_active]
    if any(item.agency_id is None for item in implementations):
        communes = Agency.objects.filter(
            ~Q(pk__in=list(named)), kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True
        )
        agencies += list(communes)
    return sorted(agencies, key=lambda agency: (agency.name, agency.code))


def receiving_implementations(*, agencies: Iterable[Agency]) -> QuerySet[Implementation]:
    """Return the implementations through which one of ``agencies`` receives.

    Those naming one of the active ``agencies`` and, when one of them is a commune
    committee, those of "every commune committee". Filter it by procedure (for example
    ``Exists(… .filter(procedure=OuterRef("pk")))``) to find the procedures they receive.
    Trusts ``is_active`` and ``kind`` as given; no query until evaluated.
    """
    active = [agency for agency in agencies if agency.is_active]
    if not active:
        return Implementation.objects.none()
    condition = Q(agency__in=active)
    if any(agency.kind == AgencyKind.COMMUNE_COMMITTEE for agency in active):
        condition |= Q(agency__isnull=True)
    return Implementation.objects.filter(condition)


__all__ = ["implements", "receives", "receiving_agencies", "receiving_implementations"]
