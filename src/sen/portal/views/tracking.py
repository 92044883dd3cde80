"""Public tracking of a dossier by its code: open to anyone, so it shows no personal data.

The slips' QR codes and the status emails point at ``portal:tracking``. What is shown is
what ``dossier_for_tracking`` and ``tracking_steps`` read: the procedure, the agencies, the
status, the dates, each step's timeliness; never the applicant, the e-form, the files or
who acted. Lookups from one address are limited a minute (``SEN_TRACKING_PER_MINUTE``),
so that no script reads every dossier of a day by walking its codes.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sen.core.ratelimit import RateLimited
from sen.dossiers import citizen, selectors
from sen.dossiers.codes import typed_dossier_code
from sen.dossiers.errors import DossierNotFound
from sen.portal.forms import TrackingForm


@require_safe
def tracking_search(request: HttpRequest) -> HttpResponse:
    """Ask for a dossier code; a valid one goes to its tracking page."""
    form = TrackingForm(request.GET if "ma" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("portal:tracking", code=form.cleaned_data["ma"])
    status = 400 if form.is_bound else 200
    return render(request, "portal/tracking_search.html", {"form": form}, status=status)


@require_safe
def tracking(request: HttpRequest, code: str) -> HttpResponse:
    """Show where a dossier stands: status, due moment, each step with its dates.

    An address typed by hand from the slip (``h37`` for ``H37``, a space) leads to the
    dossier's own address rather than to "not found".
    """
    if (typed := typed_dossier_code(code)) != code and typed:
        return redirect("portal:tracking", code=typed)
    try:
        selectors.check_tracking_rate(request)
    except RateLimited as limited:
        response = render(
            request, "portal/rate_limited.html", {"message": limited.message}, status=429
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    try:
        dossier = selectors.dossier_for_tracking(code=code)
    except DossierNotFound as error:
        context = {"form": TrackingForm(initial={"ma": code}), "message": error.message}
        return render(request, "portal/tracking_not_found.html", context, status=404)
    now = timezone.now()
    context = {
        "dossier": dossier,
        "events": citizen.shown_events(dossier, by_officer=False),
        "steps": citizen.tracking_steps(dossier=dossier, now=now),
        "timeliness": citizen.dossier_timeliness(dossier, now=now),
    }
    return render(request, "portal/tracking.html", context)
