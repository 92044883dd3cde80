"""Dossiers (hồ sơ thủ tục hành chính), their history, files and the numbers they draw.

A dossier's history is the append-only list of its events; the dossier row is the
projection of that history, written in the same transaction as each event.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sen.core.models import AuditEntry
from sen.core.timezones import short_moment
from sen.dossiers.calendar_moves import calendar_change_text
from sen.dossiers.codes import register_book, register_number_text
from sen.dossiers.states import (
    FINISHED_STATUSES,
    Action,
    Channel,
    DossierStatus,
    ReturnMethod,
    StepOutcome,
    happened,
)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


DEFAULT_LEGAL_BASIS = "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP"

id_number_validator = RegexValidator(
    r"^[0-9]{12}$",
    _("Số định danh cá nhân (CCCD) gồm đúng 12 chữ số."),
    code="invalid_id_number",
)
phone_validator = RegexValidator(
    r"^0[0-9]{9}$",
    _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."),
    code="invalid_phone",
)
# Said of an applicant's email in place of Django's own ("Nhập địa chỉ email."), which asks
# for what was typed rather than saying what is wrong.
INVALID_EMAIL = _("Địa chỉ thư điện tử không hợp lệ.")


class Dossier(models.Model):
    """A dossier an applicant submitted for one procedure to one agency."""

    code = models.CharField(
        _("mã hồ sơ"),
        max_length=40,
        unique=True,
        help_text=_(
            "Mã hồ sơ dạng <mã cơ quan>-<yyMMdd>-<số thứ tự>, ví dụ 000.00.01.H37-261121-0001."
        ),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
        help_text=_("Phiên bản thủ tục áp dụng khi nộp hồ sơ; không bao giờ thay đổi."),
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="dossiers",
        # The queue indexes (dossier_queue_*) start with the agency and serve its lookups.
        db_index=False,
        verbose_name=_("cơ quan tiếp nhận"),
    )
    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, help_text=_("KenhThucHien.")
    )
    result_delivery = models.CharField(
        _("hình thức nhận kết quả đăng ký"),
        max_length=12,
        choices=ReturnMethod.choices,
        blank=True,
        help_text=_(
            "Cách người nộp đăng ký nhận kết quả khi nộp hồ sơ (ghi trên giấy tiếp nhận); "
            "trống với hồ sơ nộp trước khi Sen ghi điều này."
        ),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.SUBMITTED,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("tài khoản người nộp"),
        help_text=_(
            "Trống khi người nộp không có tài khoản (nộp tại Bộ phận Một cửa, qua bưu chính)."
        ),
    )
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=150)
    applicant_id_number = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        validators=[id_number_validator],
        help_text=_("Số CCCD gồm 12 chữ số."),
    )
    applicant_phone = models.CharField(
        _("số điện thoại"), max_length=10, blank=True, validators=[phone_validator]
    )
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    form_data = models.JSONField(
        _("dữ liệu biểu mẫu"),
        default=dict,
        blank=True,
        help_text=_("Nội dung biểu mẫu điện tử, theo JSON Schema của phiên bản thủ tục."),
    )
    submitted_at = models.DateTimeField(_("thời điểm nộp"), default=timezone.now)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    register_year = models.PositiveSmallIntegerField(
        _("năm của sổ theo dõi hồ sơ"),
        null=True,
        blank=True,
        help_text=_(
            "Năm tiếp nhận theo giờ Việt Nam: quyển Sổ theo dõi hồ sơ của cơ quan ghi hồ sơ "
            "này. Trống khi chưa tiếp nhận."
        ),
    )
    register_number = models.PositiveIntegerField(
        _("số thứ tự trong sổ theo dõi hồ sơ"),
        null=True,
        blank=True,
        help_text=_(
            "Số thứ tự của hồ sơ trong quyển sổ của cơ quan tiếp nhận năm đó, cấp khi tiếp "
            "nhận và không bao giờ thay đổi; in trên giấy tiếp nhận. Trống khi chưa tiếp nhận."
        ),
    )
    due_at = models.DateTimeField(
        _("hẹn trả kết quả"),
        null=True,
        blank=True,
        help_text=_("Thời điểm hẹn trả; trống cho đến khi hồ sơ được tiếp nhận."),
    )
    finished_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    legal_basis = models.CharField(
        _("văn bản áp dụng"),
        max_length=255,
        default=DEFAULT_LEGAL_BASIS,
        help_text=_("Khung pháp lý về cơ chế một cửa có hiệu lực khi nộp hồ sơ."),
    )
    revision = models.PositiveIntegerField(
        _("phiên bản dữ liệu"),
        default=1,
        help_text=_("Tăng mỗi lần chuyển trạng thái, để hai cán bộ không ghi đè lên nhau."),
    )
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    original_due_at = models.DateTimeField(
        _("hạn giải quyết theo quy định"),
        null=True,
        blank=True,
        help_text=_(
            "Hẹn trả tính từ thời gian giải quyết theo quy định, dời theo thời gian tạm dừng "
            "chờ bổ sung nhưng không theo ngày hẹn lại sau văn bản xin lỗi; dùng để xác định "
            "hồ sơ quá hạn."
        ),
    )
    current_step = models.ForeignKey(
        "catalog.ProcessStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bước đang xử lý"),
        help_text=_("Bước của quy trình nội bộ mà hồ sơ đang ở; trống khi chưa hoặc đã xử lý."),
    )
    step_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        # The partial index dossier_queue_handed serves every lookup by this column.
        db_index=False,
        verbose_name=_("cơ quan liên thông đang xử lý"),
        help_text=_(
            "Cơ quan của bước đang xử lý khi đó là một cơ quan khác cơ quan tiếp nhận "
            "(liên thông); trống trong mọi trường hợp khác. Suy ra từ bước đang xử lý, để "
            "danh sách hồ sơ của cơ quan đó đọc được theo chỉ mục."
        ),
    )
    step_due_at = models.DateTimeField(
        _("hạn của bước"),
        null=True,
        blank=True,
        help_text=_("Thời điểm phải hoàn thành bước đang xử lý."),
    )
    clock_stopped_at = models.DateTimeField(
        _("tạm dừng tính thời gian từ"),
        null=True,
        blank=True,
        help_text=_("Thời điểm bắt đầu chờ công dân bổ sung hồ sơ; trống khi không tạm dừng."),
    )
    apologized_at = models.DateTimeField(
        _("thời điểm xin lỗi, hẹn lại"),
        null=True,
        blank=True,
        help_text=_("Văn bản xin lỗi và hẹn lại ngày trả chỉ được gửi một lần."),
    )
    result_approved_at = models.DateTimeField(
        _("thời điểm phê duyệt kết quả"),
        null=True,
        blank=True,
        help_text=_(
            "Khi lãnh đạo hoàn thành bước phê duyệt cuối cùng của quy trình; từ đó kết quả là "
            "của người nộp, không còn được thay hay gỡ. Trống lại nếu hồ sơ bị trả về bước đó."
        ),
    )
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    return_method = models.CharField(
        _("hình thức trả kết quả"), max_length=12, choices=ReturnMethod.choices, blank=True
    )
    postal_tracking_number = models.CharField(
        _("số hiệu bưu gửi"),
        max_length=64,
        blank=True,
        help_text=_("Khi trả kết quả qua dịch vụ bưu chính công ích."),
    )

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The officers' queue (selectors.officer_queue) reads each agency's open
            # dossiers in its order, "due moment, undated last, then submission": one
            # index (partial: the open ones, a small share of the years) for the dossiers
            # an agency received, one (partial, small) for those at its inter-agency step.
            # The "due_at IS NULL" term puts undated dossiers last on both databases in the
            # index itself (SQLite indexes cannot say NULLS LAST).
            models.Index(
                "agency",
                IsNull(models.F("due_at"), True),
                "due_at",
                "submitted_at",
                "id",
                name="dossier_queue_received",
                condition=models.Q(finished_at__isnull=True)
                & ~models.Q(status__in=FINISHED_STATUSES),
            ),
            # A status filter, finished statuses included, reads the same order within
            # one status. It also serves every other lookup by agency.
            models.Index(
                "agency",
                "status",
                IsNull(models.F("due_at"), True),
                "due_at",
                "submitted_at",
                "id",
                name="dossier_queue_status",
            ),
            # "Overdue" and "due soon" read open dossiers only, a small share of the years.
            models.Index(
                "agency",
                "due_at",
                name="dossier_queue_open",
                condition=models.Q(finished_at__isnull=True)
                & ~models.Q(status__in=FINISHED_STATUSES),
            ),
            models.Index(
                "step_agency",
                IsNull(models.F("due_at"), True),
                "due_at",
                "submitted_at",
                "id",
                name="dossier_queue_handed",
                condition=models.Q(step_agency__isnull=False),
            ),
        ]
        constraints = [
            # One entry of an agency's yearly register is one dossier. NULLs are distinct
            # on both databases, so the dossiers not yet received do not collide.
            models.UniqueConstraint(
                fields=["agency", "register_year", "register_number"],
                name="dossier_register_entry",
            ),
            models.CheckConstraint(
                condition=models.Q(register_year__isnull=True, register_number__isnull=True)
                | models.Q(register_year__isnull=False, register_number__isnull=False),
                name="dossier_register_entry_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def audit_key(self) -> str:
        return self.code

    @property
    def register_book(self) -> str:
        """Return the register book that holds the dossier (``26/<agency>``), or ""."""
        if self.register_year is None:
            return ""
        return register_book(self.agency.code, self.register_year)

    @property
    def register_entry(self) -> str:
        """Return the dossier's number in that book as printed (``0012``), or ""."""
        if self.register_number is None:
            return ""
        return register_number_text(self.register_number)

    def papers_handed_in(self) -> list["DossierPaper"]:
        """Return what was handed in on paper at the desk or by post, in the components'
        order; nothing for a dossier sent online, without a query."""
        if self.channel == Channel.ONLINE:
            return []
        return list(self.papers.all())  # in the components' order (``DossierPaper.Meta``)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an event of a dossier's history."""


class DossierEvent(models.Model):
    """One event of a dossier's history (nhật ký xử lý hồ sơ). Rows are only inserted."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events", verbose_name=_("hồ sơ")
    )
    sequence = models.PositiveIntegerField(_("thứ tự"), help_text=_("1, 2, … trong mỗi hồ sơ."))
    action = models.CharField(_("hành động"), max_length=32, choices=Action.choices)
    from_status = models.CharField(
        _("trạng thái trước"),
        max_length=24,
        choices=DossierStatus.choices,
        blank=True,
        help_text=_("Trống với sự kiện nộp hồ sơ."),
    )
    to_status = models.CharField(_("trạng thái sau"), max_length=24, choices=DossierStatus.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_label = models.CharField(_("tên người thực hiện"), max_length=150)
    comment = models.TextField(_("ý kiến"), blank=True)
    data = models.JSONField(
        _("chi tiết"),
        default=dict,
        blank=True,
        help_text=_("Ví dụ: danh sách giấy tờ cần bổ sung, lý do từ chối."),
    )
    due_at = models.DateTimeField(
        _("hẹn trả sau sự kiện"),
        null=True,
        blank=True,
        help_text=_("Thời điểm hẹn trả có hiệu lực sau sự kiện này."),
    )

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossier_event_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Dossier events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Dossier events cannot be deleted.")

    @property
    def happened(self) -> str:
        """How the history names this event: "Submitted" in English, not "Submit"."""
        return happened(self.action)

    @property
    def moved_appointment(self) -> bool:
        """Whether this is the working calendar's move of the applicant's appointment, not
        only of the officers' deadlines (``services.rescheduling``)."""
        return self.action == Action.RESCHEDULE and "previous_due_at" in (self.data or {})

    @property
    def stated_reason(self) -> str:
        """Return the reason the history and the email give for this event: the one its
        data records, or for a calendar move what the change did ("Ngày nghỉ … đã được
        hủy"), in the reader's language; "" if none."""
        data = self.data if isinstance(self.data, dict) else {}
        reason = _text(data.get("reason"))
        if self.action == Action.RESCHEDULE:
            return calendar_change_text(data.get("calendar"), name=reason)
        return reason

    @property
    def reason_language(self) -> str:
        """Return the language of ``stated_reason``: "vi" for someone's words (an officer's,
        a calendar entry's name), "" for a calendar move's sentence, which is in the
        reader's language (the entry's name within it marks nothing then)."""
        return "" if self.action == Action.RESCHEDULE else "vi"

    def data_moment(self, key: str) -> datetime | None:
        """Return the moment the data writes under ``key`` in ISO 8601, or ``None``.

        The services write aware moments; one without its offset was spoilt by hand and
        tells no moment, as does anything unreadable.
        """
        value = self.data.get(key) if isinstance(self.data, dict) else None
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None
        return moment if moment is not None and moment.tzinfo is not None else None

    @property
    def return_method(self) -> str:
        """Return how the result was handed back ("Trả qua dịch vụ bưu chính công ích"),
        with the postal tracking number, or who took it at the desk; "" for any other
        event."""
        data = self.data if isinstance(self.data, dict) else {}
        if self.action != Action.RETURN_RESULT or data.get("method") not in ReturnMethod.values:
            return ""
        method = str(ReturnMethod(data["method"]).label)
        tracking = data.get("postal_tracking_number")
        if isinstance(tracking, str) and tracking:
            return _("%(method)s, số hiệu bưu gửi %(number)s") % {
                "method": method,
                "number": tracking,
            }
        recipient = data.get("recipient")
        if isinstance(recipient, str) and recipient:
            return _("%(method)s, người nhận: %(name)s") % {"method": method, "name": recipient}
        return method

    @property
    def requested_items(self) -> list[dict[str, str]]:
        """Return the papers a supplement request asked for (name and reason); [] for
        any other event, and for data that does not hold such a list."""
        data = self.data if isinstance(self.data, dict) else {}
        items = data.get("items") if self.action == Action.REQUEST_SUPPLEMENT else None
        if not isinstance(items, list):
            return []
        return [
            {"name": _text(item.get("name")), "reason": _text(item.get("reason"))}
            for item in items
            if isinstance(item, dict)
        ]


class NoticeOutcome(models.TextChoices):
    """How an applicant's notice was closed: sent, or why it was not (``closed_as``)."""

    SENT = "sent", _("đã gửi")
    NO_ADDRESS = "no_address", _("không gửi: hồ sơ không có địa chỉ thư điện tử")
    SUPERSEDED = "superseded", _("không gửi: hồ sơ đã có thông báo mới hơn")
    REFUSED = "refused", _("không gửi: máy chủ thư từ chối hẳn địa chỉ")
    # Only the notices closed unsent before the reason was recorded (migration 0023).
    UNRECORDED = "unrecorded", _("không gửi, không rõ lý do (đóng trước khi ghi lý do)")


class DossierNotice(models.Model):
    """The applicant's notice of one event, to be sent (the outbox of notices, thông báo).

    Written in the event's own transaction, so a notice exists exactly when its event was
    committed; ``sent_at`` is set once the email went out, and a notice marked sent is
    never sent again. A sender first claims the notice until ``claimed_until`` so that two
    workers do not send it together; a claim left by a dead worker lapses and the notice is
    sent later. A notice is also closed unsent (``sent_at`` set, no ``recipient``): when its
    dossier has no email address, when a newer notice of its dossier exists, or when the
    mail server refused its address for good. ``closed_as`` says which, or that it was
    sent. See ``sen.dossiers.outbox`` and ADR 0011.
    """

    event = models.OneToOneField(
        DossierEvent,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="notice",
        verbose_name=_("sự kiện"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    claimed_until = models.DateTimeField(
        _("đang gửi đến"),
        null=True,
        blank=True,
        help_text=_("Một tiến trình đang gửi thông báo; hết hạn thì tiến trình khác gửi lại."),
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử gửi"), default=0)
    sent_at = models.DateTimeField(
        _("đã gửi lúc"),
        null=True,
        blank=True,
        help_text=_("Trống khi chưa gửi; đã có thì không bao giờ gửi lại."),
    )
    recipient = models.CharField(
        _("người nhận"),
        max_length=254,
        blank=True,
        help_text=_("Địa chỉ thư đã gửi; trống khi không gửi (lý do ở cột kết quả)."),
    )
    closed_as = models.CharField(
        _("kết quả"),
        max_length=16,
        choices=NoticeOutcome.choices,
        blank=True,
        help_text=_("Đã gửi, hoặc vì sao không gửi; trống khi chưa xong."),
    )

    class Meta:
        verbose_name = _("thông báo cho người nộp")
        verbose_name_plural = _("thông báo cho người nộp")
        ordering = ["event_id"]
        indexes = [
            # The sweeper reads the pending notices only, oldest first.
            models.Index(
                fields=["created_at"],
                name="dossier_notice_pending",
                condition=models.Q(sent_at__isnull=True),
            ),
        ]
        constraints = [
            # A notice is closed, sent or not, exactly when it says how.
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True, closed_as="")
                | (models.Q(sent_at__isnull=False) & ~models.Q(closed_as="")),
                name="dossier_notice_closed_as_said",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.closed_as or 'pending'}"


class DossierFile(models.Model):
    """A file the applicant submitted with the dossier (tệp đính kèm)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="files", verbose_name=_("hồ sơ")
    )
    component = models.ForeignKey(
        "catalog.DocumentComponent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
        help_text=_("Trống với tệp nộp thêm ngoài thành phần hồ sơ."),
    )
    requested_item = models.CharField(
        _("giấy tờ được yêu cầu bổ sung"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Giấy tờ trong yêu cầu bổ sung mà tệp này nộp cho; trống với tệp nộp lần đầu."),
    )
    event = models.ForeignKey(
        DossierEvent,
        on_delete=models.PROTECT,
        related_name="files",
        verbose_name=_("sự kiện"),
        help_text=_("Lần nộp hoặc nộp bổ sung đã mang tệp này đến."),
    )
    file = models.FileField(
        _("tệp"),
        upload_to="dossiers/",
        max_length=255,
        help_text=_("Lưu tại dossiers/<mã hồ sơ>/ với tên do hệ thống đặt."),
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["dossier_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class DossierPaper(models.Model):
    """What the applicant handed in on paper of one component at the desk or by post
    (giấy tờ bản giấy), as the one-stop officer counted it.

    The receipt slip (mẫu 01) lists each component with its originals, certified copies and
    photocopies. A dossier entered at the desk has them on paper; its files are the desk's
    scans of that paper, not more papers. An original only shown for comparison and given
    back (xuất trình để đối chiếu) is recorded as shown.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="papers", verbose_name=_("hồ sơ")
    )
    component = models.ForeignKey(
        "catalog.DocumentComponent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("số bản chụp"), default=0)
    original_shown = models.BooleanField(
        _("đã xuất trình bản chính"),
        default=False,
        help_text=_("Bản chính đã được xuất trình để đối chiếu và trả lại người nộp."),
    )

    class Meta:
        verbose_name = _("giấy tờ bản giấy")
        verbose_name_plural = _("giấy tờ bản giấy")
        ordering = ["dossier_id", "component__position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "component"], name="dossier_paper_once"),
        ]

    def __str__(self) -> str:
        return str(self.component)


class StepRecord(models.Model):
    """One pass of the dossier through one internal step (a row of the control sheet, mẫu 06).

    A projection of the step events, kept in its own table because a step's due moment
    moves when the clock stops for a supplement, and because the officers' queues and the
    control sheet read steps, not the whole history.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="steps", verbose_name=_("hồ sơ")
    )
    step = models.ForeignKey(
        "catalog.ProcessStep",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bước"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự bước"))
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan thực hiện"),
        help_text=_("Cơ quan của bước (liên thông) hoặc cơ quan tiếp nhận hồ sơ."),
    )
    role = models.CharField(_("vai trò thực hiện"), max_length=20)
    started_at = models.DateTimeField(_("bắt đầu"))
    due_at = models.DateTimeField(_("hạn hoàn thành"))
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người hoàn thành"),
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    outcome = models.CharField(
        _("kết quả so với hạn"), max_length=8, choices=StepOutcome.choices, blank=True
    )

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier_id", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} bước {self.position}"


class ClockStop(models.Model):
    """A time the clock stood still while the applicant supplemented the dossier."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="clock_stops", verbose_name=_("hồ sơ")
    )
    started_at = models.DateTimeField(_("tạm dừng từ"), help_text=_("Lúc yêu cầu bổ sung."))
    ended_at = models.DateTimeField(
        _("tiếp tục lúc"), null=True, blank=True, help_text=_("Lúc công dân nộp bổ sung.")
    )
    due_before = models.DateTimeField(_("hẹn trả trước khi tạm dừng"))
    step_due_before = models.DateTimeField(_("hạn bước trước khi tạm dừng"), null=True)
    original_due_before = models.DateTimeField(_("hạn theo quy định trước khi tạm dừng"))

    class Meta:
        verbose_name = _("thời gian tạm dừng")
        verbose_name_plural = _("thời gian tạm dừng")
        ordering = ["dossier_id", "started_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {short_moment(self.started_at)}"


class DossierResult(models.Model):
    """The result of a dossier (kết quả giải quyết): a file an officer attached, or the
    document they drafted in Sen (``services.dossier_generate_result``)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="results", verbose_name=_("hồ sơ")
    )
    event = models.ForeignKey(
        DossierEvent, on_delete=models.PROTECT, related_name="+", verbose_name=_("sự kiện")
    )
    file = models.FileField(_("tệp"), upload_to="results/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    attached_at = models.DateTimeField(_("thời điểm đính kèm"))
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đính kèm"),
    )

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        ordering = ["dossier_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class DailySequence(models.Model):
    """The last dossier number an agency gave on one day (số thứ tự hồ sơ trong ngày)."""

    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày theo giờ Việt Nam."))
    last = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_daily_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y}: {self.last}"


class OfficerEmail(models.Model):
    """What the officers' emails (reminders, digests) record of each address: claimed until
    when by a run sending it, and when it was sent."""

    sent_at = models.DateTimeField(
        _("thời điểm gửi"),
        null=True,
        blank=True,
        help_text=_("Cũng ghi khi máy chủ thư từ chối hẳn địa chỉ này (đã ghi nhật ký)."),
    )
    claimed_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)

    class Meta:
        abstract = True


class StepReminder(OfficerEmail):
    """One officer's reminder that a step is due soon (``notifications.due_soon_reminders``),
    claimed before it is sent, recorded once sent: each address hears of each due moment of a
    step once, whatever happens to the others' emails. A claim not recorded within its lease
    (a run cut off) may be taken by a later run; a claim given back is deleted."""

    step = models.ForeignKey(
        StepRecord, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("bước")
    )
    due_at = models.DateTimeField(
        _("hạn được nhắc"),
        help_text=_(
            "Hạn của bước mà lời nhắc báo: khi hạn dời (bổ sung hồ sơ, lịch làm việc đổi), "
            "cán bộ được nhắc lại."
        ),
    )
    email = models.EmailField(_("gửi đến"))

    class Meta:
        verbose_name = _("lời nhắc bước sắp đến hạn")
        verbose_name_plural = _("lời nhắc bước sắp đến hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "due_at", "email"], name="dossier_step_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_id} {self.email}"


class OverdueDigestSent(OfficerEmail):
    """One officer's email of an agency's daily digest of overdue dossiers, claimed for the
    day before it is sent: a second run of the schedule that day (a retried cron job, two
    hosts) does not send it again, and one officer's email failing does not hold back the
    others'. A claim not marked sent within its lease (a run cut off) may be taken by a later
    run; a claim given back is deleted."""

    agency = models.ForeignKey(
        "core.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày theo giờ Việt Nam."))
    email = models.EmailField(
        _("gửi đến"),
        blank=True,
        help_text=_("Địa chỉ của cán bộ; để trống ở các ngày trước khi gửi riêng từng người."),
    )

    class Meta:
        verbose_name = _("thư tổng hợp hồ sơ quá hạn đã gửi")
        verbose_name_plural = _("thư tổng hợp hồ sơ quá hạn đã gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "day", "email"], name="dossier_overdue_digest_day_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y} {self.email}"


class RegisterSequence(models.Model):
    """The last number an agency's dossier register gave in one year (số thứ tự trong Sổ
    theo dõi hồ sơ): the sibling of ``DailySequence``, drawn the same way at each receipt."""

    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), help_text=_("Năm tiếp nhận theo giờ Việt Nam: mỗi năm một quyển sổ.")
    )
    last = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("số thứ tự trong sổ theo dõi hồ sơ")
        verbose_name_plural = _("số thứ tự trong sổ theo dõi hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="dossier_register_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key``: a retried submission returns the first dossier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        # The unique (user, key) index serves lookups by user. A second index on the user
        # alone tempted PostgreSQL into scanning every key of a busy account.
        db_index=False,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    key = models.CharField(_("khóa"), max_length=255)
    fingerprint = models.CharField(
        _("dấu vân tay yêu cầu"),
        max_length=64,
        help_text=_("SHA-256 của yêu cầu: thủ tục, biểu mẫu, người nộp, SHA-256 của các tệp."),
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ")
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("khóa chống gửi trùng")
        verbose_name_plural = _("khóa chống gửi trùng")
        constraints = [
            # Two partial indexes rather than NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=models.Q(user__isnull=False),
                name="dossier_idempotency_user_key",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(user__isnull=True),
                name="dossier_idempotency_system_key",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class DossierRating(models.Model):
    """The applicant's rating of how a returned dossier was served (đánh giá giải quyết TTHC).

    One per dossier. ``scores`` maps each criterion code of ``sen.dossiers.ratings.CRITERIA``
    to one of its allowed values; the service checks them, the model only stores them.
    """

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="rating", verbose_name=_("hồ sơ")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đánh giá"),
        help_text=_("Tài khoản người nộp hồ sơ."),
    )
    scores = models.JSONField(
        _("điểm theo tiêu chí"),
        help_text=_("Mã tiêu chí → điểm, theo bộ tiêu chí đánh giá việc giải quyết TTHC."),
    )
    comment = models.TextField(_("ý kiến"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá giải quyết hồ sơ")
        verbose_name_plural = _("đánh giá giải quyết hồ sơ")
        ordering = ["-rated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.rated_at:%d/%m/%Y}"


class PersonalDataRead(AuditEntry):
    """The audit log's records of an official reading an applicant's personal data, for the
    administrator who must say who read a citizen's data (``dossiers.admin``)."""

    class Meta:
        proxy = True
        verbose_name = _("lượt đọc dữ liệu cá nhân")
        verbose_name_plural = _("lượt đọc dữ liệu cá nhân")
