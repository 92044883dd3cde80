"""The base of Sen's forms: every problem said in Vietnamese, and fields labelled with data."""

import re
from typing import Any, TypeVar

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from sen.core.text import NUL_MESSAGE

FieldType = TypeVar("FieldType", bound=forms.Field)

# HTML patterns of a 12-digit identity number and a 10-digit phone number as people type
# them, grouped or not by spaces, dots or dashes (``DigitsField`` keeps the digits).
GROUPED_ID_NUMBER = r"(?:[0-9][\s.\-]?){11}[0-9]"
GROUPED_PHONE = r"0(?:[\s.\-]?[0-9]){9}"
# What an identity number must be, said beside its box wherever one is asked (the
# applicant's own, an e-form's).
ID_NUMBER_HINT = gettext_lazy("Gồm đúng 12 chữ số.")


class MultilineField(forms.CharField):
    """Text of several lines, each line break kept and counted as one character.

    A browser sends a textarea's line breaks as CRLF but counts each as one character
    against its ``maxlength``; counted as two, a text the browser let through would be
    refused as too long ("hiện có 10175") with no way for the writer to see why.
    """

    widget = forms.Textarea

    def to_python(self, value: object) -> str | None:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


# The language of the catalog's and the officers' words: procedures, papers and e-forms are
# published in Vietnamese only, whatever language the page is in.
DATA_LANGUAGE = "vi"


def in_data_language(text: object) -> SafeString:
    """Return ``text``, escaped, inside ``<span lang="vi">``: the catalog's or an officer's
    Vietnamese within words of the page's own, so that on an English page a screen reader
    reads it with a Vietnamese voice (an element of its own takes ``lang="vi"`` instead)."""
    return format_html('<span lang="{}">{}</span>', DATA_LANGUAGE, text)


def label_html(field: forms.BoundField) -> SafeString:
    """Return ``field``'s label, escaped, marked as Vietnamese when it is data
    (``labelled_with_data``)."""
    language = getattr(field.field, "label_language", "")
    if not language:
        return format_html("{}", field.label)
    return format_html('<span lang="{}">{}</span>', language, field.label)


class DataChoicesSelect(forms.Select):
    """A drop-down whose choices are the catalog's Vietnamese words (agencies, fields, an
    e-form's answers): each gives ``lang="vi"``, but for the page's own "— Chọn —"."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value not in ("", None):
            option["attrs"] = {"lang": DATA_LANGUAGE, **option["attrs"]}
        return option


def labelled_with_data(field: FieldType, *, help_text_too: bool) -> FieldType:
    """Mark ``field``'s label (and its help text if ``help_text_too``) as the catalog's or
    an officer's Vietnamese words, not the page's; ``portal/_field.html`` gives them
    ``lang="vi"``, so that on an English page a screen reader reads them as Vietnamese."""
    field.label_language = DATA_LANGUAGE  # type: ignore[attr-defined]
    if help_text_too:
        field.help_language = DATA_LANGUAGE  # type: ignore[attr-defined]
    return field


class NulSafeForm(forms.Form):
    """A form that refuses a NUL character in the words the API uses.

    Django's own message ("Null characters are not allowed.") has no Vietnamese in its
    catalog; the pages would show it in English.
    """

    def full_clean(self) -> None:
        for field in self.fields.values():
            field.error_messages["null_characters_not_allowed"] = NUL_MESSAGE
        super().full_clean()


class DigitsField(forms.CharField):
    """A number typed as people write it, grouped by spaces, dots or dashes ("036 090 012
    345", "0912.345.678"): kept as its digits alone, then checked."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return re.sub(r"[\s.\-]", "", text or "")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Room in the box for the separators; the digits alone are counted after.
        attrs = super().widget_attrs(widget)
        if self.max_length is not None:
            attrs["maxlength"] = str(self.max_length + 8)
        return attrs
