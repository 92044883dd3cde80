"""Pages of the officer workspace: the queue, one dossier, its actions and its files.

Thin: parse the request, call one selector or service, render. Who may read a dossier is
decided by ``dossier_get_for_officer`` (anyone else gets 404, as for an unknown code); who
may act by the service, and the page offers only what ``actions_allowed`` lists.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from sen.core.errors import NotAllowed
from sen.core.models import Agency
from sen.core.paging import page_range
from sen.core.requests import request_user
from sen.core.responses import posted_action, private_download
from sen.dossiers import citizen, selectors
from sen.dossiers.errors import DossierNotFound, ProcedureFilterTooBroad
from sen.dossiers.models import Dossier
from sen.dossiers.permissions import actions_allowed
from sen.dossiers.slipdata import available_slips, step_party, step_records
from sen.dossiers.states import Action, DossierStatus, is_late
from sen.eforms.display import lines
from sen.errors import Conflict, DomainError
from sen.portal.applying import error_lines
from sen.workdays.services import due_moment
from sen.workspace.forms import (
    ACTION_FORMS,
    ACTION_SLUGS,
    SLUG_OF,
    ActionForm,
    QueueFilterForm,
)

QUEUE_PAGE_SIZE = 20
DUE_SOON_DAYS = 1

# What the flash message says once an action is done.
DONE = {
    Action.RECEIVE: gettext_lazy(
        "Đã tiếp nhận hồ sơ %(code)s. Hãy in giấy tiếp nhận và hẹn trả kết quả."
    ),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Đã gửi yêu cầu bổ sung hồ sơ %(code)s cho người nộp."),
    Action.REFUSE: gettext_lazy("Đã từ chối tiếp nhận hồ sơ %(code)s."),
    Action.COMPLETE_STEP: gettext_lazy("Đã hoàn thành bước xử lý của hồ sơ %(code)s."),
    Action.SEND_BACK: gettext_lazy("Đã trả hồ sơ %(code)s lại bước trước."),
    Action.ATTACH_RESULT: gettext_lazy("Đã đính kèm kết quả giải quyết hồ sơ %(code)s."),
    Action.GENERATE_RESULT: gettext_lazy(
        "Đã soạn văn bản kết quả của hồ sơ %(code)s; hãy mở tệp để kiểm tra trước khi trình ký."
    ),
    Action.REMOVE_RESULT: gettext_lazy("Đã gỡ kết quả đính kèm nhầm của hồ sơ %(code)s."),
    Action.APOLOGIZE: gettext_lazy("Đã gửi văn bản xin lỗi và hẹn lại ngày trả hồ sơ %(code)s."),
    Action.STOP: gettext_lazy("Đã dừng giải quyết hồ sơ %(code)s."),
    Action.RETURN_RESULT: gettext_lazy("Đã trả kết quả hồ sơ %(code)s."),
    Action.SUBMIT_SUPPLEMENT: gettext_lazy("Đã nhận hồ sơ bổ sung %(code)s thay người nộp."),
    Action.WITHDRAW: gettext_lazy("Đã rút hồ sơ %(code)s theo đơn của người nộp."),
    Action.SUBMIT_SUPPLEMENT_IN_PROCESSING: gettext_lazy(
        "Đã nhận hồ sơ bổ sung %(code)s thay người nộp; thời hạn giải quyết được tính tiếp."
    ),
}


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """Answer a signed-in user who has no business in the workspace (403)."""
    return render(request, "workspace/forbidden.html", {"message": message}, status=403)


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/not_found.html", {"message": message}, status=404)


# --- The queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    overdue: bool
    due_soon: bool
    # The current step is late though the dossier is not (a hand-off that took too long):
    # the row says so unless it already says the dossier is overdue, and also when the
    # dossier is due soon (the late step is what holds it up).
    step_overdue: bool
    # Past the legal due moment though not the apology's new appointment: late for the
    # indicators and the applicant whatever happens now, due again for the officers.
    late_rescheduled: bool = False


def _rows(dossiers: list[Dossier], now: datetime) -> list[QueueRow]:
    """Mark each dossier overdue or due within ``DUE_SOON_DAYS`` working days.

    A dossier waiting for a supplement is neither: its clock stands still and its due
    moment moves when the supplement comes. The bound comes from each agency's calendar,
    computed once per agency on the page.
    """
    bounds: dict[int, datetime] = {}
    rows = []
    for dossier in dossiers:
        overdue = selectors.is_overdue(dossier, now=now)
        due_soon = False
        is_open = dossier.status not in selectors.FINISHED_STATUSES and not dossier.finished_at
        running = dossier.clock_stopped_at is None
        if dossier.due_at is not None and is_open and running and not overdue:
            agency: Agency = dossier.agency
            if agency.pk not in bounds:
                bounds[agency.pk] = due_moment(start=now, days=DUE_SOON_DAYS, agency=agency)
            due_soon = dossier.due_at <= bounds[agency.pk]
        step_overdue = not overdue and selectors.step_is_overdue(dossier, now=now)
        late_rescheduled = is_open and not overdue and is_late(dossier, now)
        rows.append(QueueRow(dossier, overdue, due_soon, step_overdue, late_rescheduled))
    return rows


# The page counts the queue up to this many dossiers (a module constant so tests can lower it).
QUEUE_COUNT_CAP = selectors.QUEUE_COUNT_CAP


class _CountedQueue:
    """The queue as Django's ``Paginator`` reads it: counted up to the cap, sliced as is.

    A large agency holds hundreds of thousands of dossiers over the years; the page counts
    them only up to ``QUEUE_COUNT_CAP`` and says "more than" beyond (ADR 0011).
    """

    def __init__(self, dossiers: QuerySet[Dossier], counted: selectors.QueueCount) -> None:
        self.dossiers = dossiers
        self.counted = counted

    def count(self) -> int:
        return self.counted.value

    def __len__(self) -> int:
        return self.counted.value

    def __iter__(self) -> Iterator[Dossier]:
        return iter(self.dossiers)

    @overload
    def __getitem__(self, index: int, /) -> Dossier: ...
    @overload
    def __getitem__(self, index: slice, /) -> QuerySet[Dossier]: ...
    def __getitem__(self, index: int | slice, /) -> Dossier | QuerySet[Dossier]:
        return self.dossiers[index]


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """List the dossiers of the officer's agencies, soonest due first, 20 to a page."""
    form = QueueFilterForm(request.GET)
    # An invalid filter (a status that does not exist, from an old or hand-typed address) is
    # said by its field and left out; the valid ones still filter. Left out in silence, the
    # officer took the whole queue for the dossiers they had asked for.
    form.is_valid()
    if (code := form.dossier_code()) is not None:
        # The dossier's page says whether this officer may see it (404 otherwise).
        return redirect("workspace:dossier", code=code)
    filters = form.filters()
    now = timezone.now()
    try:
        queued = selectors.officer_queue(user=request.user, now=now, **filters)
    except NotAllowed as error:
        return forbidden(request, error.message)
    except ProcedureFilterTooBroad as error:
        # As for any invalid filter: the field says why, and the queue shows without it.
        form.add_error("procedure", error.message)
        filters["procedure"] = None
        queued = selectors.officer_queue(user=request.user, now=now, **filters)
    counted = queued.count(cap=QUEUE_COUNT_CAP)
    # What waits at the officer's desks and the queue does not show first: the desk is told
    # at the top, unless that status is what the page lists.
    at_desk = {
        status: selectors.waiting_at_desk(user=request.user, status=status, cap=QUEUE_COUNT_CAP)
        for status in (DossierStatus.SUBMITTED, DossierStatus.RESULT_READY)
        if filters.get("status") != status
    }
    listed = _CountedQueue(queued.dossiers, counted)
    page = Paginator(listed, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "capped": counted.capped,
        "waiting": at_desk.get(DossierStatus.SUBMITTED),
        "to_return": at_desk.get(DossierStatus.RESULT_READY),
        "rows": _rows(list(page.object_list), now),
        "page_range": page_range(page),
        # The procedure filter's text, when it names no procedure: the page says so.
        "unknown_procedure": filters.get("procedure") if queued.procedures == () else None,
    }
    return render(request, "workspace/queue.html", context)


# --- One dossier -----------------------------------------------------------------------------


def _action_forms(
    dossier: Dossier, user: Any, bound: ActionForm | None
) -> list[tuple[Action, str, ActionForm]]:
    """Return (action, slug, form) for each action allowed now; ``bound`` keeps its input."""
    forms = []
    for action in actions_allowed(dossier=dossier, user=user):
        if action not in ACTION_FORMS:
            continue
        if bound is not None and bound.action == action:
            form = bound
        else:
            form = ACTION_FORMS[action](
                initial={"expected_revision": dossier.revision}, auto_id=f"{SLUG_OF[action]}-%s"
            )
        forms.append((action, SLUG_OF[action], form))
    return forms


# The action that moves the dossier on, unfolded on the page in this order of preference; the
# others (a supplement request, an apology, a stop) stay folded below it. Without this the
# first allowed action opened: the specialist and the leader found the five-row supplement
# request open and the step's own action folded.
MAIN_ACTIONS = (Action.RECEIVE, Action.COMPLETE_STEP, Action.ATTACH_RESULT, Action.RETURN_RESULT)


def _unfolded(forms: list[tuple[Action, str, ActionForm]], bound: ActionForm | None) -> str:
    """Return the slug of the action form the page shows open: the one sent back with its
    input, else the main action allowed now, else the first."""
    if bound is not None and any(form is bound for *_, form in forms):
        return SLUG_OF[bound.action]
    allowed = [action for action, _slug, _form in forms]
    main = [action for action in MAIN_ACTIONS if action in allowed]
    if main:
        return SLUG_OF[main[0]]
    return forms[0][1] if forms else ""


def _render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: ActionForm | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    action_forms = _action_forms(dossier, request.user, bound)
    for _action, _slug, form in action_forms:
        form.show_for(dossier)
    if bound is not None and error is None and all(form is not bound for *_, form in action_forms):
        # The form the officer sent is no longer offered (the dossier moved on, the apology
        # was made): say so, or the page would refuse the input without a word.
        error = Conflict(
            _("Không thể %(action)s khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {
                "action": str(bound.action.label).lower(),
                "status": DossierStatus(dossier.status).label,
            }
        )
        status = error.status
    records = step_records(dossier)
    step_names = {record.position: step_party(record) for record in records}
    context = {
        "dossier": dossier,
        "status_label": DossierStatus(dossier.status).label,
        "overdue": selectors.is_overdue(dossier, now=now),
        "timeliness": citizen.dossier_timeliness(dossier, now=now),
        "step_overdue": selectors.step_is_overdue(dossier, now=now),
        "form_lines": lines(dossier.procedure.form_schema, dossier.form_data),
        "files": list(enumerate(dossier.files.all(), start=1)),
        "results": list(enumerate(dossier.results.all(), start=1)),
        # Each event with the name of the step it finished, if any: in a liên thông
        # dossier, "Hoàn thành bước xử lý" alone does not say whose step it was.
        "events": [
            (
                event,
                step_names.get(event.data.get("step") or 0)
                if isinstance(event.data, dict)
                else None,
            )
            for event in dossier.events.all()
        ],
        "steps": [
            (
                record,
                citizen.step_timeliness(record, dossier=dossier, now=now),
                citizen.step_interrupted(record, dossier=dossier),
            )
            for record in records
        ],
        "slips": available_slips(dossier),
        "action_forms": action_forms,
        "unfolded": _unfolded(action_forms, bound),
        # The leader's step completes only once the signed result is attached: say so.
        "result_first": any(
            action in (Action.ATTACH_RESULT, Action.GENERATE_RESULT) for action, *_ in action_forms
        )
        and not any(action == Action.COMPLETE_STEP for action, *_ in action_forms),
        "error": error,
        # The problems of the form sent back head the page, linked to their inputs, and
        # the page opens on them (or on the refusal, when the input was fine).
        "error_summary": error_lines(bound) if bound is not None else [],
    }
    return render(request, "workspace/dossier.html", context, status=status)


@login_required
@require_safe
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a dossier to an officer of an agency working on it, with what they may do now.

    The read of the applicant's details is recorded by the selector.
    """
    try:
        dossier = selectors.dossier_get_for_officer(code=code, user=request.user)
    except DossierNotFound as error:
        return not_found(request, error.message)
    return _render_dossier(request, dossier)


@login_required
@posted_action("workspace:dossier")
def dossier_act(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """Do one action on the dossier, then show it again (post/redirect/get).

    Read and action share one transaction, so that a refused action leaves no trace, not
    even the record of the read. Bad input and refusals show the page again with the
    message and the officer's input; nothing is changed.
    """
    action = ACTION_SLUGS.get(slug)
    if action is None:
        raise Http404(slug)
    form = ACTION_FORMS[action](request.POST, request.FILES, auto_id=f"{slug}-%s")
    if form.checks_file_kinds:
        office_documents = selectors.accepts_office_documents(code=code)
        if office_documents is not None:
            form.check_against(office_documents=office_documents)
    user = request_user(request)
    error: DomainError | None = None
    if form.is_valid():
        try:
            with transaction.atomic():
                dossier = selectors.dossier_get_for_officer(code=code, user=user, purpose=action)
                form.perform(dossier, user)
        except DossierNotFound as missing:
            return not_found(request, missing.message)
        except DomainError as refused:
            error = refused
        else:
            messages.success(request, DONE[action] % {"code": code})
            return redirect("workspace:dossier", code=code)
    try:
        dossier = selectors.dossier_get_for_officer(code=code, user=user)
    except DossierNotFound as missing:
        return not_found(request, missing.message)
    # Shown again, the form carries the revision now on screen.
    shown = request.POST.copy()
    shown["expected_revision"] = str(dossier.revision)
    form.data = shown
    return _render_dossier(
        request, dossier, bound=form, error=error, status=error.status if error else 400
    )


# --- Files -----------------------------------------------------------------------------------


@login_required
@require_safe
def dossier_file(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    """Send the ``number``-th file of the dossier to an officer who may read it; else 404."""
    try:
        dossier = selectors.dossier_get_for_officer(code=code, user=request.user, purpose="file")
    except DossierNotFound as error:
        return not_found(request, error.message)
    files = list(dossier.files.all())
    if not 1 <= number <= len(files):
        return not_found(request, _("Hồ sơ không có tệp này."))
    item = files[number - 1]
    return private_download(item.file, name=item.original_name, content_type=item.content_type)


@login_required
@require_safe
def result_file(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    """Send the ``number``-th result file of the dossier to an officer who may read it."""
    try:
        dossier = selectors.dossier_get_for_officer(code=code, user=request.user, purpose="result")
    except DossierNotFound as error:
        return not_found(request, error.message)
    results = list(dossier.results.all())
    if not 1 <= number <= len(results):
        return not_found(request, _("Hồ sơ không có tệp kết quả này."))
    item = results[number - 1]
    return private_download(item.file, name=item.original_name, content_type=item.content_type)
