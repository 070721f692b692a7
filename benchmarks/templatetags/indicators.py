"""Indicator values as the pages show them, by the indicator's unit."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from benchmarks.models import Rating, Unit

register = template.Library()

# Decimals shown per unit: shares to a tenth of a percent, money to the satang.
DECIMALS = {Unit.PERCENT: 1, Unit.BAHT_PER_PERSON: 2, Unit.SCORE: 2}


@register.filter
def indicator_number(value, unit):
    """`45.2 %`, `1,234.56 บาท/คน`, `87.50`; an empty string for no value (the page shows the
    reason instead, never a zero)."""
    if value is None:
        return ""
    places = DECIMALS.get(unit, 2)
    # Half up, as Thai documents round (and format_baht does), not to the nearest even digit.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    number = intcomma(f"{rounded:.{places}f}", use_l10n=False)
    if unit == Unit.PERCENT:
        return _("%(number)s %%") % {"number": number}
    if unit == Unit.BAHT_PER_PERSON:
        return _("%(number)s baht/person") % {"number": number}
    return number


@register.filter
def rating_in(value, indicator):
    """The label of the band a value falls in (Good / Average / Weak); empty without bands."""
    rating = indicator.rating_of(value)
    return Rating(rating).label if rating else ""


@register.filter
def rating_label(rating):
    """The label of a rating code (good → Good)."""
    return Rating(rating).label


@register.filter
def band_range(band, unit):
    """A rating band's values in words: `≤ 40.0 %`, `≥ 100.0 %`, `40.0 % – 60.0 %`."""
    low, high = band.get("from"), band.get("to")
    low = indicator_number(Decimal(low), unit) if low is not None else None
    high = indicator_number(Decimal(high), unit) if high is not None else None
    if low is not None and high is not None:
        return f"{low} – {high}"
    if high is not None:
        return f"≤ {high}"
    if low is not None:
        return f"≥ {low}"
    return _("any value")
