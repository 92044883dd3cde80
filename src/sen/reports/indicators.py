"""The formulas of the service-quality index (Quyết định 766/QĐ-TTg) and plain statistics.

Plain functions without database access: they take the counters summed over a unit and a
period (``sen.reports.facts.COUNTERS``) and the unfinished dossiers at the period's end, and
return each indicator's score with the counts it comes from. ``docs/indicators.md`` gives
each formula and its source; indicators the platform has no data for yet are listed with
``supported = False`` and score ``None``, and the index adds only the supported ones
(``max_score`` says out of how much).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Indicator:
    """One indicator: its code, name, maximum points, score and the counts behind it."""

    code: str
    name: str
    max_points: Decimal
    supported: bool
    score: Decimal | None = None
    rate: Decimal | None = None  # numerator / denominator, 4 places
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: Decimal
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        """Return the sum of the scored indicators, ``None`` if none could be scored."""
        scores = [i.score for i in self.indicators if i.score is not None]
        return sum(scores, Decimal(0)) if scores else None

    @property
    def max_score(self) -> Decimal:
        """Return the points the scored indicators could have given."""
        return sum((i.max_points for i in self.indicators if i.score is not None), Decimal(0))


@dataclass(frozen=True)
class Unfinished:
    """Dossiers received and not finished at the judging moment, and how many of them late."""

    total: int
    late: int


def to_float(value: Decimal | None) -> float | None:
    """Return a score or rate as JSON and spreadsheets take it; ``None`` stays ``None``."""
    return float(value) if value is not None else None


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def _scored(
    code: str,
    name: str,
    points: int,
    numerator: int,
    denominator: int,
    *,
    full_at: Decimal = Decimal(1),
    note: str = "",
) -> Indicator:
    """Return an indicator scoring ``points × min(1, rate / full_at)``; no score without data."""
    rate = _rate(numerator, denominator)
    score = None
    if rate is not None:
        raw = Decimal(points) * min(Decimal(1), Decimal(numerator) / Decimal(denominator) / full_at)
        score = raw.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return Indicator(
        code=code,
        name=str(name),
        max_points=Decimal(points),
        supported=True,
        score=score,
        rate=rate,
        numerator=numerator,
        denominator=denominator,
        note=str(note),
    )


def _unsupported(code: str, name: str, points: int, note: str) -> Indicator:
    return Indicator(
        code=code, name=str(name), max_points=Decimal(points), supported=False, note=str(note)
    )


def index_groups(
    counters: Mapping[str, int], unfinished: Unfinished, *, online_procedures: tuple[int, int]
) -> list[Group]:
    """Return the six groups of the index for the summed ``counters`` of a unit and period.

    ``unfinished`` are the dossiers open at the period's end (or now, for a period not
    over); ``online_procedures`` is (procedures offering an online service that received
    at least one online dossier, procedures offering one that received any dossier).
    """
    c = counters
    in_time = c["resolved_early"] + c["resolved_on_time"] + unfinished.total - unfinished.late
    judged = c["resolved"] + unfinished.total
    with_online, offered = online_procedures
    no_payment = _("Chưa có dữ liệu thanh toán trực tuyến (phân hệ thanh toán chưa xây dựng).")
    no_feedback = _("Chưa có dữ liệu phản ánh, kiến nghị (phân hệ phản ánh chưa xây dựng).")
    no_sync = _("Chưa có dữ liệu đồng bộ, công khai với Cổng Dịch vụ công quốc gia.")
    no_datastore = _("Chưa có kho dữ liệu điện tử của tổ chức, cá nhân.")
    return [
        Group(
            "ckmb",
            str(_("Công khai, minh bạch")),
            Decimal(18),
            [
                _unsupported("ckmb_dong_bo", _("Đồng bộ hồ sơ lên Cổng DVC quốc gia"), 6, no_sync),
                _unsupported("ckmb_cong_khai", _("Công khai TTHC đúng hạn"), 4, no_sync),
                _unsupported("ckmb_tra_cuu", _("Cập nhật tiến độ, tra cứu hồ sơ"), 8, no_sync),
            ],
        ),
        Group(
            "tdgq",
            str(_("Tiến độ, kết quả giải quyết")),
            Decimal(20),
            [
                _scored(
                    "tdgq_dung_han",
                    _("Hồ sơ giải quyết đúng hạn và đang giải quyết còn trong hạn"),
                    20,
                    in_time,
                    judged,
                )
            ],
        ),
        Group(
            "dvctt",
            str(_("Cung cấp dịch vụ công trực tuyến")),
            Decimal(12),
            [
                _scored(
                    "dvctt_ho_so",
                    _("Hồ sơ nộp trực tuyến trên hồ sơ của TTHC có DVCTT"),
                    6,
                    c["online_capable_online"],
                    c["online_capable"],
                ),
                _scored(
                    "dvctt_thu_tuc",
                    _("TTHC có DVCTT phát sinh hồ sơ trực tuyến"),
                    6,
                    with_online,
                    offered,
                ),
            ],
        ),
        Group(
            "tttt",
            str(_("Thanh toán trực tuyến")),
            Decimal(10),
            [_unsupported("tttt_ho_so", _("Hồ sơ thanh toán trực tuyến"), 10, no_payment)],
        ),
        Group(
            "mdhl",
            str(_("Mức độ hài lòng")),
            Decimal(18),
            [
                _scored(
                    "mdhl_danh_gia",
                    _("Đánh giá hài lòng trong tiếp nhận, giải quyết TTHC"),
                    6,
                    c["rated_satisfied"],
                    c["rated"],
                    full_at=Decimal("0.9"),
                ),
                _unsupported("mdhl_pakn", _("Phản ánh, kiến nghị xử lý đúng hạn"), 6, no_feedback),
                _unsupported(
                    "mdhl_khong_tre_khieu_nai",
                    _("Hồ sơ không trễ hạn, không bị phản ánh"),
                    6,
                    no_feedback,
                ),
            ],
        ),
        Group(
            "mdsh",
            str(_("Số hóa hồ sơ")),
            Decimal(22),
            [
                _scored(
                    "mdsh_ket_qua",
                    _("Hồ sơ có kết quả điện tử"),
                    6,
                    c["electronic_result"],
                    c["with_result"],
                ),
                _scored(
                    "mdsh_ho_so",
                    _("Hồ sơ có thành phần số hóa khi tiếp nhận"),
                    6,
                    c["digitized"],
                    c["received"],
                    full_at=Decimal("0.8"),
                ),
                _unsupported("mdsh_tai_su_dung", _("Tái sử dụng dữ liệu số hóa"), 4, no_datastore),
                _unsupported("mdsh_kho", _("Kết nối kho dữ liệu cá nhân"), 3, no_datastore),
                _unsupported(
                    "mdsh_dan_cu",
                    _("Khai thác dữ liệu dân cư"),
                    3,
                    _("Chưa kết nối Cơ sở dữ liệu quốc gia về dân cư."),
                ),
            ],
        ),
    ]


def index_total(groups: list[Group]) -> tuple[Decimal | None, Decimal]:
    """Return the index (sum of the scored groups) and the points it is out of."""
    scores = [g.score for g in groups if g.score is not None]
    total = sum(scores, Decimal(0)) if scores else None
    return total, sum((g.max_score for g in groups), Decimal(0))


def statistics(counters: Mapping[str, int], unfinished: Unfinished) -> dict[str, object]:
    """Return the plain statistics of a unit and period: counts, shares and average time."""
    c = counters
    resolved = c["resolved"]
    average_hours = None
    if resolved:
        hours = Decimal(c["processing_seconds"]) / Decimal(3600) / Decimal(resolved)
        average_hours = hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {
        "submitted": c["submitted"],
        "received": c["received"],
        "received_by_channel": {
            "desk": c["received_desk"],
            "online": c["received_online"],
            "post": c["received_post"],
        },
        "refused": c["refused"],
        "withdrawn": c["withdrawn"],
        "resolved": resolved,
        "early": c["resolved_early"],
        "on_time": c["resolved_on_time"],
        "late": c["resolved_late"],
        "stopped": c["stopped"],
        "on_time_rate": _rate(c["resolved_early"] + c["resolved_on_time"], resolved),
        "unfinished_at_end": unfinished.total,
        "unfinished_late_at_end": unfinished.late,
        "returned": c["returned"],
        "returned_electronic": c["returned_electronic"],
        "rated": c["rated"],
        "rated_satisfied": c["rated_satisfied"],
        "average_processing_hours": average_hours,
    }
