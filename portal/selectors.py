"""Reads of the portal shell: accounts, and the work page and header counts put together from
the apps' own reads."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Func, IntegerField, QuerySet, Subquery, Value

from budgets import selectors as budget_selectors
from forums import selectors as forum_selectors
from forums.models import Post
from projects import reports
from projects import selectors as project_selectors
from projects.models import ReportStatus
from units import access
from units.models import Role, User
from units.thai import fiscal_year_of
from units.uploads import selectors as upload_selectors


def pending_signup_account(*, user_id) -> User | None:
    """The account of the sign-up awaiting confirmation with this id, or None.

    Only an inactive citizen that never logged in and still has its pending sign-up record
    qualifies: a deactivated officer, or a citizen deactivated after confirming, never does.
    """
    return User.objects.filter(
        pk=user_id,
        role=Role.CITIZEN,
        is_active=False,
        last_login__isnull=True,
        pending_signup__isnull=False,
    ).first()


# --- The work page ("My work") and the header's counts ----------------------------------------
#
# Built from the reads of each app (budgets, projects, the uploads of units): the portal only
# puts them side by side. The header's counts are the same sets, counted in one query.

WORK_LIST_LENGTH = 10


@dataclass
class Listed:
    """The first WORK_LIST_LENGTH rows of a set and how many there are in all."""

    rows: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def _listed(queryset: QuerySet) -> Listed:
    rows = list(queryset[:WORK_LIST_LENGTH])
    count = len(rows) if len(rows) < WORK_LIST_LENGTH else queryset.order_by().count()
    return Listed(rows=rows, count=count)


def officer_work(*, user: User, today: datetime.date, now: datetime.datetime) -> dict:
    """What waits for an officer: their LAO's budget plans of this fiscal year and the next
    (each with its status, or none yet), plans and reports returned with the reviewer's comment,
    the recent quarters whose report is not sent (due or overdue), open projects without
    progress for a quarter, unread notifications. Nine queries (the LAO included), and one
    more for each of the two cut lists that is longer than WORK_LIST_LENGTH."""
    lao = user.lao
    laos = access.laos_managed_by(user)
    current = fiscal_year_of(today)
    plans = budget_selectors.lao_plans_of_years(lao=lao, fiscal_years=[current, current + 1])
    return {
        "lao": lao,
        "plan_years": [(year, plans.get(year)) for year in (current, current + 1)],
        "current_year": current,
        "returned_plans": list(budget_selectors.returned_plans(laos=laos)),
        "returned_reports": list(reports.returned_reports(laos=laos)),
        "quarters": reports.reports_to_send(lao=lao, today=today),
        "quiet_projects": _listed(
            project_selectors.projects_without_progress(lao=lao, fiscal_year=current, now=now)
        ),
        "quiet_days": project_selectors.PROGRESS_QUIET_DAYS,
        "notifications": _listed(project_selectors.unread_notifications(user=user)),
    }


# What the overview shows of a plan or a report waiting for review: the queues' own selectors
# also join the province and the submitter, for the review pages.
WAITING_FIELDS = ("pk", "fiscal_year", "submitted_at", "lao__full_name_th")


def _waiting(queryset: QuerySet, *fields: str) -> QuerySet:
    return queryset.select_related(None).select_related("lao").only(*WAITING_FIELDS, *fields)


def reviewer_work(*, user: User, today: datetime.date, now: datetime.datetime) -> dict:
    """The overview of provincial staff (their province; every province for administrators):
    plans and reports waiting for their review, the LAOs whose report of the last quarter that
    ended is not sent (a count), plans and reports returned to the LAOs and not yet sent again,
    their own uploads in progress, unread notifications.

    One query counts every set (and brings the user's province); then one query lists each set
    that is not empty, its first WORK_LIST_LENGTH rows: a quiet province costs the one query."""
    fiscal_year, quarter = reports.latest_due_quarter(today)
    laos = access.laos_managed_by(user)
    listed = {
        "plans_waiting": _waiting(budget_selectors.review_queue(user=user)),
        "reports_waiting": _waiting(reports.review_queue(user=user), "quarter"),
        "returned_plans": budget_selectors.returned_plans(laos=laos),
        "returned_reports": reports.returned_reports(laos=laos),
        "notifications": project_selectors.unread_notifications(user=user),
    }
    # The user's uploads in progress (of the last few days) are few: listed in full.
    uploads = upload_selectors.uploads_in_progress_for_user(user=user, now=now)
    missing = reports.missing_reports(user=user, fiscal_year=fiscal_year, quarter=quarter)
    counts = {name: _count(queryset) for name, queryset in listed.items()}
    counts.update(uploads=_count(uploads), missing=_count(missing))
    # Hung on the user's own row, under names that clash with none of its fields.
    row = (
        User.objects.filter(pk=user.pk)
        .select_related("province")
        .only("pk", "province__code", "province__name_th", "province__name_en")
        .annotate(**{f"n_{name}": count for name, count in counts.items()})
        .get()
    )
    sets = {
        name: Listed(
            rows=list(queryset[:WORK_LIST_LENGTH]) if getattr(row, f"n_{name}") else [],
            count=getattr(row, f"n_{name}"),
        )
        for name, queryset in listed.items()
    }
    return {
        "province": row.province if user.province_id else None,
        "plans_waiting": sets["plans_waiting"],
        "reports_waiting": sets["reports_waiting"],
        "missing": {
            "fiscal_year": fiscal_year,
            "quarter": quarter,
            "due_date": reports.quarter_due_date(fiscal_year, quarter),
            "count": row.n_missing,
        },
        "returned_plans": sets["returned_plans"],
        "returned_reports": sets["returned_reports"],
        "uploads": list(uploads) if row.n_uploads else [],
        "notifications": sets["notifications"],
    }


def _count(queryset: QuerySet) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery (no GROUP BY: one row)."""
    return Subquery(
        queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total"),
        output_field=IntegerField(),
    )


def header_counts(*, user: User, today: datetime.date) -> dict:
    """The header's badges in one query: unread notifications, and the items waiting for the
    user where they have a work page (officers: plans and reports returned to them, and overdue
    reports not already counted as returned; provincial staff and administrators: plans and
    reports waiting for their review). `waiting` is None without a work page."""
    counts = {"notifications": _count(project_selectors.unread_notifications(user=user))}
    counts["forum_notifications"] = _count(forum_selectors.unread_notifications(user=user))
    work_page = access.has_work_page(user)
    overdue = []
    if work_page and user.role == Role.OFFICER:
        laos = access.laos_managed_by(user)
        overdue = reports.overdue_quarters(today)
        counts["returned_plans"] = _count(budget_selectors.returned_plans(laos=laos))
        counts["returned_reports"] = _count(reports.returned_reports(laos=laos))
        if overdue:
            # An overdue report that was returned is already counted among the returned.
            counts["not_late"] = _count(
                reports.reports_of_quarters(laos=laos, quarters=overdue).filter(
                    status__in=[*reports.SENT, ReportStatus.RETURNED]
                )
            )
    elif work_page:
        counts["plans_waiting"] = _count(budget_selectors.review_queue(user=user))
        counts["reports_waiting"] = _count(reports.review_queue(user=user))
    # Hung on the user's own row, under names that clash with none of its fields.
    row = User.objects.filter(pk=user.pk).values(**{f"n_{k}": v for k, v in counts.items()}).get()
    row = {name.removeprefix("n_"): value for name, value in row.items()}
    notifications = row.pop("notifications") + row.pop("forum_notifications")
    if not work_page:
        return {"notifications": notifications, "waiting": None}
    late = len(overdue) - row.pop("not_late", 0)
    return {"notifications": notifications, "waiting": sum(row.values()) + late}


# --- Notifications: the projects' and the webboard's in one list ------------------------------

NOTIFICATIONS_PER_PAGE = 30


@dataclass(frozen=True)
class NotificationEntry:
    """One notification of either app, as the notifications page lists it."""

    kind: str  # "project" or "forum"
    message: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def _notification_columns(queryset: QuerySet, *, kind: str, **columns) -> QuerySet:
    # Both sides of the UNION must give the same columns in the same order: all of them are
    # named expressions, whose order values() keeps as given.
    return queryset.order_by().values(
        kind=Value(kind, output_field=CharField()),
        entry_id=F("pk"),
        entry_message=F("message"),
        entry_created_at=F("created_at"),
        entry_read_at=F("read_at"),
        **columns,
    )


def notifications_of(*, user: User) -> QuerySet:
    """The user's project notifications and webboard notifications in one UNION ALL, newest
    first, as rows of values (`kind`, `entry_*`, the project link, the post's thread and number).
    Each side is the app's own selector, so only the user's own rows are ever read."""
    projects = _notification_columns(
        project_selectors.notifications_of(user=user),
        kind="project",
        entry_url=F("url"),
        entry_thread_id=Value(None, output_field=IntegerField()),
        entry_post_number=Value(None, output_field=IntegerField()),
    )
    forums = _notification_columns(
        forum_selectors.notifications_of(user=user),
        kind="forum",
        entry_url=Value("", output_field=CharField()),
        entry_thread_id=F("post__thread_id"),
        entry_post_number=F("post__number"),
    )
    return projects.union(forums, all=True).order_by("-entry_created_at", "kind", "-entry_id")


def _entry(row: dict) -> NotificationEntry:
    url = row["entry_url"]
    if row["kind"] == "forum":
        # The post's own rule for the thread page that holds it; no query, only its numbers.
        post = Post(thread_id=row["entry_thread_id"], number=row["entry_post_number"])
        url = post.get_absolute_url()
    return NotificationEntry(
        kind=row["kind"],
        message=row["entry_message"],
        url=url,
        created_at=row["entry_created_at"],
        read_at=row["entry_read_at"],
    )


def notifications_page(*, user: User, page_number) -> Page:
    """One page of `notifications_of`, NOTIFICATIONS_PER_PAGE a page, as NotificationEntry
    rows with their links. Two queries (the count and the page), one when there are none."""
    page = Paginator(notifications_of(user=user), NOTIFICATIONS_PER_PAGE).get_page(page_number)
    page.object_list = [_entry(row) for row in page.object_list]
    return page
