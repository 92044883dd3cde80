"""The GET form that filters the procedure list."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sen.catalog.models import Field, OnlineLevel, ProcedureLevel


class ProcedureFilterForm(forms.Form):
    """Text and filters of the procedure list; every value is optional."""

    q = forms.CharField(
        label=_("Tìm thủ tục hành chính"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Ví dụ: đăng ký khai sinh"),
                "aria-describedby": "q-hint",
            }
        ),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *ProcedureLevel.choices],
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        choices=[("", _("Tất cả các mức")), *OnlineLevel.choices],
    )

    def __init__(self, *args: Any, fields: list[Field], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_choice = cast(forms.ChoiceField, self.fields["field"])
        field_choice.choices = [("", _("Tất cả lĩnh vực"))] + [(f.code, f.name) for f in fields]

    def filters(self) -> dict[str, str]:
        """Return the valid values as keyword arguments for ``procedure_search``."""
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "field": data.get("field") or "",
            "level": data.get("level") or "",
            "online_level": data.get("online_level") or "",
        }

    @property
    def is_filtered(self) -> bool:
        """Return whether the citizen asked for anything narrower than the whole catalog."""
        return self.is_bound and any(self.data.get(name) for name in self.fields)
