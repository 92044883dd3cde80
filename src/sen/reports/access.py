"""Who may read which indicators, and the units indicators are computed for.

A unit is an agency (by its code, ``000.00.01.H37``), a commune (five digits, the commune of
the receiving agencies) or a province (two digits, or ``province`` for the one province the
installation serves). Reading rules:

- an officer holding any active role in an agency reads that agency;
- a leader of an agency of a commune reads the commune and its agencies;
- a provincial administrator, or a leader of the provincial people's committee, reads the
  province, its communes and all its agencies;
- a superuser reads everything. Nobody else reads anything (``permission_denied``).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from sen.core.errors import NotAllowed
from sen.core.models import AdministrativeUnit, Agency, AgencyKind, Role, UnitLevel
from sen.core.selectors import (
    AnyUser,
    officer_agencies,
    officer_roles,
    province_admin_unit_ids,
)
from sen.reports.errors import InvalidUnit, ReportUnitNotFound

_AGENCY_CODE = r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}"
_COMMUNE_CODE = r"[0-9]{5}"
_PROVINCE_CODE = r"[0-9]{2}"
_AGENCY = re.compile(rf"^{_AGENCY_CODE}$")
_COMMUNE = re.compile(rf"^{_COMMUNE_CODE}$")
_PROVINCE = re.compile(rf"^{_PROVINCE_CODE}$")
PROVINCE_KEYWORD = "province"
# Every unit ``resolve_unit`` reads, as one pattern (JSON Schema's, for the API document);
# blank text, which it reads as the province, aside.
UNIT_PATTERN = rf"^({PROVINCE_KEYWORD}|{_PROVINCE_CODE}|{_COMMUNE_CODE}|{_AGENCY_CODE})$"


@dataclass(frozen=True)
class ReportUnit:
    """What a report covers: the unit's kind, code and name, and the agencies it sums."""

    kind: str  # "agency", "commune" or "province"
    code: str
    name: str
    agency_ids: tuple[int, ...]
    unit_id: int  # the administrative unit (the agency's own for an agency)
    province_id: int


@dataclass(frozen=True)
class ReaderScope:
    """The units one user may read."""

    everything: bool
    provinces: frozenset[int]
    communes: frozenset[int]
    agencies: Mapping[int, str]  # the agencies the user holds a role in: pk → code

    def may_read(self, unit: ReportUnit) -> bool:
        if self.everything or unit.province_id in self.provinces:
            return True
        if unit.kind == "province":
            return False
        if unit.kind == "commune":
            return unit.unit_id in self.communes
        return unit.unit_id in self.communes or unit.agency_ids[0] in self.agencies


def reader_scope(user: AnyUser | None) -> ReaderScope:
    """Return what ``user`` may read (two small queries)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ReaderScope(False, frozenset(), frozenset(), {})
    if getattr(user, "is_superuser", False):
        return ReaderScope(True, frozenset(), frozenset(), {})
    provinces = set(province_admin_unit_ids(user))
    communes = set()
    agencies = {}
    # The agencies and whether the user leads each, in one read.
    leads = Exists(officer_agencies(user, Role.LEADER).filter(pk=OuterRef("pk")))
    rows = officer_agencies(user).annotate(leads=leads)
    for pk, code, kind, unit_id, level, leader in rows.values_list(
        "pk", "code", "kind", "unit_id", "unit__level", "leads"
    ):
        agencies[pk] = code
        if not leader:
            continue
        if level == UnitLevel.COMMUNE:
            communes.add(unit_id)
        elif level == UnitLevel.PROVINCE and kind == AgencyKind.PROVINCIAL_COMMITTEE:
            provinces.add(unit_id)
    return ReaderScope(False, frozenset(provinces), frozenset(communes), agencies)


def reads_any_unit(user: AnyUser | None) -> bool:
    """Return whether ``user`` may open the dashboard at all: whether the rules above give
    them a unit to read. A superuser, or anyone holding an active role in an active agency
    (who reads at least that agency). No query but the roles, which the user object
    remembers for the request (ADR 0014): the main menu asks on every page."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or bool(officer_roles(user))


def _province_agencies(province: AdministrativeUnit) -> tuple[int, ...]:
    rows = Agency.objects.filter(Q(unit=province) | Q(unit__parent=province)).order_by("pk")
    return tuple(rows.values_list("pk", flat=True))


def resolve_unit(text: str) -> ReportUnit:
    """Return the unit written ``text`` (blank: the province, as ``PROVINCE_KEYWORD``);
    raise ``InvalidUnit`` or ``ReportUnitNotFound``."""
    code = (text or "").strip() or PROVINCE_KEYWORD
    if _AGENCY.match(code):
        agency = Agency.objects.select_related("unit").filter(code=code).first()
        if agency is None:
            raise ReportUnitNotFound(_("Không tìm thấy cơ quan mã %(code)s.") % {"code": code})
        unit = agency.unit
        province_id = unit.pk if unit.level == UnitLevel.PROVINCE else unit.parent_id
        return ReportUnit(
            "agency", agency.code, agency.name, (agency.pk,), unit.pk, province_id or unit.pk
        )
    if _COMMUNE.match(code):
        commune = AdministrativeUnit.objects.filter(
            level=UnitLevel.COMMUNE, code=code, is_legacy=False
        ).first()
        if commune is None:
            raise ReportUnitNotFound(_("Không tìm thấy xã, phường mã %(code)s.") % {"code": code})
        ids = tuple(Agency.objects.filter(unit=commune).order_by("pk").values_list("pk", flat=True))
        return ReportUnit(
            "commune", commune.code, commune.name, ids, commune.pk, commune.parent_id or 0
        )
    if code == PROVINCE_KEYWORD or _PROVINCE.match(code):
        provinces = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, is_legacy=False)
        province: AdministrativeUnit | None
        if code == PROVINCE_KEYWORD:
            served = provinces.filter(
                Q(agencies__isnull=False) | Q(children__agencies__isnull=False)
            ).distinct()
            found = list(served[:2])
            if len(found) != 1:
                raise InvalidUnit(
                    _("Hệ thống phục vụ nhiều tỉnh; hãy ghi mã tỉnh (hai chữ số).")
                    if found
                    else _("Chưa có cơ quan nào thuộc tỉnh.")
                )
            province = found[0]
        else:
            province = provinces.filter(code=code).first()
        if province is None:
            raise ReportUnitNotFound(_("Không tìm thấy tỉnh mã %(code)s.") % {"code": code})
        return ReportUnit(
            "province",
            province.code,
            province.name,
            _province_agencies(province),
            province.pk,
            province.pk,
        )
    raise InvalidUnit(
        _(
            "Đơn vị không hợp lệ: ghi mã cơ quan (000.00.01.H37), mã xã (5 chữ số), "
            "mã tỉnh (2 chữ số) hoặc “province”."
        )
    )


def unit_for_reader(
    *, text: str, user: AnyUser | None, scope: ReaderScope | None = None
) -> ReportUnit:
    """Return the unit written ``text`` if ``user`` may read its indicators.

    ``scope`` is ``user``'s reader scope when the caller has it already. Raise
    ``InvalidUnit``, ``ReportUnitNotFound`` or ``NotAllowed`` (``permission_denied``).
    """
    unit = resolve_unit(text)
    if scope is None:
        scope = reader_scope(user)
    if not scope.may_read(unit):
        raise NotAllowed(_("Bạn không có quyền xem chỉ số của %(name)s.") % {"name": unit.name})
    return unit
