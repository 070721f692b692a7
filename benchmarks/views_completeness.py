"""Back-office pages of data completeness: a province's LAOs by score with what they lack, its
reminder list (CSV/XLSX) and e-mail reminders, and the national rollup by province.

Provincial staff read and remind their own province; executives and administrators read every
province (the rollup first); only provincial staff and administrators send reminders. Anyone
else gets a 404 (`units.access`)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from benchmarks import completeness
from benchmarks.completeness_forms import CompletenessFilter, ReminderForm, YearFilter
from units import access, limits
from units.tables import Column, table_response
from units.views.workflow import Confirmation, confirmation_page, is_confirmed

PAGE_SIZE = 50
# Reminders a user may send (confirmed batches) per hour: a slip of the finger, not a flood.
REMINDER_LIMIT = 10
REMINDER_WINDOW = timedelta(hours=1)


def _emails(row) -> str:
    return ", ".join(row.officer_emails or [])


DOWNLOAD_COLUMNS = (
    Column(gettext_lazy("Province"), "lao.province.name_th"),
    Column(gettext_lazy("District"), "lao.district.name_th", empty=""),
    Column(gettext_lazy("DLA code"), "lao.dla_code", empty=""),
    Column(gettext_lazy("LAO"), "lao.full_name_th"),
    Column(gettext_lazy("Kind"), "lao.kind_label", format=str),
    Column(gettext_lazy("Fiscal year"), "fiscal_year"),
    Column(gettext_lazy("Completeness score"), "score"),
    Column(gettext_lazy("Data as of"), "as_of"),
    Column(gettext_lazy("What is missing"), completeness.missing_text),
    Column(
        gettext_lazy("Last reminded"),
        lambda row: row.last_reminded and timezone.localtime(row.last_reminded).date(),
    ),
    Column(gettext_lazy("LAO phone"), "lao.phone"),
    Column(gettext_lazy("LAO e-mail"), "lao.email"),
    Column(gettext_lazy("Officers' e-mails"), _emails),
)


@login_required
def index(request):
    """Executives and administrators: every province rolled up. Provincial staff: their
    province's list. Others: 404."""
    user = request.user
    if access.reads_all(user):
        filterset = YearFilter(request.GET)
        fiscal_year = filterset.values()["fiscal_year"]
        rows = completeness.provinces_rollup(fiscal_year=fiscal_year, today=timezone.localdate())
        context = {
            "filter": filterset,
            "fiscal_year": fiscal_year,
            "rows": rows,
            "quarter": completeness.last_ended_quarter(fiscal_year, today=timezone.localdate()),
        }
        return render(request, "benchmarks/completeness_provinces.html", context)
    if access.reads_report_status(user) and user.province_id:
        url = reverse("benchmarks:completeness-province", args=[user.province.code])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    raise Http404


def _province_rows(request, code):
    province = get_object_or_404(access.provinces_read_by(request.user), code=code)
    filterset = CompletenessFilter(request.GET)
    values = filterset.values()
    rows = completeness.province_completeness(
        province=province, today=timezone.localdate(), **values
    )
    return province, filterset, values, rows


@login_required
def province(request, code):
    """A province's LAOs, lowest score first, with what each lacks and when it was last
    reminded; 50 a page."""
    province, filterset, values, rows = _province_rows(request, code)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.missing = completeness.missing_items(row)
    context = {
        "province": province,
        "filter": filterset,
        "page_obj": page,
        "fiscal_year": values["fiscal_year"],
        "quarter": completeness.last_ended_quarter(
            values["fiscal_year"], today=timezone.localdate()
        ),
        "can_remind": access.provinces_managed_by(request.user).filter(pk=province.pk).exists(),
        "reads_all": access.reads_all(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "benchmarks/completeness.html", context)


@login_required
def province_download(request, code, file_format):
    """The reminder list as CSV or XLSX: every listed LAO (not one page), with its officers'
    e-mail addresses (back office only)."""
    province, _filterset, values, rows = _province_rows(request, code)
    return table_response(
        DOWNLOAD_COLUMNS,
        completeness.with_officer_emails(rows).iterator(),
        filename=f"completeness-{province.code}-{values['fiscal_year']}.{file_format}",
        format=file_format,
        sheet_title=f"{province.code} {values['fiscal_year']}",
    )


REMIND = Confirmation(
    question=gettext_lazy("Send e-mail reminders?"),
    consequence=gettext_lazy(
        "The officers of each LAO get an e-mail listing what its data of the year lacks. An LAO "
        "is reminded at most once a day; those already reminded today, complete or without an "
        "e-mail address are skipped."
    ),
    button=gettext_lazy("Send the reminders"),
    warnings=completeness.ReminderPreview.warnings,
)


def _chosen(form, province) -> list[int]:
    """The LAOs to remind: the ticked ones, or every listed one missing something."""
    if not form.is_valid():
        return []
    if form.cleaned_data["everyone"]:
        return completeness.reminder_lao_ids(
            province=province, today=timezone.localdate(), **form.list_filters()
        )
    return form.lao_ids()


def _remind_allowed(request) -> bool:
    return limits.attempt_allowed(
        "benchmarks.remind",
        keys=limits.request_keys(request),
        limit=REMINDER_LIMIT,
        window=REMINDER_WINDOW,
    )


@login_required
@require_POST
def province_remind(request, code):
    """Ask, then send reminders to the ticked LAOs (or every listed LAO missing something)."""
    province = get_object_or_404(access.provinces_managed_by(request.user), code=code)
    form = ReminderForm(request.POST)
    lao_ids = _chosen(form, province)
    if not lao_ids:
        messages.error(request, _("Choose LAOs from the list."))
        return redirect("benchmarks:completeness-province", province.code)
    year = form.cleaned_data["fiscal_year"]
    back = reverse("benchmarks:completeness-province", args=[province.code])
    back = f"{back}?fiscal_year={year}"
    if not is_confirmed(request):
        return _confirm(request, form=form, province=province, lao_ids=lao_ids, back=back)
    if not _remind_allowed(request):
        messages.error(request, _("Too many reminders in a short time. Try again later."))
        return redirect(back)
    try:
        result = completeness.completeness_reminders_send(
            user=request.user, province=province, fiscal_year=year, lao_ids=lao_ids
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, result.sent_message())
    if skipped := result.skipped_message():
        messages.info(request, skipped)
    return redirect(back)


def _confirm(request, *, form, province, lao_ids, back):
    """The confirmation page: how many LAOs will be reminded, and who will be skipped (404 for
    an LAO outside the province, before anything is shown)."""
    preview = completeness.reminder_preview(
        user=request.user,
        province=province,
        fiscal_year=form.cleaned_data["fiscal_year"],
        lao_ids=lao_ids,
    )
    return confirmation_page(
        request,
        confirmation=REMIND,
        subject=preview,
        action=request.path,
        back=back,
        hidden=form.hidden(lao_ids),
    )
