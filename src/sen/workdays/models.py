"""The calendar's exceptions decided by people, and agencies' own office hours.

Statutory holidays (Tết, Hùng Kings' day, their compensatory days) come from the
``holidays`` package and are not stored. Stored here: what the government decides year by
year beyond them (``CalendarEntry``) and office hours that differ from the common
Monday–Friday 08:00–12:00, 13:00–17:00 (``OfficeHours``). Change both through
``sen.workdays.services`` so that the audit log is written and cached calendars refreshed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sen.workdays.schedules import schedule_errors


class EntryKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ (hoán đổi hoặc nghỉ thêm)")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarEntry(models.Model):
    """A date the government made a day off or a working day, beyond the statutory holidays.

    ``working_day``: a Saturday or Sunday (or a statutory holiday) on which offices work, in
    exchange for a weekday given off — offices keep Monday's office hours that day.
    ``day_off``: a weekday on which offices close although no statutory holiday falls.
    """

    date = models.DateField(
        _("ngày"), unique=True, help_text=_("Mỗi ngày chỉ có một điều chỉnh lịch.")
    )
    kind = models.CharField(
        _("loại"),
        max_length=20,
        choices=EntryKind.choices,
        help_text=_(
            "Ngày nghỉ: ngày thường được nghỉ (hoán đổi, nghỉ thêm). "
            "Ngày làm việc: thứ Bảy, Chủ nhật hoặc ngày lễ được làm bù, theo giờ làm việc "
            "của thứ Hai."
        ),
    )
    name = models.CharField(
        _("tên"),
        max_length=255,
        help_text=_("Ví dụ: Làm bù cho thứ Hai 27/01/2025 (nghỉ Tết Nguyên đán)."),
    )
    legal_basis = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Văn bản quyết định, ví dụ: Thông báo 6150/TB-BLĐTBXH năm 2024."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
        help_text=_("Trống với dữ liệu có sẵn khi cài đặt."),
    )

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def audit_key(self) -> str:
        return self.date.isoformat()


class OfficeHours(models.Model):
    """An agency's own weekly office hours, replacing the common schedule for its deadlines.

    ``schedule`` maps weekday keys (``mon`` … ``sun``) to lists of ``["HH:MM", "HH:MM"]``
    intervals; a missing weekday is closed. Example of an office open on Saturday mornings:
    ``{"mon": [["07:30", "11:30"], ["13:30", "17:30"]], …, "sat": [["07:30", "11:30"]]}``.
    """

    agency = models.OneToOneField(
        "core.Agency",
        on_delete=models.CASCADE,
        related_name="office_hours",
        verbose_name=_("cơ quan"),
    )
    schedule = models.JSONField(
        _("giờ làm việc"),
        help_text=_(
            "Theo thứ trong tuần (mon, tue, wed, thu, fri, sat, sun), mỗi thứ là danh sách "
            'khoảng giờ ["HH:MM", "HH:MM"] theo thứ tự, không chồng lấn; thứ không có là ngày '
            'nghỉ. Ví dụ: {"mon": [["07:30", "11:30"], ["13:30", "17:00"]]}. Thứ Hai bắt buộc '
            "có giờ làm việc: đó là ngày làm việc chuẩn để tính thời hạn."
        ),
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
        verbose_name = _("giờ làm việc của cơ quan")
        verbose_name_plural = _("giờ làm việc của cơ quan")

    def __str__(self) -> str:
        return str(self.agency)

    @property
    def audit_key(self) -> str:
        return self.agency.code

    def clean(self) -> None:
        errors = schedule_errors(self.schedule)
        if errors:
            raise ValidationError({"schedule": [e["message"] for e in errors]})
