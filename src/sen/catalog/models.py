"""What is served: the catalog of administrative procedures (thủ tục hành chính).

Procedures are versioned: a change in law produces a new version of the same national
code; the version a dossier was submitted under is never edited, only superseded.
"""

from decimal import Decimal

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sen.core.models import Agency, Role

procedure_code_validator = RegexValidator(
    r"^[0-9]\.[0-9]{6}$", _("Mã thủ tục có dạng 1.001193."), code="invalid_procedure_code"
)


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. Hộ tịch."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Procedure(models.Model):
    """One version of an administrative procedure."""

    code = models.CharField(
        _("mã thủ tục"),
        max_length=10,
        validators=[procedure_code_validator],
        help_text=_("Mã thủ tục trên Cơ sở dữ liệu quốc gia về thủ tục hành chính."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    is_current = models.BooleanField(
        _("phiên bản hiện hành"), default=True, help_text=_("Chỉ một phiên bản hiện hành mỗi mã.")
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices
    )
    processing_days = models.DecimalField(
        _("thời hạn giải quyết (ngày làm việc)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    conditions = models.TextField(_("điều kiện thực hiện"), blank=True)
    legal_basis = models.JSONField(
        _("căn cứ pháp lý"), default=list, blank=True, help_text=_("Danh sách văn bản.")
    )
    results = models.JSONField(
        _("kết quả thực hiện"), default=list, blank=True, help_text=_("Danh sách giấy tờ kết quả.")
    )
    accepts_office_documents = models.BooleanField(
        _("nhận tài liệu Office"),
        default=False,
        help_text=_(
            "Người nộp được đính kèm tài liệu Word, Excel hoặc OpenDocument (.doc, .docx, .xls, "
            ".xlsx, .odt, .ods) cho các thành phần hồ sơ, ngoài PDF, JPEG và PNG."
        ),
    )
    form_schema = models.JSONField(
        _("biểu mẫu điện tử"),
        default=dict,
        blank=True,
        help_text=_("Biểu mẫu điện tử, dạng JSON Schema (draft 2020-12)."),
    )
    search_text = models.TextField(
        editable=False,
        default="",
        help_text=_("Tên, mã và lĩnh vực, viết thường không dấu, để tìm kiếm."),
    )
    search_name = models.TextField(
        editable=False,
        default="",
        help_text=_("Tên thủ tục viết thường không dấu, để xếp hạng kết quả tìm kiếm."),
    )
    # Only filled on PostgreSQL (to_tsvector('simple', search_text)), by the services that
    # write procedures; a stored vector makes ranking ten times cheaper than an expression
    # index, which recomputes the vector of every matching row. NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    content_digest = models.CharField(
        editable=False,
        max_length=64,
        default="",
        help_text=_(
            "SHA-256 của nội dung thủ tục theo định dạng trao đổi, để nhận ra lần nhập không "
            "thay đổi gì."
        ),
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    superseded_at = models.DateTimeField(_("ngày bị thay thế"), null=True, blank=True)
    abolished_at = models.DateTimeField(
        _("ngày bãi bỏ"),
        null=True,
        blank=True,
        help_text=_("Từ lúc này thủ tục không nhận hồ sơ mới; hồ sơ đã nhận vẫn giải quyết tiếp."),
    )
    abolition_basis = models.CharField(
        _("văn bản bãi bỏ"),
        max_length=500,
        blank=True,
        help_text=_("Văn bản của cơ quan có thẩm quyền bãi bỏ thủ tục."),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="catalog_procedure_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="catalog_procedure_one_current"
            ),
            models.CheckConstraint(
                condition=Q(processing_days__gt=0), name="catalog_procedure_positive_time"
            ),
        ]
        indexes = [
            # The catalog's default order, and the listing of current versions.
            models.Index(
                fields=["search_name", "code"],
                condition=Q(is_current=True),
                name="catalog_procedure_current_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def audit_key(self) -> str:
        return f"{self.code}@{self.version}"


class Implementation(models.Model):
    """A level, and optionally an agency, that handles the procedure (cơ quan thực hiện).

    Without an agency at commune level it means "every commune people's committee".
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="implementations"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ProcedureLevel.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedure_implementations",
        verbose_name=_("cơ quan thực hiện"),
    )

    class Meta:
        verbose_name = _("cơ quan thực hiện")
        verbose_name_plural = _("cơ quan thực hiện")
        ordering = ["procedure_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "position"], name="catalog_implementation_position"
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(level="commune"),
                name="catalog_implementation_agency_or_commune",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.agency or _('mọi UBND cấp xã')}"


# Where the components' blank templates are stored: the one public part of the uploaded files.
TEMPLATES_FOLDER = "catalog/templates/"


class DocumentComponent(models.Model):
    """A document the applicant submits (thành phần hồ sơ), or only shows (xuất trình).

    The catalog says how many originals and copies are handed in; a paper of which none is
    handed in (0 originals, 0 copies: an identity card, the original a copy is certified
    from) is only shown, so that the officer checks it in person and gives it back. Such a
    component may be required, yet no file is required for it (``upload_required``).
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    template = models.FileField(
        _("mẫu đơn, tờ khai"),
        upload_to=TEMPLATES_FOLDER,
        blank=True,
        help_text=_("Tệp mẫu để người nộp tải về (PDF, Word, Excel hoặc OpenDocument)."),
    )
    template_sha256 = models.CharField(
        _("SHA-256 của mẫu"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Mã băm SHA-256 của tệp mẫu, để đối chiếu tệp người dân tải về."),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "position"], name="catalog_component_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_only(self) -> bool:
        """Return whether the paper is only shown (xuất trình): nothing of it is handed in."""
        return self.originals == 0 and self.copies == 0

    @property
    def upload_required(self) -> bool:
        """Return whether a dossier must carry a file of this component, online or at the
        desk: a required paper that is handed in. A paper only shown is checked in person."""
        return self.required and not self.shown_only


class FeeKind(models.TextChoices):
    FEE = "fee", _("Lệ phí")
    CHARGE = "charge", _("Phí")


class Fee(models.Model):
    """A fee (lệ phí) or charge (phí) in integer đồng, with the condition it applies to."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    description = models.TextField(_("mô tả, điều kiện áp dụng"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="catalog_fee_position"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} đồng"


# The roles that carry out a step of a procedure (administrators do not process dossiers).
STEP_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK)


class DurationUnit(models.TextChoices):
    DAYS = "days", _("ngày làm việc")
    HOURS = "hours", _("giờ làm việc")


class ProcessStep(models.Model):
    """A step of the internal process (quy trình nội bộ); the steps add up to the legal time."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan thực hiện bước"),
        help_text=_("Để trống nếu là cơ quan tiếp nhận hồ sơ."),
    )
    duration = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("đơn vị thời gian"), max_length=5, choices=DurationUnit.choices)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["procedure_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="catalog_step_position"),
            models.CheckConstraint(condition=Q(duration__gt=0), name="catalog_step_positive_time"),
        ]

    def __str__(self) -> str:
        return self.name
