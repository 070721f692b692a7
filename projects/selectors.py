"""Page-level reads of projects: keyword-only functions returning optimized querysets or shaped
data; the officer pages, the public pages and the profile section share them."""

import datetime

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse

from budgets.models import Programme
from projects import rules
from projects.models import (
    DevelopmentPlan,
    Disbursement,
    Follow,
    Notification,
    Project,
    Stage,
    StageChange,
    Strategy,
)
from units import access
from units.caching import fragment_key
from units.filters import filter_query
from units.models import LAO, User

# Most points one map draws: a map of thousands of dots says nothing more and costs more.
MAP_POINTS_LIMIT = 500


def projects_visible_to(*, user: User) -> QuerySet[Project]:
    """Projects a back-office user may open: those of the LAOs they manage; every project for
    executives and administrators (who read everything). Joins the LAO and programme."""
    projects = Project.objects.select_related("lao", "programme")
    if access.reads_all(user):
        return projects
    return projects.filter(lao__in=access.laos_managed_by(user))


def projects_listed_to(*, user: User) -> QuerySet[Project]:
    """`projects_visible_to` as the back-office list shows them: newest year first, then by LAO
    and code, with the LAO and programme joined."""
    # `.only()`: the list shows a few columns; a project's targets and the LAO's registry row
    # are wide, and a national search sorts a thousand of them.
    return (
        projects_visible_to(user=user)
        .only(
            "code",
            "name",
            "fiscal_year",
            "stage",
            "budget_amount",
            "disbursed_total",
            "progress_percent",
            "lao__dla_code",
            "lao__full_name_th",
            "programme__name_th",
        )
        .order_by("-fiscal_year", "lao__dla_code", "code")
    )


def capped_page(
    *,
    queryset: QuerySet,
    cap: int,
    per_page: int,
    number: str | int | None,
    first_by: tuple[str, ...] = (),
) -> tuple[Page, bool]:
    """Page `number` of the first `cap` rows of `queryset`, and whether more than `cap` match.

    The first `cap + 1` matching rows are counted in the cheap order `first_by` (one an index
    serves, such as "-fiscal_year"), then only the first `cap` are sorted in the queryset's own
    order: a common word matching hundreds of thousands of projects never sorts them all. Two
    queries; both keep the capped selection in SQL (a LIMITed subquery), so no list of ids
    travels to the database and back, which cost more than the search itself.
    """
    first = queryset.order_by(*first_by).values("pk")
    matched = first[: cap + 1].count()
    paginator = Paginator(queryset.filter(pk__in=first[:cap]), per_page)
    paginator.count = min(matched, cap)
    return paginator.get_page(number), matched > cap


def project_for_user(*, user: User, pk: int) -> Project:
    """A project the back-office user may open, with its LAO, programme, strategy and plan;
    404 for a missing project and for one out of scope alike."""
    try:
        return (
            projects_visible_to(user=user)
            .select_related("lao__province", "strategy", "plan")
            .get(pk=pk)
        )
    except Project.DoesNotExist:
        raise Http404("No project in your scope has this number.") from None


def plans_visible_to(*, user: User) -> QuerySet[DevelopmentPlan]:
    """Development plans of the LAOs the user manages (all for executives and admins), with
    their LAO and a count of strategies."""
    plans = DevelopmentPlan.objects.select_related("lao").annotate(
        strategy_count=Count("strategies")
    )
    if access.reads_all(user):
        return plans.order_by("lao__dla_code", "-start_year")
    return plans.filter(lao__in=access.laos_managed_by(user)).order_by(
        "lao__dla_code", "-start_year"
    )


def plan_for_user(*, user: User, pk: int) -> DevelopmentPlan:
    """A development plan the user may open (404 when missing or out of scope)."""
    try:
        return plans_visible_to(user=user).get(pk=pk)
    except DevelopmentPlan.DoesNotExist:
        raise Http404("No plan in your scope has this number.") from None


def strategies_of_lao(*, lao: LAO) -> QuerySet[Strategy]:
    """The strategies of every development plan of an LAO, newest plan first."""
    return (
        Strategy.objects.filter(plan__lao=lao)
        .select_related("plan")
        .order_by("-plan__start_year", "number")
    )


def programmes() -> QuerySet[Programme]:
    """Budget programmes in classification order (for filters and forms)."""
    return Programme.objects.order_by("sort_order").only("pk", "name_th", "sort_order")


def stage_history(*, project: Project) -> QuerySet[StageChange]:
    """A project's stage changes, oldest first, with who made them."""
    return StageChange.objects.filter(project=project).select_related("user").order_by("at", "pk")


# --- public pages -----------------------------------------------------------------------------


def public_lao(*, code: str) -> LAO:
    """An LAO by its URL code for the public pages, with its province (404 when unknown)."""
    try:
        return LAO.objects.select_related("province").by_url_code(code).get()
    except LAO.DoesNotExist:
        raise Http404("No LAO has this code.") from None


# The columns the public list shows (and the keys of its order): nothing else is loaded.
PUBLIC_LIST_COLUMNS = (
    "pk",
    "fiscal_year",
    "code",
    "name",
    "stage",
    "budget_amount",
    "disbursed_total",
    "is_demo",
    "programme__name_th",
)


def lao_projects(*, lao: LAO) -> QuerySet[Project]:
    """An LAO's projects for its public list, newest year first, with their programme's name
    (only the columns the list shows)."""
    return (
        Project.objects.filter(lao=lao)
        .select_related("programme")
        .only(*PUBLIC_LIST_COLUMNS)
        .order_by("-fiscal_year", "code")
    )


def lao_project_years(*, lao: LAO) -> list[int]:
    """Fiscal years in which the LAO has projects, newest first (index-only scan)."""
    return list(
        Project.objects.filter(lao=lao)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def projects_totals(*, projects: QuerySet[Project]) -> dict:
    """Count, budget and disbursed of a (filtered) set of projects: one aggregate query.

    `stamp` changes whenever a row of the set changes, so it keys caches of what the set
    shows: every write of a project sets `updated_at` (the services save the project, which
    bumps the auto_now field; the bulk upload of projects/resources.py sets it in its UPDATE)
    and most also raise `version`; a new project raises the count and the largest id, a
    removed one lowers the count, and a reseeded set has new ids.
    """
    totals = projects.order_by().aggregate(
        count=Count("pk"),
        budget=Sum("budget_amount"),
        disbursed=Sum("disbursed_total"),
        changed=Max("updated_at"),
        last=Max("pk"),
        versions=Sum("version"),
    )
    changed, last, versions = totals.pop("changed"), totals.pop("last"), totals.pop("versions")
    totals["stamp"] = (totals["count"], changed.isoformat() if changed else "", last, versions)
    totals["budget"] = totals["budget"] or 0
    totals["disbursed"] = totals["disbursed"] or 0
    totals["rate"] = (totals["disbursed"] / totals["budget"]) if totals["budget"] else 0
    return totals


def project_map_points(*, projects: QuerySet[Project]) -> list[dict]:
    """Points of the projects that have one, for the Leaflet map (at most MAP_POINTS_LIMIT)."""
    rows = (
        projects.exclude(latitude=None)
        .exclude(longitude=None)
        .order_by()
        .values_list("pk", "name", "latitude", "longitude")[:MAP_POINTS_LIMIT]
    )
    return [
        {"lat": float(lat), "lon": float(lon), "name": name, "url": f"/projects/{pk}/"}
        for pk, name, lat, lon in rows
    ]


def public_project(*, pk: int) -> Project:
    """A project for its public page with the chain it sits in: LAO, plan, strategy,
    programme and sector (404 when missing)."""
    try:
        return Project.objects.select_related(
            "lao", "lao__province", "plan", "strategy", "programme", "programme__sector"
        ).get(pk=pk)
    except Project.DoesNotExist:
        raise Http404("No project has this number.") from None


def public_disbursements(*, project: Project) -> QuerySet[Disbursement]:
    """A project's payments for its public page, oldest first: date and amount only (who
    recorded them and the voucher reference stay in the back office)."""
    return project.disbursements.only("pk", "project_id", "date", "amount").order_by("date", "pk")


def lao_projects_summary(*, lao: LAO, current: int) -> dict:
    """The projects section of the LAO profile: the fiscal year its project list shows first
    (`rules.shown_fiscal_year` with `current`, the current fiscal year), the count in each
    stage and budget vs disbursed. Two index-backed queries."""
    bounds = Project.objects.filter(lao=lao).aggregate(
        past=Max("fiscal_year", filter=Q(fiscal_year__lte=current)),
        ahead=Min("fiscal_year", filter=Q(fiscal_year__gt=current)),
    )
    year = rules.shown_fiscal_year([y for y in bounds.values() if y is not None], current)
    if year is None:
        return {"year": None}
    by_stage = {
        row["stage"]: row
        for row in Project.objects.filter(lao=lao, fiscal_year=year)
        .order_by()
        .values("stage")
        .annotate(count=Count("pk"), budget=Sum("budget_amount"), disbursed=Sum("disbursed_total"))
    }
    stages = [
        {"stage": stage, "label": stage.label, "count": by_stage[stage.value]["count"]}
        for stage in Stage
        if stage.value in by_stage
    ]
    budget = sum(row["budget"] or 0 for row in by_stage.values())
    disbursed = sum(row["disbursed"] or 0 for row in by_stage.values())
    return {
        "year": year,
        "is_current": year == current,
        "stages": stages,
        "count": sum(row["count"] for row in by_stage.values()),
        "budget": budget,
        "disbursed": disbursed,
        "rate": (disbursed / budget) if budget else 0,
    }


# --- follows ----------------------------------------------------------------------------------


def follows_of(*, user: User) -> QuerySet[Follow]:
    """What the user follows, newest first, with the project (and its LAO) or the LAO."""
    return (
        Follow.objects.filter(user=user)
        .select_related("project", "project__lao", "lao")
        .order_by("-created_at", "-pk")
    )


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_notifications(*, user: User) -> QuerySet[Notification]:
    """The user's notifications not yet marked as read, newest first (the header's badge and
    the work page)."""
    return notifications_of(user=user).filter(read_at=None)


# --- the officer's work page ------------------------------------------------------------------

# "Without progress for a quarter": no sign of life for this long (the longest quarter).
PROGRESS_QUIET_DAYS = 92
# Stages in which a project is still expected to move.
OPEN_STAGES = (Stage.PLANNED, Stage.FUNDED, Stage.PROCUREMENT, Stage.CONTRACTED, Stage.IN_PROGRESS)


def projects_without_progress(*, lao: LAO, fiscal_year: int, now) -> QuerySet[Project]:
    """Open projects of the LAO, of `fiscal_year` or earlier (later years have not begun), with
    no sign of progress for PROGRESS_QUIET_DAYS before `now`, quietest first; only the columns
    the list shows.

    The sign of progress is `updated_at`: every recorded step of a project moves it (a stage
    change, a disbursement, a progress %, a progress upload: projects.services), where
    `stage_changed_at` would miss disbursements and progress % and the disbursements would miss
    the rest. An edit of the project's details moves it too: someone is looking after the
    project, which is what the list asks about."""
    quiet_since = now - datetime.timedelta(days=PROGRESS_QUIET_DAYS)
    return (
        Project.objects.filter(
            lao=lao,
            fiscal_year__lte=fiscal_year,
            stage__in=OPEN_STAGES,
            updated_at__lt=quiet_since,
        )
        .only(
            "pk",
            "lao_id",
            "code",
            "name",
            "fiscal_year",
            "stage",
            "progress_percent",
            "updated_at",
        )
        .order_by("updated_at", "pk")
    )


def is_following(*, user: User, project: Project | None = None, lao: LAO | None = None) -> bool:
    """Does the (logged-in) user follow this project or LAO? No query for anonymous users."""
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, project=project, lao=lao).exists()


# --- The public list of an LAO's projects (projects/views.py lao_projects) ------------------

PUBLIC_PAGE_SIZE = 25
# How long the public list's cached parts stay (their keys change with the data: a memory bound).
PUBLIC_CACHE_SECONDS = 600


class _StageLabelled:
    """A page's projects with their stage's label set as `stage_label`, read only when iterated
    (a cached table never loads them; `get_stage_display` rebuilds the choices on every row)."""

    def __init__(self, projects):
        self.projects = projects

    def __iter__(self):
        labels = dict(Stage.choices)
        for project in self.projects:
            project.stage_label = labels[project.stage]
            yield project


def lao_projects_page(
    *, lao: LAO, filterset, years: list[int], programmes: list[Programme], page, user: User
) -> dict:
    """What the public list of an LAO's projects shows: the filtered projects' totals, a page
    of them, their map points, and the keys of the cached fragments. The filter form and the
    table are keyed by a digest of everything they show: the form by its choices and the
    (validated) query, the table by the rows' stamp (which changes whenever one of the
    filtered projects does), the page and the programmes' names; the map points by the same
    stamp. Junk parameters, their order or invalid values never make a new cache entry."""
    projects = filterset.qs
    totals = projects_totals(projects=projects)
    paginator = Paginator(projects, PUBLIC_PAGE_SIZE)
    paginator.count = totals["count"]  # known from the totals: no COUNT query
    page_obj = paginator.get_page(page)
    canonical = filter_query(filterset)
    query = canonical.urlencode()
    names = [(programme.pk, programme.name_th) for programme in programmes]
    return {
        "lao": lao,
        "filter": filterset,
        "filter_key": fragment_key(years, names, query) if filterset.is_valid() else None,
        "canonical_query": canonical,
        "page_obj": page_obj,
        "rows": _StageLabelled(page_obj.object_list),
        "rows_key": fragment_key(lao.pk, totals["stamp"], page_obj.number, query, names),
        "projects_url": reverse("projects:index"),
        "cache_seconds": PUBLIC_CACHE_SECONDS,
        "totals": totals,
        "points": cache.get_or_set(
            f"lao-project-points:{fragment_key(lao.pk, totals['stamp'], query)}",
            lambda: project_map_points(projects=projects),
            PUBLIC_CACHE_SECONDS,
        ),
        # The province outline gives the points their place (no tile layer offline).
        "map_context": lao.province.boundary,
        "following": is_following(user=user, lao=lao),
    }
