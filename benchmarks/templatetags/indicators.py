"""Indicator values, ranks, movements and small inline charts as the benchmarks pages show them."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarks.models import Rating, Unit

register = template.Library()

# Decimals shown per unit: shares to a tenth of a percent, money to the satang.
DECIMALS = {Unit.PERCENT: 1, Unit.BAHT_PER_PERSON: 2, Unit.SCORE: 2}


@register.filter
def indicator_number(value, unit):
    """`45.2 %`, `1,234.56 บาท/คน`, `87.50`; an empty string for no value (the page shows the
    reason instead, never a zero); also for a figure missing altogether ("")."""
    if value is None or value == "":
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


@register.filter
def rank_of(rank, count):
    """`12 of 340`; empty without a rank."""
    if rank is None:
        return ""
    if count is None:
        return intcomma(rank, use_l10n=False)
    return _("%(rank)s of %(count)s") % {
        "rank": intcomma(rank, use_l10n=False),
        "count": intcomma(count, use_l10n=False),
    }


MOVE_HTML = (
    '<span class="move move-{}" title="{}">{}<span class="visually-hidden"> {}</span></span>'
)


@register.filter
def movement(row):
    """Places gained (▲3) or lost (▼2) since the year before, or – when unchanged or unknown;
    the arrow's meaning spelled out for screen readers."""
    places = row.movement
    if not places:
        words = _("no change") if places == 0 else _("no rank the year before")
        return format_html(MOVE_HTML, "none", words, "–", words)
    if places > 0:
        words = ngettext("up %(n)s place", "up %(n)s places", places) % {"n": places}
        return format_html(MOVE_HTML, "up", words, f"▲{places}", words)
    words = ngettext("down %(n)s place", "down %(n)s places", -places) % {"n": -places}
    return format_html(MOVE_HTML, "down", words, f"▼{-places}", words)


@register.filter
def quartile_label(quartile):
    """`1st quarter (best)` … `4th quarter`; empty without one."""
    labels = {
        1: _("1st quarter (best)"),
        2: _("2nd quarter"),
        3: _("3rd quarter"),
        4: _("4th quarter"),
    }
    return labels.get(quartile, "")


@register.filter
def percentile(value):
    """A peer percentile (100 = best) as a whole number; empty without one."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)}"


@register.filter
def peer_group_name(code):
    """The readable name of a peer group code (no query)."""
    if not code:
        return ""
    from benchmarks.selectors import peer_group_label

    return peer_group_label(code)


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 4


@register.simple_tag
def sparkline(points, unit, label):
    """A small line of a value over the years, drawn inline (no script, works offline), named
    for screen readers by the years and values it shows: `points` are (year, value or None),
    oldest first; a year without a value breaks the line."""
    known = [(year, value) for year, value in points if value is not None]
    if len(known) < 2:
        return ""
    years = [year for year, _value in points]
    low = min(value for _year, value in known)
    high = max(value for _year, value in known)
    span_x = max(years[-1] - years[0], 1)
    span_y = (high - low) or Decimal(1)

    def xy(year, value):
        x = SPARK_PAD + (year - years[0]) * (SPARK_WIDTH - 2 * SPARK_PAD) / span_x
        y = (
            SPARK_HEIGHT
            - SPARK_PAD
            - float(value - low) * (SPARK_HEIGHT - 2 * SPARK_PAD) / float(span_y)
        )
        return f"{x:.1f},{y:.1f}"

    segments, current = [], []
    for year, value in points:
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(xy(year, value))
    if current:
        segments.append(current)
    words = ", ".join(
        f"{year}: {indicator_number(value, unit) if value is not None else '–'}"
        for year, value in points
    )
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/>',
        ((" ".join(segment),) for segment in segments if len(segment) > 1),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2" fill="currentColor"/>',
        (tuple(point.split(",")) for segment in segments for point in segment),
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}: {words}"><title>{label}: {words}</title>{lines}{dots}</svg>',
        w=SPARK_WIDTH,
        h=SPARK_HEIGHT,
        label=label,
        words=words,
        lines=lines,
        dots=dots,
    )


HIST_WIDTH, HIST_HEIGHT, HIST_GAP = 600, 160, 2


@register.simple_tag
def histogram_svg(bins, label_id):
    """The bars of a stored histogram ([{"from", "to", "count"}]), drawn inline; named by the
    caption `label_id` (the table beside it gives each bar's numbers)."""
    if not bins:
        return ""
    top = max(int(item["count"]) for item in bins) or 1
    width = HIST_WIDTH / len(bins)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#2f6ea5"/>',
        (
            (
                f"{index * width + HIST_GAP / 2:.1f}",
                f"{HIST_HEIGHT - int(item['count']) * HIST_HEIGHT / top:.1f}",
                f"{max(width - HIST_GAP, 1):.1f}",
                f"{int(item['count']) * HIST_HEIGHT / top:.1f}",
            )
            for index, item in enumerate(bins)
        ),
    )
    return format_html(
        '<svg class="histogram" viewBox="0 0 {w} {h}" preserveAspectRatio="none" role="img" '
        'aria-labelledby="{id}">{bars}</svg>',
        w=HIST_WIDTH,
        h=HIST_HEIGHT,
        id=label_id,
        bars=bars,
    )


@register.filter
def passes_in(value, national):
    """For a saturated indicator shown as pass/fail: does the value reach the year's best?
    (`national` is the IndicatorYear, its indicator already attached by the view.)"""
    from benchmarks.selectors import passes

    return bool(passes(national.indicator, value, national))
