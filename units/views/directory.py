"""Public registry pages: the LAO list with search and downloads, province pages, the national
map and the directory of LAO websites. No login; reads only.

They show the registry alone (names, kinds, codes, population, websites), the same to every
visitor: visitors get them from the page cache (`units.pagecache`), renewed by any change of the
registry (the `units` stamp, always part of the key)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_filters.views import FilterView

from units import exports, stamps
from units.caching import fragment_key
from units.filters import LAOFilter, LinkFilter, filter_query, valid_filters
from units.models import Province
from units.pagecache import cached_for_visitors
from units.search import MIN_QUERY_LENGTH, parse_name_query
from units.selectors import (
    lao_directory,
    lao_links,
    province_by_code,
    province_lao_counts_by_kind,
    province_map_data,
    provinces_geojson_bytes,
    provinces_with_lao_counts,
)

PAGE_SIZE = 50


@method_decorator(
    cached_for_visitors(params=("q", "province", "district", "kind", "sort", "page")),
    name="dispatch",
)
class LAOListView(FilterView):
    """`/units/`: every active LAO, filtered, searched, sorted, 50 a page.

    The form and the rows are a cached fragment keyed by the validated filters and the page
    number, never by the raw query string: junk parameters or another order of the same filters
    reuse one entry. A request with an invalid value (shown as an error in the form) is rendered
    without the cache; every link of the fragment is built from the validated filters only."""

    filterset_class = LAOFilter
    template_name = "units/index.html"
    paginate_by = PAGE_SIZE
    # Invalid input (e.g. a district of another province) is ignored rather than emptying the list.
    strict = False

    def get_queryset(self):
        return lao_directory()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cleaned = valid_filters(self.filterset)
        query = cleaned.get("q") or ""
        too_broad = (
            exports.lao_export_plan(cleaned) == "search"
            and context["paginator"].count > exports.LAO_EXPORT_MAX_SEARCH_ROWS
        )
        canonical = filter_query(self.filterset)
        context.update(
            query_too_short=bool(query) and parse_name_query(query).is_too_short,
            min_query_length=MIN_QUERY_LENGTH,
            export_too_broad=too_broad,
            export_max_rows=exports.LAO_EXPORT_MAX_SEARCH_ROWS,
            canonical_query=canonical,
            # Under the registry's stamp: a page stored for visitors after an edit must not be
            # built from a fragment older than the edit.
            list_key=(
                fragment_key(
                    canonical.urlencode(), context["page_obj"].number, stamps.read([stamps.UNITS])
                )
                if self.filterset.is_valid()
                else None
            ),
        )
        return context


class LAOExportView(FilterView):
    """The list's download: every matching row (no paging), same filters and sort. The whole
    registry and each province (and each kind and sort of them) are stored files rebuilt only
    when the registry changes; a district or a small search is built per request; a
    national search of more than LAO_EXPORT_MAX_SEARCH_ROWS rows is refused (400)."""

    filterset_class = LAOFilter
    strict = False
    file_format = "csv"

    def get_queryset(self):
        return lao_directory()

    def render_to_response(self, context, **response_kwargs):
        response = exports.lao_registry_download(
            laos=self.object_list,
            cleaned_data=valid_filters(self.filterset),
            file_format=self.file_format,
        )
        if response is None:
            message = _(
                "This search finds too many LAOs to download: choose a province, or download "
                "the whole list."
            )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return response


@cached_for_visitors(params=("page",))
def province_detail(request, code):
    """`/units/province/<code>/`: a province, its LAOs by kind, its map and its LAOs."""
    try:
        province = province_by_code(code=code)
    except Province.DoesNotExist:
        raise Http404("No province has this code.") from None
    page = Paginator(lao_directory().in_province(province), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "province": province,
        "counts": province_lao_counts_by_kind(province=province),
        "map_data": province_map_data(province=province),
        "page_obj": page,
        # The page number as the paginator understood it: `?page=x&junk=1` shares page 1's entry;
        # the registry's stamp, so that a page stored after an edit shows it.
        "laos_key": fragment_key(province.code, page.number, stamps.read([stamps.UNITS])),
        "canonical_query": QueryDict(),
    }
    return render(request, "units/province_detail.html", context)


@cached_for_visitors()
def national_map(request):
    """`/units/map/`: provinces coloured by their number of LAOs, each linked to its page; the
    table beside it says the same without the map."""
    provinces = list(provinces_with_lao_counts())
    counts = {province.code: province.lao_count for province in provinces}
    return render(request, "units/map_national.html", {"provinces": provinces, "counts": counts})


@require_GET
@cache_control(public=True, max_age=3600)
def provinces_geojson(request):
    """`/units/map/provinces.geojson`: province boundaries, cached in the process (one query a
    day) and by browsers for an hour."""
    return HttpResponse(provinces_geojson_bytes(), content_type="application/geo+json")


@method_decorator(
    cached_for_visitors(params=("province", "kind", "page")),
    name="dispatch",
)
class LinkListView(FilterView):
    """`/units/links/` (area 8): LAO websites by province and kind, 50 a page."""

    filterset_class = LinkFilter
    template_name = "units/links_list.html"
    paginate_by = PAGE_SIZE
    strict = False

    def get_queryset(self):
        return lao_links()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_demo"] = any("website" in lao.demo_fields for lao in context["object_list"])
        return context
