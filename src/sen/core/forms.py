"""The base of Sen's forms: every problem said in Vietnamese."""

from django import forms

from sen.core.text import NUL_MESSAGE


class NulSafeForm(forms.Form):
    """A form that refuses a NUL character in the words the API uses.

    Django's own message ("Null characters are not allowed.") has no Vietnamese in its
    catalog; the pages would show it in English.
    """

    def full_clean(self) -> None:
        for field in self.fields.values():
            field.error_messages["null_characters_not_allowed"] = NUL_MESSAGE
        super().full_clean()
