"""The citizen's own dossiers: the list, one dossier, its actions and its files.

Every read goes through a selector that checks the dossier is the user's own; anyone
else's dossier answers 404, exactly as an unknown code does. Actions are POST forms that
call one service each and then redirect (post/redirect/get); a refused action re-renders
the dossier page with the reason next to the form and summed up at the top, having changed
nothing. A GET of an action's address leads to the dossier's page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sen.core.paging import page_range
from sen.core.requests import request_user
from sen.core.responses import posted_action, private_download
from sen.dossiers import citizen, ratings, selectors, services
from sen.dossiers.errors import DossierConflict, DossierNotFound
from sen.dossiers.models import Dossier, DossierRating
from sen.dossiers.permissions import applicant_actions
from sen.dossiers.slipdata import available_slips
from sen.dossiers.states import Action, DossierStatus
from sen.eforms.display import lines
from sen.errors import DomainError
from sen.portal import dossier_page
from sen.portal.applying import error_lines
from sen.portal.dossier_forms import RatingForm, SupplementForm, WithdrawForm

DOSSIERS_PER_PAGE = 20
# The one supplement form sends either, as the dossier was received before the request or not.
SUPPLEMENTS = frozenset({Action.SUBMIT_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT_IN_PROCESSING})


def _kinds(dossier: Dossier) -> tuple[str, ...]:
    """Return the kinds of file a supplement of ``dossier`` may be, as its procedure says."""
    return services.accepted_kinds(office_documents=dossier.procedure.accepts_office_documents)


@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """List the user's dossiers, newest first, 20 to a page; those waiting for the user's
    supplement marked, and counted over every page."""
    dossiers = selectors.dossiers_of_applicant(user=request.user)
    page = Paginator(dossiers, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        (dossier, citizen.dossier_timeliness(dossier, now=now), citizen.awaits_supplement(dossier))
        for dossier in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "supplements_awaited": (
            citizen.supplements_awaited(user=request.user) if page.paginator.count else []
        ),
        "page_range": page_range(page, on_ends=1),
    }
    return render(request, "portal/my_dossiers.html", context)


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        return selectors.dossier_get_for_applicant(code=code, user=request.user)
    except DossierNotFound:
        raise Http404 from None


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    context = {"code": code}
    return render(request, "portal/dossier_not_found.html", context, status=404)


def _rating(dossier: Dossier) -> DossierRating | None:
    try:
        return dossier.rating
    except DossierRating.DoesNotExist:
        return None


def _unavailable(dossier: Dossier, form: str, rating: DossierRating | None) -> str:
    """Say why ``form`` is not offered on the dossier's page, as its service would."""
    if form == "rating_form":
        if rating is not None:
            return _("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code}
        return _("Hồ sơ %(code)s chưa được trả kết quả nên chưa thể đánh giá.") % {
            "code": dossier.code
        }
    action = Action.WITHDRAW if form == "withdraw_form" else Action.SUBMIT_SUPPLEMENT
    return _("Không thể %(action)s khi hồ sơ đang ở trạng thái “%(status)s”.") % {
        "action": str(action.label).lower(),
        "status": DossierStatus(dossier.status).label,
    }


def _render_dossier(
    request: HttpRequest, dossier: Dossier, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """Render the dossier page; ``forms`` replace the blank action forms (bound, with errors)."""
    now = timezone.now()
    revision = {"expected_revision": dossier.revision}
    rating = _rating(dossier) if dossier.status in citizen.RESULT_VISIBLE_STATUSES else None
    can_rate = dossier.status in citizen.RESULT_VISIBLE_STATUSES and rating is None
    components = list(dossier.procedure.components.all())
    requested = dossier_page.requested_items(dossier)
    numbered_files = list(enumerate(dossier.files.all(), start=1))
    # The forms shown are the actions the services would accept from this user now.
    allowed = applicant_actions(dossier=dossier, user=request.user)
    may_supplement = bool(SUPPLEMENTS.intersection(allowed))
    offered = {
        "withdraw_form": Action.WITHDRAW in allowed,
        "supplement_form": may_supplement,
        "rating_form": can_rate,
    }
    for name in forms:
        if not offered[name]:
            # The form the citizen sent is no longer offered (an officer decided the dossier
            # meanwhile, it was rated already): say so, or the page would refuse the input
            # without a word.
            messages.error(request, _unavailable(dossier, name, rating))
            status = 409
    context = {
        "dossier": dossier,
        # The action's form sent back with its problems: they head the page, which opens on them.
        "error_summary": [
            line for name, form in forms.items() if offered[name] for line in error_lines(form)
        ],
        "history": dossier_page.history(dossier),
        "steps": citizen.tracking_steps(dossier=dossier, now=now),
        "timeliness": citizen.dossier_timeliness(dossier, now=now),
        # What the applicant declared, to check it: a mistake is for a withdrawal and a new
        # dossier, or for the officer to ask a supplement.
        "form_lines": lines(dossier.procedure.form_schema, dossier.form_data),
        "files": numbered_files,
        "results": list(enumerate(citizen.applicant_results(dossier=dossier), start=1)),
        "slips": available_slips(dossier),
        "requested_items": requested,
        "rating": rating,
        "criteria": ratings.CRITERIA,
        "withdraw_form": (
            forms.get("withdraw_form") or WithdrawForm(initial=revision)
            if Action.WITHDRAW in allowed
            else None
        ),
        "supplement_form": (
            forms.get("supplement_form")
            or SupplementForm(
                initial=revision,
                components=components,
                requested_items=requested,
                kinds=_kinds(dossier),
            )
            if may_supplement
            else None
        ),
        "rating_form": (forms.get("rating_form") or RatingForm()) if can_rate else None,
    }
    return render(request, "portal/my_dossier.html", context, status=status)


@login_required
@require_safe
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """Show the user's dossier: status, due moment, history, files, slips, actions open now."""
    try:
        dossier = selectors.dossier_get_for_applicant(code=code, user=request.user)
    except DossierNotFound:
        return _not_found(request, code)
    return _render_dossier(request, dossier)


# A GET of an action's address leads to the dossier's page.
dossier_action = posted_action("portal:my_dossier")


def _refused(request: HttpRequest, dossier: Dossier, error: DomainError) -> HttpResponse:
    """Say why an action was refused (a conflict, a state that no longer allows it)."""
    messages.error(request, str(error.message))
    return redirect("portal:my_dossier", code=dossier.code)


def _show_problems(form: Form, error: DomainError) -> None:
    """Put each problem of a refused input next to the field it names, the rest above."""
    for problem in error.details or [{"field": "", "message": error.message}]:
        where = str(problem.get("field", ""))
        form.add_error(where if where in form.fields else None, str(problem["message"]))


@login_required
@dossier_action
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw the dossier with the reason given (only while not yet decided)."""
    dossier = _own_dossier(request, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, status=400, withdraw_form=form)
    try:
        services.dossier_withdraw(
            dossier=dossier,
            reason=form.cleaned_data["reason"],
            actor=request_user(request),
            expected_revision=form.cleaned_data["expected_revision"],
        )
    except DossierConflict as error:
        # Shown the dossier as it is now, with the reason they typed, to send again if
        # withdrawing still makes sense.
        messages.error(request, str(error.message))
        fresh = _own_dossier(request, code)
        again = WithdrawForm(
            initial={
                "reason": form.cleaned_data["reason"],
                "confirm": True,
                "expected_revision": fresh.revision,
            }
        )
        return _render_dossier(request, fresh, status=409, withdraw_form=again)
    except DomainError as error:
        if error.status == 400:
            form.add_error("reason", str(error.message))
            return _render_dossier(request, dossier, status=400, withdraw_form=form)
        return _refused(request, dossier, error)
    messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("portal:my_dossier", code=dossier.code)


@login_required
@dossier_action
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Send the supplement asked for: files for the procedure's components."""
    dossier = _own_dossier(request, code)
    form = SupplementForm(
        request.POST,
        request.FILES,
        components=list(dossier.procedure.components.all()),
        requested_items=dossier_page.requested_items(dossier),
        kinds=_kinds(dossier),
    )
    if not form.is_valid():
        return _render_dossier(request, dossier, status=400, supplement_form=form)
    try:
        services.dossier_submit_supplement(
            dossier=dossier,
            files=form.submitted_files(),
            actor=request_user(request),
            expected_revision=form.cleaned_data["expected_revision"],
        )
    except DomainError as error:
        if error.status == 400:
            _show_problems(form, error)
            return _render_dossier(request, dossier, status=400, supplement_form=form)
        return _refused(request, dossier, error)
    messages.success(
        request, _("Đã nộp bổ sung hồ sơ %(code)s; cơ quan sẽ xem lại.") % {"code": dossier.code}
    )
    return redirect("portal:my_dossier", code=dossier.code)


@login_required
@dossier_action
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """Rate how the returned dossier was served, once, on the official criteria."""
    dossier = _own_dossier(request, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, status=400, rating_form=form)
    try:
        ratings.dossier_rate(
            dossier=dossier,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            actor=request_user(request),
        )
    except DomainError as error:
        if error.status == 400:
            _show_problems(form, error)
            return _render_dossier(request, dossier, status=400, rating_form=form)
        return _refused(request, dossier, error)
    messages.success(request, _("Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ."))
    return redirect("portal:my_dossier", code=dossier.code)


@login_required
@require_safe
def dossier_file(request: HttpRequest, code: str, number: int) -> FileResponse:
    """Send back a file the applicant attached to their dossier."""
    try:
        item = citizen.applicant_file(code=code, user=request.user, number=number)
    except DossierNotFound:
        raise Http404 from None
    return private_download(item.file, name=item.original_name, content_type=item.content_type)


@login_required
@require_safe
def result_file(request: HttpRequest, code: str, number: int) -> FileResponse:
    """Send the applicant a result of their returned dossier."""
    try:
        item = citizen.applicant_result_file(code=code, user=request.user, number=number)
    except DossierNotFound:
        raise Http404 from None
    return private_download(item.file, name=item.original_name, content_type=item.content_type)
