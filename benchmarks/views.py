"""Public pages of benchmarks: the indicators, their methodology, one indicator's values.
No login; reads only stored values."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from benchmarks import selectors
from benchmarks.filters import IndicatorValueFilter
from benchmarks.models import REASON_EXPLANATIONS, Area, Rating, Reason
from units.filters import filter_query
from units.slices import display_name
from units.tables import Column, label, table_response

PAGE_SIZE = 50


def index(request):
    """`/benchmarks/`: the indicators, each linked to its values."""
    return render(request, "benchmarks/index.html", {"indicators": selectors.indicators_listed()})


def methodology(request):
    """`/benchmarks/methodology/`: every indicator's definition, and what each reason for a
    missing value means, written from the Indicator rows."""
    context = {
        "indicators": selectors.indicators_listed(),
        "areas": Area.choices,
        "reasons": [(Reason(code).label, text) for code, text in REASON_EXPLANATIONS.items()],
    }
    return render(request, "benchmarks/methodology.html", context)


def _values(request, code):
    indicator = selectors.indicator_by_code(code=code)
    years = selectors.indicator_years(indicator=indicator)
    filterset = IndicatorValueFilter(
        request.GET, years=years, queryset=selectors.indicator_values(indicator=indicator)
    )
    return indicator, filterset


def indicator_detail(request, code):
    """`/benchmarks/indicators/<code>/`: the values of a year, filtered by kind and province, 50
    a page; a value that could not be computed shows its reason."""
    indicator, filterset = _values(request, code)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "indicator": indicator,
        "filter": filterset,
        "fiscal_year": filterset.shown_year,
        "page_obj": page,
        "keep_query": filter_query(filterset),
    }
    return render(request, "benchmarks/indicator.html", context)


def value_columns(indicator):
    """The download's columns: the value in the indicator's unit, empty when there is none (the
    reason column says why)."""
    return (
        Column(_("Fiscal year"), "fiscal_year"),
        Column(_("DLA code"), "lao.dla_code"),
        Column(_("LAO"), "lao", format=display_name),
        Column(_("LAO kind"), "lao.kind_label", format=label),
        Column(_("Province"), "lao.province", format=display_name),
        Column(indicator.get_unit_display(), "value"),
        Column(_("Rating"), lambda row: indicator.rating_of(row.value), format=_rating_label),
        Column(_("Reason for no value"), "get_reason_display", format=label),
        Column(_("Status"), "get_status_display", format=label),
        Column(_("As of"), "as_of"),
    )


def _rating_label(rating):
    return str(Rating(rating).label)


def indicator_download(request, code, file_format):
    """The indicator page's values as CSV or XLSX: every row of the filters, no paging."""
    indicator, filterset = _values(request, code)
    return table_response(
        value_columns(indicator),
        filterset.qs,
        filename=f"{indicator.code}-{filterset.shown_year}.{file_format}",
        format=file_format,
        sheet_title=indicator.code,
    )
