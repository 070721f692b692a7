"""Quarterly progress reports an LAO sends to DLA: quarters, due dates, the snapshot of the
LAO's projects at a quarter's end, and the workflow (services and selectors in one module).

The workflow: prepare (draft) → submit → accept, or submit → return with a comment → prepare
again (the snapshot is refreshed) → submit → accept. An accepted report is frozen: it is never
refreshed or changed again. Every step takes the version the writer saw and refuses the step
when the report has moved on since (optimistic locking, as budgets.services does for plans).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import (
    Disbursement,
    ProgressReport,
    ProgressReportItem,
    Project,
    ReportStatus,
    Stage,
    StageChange,
)
from projects.notify import followers_notify
from units import access
from units.changes import data_changed
from units.models import LAO, Province, User
from units.thai import (
    BE_OFFSET,
    FISCAL_YEAR_START_MONTH,
    fiscal_quarter_of,
    fiscal_year_of,
    format_date,
)

# A quarter's report is due on the 15th day after the quarter ends (Q1, Oct–Dec: 15 January).
REPORT_DUE_DAYS_AFTER_QUARTER = 15
QUARTERS = (1, 2, 3, 4)
# Reports the LAO may still change (its snapshot is refreshed by preparing again).
EDITABLE = {ReportStatus.DRAFT, ReportStatus.RETURNED}
# Reports that count as sent: they are neither missing nor overdue.
SENT = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}


class StaleReportError(ValidationError):
    """The report was changed by someone else after the writer loaded it."""


# --- Quarters ---------------------------------------------------------------------------------


def quarter_range(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter of a Thai fiscal year (BE): (2569, 1) → (2025-10-01,
    2025-12-31); quarter 4 is July–September."""
    if quarter not in QUARTERS:
        raise ValueError(f"A fiscal year has quarters 1–4, not {quarter}.")
    month0 = FISCAL_YEAR_START_MONTH - 1 + (quarter - 1) * 3  # 0-based months from Jan of CE-1
    start_year = fiscal_year - BE_OFFSET - 1 + month0 // 12
    start = datetime.date(start_year, month0 % 12 + 1, 1)
    next_month0 = month0 + 3
    next_start = datetime.date(
        fiscal_year - BE_OFFSET - 1 + next_month0 // 12, next_month0 % 12 + 1, 1
    )
    return start, next_start - datetime.timedelta(days=1)


def quarter_due_date(fiscal_year: int, quarter: int) -> datetime.date:
    """The day a quarter's report is due: REPORT_DUE_DAYS_AFTER_QUARTER days after its end."""
    return quarter_range(fiscal_year, quarter)[1] + datetime.timedelta(
        days=REPORT_DUE_DAYS_AFTER_QUARTER
    )


def submit_opens_on(fiscal_year: int, quarter: int) -> datetime.date:
    """The first day a quarter's report may be submitted: the day after the quarter ends (a
    report sent earlier would miss the quarter's last days)."""
    return quarter_range(fiscal_year, quarter)[1] + datetime.timedelta(days=1)


def quarter_end_moment(fiscal_year: int, quarter: int) -> datetime.datetime:
    """The first instant after the quarter, in the portal's time zone: stage changes before it
    belong to the quarter."""
    end = quarter_range(fiscal_year, quarter)[1] + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))


def is_overdue(*, due_date: datetime.date, status: str | None, today: datetime.date) -> bool:
    """Past its due date and not yet submitted or accepted (`status` None: not even begun)."""
    return today > due_date and status not in SENT


def mark_overdue(reports: Iterable[ProgressReport], *, today: datetime.date) -> None:
    """Set `overdue` (`is_overdue`) on each report, for the pages that flag late reports."""
    for report in reports:
        report.overdue = is_overdue(due_date=report.due_date, status=report.status, today=today)


def latest_due_quarter(today: datetime.date) -> tuple[int, int]:
    """(fiscal year, quarter) of the most recent quarter that has ended on or before `today`."""
    fiscal_year, quarter = fiscal_year_of(today), fiscal_quarter_of(today)
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


# --- The snapshot -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    project_id: int
    stage: str
    progress_percent: int
    budget_amount: Decimal
    disbursed_total: Decimal


def project_snapshots(*, lao: LAO, fiscal_year: int, quarter: int) -> list[Snapshot]:
    """Every project of the LAO's fiscal year as it stood at the quarter's end. Four queries
    whatever the number of projects:

    - stage: the last StageChange before the end (DISTINCT ON); a project without one kept the
      stage it started with, the `from_stage` of its first later change (or its current stage);
    - disbursed: the sum of its Disbursement rows dated up to the end;
    - progress % and budget have no history: their current values; only for a project that
      has moved on since the end is the progress taken from its stage then (none before the
      work began).
    """
    end_day = quarter_range(fiscal_year, quarter)[1]
    cutoff = quarter_end_moment(fiscal_year, quarter)
    projects = list(
        Project.objects.filter(lao=lao, fiscal_year=fiscal_year)
        .order_by("code")
        .values_list("pk", "stage", "progress_percent", "budget_amount")
    )
    if not projects:
        return []
    changes = StageChange.objects.filter(project__lao=lao, project__fiscal_year=fiscal_year)
    stage_at_end = dict(
        changes.filter(at__lt=cutoff)
        .order_by("project_id", "-at", "-id")
        .distinct("project_id")
        .values_list("project_id", "to_stage")
    )
    stage_before_later_change = dict(
        changes.filter(at__gte=cutoff)
        .exclude(from_stage="")
        .order_by("project_id", "at", "id")
        .distinct("project_id")
        .values_list("project_id", "from_stage")
    )
    disbursed = dict(
        Disbursement.objects.filter(
            project__lao=lao, project__fiscal_year=fiscal_year, date__lte=end_day
        )
        .values_list("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    # Stages in which the work has not begun: no progress to report yet.
    not_started = {Stage.PLANNED, Stage.FUNDED, Stage.PROCUREMENT, Stage.CONTRACTED}
    snapshots = []
    for pk, current_stage, progress, budget in projects:
        stage = stage_at_end.get(pk) or stage_before_later_change.get(pk) or current_stage
        if stage != current_stage and stage in not_started:
            progress = 0
        snapshots.append(
            Snapshot(
                project_id=pk,
                stage=stage,
                progress_percent=progress,
                budget_amount=budget,
                disbursed_total=disbursed.get(pk, Decimal(0)),
            )
        )
    return snapshots


# --- Services ---------------------------------------------------------------------------------


def _lock(report: ProgressReport, *, version: int | None) -> ProgressReport:
    """Re-read the report FOR UPDATE and check the writer's version (None: not checked, for
    callers that have just read it themselves)."""
    current = ProgressReport.objects.select_for_update().select_related("lao").get(pk=report.pk)
    if version is not None and current.version != version:
        raise StaleReportError(
            _(
                "Someone else changed this report after you opened it. Reload the page to see "
                "the report as it is now."
            ),
            code="stale",
        )
    return current


def _check_not_submitter(user: User, report: ProgressReport) -> None:
    if access.is_submitter(user, report):
        raise ValidationError(
            _(
                "You submitted this report: another reviewer of the province must accept or "
                "return it."
            ),
            code="submitter",
        )


@transaction.atomic
def report_prepare(
    *, lao: LAO, fiscal_year: int, quarter: int, user: User, version: int | None = None
) -> ProgressReport:
    """Create the LAO's report for the quarter, or refresh its snapshot while it is a draft or
    returned: one item per project of the fiscal year as it stood at the quarter's end. A quarter
    that has not begun cannot be reported; a submitted or accepted report is not touched."""
    if not access.can_edit_lao(user, lao):
        raise PermissionDenied
    if quarter not in QUARTERS:
        raise ValidationError(_("A fiscal year has quarters 1 to 4."))
    if quarter_range(fiscal_year, quarter)[0] > timezone.localdate():
        raise ValidationError(_("This quarter has not begun yet."))
    report, created = ProgressReport.objects.get_or_create(
        lao=lao,
        fiscal_year=fiscal_year,
        quarter=quarter,
        defaults={"due_date": quarter_due_date(fiscal_year, quarter)},
    )
    if not created:
        report = _lock(report, version=version)
        if report.status not in EDITABLE:
            raise ValidationError(
                _("A submitted or accepted report cannot be prepared again."), code="frozen"
            )
        report.items.all().delete()
    ProgressReportItem.objects.bulk_create(
        ProgressReportItem(report=report, **snapshot.__dict__)
        for snapshot in project_snapshots(lao=lao, fiscal_year=fiscal_year, quarter=quarter)
    )
    if not created:
        report.version = F("version") + 1
        report.save(update_fields=["version"])
        report.refresh_from_db()
    return report


@transaction.atomic
def report_write_narrative(
    *, report: ProgressReport, user: User, version: int, narrative: str
) -> ProgressReport:
    """The LAO's account of the quarter (problems, obstacles, help needed), written while the
    report is a draft or returned; frozen once it is submitted (until withdrawn or returned)
    and for good once accepted."""
    if not access.can_edit_lao(user, report.lao):
        raise PermissionDenied
    report = _lock(report, version=version)
    if report.status not in EDITABLE:
        raise ValidationError(_("Only a draft or returned report can be changed."), code="frozen")
    report.narrative = narrative.strip()
    report.version = F("version") + 1
    report.save(update_fields=["narrative", "version"])
    report.refresh_from_db()
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """The LAO sends a draft or returned report to the provincial office, once its quarter has
    ended (`submit_opens_on`)."""
    if not access.can_edit_lao(user, report.lao):
        raise PermissionDenied
    report = _lock(report, version=version)
    if report.status not in EDITABLE:
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    opens = submit_opens_on(report.fiscal_year, report.quarter)
    if timezone.localdate() < opens:
        raise ValidationError(
            _("The quarter has not ended yet: the report can be submitted from %(day)s.")
            % {"day": format_date(opens)},
            code="quarter_open",
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), user
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    return report


@transaction.atomic
def report_withdraw(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """The LAO takes a submitted report back before the provincial office has reviewed it: it
    is a draft again, to be prepared and submitted anew."""
    if not access.can_edit_lao(user, report.lao):
        raise PermissionDenied
    report = _lock(report, version=version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report that has not been reviewed yet can be withdrawn."),
            code="reviewed",
        )
    report.status = ReportStatus.DRAFT
    report.submitted_at = report.submitted_by = None
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    return report


@transaction.atomic
def report_accept(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """Provincial staff accept a submitted report: its figures are frozen from now on, and the
    LAO's followers are told. Its submitter may not (`access.is_submitter`)."""
    if not access.can_review(user, report.lao):
        raise PermissionDenied
    report = _lock(report, version=version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    _check_not_submitter(user, report)
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at, report.reviewed_by = timezone.now(), user
    report.return_comment = ""
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    followers_notify(
        message=_(
            "%(lao)s: the progress report for Q%(quarter)s of fiscal year %(year)s has been "
            "accepted."
        )
        % {"lao": report.lao.full_name_th, "quarter": report.quarter, "year": report.fiscal_year},
        url=reverse("units:detail", args=[report.lao.url_code]),
        lao=report.lao,
    )
    data_changed(
        what="progress_report_accepted", lao_id=report.lao_id, fiscal_year=report.fiscal_year
    )
    return report


@transaction.atomic
def report_return(
    *, report: ProgressReport, user: User, version: int, comment: str
) -> ProgressReport:
    """Provincial staff send a submitted report back to the LAO with a comment. Its submitter
    may not (`access.is_submitter`)."""
    if not access.can_review(user, report.lao):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError(_("Say what the LAO should fix."))
    report = _lock(report, version=version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    _check_not_submitter(user, report)
    report.status = ReportStatus.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), user
    report.return_comment = comment.strip()
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    return report


# --- Selectors --------------------------------------------------------------------------------


def reports_visible_to(*, user: User) -> QuerySet[ProgressReport]:
    """Reports a back-office user may open, with their LAO and province: those of the LAOs they
    manage; every report for executives and administrators."""
    reports = ProgressReport.objects.select_related("lao", "lao__province")
    if access.reads_all(user):
        return reports
    return reports.filter(lao__in=access.laos_managed_by(user))


def report_for_user(*, user: User, pk: int) -> ProgressReport:
    """A report the user may open, with its LAO and the people who sent and reviewed it; 404 for
    a missing report and for one out of scope alike."""
    try:
        return (
            reports_visible_to(user=user)
            .select_related("submitted_by", "reviewed_by")
            .annotate(
                item_count=Count("items"),
                budget_total=Sum("items__budget_amount"),
                disbursed_total=Sum("items__disbursed_total"),
            )
            .get(pk=pk)
        )
    except ProgressReport.DoesNotExist:
        raise Http404("No report in your scope has this number.") from None


def report_items(*, report: ProgressReport) -> QuerySet[ProgressReportItem]:
    """The report's items with their project's code and name (only those: the page shows no
    more of the project), in project-code order."""
    return (
        report.items.select_related("project")
        .only(
            "pk",
            "stage",
            "progress_percent",
            "budget_amount",
            "disbursed_total",
            "project__code",
            "project__name",
        )
        .order_by("project__code")
    )


@dataclass
class QuarterRow:
    fiscal_year: int
    quarter: int
    start: datetime.date
    end: datetime.date
    due_date: datetime.date
    report: ProgressReport | None
    overdue: bool
    can_prepare: bool


def lao_quarters(*, lao: LAO, fiscal_year: int, today: datetime.date) -> list[QuarterRow]:
    """The four quarters of the LAO's fiscal year with their report (if any), due date and
    whether the report is overdue. One query."""
    reports = {
        report.quarter: report
        for report in ProgressReport.objects.filter(lao=lao, fiscal_year=fiscal_year)
    }
    rows = []
    for quarter in QUARTERS:
        start, end = quarter_range(fiscal_year, quarter)
        report = reports.get(quarter)
        due = report.due_date if report else quarter_due_date(fiscal_year, quarter)
        rows.append(
            QuarterRow(
                fiscal_year=fiscal_year,
                quarter=quarter,
                start=start,
                end=end,
                due_date=due,
                report=report,
                overdue=is_overdue(
                    due_date=due, status=report.status if report else None, today=today
                ),
                can_prepare=start <= today and (report is None or report.status in EDITABLE),
            )
        )
    return rows


def review_queue(*, user: User) -> QuerySet[ProgressReport]:
    """Submitted reports waiting for the user's review: their province's (all for
    administrators), oldest submission first, with LAO and submitter."""
    reports = ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).select_related(
        "lao", "lao__province", "submitted_by"
    )
    return reports.filter(lao__province__in=access.provinces_managed_by(user)).order_by(
        "submitted_at", "pk"
    )


def returned_reports(*, laos: QuerySet[LAO]) -> QuerySet[ProgressReport]:
    """Reports of `laos` returned for revision and not yet sent again, latest return first,
    with the LAO and the reviewer who wrote the comment (the work page's "returned to you")."""
    return (
        ProgressReport.objects.filter(status=ReportStatus.RETURNED, lao__in=laos)
        .select_related("lao", "reviewed_by")
        .only(
            "pk",
            "fiscal_year",
            "quarter",
            "status",
            "due_date",
            "reviewed_at",
            "return_comment",
            "lao__dla_code",
            "lao__full_name_th",
            "lao__name_en",
            "reviewed_by__username",
        )
        .order_by("-reviewed_at", "-pk")
    )


# The officer's work page looks back this many quarters for reports still to send: a rolling
# year, so the last quarter of the previous fiscal year (due in October) is never skipped.
RECENT_QUARTERS = 4


def recent_ended_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """(fiscal year, quarter) of the RECENT_QUARTERS quarters that have ended on or before
    `today`, newest first. No query."""
    fiscal_year, quarter = latest_due_quarter(today)
    quarters = []
    for _step in range(RECENT_QUARTERS):
        quarters.append((fiscal_year, quarter))
        fiscal_year, quarter = (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)
    return quarters


def _in_quarters(quarters: list[tuple[int, int]]) -> Q:
    condition = Q(pk__in=[])
    for fiscal_year, quarter in quarters:
        condition |= Q(fiscal_year=fiscal_year, quarter=quarter)
    return condition


def reports_to_send(*, lao: LAO, today: datetime.date) -> list[QuarterRow]:
    """The recent quarters (`recent_ended_quarters`) whose report the LAO has not sent yet
    (not begun, draft or returned), oldest first, each with its report (if any), due date and
    whether it is overdue; a quarter is due once it has ended, overdue after its due date. One
    query."""
    quarters = recent_ended_quarters(today)
    reports = {
        (report.fiscal_year, report.quarter): report
        for report in ProgressReport.objects.filter(_in_quarters(quarters), lao=lao).only(
            "pk", "lao_id", "fiscal_year", "quarter", "status", "due_date", "version"
        )
    }
    rows = []
    for fiscal_year, quarter in reversed(quarters):
        report = reports.get((fiscal_year, quarter))
        if report is not None and report.status in SENT:
            continue
        start, end = quarter_range(fiscal_year, quarter)
        due = report.due_date if report else quarter_due_date(fiscal_year, quarter)
        rows.append(
            QuarterRow(
                fiscal_year=fiscal_year,
                quarter=quarter,
                start=start,
                end=end,
                due_date=due,
                report=report,
                overdue=is_overdue(
                    due_date=due, status=report.status if report else None, today=today
                ),
                can_prepare=True,
            )
        )
    return rows


def overdue_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """The recent quarters (`recent_ended_quarters`) whose due date has passed. No query."""
    return [
        (fiscal_year, quarter)
        for fiscal_year, quarter in recent_ended_quarters(today)
        if today > quarter_due_date(fiscal_year, quarter)
    ]


def reports_of_quarters(
    *, laos: QuerySet[LAO], quarters: list[tuple[int, int]]
) -> QuerySet[ProgressReport]:
    """Reports of `laos` for these quarters (any status): with `overdue_quarters`, the overdue
    reports are counted in one query (the header's badge)."""
    return ProgressReport.objects.filter(_in_quarters(quarters), lao__in=laos)


def provinces_read_by(user: User) -> QuerySet[Province]:
    """Provinces whose report status the user may read: every province for executives and
    administrators, their own for provincial staff."""
    if access.reads_all(user):
        return Province.objects.all()
    return access.provinces_managed_by(user)


def missing_reports(
    *, user: User, fiscal_year: int, quarter: int, province: Province | None = None
) -> QuerySet[LAO]:
    """Active LAOs of the user's provinces (or of `province`, within them) whose report for the
    quarter is missing or not yet submitted, annotated with `report_status` (None when not even
    begun) and `report_id`; ordered by province, then DLA code. One query (the page adds its
    count)."""
    laos = LAO.objects.active().filter(province__in=provinces_read_by(user))
    if province is not None:
        laos = laos.filter(province=province)
    # One LEFT JOIN on the (lao, fiscal_year, quarter) unique index rather than a subquery per
    # row: deep pages of the national list stay cheap.
    return (
        laos.annotate(
            quarter_report=FilteredRelation(
                "progress_reports",
                condition=Q(progress_reports__fiscal_year=fiscal_year)
                & Q(progress_reports__quarter=quarter),
            ),
            report_status=F("quarter_report__status"),
            report_id=F("quarter_report__pk"),
        )
        .filter(Q(report_status__isnull=True) | ~Q(report_status__in=SENT))
        .select_related("province")
        .only(
            "pk",
            "dla_code",
            "full_name_th",
            "name_th",
            "kind",
            "phone",
            "email",
            "province__code",
            "province__name_th",
        )
        .order_by("province__code", "dla_code", "pk")
    )
