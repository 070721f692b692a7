"""Template filters for Thai conventions: `{{ day|be_date }}`, `{{ amount|baht }}`."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation

from units import thai

register = template.Library()


@register.filter
def be_date(value, style="short"):
    """A date in the active language: `5 ม.ค. 2569` in Thai (BE), `5 Jan 2026` in English."""
    if not value:
        return ""
    if translation.get_language() == "th":
        return thai.format_date_be(value, long=style == "long")
    return date_filter(value, "j F Y" if style == "long" else "j M Y")


@register.filter
def baht(value):
    """`1,250,000.00`; empty for a missing amount."""
    return thai.format_baht(value)


@register.filter
def fiscal_year(value):
    """The Thai fiscal year (BE) of a date."""
    return thai.fiscal_year_of(value) if value else ""
