"""Forms of the actions a citizen takes on their own dossier: withdraw, supplement, rate.

Each carries the dossier's revision the citizen saw, so that an action on a dossier an
officer has changed since is refused (``DossierConflict``) rather than applied blindly.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sen.catalog.models import DocumentComponent
from sen.dossiers import ratings
from sen.dossiers.services import SubmittedFile
from sen.portal.applying import (
    ComponentFileField,
    ComponentFilesForm,
    MultipleFileInput,
    accept_attribute,
    component_field_name,
)
from sen.portal.forms import PageForm

MAX_REASON_LENGTH = 2000


class RevisionForm(PageForm):
    expected_revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class WithdrawForm(RevisionForm):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupplementForm(ComponentFilesForm):
    """The files of a supplement: one input for each paper the request asked for, named as
    the officer named it, with the reason under it. A paper that is one of the procedure's
    components is filed under that component, any other as a paper of its own. Without a
    recorded list, one input per component. None is required alone, one file in all."""

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
        by_name = {_comparable(component.name): component for component in components}
        # (input name, the paper asked for, the component it is, if any)
        self.asked: list[tuple[str, str, DocumentComponent | None]] = []
        for number, item in enumerate(requested_items, start=1):
            name = f"requested_{number}"
            self.fields[name] = ComponentFileField(
                label=item["name"],
                required=False,
                help_text=item["reason"],
                kinds=self.kinds,
                widget=MultipleFileInput(attrs={"accept": accept_attribute(self.kinds)}),
            )
            self.asked.append((name, item["name"], by_name.get(_comparable(item["name"]))))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.errors and not self.submitted_files():
            raise forms.ValidationError(_("Hãy đính kèm ít nhất một giấy tờ bổ sung."))
        return cleaned

    def submitted_files(self) -> list[SubmittedFile]:
        return super().submitted_files() + [
            SubmittedFile.of(
                upload,
                position=component.position if component else None,
                requested_item=paper,
            )
            for name, paper, component in self.asked
            for upload in self.cleaned_data.get(name, [])
        ]


def _comparable(name: str) -> str:
    """A paper's name as typed and as catalogued compare alike: case and spacing aside."""
    return " ".join(name.split()).casefold()


class RatingForm(PageForm):
    """One choice per official criterion (``sen.dossiers.ratings.CRITERIA``) and a comment."""

    comment = forms.CharField(
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
