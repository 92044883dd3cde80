"""Who serves: administrative units, agencies, officers and their roles, and the audit log."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sen.core.timezones import short_moment


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Cấp xã")


class AdministrativeUnit(models.Model):
    """A province or commune (đơn vị hành chính), current or legacy.

    Since 1 July 2025 local government has two levels: province → commune / ward /
    special zone. Units that existed before (63 provinces, their districts and communes)
    are kept as legacy records pointing to their successors, so that old addresses and
    dossiers stay meaningful.
    """

    code = models.CharField(
        _("mã"), max_length=5, help_text=_("Mã đơn vị hành chính của Tổng cục Thống kê.")
    )
    name = models.CharField(_("tên"), max_length=120, help_text=_("Ví dụ: Xã Thượng Lâm."))
    folded_name = models.CharField(
        _("tên không dấu"),
        max_length=120,
        editable=False,
        help_text=_("Tên viết thường, bỏ dấu (sen.core.text.fold), dùng để tìm kiếm."),
    )
    division_type = models.CharField(
        _("loại đơn vị"), max_length=40, help_text=_("tỉnh, thành phố trung ương, xã, phường, …")
    )
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    is_legacy = models.BooleanField(
        _("đơn vị cũ"), default=False, help_text=_("Đơn vị đã giải thể hoặc sáp nhập.")
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
        help_text=_("Đơn vị hiện hành tiếp nhận địa bàn của đơn vị cũ."),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "is_legacy"], name="core_unit_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({_('cũ')})" if self.is_legacy else self.name

    @property
    def audit_key(self) -> str:
        """Name the unit in the audit log: codes repeat across levels and eras."""
        return f"{self.level}:{self.code}" + (":legacy" if self.is_legacy else "")


agency_code_validator = RegexValidator(
    r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$",
    _("Mã định danh cơ quan có dạng 000.00.00.H37."),
    code="invalid_agency_code",
)


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Ủy ban nhân dân tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    PUBLIC_SERVICE_CENTRE = "service_centre", _("Trung tâm phục vụ hành chính công")
    COMMUNE_COMMITTEE = "commune_committee", _("Ủy ban nhân dân cấp xã")
    OTHER = "other", _("Cơ quan khác")


class Agency(models.Model):
    """An agency (cơ quan, đơn vị) that receives or processes dossiers."""

    code = models.CharField(
        _("mã định danh"),
        max_length=13,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("Mã định danh điện tử của cơ quan (Quyết định 20/2020/QĐ-TTg)."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    kind = models.CharField(_("loại cơ quan"), max_length=32, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Tỉnh hoặc xã mà cơ quan phục vụ."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_key(self) -> str:
        return self.code


class User(AbstractUser):
    """A person who signs in: an officer (through memberships) or, later, a citizen."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def audit_key(self) -> str:
        return self.username


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    CLERK = "clerk", _("Văn thư")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")


class Membership(models.Model):
    """An officer's role in one agency. An officer may serve several agencies."""

    # A role is revoked (kept, inactive), never deleted, and so is what it names: an agency
    # is closed, an account locked.
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cán bộ")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cơ quan")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("vai trò của cán bộ")
        verbose_name_plural = _("vai trò của cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="core_membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which object, and when.

    Rows are only ever inserted (``sen.core.services.audit_record``); the database refuses
    updates with a trigger, and deletes too on PostgreSQL.
    """

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
        help_text=_("Trống khi hệ thống tự thực hiện (lệnh quản trị, tác vụ nền)."),
    )
    actor_label = models.CharField(_("tên người thực hiện"), max_length=150)
    action = models.CharField(
        _("hành động"), max_length=80, help_text=_("Ví dụ: catalog.procedure.imported.")
    )
    target_type = models.CharField(_("loại đối tượng"), max_length=80)
    target_key = models.CharField(
        _("khóa đối tượng"), max_length=120, help_text=_("Khóa nghiệp vụ, ví dụ mã thủ tục.")
    )
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_key"])]

    def __str__(self) -> str:
        return f"{short_moment(self.at)} {self.actor_label} {self.action} {self.target_key}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit entries cannot be deleted.")
