"""The forms of applying online: the applicant, the receiving agency, one file input per
document component, and the e-form (``sen.eforms``).

The browser checks what HTML can (required, patterns, lengths, ranges, accepted types); the
forms check the same on the server with Vietnamese messages; the submission service checks
everything again and its problems are put back next to the field or file they name
(``place_problems``).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sen.catalog.models import DocumentComponent
from sen.core.filetypes import CONTENT_TYPES
from sen.core.forms import (
    GROUPED_ID_NUMBER,
    GROUPED_PHONE,
    ID_NUMBER_HINT,
    DataChoicesSelect,
    DigitsField,
    label_html,
    labelled_with_data,
)
from sen.core.models import Agency
from sen.dossiers import services
from sen.dossiers.models import INVALID_EMAIL, id_number_validator, phone_validator
from sen.dossiers.states import ReturnMethod
from sen.eforms.fields import EForm, field_for_problem
from sen.portal.forms import PageForm


def accept_attribute(kinds: Sequence[str]) -> str:
    """Return what the browser's file picker offers for ``kinds``: extensions and types."""
    extensions = [f".{kind}" for kind in kinds] + ([".jpeg"] if "jpg" in kinds else [])
    return ",".join(extensions + [CONTENT_TYPES[kind] for kind in kinds])


# What the phone looks like: beside the field, and in the browser's bubble for a value off
# the pattern (the identity number's, ``ID_NUMBER_HINT``, is the e-forms' too).
PHONE_HINT = _("10 chữ số, bắt đầu bằng 0.")


class ApplicantForm(PageForm):
    """Who applies: prefilled from the account, checked as the submission service does."""

    name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = DigitsField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=12,
        validators=[id_number_validator],
        widget=forms.TextInput(
            attrs={
                # 12 digits, in groups or not (DigitsField)
                "pattern": GROUPED_ID_NUMBER,
                "inputmode": "numeric",
                "autocomplete": "off",
                # The browser's bubble for a value off the pattern says this, not "the
                # requested format".
                "title": ID_NUMBER_HINT,
            }
        ),
        help_text=ID_NUMBER_HINT,
    )
    phone = DigitsField(
        label=_("Số điện thoại"),
        max_length=10,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(
            attrs={
                "pattern": GROUPED_PHONE,
                "inputmode": "tel",
                "autocomplete": "tel",
                "title": PHONE_HINT,
            }
        ),
        help_text=PHONE_HINT,
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Nhận thông báo mỗi khi hồ sơ đổi trạng thái."),
        error_messages={"invalid": INVALID_EMAIL},
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def details(self) -> dict[str, str]:
        """Return the applicant's details as the submission service takes them."""
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class AgencyForm(PageForm):
    """The agency that receives the dossier, when the procedure has more than one."""

    agency = forms.ChoiceField(label=_("Cơ quan tiếp nhận hồ sơ"), widget=DataChoicesSelect)

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["agency"])
        field.choices = [("", _("— Chọn cơ quan —"))] + [(a.code, a.name) for a in agencies]


class DeliveryForm(PageForm):
    """How the applicant will receive the result, printed on the receipt (item 6); none
    chosen is electronically, the service's default online."""

    result_delivery = forms.ChoiceField(
        label=_("Cách nhận kết quả"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.ELECTRONIC,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Qua bưu chính: kết quả gửi đến địa chỉ ghi ở trên."),
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ComponentFileField(forms.FileField):
    """The files of one document component, each checked as the submission service checks
    it (``services.file_problem``) against ``kinds`` (``services.accepted_kinds`` of the
    procedure): several may be chosen, or one where the widget is a plain ``FileInput``
    (the desk intake)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, kinds: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = tuple(kinds)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [item for item in (data if isinstance(data, list) else [data]) if item]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        found = (
            services.file_problem(services.SubmittedFile.of(item, position=None), kinds=self.kinds)
            for item in files
        )
        problems = [problem for problem in found if problem]
        if problems:
            raise forms.ValidationError(problems)
        return files


def component_hint(component: DocumentComponent) -> str:
    """Return the hint under a component's file input: the catalog's note, after saying
    that a paper only shown (xuất trình) needs no file."""
    if not component.shown_only:
        return component.note
    shown = _("Giấy tờ chỉ xuất trình, không phải tải lên.")
    return f"{shown} {component.note}".strip()


def component_field_name(position: int) -> str:
    """Return the file input's name of the component at ``position`` (as in the API)."""
    return f"component_{position}"


def requested_paper_field(
    kinds: Sequence[str], *, paper: str = "", reason: str = ""
) -> ComponentFileField:
    """The input of one paper a supplement request named (``requested_<n>``): several
    files of ``kinds``, none required alone; labelled with the paper, the reason under it."""
    field = ComponentFileField(
        label=paper or None,
        required=False,
        help_text=reason,
        kinds=kinds,
        widget=MultipleFileInput(attrs={"accept": accept_attribute(kinds)}),
    )
    return labelled_with_data(field, help_text_too=True)


def requested_files(
    cleaned: Mapping[str, Any], numbers: Iterable[int]
) -> list[services.SubmittedFile]:
    """Return the files chosen for the papers ``numbers`` of the request, as the supplement
    service takes them (it files each under its paper)."""
    return [
        services.SubmittedFile.of(upload, position=None, requested=number)
        for number in numbers
        for upload in cleaned.get(f"requested_{number}") or []
    ]


class ComponentFilesForm(PageForm):
    """One file input per document component of the procedure, required where it is, taking
    the kinds of file the procedure accepts (``services.accepted_kinds``)."""

    def __init__(
        self,
        *args: Any,
        components: Iterable[DocumentComponent],
        kinds: Sequence[str] = services.ACCEPTED_KINDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.components = sorted(components, key=lambda component: component.position)
        self.kinds = tuple(kinds)
        for component in self.components:
            field = ComponentFileField(
                label=component.name,
                required=component.upload_required,
                help_text=component_hint(component),
                kinds=self.kinds,
                widget=MultipleFileInput(attrs={"accept": accept_attribute(self.kinds)}),
            )
            # The hint of a paper only shown starts with our words, then the catalog's.
            help_text_too = not component.shown_only
            self.fields[component_field_name(component.position)] = labelled_with_data(
                field, help_text_too=help_text_too
            )

    @property
    def takes_office_documents(self) -> bool:
        return bool(set(self.kinds) & set(services.OFFICE_KINDS))

    def submitted_files(self) -> list[services.SubmittedFile]:
        """Return the chosen files as the submission service takes them."""
        return [
            services.SubmittedFile.of(upload, position=component.position)
            for component in self.components
            for upload in self.cleaned_data.get(component_field_name(component.position), [])
        ]


@dataclass
class Application:
    """Every form of the apply page, bound or not."""

    applicant: ApplicantForm
    agency: AgencyForm | None
    delivery: DeliveryForm
    files: ComponentFilesForm
    eform: EForm
    # Problems that belong to no field (the total size of the files, the channel, …).
    general: list[str]

    def is_valid(self) -> bool:
        forms_ = [self.applicant, self.delivery, self.files, self.eform]
        if self.agency is not None:
            forms_.append(self.agency)
        return all([form.is_valid() for form in forms_])  # every form, to show every error

    @property
    def agency_code(self) -> str | None:
        return self.agency.cleaned_data["agency"] if self.agency is not None else None

    def error_summary(self) -> list[tuple[str, str, str]]:
        """Return every problem as (field label, message, field id), in the page's order."""
        lines = [("", message, "") for message in self.general]
        for form in (self.applicant, self.agency, self.delivery, self.eform, self.files):
            if form is not None:
                lines += error_lines(form)
        return lines


def error_lines(form: forms.Form) -> list[tuple[str, str, str]]:
    """Return the problems of a bound ``form`` as (field label, message, id of the input the
    summary links to), those of no field first; an unbound form has none.

    The label is HTML: the catalog's Vietnamese in it (an e-form's field, a paper) is marked
    ``lang="vi"``, as beside the input.
    """
    if not form.is_bound:
        return []
    lines = [("", str(message), "") for message in form.non_field_errors()]
    for bound in form.visible_fields():  # a hidden field's problem is said above (PageForm)
        # A list of radio buttons has no input of its own id: the link goes to the first.
        anchor = bound.id_for_label or f"{bound.auto_id}_0"
        # A label that needs its group to be understood ("Bản chính", of which paper?) gives
        # the summary its longer name, HTML already.
        label = getattr(bound.field, "summary_label", "") or label_html(bound)
        lines += [(label, str(message), anchor) for message in bound.errors]
    return lines


def place_problems(application: Application, problems: Iterable[Mapping[str, Any]]) -> None:
    """Put each problem the submission service found next to the field or file it names."""
    for problem in problems:
        where = str(problem.get("field", ""))
        message = str(problem.get("message", ""))
        target: forms.Form | None = None
        name: str | None = None
        if where.startswith("applicant."):
            target, name = application.applicant, where.removeprefix("applicant.")
        elif where == "agency":
            target, name = application.agency, "agency"
        elif where == "result_delivery":
            target, name = application.delivery, "result_delivery"
        elif where.startswith("component_"):
            target, name = application.files, where
        elif (eform_field := field_for_problem(where)) is not None:
            target, name = application.eform, eform_field
        elif where == "form":
            target, name = application.eform, None
        if target is None or (name is not None and name not in target.fields):
            application.general.append(message)
        else:
            target.add_error(name, message)
