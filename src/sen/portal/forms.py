"""The GET forms of the procedure list and of tracking, the sign-in form, and the base of
the forms that act on a dossier."""

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sen.catalog.models import Field, OnlineLevel, ProcedureLevel
from sen.core.forms import DataChoicesSelect, NulSafeForm
from sen.dossiers.codes import parse_dossier_code, typed_dossier_code

# What a person can do about a hidden field they never filled in.
STALE_PAGE = _("Trang này đã cũ hoặc thiếu dữ liệu; hãy tải lại trang rồi gửi lại.")


class PageForm(NulSafeForm):
    """A form that says every problem in Vietnamese where the person sees it.

    A problem with a hidden field (the revision the person saw, a key against double
    submission) is said above the form, since the field itself is not shown; a NUL
    character is refused in the words the API uses (``NulSafeForm``).
    """

    def full_clean(self) -> None:
        super().full_clean()
        if any(field.errors for field in self.hidden_fields()):
            self.add_error(None, STALE_PAGE)


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
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False, widget=DataChoicesSelect)
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


class LoginForm(AuthenticationForm):
    """Django's sign-in form with Vietnamese labels and the browser's autocomplete hints."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )

    def full_clean(self) -> None:
        super().full_clean()
        if self.non_field_errors():
            # The page opens on the error (its summary takes the focus, not the name), and
            # each input says it was refused and why, as every other form of the site does.
            self.fields["username"].widget.attrs.pop("autofocus", None)
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": LOGIN_ERROR_ID}
                )


# The id of the sign-in page's error summary, which its inputs name as their description.
LOGIN_ERROR_ID = "login-error"


class TrackingForm(forms.Form):
    """The dossier code to follow, as printed on the slips (``000.00.01.H37-261120-0001``)."""

    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "search__input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "000.00.01.H37-261120-0001",
            }
        ),
        help_text=_("Mã hồ sơ in trên giấy tiếp nhận và trong thư thông báo."),
    )

    def clean_ma(self) -> str:
        code = typed_dossier_code(str(self.cleaned_data["ma"]))
        if parse_dossier_code(code) is None:
            raise forms.ValidationError(
                _(
                    "Mã hồ sơ gồm mã cơ quan, ngày nộp và số thứ tự, "
                    "ví dụ 000.00.01.H37-261120-0001."
                )
            )
        return code
