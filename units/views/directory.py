"""Public registry pages: the LAO list with search and downloads, province pages, the national
map and the directory of LAO websites. No login; reads only."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_filters.views import FilterView

from units import exports
from units.filters import LAOFilter, LinkFilter
from units.models import Province
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


class LAOListView(FilterView):
    """`/units/`: every active LAO, filtered, searched, sorted, 50 a page."""

    filterset_class = LAOFilter
    template_name = "units/index.html"
    paginate_by = PAGE_SIZE
    # Invalid input (e.g. a district of another province) is ignored rather than emptying the list.
    strict = False

    def get_queryset(self):
        return lao_directory()

    def get_context_data(self, **kwargs):
        query = getattr(self.filterset.form, "cleaned_data", {}).get("q") or ""
        return super().get_context_data(
            query_too_short=bool(query) and parse_name_query(query).is_too_short,
            min_query_length=MIN_QUERY_LENGTH,
            **kwargs,
        )


class LAOExportView(FilterView):
    """The list's download: every matching row (no paging), same filters and sort."""

    filterset_class = LAOFilter
    strict = False
    file_format = "csv"

    def get_queryset(self):
        return lao_directory(for_export=True)

    def render_to_response(self, context, **response_kwargs):
        header, rows = exports.lao_table(self.object_list)
        if self.file_format == "xlsx":
            return exports.xlsx_response(
                filename="laos.xlsx", sheet_title=_("LAOs"), header=header, rows=rows
            )
        return exports.csv_response(filename="laos.csv", header=header, rows=rows)


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
    }
    return render(request, "units/province_detail.html", context)


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
