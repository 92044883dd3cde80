"""Periodic socio-economic reporting (báo cáo định kỳ): forms, periods, reports, values.

The province defines a report form (biểu mẫu): its indicators (chỉ tiêu) with their unit of
measure, how often it is reported and by whom, and the deadline rule. For each period the
province opens, the form's reporters each fill one report (draft, then submitted); the
province locks the period when its figures are final.

What a submitted value means never changes: a form's indicators are frozen once the form has
a report (docs/adr, "frozen report forms"), and a period keeps the deadline and the list of
reporters in force when it was opened.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sen.core.periods import parse_period, period_label
from sen.periodic.periods import PeriodKind
from sen.periodic.values import DECIMAL_PLACES, MAX_DIGITS, Aggregation, ValueType

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]{0,29}$",
    _("Mã gồm chữ in hoa không dấu, số và . _ -, tối đa 30 ký tự, ví dụ KTXH-01."),
    code="invalid_code",
)


class ReportForm(models.Model):
    """A form the province defines for agencies and communes to report periodically."""

    code = models.CharField(
        _("mã biểu mẫu"),
        max_length=30,
        unique=True,
        validators=[code_validator],
        help_text=_("Khóa nghiệp vụ, dùng trong địa chỉ và tệp xuất, ví dụ KTXH-01."),
    )
    name = models.CharField(
        _("tên biểu mẫu"),
        max_length=255,
        help_text=_("Ví dụ: Báo cáo tình hình kinh tế - xã hội cấp xã."),
    )
    province = models.ForeignKey(
        "core.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tỉnh"),
        help_text=_("Tỉnh ban hành biểu mẫu; chỉ quản trị cấp tỉnh của tỉnh này quản lý nó."),
    )
    period_kind = models.CharField(
        _("kỳ báo cáo"),
        max_length=10,
        choices=PeriodKind.choices,
        help_text=_("Báo cáo theo tháng, quý hoặc năm."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("hạn nộp (ngày làm việc)"),
        help_text=_("Số ngày làm việc sau ngày cuối kỳ mà báo cáo phải được nộp."),
    )
    reporters = models.ManyToManyField(
        "core.Agency",
        related_name="+",
        blank=True,
        verbose_name=_("đơn vị báo cáo"),
        help_text=_("Cơ quan, Ủy ban nhân dân cấp xã phải nộp báo cáo theo biểu mẫu này."),
    )
    is_active = models.BooleanField(
        _("đang áp dụng"), default=True, help_text=_("Biểu mẫu ngừng áp dụng không mở kỳ mới.")
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo định kỳ")
        verbose_name_plural = _("biểu mẫu báo cáo định kỳ")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def audit_key(self) -> str:
        return self.code


class Indicator(models.Model):
    """One indicator (chỉ tiêu) of a form: what is counted, in which unit, how it adds up."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("biểu mẫu")
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"), help_text=_("Từ 1."))
    code = models.CharField(
        _("mã chỉ tiêu"),
        max_length=30,
        validators=[code_validator],
        help_text=_("Duy nhất trong biểu mẫu, ví dụ NN01."),
    )
    name = models.CharField(
        _("tên chỉ tiêu"), max_length=255, help_text=_("Ví dụ: Diện tích lúa gieo cấy.")
    )
    unit = models.CharField(
        _("đơn vị tính"), max_length=40, help_text=_("Ví dụ: ha, tấn, người, triệu đồng, %.")
    )
    value_type = models.CharField(
        _("kiểu giá trị"), max_length=10, choices=ValueType.choices, default=ValueType.DECIMAL
    )
    aggregation = models.CharField(
        _("cách tổng hợp"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("Cộng (diện tích, sản lượng) hoặc bình quân (tỷ lệ, giá) giữa các đơn vị."),
    )
    allow_negative = models.BooleanField(
        _("cho phép số âm"), default=False, help_text=_("Ví dụ tốc độ tăng trưởng có thể âm.")
    )
    max_value = models.DecimalField(
        _("giá trị tối đa"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text=_(
            "Giá trị lớn nhất được nhập; để trống nếu không giới hạn. Ví dụ 100 cho tỷ lệ hộ "
            "nghèo (%); để trống cho tỷ lệ hoàn thành kế hoạch, có thể vượt 100 %."
        ),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["form", "position"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="periodic_indicator_code"),
            models.UniqueConstraint(fields=["form", "position"], name="periodic_indicator_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.unit})"


class ReportingPeriod(models.Model):
    """One period of a form, opened by the province: its deadline and who must report."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.PROTECT, related_name="periods", verbose_name=_("biểu mẫu")
    )
    key = models.CharField(
        _("kỳ"), max_length=10, help_text=_("2026-03 (tháng), 2026-Q1 (quý) hoặc 2026 (năm).")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    due_at = models.DateTimeField(
        _("hạn nộp"),
        help_text=_("Tính khi mở kỳ từ quy tắc hạn nộp và lịch làm việc; không đổi sau đó."),
    )
    reporters = models.ManyToManyField(
        "core.Agency",
        related_name="+",
        verbose_name=_("đơn vị phải báo cáo"),
        help_text=_("Danh sách đơn vị báo cáo của biểu mẫu khi mở kỳ."),
    )
    opened_at = models.DateTimeField(_("thời điểm mở kỳ"), default=timezone.now)
    locked_at = models.DateTimeField(
        _("thời điểm khóa số liệu"),
        null=True,
        blank=True,
        help_text=_("Khi đã khóa, các đơn vị không nộp hay sửa báo cáo của kỳ được nữa."),
    )

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["form", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="periodic_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.key}"

    @property
    def audit_key(self) -> str:
        return f"{self.form.code}/{self.key}"

    @property
    def label(self) -> str:
        """Name the period as a report's title does: "Tháng 03/2026", "Quý I/2026"."""
        return period_label(parse_period(self.key))

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")


class Report(models.Model):
    """One reporter's report for one period: its values, draft or submitted."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kỳ")
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="periodic_reports",
        verbose_name=_("đơn vị báo cáo"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(
        _("thời điểm nộp"),
        null=True,
        blank=True,
        help_text=_("Lần nộp đầu tiên; đúng hạn hay trễ hạn tính theo thời điểm này."),
    )
    corrected_at = models.DateTimeField(
        _("thời điểm điều chỉnh"),
        null=True,
        blank=True,
        help_text=_("Lần điều chỉnh gần nhất sau khi nộp."),
    )
    revision = models.PositiveIntegerField(
        _("lần sửa"), default=0, help_text=_("Tăng mỗi lần báo cáo được lưu.")
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["period", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "agency"], name="periodic_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.agency.code}"

    @property
    def audit_key(self) -> str:
        return f"{self.period.audit_key}/{self.agency.code}"


class ReportValue(models.Model):
    """The value of one indicator in one report."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="values", verbose_name=_("báo cáo")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu")
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="periodic_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value}"
