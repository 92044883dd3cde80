"""Forms of the officer workspace: the queue's filters and one form per dossier action.

Each action form parses the officer's input and ``perform`` calls the one service that
does the action, with the revision the officer was looking at (``expected_revision``).
The service decides who may act and what is allowed; the form only checks the shape of
the input.
"""

from typing import Any, ClassVar, Protocol, cast

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sen.core.forms import MultilineField
from sen.core.models import User
from sen.core.timezones import short_moment
from sen.dossiers import services
from sen.dossiers.codes import parse_dossier_code, typed_dossier_code
from sen.dossiers.models import Dossier
from sen.dossiers.states import Action, DossierStatus, ReturnMethod
from sen.portal.applying import (
    ComponentFileField,
    accept_attribute,
    requested_files,
    requested_paper_field,
)
from sen.portal.dossier_page import requested_items
from sen.portal.forms import PageForm

SUPPLEMENT_ROWS = 10
# Rows shown open; the others fold under "more papers" until used.
SUPPLEMENT_ROWS_OPEN = 3
# The desk takes any kind the service may accept, until the form knows the procedure's own.
DESK_KINDS = services.accepted_kinds(office_documents=True)
PAPER_NUMBERS = range(1, services.MAX_SUPPLEMENT_ITEMS + 1)


class QueueFilterForm(forms.Form):
    """Filters of the queue; every value is optional."""

    procedure = forms.CharField(
        label=_("Thủ tục (mã hoặc tên), hoặc mã hồ sơ"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("1.001193, khai sinh hoặc mã trên giấy hẹn"),
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Chưa kết thúc (cần xử lý)")), *DossierStatus.choices],
        error_messages={
            "invalid_choice": _(
                "Không có trạng thái hồ sơ “%(value)s”; danh sách dưới đây là các hồ sơ chưa "
                "kết thúc. Hãy chọn một trạng thái trong danh sách."
            )
        },
    )
    due_soon = forms.BooleanField(label=_("Sắp đến hạn (trong 1 ngày làm việc)"), required=False)
    overdue = forms.BooleanField(label=_("Đã quá hạn"), required=False)
    my_turn = forms.BooleanField(label=_("Đến lượt tôi xử lý"), required=False)

    def filters(self) -> dict[str, Any]:
        """Return the valid values as keyword arguments of ``officer_queue``, once checked
        (``is_valid``): an invalid one is left out, as if not given."""
        data = self.cleaned_data
        return {
            "procedure": data.get("procedure") or None,
            "status": data.get("status") or None,
            "due_within_days": 1 if data.get("due_soon") else None,
            "overdue": bool(data.get("overdue")),
            "my_turn": bool(data.get("my_turn")),
        }

    def dossier_code(self) -> str | None:
        """Return the dossier code typed in the procedure's box, if that is what it holds
        (a citizen on the phone reads the code off their receipt), else ``None``; once
        checked (``is_valid``)."""
        text = self.cleaned_data.get("procedure")
        code = typed_dossier_code(text) if text else ""
        return code if parse_dossier_code(code) is not None else None

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class ActionForm(PageForm):
    """The revision the officer saw; every action form has it."""

    action: ClassVar[Action]
    # The form's heading and button where the action's own name would mislead (the desk
    # acting for the applicant); else the action's name.
    title: ClassVar[Promise | None] = None
    expected_revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def show_for(self, dossier: Dossier) -> None:
        """Fit the form to the dossier whose page draws it (forms are built, and the posted
        one checked, before the dossier is read); most need nothing."""

    # Whether the posted form's checks depend on the procedure's kinds of file: the view
    # then reads them (``selectors.accepts_office_documents``) for ``check_against``.
    checks_file_kinds: ClassVar[bool] = False

    def check_against(self, *, office_documents: bool) -> None:
        """Fit the posted form's checks to the dossier's procedure; most need nothing."""

    def perform(self, dossier: Dossier, actor: User) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def revision(self) -> int:
        return int(self.cleaned_data["expected_revision"])


class CommentField(MultilineField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Ý kiến (không bắt buộc)"))
        super().__init__(
            required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **kwargs
        )


class ReasonField(MultilineField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Lý do"))
        super().__init__(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **kwargs)


class ReasonService(Protocol):
    def __call__(
        self, *, dossier: Dossier, reason: str, actor: User | None, expected_revision: int
    ) -> Any: ...


class ReasonForm(ActionForm):
    """An action whose one input is its reason; ``service`` takes the dossier, the reason,
    the actor and the revision (refusing, withdrawing, sending back, stopping)."""

    reason = ReasonField()
    service: ClassVar[ReasonService]

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return self.service(
            dossier=dossier,
            reason=self.cleaned_data["reason"],
            actor=actor,
            expected_revision=self.revision,
        )


class ReceiveForm(ActionForm):
    action = Action.RECEIVE
    comment = CommentField()

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_receive(
            dossier=dossier,
            actor=actor,
            comment=self.cleaned_data["comment"],
            expected_revision=self.revision,
        )


class SupplementRequestForm(ActionForm):
    """Everything missing, at once: up to ``SUPPLEMENT_ROWS`` items, each with its reason."""

    action = Action.REQUEST_SUPPLEMENT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, SUPPLEMENT_ROWS + 1):
            self.fields[f"item_{row}"] = forms.CharField(
                label=_("Giấy tờ cần bổ sung %(row)s") % {"row": row},
                required=row == 1,
                max_length=500,
                # The page lists the procedure's papers under this id (workspace/dossier.html).
                widget=forms.TextInput(attrs={"list": "supplement-papers"}),
                help_text=_("Chọn giấy tờ của thủ tục hoặc ghi giấy tờ khác."),
            )
            self.fields[f"reason_{row}"] = forms.CharField(
                label=_("Lý do %(row)s") % {"row": row}, required=row == 1, max_length=1000
            )

    # The procedure's papers, offered as names while the officer lists what is missing: the
    # applicant's supplement form files a named one under it.
    papers: list[str] = []

    def show_for(self, dossier: Dossier) -> None:
        self.papers = [component.name for component in dossier.procedure.components.all()]

    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """Return each row's number with its paper and reason fields."""
        return [
            (row, self[f"item_{row}"], self[f"reason_{row}"])
            for row in range(1, SUPPLEMENT_ROWS + 1)
        ]

    def first_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return self.rows()[:SUPPLEMENT_ROWS_OPEN]

    def more_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return self.rows()[SUPPLEMENT_ROWS_OPEN:]

    def more_rows_used(self) -> bool:
        """Return whether a folded row holds what the officer typed or a problem with it,
        so that the page shows it open."""
        return any(
            field.value() or field.errors
            for _number, *fields in self.more_rows()
            for field in fields
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, SUPPLEMENT_ROWS + 1):
            name, reason = data.get(f"item_{row}"), data.get(f"reason_{row}")
            if name and not reason:
                self.add_error(f"reason_{row}", _("Hãy nêu lý do cần bổ sung giấy tờ này."))
            if reason and not name:
                self.add_error(f"item_{row}", _("Hãy ghi tên giấy tờ cần bổ sung."))
        return data

    def items(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"name": data[f"item_{row}"], "reason": data[f"reason_{row}"]}
            for row in range(1, SUPPLEMENT_ROWS + 1)
            if data.get(f"item_{row}")
        ]

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_request_supplement(
            dossier=dossier, items=self.items(), actor=actor, expected_revision=self.revision
        )


class DeskSupplementForm(ActionForm):
    """The supplement the applicant brought to the desk or sent by post, taken in for them:
    the scans of each paper the request named (``requested_<n>``, as on the applicant's
    page; the service files each under its paper). The page shows one input per paper
    asked for (``show_for``); the service checks the numbers against the request."""

    action = Action.SUBMIT_SUPPLEMENT
    title = _("Nhận hồ sơ bổ sung thay người nộp")
    checks_file_kinds = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Forms are built before the dossier is read: an input for any paper a request may
        # name, narrowed to those of this dossier's request when the page is drawn.
        for number in PAPER_NUMBERS:
            self.fields[f"requested_{number}"] = requested_paper_field(DESK_KINDS)

    def show_for(self, dossier: Dossier) -> None:
        """Keep one input per paper the request named, labelled with it and its reason, its
        file picker offering the kinds of file the dossier's procedure accepts."""
        items = requested_items(dossier)
        self.check_against(office_documents=dossier.procedure.accepts_office_documents)
        for number in PAPER_NUMBERS:
            name = f"requested_{number}"
            if number > len(items):
                del self.fields[name]
            else:
                field = self.fields[name]
                field.label = items[number - 1]["name"]
                field.help_text = items[number - 1]["reason"]
                # A form sent back with its errors has made its bound fields already, each
                # with the label and hint of then ("Requested 1"): give them the paper's.
                bound = self[name]
                bound.label, bound.help_text = field.label, field.help_text

    def check_against(self, *, office_documents: bool) -> None:
        """Take and offer only the kinds of file the dossier's procedure accepts, so that a
        refused file's message lists those (the service checks them again)."""
        kinds = services.accepted_kinds(office_documents=office_documents)
        for number in PAPER_NUMBERS:
            field = self.fields.get(f"requested_{number}")
            if isinstance(field, ComponentFileField):
                field.kinds = tuple(kinds)
                field.widget.attrs["accept"] = accept_attribute(kinds)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.submitted_files():
            raise forms.ValidationError(_("Hãy đính kèm ít nhất một giấy tờ bổ sung."))
        return data

    def submitted_files(self) -> list[services.SubmittedFile]:
        return requested_files(self.cleaned_data, PAPER_NUMBERS)

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_submit_supplement(
            dossier=dossier,
            files=self.submitted_files(),
            actor=actor,
            expected_revision=self.revision,
        )


class DeskSupplementInProcessingForm(DeskSupplementForm):
    """The same, for a supplement asked during processing (the service restarts the clock)."""

    action = Action.SUBMIT_SUPPLEMENT_IN_PROCESSING


class DeskWithdrawForm(ReasonForm):
    """The written request to withdraw of an applicant without an account, recorded by the
    desk (the service allows it for such dossiers only)."""

    action = Action.WITHDRAW
    title = _("Rút hồ sơ theo đơn của người nộp")
    reason = ReasonField(label=_("Lý do rút hồ sơ (theo đơn của người nộp)"))
    service = staticmethod(services.dossier_withdraw)


class RefuseForm(ReasonForm):
    action = Action.REFUSE
    reason = ReasonField(label=_("Lý do từ chối (gửi cho người nộp)"))
    service = staticmethod(services.dossier_refuse)


class CompleteStepForm(ActionForm):
    action = Action.COMPLETE_STEP
    comment = CommentField()

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_complete_step(
            dossier=dossier,
            comment=self.cleaned_data["comment"],
            actor=actor,
            expected_revision=self.revision,
        )


class AttachResultForm(ActionForm):
    action = Action.ATTACH_RESULT
    # Checked as the service checks it, so that the officer reads its words by the field.
    file = ComponentFileField(
        label=_("Tệp kết quả (PDF, JPEG hoặc PNG, tối đa 10 MB)"),
        kinds=services.RESULT_KINDS,
        widget=forms.FileInput(attrs={"accept": accept_attribute(services.RESULT_KINDS)}),
    )

    def perform(self, dossier: Dossier, actor: User) -> Any:
        [upload] = self.cleaned_data["file"]
        submitted = services.SubmittedFile.of(upload, position=None)
        return services.dossier_attach_result(
            dossier=dossier, upload=submitted, actor=actor, expected_revision=self.revision
        )


class GenerateResultForm(ActionForm):
    """Draft the result document in Sen: its title, its text, and how it is signed."""

    action = Action.GENERATE_RESULT
    # Not "title": that is the form's heading (``ActionForm.title``).
    result_title = forms.CharField(
        label=_("Tên văn bản kết quả"),
        max_length=services.MAX_RESULT_TITLE,
        # The page lists the procedure's results under this id (workspace/dossier.html).
        widget=forms.TextInput(attrs={"list": "result-titles"}),
        help_text=_("Chọn kết quả thực hiện của thủ tục hoặc ghi tên khác; in làm tiêu đề."),
    )
    content = MultilineField(
        label=_("Nội dung"),
        max_length=services.MAX_RESULT_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Mỗi dòng một đoạn."),
    )
    reference = forms.CharField(
        label=_("Số, ký hiệu văn bản (không bắt buộc)"),
        required=False,
        max_length=services.MAX_RESULT_REFERENCE,
        help_text=_("Ví dụ: 15/GXN-UBND. Để trống: văn thư ghi số khi ban hành."),
    )
    signer_title = MultilineField(
        label=_("Thẩm quyền, chức vụ người ký (không bắt buộc)"),
        required=False,
        max_length=services.MAX_SIGNER_TITLE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Mỗi dòng một dòng in, ví dụ: TM. ỦY BAN NHÂN DÂN, rồi CHỦ TỊCH. Để trống: "
            "THỦ TRƯỞNG CƠ QUAN."
        ),
    )

    # The procedure's results ("kết quả thực hiện"), offered as titles; the first one comes
    # written in.
    titles: list[str] = []

    def show_for(self, dossier: Dossier) -> None:
        self.titles = [str(title) for title in dossier.procedure.results if str(title).strip()]
        if self.titles:
            self.fields["result_title"].initial = self.titles[0]

    def perform(self, dossier: Dossier, actor: User) -> Any:
        data = self.cleaned_data
        return services.dossier_generate_result(
            dossier=dossier,
            title=data["result_title"],
            content=data["content"],
            reference=data["reference"],
            signer_title=data["signer_title"],
            actor=actor,
            expected_revision=self.revision,
        )


class RemoveResultForm(ActionForm):
    """Take back a result attached by mistake: which one, and why."""

    action = Action.REMOVE_RESULT
    # The results are named when the page is drawn; the service says if a number is not one.
    number = forms.IntegerField(
        label=_("Kết quả cần gỡ"), min_value=1, widget=forms.RadioSelect(choices=[])
    )
    reason = ReasonField(label=_("Lý do gỡ (ví dụ: đính kèm nhầm tệp)"))

    def show_for(self, dossier: Dossier) -> None:
        results = list(dossier.results.all())
        widget = cast(forms.RadioSelect, self.fields["number"].widget)
        # Drafts of one title share a name: when each was made, and its size, tell them apart.
        widget.choices = [
            (
                number,
                f"{item.original_name} ({short_moment(item.attached_at)}, "
                f"{filesizeformat(item.size)})",
            )
            for number, item in enumerate(results, 1)
        ]
        if len(results) == 1:
            self.fields["number"].initial = 1

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_remove_result(
            dossier=dossier,
            number=self.cleaned_data["number"],
            reason=self.cleaned_data["reason"],
            actor=actor,
            expected_revision=self.revision,
        )


class ApologyForm(ActionForm):
    action = Action.APOLOGIZE
    reason = ReasonField(label=_("Lý do chậm trả kết quả"))
    new_due_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Sau ngày hẹn trả hiện tại, trong giờ làm việc; chỉ hẹn lại một lần."),
    )

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_apologize(
            dossier=dossier,
            reason=self.cleaned_data["reason"],
            new_due_at=self.cleaned_data["new_due_at"],
            actor=actor,
            expected_revision=self.revision,
        )


class SendBackForm(ReasonForm):
    action = Action.SEND_BACK
    reason = ReasonField(label=_("Lý do trả lại"))
    service = staticmethod(services.dossier_send_back)


class StopForm(ReasonForm):
    action = Action.STOP
    reason = ReasonField(label=_("Lý do dừng giải quyết"))
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý (không bắt buộc)"),
        required=False,
        max_length=500,
        help_text=_("Ví dụ: khoản 3 Điều 16 Luật Hộ tịch. Thông báo dừng dẫn căn cứ này."),
    )

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_stop(
            dossier=dossier,
            reason=self.cleaned_data["reason"],
            legal_basis=self.cleaned_data["legal_basis"],
            actor=actor,
            expected_revision=self.revision,
        )


class ReturnForm(ActionForm):
    action = Action.RETURN_RESULT
    method = forms.ChoiceField(
        label=_("Hình thức trả kết quả"), choices=ReturnMethod.choices, widget=forms.RadioSelect
    )
    postal_tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi (khi trả qua bưu chính)"), required=False, max_length=50
    )
    recipient = forms.CharField(
        label=_("Người nhận kết quả tại Bộ phận Một cửa, nếu không phải người nộp"),
        help_text=_("Họ tên, số giấy tờ tùy thân, theo giấy ủy quyền. Để trống: người nộp nhận."),
        required=False,
        max_length=300,
    )

    def show_for(self, dossier: Dossier) -> None:
        """Offer the electronic return only to an applicant with an account: one entered at
        the desk or by post could not download the result (the service refuses it too).
        The way the applicant registered at submission comes chosen."""
        field = cast(forms.ChoiceField, self.fields["method"])
        offered = [
            (value, label)
            for value, label in ReturnMethod.choices
            if dossier.applicant_id is not None or value != ReturnMethod.ELECTRONIC
        ]
        field.choices = offered
        if dossier.result_delivery in {value for value, _label in offered}:
            field.initial = dossier.result_delivery

    def perform(self, dossier: Dossier, actor: User) -> Any:
        return services.dossier_return_result(
            dossier=dossier,
            method=self.cleaned_data["method"],
            postal_tracking_number=self.cleaned_data["postal_tracking_number"],
            recipient=self.cleaned_data["recipient"],
            actor=actor,
            expected_revision=self.revision,
        )


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    form.action: form
    for form in (
        ReceiveForm,
        SupplementRequestForm,
        DeskSupplementForm,
        DeskSupplementInProcessingForm,
        DeskWithdrawForm,
        RefuseForm,
        CompleteStepForm,
        SendBackForm,
        AttachResultForm,
        GenerateResultForm,
        RemoveResultForm,
        ApologyForm,
        StopForm,
        ReturnForm,
    )
}

# The URL of each action under /can-bo/ho-so/<code>/.
ACTION_SLUGS: dict[str, Action] = {
    "tiep-nhan": Action.RECEIVE,
    "yeu-cau-bo-sung": Action.REQUEST_SUPPLEMENT,
    "tu-choi": Action.REFUSE,
    "hoan-thanh-buoc": Action.COMPLETE_STEP,
    "tra-lai-buoc-truoc": Action.SEND_BACK,
    "dinh-kem-ket-qua": Action.ATTACH_RESULT,
    "soan-ket-qua": Action.GENERATE_RESULT,
    "go-ket-qua": Action.REMOVE_RESULT,
    "xin-loi-hen-lai": Action.APOLOGIZE,
    "dung-giai-quyet": Action.STOP,
    "tra-ket-qua": Action.RETURN_RESULT,
    "nhan-bo-sung": Action.SUBMIT_SUPPLEMENT,
    "nhan-bo-sung-dang-giai-quyet": Action.SUBMIT_SUPPLEMENT_IN_PROCESSING,
    "rut-ho-so": Action.WITHDRAW,
}
SLUG_OF = {action: slug for slug, action in ACTION_SLUGS.items()}
