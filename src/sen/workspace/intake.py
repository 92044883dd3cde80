"""Intake at the one-stop desk (tiếp nhận trực tiếp): the officer enters a dossier for the
applicant who came in person or sent it by post, and may receive it straight away.

Two service calls, each its own transaction: ``dossier_submit`` with the officer as actor,
then, when the officer ticks "tiếp nhận ngay", ``dossier_receive``. The page says what
happened to each. A hidden idempotency key makes a double-clicked submit one dossier; a page
refused for its mistakes keeps its key (nothing was entered with it), and a page sent again
for another applicant (the browser's back button) gets a fresh one.
"""

import copy
import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from sen.catalog.models import DocumentComponent, Procedure
from sen.catalog.selectors import ProcedureNotFound, procedure_get, procedure_search
from sen.core.forms import DataChoicesSelect, in_data_language, labelled_with_data
from sen.core.models import Agency, Role, User
from sen.core.requests import request_user
from sen.core.selectors import officer_agencies
from sen.core.text import fold
from sen.dossiers import receiving, services
from sen.dossiers.errors import IdempotencyKeyReused, InvalidDossier
from sen.dossiers.states import Channel, DossierStatus, ReturnMethod
from sen.eforms.fields import Entry, add_fields, add_schema_errors, collect, field_for_problem
from sen.errors import DomainError
from sen.portal.applying import (
    ApplicantForm,
    ComponentFileField,
    accept_attribute,
    component_field_name,
    component_hint,
    error_lines,
)
from sen.portal.forms import PageForm
from sen.workspace.views import forbidden, not_found

MAX_CHOICES = 50
# What the desk counts of each paper handed in (the receipt slip's columns, mẫu 01).
PAPER_COUNTS = (
    ("originals", gettext_lazy("Bản chính")),
    ("certified_copies", gettext_lazy("Bản sao")),
    ("photocopies", gettext_lazy("Bản chụp")),
)
NO_DESK = gettext_lazy("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ tại Bộ phận Một cửa.")
STALE_KEY = gettext_lazy(
    "Trang này đã được dùng để nhập một hồ sơ khác (có thể do quay lại trang cũ). Hãy kiểm "
    "tra lại thông tin dưới đây, chọn lại tệp rồi gửi lần nữa: hồ sơ sẽ được nhập thành hồ "
    "sơ mới."
)


def procedures_received_by(agencies: list[Agency], query: str) -> list[Procedure]:
    """Return the best ``MAX_CHOICES`` current procedures matching ``query`` that one of
    ``agencies`` receives (``sen.dossiers.receiving``), by name. One query."""
    implementations = receiving.receiving_implementations(agencies=agencies)
    received = Exists(implementations.filter(procedure=OuterRef("pk")))
    # The list shows names and codes: not the implementations the search brings along.
    found = procedure_search(query=query).filter(received).prefetch_related(None)
    # In the order of the alphabet, as the catalog lists them: by code point, "Chứng thực"
    # would come before "Cấp …" and every "Đăng ký …" after "Thực hiện …".
    return sorted(found[:MAX_CHOICES], key=lambda procedure: (fold(procedure.name), procedure.name))


def _desk_agencies(user: Any) -> list[Agency]:
    # Active agencies only: an inactive agency receives nothing, so its officers have no
    # desk and are refused as any officer without the one-stop role (``receiving``).
    return list(officer_agencies(user, Role.ONE_STOP_OFFICER).order_by("name"))


class IntakeForm(PageForm):
    """The dossier as the officer enters it: agency, channel, applicant, e-form, files, and
    what was handed in of each paper."""

    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    agency = forms.ChoiceField(label=gettext_lazy("Cơ quan tiếp nhận"), widget=DataChoicesSelect)
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"),
        choices=[
            (Channel.DESK.value, Channel.DESK.label),
            (Channel.POST.value, Channel.POST.label),
        ],
        initial=Channel.DESK.value,
        widget=forms.RadioSelect,
    )
    # An applicant without an account receives the result on paper: at the desk or by post.
    result_delivery = forms.ChoiceField(
        label=gettext_lazy("Nhận kết quả"),
        choices=[
            (ReturnMethod.DESK.value, ReturnMethod.DESK.label),
            (ReturnMethod.POST.value, ReturnMethod.POST.label),
        ],
        # None chosen until the officer chooses: then as the dossier came (the service's
        # default), so a dossier sent by post gets its result by post unless told otherwise.
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Không chọn: nhận theo cách đã nộp (tại bộ phận một cửa, hoặc qua bưu chính với hồ "
            "sơ gửi qua bưu chính). Qua bưu chính: kết quả gửi đến địa chỉ của người nộp."
        ),
    )
    receive_now = forms.BooleanField(
        label=gettext_lazy("Tiếp nhận ngay (hồ sơ đã đủ, cấp giấy tiếp nhận và hẹn trả)"),
        required=False,
        initial=True,
    )

    def __init__(
        self, *args: Any, procedure: Procedure, agencies: list[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        agency_field = cast(forms.ChoiceField, self.fields["agency"])
        agency_field.choices = [(agency.code, agency.name) for agency in agencies]
        if len(agencies) == 1:
            agency_field.initial = agencies[0].code
            agency_field.widget = forms.HiddenInput()
        for name, field in ApplicantForm.base_fields.items():
            applicant_field = copy.deepcopy(field)
            # The details are someone else's: the officer's browser has nothing to offer.
            applicant_field.widget.attrs["autocomplete"] = "off"
            self.fields[f"applicant_{name}"] = applicant_field
        self.eform = add_fields(self, procedure.form_schema)
        self.components = list(procedure.components.all())
        self.kinds = services.accepted_kinds(office_documents=procedure.accepts_office_documents)
        for component in self.components:
            # One file per component at the desk, checked as on the apply page.
            file_field = ComponentFileField(
                label=component.name,
                # A paper only shown is checked here, in the officer's hands: no scan needed.
                required=component.upload_required,
                help_text=component_hint(component),
                kinds=self.kinds,
                widget=forms.FileInput(attrs={"accept": accept_attribute(self.kinds)}),
            )
            # The hint of a paper only shown starts with our words, then the catalog's.
            self.fields[component_field_name(component.position)] = labelled_with_data(
                file_field, help_text_too=not component.shown_only
            )
            self._add_paper_fields(component)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        # Every e-form problem in one round, as on the apply page.
        add_schema_errors(self, self.procedure.form_schema, self.eform.leaves)
        return cleaned

    def _add_paper_fields(self, component: DocumentComponent) -> None:
        """Add what the officer counts of the component on paper, filled in with what the
        catalog asks of a required one (its originals, its copies), to be corrected."""
        asked = services.PaperHandedIn.asked_by(component)
        # The service's words, not Django's ("Đảm bảo giá trị này là nhỏ hơn … 99 .").
        out_of_range = _("Số bản phải từ 0 đến %(most)s.") % {"most": services.MAX_PAPER_COUNT}
        for kind, label in PAPER_COUNTS:
            field = self.fields[_paper_field(component.position, kind)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=services.MAX_PAPER_COUNT,
                error_messages={
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "invalid": _("Hãy ghi số bản bằng chữ số."),
                },
                required=False,
                initial=getattr(asked, kind),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            # Beside the input its paper's fieldset names it; in the summary, it must.
            field.summary_label = format_html(  # type: ignore[attr-defined]
                "{} – {}", label, in_data_language(component.name)
            )
        self.fields[_paper_field(component.position, "original_shown")] = forms.BooleanField(
            label=gettext_lazy("Đã xem bản chính và trả lại người nộp"),
            help_text=gettext_lazy("Không tính với hồ sơ nhận qua bưu chính."),
            required=False,
            initial=asked.original_shown,
        )

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("applicant_")]

    def eform_entries(self) -> list[Entry]:
        """Return the e-form's fields and groups to draw, in the schema's order."""
        return self.eform.entries

    @property
    def takes_office_documents(self) -> bool:
        return self.kinds != services.ACCEPTED_KINDS

    def component_entries(self) -> list[tuple[forms.BoundField, list[forms.BoundField]]]:
        """Return each component's file field with the fields counting it on paper."""
        kinds = [kind for kind, _label in PAPER_COUNTS] + ["original_shown"]
        return [
            (
                self[component_field_name(component.position)],
                [self[_paper_field(component.position, kind)] for kind in kinds],
            )
            for component in self.components
        ]

    def papers(self) -> list[services.PaperHandedIn]:
        """Return what the officer counted on paper, a blank count being none.

        An original is shown only in person: by post the ticks are not taken, since the
        form ticks the papers the catalog asks to be shown before the officer chooses the
        channel, and the officer would otherwise have to untick each to enter the dossier.
        """
        data = self.cleaned_data
        in_person = data["channel"] == Channel.DESK
        return [
            services.PaperHandedIn(
                position=component.position,
                **{
                    kind: data[_paper_field(component.position, kind)] or 0
                    for kind, _label in PAPER_COUNTS
                },
                original_shown=in_person
                and data[_paper_field(component.position, "original_shown")],
            )
            for component in self.components
        ]

    def submit(self, actor: User) -> services.SubmitResult:
        """Submit the dossier with the officer as actor (``dossier_submit``)."""
        data = self.cleaned_data
        files = [
            services.SubmittedFile.of(upload, position=component.position)
            for component in self.components
            for upload in data[component_field_name(component.position)]
        ]
        return services.dossier_submit(
            procedure_code=self.procedure.code,
            channel=data["channel"],
            applicant=None,
            applicant_details={
                name: data[f"applicant_{name}"] for name in ApplicantForm.base_fields
            },
            form_data=collect(self.eform.leaves, data),
            files=files,
            agency_code=data["agency"],
            papers=self.papers(),
            result_delivery=data["result_delivery"] or None,
            idempotency_key=f"desk-{data['idempotency_key']}",
            actor=actor,
        )

    def renew_key(self) -> None:
        """Draw the page again with a fresh idempotency key, and what was sent otherwise."""
        data = cast(QueryDict, self.data).copy()
        data["idempotency_key"] = uuid.uuid4().hex
        self.data = data

    def show_problems(self, error: InvalidDossier) -> None:
        """Put each problem the service named next to its field, the rest above the form."""
        for problem in error.details:
            where = str(problem.get("field", ""))
            name = _problem_field(where)
            if name is not None and name in self.fields:
                self.add_error(name, str(problem.get("message", "")))
            else:
                self.add_error(None, str(problem.get("message", "")))


def _paper_field(position: int, kind: str) -> str:
    return f"paper_{position}_{kind}"


def _problem_field(where: str) -> str | None:
    if where.startswith("applicant."):
        return "applicant_" + where.removeprefix("applicant.")
    if where.startswith("paper_"):
        return where.replace(".", "_")
    if where.startswith("component_") or where in ("agency", "channel"):
        return where
    return field_for_problem(where)


@login_required
@require_safe
def intake_start(request: HttpRequest) -> HttpResponse:
    """Let a one-stop officer find the procedure to enter, among those their agency receives."""
    agencies = _desk_agencies(request.user)
    if not agencies:
        return forbidden(request, str(NO_DESK))
    query = request.GET.get("q", "")[:200]
    context = {
        "query": query,
        "procedures": procedures_received_by(agencies, query),
        "max_choices": MAX_CHOICES,
    }
    return render(request, "workspace/intake_start.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def intake_form(request: HttpRequest, code: str) -> HttpResponse:
    """Enter a dossier of procedure ``code`` at the desk; receive it at once if asked."""
    desk = _desk_agencies(request.user)
    if not desk:
        return forbidden(request, str(NO_DESK))
    try:
        procedure = procedure_get(code=code)
    except ProcedureNotFound as error:
        return not_found(request, error.message)
    agencies = [agency for agency in desk if receiving.receives(procedure=procedure, agency=agency)]
    if not agencies:
        return not_found(request, _("Cơ quan của bạn không tiếp nhận thủ tục này."))
    if request.method != "POST":
        form = IntakeForm(procedure=procedure, agencies=agencies)
        return _render(request, form)
    form = IntakeForm(request.POST, request.FILES, procedure=procedure, agencies=agencies)
    if not form.is_valid():
        return _render(request, form, status=400)
    user = request_user(request)
    try:
        dossier = form.submit(user).dossier
    except InvalidDossier as error:
        form.show_problems(error)
        return _render(request, form, status=400)
    except IdempotencyKeyReused:
        # The page's key made a dossier of other content: the officer went back to a page
        # already sent and entered another applicant on it. Neither the earlier dossier
        # nor a refusal for ever: the entry is kept, with a key of its own (as on the
        # portal's application page).
        form.renew_key()
        form.add_error(None, STALE_KEY)
        return _render(request, form, status=400)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _render(request, form, status=error.status)
    if not form.cleaned_data["receive_now"]:
        messages.success(
            request,
            _("Đã nhập hồ sơ %(code)s; hồ sơ đang chờ tiếp nhận.") % {"code": dossier.code},
        )
    elif dossier.status != DossierStatus.SUBMITTED:  # the same submit, sent twice
        messages.info(request, _("Hồ sơ %(code)s đã được nhập trước đó.") % {"code": dossier.code})
    else:
        try:
            services.dossier_receive(
                dossier=dossier, actor=user, expected_revision=dossier.revision
            )
        except DomainError as error:
            messages.warning(
                request,
                _("Đã nhập hồ sơ %(code)s nhưng chưa tiếp nhận được: %(reason)s")
                % {"code": dossier.code, "reason": error.message},
            )
        else:
            messages.success(
                request,
                _(
                    "Đã nhập và tiếp nhận hồ sơ %(code)s. Hãy in giấy tiếp nhận và hẹn trả "
                    "kết quả cho người nộp."
                )
                % {"code": dossier.code},
            )
    return redirect("workspace:dossier", code=dossier.code)


def _render(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    # The problems head the page, each linked to its input, and the page opens on them.
    context = {"form": form, "procedure": form.procedure, "error_summary": error_lines(form)}
    return render(request, "workspace/intake_form.html", context, status=status)
