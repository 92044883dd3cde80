"""The applicant's rating of a returned dossier, and the agency's satisfaction figures.

The criteria follow the national evaluation of how procedures are resolved under the
one-stop mechanism: Nghị định 61/2018/NĐ-CP Art. 32 (criteria) as amended by 107/2021,
and the indicator table of Thông tư 01/2018/TT-VPCP, each indicator scored 0 / 1 / 2.
Nghị định 118/2025/NĐ-CP and Thông tư 03/2025/TT-VPCP now govern; that they keep these
criteria and this scale is to verify (see ``docs/legal.md``). Only the criteria an applicant
can judge are asked here; the per-agency time of each step is measured, not asked.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sen.core.errors import NotAllowed
from sen.core.models import Agency, User
from sen.core.services import audit_record
from sen.core.text import group_thousands
from sen.dossiers.errors import AlreadyRated, InvalidRating, NotReturned
from sen.dossiers.models import Dossier, DossierRating
from sen.dossiers.permissions import is_applicant
from sen.dossiers.states import DossierStatus
from sen.reports.services import record_dossier_change

MAX_COMMENT_LENGTH = 1000

# A score at or above this counts as satisfied ("đạt" or better on the 0–2 scale).
SATISFIED_FROM = 1


@dataclass(frozen=True)
class Criterion:
    """One criterion: a stable code, its Vietnamese label, its allowed scores and their labels."""

    code: str
    label: Promise
    values: tuple[tuple[int, Promise], ...]

    @property
    def allowed(self) -> tuple[int, ...]:
        return tuple(value for value, _label in self.values)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "total_time",
        gettext_lazy("Tổng thời gian giải quyết so với thời gian theo quy định"),
        (
            (2, gettext_lazy("Sớm hơn quy định")),
            (1, gettext_lazy("Đúng quy định")),
            (0, gettext_lazy("Chậm hơn quy định")),
        ),
    ),
    Criterion(
        "contacts",
        gettext_lazy("Số lần phải liên hệ, đi lại để hoàn thiện hồ sơ"),
        (
            (2, gettext_lazy("Không quá 1 lần")),
            (1, gettext_lazy("2 lần")),
            (0, gettext_lazy("Từ 3 lần trở lên")),
        ),
    ),
    Criterion(
        "attitude",
        gettext_lazy("Thái độ, tinh thần trách nhiệm của cán bộ, công chức"),
        (
            (2, gettext_lazy("Hài lòng")),
            (1, gettext_lazy("Bình thường")),
            (0, gettext_lazy("Không hài lòng")),
        ),
    ),
    Criterion(
        "on_time",
        gettext_lazy("Trả kết quả đúng hẹn"),
        (
            (2, gettext_lazy("Trước ngày hẹn")),
            (1, gettext_lazy("Đúng ngày hẹn")),
            (0, gettext_lazy("Trễ hẹn")),
        ),
    ),
    Criterion(
        "information",
        gettext_lazy("Công khai, rõ ràng của thông tin và hướng dẫn về thủ tục"),
        (
            (2, gettext_lazy("Đầy đủ, rõ ràng")),
            (1, gettext_lazy("Chưa thật đầy đủ")),
            (0, gettext_lazy("Thiếu, khó hiểu")),
        ),
    ),
)

_BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


# --- Reads ----------------------------------------------------------------------------------


def rating_criteria() -> list[dict[str, Any]]:
    """Return the criteria for a rating form or the API: code, label, allowed values."""
    return [
        {
            "code": criterion.code,
            "label": str(criterion.label),
            "values": [{"value": value, "label": str(label)} for value, label in criterion.values],
        }
        for criterion in CRITERIA
    ]


@dataclass(frozen=True)
class CriterionSatisfaction:
    code: str
    label: str
    counts: dict[int, int]
    satisfied: int
    share: Decimal | None


@dataclass(frozen=True)
class AgencySatisfaction:
    """How an agency's dossiers were rated in a period."""

    ratings: int
    criteria: list[CriterionSatisfaction]


def agency_satisfaction(*, agency: Agency, start: datetime, end: datetime) -> AgencySatisfaction:
    """Return the agency's ratings made from ``start`` (included) to ``end`` (excluded).

    For each criterion: how many ratings gave each score, how many were satisfied (score
    at least ``SATISFIED_FROM``) and their share of all ratings (4 decimals; ``None`` without
    ratings). The agency is the one that received the dossier. One query, counted by the
    database.
    """
    aggregates: dict[str, Any] = {"ratings": Count("id")}
    for criterion in CRITERIA:
        for value in criterion.allowed:
            aggregates[f"{criterion.code}__{value}"] = Count(
                "id", filter=Q(**{f"scores__{criterion.code}": value})
            )
    row = DossierRating.objects.filter(
        dossier__agency=agency, rated_at__gte=start, rated_at__lt=end
    ).aggregate(**aggregates)
    total: int = row["ratings"]
    result = []
    for criterion in CRITERIA:
        counts = {value: row[f"{criterion.code}__{value}"] for value in criterion.allowed}
        satisfied = sum(n for value, n in counts.items() if value >= SATISFIED_FROM)
        share = (Decimal(satisfied) / Decimal(total)).quantize(Decimal("0.0001")) if total else None
        result.append(
            CriterionSatisfaction(
                code=criterion.code,
                label=str(criterion.label),
                counts=counts,
                satisfied=satisfied,
                share=share,
            )
        )
    return AgencySatisfaction(ratings=total, criteria=result)


# --- Writes ---------------------------------------------------------------------------------


def _check(scores: Any, comment: str) -> tuple[dict[str, int], str]:
    """Return the clean scores and comment, or raise ``InvalidRating`` naming every problem."""
    problems: list[dict[str, str]] = []
    clean: dict[str, int] = {}
    if not isinstance(scores, Mapping):
        problems.append({"field": "scores", "message": _("Điểm đánh giá phải là một đối tượng.")})
        scores = {}
    for criterion in CRITERIA:
        if criterion.code not in scores:
            problems.append({"field": criterion.code, "message": _("Hãy chấm điểm tiêu chí này.")})
            continue
        value = scores[criterion.code]
        # bool is an int in Python; True must not pass as a score of 1.
        if isinstance(value, bool) or not isinstance(value, int) or value not in criterion.allowed:
            allowed = ", ".join(str(v) for v in criterion.allowed)
            problems.append(
                {
                    "field": criterion.code,
                    "message": _("Điểm phải là một trong: %(allowed)s.") % {"allowed": allowed},
                }
            )
            continue
        clean[criterion.code] = value
    for code in sorted(str(key) for key in scores if key not in _BY_CODE):
        problems.append({"field": code, "message": _("Không có tiêu chí đánh giá này.")})
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        problems.append(
            {
                "field": "comment",
                "message": _("Ý kiến dài tối đa %(max)s ký tự.")
                % {"max": group_thousands(MAX_COMMENT_LENGTH)},
            }
        )
    if problems:
        raise InvalidRating(_("Đánh giá không hợp lệ."), details=problems)
    return clean, comment


@transaction.atomic
def dossier_rate(
    *, dossier: Dossier, scores: Mapping[str, Any], comment: str = "", actor: User | None
) -> DossierRating:
    """Record the applicant's rating of a returned dossier, once (đánh giá giải quyết TTHC).

    Only the dossier's applicant, only once its result was returned, with a score for every
    criterion of ``CRITERIA``. The dossier row is locked so that two ratings sent at once
    give one rating and one ``AlreadyRated``.
    """
    # The procedure comes along: counting the rating in the indicators reads it.
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure")
        .get(pk=dossier.pk)
    )
    if actor is None or not is_applicant(locked, actor):
        raise NotAllowed(_("Chỉ người nộp hồ sơ mới được đánh giá."))
    if locked.status != DossierStatus.RETURNED:
        raise NotReturned(
            _("Hồ sơ %(code)s chưa được trả kết quả nên chưa thể đánh giá.") % {"code": locked.code}
        )
    if DossierRating.objects.filter(dossier=locked).exists():
        raise AlreadyRated(_("Hồ sơ %(code)s đã được đánh giá.") % {"code": locked.code})
    clean, comment = _check(scores, comment)
    try:
        # A savepoint, so that the unique dossier of a rating racing past the lock (it
        # cannot on PostgreSQL) ends as ``AlreadyRated`` with nothing half-written.
        with transaction.atomic():
            rating = DossierRating.objects.create(
                dossier=locked,
                applicant=actor,
                scores=clean,
                comment=comment,
                rated_at=timezone.now(),
            )
    except IntegrityError:
        raise AlreadyRated(_("Hồ sơ %(code)s đã được đánh giá.") % {"code": locked.code}) from None
    record_dossier_change(dossier=locked)
    audit_record(
        actor=actor,
        action="dossiers.dossier.rated",
        target=locked,
        data={"scores": clean, "has_comment": bool(comment)},
    )
    return rating


__all__ = [
    "CRITERIA",
    "MAX_COMMENT_LENGTH",
    "SATISFIED_FROM",
    "AgencySatisfaction",
    "Criterion",
    "CriterionSatisfaction",
    "agency_satisfaction",
    "dossier_rate",
    "rating_criteria",
]
