"""Reads of the core app: administrative units, who may act for which agency, the audit log.

The access selectors (``officer_agencies``, ``officer_has_role``, ``officer_has_any_role``,
``officer_role_pairs``, ``agencies_managed_by``, ``agencies_visible_to``) are the base of
per-object authorization: every other app asks them, never the membership table, whether an
officer may see or act for an agency.

Two facts behind them are read at most once per user object: the user's active
memberships (``officer_roles``, ``officer_role_pairs``) and the provinces they administer
(``province_admin_unit_ids``). As Django's ``ModelBackend`` keeps permissions on the user
(``_perm_cache``), the answers are kept on the user instance, and a request loads its user
afresh, so they live for one request. A write that changes them calls
``forget_access`` on the users it touches (see ``sen.core.services``).
"""

from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from sen.core.errors import InvalidUnitLevel, UnitNotFound
from sen.core.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AuditEntry,
    Membership,
    Role,
    UnitLevel,
    User,
)
from sen.core.text import fold

AnyUser = AbstractBaseUser | AnonymousUser

# Provinces first, then districts, then communes.
_LEVEL_RANK = Case(
    When(level=UnitLevel.PROVINCE, then=Value(0)),
    When(level=UnitLevel.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_CODE_WIDTH = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}


# --- Administrative units ------------------------------------------------------------------


def _check_level(level: str) -> UnitLevel:
    if level not in UnitLevel.values:
        message = _("Cấp đơn vị hành chính không hợp lệ: %(level)s.")
        raise InvalidUnitLevel(message % {"level": level})
    return UnitLevel(level)


def units_loaded() -> bool:
    """Return whether the current administrative units are in the database."""
    return AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, is_legacy=False).exists()


def unit_search(
    *,
    query: str = "",
    level: str | None = None,
    parent: str | None = None,
    include_legacy: bool = False,
) -> QuerySet[AdministrativeUnit]:
    """Return units matching the text and filters, each annotated with ``parent_code``.

    ``query`` matches names with or without diacritics: every word of it must begin a word
    of the name ("phu ly" finds "Phường Phủ Lý", and "Phường Lý Thường Kiệt" after it).
    Names holding the query as a phrase come first; then current before legacy units,
    provinces before districts before communes, by code. A query of digits matches the
    unit code instead, with or without leading zeros. ``parent`` is the code of the parent
    unit (a province for current communes). Legacy units are left out unless
    ``include_legacy``.
    """
    units = AdministrativeUnit.objects.annotate(parent_code=F("parent__code"))
    if not include_legacy:
        units = units.filter(is_legacy=False)
    if level:
        units = units.filter(level=_check_level(level))
    if parent:
        units = units.filter(parent__code=parent.strip())
    text = query.strip()
    if text.isdigit():
        units = units.filter(
            Q(level=UnitLevel.PROVINCE, code=text.zfill(2))
            | Q(level=UnitLevel.DISTRICT, code=text.zfill(3))
            | Q(level=UnitLevel.COMMUNE, code=text.zfill(5))
        )
    elif fold(text):
        phrase = fold(text)
        # A leading space makes " word" match at the start of any word of the name.
        units = units.annotate(padded=Concat(Value(" "), "folded_name"))
        for word in phrase.split():
            units = units.filter(padded__contains=f" {word}")
        rank = Case(When(padded__contains=f" {phrase}", then=Value(0)), default=Value(1))
        return units.order_by(rank, "is_legacy", _LEVEL_RANK, "code")
    return units.order_by("is_legacy", _LEVEL_RANK, "code")


def unit_get(*, level: str, code: str, legacy: bool = False) -> AdministrativeUnit:
    """Return the unit of this level and code, current unless ``legacy``.

    Raise ``InvalidUnitLevel`` for an unknown level, ``UnitNotFound`` when there is none.
    The unit comes with its parent and annotated with ``parent_code``.
    """
    checked = _check_level(level)
    text = code.strip()
    if text.isdigit():
        text = text.zfill(_CODE_WIDTH[checked])
    try:
        units = AdministrativeUnit.objects.select_related("parent")
        return units.annotate(parent_code=F("parent__code")).get(
            level=checked, code=text, is_legacy=legacy
        )
    except AdministrativeUnit.DoesNotExist:
        message = _("Không tìm thấy đơn vị hành chính %(level)s mã %(code)s.")
        raise UnitNotFound(message % {"level": checked.label, "code": code}) from None


def unit_successors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Return the current units that took over a legacy unit, following links transitively.

    A current unit has no successors: the answer is ``[]`` without a query. A legacy
    commune's successor is its commune when known, otherwise its current province (see
    ``sen.core.unitdata``).
    """
    if not unit.is_legacy:
        return []
    found: list[AdministrativeUnit] = []
    seen = {unit.pk}
    frontier = [unit]
    while frontier:
        step = AdministrativeUnit.objects.filter(predecessors__in=frontier).select_related("parent")
        frontier = []
        for successor in step:
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            (frontier if successor.is_legacy else found).append(successor)
    found.sort(key=lambda u: (list(_CODE_WIDTH).index(UnitLevel(u.level)), u.code))
    return found


def unit_predecessors(unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """Return the legacy units of the same level that a current unit took over, by code.

    Legacy communes whose exact successor is unknown point at their current province but
    are not listed as its predecessors: the province's predecessors are former provinces.
    """
    if unit.is_legacy:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(
        successors=unit, level=unit.level, is_legacy=True
    ).order_by("code")


def province_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    """Return the province a unit lies in (the unit itself for a province)."""
    node = unit
    while node.level != UnitLevel.PROVINCE and node.parent is not None:
        node = node.parent
    return node


# --- Who may act for which agency ---------------------------------------------------------


def _is_officer(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def _roles(user: AnyUser, *roles: str) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user_id=cast(int, user.pk), is_active=True)
    return memberships.filter(role__in=roles) if roles else memberships


# The attribute of a user object holding what the access selectors read about them: a dict
# with the user's pk (so that nothing is answered for another account) and one entry per fact.
_ACCESS_MEMO = "_sen_access_memo"


def _memo(user: AnyUser) -> dict[str, Any]:
    memo = getattr(user, _ACCESS_MEMO, None)
    if not isinstance(memo, dict) or memo.get("pk") != user.pk:
        memo = {"pk": user.pk}
        setattr(user, _ACCESS_MEMO, memo)
    return memo


def forget_access(*users: AnyUser | None) -> None:
    """Drop what the access selectors remember about ``users``, so that the next question
    reads the database. Call it after changing their memberships or an agency they work
    for, in the same request."""
    for user in users:
        if user is not None and hasattr(user, _ACCESS_MEMO):
            delattr(user, _ACCESS_MEMO)


def _memberships(user: AnyUser) -> frozenset[tuple[int, str, bool]]:
    """Return the (agency id, role, agency active) triples of ``user``'s active memberships:
    one query on the first call for a user object, none after."""
    memo = _memo(user)
    if "memberships" not in memo:
        rows = _roles(user).values_list("agency_id", "role", "agency__is_active")
        memo["memberships"] = frozenset(rows)
    return cast(frozenset[tuple[int, str, bool]], memo["memberships"])


def officer_roles(user: AnyUser | None) -> set[str]:
    """Return the roles ``user`` holds now in any active agency (none for a citizen). One
    query, shared with ``officer_role_pairs``; what the pages offer an officer (the
    workspace, periodic reports) starts here."""
    if user is None or not _is_officer(user):
        return set()
    return {role for _agency, role, agency_active in _memberships(user) if agency_active}


def _province_roles(user: AnyUser) -> dict[str, frozenset[int]]:
    """Return the provinces ``user`` administers (``"administers"``) and those whose
    people's committee they lead (``"leads"``), from their roles in active agencies: one
    query on the first call for a user object, none after."""
    memo = _memo(user)
    if "provinces" not in memo:
        rows = (
            _roles(user, Role.PROVINCE_ADMIN, Role.LEADER)
            .filter(agency__is_active=True)
            .values_list(
                "role",
                "agency__kind",
                "agency__unit_id",
                "agency__unit__level",
                "agency__unit__parent_id",
            )
        )
        administers, leads = set(), set()
        for role, kind, unit_id, level, parent_id in rows:
            if role == Role.PROVINCE_ADMIN:
                administers.add(unit_id if level == UnitLevel.PROVINCE else parent_id)
            # The rule of ``province_leadership``, on the rows in hand.
            elif kind == AgencyKind.PROVINCIAL_COMMITTEE and level == UnitLevel.PROVINCE:
                leads.add(unit_id)
        memo["provinces"] = {
            "administers": frozenset(pk for pk in administers if pk is not None),
            "leads": frozenset(leads),
        }
    return cast(dict[str, frozenset[int]], memo["provinces"])


def province_admin_unit_ids(user: AnyUser | None) -> set[int]:
    """Return the ids of the provinces ``user`` administers (a provincial administrator
    role in an active agency of the province, or of one of its communes). One query on the
    first call for a user object, shared with ``province_leader_unit_ids``, none after."""
    if user is None or not _is_officer(user):
        return set()
    return set(_province_roles(user)["administers"])


def province_leader_unit_ids(user: AnyUser | None) -> set[int]:
    """Return the ids of the provinces whose people's committee ``user`` leads (a leader
    role in the active provincial committee): the province's leaders, who read its figures.
    The query of ``province_admin_unit_ids``, none if it was made."""
    if user is None or not _is_officer(user):
        return set()
    return set(_province_roles(user)["leads"])


def province_leadership(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the active provincial committees ``user`` leads, whose units are the provinces
    of ``province_leader_unit_ids``: for a caller that asks within a query of its own
    (``.values("unit_id")``) rather than reading them first."""
    return officer_agencies(user, Role.LEADER).filter(
        kind=AgencyKind.PROVINCIAL_COMMITTEE, unit__level=UnitLevel.PROVINCE
    )


def officer_agencies(user: AnyUser | None, *roles: str) -> QuerySet[Agency]:
    """Return the active agencies where ``user`` holds an active role (one of ``roles`` if
    given), in one query."""
    if user is None or not _is_officer(user):
        return Agency.objects.none()
    memberships = _roles(user, *roles)
    return Agency.objects.filter(is_active=True, pk__in=memberships.values("agency_id"))


def officer_has_role(user: AnyUser | None, agency: Agency, role: str) -> bool:
    """Return whether ``user`` holds ``role`` in ``agency`` now (active user, agency and
    role). A provincial administrator does not hold the other roles implicitly."""
    return officer_has_any_role(user, agency, (role,))


def officer_has_any_role(user: AnyUser | None, agency: Agency, roles: Iterable[str]) -> bool:
    """Return whether ``user`` holds one of ``roles`` in ``agency`` now, as
    ``officer_has_role`` asks for one. One query; none when the answer is plainly no."""
    wanted = tuple(roles)
    # An empty tuple would make ``_roles`` match every role: no role asked, none held.
    if not wanted or user is None or not _is_officer(user) or not agency.is_active:
        return False
    return _roles(user, *wanted).filter(agency_id=agency.pk).exists()


def officer_role_pairs(user: AnyUser | None) -> frozenset[tuple[int, str]]:
    """Return the (agency id, role) pairs of ``user``'s active memberships, in one query
    shared with ``officer_roles``; none, without a query, for nobody, a citizen or an
    inactive user.

    For a caller asking several ``officer_has_role`` questions at once: ``user`` holds
    ``role`` in ``agency`` when ``agency.is_active`` and ``(agency.pk, role)`` is among the
    pairs, as ``officer_has_role`` answers.
    """
    if user is None or not _is_officer(user):
        return frozenset()
    return frozenset((agency, role) for agency, role, _active in _memberships(user))


def role_is_held(agency: Agency, role: str) -> bool:
    """Return whether an active officer holds ``role`` in ``agency``."""
    return Membership.objects.filter(
        agency=agency, role=role, is_active=True, user__is_active=True
    ).exists()


def agencies_managed_by(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies ``user`` may administer.

    A superuser: every agency. A provincial administrator: every agency of their province
    (provincial agencies and commune committees). An agency administrator: their agencies.
    Inactive agencies are included, so that they can be reactivated.
    """
    if user is None or not _is_officer(user):
        return Agency.objects.none()
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    provinces = province_admin_unit_ids(user)
    return Agency.objects.filter(
        Q(pk__in=_roles(user, Role.AGENCY_ADMIN).values("agency_id"))
        | Q(unit_id__in=provinces)
        | Q(unit__parent_id__in=provinces)
    )


def agency_is_managed_by(user: AnyUser | None, agency: Agency) -> bool:
    """Return whether ``user`` may administer ``agency`` (which may not be saved yet)."""
    if user is None or not _is_officer(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    if province_of(agency.unit).pk in province_admin_unit_ids(user):
        return True
    return (
        agency.pk is not None
        and _roles(user, Role.AGENCY_ADMIN).filter(agency_id=agency.pk).exists()
    )


def agencies_visible_to(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies ``user`` may see: those they administer and those they work in."""
    if user is None or not _is_officer(user):
        return Agency.objects.none()
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(
        Q(pk__in=agencies_managed_by(user).values("pk"))
        | Q(pk__in=officer_agencies(user).values("pk"))
    )


def accounts_managed_by(user: AnyUser | None) -> QuerySet[User]:
    """Return the accounts ``user`` may change in the admin: details, locking, roles in
    the agencies they administer, and the password.

    A superuser: every account. Another administrator: the officers with a role, held or
    revoked, in an agency they administer, their own account among them; never a
    superuser or other staff, and never an officer who holds a role in an agency they do
    not administer: setting that officer's password would give them the officer's work
    there, so the account is left to the superuser. A revoked role grants nothing and is
    kept only as a record, so an officer moved from another agency is not held back by
    it; a role in a closed agency counts, since reopening the agency gives it back.
    """
    if user is None or not _is_officer(user):
        return User.objects.none()
    if getattr(user, "is_superuser", False):
        return User.objects.all()
    managed = agencies_managed_by(user)
    serves_elsewhere = Membership.objects.filter(user=OuterRef("pk"), is_active=True).exclude(
        agency__in=managed
    )
    # Their own account stays theirs, whatever else they serve or whether they are staff.
    others = ~Q(pk=user.pk)
    return User.objects.filter(
        pk__in=Membership.objects.filter(agency__in=managed).values("user_id")
    ).exclude(Q(is_superuser=True) | others & (Q(is_staff=True) | Exists(serves_elsewhere)))


# --- Audit log -----------------------------------------------------------------------------


def audit_for(*, target_type: str, target_key: str) -> QuerySet[AuditEntry]:
    """Return the audit entries about one object, newest first."""
    return (
        AuditEntry.objects.filter(target_type=target_type, target_key=target_key)
        .select_related("actor")
        .order_by("-at", "-id")
    )
