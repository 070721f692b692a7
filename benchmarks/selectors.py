"""Page-level reads of benchmarks: the indicators, and one indicator's values in a year."""

from django.db.models import F
from django.http import Http404

from benchmarks.models import Direction, Indicator, IndicatorValue


def indicators_listed():
    """The indicators shown to the public, in their order (the index and methodology pages)."""
    return Indicator.objects.active()


def indicator_by_code(*, code: str) -> Indicator:
    """A shown indicator by its code; 404 for an unknown or hidden one."""
    try:
        return Indicator.objects.active().get(code=code)
    except Indicator.DoesNotExist:
        raise Http404("No indicator has this code.") from None


def indicator_years(*, indicator: Indicator) -> list[int]:
    """The fiscal years the indicator has values for, newest first (read from the
    (indicator, fiscal_year, value) index alone)."""
    return list(
        IndicatorValue.objects.filter(indicator=indicator)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def indicator_values(*, indicator: Indicator):
    """The values of one indicator (IndicatorValueFilter picks the year), best first by its
    direction, those without a value (with their reason) last; each row with its LAO and the
    LAO's province. `.only()`: the LAO table is wide and the list shows its code, names, kind
    and province."""
    value = F("value")
    best_first = (
        value.asc(nulls_last=True)
        if indicator.direction == Direction.LOWER
        else (value.desc(nulls_last=True))
    )
    return (
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("lao", "lao__province")
        .only(
            "fiscal_year",
            "value",
            "reason",
            "source",
            "as_of",
            "status",
            "lao__dla_code",
            "lao__kind",
            "lao__name_th",
            "lao__full_name_th",
            "lao__name_en",
            "lao__province__code",
            "lao__province__name_th",
            "lao__province__name_en",
        )
        .order_by(best_first, "lao__dla_code")
    )
