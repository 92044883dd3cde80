"""The indicators' own projections of the dossiers: monthly counters and per-dossier facts.

Kept in the same transaction as every change of a dossier (``sen.reports.services``) and
rebuildable from the dossiers at any time (``sen recompute_indicators``). No other app writes
or reads these tables; they read the reports' selectors.

The counters are kept at three grains so that any report reads a few hundred rows however
many dossiers and agencies there are: per agency and procedure (``ProcedureMonth``, the
source of the others), per agency (``AgencyMonth``), and per province (``ProvinceMonth``,
``ProvinceProcedureMonth``). ``OpenLateDay`` counts the dossiers open now by the day they
become late, for "overdue now" without counting the open dossiers one by one.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MonthlyCounters(models.Model):
    """The counters of one month (see ``sen.reports.facts``); subclasses add the dimensions.

    Every counter defaults to 0 in the database too: a change names only the counters it
    moves (``services._add_sql``).
    """

    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng, giờ Việt Nam."))
    submitted = models.IntegerField(_("hồ sơ nộp"), default=0, db_default=0)
    received = models.IntegerField(_("hồ sơ tiếp nhận"), default=0, db_default=0)
    received_desk = models.IntegerField(_("tiếp nhận trực tiếp"), default=0, db_default=0)
    received_online = models.IntegerField(_("tiếp nhận trực tuyến"), default=0, db_default=0)
    received_post = models.IntegerField(_("tiếp nhận qua bưu chính"), default=0, db_default=0)
    online_capable = models.IntegerField(
        _("hồ sơ của TTHC có DVCTT"),
        default=0,
        db_default=0,
        help_text=_("Hồ sơ tiếp nhận thuộc thủ tục cung cấp dịch vụ công trực tuyến."),
    )
    online_capable_online = models.IntegerField(
        _("trong đó nộp trực tuyến"), default=0, db_default=0
    )
    digitized = models.IntegerField(_("hồ sơ có thành phần số hóa"), default=0, db_default=0)
    refused = models.IntegerField(_("từ chối tiếp nhận"), default=0, db_default=0)
    withdrawn = models.IntegerField(_("rút hồ sơ"), default=0, db_default=0)
    resolved = models.IntegerField(_("đã giải quyết"), default=0, db_default=0)
    resolved_early = models.IntegerField(_("giải quyết trước hạn"), default=0, db_default=0)
    resolved_on_time = models.IntegerField(_("giải quyết đúng hạn"), default=0, db_default=0)
    resolved_late = models.IntegerField(_("giải quyết quá hạn"), default=0, db_default=0)
    stopped = models.IntegerField(_("dừng giải quyết"), default=0, db_default=0)
    with_result = models.IntegerField(_("có kết quả"), default=0, db_default=0)
    electronic_result = models.IntegerField(_("có kết quả điện tử"), default=0, db_default=0)
    processing_seconds = models.BigIntegerField(
        _("tổng thời gian giải quyết (giây)"),
        default=0,
        db_default=0,
        help_text=_("Từ tiếp nhận đến kết thúc, thời gian lịch, cộng cho hồ sơ đã giải quyết."),
    )
    returned = models.IntegerField(_("đã trả kết quả"), default=0, db_default=0)
    returned_electronic = models.IntegerField(_("trả kết quả điện tử"), default=0, db_default=0)
    rated = models.IntegerField(_("lượt đánh giá"), default=0, db_default=0)
    rated_satisfied = models.IntegerField(_("đánh giá hài lòng"), default=0, db_default=0)
    open_delta = models.IntegerField(
        _("biến động hồ sơ đang giải quyết"),
        default=0,
        db_default=0,
        help_text=_("+1 tháng tiếp nhận, −1 tháng kết thúc; cộng dồn = tồn cuối tháng."),
    )
    open_late_delta = models.IntegerField(
        _("biến động hồ sơ đang giải quyết quá hạn"),
        default=0,
        db_default=0,
        help_text=_("+1 tháng bắt đầu quá hạn, −1 tháng kết thúc; cộng dồn = tồn quá hạn."),
    )

    class Meta:
        abstract = True


class AgencyMonth(MonthlyCounters):
    """The counters of the dossiers an agency received, for one month."""

    agency = models.ForeignKey(
        "core.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )

    class Meta:
        verbose_name = _("số liệu tháng của cơ quan")
        verbose_name_plural = _("số liệu tháng của cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="reports_agency_month"),
        ]
        indexes = [models.Index(fields=["month", "agency"], name="reports_agency_month_by_month")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"


class ProcedureMonth(MonthlyCounters):
    """The counters of one agency's dossiers of one procedure version, for one month."""

    agency = models.ForeignKey(
        "core.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.CASCADE, related_name="+", verbose_name=_("thủ tục")
    )

    class Meta:
        verbose_name = _("số liệu tháng theo thủ tục")
        verbose_name_plural = _("số liệu tháng theo thủ tục")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "month"], name="reports_procedure_month"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "agency"], name="reports_procedure_month_by_mon"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.month:%m/%Y}"


class ProvinceMonth(MonthlyCounters):
    """The counters of all the agencies of one province, for one month.

    An agency belongs to the province of its administrative unit (the unit itself at
    provincial level, else its parent), as a province's report (``access.resolve_unit``)
    gathers them. After agencies move between provinces, run ``recompute_indicators``.
    """

    province = models.ForeignKey(
        "core.AdministrativeUnit",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tỉnh"),
    )

    class Meta:
        verbose_name = _("số liệu tháng của tỉnh")
        verbose_name_plural = _("số liệu tháng của tỉnh")
        constraints = [
            models.UniqueConstraint(fields=["province", "month"], name="reports_province_month"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}"


class ProvinceProcedureMonth(MonthlyCounters):
    """The counters of one province's dossiers of one procedure version, for one month."""

    province = models.ForeignKey(
        "core.AdministrativeUnit",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tỉnh"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("thủ tục"),
    )

    class Meta:
        verbose_name = _("số liệu tháng của tỉnh theo thủ tục")
        verbose_name_plural = _("số liệu tháng của tỉnh theo thủ tục")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "month", "procedure"], name="reports_province_procedure_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.procedure_id} {self.month:%m/%Y}"


class OpenLateDay(models.Model):
    """How many of an agency's dossiers open now become late on one day (Vietnam time).

    The dossiers overdue now are those in progress less those not late yet: the rows of the
    days after today, and today's not yet past their moment (read from ``DossierFact``'s open
    rows, one day's worth; see ``selectors._not_late_now``).
    """

    agency = models.ForeignKey(
        "core.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    day = models.DateField(_("ngày bắt đầu quá hạn"))
    open = models.IntegerField(_("hồ sơ đang giải quyết"), default=0, db_default=0)

    class Meta:
        verbose_name = _("hồ sơ đang giải quyết theo ngày quá hạn")
        verbose_name_plural = _("hồ sơ đang giải quyết theo ngày quá hạn")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="reports_open_late_day"),
        ]
        # Rows fall to zero as dossiers finish: the sums read only the others.
        indexes = [
            models.Index(
                fields=["agency", "day"], condition=Q(open__gt=0), name="reports_open_late_day_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y}"


class DossierFact(models.Model):
    """The facts of one dossier as last counted in the aggregates (``facts.DossierFacts``).

    A change is counted as the difference between the dossier's new facts and these, so the
    aggregates never count a dossier twice, whatever happened in between. The open rows
    (received, not finished) answer "in progress now" and "overdue now".
    """

    # A projection rebuilt from the dossiers: the database checks no reference (ten million
    # rows checked one by one slowed the recomputation most) and indexes only the open rows;
    # Django still cascades a deletion.
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("hồ sơ"),
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
        verbose_name=_("cơ quan"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
        verbose_name=_("thủ tục"),
    )
    channel = models.CharField(_("hình thức nộp"), max_length=10)
    online_capable = models.BooleanField(_("thủ tục có DVCTT"), default=False)
    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True)
    finished_at = models.DateTimeField(_("thời điểm kết thúc"), null=True)
    ending = models.CharField(
        _("cách kết thúc"),
        max_length=10,
        blank=True,
        help_text=_("result, stopped, withdrawn, refused; trống khi chưa kết thúc."),
    )
    original_due_at = models.DateTimeField(_("hạn giải quyết theo quy định"), null=True)
    clock_stopped_at = models.DateTimeField(_("tạm dừng từ"), null=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    late_from = models.DateTimeField(
        _("quá hạn từ"), null=True, help_text=_("Trống nếu hồ sơ không (chưa) bị tính quá hạn.")
    )
    digitized = models.BooleanField(_("có thành phần số hóa"), default=False)
    result_file = models.BooleanField(_("có kết quả điện tử"), default=False)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True)
    returned_electronically = models.BooleanField(_("trả kết quả điện tử"), default=False)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"), null=True)
    rating_satisfied = models.BooleanField(_("đánh giá hài lòng"), default=False)

    class Meta:
        verbose_name = _("dữ kiện chỉ số của hồ sơ")
        verbose_name_plural = _("dữ kiện chỉ số của hồ sơ")
        indexes = [
            # In progress and overdue now, per agency: only the open dossiers are indexed.
            models.Index(
                fields=["agency", "late_from"],
                condition=Q(received_at__isnull=False, finished_at__isnull=True),
                name="reports_fact_open",
            ),
        ]

    def __str__(self) -> str:
        return str(self.dossier_id)


FACT_FIELDS: tuple[str, ...] = (
    "channel",
    "online_capable",
    "submitted_at",
    "received_at",
    "finished_at",
    "ending",
    "original_due_at",
    "clock_stopped_at",
    "supplement_count",
    "digitized",
    "result_file",
    "returned_at",
    "returned_electronically",
    "rated_at",
    "rating_satisfied",
)
