"""Filters of the IOC pages: shares as percentages and scores, in the reader's language."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """Return a share (0.9123) as a percentage with one decimal ("91,2 %"); "—" without one."""
    if rate is None:
        return "—"
    return f"{floatformat(rate * 100, 1)} %"


@register.filter
def points(score: float | None) -> str:
    """Return a score with up to two decimals ("82,5"); "chưa có dữ liệu" without one."""
    if score is None:
        return _("chưa có dữ liệu")
    return str(floatformat(score, -2))
