"""The national budget explorer (issue 4, DLA executives): nation → province → LAO → plan.

Back-office users only (`units.access.can_view_back_office`); anonymous users are sent to the
login page, citizens get a 404. Every table of a level downloads as CSV and XLSX with the same
query string.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from budgets import explorer, selectors
from budgets.filters import ExplorerFilter
from budgets.models import PlanStatus
from units import access
from units.exports import csv_response, xlsx_response
from units.models import LAOKind

PAGE_SIZE = 50
STATUS_LABELS = {**dict(PlanStatus.choices), explorer.NO_PLAN: _("No plan yet")}


def _back_office_only(user) -> None:
    if not access.can_view_back_office(user):
        raise Http404


def _explore(request):
    """Parse the query string: (filterset, slice, classification, years); three queries for the
    classification and one for the years."""
    classification = explorer.explorer_classification()
    years = explorer.explorer_years()
    choices = sorted({*years, explorer.current_fiscal_year()}, reverse=True)
    filterset = ExplorerFilter(request.GET, classification=classification, years=choices)
    data = filterset.form.cleaned_data if filterset.is_valid() else _valid_part(filterset)
    the_slice = explorer.explorer_slice(data=data, classification=classification, years=years)
    return filterset, the_slice, classification, years


def _valid_part(filterset) -> dict:
    """The fields that did validate: a bad value shows its error and is ignored."""
    return {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name not in filterset.form.errors
    }


def _level_data(the_slice, classification, years) -> dict:
    level = explorer.explorer_level(slice=the_slice, classification=classification, years=years)
    counts = explorer.explorer_counts(slice=the_slice)
    province_rows = (
        explorer.explorer_province_table(level=level, counts=counts, classification=classification)
        if the_slice.province is None
        else []
    )
    return {
        "level": level,
        "province_rows": province_rows,
        "totals": explorer.explorer_totals(counts=counts),
        "counts": counts,
    }


@login_required
def explorer_page(request):
    """The nation level, or a province level with `?province=<code>`."""
    _back_office_only(request.user)
    filterset, the_slice, classification, years = _explore(request)
    context = {
        "filter": filterset,
        "slice": the_slice,
        **_level_data(the_slice, classification, years),
    }
    if the_slice.province is not None:
        laos = explorer.explorer_province_laos(
            slice=the_slice, status=filterset.form.cleaned_data.get("status") or ""
        )
        context["page_obj"] = Paginator(laos, PAGE_SIZE).get_page(request.GET.get("page"))
        context["lao_rows"] = [
            {"lao": lao, "status_label": STATUS_LABELS.get(lao.plan_status or explorer.NO_PLAN)}
            for lao in context["page_obj"]
        ]
    # Rendering the tables costs more than reading them: they are cached under their data.
    context["fingerprint"] = explorer.explorer_fingerprint(
        context["level"].cells,
        sorted(context.pop("counts").items()),
        years,
        classification.labels,
        request.GET.urlencode(),
    )
    context["charts"] = explorer.explorer_charts(
        level=context["level"], province_rows=context["province_rows"]
    )
    return render(request, "budgets/explorer.html", context)


@login_required
def explorer_lao_page(request, code):
    """The LAO level: its plans of every year and its latest enacted breakdown."""
    _back_office_only(request.user)
    lao = explorer.explorer_lao(code=code)
    return render(
        request,
        "budgets/explorer_lao.html",
        {
            "lao": lao,
            "plans": explorer.explorer_lao_plans(lao=lao),
            "summary": selectors.lao_budget_summary(lao=lao),
            "can_open_plans": explorer.can_open_plans_of(user=request.user, lao=lao),
        },
    )


# --- Downloads: (title, value of a row) per column, one table per level's table -------------


def _name(item):
    return explorer.display_name(item)


TABLES = {
    "years": (
        (_("Fiscal year"), lambda row: row["fiscal_year"]),
        (_("Enacted budget (baht)"), lambda row: row["amount"]),
    ),
    "provinces": (
        (_("Province code"), lambda row: row["province"].code),
        (_("Province"), lambda row: _name(row["province"])),
        (_("Enacted budget (baht)"), lambda row: row["amount"]),
        (_("Active LAOs"), lambda row: row["active"]),
        (_("Enacted"), lambda row: row[PlanStatus.ENACTED]),
        (_("Submitted"), lambda row: row[PlanStatus.SUBMITTED]),
        (_("Returned for revision"), lambda row: row[PlanStatus.RETURNED]),
        (_("Draft"), lambda row: row[PlanStatus.DRAFT]),
        (_("No plan yet"), lambda row: row[explorer.NO_PLAN]),
    ),
    "programmes": (
        (_("Sector"), lambda row: _name(row["programme"].sector)),
        (_("Programme code"), lambda row: row["programme"].key),
        (_("Programme"), lambda row: _name(row["programme"])),
        (_("Enacted budget (baht)"), lambda row: row["amount"]),
    ),
    "categories": (
        (_("Expense category code"), lambda row: row["category"].key),
        (_("Expense category"), lambda row: _name(row["category"])),
        (_("Enacted budget (baht)"), lambda row: row["amount"]),
    ),
    "laos": (
        (_("DLA code"), lambda lao: lao.dla_code or ""),
        (_("LAO"), lambda lao: lao.full_name_th),
        (_("Kind"), lambda lao: str(LAOKind(lao.kind).label)),
        (_("Plan status"), lambda lao: str(STATUS_LABELS[lao.plan_status or explorer.NO_PLAN])),
        (_("Plan total expenditure (baht)"), lambda lao: lao.plan_total),
    ),
}
LAO_PLAN_COLUMNS = (
    (_("Fiscal year"), lambda plan: plan.fiscal_year),
    (_("Status"), lambda plan: str(plan.get_status_display())),
    (_("Expenditure (baht)"), lambda plan: plan.total_expenditure),
    (_("Estimated revenue (baht)"), lambda plan: plan.total_revenue),
    (_("Demo data"), lambda plan: "demo" if plan.is_demo else ""),
)


def _download(*, columns, rows, filename, file_format, sheet_title):
    header = [str(title) for title, _value in columns]
    values = ([value(row) for _title, value in columns] for row in rows)
    if file_format == "csv":
        return csv_response(filename=filename, header=header, rows=values)
    return xlsx_response(filename=filename, sheet_title=sheet_title, header=header, rows=values)


@login_required
def explorer_download(request, table, file_format):
    """One table of the nation or province level as CSV or XLSX, with the page's filters."""
    _back_office_only(request.user)
    if table not in TABLES or file_format not in ("csv", "xlsx"):
        raise Http404
    filterset, the_slice, classification, years = _explore(request)
    if table == "laos":
        if the_slice.province is None:
            raise Http404("The LAO table belongs to a province.")
        rows = explorer.explorer_province_laos(
            slice=the_slice, status=filterset.form.cleaned_data.get("status") or ""
        ).iterator()
    else:
        data = _level_data(the_slice, classification, years)
        level = data["level"]
        rows = {
            "years": level.trend,
            "provinces": data["province_rows"],
            "programmes": [row for sector in level.sectors for row in sector["programmes"]],
            "categories": level.categories,
        }[table]
    scope = the_slice.province.code if the_slice.province else "th"
    return _download(
        columns=TABLES[table],
        rows=rows,
        filename=f"budget-explorer-{table}-{the_slice.fiscal_year}-{scope}.{file_format}",
        file_format=file_format,
        sheet_title=f"{table} {the_slice.fiscal_year}",
    )


@login_required
def explorer_lao_download(request, code, file_format):
    """The plans of an LAO (every year and status) as CSV or XLSX."""
    _back_office_only(request.user)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    lao = explorer.explorer_lao(code=code)
    return _download(
        columns=LAO_PLAN_COLUMNS,
        rows=explorer.explorer_lao_plans(lao=lao),
        filename=f"budget-plans-{lao.url_code}.{file_format}",
        file_format=file_format,
        sheet_title=lao.name_th,
    )
