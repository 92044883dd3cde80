"""Applying online for a procedure (nộp hồ sơ trực tuyến).

The page carries a hidden idempotency key drawn when it is shown: sending the same form
twice (a double click, a retry after a network error) gives back the first dossier.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sen.catalog.models import OnlineLevel, Procedure
from sen.catalog.selectors import ProcedureNotFound, procedure_get
from sen.core.errors import StorageUnavailable
from sen.core.models import User
from sen.core.requests import request_user
from sen.dossiers import receiving, selectors, services
from sen.dossiers.errors import IdempotencyKeyReused, InvalidDossier
from sen.dossiers.models import Dossier
from sen.dossiers.states import Channel
from sen.eforms.fields import eform_for
from sen.portal.applying import (
    AgencyForm,
    ApplicantForm,
    Application,
    ComponentFilesForm,
    DeliveryForm,
    place_problems,
)
from sen.portal.views.catalog import procedure_missing_page

IDEMPOTENCY_FIELD = "idempotency_key"


def _initial_applicant(user: User) -> dict[str, str]:
    """Prefill who applies from the account, and from their last dossier where it knows more."""
    last = selectors.dossiers_of_applicant(user=user).first()
    return {
        "name": user.full_name or (last.applicant_name if last else ""),
        "id_number": last.applicant_id_number if last else "",
        "phone": (last.applicant_phone if last else "") or user.phone,
        "email": user.email or (last.applicant_email if last else ""),
        "address": last.applicant_address if last else "",
    }


def _application(
    request: HttpRequest, procedure: Procedure, user: User, *, needs_agency: bool, agencies: Any
) -> Application:
    eform_class = eform_for(procedure.form_schema)
    components = procedure.components.all()
    kinds = services.accepted_kinds(office_documents=procedure.accepts_office_documents)
    if request.method == "POST":
        data, files = request.POST, request.FILES
        return Application(
            applicant=ApplicantForm(data, prefix="applicant"),
            agency=AgencyForm(data, agencies=agencies) if needs_agency else None,
            delivery=DeliveryForm(data),
            files=ComponentFilesForm(data, files, components=components, kinds=kinds),
            eform=eform_class(data),
            general=[],
        )
    return Application(
        applicant=ApplicantForm(initial=_initial_applicant(user), prefix="applicant"),
        agency=AgencyForm(agencies=agencies) if needs_agency else None,
        delivery=DeliveryForm(),
        files=ComponentFilesForm(components=components, kinds=kinds),
        eform=eform_class(),
        general=[],
    )


# A dossier of the same procedure sent this long ago is named on the page, in case this is
# the browser's Back button bringing the form back, filled in, with a new idempotency key.
RECENT_DOSSIER = timedelta(hours=24)


def _recent_dossier(user: User, procedure: Procedure) -> Dossier | None:
    """Return the user's last dossier of ``procedure`` sent within ``RECENT_DOSSIER``."""
    since = timezone.now() - RECENT_DOSSIER
    mine = selectors.dossiers_of_applicant(user=user)
    return mine.filter(procedure__code=procedure.code, submitted_at__gte=since).first()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Show the procedure's e-form and file inputs; on a valid POST, submit the dossier."""
    try:
        procedure = procedure_get(code=code)
    except ProcedureNotFound as error:
        return procedure_missing_page(request, code, error)
    agencies = receiving.receiving_agencies(procedure=procedure)
    if procedure.online_level == OnlineLevel.NONE or not agencies:
        return render(request, "portal/apply_unavailable.html", {"procedure": procedure})
    user = request_user(request)
    every_commune = any(item.agency is None for item in procedure.implementations.all())
    needs_agency = every_commune or len(agencies) > 1
    application = _application(
        request, procedure, user, needs_agency=needs_agency, agencies=agencies
    )
    key = request.POST.get(IDEMPOTENCY_FIELD, "") if request.method == "POST" else ""
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and application.is_valid():
        try:
            result = services.dossier_submit(
                procedure_code=procedure.code,
                channel=Channel.ONLINE,
                applicant=user,
                applicant_details=application.applicant.details(),
                form_data=application.eform.form_data(),
                files=application.files.submitted_files(),
                # With nothing to choose, name the one agency offered: left unnamed, the
                # service would ask for a choice if the catalog also names a closed agency.
                agency_code=application.agency_code if needs_agency else agencies[0].code,
                result_delivery=application.delivery.cleaned_data["result_delivery"] or None,
                idempotency_key=key or None,
                actor=user,
            )
        except InvalidDossier as error:
            place_problems(application, error.details)
        except IdempotencyKeyReused:
            # The page was sent before with other content: this one is a new application.
            application.general.append(
                _("Trang này đã được dùng để nộp một hồ sơ khác. Hãy kiểm tra lại rồi gửi lần nữa.")
            )
            key = ""
        except StorageUnavailable as error:
            # Nothing was written: the page comes back as typed, to be sent again later.
            application.general.append(error.message)
            status = error.status
        else:
            dossier = result.dossier
            if result.created:
                text = _(
                    "Đã nộp hồ sơ %(code)s. Cơ quan sẽ kiểm tra và gửi giấy tiếp nhận, hẹn trả "
                    "kết quả; bạn nhận thông báo qua thư điện tử."
                )
            else:
                text = _("Hồ sơ %(code)s đã được nộp trước đó; không có hồ sơ mới nào được tạo.")
            messages.success(request, text % {"code": dossier.code})
            return redirect("portal:my_dossier", code=dossier.code)
    context = {
        "procedure": procedure,
        "application": application,
        "idempotency_key": key or uuid.uuid4().hex,
        "resubmit_files": request.method == "POST" and bool(request.FILES),
        "recent": _recent_dossier(user, procedure),
    }
    return render(request, "portal/apply.html", context, status=status)
