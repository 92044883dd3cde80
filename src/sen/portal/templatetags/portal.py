"""Template helpers of the citizen portal: ``{% load portal %}``."""

import unicodedata
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms, template
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from sen.catalog.models import DurationUnit, Procedure
from sen.core.forms import in_data_language, label_html
from sen.core.timezones import short_moment
from sen.dossiers.states import FINISHED_STATUSES
from sen.portal import formatting
from sen.portal.navigation import StaffNavigation, staff_navigation

register = template.Library()


@register.simple_tag
def province_name() -> str:
    """Return the province this installation serves (setting ``SEN_PROVINCE_NAME``)."""
    return str(getattr(settings, "SEN_PROVINCE_NAME", "Ninh Bình"))


@register.filter
def moment(value: Any) -> str:
    """Show a moment, time before date in Vietnam time: ``{{ dossier.due_at|moment }}`` →
    "08:30 22/11/2026", as on every page and in every email.

    Nothing for anything but a datetime: a missing variable reaches a filter as "", and
    ``|moment|default:"—"`` then says there is no moment, as ``|date`` did.
    """
    return short_moment(value) if isinstance(value, datetime) else ""


@register.filter
def why_no_due(dossier: Any) -> str:
    """Say why a dossier has no appointment for its result: not received yet, or never
    (refused, withdrawn before intake), so a finished dossier does not read as "not yet"."""
    if dossier.status in FINISHED_STATUSES:
        return _("Không có (không tiếp nhận)")
    return _("Chưa có (chưa tiếp nhận)")


@register.filter
def dong(amount: int | None) -> str:
    """Show an amount of money: ``{{ fee.amount|dong }}`` → "50.000 đồng" or "Miễn phí"."""
    return formatting.format_dong(amount)


@register.filter
def duration(value: Decimal, unit: str = DurationUnit.DAYS) -> str:
    """Show a legal time: ``{{ procedure.processing_days|duration }}`` → "3 ngày làm việc"."""
    return formatting.format_duration(value, unit)


@register.filter
def thousands(value: int) -> str:
    """Group a count's thousands with the active separator: "1.700"."""
    return formatting.group_thousands(value)


@register.filter
def chosen_files(field: forms.BoundField) -> str:
    """Return the names of the files sent in ``field`` of a form shown again with problems,
    quoted and joined: the browser keeps no file chosen, and a file that was fine would
    otherwise be lost without a word. "" for any other field or an unsent form."""
    if not field.form.is_bound or not isinstance(field.field, forms.FileField):
        return ""
    # (``field.value()`` gives a file field's initial value, never what was sent.)
    files = field.form.files
    sent = files.getlist(field.html_name) if hasattr(files, "getlist") else []
    return ", ".join(f"“{item.name}”" for item in sent if isinstance(item, UploadedFile))


@register.filter
def label_text(field: forms.BoundField) -> str:
    """Return ``field``'s label, escaped, inside ``<span lang>`` when it is data in a
    language of its own (``sen.core.forms.labelled_with_data``)."""
    return label_html(field)


@register.filter
def lang_vi(value: Any) -> str:
    """Mark the catalog's or an officer's Vietnamese inside the page's own words, where no
    element of its own can carry ``lang="vi"``: ``{% blocktranslate with
    agency=dossier.agency.name|lang_vi %}``."""
    return in_data_language(value)


@register.filter
def help_language(field: forms.BoundField) -> str:
    """Return the language of ``field``'s help text when it is data in one of its own."""
    return str(getattr(field.field, "help_language", ""))


@register.filter
def nfc(value: str) -> str:
    """Compose accents into single characters (Django's "Tiếng Việt" comes decomposed)."""
    return unicodedata.normalize("NFC", str(value))


@register.filter
def document_label(item: Any) -> str:
    """Show one entry of a legal basis or results list."""
    return formatting.document_label(item)


@register.filter
def levels(procedure: Procedure) -> list[str]:
    """Return the procedure's levels, each once ("Cấp tỉnh", "Cấp xã").

    Reads the prefetched implementations, so it costs no query on a prefetched list.
    """
    labels = {i.get_level_display() for i in procedure.implementations.all()}
    return sorted(labels)


@register.simple_tag(takes_context=True)
def staff_links(context: template.Context) -> StaffNavigation:
    """Return which staff pages to link to: ``{% staff_links as staff %}``."""
    request = context.get("request")
    return staff_navigation(request) if request is not None else StaffNavigation()


@register.filter
def bound(form: forms.Form, name: str) -> forms.BoundField:
    """Return the form's bound field called ``name``: ``{% with field=form|bound:name %}``."""
    return form[name]


@register.filter
def minutes(value: timedelta | None) -> int:
    """Return a duration in whole minutes, rounded up: the lockout's cool-off."""
    if value is None:
        return 0
    return -(-int(value.total_seconds()) // 60)
