"""Return of the result to the applicant (trả kết quả)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.models import User
from sen.core.text import visible_text
from sen.dossiers.errors import (
    ElectronicReturnWithoutAccount,
    InvalidReturnMethod,
    TrackingNumberRequired,
)
from sen.dossiers.models import Dossier
from sen.dossiers.services import _transitions
from sen.dossiers.states import Action, ReturnMethod, next_status


@transaction.atomic
def dossier_return_result(
    *,
    dossier: Dossier,
    method: str,
    postal_tracking_number: str | None = None,
    actor: User | None,
    expected_revision: int,
    recipient: str = "",
) -> Dossier:
    """Return the result to the applicant (trả kết quả): electronically, at the desk or by post.

    By a one-stop officer of the receiving agency. By post the postal tracking number is
    required. Electronically only to an applicant with an account: the result is downloaded
    from their dossiers, and the public tracking page shows no file. At the desk the
    history records who took the result: ``recipient`` (someone the applicant authorized,
    with their identity paper), else the applicant.
    """
    locked = _transitions.lock_for_intake(
        dossier=dossier, actor=actor, expected_revision=expected_revision
    )
    next_status(locked.status, Action.RETURN_RESULT)
    if method not in ReturnMethod.values:
        raise InvalidReturnMethod(_("Hình thức trả kết quả không hợp lệ."))
    if method == ReturnMethod.ELECTRONIC and locked.applicant_id is None:
        raise ElectronicReturnWithoutAccount(
            _(
                "Người nộp hồ sơ %(code)s không có tài khoản nên không nhận được kết quả điện "
                "tử; hãy trả kết quả trực tiếp tại Bộ phận Một cửa hoặc qua bưu chính."
            )
            % {"code": locked.code}
        )
    tracking = (postal_tracking_number or "").strip()
    if method == ReturnMethod.POST and not tracking:
        raise TrackingNumberRequired(_("Hãy nhập số hiệu bưu gửi khi trả kết quả qua bưu chính."))
    if method != ReturnMethod.POST:
        tracking = ""
    now = timezone.now()
    data: dict[str, str] = {"method": method}
    if tracking:
        data["postal_tracking_number"] = tracking
    # Who took the result, often with their identity paper's number: the event's record,
    # read by those allowed, not the audit log's.
    taken_by = {"recipient": visible_text(recipient) or locked.applicant_name}
    _transitions.apply(
        dossier=locked,
        action=Action.RETURN_RESULT,
        actor=actor,
        data=data,
        personal_data=taken_by if method == ReturnMethod.DESK else None,
        at=now,
        changes={
            "returned_at": now,
            "return_method": method,
            "postal_tracking_number": tracking,
        },
    )
    return locked
