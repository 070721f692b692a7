"""The executive project dashboard (issue 5, DLA executives): nation → province → LAO.

Back-office users only (`units.access.can_view_back_office`); anonymous users are sent to the
login page, citizens get a 404. Totals, rates and stages come from ProjectRollup; the lagging
list reads Project a page at a time. Every table downloads as CSV and XLSX with the same query
string.
"""

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from projects import dashboard
from projects.filters_dashboard import DashboardFilter
from units import access
from units.exports import csv_response, xlsx_response
from units.models import LAO


def _back_office_only(user) -> None:
    if not access.can_view_back_office(user):
        raise Http404


def _parse(request):
    """(filterset, slice, reference): two queries for the reference lists, one for the years."""
    reference = dashboard.dashboard_reference()
    years = dashboard.dashboard_years()
    choices = sorted({*years, dashboard.current_fiscal_year()}, reverse=True)
    filterset = DashboardFilter(request.GET, reference=reference, years=choices)
    filterset.is_valid()
    data = {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name not in filterset.form.errors
    }
    the_slice = dashboard.dashboard_slice(data=data, reference=reference, years=years)
    return filterset, the_slice, reference


def _digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _page_number(request) -> int:
    try:
        return int(request.GET.get("page") or 1)
    except ValueError:
        return 1


@login_required
def dashboard_page(request):
    """The nation, or a province with `?province=<code>`: rates, stages, lagging projects and
    report submission."""
    _back_office_only(request.user)
    filterset, the_slice, reference = _parse(request)
    figures = dashboard.dashboard_figures(slice=the_slice, reference=reference)
    lagging = dashboard.lagging_page(
        projects=dashboard.lagging_projects(slice=the_slice), page=_page_number(request)
    )
    reports = dashboard.report_status(slice=the_slice, reference=reference)
    query = request.GET.urlencode()
    context = {
        "filter": filterset,
        "slice": the_slice,
        "dashboard": figures,
        "charts": dashboard.dashboard_charts(dashboard=figures),
        "lagging": lagging,
        "reports": reports,
        # Cache keys of the rendered tables: a digest of everything each one shows (and of the
        # query string its links keep), so a cached table is never stale.
        "tables_key": _digest(figures, query),
        "lagging_key": _digest(
            [
                (
                    p.pk,
                    p.code,
                    p.name,
                    p.stage,
                    p.planned_end,
                    p.budget_amount,
                    p.contract_amount,
                    p.disbursed_total,
                    p.progress_percent,
                    p.lao_id,
                )
                for p in lagging.rows
            ],
            lagging.number,
            lagging.has_next,
            query,
        ),  # fmt: skip
        "reports_key": _digest(reports, query),
    }
    return render(request, "projects/dashboard.html", context)


@login_required
def lagging_page(request):
    """Lagging projects of the slice, or of one LAO with `?lao=<DLA code>`, page by page."""
    _back_office_only(request.user)
    filterset, the_slice, _reference = _parse(request)
    lao = None
    if request.GET.get("lao"):
        lao = get_object_or_404(
            LAO.objects.select_related("province").only(
                "dla_code",
                "name_th",
                "full_name_th",
                "kind",
                "province__code",
                "province__name_th",
                "province__name_en",
            ),  # fmt: skip
            dla_code=request.GET["lao"],
        )
    lagging = dashboard.lagging_page(
        projects=dashboard.lagging_projects(slice=the_slice, lao=lao),
        page=_page_number(request),
    )
    return render(
        request,
        "projects/dashboard_lagging.html",
        {"filter": filterset, "slice": the_slice, "lao": lao, "lagging": lagging},
    )


# --- Downloads: (title, value of a row) per column --------------------------------------------


def _figures_columns(key_columns):
    return (
        *key_columns,
        (_("Projects"), lambda row: row["figures"].projects),
        (_("Budget (baht)"), lambda row: row["figures"].budget),
        (_("Disbursed (baht)"), lambda row: row["figures"].disbursed),
        (_("Disbursement rate (%)"), lambda row: _percent(row["rate"])),
        (_("Completed"), lambda row: row["figures"].completed),
    )


def _percent(value):
    return None if value is None else round(value * 100, 1)


TABLES = {
    "provinces": _figures_columns(
        (
            (_("Province code"), lambda row: row["province"].code),
            (_("Province"), lambda row: dashboard.display_name(row["province"])),
        )
    ),
    "kinds": _figures_columns(((_("LAO kind"), lambda row: str(row["kind"])),)),
    "programmes": _figures_columns(
        (
            (_("Programme code"), lambda row: row["programme"].key),
            (_("Programme"), lambda row: dashboard.display_name(row["programme"])),
        )
    ),
    "stages": (
        (_("Stage"), lambda row: str(row["label"])),
        (_("Projects"), lambda row: row["count"]),
    ),
}


@login_required
def dashboard_download(request, table, file_format):
    """One table of the dashboard as CSV or XLSX, with the page's filters."""
    _back_office_only(request.user)
    if table not in TABLES or file_format not in ("csv", "xlsx"):
        raise Http404
    _filterset, the_slice, reference = _parse(request)
    figures = dashboard.dashboard_figures(slice=the_slice, reference=reference)
    rows = {
        "provinces": figures.provinces,
        "kinds": figures.kinds,
        "programmes": figures.programmes,
        "stages": figures.stages,
    }[table]
    columns = TABLES[table]
    header = [str(title) for title, _value in columns]
    values = ([value(row) for _title, value in columns] for row in rows)
    scope = the_slice.province.code if the_slice.province else "th"
    filename = f"project-dashboard-{table}-{the_slice.fiscal_year}-{scope}.{file_format}"
    if file_format == "csv":
        return csv_response(filename=filename, header=header, rows=values)
    return xlsx_response(
        filename=filename, sheet_title=f"{table} {the_slice.fiscal_year}", header=header,
        rows=values,
    )  # fmt: skip
