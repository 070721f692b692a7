"""The executive project dashboard (DLA executives): nation → province → LAO.

Back-office users only (`units.access.back_office_required`); anonymous users are sent to the
login page, citizens get a 404. Totals, rates and stages come from ProjectRollup; the lagging
list reads Project a page at a time. Every table downloads as CSV and XLSX with the same query
string.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from projects import dashboard
from projects.forms import DashboardForm, LaggingForm
from units import access
from units.slices import display_name, slice_table_response
from units.tables import Column, label, percent


def _parse(request, form_class=DashboardForm):
    """The query string as a DashboardForm: two queries for the reference lists, one for the
    years."""
    return form_class(
        request.GET, reference=dashboard.dashboard_reference(), years=dashboard.dashboard_years()
    )


@access.back_office_required
def dashboard_page(request):
    """The nation, or a province with `?province=<code>`: rates, stages, lagging projects and
    report submission."""
    form = _parse(request)
    the_slice = form.slice()
    data = dashboard.dashboard_page_data(
        slice=the_slice,
        reference=form.reference,
        page=request.GET.get("page"),
        query=form.keep_query().urlencode(),
    )
    context = {"form": form, "slice": the_slice, "keep_query": form.keep_query(), **data}
    return render(request, "projects/dashboard.html", context)


@access.back_office_required
def lagging_page(request):
    """Lagging projects of the slice, or of one LAO with `?lao=<DLA code>`, page by page."""
    form = _parse(request, LaggingForm)
    the_slice = form.slice()
    lao = dashboard.lagging_lao(code=form.lao_code)
    data = dashboard.lagging_page_data(
        slice=the_slice,
        lao=lao,
        page=request.GET.get("page"),
        query=form.keep_query().urlencode(),
    )
    context = {
        "form": form,
        "slice": the_slice,
        "lao": lao,
        "keep_query": form.keep_query(),
        **data,
    }
    return render(request, "projects/dashboard_lagging.html", context)


# --- Downloads: the columns of each table ----------------------------------------------------

FIGURES = (
    Column(_("Projects"), "figures.projects"),
    Column(_("Budget (baht)"), "figures.budget"),
    Column(_("Disbursed (baht)"), "figures.disbursed"),
    Column(_("Disbursement rate (%)"), "rate", format=percent),
    Column(_("Completed"), "figures.completed"),
)
TABLES = {
    "provinces": (
        Column(_("Province code"), "province.code"),
        Column(_("Province"), "province", format=display_name),
        *FIGURES,
    ),
    "kinds": (Column(_("LAO kind"), "kind", format=label), *FIGURES),
    "programmes": (
        Column(_("Programme code"), "programme.key"),
        Column(_("Programme"), "programme", format=display_name),
        *FIGURES,
    ),
    "stages": (Column(_("Stage"), "label", format=label), Column(_("Projects"), "count")),
}


@access.back_office_required
def dashboard_download(request, table, file_format):
    """One table of the dashboard as CSV or XLSX, with the page's filters."""
    if table not in TABLES:
        raise Http404
    form = _parse(request)
    the_slice = form.slice()
    rows = dashboard.dashboard_table_rows(table=table, slice=the_slice, reference=form.reference)
    return slice_table_response(
        TABLES[table],
        rows,
        name="project-dashboard",
        table=table,
        slice=the_slice,
        format=file_format,
    )
