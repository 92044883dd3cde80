"""The result of a dossier (kết quả giải quyết), before it is approved.

The officer of the current step either attaches the result as a file, or drafts it in Sen,
which lays it out as an administrative document (``dossier_generate_result``); either way
it is a ``DossierResult`` with its file stored through Django's storage and its SHA-256, and
the leader's step approves it. A result attached by mistake is taken back with its reason.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.platypus.doctemplate import LayoutError

from sen.core.errors import NotAllowed
from sen.core.filetypes import CONTENT_TYPES
from sen.core.models import Agency, User
from sen.core.text import fold, visible_text
from sen.core.transactions import atomic_with_files
from sen.dossiers.errors import InvalidResult, ReasonRequired, ResultApproved, ResultNotAttached
from sen.dossiers.links import tracking_url
from sen.dossiers.models import Dossier, DossierResult
from sen.dossiers.permissions import approves_result, result_approved, step_holder
from sen.dossiers.services import _transitions
from sen.dossiers.services._checks import (
    RESULT_KINDS,
    Problems,
    SubmittedFile,
    accept_files,
    read_files,
)
from sen.dossiers.slipdata import result_document_data
from sen.dossiers.slips import render_result
from sen.dossiers.slips.layout import unprintable
from sen.dossiers.states import Action, next_status

logger = logging.getLogger(__name__)

# The limits of a drafted result document. A title is a paper's name; the text is a page or
# two (a certificate, a notice, a decision's articles).
MAX_RESULT_TITLE = 300
MAX_RESULT_TEXT = 10_000
MAX_RESULT_REFERENCE = 50
MAX_SIGNER_TITLE = 200
# "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH": three at most in practice; the
# signature block is kept on one page, and many more lines would not fit there.
MAX_SIGNER_LINES = 4
DEFAULT_SIGNER_TITLE = "THỦ TRƯỞNG CƠ QUAN"


@dataclass(frozen=True)
class ResultFile:
    """A result's file as it is stored: its bytes, kind (``pdf``), name and SHA-256, and
    what its event records beyond the name and the digest."""

    content: bytes
    kind: str
    name: str
    sha256: str
    data: dict[str, str] = field(default_factory=dict)


# Makes the result's file from the locked dossier: a file read as sent, or a drafted one.
ResultMaker = Callable[[Dossier], ResultFile]


def dossier_attach_result(
    *, dossier: Dossier, upload: SubmittedFile, actor: User | None, expected_revision: int
) -> DossierResult:
    """Attach the result (kết quả giải quyết) to a dossier being processed; return it.

    By the officer of the current step. The file is checked as a submitted one, stored
    through Django's storage with its SHA-256.
    """
    problems = Problems()
    read = accept_files(read_files([upload]), problems, kinds=RESULT_KINDS)
    problems.items = [{**item, "field": "file"} for item in problems.items]
    problems.raise_if_any(InvalidResult, _("Tệp kết quả không hợp lệ."))
    [item] = read
    return _record(
        dossier=dossier,
        action=Action.ATTACH_RESULT,
        actor=actor,
        expected_revision=expected_revision,
        make=lambda _locked: ResultFile(item.content, item.kind, item.name, item.sha256),
    )


def dossier_generate_result(
    *,
    dossier: Dossier,
    title: str,
    content: str,
    reference: str = "",
    signer_title: str = "",
    actor: User | None,
    expected_revision: int,
) -> DossierResult:
    """Draft the result document in Sen and attach it as the dossier's result; return it.

    By the officer of the current step, as for attaching a file. ``title`` is the result's
    name (one of the procedure's "kết quả thực hiện", or another), ``content`` the text, one
    paragraph per line; ``reference`` the number and symbol (số, ký hiệu), left blank for the
    clerk; ``signer_title`` who signs, the head of the agency when blank. The document is
    issued in the name of the agency whose leader approves it (``issuing_agency``), which
    for an inter-agency procedure may be neither the drafter's nor the receiving one, and
    dated now. It is a PDF laid out as an administrative document, with the dossier's code
    and QR code; the leader approves it at their step, as an attached result.
    """
    # One line each: a title and a number print on one line of the page.
    title = " ".join(visible_text(title).split())
    content = visible_text(content)
    reference = " ".join(visible_text(reference).split())
    signer_title = visible_text(signer_title) or DEFAULT_SIGNER_TITLE
    _check_document(title=title, content=content, reference=reference, signer_title=signer_title)

    def draft(locked: Dossier) -> ResultFile:
        document = result_document_data(
            locked,
            agency=issuing_agency(locked),
            title=title,
            content=content,
            reference=reference,
            signer_title=signer_title,
            issued_at=timezone.now(),
            tracking_url=tracking_url(locked.code),
        )
        try:
            pdf = render_result(document)
        except LayoutError as error:
            # The checks keep every part within a page; should one still not fit, the
            # officer learns it rather than meeting a server error.
            logger.exception("Result document of %s did not fit the page", locked.code)
            raise InvalidResult(
                _("Văn bản kết quả không trình bày được trên khổ A4; hãy rút gọn từng phần.")
            ) from error
        sha256 = hashlib.sha256(pdf).hexdigest()
        return ResultFile(pdf, "pdf", _file_name(title), sha256, {"title": title})

    return _record(
        dossier=dossier,
        action=Action.GENERATE_RESULT,
        actor=actor,
        expected_revision=expected_revision,
        make=draft,
    )


def refuse_if_approved(dossier: Dossier) -> None:
    """Raise ``ResultApproved`` once the leader approved the result (``result_approved``)."""
    if result_approved(dossier):
        raise ResultApproved(
            _(
                "Kết quả của hồ sơ %(code)s đã được lãnh đạo phê duyệt; không thay hay gỡ "
                "được nữa. Cần sửa thì trả hồ sơ về bước phê duyệt."
            )
            % {"code": dossier.code}
        )


def issuing_agency(dossier: Dossier) -> Agency:
    """Return the agency a drafted result is issued in the name of: the one whose leader
    approves it, at the procedure's last leader step (its own agency, else the receiving
    one); without a leader's step, the agency of the current step."""
    steps = list(dossier.procedure.steps.select_related("agency"))
    for index, step in enumerate(steps):
        if approves_result(step, steps[index + 1 :]):
            return step.agency or dossier.agency
    return step_holder(dossier)[1]


def _check_document(*, title: str, content: str, reference: str, signer_title: str) -> None:
    """Raise ``InvalidResult`` naming every field of a drafted result that fails."""
    problems: list[dict[str, str]] = []

    def check(field: str, value: str, limit: int, blank: str | None) -> None:
        if blank is not None and not value:
            problems.append({"field": field, "message": blank})
        elif len(value) > limit:
            message = _("Tối đa %(limit)s ký tự; đã nhập %(count)s.") % {
                "limit": limit,
                "count": len(value),
            }
            problems.append({"field": field, "message": message})
        elif missing := unprintable(value):
            message = _(
                "Phông chữ của văn bản không có ký tự %(chars)s; hãy bỏ hoặc thay bằng chữ."
            ) % {"chars": ", ".join(f"“{char}” (U+{ord(char):04X})" for char in missing[:5])}
            problems.append({"field": field, "message": message})

    check("title", title, MAX_RESULT_TITLE, _("Hãy ghi tên văn bản kết quả."))
    check("content", content, MAX_RESULT_TEXT, _("Hãy ghi nội dung văn bản kết quả."))
    check("reference", reference, MAX_RESULT_REFERENCE, None)
    check("signer_title", signer_title, MAX_SIGNER_TITLE, None)
    if len(signer_title.splitlines()) > MAX_SIGNER_LINES:
        message = _("Thẩm quyền, chức vụ người ký in tối đa %(count)s dòng.") % {
            "count": MAX_SIGNER_LINES
        }
        problems.append({"field": "signer_title", "message": message})
    if problems:
        raise InvalidResult(_("Văn bản kết quả chưa hợp lệ."), details=problems)


def _file_name(title: str) -> str:
    """Return the file name of a drafted result: its title without diacritics, hyphenated
    ("giay-xac-nhan-tinh-trang-hon-nhan.pdf"), as a download is saved."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:80].rstrip("-")
    return f"{stem or 'ket-qua'}.pdf"


def _record(
    *,
    dossier: Dossier,
    action: Action,
    actor: User | None,
    expected_revision: int,
    make: ResultMaker,
) -> DossierResult:
    """Lock the dossier, check the actor may give it a result, store what ``make`` makes
    of the locked dossier and record it with its event; return the result.

    The stored file is deleted again if anything after it fails (``atomic_with_files``).
    """
    with atomic_with_files() as stored:
        locked = _transitions.lock(dossier=dossier)
        _transitions.check_revision(locked, expected_revision)
        _transitions.require_step_holder(locked, actor)
        next_status(locked.status, action)
        refuse_if_approved(locked)
        if actor is None:  # never: a step holder is an officer
            raise NotAllowed(_("Chỉ cán bộ xử lý mới được đính kèm kết quả."))
        made = make(locked)
        now = timezone.now()
        saved = stored.save(
            f"results/{locked.code}/{made.sha256[:16]}.{made.kind}", ContentFile(made.content)
        )
        event = _transitions.apply(
            dossier=locked,
            action=action,
            actor=actor,
            data={"file": made.name, "sha256": made.sha256, **made.data},
            at=now,
            changes={},
        )
        result: DossierResult = DossierResult.objects.create(
            dossier=locked,
            event=event,
            file=saved,
            original_name=made.name,
            content_type=CONTENT_TYPES[made.kind],
            size=len(made.content),
            sha256=made.sha256,
            attached_at=now,
            attached_by=actor,
        )
    return result


@transaction.atomic
def dossier_remove_result(
    *, dossier: Dossier, number: int, reason: str, actor: User | None, expected_revision: int
) -> Dossier:
    """Remove the ``number``-th result (from 1, in the order attached) attached by mistake.

    By the officer of the current step, while the dossier is being processed: once the
    result is approved it is the applicant's. The history keeps the attachment and the
    removal with its reason, the file's name and SHA-256; the file itself is deleted once
    the removal is committed, since a wrong result may be another applicant's paper.
    """
    locked = _transitions.lock(dossier=dossier)
    _transitions.check_revision(locked, expected_revision)
    _transitions.require_step_holder(locked, actor)
    next_status(locked.status, Action.REMOVE_RESULT)
    refuse_if_approved(locked)
    results = list(DossierResult.objects.filter(dossier=locked).order_by("id"))
    if not 1 <= number <= len(results):
        raise ResultNotAttached(
            _("Hồ sơ %(code)s không có kết quả số %(number)s để gỡ.")
            % {"code": locked.code, "number": number}
        )
    reason = visible_text(reason)
    if not reason:
        raise ReasonRequired(_("Hãy nêu lý do gỡ kết quả."))
    removed = results[number - 1]
    _transitions.apply(
        dossier=locked,
        action=Action.REMOVE_RESULT,
        actor=actor,
        data={"file": removed.original_name, "sha256": removed.sha256, "reason": reason},
        at=timezone.now(),
        changes={},
    )
    stored = removed.file.name
    removed.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))
    return locked
