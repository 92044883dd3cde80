"""Writes of the core app: the audit log, administrative units, agencies, officers, roles.

Every write runs in one transaction with its audit entry. ``actor=None`` means the system
itself (a management command, the demo seed); otherwise the actor must be allowed to make
the change (``sen.core.selectors.agency_is_managed_by``) or ``NotAllowed`` is raised.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from sen.core import unitdata
from sen.core.errors import (
    AgencyCodeImmutable,
    AgencyCodeTaken,
    AgencyHasActiveChildren,
    AgencyInactive,
    AgencyInUse,
    AgencyNameRequired,
    AgencyParentInvalid,
    AgencyUnitLegacy,
    AgencyUnitLevelMismatch,
    FullNameRequired,
    InvalidAgencyCode,
    InvalidAgencyKind,
    InvalidEmail,
    InvalidRole,
    InvalidUsername,
    MembershipExists,
    MembershipNotFound,
    NotAllowed,
    UserInactive,
    UsernameTaken,
    WeakPassword,
)
from sen.core.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AuditEntry,
    Membership,
    Role,
    UnitLevel,
    User,
    agency_code_validator,
)
from sen.core.selectors import (
    accounts_managed_by,
    agency_is_managed_by,
    forget_access,
    province_admin_unit_ids,
    province_of,
    role_is_held,
)
from sen.core.signals import agency_closing, roles_vacant
from sen.core.text import fold

# Rows per insert when one read is recorded against many objects.
AUDIT_BATCH_SIZE = 1000


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_key: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry; call it inside the transaction of the change it records.

    ``target`` names the object by its business key (``audit_key`` when the model has one,
    otherwise its primary key); ``target_type``/``target_key`` do so explicitly.
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_key = str(getattr(target, "audit_key", target.pk))
    label = actor.get_username() if actor is not None else "system"
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        target_type=target_type,
        target_key=target_key,
        data=data or {},
    )


def audit_record_each(
    *,
    actor: User | None,
    action: str,
    targets: Sequence[models.Model],
    data: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry per object of ``targets``, all alike, in few inserts: a list
    read at once (a register) is recorded as a read of each object it shows."""
    label = actor.get_username() if actor is not None else "system"
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=actor,
                actor_label=label,
                action=action,
                target_type=target._meta.label_lower,
                target_key=str(getattr(target, "audit_key", target.pk)),
                data=data or {},
            )
            for target in targets
        ),
        batch_size=AUDIT_BATCH_SIZE,
    )


# --- Administrative units ------------------------------------------------------------------


@dataclass
class UnitLoadReport:
    """What ``units_load`` changed."""

    created: int = 0
    updated: int = 0
    links_added: int = 0
    links_removed: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.links_added or self.links_removed)


def units_load(
    *,
    province_codes: list[str] | None = None,
    successor_pairs: list[tuple[str, str]] | None = None,
    actor: User | None = None,
) -> UnitLoadReport:
    """Create or update the administrative units and their successor links from the data.

    Idempotent: a second run with the same data changes nothing and writes no audit entry.
    Units in the database that the data no longer has are kept (agencies and addresses may
    point at them). ``province_codes`` limits the load to some current provinces and the
    former provinces they absorbed; ``successor_pairs`` completes the commune mapping (see
    ``sen.core.unitdata``). Uses bulk queries: a few seconds for the whole country.
    """
    data = unitdata.unit_data(province_codes=province_codes, extra_pairs=successor_pairs or ())
    report = UnitLoadReport(warnings=list(data.warnings))
    with transaction.atomic():
        ids: dict[unitdata.UnitKey, int] = {}
        for level in unitdata.LEVELS:
            _sync_level(level, [row for row in data.rows if row.level == level], ids, report)
        _sync_successors(data, ids, report)
        if report.changed:
            audit_record(
                actor=actor,
                action="core.units.loaded",
                target_type="core.administrativeunit",
                target_key=",".join(sorted(province_codes)) if province_codes else "*",
                data={
                    "created": report.created,
                    "updated": report.updated,
                    "links_added": report.links_added,
                    "links_removed": report.links_removed,
                },
            )
    return report


def _sync_level(
    level: str,
    rows: list[unitdata.UnitRow],
    ids: dict[unitdata.UnitKey, int],
    report: UnitLoadReport,
) -> None:
    """Create and update the units of one level; record their ids in ``ids``."""
    existing = {
        (unit.level, unit.code, unit.is_legacy): unit
        for unit in AdministrativeUnit.objects.filter(level=level).only(
            "id", "level", "code", "is_legacy", "name", "folded_name", "division_type", "parent"
        )
    }
    to_create: list[AdministrativeUnit] = []
    to_update: list[AdministrativeUnit] = []
    for row in rows:
        parent_key = row.parent_key
        parent_id = ids[parent_key] if parent_key is not None else None
        values = {
            "name": row.name,
            "folded_name": fold(row.name),
            "division_type": row.division_type,
            "parent_id": parent_id,
        }
        unit = existing.get(row.key)
        if unit is None:
            unit = AdministrativeUnit(level=row.level, code=row.code, is_legacy=row.is_legacy)
            for name, value in values.items():
                setattr(unit, name, value)
            to_create.append(unit)
        elif any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            to_update.append(unit)
    if to_create:
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        AdministrativeUnit.objects.bulk_update(
            to_update, ["name", "folded_name", "division_type", "parent"], batch_size=500
        )
    report.created += len(to_create)
    report.updated += len(to_update)
    # Re-read rather than trust bulk_create to set primary keys on every backend.
    ids.update(
        ((lvl, code, legacy), pk)
        for pk, lvl, code, legacy in AdministrativeUnit.objects.filter(level=level).values_list(
            "id", "level", "code", "is_legacy"
        )
    )


def _sync_successors(
    data: unitdata.UnitData, ids: dict[unitdata.UnitKey, int], report: UnitLoadReport
) -> None:
    """Make the successor links of the loaded legacy units exactly those of the data."""
    link = AdministrativeUnit.successors.through
    sources = {ids[key] for key in data.successors}
    wanted: set[tuple[int, int]] = set()
    for key, targets in data.successors.items():
        for target in targets:
            if target in ids:
                wanted.add((ids[key], ids[target]))
            else:
                report.warnings.append(f"{key}: successor {target} is not loaded")
    present = {
        (source, target): pk
        for pk, source, target in link.objects.filter(
            from_administrativeunit__is_legacy=True
        ).values_list("id", "from_administrativeunit_id", "to_administrativeunit_id")
    }
    stale = [pk for pair, pk in present.items() if pair[0] in sources and pair not in wanted]
    missing = sorted(wanted - present.keys())
    if stale:
        link.objects.filter(pk__in=stale).delete()
    if missing:
        link.objects.bulk_create(
            [
                link(from_administrativeunit_id=source, to_administrativeunit_id=target)
                for source, target in missing
            ],
            batch_size=2000,
        )
    report.links_added += len(missing)
    report.links_removed += len(stale)


# --- Agencies ------------------------------------------------------------------------------

# The level of unit each kind of agency serves; kinds not listed may serve either level.
AGENCY_KIND_LEVEL = {
    AgencyKind.PROVINCIAL_COMMITTEE: UnitLevel.PROVINCE,
    AgencyKind.DEPARTMENT: UnitLevel.PROVINCE,
    AgencyKind.PUBLIC_SERVICE_CENTRE: UnitLevel.PROVINCE,
    AgencyKind.COMMUNE_COMMITTEE: UnitLevel.COMMUNE,
}

_AGENCY_FIELDS = ("name", "kind", "unit", "parent", "email", "phone", "address", "is_active")
# Changes an agency's own administrator may make; the rest need a provincial administrator.
_AGENCY_CONTACT_FIELDS = {"name", "email", "phone", "address"}


def agency_validate(
    *,
    code: str,
    name: str,
    kind: str,
    unit: AdministrativeUnit,
    parent: Agency | None,
    email: str = "",
    instance: Agency | None = None,
) -> None:
    """Raise the first domain error of a would-be agency; ``instance`` when it exists.

    Used by the services and by the admin forms, so that both refuse the same things.
    """
    try:
        agency_code_validator(code)
    except ValidationError:
        message = _("Mã định danh %(code)s không đúng dạng 000.00.00.H37.")
        raise InvalidAgencyCode(message % {"code": code}) from None
    if instance is not None and code != instance.code:
        raise AgencyCodeImmutable(_("Không đổi được mã định danh của cơ quan."))
    if not name.strip():
        raise AgencyNameRequired(_("Cần nhập tên cơ quan."))
    if kind not in AgencyKind.values:
        raise InvalidAgencyKind(_("Loại cơ quan không hợp lệ: %(kind)s.") % {"kind": kind})
    if unit.is_legacy:
        message = _("%(unit)s không còn là đơn vị hành chính từ 01/7/2025.")
        raise AgencyUnitLegacy(message % {"unit": unit})
    wanted_level = AGENCY_KIND_LEVEL.get(AgencyKind(kind))
    if unit.level not in (UnitLevel.PROVINCE, UnitLevel.COMMUNE) or (
        wanted_level is not None and unit.level != wanted_level
    ):
        message = _("%(kind)s phải phục vụ một đơn vị %(level)s; %(unit)s thì không.")
        level_label = str(UnitLevel(wanted_level or UnitLevel.PROVINCE).label).lower()
        raise AgencyUnitLevelMismatch(
            message % {"kind": AgencyKind(kind).label, "level": level_label, "unit": unit}
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidEmail(_("Địa chỉ thư điện tử không hợp lệ.")) from None
    if parent is not None:
        _check_parent(agency=instance, unit=unit, parent=parent)


def _check_parent(*, agency: Agency | None, unit: AdministrativeUnit, parent: Agency) -> None:
    if province_of(parent.unit) != province_of(unit):
        raise AgencyParentInvalid(_("Cơ quan cấp trên phải thuộc cùng tỉnh."))
    if agency is not None and agency.pk is not None:
        # Walk up from the proposed parent: meeting the agency itself would close a cycle.
        node: Agency | None = parent
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            if node.pk == agency.pk:
                raise AgencyParentInvalid(_("Cơ quan không thể là cấp trên của chính nó."))
            seen.add(node.pk)
            node = node.parent


def is_system_or_superuser(actor: User | None) -> bool:
    """Return whether ``actor`` is the system (``None``) or an active superuser."""
    return actor is None or (actor.is_active and actor.is_superuser)


def _require_province_admin(actor: User | None, unit: AdministrativeUnit) -> None:
    """Refuse unless the actor is the system, a superuser or administers ``unit``'s province."""
    if actor is None or is_system_or_superuser(actor):
        return
    if province_of(unit).pk not in province_admin_unit_ids(actor):
        raise NotAllowed(_("Chỉ quản trị cấp tỉnh mới được thực hiện thao tác này."))


def _require_manager(actor: User | None, agency: Agency) -> None:
    """Refuse unless the actor is the system, a superuser or manages ``agency``."""
    if actor is not None and not agency_is_managed_by(actor, agency):
        raise NotAllowed(_("Bạn không quản lý cơ quan này."))


def agency_create_check(*, actor: User | None, unit: AdministrativeUnit) -> None:
    """Raise ``NotAllowed`` unless ``actor`` may create an agency serving ``unit``."""
    _require_province_admin(actor, unit)


def agency_update_check(
    *,
    actor: User | None,
    agency: Agency,
    fields: set[str],
    unit: AdministrativeUnit | None = None,
) -> None:
    """Raise ``NotAllowed`` unless ``actor`` may change these ``fields`` of ``agency``
    (moving it to ``unit`` when given)."""
    _require_manager(actor, agency)
    if fields - _AGENCY_CONTACT_FIELDS:
        _require_province_admin(actor, agency.unit)
        if unit is not None:
            _require_province_admin(actor, unit)


def agency_close_check(agency: Agency) -> None:
    """Raise unless ``agency`` may close: no agency under it still open, and nothing the
    apps built on core still hold there (``signals.agency_closing``: open dossiers received
    there or at its step, procedures it implements or holds a step of). Closing it would
    leave those to no one."""
    if agency.children.filter(is_active=True).exists():
        raise AgencyHasActiveChildren(_("Cần ngừng hoạt động các cơ quan trực thuộc trước."))
    answers = agency_closing.send(sender=Agency, agency=agency)
    reasons = [str(reason) for _receiver, reason in answers if reason]
    if reasons:
        raise AgencyInUse(" ".join(reasons))


def vacancy_warnings(pairs: Iterable[tuple[Agency, str]]) -> list[str]:
    """Return a warning for each piece of work waiting on one of the (agency, role) ``pairs``
    that no active officer holds any longer (``signals.roles_vacant``): what an administrator
    who just locked an account or took a role away should know before someone asks why a
    dossier does not move."""
    vacant = [(agency, role) for agency, role in pairs if not role_is_held(agency, role)]
    if not vacant:
        return []
    answers = roles_vacant.send(sender=Agency, vacant=vacant)
    return [str(warning) for _receiver, warnings in answers for warning in warnings or ()]


@transaction.atomic
def agency_create(
    *,
    code: str,
    name: str,
    kind: str,
    unit: AdministrativeUnit,
    parent: Agency | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    actor: User | None,
) -> Agency:
    """Create an agency serving a current province or commune; only a provincial
    administrator of that province may."""
    code = code.strip()
    name = name.strip()
    agency_create_check(actor=actor, unit=unit)
    agency_validate(code=code, name=name, kind=kind, unit=unit, parent=parent, email=email)
    taken = AgencyCodeTaken(_("Đã có cơ quan mã %(code)s.") % {"code": code})
    if Agency.objects.filter(code=code).exists():
        raise taken
    try:
        # A savepoint: another request may take the code between the check and the insert.
        with transaction.atomic():
            agency = Agency.objects.create(
                code=code,
                name=name,
                kind=kind,
                unit=unit,
                parent=parent,
                email=email,
                phone=phone,
                address=address,
            )
    except IntegrityError:
        raise taken from None
    audit_record(
        actor=actor,
        action="core.agency.created",
        target=agency,
        data={
            "name": name,
            "kind": kind,
            "unit": unit.audit_key,
            "parent": parent.code if parent else None,
        },
    )
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, actor: User | None, **changes: Any) -> Agency:
    """Change some of an agency's fields: name, kind, unit, parent, email, phone, address,
    is_active. The code, the agency's public identifier, never changes.

    An agency administrator may change the name and contacts of their agency; the other
    fields need a provincial administrator. Returns the agency; writes no audit entry when
    nothing changed.
    """
    unknown = set(changes) - set(_AGENCY_FIELDS)
    if "code" in changes and changes["code"] != agency.code:
        raise AgencyCodeImmutable(_("Không đổi được mã định danh của cơ quan."))
    unknown.discard("code")
    if unknown:
        raise TypeError(f"agency_update() got unexpected fields {sorted(unknown)}")
    changes.pop("code", None)
    changed = {name: value for name, value in changes.items() if getattr(agency, name) != value}
    if not changed:
        return agency
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    agency_update_check(actor=actor, agency=locked, fields=set(changed), unit=changed.get("unit"))
    merged = {name: changed.get(name, getattr(locked, name)) for name in _AGENCY_FIELDS}
    if isinstance(merged["name"], str):
        merged["name"] = merged["name"].strip()
    agency_validate(
        code=locked.code,
        name=merged["name"],
        kind=merged["kind"],
        unit=merged["unit"],
        parent=merged["parent"],
        email=merged["email"],
        instance=locked,
    )
    if locked.is_active and merged["is_active"] is False:
        agency_close_check(locked)

    def plain(value: Any) -> Any:
        return getattr(value, "audit_key", value)

    diff = {name: [plain(getattr(locked, name)), plain(value)] for name, value in changed.items()}
    for name, value in merged.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changed))
    # Activity and unit decide whose roles count and which province an administrator has.
    forget_access(actor)
    audit_record(actor=actor, action="core.agency.updated", target=locked, data={"changes": diff})
    for name in _AGENCY_FIELDS:
        setattr(agency, name, getattr(locked, name))
    return agency


# --- Officers and their roles --------------------------------------------------------------


def officer_create_check(
    *,
    actor: User | None,
    is_staff: bool = False,
    is_superuser: bool = False,
    agency: Agency | None = None,
    role: str = "",
) -> None:
    """Raise the domain error that refuses ``actor`` such an account: a provincial or agency
    administrator creates an officer's, with its first ``role`` in an ``agency`` they
    administer; only the system or a superuser a staff account, or one without a role."""
    if actor is not None and not is_system_or_superuser(actor):
        if is_staff or is_superuser:
            raise NotAllowed(_("Chỉ quản trị hệ thống mới tạo được tài khoản quản trị."))
        if (
            not actor.is_active
            or not Membership.objects.filter(
                user=actor,
                is_active=True,
                role__in=[Role.PROVINCE_ADMIN, Role.AGENCY_ADMIN],
                agency__is_active=True,
            ).exists()
        ):
            raise NotAllowed(_("Bạn không có quyền tạo tài khoản cán bộ."))
    if agency is None and not role and is_system_or_superuser(actor):
        return
    if agency is None or not role:
        raise InvalidRole(_("Cần chọn cả cơ quan và vai trò đầu tiên của cán bộ."))
    _role_grant_check(agency=agency, role=role, actor=actor)


@transaction.atomic
def officer_create(
    *,
    username: str,
    full_name: str,
    email: str,
    password: str | None = None,
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    agency: Agency | None = None,
    role: str = "",
    actor: User | None,
) -> User:
    """Create an officer's account, with its first ``role`` in ``agency`` when given (more
    roles come with ``membership_grant``).

    Without ``password`` the account cannot sign in with a password (single sign-on only).
    A provincial or agency administrator may create accounts, each with its first role in
    an agency they administer: an account is born theirs to manage, and a role is never
    given to an account they do not manage (``membership_check``). Staff and superuser
    accounts only the system or a superuser creates, with or without a role.
    """
    username = username.strip()
    full_name = " ".join(full_name.split())
    email = email.strip()
    officer_create_check(
        actor=actor, is_staff=is_staff, is_superuser=is_superuser, agency=agency, role=role
    )
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        message = _("Tên đăng nhập %(username)s chỉ gồm chữ, số và @ . + - _.")
        raise InvalidUsername(message % {"username": username}) from None
    if not username or len(username) > 150:
        raise InvalidUsername(_("Tên đăng nhập cần từ 1 đến 150 ký tự."))
    if not full_name:
        raise FullNameRequired(_("Cần nhập họ và tên."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidEmail(_("Địa chỉ thư điện tử không hợp lệ.")) from None
    taken = UsernameTaken(_("Tên đăng nhập %(username)s đã có.") % {"username": username})
    if User.objects.filter(username__iexact=username).exists():
        raise taken
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            details = [{"field": "password", "message": str(m)} for m in error.messages]
            raise WeakPassword(_("Mật khẩu chưa đủ mạnh."), details=details) from None
        user.set_password(password)
    try:
        with transaction.atomic():  # the same race as for agency codes
            user.save()
    except IntegrityError:
        raise taken from None
    audit_record(
        actor=actor,
        action="core.user.created",
        target=user,
        data={
            "full_name": full_name,
            "email": email,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
        },
    )
    if agency is not None:
        _grant(user=user, agency=agency, role=role, actor=actor)
    return user


def _role_grant_check(*, agency: Agency, role: str, actor: User | None) -> None:
    """Raise the domain error that refuses ``actor`` this role in ``agency``, whoever holds it."""
    if role not in Role.values:
        raise InvalidRole(_("Vai trò không hợp lệ: %(role)s.") % {"role": role})
    if actor is None or is_system_or_superuser(actor):
        return
    if role == Role.PROVINCE_ADMIN:
        _require_province_admin(actor, agency.unit)
    else:
        _require_manager(actor, agency)


def membership_check(*, user: User, agency: Agency, role: str, actor: User | None) -> None:
    """Raise the domain error that would refuse granting or revoking this role, if any.

    Besides administering the agency, an administrator who is not a superuser must manage
    the account (``selectors.accounts_managed_by``): a citizen's account, or an officer's
    who serves another agency, is never theirs to give a role to (and then set its
    password): the superuser gives those."""
    _role_grant_check(agency=agency, role=role, actor=actor)
    if actor is None or is_system_or_superuser(actor):
        return
    if not accounts_managed_by(actor).filter(pk=user.pk).exists():
        raise NotAllowed(
            _(
                "Bạn không quản lý tài khoản %(user)s (tài khoản của công dân, hoặc của cán bộ "
                "có vai trò ở cơ quan khác): chỉ quản trị hệ thống giao hoặc thu hồi vai trò "
                "của tài khoản này."
            )
            % {"user": user.username}
        )


@transaction.atomic
def membership_grant(*, user: User, agency: Agency, role: str, actor: User | None) -> Membership:
    """Give ``user`` a role in ``agency`` (or give it back if it was revoked).

    An agency administrator may grant roles in their agency, to an account they manage,
    except the provincial administrator's, which only a provincial administrator of the
    province may grant (``membership_check``).
    """
    membership_check(user=user, agency=agency, role=role, actor=actor)
    return _grant(user=user, agency=agency, role=role, actor=actor)


def _grant(*, user: User, agency: Agency, role: str, actor: User | None) -> Membership:
    """Grant the role, once ``actor`` is known to be allowed (``membership_grant``)."""
    if not user.is_active:
        raise UserInactive(_("Tài khoản %(user)s đã bị khóa.") % {"user": user.username})
    if not agency.is_active:
        raise AgencyInactive(_("%(agency)s đã ngừng hoạt động.") % {"agency": agency.name})
    membership = (
        Membership.objects.select_for_update().filter(user=user, agency=agency, role=role).first()
    )
    if membership is not None and membership.is_active:
        message = _("%(user)s đã có vai trò %(role)s tại %(agency)s.")
        raise MembershipExists(
            message % {"user": user, "role": Role(role).label, "agency": agency.name}
        )
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency, role=role)
    else:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    # The actor may be the user, as another object: neither keeps the roles it read.
    forget_access(user, actor)
    audit_record(
        actor=actor,
        action="core.membership.granted",
        target=user,
        data={"agency": agency.code, "role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, user: User, agency: Agency, role: str, actor: User | None) -> Membership:
    """Take a role away; the membership is kept, inactive, as a record."""
    membership_check(user=user, agency=agency, role=role, actor=actor)
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, agency=agency, role=role, is_active=True)
        .first()
    )
    if membership is None:
        message = _("%(user)s không có vai trò %(role)s tại %(agency)s.")
        raise MembershipNotFound(
            message % {"user": user, "role": Role(role).label, "agency": agency.name}
        )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    forget_access(user, actor)
    audit_record(
        actor=actor,
        action="core.membership.revoked",
        target=user,
        data={"agency": agency.code, "role": role},
    )
    return membership
