"""Forms of the actions a citizen takes on their own dossier: withdraw, supplement, rate.

Each carries the dossier's revision the citizen saw, so that an action on a dossier an
officer has changed since is refused (``DossierConflict``) rather than applied blindly.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sen.catalog.models import DocumentComponent
from sen.core.forms import MultilineField
from sen.dossiers import ratings
from sen.dossiers.services import SubmittedFile
from sen.portal.applying import (
    ComponentFilesForm,
    component_field_name,
    requested_files,
    requested_paper_field,
)
from sen.portal.forms import PageForm

MAX_REASON_LENGTH = 2000


class RevisionForm(PageForm):
    expected_revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class WithdrawForm(RevisionForm):
    reason = MultilineField(
        label=_("Lý do rút hồ sơ"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A withdrawal cannot be undone: one click with a reason typed must not be all it takes.
    confirm = forms.BooleanField(
        label=_(
            "Tôi hiểu: hồ sơ đã rút thì không được giải quyết tiếp; muốn làm lại phải nộp "
            "hồ sơ mới."
        ),
        error_messages={"required": _("Hãy đánh dấu xác nhận trước khi rút hồ sơ.")},
    )


class SupplementForm(ComponentFilesForm):
    """The files of a supplement: one input for each paper the request asked for, named as
    the officer named it, with the reason under it (``requested_<n>``, as in the API; the
    service files each under its paper). Without a recorded list, one input per component.
    None is required alone, one file in all."""

    expected_revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        components: list[DocumentComponent],
        requested_items: Sequence[Mapping[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, components=[] if requested_items else components, **kwargs)
        for component in self.components:
            self.fields[component_field_name(component.position)].required = False
        self.requested = len(requested_items)
        for number, item in enumerate(requested_items, start=1):
            self.fields[f"requested_{number}"] = requested_paper_field(
                self.kinds, paper=item["name"], reason=item["reason"]
            )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.errors and not self.submitted_files():
            raise forms.ValidationError(_("Hãy đính kèm ít nhất một giấy tờ bổ sung."))
        return cleaned

    def submitted_files(self) -> list[SubmittedFile]:
        return super().submitted_files() + requested_files(
            self.cleaned_data, range(1, self.requested + 1)
        )


class RatingForm(PageForm):
    """One choice per official criterion (``sen.dossiers.ratings.CRITERIA``) and a comment."""

    comment = MultilineField(
        label=_("Ý kiến khác (không bắt buộc)"),
        max_length=ratings.MAX_COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in ratings.CRITERIA:
            self.fields[criterion.code] = forms.TypedChoiceField(
                label=str(criterion.label),
                choices=[(str(value), label) for value, label in criterion.values],
                coerce=int,
                widget=forms.RadioSelect,
            )
        # The criteria first, the free comment last.
        self.order_fields([criterion.code for criterion in ratings.CRITERIA])

    def scores(self) -> dict[str, int]:
        return {criterion.code: self.cleaned_data[criterion.code] for criterion in ratings.CRITERIA}
