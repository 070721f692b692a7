"""Public pages of benchmarks: the indicators, their methodology, one indicator's values, the
ranking tables, an LAO's benchmark page and the comparison of LAOs. No login; every page reads
stored results only (values, ranks, medians, neighbours, composite scores)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from benchmarks import peers, selectors
from benchmarks import ranking as ranking_rules
from benchmarks.filters import COMPARE_MIN, CompareForm, IndicatorValueFilter, RankingForm, YearForm
from benchmarks.models import REASON_EXPLANATIONS, STAMP, Area, Rating, Reason
from units import access
from units.caching import fragment_key
from units.filters import filter_query
from units.pagecache import cached_for_visitors
from units.slices import display_name
from units.stamps import lao_stamp
from units.tables import Column, label, table_response

PAGE_SIZE = 50
# What a recompute, an indicator's or a composite version's edit changes: every page here.


def national_stamps(request, **kwargs) -> list[str]:
    """The stamps of a page that shows only stored results (no LAO's voice)."""
    return [STAMP]


def lao_stamps(request, code, **kwargs) -> list[str]:
    """The stamps of an LAO's page: the stored results and what the LAO and the public add to
    them (published explanations, open questions), named from the URL's code with no query."""
    return [STAMP, lao_stamp(STAMP, code)]


@cached_for_visitors(stamps=national_stamps)
def index(request):
    """`/benchmarks/`: the indicators, each linked to its values."""
    return render(request, "benchmarks/index.html", {"indicators": selectors.indicators_listed()})


@cached_for_visitors(stamps=national_stamps)
def methodology(request):
    """`/benchmarks/methodology/`: every indicator's definition, and what each reason for a
    missing value means, written from the Indicator rows."""
    version = selectors.current_composite_version()
    context = {
        "indicators": selectors.indicators_listed(),
        "areas": Area.choices,
        "reasons": [(Reason(code).label, text) for code, text in REASON_EXPLANATIONS.items()],
        "bands": [(band, peers.band_label(band.number)) for band in peers.POPULATION_BANDS],
        "saturation_share": ranking_rules.SATURATION_SHARE,
        "saturation_distinct": ranking_rules.SATURATION_DISTINCT,
        "saturated": selectors.saturated_in_newest_year(),
        "version": version,
        # The method as data, with every key the page words (older versions may lack some).
        "method": {
            "normalization": "",
            "minimum_peers": None,
            "minimum_indicators": None,
            "weights": {},
            **(version.method if version else {}),
        },
        "versions": selectors.composite_versions(),
    }
    return render(request, "benchmarks/methodology.html", context)


def _values(request, code):
    indicator = selectors.indicator_by_code(code=code)
    years = selectors.indicator_years(indicator=indicator)
    filterset = IndicatorValueFilter(
        request.GET, years=years, queryset=selectors.indicator_values(indicator=indicator)
    )
    return indicator, filterset


@cached_for_visitors(stamps=national_stamps, params=("fiscal_year", "kind", "province", "page"))
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
        "national": selectors.indicator_year(indicator=indicator, fiscal_year=filterset.shown_year),
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


# --- ranking tables ----------------------------------------------------------------------------


def _ranking(request):
    """The ranking form (validated against the loaded choices) and what it selects: the
    selection, the table's rows and the national figures of the indicator (or the composite's
    version and its ranked count)."""
    stamps = selectors.page_stamps()
    form = RankingForm(request.GET or None, **selectors.ranking_choices(stamps=stamps))
    chosen = form.selection()
    table = selectors.ranking_table(**chosen)
    if table.pop("version_missing", False):
        form.add_error(
            "version", _("There is no version %(number)s.") % {"number": chosen["version"]}
        )
    return {"form": form, "stamps": stamps, **table}


@cached_for_visitors(
    stamps=national_stamps,
    params=("indicator", "year", "kind", "province", "peer_group", "version", "page"),
)
def ranking(request):
    """`/benchmarks/ranking/`: an indicator's (or the composite score's) ranks of a year,
    filtered by kind, province and peer group, 50 a page; a value without a rank (with a
    reason) after the ranked ones; a saturated indicator as pass/fail. The table is a cached
    fragment keyed by the validated selection and page."""
    table = _ranking(request)
    page = None
    if table["rows"] is not None:
        page = Paginator(table["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    query = table["form"].canonical_query()
    version = table.get("version").number if table.get("version") else None
    context = {
        **table,
        "page_obj": page,
        "keep_query": query,
        # Logged-in users render the page each time: the table is kept for them under the
        # stamps a recompute, an indicator's or an LAO's edit move, so they never read it stale.
        "table_key": fragment_key(
            # `is not None`: the truth of a page is its length, which would read its rows.
            query.urlencode(),
            page.number if page is not None else None,
            version,
            table["stamps"],
        ),
    }
    return render(request, "benchmarks/ranking.html", context)


def ranking_columns(table):
    """The ranking download's columns: as the table, one row per LAO, the reason where there
    is no value."""
    indicator = table["indicator"]
    if indicator is None:
        value = [
            Column(_("Composite score"), "score"),
            Column(_("Version"), lambda r: table["version"].number),
        ]
    else:
        value = [
            Column(indicator.get_unit_display(), "value"),
            Column(_("Rating"), lambda row: indicator.rating_of(row.value), format=_rating_label),
        ]
    return (
        Column(_("Fiscal year"), "fiscal_year"),
        Column(_("National rank"), "national_rank"),
        Column(_("DLA code"), "lao.dla_code"),
        Column(_("LAO"), "lao", format=display_name),
        Column(_("LAO kind"), "lao.kind_label", format=label),
        Column(_("Province"), "lao.province", format=display_name),
        *value,
        Column(_("Reason for no value"), "get_reason_display", format=label),
        Column(_("Rank in province"), "province_rank"),
        Column(_("Ranked in province"), "province_count"),
        Column(_("Rank in peer group"), "peer_rank"),
        Column(_("Ranked in peer group"), "peer_count"),
        Column(_("Percentile in peer group"), "peer_percentile"),
        Column(_("Quartile in peer group"), "peer_quartile"),
        Column(_("Places gained since the year before"), "movement"),
    )


def ranking_download(request, file_format):
    """The ranking table as CSV or XLSX: every row of the same selection, no paging."""
    table = _ranking(request)
    if table["rows"] is None:
        raise Http404("Nothing has been ranked yet.")
    name = table["indicator"].code if table["indicator"] else "composite"
    return table_response(
        ranking_columns(table),
        table["rows"],
        filename=f"ranking-{name}-{table['fiscal_year']}.{file_format}",
        format=file_format,
        sheet_title=f"{name} {table['fiscal_year']}",
    )


# --- an LAO's benchmark page -------------------------------------------------------------------


def _lao_page(request, code):
    lao = selectors.lao_for_benchmarks(code=code)
    values = selectors.lao_values_all_years(lao=lao)
    years = sorted({value.fiscal_year for value in values}, reverse=True)
    form = YearForm(request.GET or None, years=years)
    year = form.shown_year()
    context = {"lao": lao, "form": form, "fiscal_year": year, "figures": []}
    if year is None:
        return context
    neighbours = selectors.neighbours_of(lao=lao, fiscal_year=year)
    context.update(
        selectors.lao_figures(lao=lao, fiscal_year=year, values=values, neighbours=neighbours),
        neighbours=neighbours,
        composite=selectors.lao_composite(lao=lao, fiscal_year=year),
        trend_years=selectors.TREND_YEARS,
    )
    return context


@cached_for_visitors(stamps=lao_stamps, params=("year",))
def lao_benchmark(request, code):
    """`/benchmarks/lao/<code>/`: every shown indicator of the LAO in a year (the newest with
    values by default) against its peer and national medians, with its ranks, trend,
    explanations and open questions; the composite score; better-doing similar LAOs; the peer
    group and the nearest neighbours."""
    context = _lao_page(request, code)
    # The LAO's officers see "Explain this figure" beside each value (no query).
    context["may_explain"] = access.can_explain(request.user, context["lao"])
    neighbours = context.get("neighbours") or []
    context["compare_codes"] = [context["lao"].dla_code] + [
        n.neighbour.dla_code for n in neighbours[:2] if n.neighbour.dla_code
    ]
    return render(request, "benchmarks/lao.html", context)


def lao_columns():
    """The benchmark page's download: one row per indicator."""

    def peer_median(figure):
        return figure.peer.median if figure.peer else None

    def national_median(figure):
        return figure.national.median if figure.national else None

    def national_count(figure):
        return figure.national.ranked_count if figure.national else None

    return (
        Column(_("Fiscal year"), "value.fiscal_year"),
        Column(_("Indicator code"), "indicator.code"),
        Column(_("Indicator"), "indicator.name"),
        Column(_("Unit"), "indicator.get_unit_display", format=label),
        Column(_("Value"), "value.value"),
        Column(_("Reason for no value"), "value.get_reason_display", format=label),
        Column(_("Rating"), "rating", format=_rating_label),
        Column(_("Peer median"), peer_median),
        Column(_("National median"), national_median),
        Column(_("National rank"), "value.national_rank"),
        Column(_("Ranked nationally"), national_count),
        Column(_("Rank in province"), "value.province_rank"),
        Column(_("Ranked in province"), "value.province_count"),
        Column(_("Rank in peer group"), "value.peer_rank"),
        Column(_("Ranked in peer group"), "value.peer_count"),
        Column(_("Percentile in peer group"), "value.peer_percentile"),
        Column(_("Quartile in peer group"), "value.peer_quartile"),
        Column(_("Places gained since the year before"), "value.movement"),
        Column(_("Status"), "value.get_status_display", format=label),
        Column(_("As of"), "value.as_of"),
    )


def lao_download(request, code, file_format):
    """The benchmark page's figures as CSV or XLSX (the same year)."""
    context = _lao_page(request, code)
    return table_response(
        lao_columns(),
        context["figures"],
        filename=f"benchmarks-{context['lao'].url_code}-{context['fiscal_year']}.{file_format}",
        format=file_format,
        sheet_title=f"{context['lao'].url_code} {context['fiscal_year']}",
    )


# --- compare -----------------------------------------------------------------------------------


@cached_for_visitors(stamps=national_stamps, params=("lao", "year", "q"))
def compare(request):
    """`/benchmarks/compare/?lao=…&lao=…`: 2 to 5 LAOs side by side in a year; a name search
    adds more. Unknown codes, fewer than two or more than five LAOs are form errors."""
    form = CompareForm(request.GET or None, years=selectors.ranked_years())
    codes = form.codes()
    laos = selectors.laos_by_codes(codes=codes) if codes else []
    form.check_found(laos)
    order = {code: index for index, code in enumerate(codes)}
    laos.sort(key=lambda lao: order[lao.dla_code])
    year = form.shown_year()
    context = {
        "form": form,
        "laos": laos,
        "fiscal_year": year,
        "codes": [lao.dla_code for lao in laos],
        "found": None,
        "rows": None,
    }
    if form.is_bound and form.cleaned_data.get("q"):
        context["found"] = selectors.search_to_add(query=form.cleaned_data["q"], exclude=codes)
    if len(laos) >= COMPARE_MIN and year is not None and not form.errors.get("lao"):
        context.update(selectors.comparison(laos=laos, fiscal_year=year))
    return render(request, "benchmarks/compare.html", context)
