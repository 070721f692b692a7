"""The national budget explorer (DLA executives): nation → province → LAO → plan.

Back-office users only (`units.access.back_office_required`); anonymous users are sent to the
login page, citizens get a 404. Every table of a level downloads as CSV and XLSX with the same
query string.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from budgets import explorer, selectors
from budgets.forms import ExplorerForm
from budgets.models import PlanStatus
from units import access
from units.slices import display_name, slice_table_response
from units.tables import Column, demo_mark, label, table_response


def _parse(request) -> tuple[ExplorerForm, explorer.Reference]:
    """The query string as an ExplorerForm, and the reference it was validated against (the
    classification and the years, `explorer.explorer_reference`: one query when cached)."""
    reference = explorer.explorer_reference()
    form = ExplorerForm(request.GET, classification=reference.classification, years=reference.years)
    return form, reference


@access.back_office_required
def explorer_page(request):
    """The nation level, or a province level with `?province=<code>`."""
    form, reference = _parse(request)
    the_slice = form.slice()
    keep_query = form.keep_query()
    data = explorer.explorer_page_data(
        slice=the_slice,
        classification=form.classification,
        years=form.years,
        stamps=reference.stamps,
        user=request.user,
        status=form.plan_status,
        page=request.GET.get("page"),
        query=keep_query.urlencode(),
    )
    context = {"form": form, "slice": the_slice, "keep_query": keep_query, **data}
    return render(request, "budgets/explorer.html", context)


@access.back_office_required
def explorer_lao_page(request, code):
    """The LAO level: its plans of every year and its latest enacted breakdown."""
    lao = explorer.explorer_lao(code=code)
    return render(
        request,
        "budgets/explorer_lao.html",
        {
            "lao": lao,
            "plans": explorer.explorer_lao_plans(lao=lao, user=request.user),
            "summary": selectors.lao_budget_summary(lao=lao),
            "shows_unpublished": access.can_see_unpublished_plans(request.user, lao),
        },
    )


# --- Downloads: the columns of each table of a level --------------------------------------------

AMOUNT = Column(_("Enacted budget (baht)"), "amount")
TABLES = {
    "years": (Column(_("Fiscal year"), "fiscal_year"), AMOUNT),
    "provinces": (
        Column(_("Province code"), "province.code"),
        Column(_("Province"), "province", format=display_name),
        AMOUNT,
        Column(_("Active LAOs"), "active"),
        Column(_("Enacted"), PlanStatus.ENACTED),
        Column(_("Submitted"), PlanStatus.SUBMITTED),
        Column(_("Returned for revision"), PlanStatus.RETURNED),
        Column(_("Draft"), PlanStatus.DRAFT),
        Column(_("No plan yet"), explorer.NO_PLAN),
    ),
    "programmes": (
        Column(_("Sector"), "programme.sector", format=display_name),
        Column(_("Programme code"), "programme.key"),
        Column(_("Programme"), "programme", format=display_name),
        AMOUNT,
    ),
    "categories": (
        Column(_("Expense category code"), "category.key"),
        Column(_("Expense category"), "category", format=display_name),
        AMOUNT,
    ),
    "laos": (
        Column(_("DLA code"), "dla_code", empty=""),
        Column(_("LAO"), "full_name_th"),
        Column(_("Kind"), "get_kind_display", format=label),
        Column(_("Plan status"), explorer.plan_status_label),
        Column(_("Plan total expenditure (baht)"), "plan_total"),
    ),
}
LAO_PLAN_COLUMNS = (
    Column(_("Fiscal year"), "fiscal_year"),
    Column(_("Status"), "get_status_display", format=label),
    Column(_("Expenditure (baht)"), "total_expenditure"),
    Column(_("Estimated revenue (baht)"), "total_revenue"),
    Column(_("Demo data"), "is_demo", format=demo_mark),
)


@access.back_office_required
def explorer_download(request, table, file_format):
    """One table of the nation or province level as CSV or XLSX, with the page's filters."""
    if table not in TABLES:
        raise Http404
    form, reference = _parse(request)
    the_slice = form.slice()
    rows = explorer.explorer_table_rows(
        table=table,
        slice=the_slice,
        classification=form.classification,
        years=form.years,
        stamps=reference.stamps,
        user=request.user,
        status=form.plan_status,
    )
    return slice_table_response(
        TABLES[table],
        rows,
        name="budget-explorer",
        table=table,
        slice=the_slice,
        format=file_format,
    )


@access.back_office_required
def explorer_lao_download(request, code, file_format):
    """The plans of an LAO that the user may see (`explorer_lao_plans`) as CSV or XLSX."""
    lao = explorer.explorer_lao(code=code)
    return table_response(
        LAO_PLAN_COLUMNS,
        explorer.explorer_lao_plans(lao=lao, user=request.user),
        filename=f"budget-plans-{lao.url_code}.{file_format}",
        format=file_format,
        sheet_title=lao.name_th,
    )
