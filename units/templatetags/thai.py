"""Template filters for Thai conventions: `{{ day|be_date }}`, `{{ amount|baht }}`, and the
machine-readable `{{ moment|time_datetime }}` of `<time datetime>`."""

import datetime

from django import template
from django.utils import timezone, translation

from units import thai

register = template.Library()


@register.filter
def be_date(value, style="short"):
    """A date in the active language: `5 ม.ค. 2569` in Thai (BE), `5 Jan 2026` in English."""
    return thai.format_date(value, long=style == "long") if value else ""


@register.filter
def baht(value):
    """`1,250,000.00`; empty for a missing amount."""
    return thai.format_baht(value)


@register.filter
def fiscal_year(value):
    """The Thai fiscal year (BE) of a date."""
    return thai.fiscal_year_of(value) if value else ""


@register.filter
def fiscal_year_label(value):
    """A fiscal year (BE) as a title or a choice: `2570` in Thai, `FY 2570 (Oct 2026 – Sep 2027)`
    in English."""
    return thai.fiscal_year_label(int(value)) if value else ""


@register.filter
def fiscal_year_span(value):
    """The Gregorian months of a fiscal year (BE) for English readers, `(Oct 2026 – Sep 2027)`;
    empty in Thai, where the BE fiscal year says it all."""
    if not value or translation.get_language() == "th":
        return ""
    return f"({thai.fiscal_year_span_en(int(value))})"


@register.filter
def time_datetime(value):
    """The `datetime` attribute of a `<time>` element: `2026-01-05T14:30:00+07:00` (local
    time, whole seconds, with its offset) or `2026-01-05` for a date.

    HTML allows at most three fractional digits, so Python's and Django's ISO formats (which
    keep the six digits of microseconds) are not valid there."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
