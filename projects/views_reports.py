"""Pages of the quarterly progress reports: the officer's quarters, a report with its items,
the provincial review queue and the list of LAOs whose report is missing (with downloads).

Writes go through projects.reports services; scope through units.access (404 out of scope).
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from projects import reports
from projects.filters import FiscalYearFilter, MissingFilter, ReportFilter
from projects.forms import NarrativeForm, PrepareForm, ReturnForm
from projects.models import ReportStatus
from units import access
from units.models import Role
from units.tables import Column, table_response
from units.thai import current_fiscal_year
from units.views.workflow import Confirmation, workflow_step

PAGE_SIZE = 50


@access.back_office_required
def report_list(request):
    """Officers: the four quarters of their LAO's fiscal year. Other back-office users: the
    reports in their scope (every report for executives)."""
    if request.user.role == Role.OFFICER and request.user.lao_id:
        return _officer_quarters(request)
    filterset = ReportFilter(
        request.GET,
        queryset=reports.reports_visible_to(user=request.user).order_by(
            "-fiscal_year", "-quarter", "lao__dla_code"
        ),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    reports.mark_overdue(page, today=timezone.localdate())
    can_review = access.reviews_any_province(request.user)
    context = {
        "filter": filterset,
        "page_obj": page,
        "can_review": can_review,
        "reads_report_status": can_review or access.reads_report_status(request.user),
    }
    return render(request, "projects/report_list.html", context)


def _officer_quarters(request):
    """The officer's page of `report_list`: their LAO's quarters of the chosen fiscal year."""
    filterset = FiscalYearFilter(request.GET)
    fiscal_year = filterset.fiscal_year_or(current_fiscal_year())
    lao = request.user.lao
    context = {
        "filter": filterset,
        "lao": lao,
        "fiscal_year": fiscal_year,
        "quarters": reports.lao_quarters(
            lao=lao, fiscal_year=fiscal_year, today=timezone.localdate()
        ),
    }
    return render(request, "projects/report_quarters.html", context)


@require_POST
@login_required
def report_prepare(request):
    """Create or refresh a report (officers: their LAO; others name the LAO by DLA code)."""
    form = PrepareForm(request.POST)
    if not form.is_valid():
        raise Http404("An incomplete report form.")
    data = form.cleaned_data
    lao = access.lao_for_writer(request.user, data["lao"])
    try:
        report = reports.report_prepare(
            lao=lao,
            fiscal_year=data["fiscal_year"],
            quarter=data["quarter"],
            user=request.user,
            version=data["version"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:report-list")
    messages.success(
        request, _("The report shows the projects as they stood at the quarter's end.")
    )
    return redirect("projects:report", pk=report.pk)


def _report_steps(user, report) -> dict:
    """Which steps of the report's page the user is offered (the services decide again)."""
    submitted = report.status == ReportStatus.SUBMITTED
    writer = access.can_edit_lao(user, report.lao)
    reviewer = submitted and access.can_review(user, report.lao)
    submitter = submitted and access.is_submitter(user, report)
    opens = reports.submit_opens_on(report.fiscal_year, report.quarter)
    return {
        "can_edit": report.status in reports.EDITABLE and writer,
        "submit_opens": opens,
        "quarter_ended": timezone.localdate() >= opens,
        "can_review": reviewer and not submitter,
        "reviewer_submitted": reviewer and submitter,
        # Reviewers return a report rather than withdraw it, unless they submitted it.
        "can_withdraw": submitted and writer and (submitter or not reviewer),
    }


@login_required
def report_detail(request, pk):
    """A report with its items, totals and the steps the user may take."""
    report = reports.report_for_user(user=request.user, pk=pk)
    reports.mark_overdue([report], today=timezone.localdate())
    start, end = reports.quarter_range(report.fiscal_year, report.quarter)
    steps = _report_steps(request.user, report)
    context = {
        "report": report,
        "start": start,
        "end": end,
        "items": reports.report_items(report=report),
        "return_form": ReturnForm(),
        "narrative_form": NarrativeForm(
            initial={"narrative": report.narrative, "version": report.version}
        )
        if steps["can_edit"]
        else None,
        **steps,
    }
    return render(request, "projects/report_detail.html", context)


@require_POST
@login_required
def report_narrative(request, pk):
    """Save the LAO's account of the quarter (problems, obstacles, help needed)."""
    report = reports.report_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, report.lao):
        raise Http404("Only the LAO's writers change its report.")
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("projects:report", pk=report.pk)
    try:
        reports.report_write_narrative(report=report, user=request.user, **form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report's narrative is saved."))
    return redirect("projects:report", pk=report.pk)


def _report_subject(report) -> str:
    return _("%(lao)s · progress report for Q%(quarter)s of fiscal year %(year)s") % {
        "lao": report.lao.full_name_th,
        "quarter": report.quarter,
        "year": report.fiscal_year,
    }


def _submit_warnings(report) -> list[str]:
    if report.narrative:
        return []
    return [_("You have written nothing about problems, obstacles or help needed.")]


# Every step of a report loads it the same way and comes back to its page.
_report_step = partial(
    workflow_step, load=reports.report_for_user, argument="report", page="projects:report"
)
_ask = partial(Confirmation, subject=_report_subject)

report_submit = _report_step(
    service=reports.report_submit,
    done=gettext_lazy("The report is sent to the provincial office."),
    allowed=access.can_edit_lao,
    confirm=_ask(
        question=gettext_lazy("Submit the progress report?"),
        consequence=gettext_lazy(
            "The report goes to the provincial office with the figures and narrative shown. You "
            "cannot change it while it waits; you can withdraw it until it is reviewed."
        ),
        button=gettext_lazy("Submit to the provincial office"),
        warnings=_submit_warnings,
    ),
)
report_withdraw = _report_step(
    service=reports.report_withdraw,
    done=gettext_lazy("The report is withdrawn: it is a draft again."),
    allowed=access.can_edit_lao,
)
report_accept = _report_step(
    service=reports.report_accept,
    done=gettext_lazy("The report is accepted; its figures are now frozen."),
    allowed=access.can_review,
    confirm=_ask(
        question=gettext_lazy("Accept the progress report?"),
        consequence=gettext_lazy(
            "Accepting freezes the report's figures and narrative for good and tells the LAO's "
            "followers; it cannot be undone."
        ),
        button=gettext_lazy("Accept"),
    ),
)
report_return = _report_step(
    service=reports.report_return,
    done=gettext_lazy("The report is returned to the LAO with your comment."),
    allowed=access.can_review,
    form=ReturnForm,
    confirm=_ask(
        question=gettext_lazy("Return the report to the LAO?"),
        consequence=gettext_lazy(
            "The LAO reads your comment, prepares the report again and submits it anew."
        ),
        button=gettext_lazy("Return to the LAO"),
    ),
)


@access.reviewer_required
def review(request):
    """Submitted reports waiting for the provincial office."""
    page = Paginator(reports.review_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "projects/report_review.html", {"page_obj": page})


def _report_status_label(lao) -> str:
    """The status of the LAO's report of the quarter (`reports.missing_reports`)."""
    status = lao.report_status
    return str(ReportStatus(status).label) if status else _("Not begun")


MISSING_COLUMNS = (
    Column(gettext_lazy("Province"), "province.name_th"),
    Column(gettext_lazy("DLA code"), "dla_code", empty=""),
    Column(gettext_lazy("LAO"), "full_name_th"),
    Column(gettext_lazy("Report status"), _report_status_label),
    Column(gettext_lazy("Phone"), "phone"),
    Column(gettext_lazy("E-mail"), "email"),
)


def _missing(request):
    """The missing-list slice from the query string (default: the last quarter that ended)."""
    provinces = reports.provinces_read_by(request.user)
    if not provinces.exists():
        raise Http404
    filterset = MissingFilter(request.GET, provinces=provinces)
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    default_year, default_quarter = reports.latest_due_quarter(timezone.localdate())
    fiscal_year = int(cleaned.get("fiscal_year") or default_year)
    quarter = cleaned.get("quarter") or default_quarter
    laos = reports.missing_reports(
        user=request.user,
        fiscal_year=fiscal_year,
        quarter=quarter,
        province=cleaned.get("province"),
    )
    return filterset, fiscal_year, quarter, laos


@login_required
def missing(request):
    """LAOs whose report for the quarter is missing or not yet submitted."""
    filterset, fiscal_year, quarter, laos = _missing(request)
    page = Paginator(laos, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "fiscal_year": fiscal_year,
        "quarter": quarter,
        "due_date": reports.quarter_due_date(fiscal_year, quarter),
        "query": request.GET.urlencode(),
    }
    return render(request, "projects/report_missing.html", context)


@login_required
def missing_download(request, file_format):
    """The missing list as CSV or XLSX (every row, not one page)."""
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    _filterset, fiscal_year, quarter, laos = _missing(request)
    return table_response(
        MISSING_COLUMNS,
        laos.iterator(),
        filename=f"missing-reports-{fiscal_year}-q{quarter}.{file_format}",
        format=file_format,
        sheet_title=f"{fiscal_year} Q{quarter}",
    )
