"""Page-level reads of budgets: keyword-only functions returning optimized querysets or shaped
data; views, exports and the profile section share them."""

from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.http import Http404

from budgets import rules
from budgets.models import (
    BudgetLine,
    BudgetPlan,
    ExpenseCategory,
    ExpenseType,
    PlanStatus,
    Programme,
    RevenueGroup,
    RevenueSource,
    Sector,
    Work,
)
from units import access
from units.models import LAO, User
from units.rules import Violation


def plans_visible_to(*, user: User) -> QuerySet[BudgetPlan]:
    """Plans a back-office user may open: those of the LAOs they manage; every plan for
    executives and administrators (who read everything)."""
    plans = BudgetPlan.objects.select_related("lao", "lao__province")
    if access.reads_all(user):
        return plans
    return plans.filter(lao__in=access.laos_managed_by(user))


def plan_for_user(*, user: User, pk: int) -> BudgetPlan:
    """A plan the user may open; 404 for a missing plan and for one out of scope alike."""
    try:
        return plans_visible_to(user=user).get(pk=pk)
    except BudgetPlan.DoesNotExist:
        raise Http404("No plan in your scope has this number.") from None


def review_queue(*, user: User) -> QuerySet[BudgetPlan]:
    """Submitted plans waiting for the user's review: their province's (all for admins),
    oldest submission first."""
    plans = BudgetPlan.objects.filter(status=PlanStatus.SUBMITTED).select_related(
        "lao", "lao__province", "submitted_by"
    )
    if not access.is_admin(user):
        plans = plans.filter(lao__province_id=user.province_id)
    return plans.order_by("submitted_at", "pk")


def revenue_flag(*, plan: BudgetPlan) -> Violation | None:
    """`rules.revenue_flag` of the plan's stored totals: whether it spends more than its
    estimated revenue, or has lines but no revenue. A query (does it have lines?) only for a
    plan whose expenditure is zero."""
    has_lines = plan.total_expenditure > 0 or plan.lines.exists()
    return rules.plan_revenue_flag(plan, has_lines=has_lines)


def mark_revenue_flags(plans) -> None:
    """Set `revenue_flag` on each submitted plan of a page (submitted plans have lines: no
    query), for the review queue."""
    for plan in plans:
        plan.revenue_flag = rules.plan_revenue_flag(plan)


def returned_plans(*, laos: QuerySet[LAO]) -> QuerySet[BudgetPlan]:
    """Plans of `laos` returned for revision and not yet sent again, latest return first, with
    the LAO and the reviewer who wrote the comment (the work page's "returned to you")."""
    return (
        BudgetPlan.objects.filter(status=PlanStatus.RETURNED, lao__in=laos)
        .select_related("lao", "reviewed_by")
        .only(
            "pk",
            "fiscal_year",
            "status",
            "reviewed_at",
            "return_comment",
            "lao__dla_code",
            "lao__full_name_th",
            "lao__name_en",
            "reviewed_by__username",
        )
        .order_by("-reviewed_at", "-pk")
    )


def lao_plans_of_years(*, lao: LAO, fiscal_years: list[int]) -> dict[int, BudgetPlan]:
    """The LAO's plans of the given fiscal years, by year (a year without a plan is absent).
    One query, only what a status line shows."""
    return {
        plan.fiscal_year: plan
        for plan in BudgetPlan.objects.filter(lao=lao, fiscal_year__in=fiscal_years).only(
            "pk", "lao_id", "fiscal_year", "status", "total_expenditure", "submitted_at"
        )
    }


def plan_breakdown(*, plan: BudgetPlan) -> dict:
    """Totals of a plan by programme and by expense category, in classification order: two
    aggregate queries plus the (small) classification."""
    by_programme = dict(
        BudgetLine.objects.filter(plan=plan)
        .values_list("programme")
        .annotate(total=Sum("amount"))
        .values_list("programme", "total")
    )
    by_category = dict(
        BudgetLine.objects.filter(plan=plan)
        .values_list("expense_type__category")
        .annotate(total=Sum("amount"))
        .values_list("expense_type__category", "total")
    )
    return {
        "programmes": [
            (programme, by_programme[programme.pk])
            for programme in Programme.objects.select_related("sector")
            if programme.pk in by_programme
        ],
        "categories": [
            (category, by_category[category.pk])
            for category in ExpenseCategory.objects.all()
            if category.pk in by_category
        ],
    }


def lao_budget_summary(*, lao: LAO) -> dict:
    """The enacted budgets of an LAO for its profile: the totals of every enacted year, and the
    latest year by programme and by expense category beside the year before. One query when
    cached (four otherwise); drafts and returned plans are never included."""
    plans = list(
        BudgetPlan.objects.enacted()
        .filter(lao=lao)
        .order_by("-fiscal_year")
        .only(
            "pk",
            "fiscal_year",
            "version",
            "total_expenditure",
            "total_revenue",
            "enacted_at",
            "is_demo",
        )
    )
    if not plans:
        return {"plans": []}
    # Enacted plans change only by a new enactment, which bumps their version: the breakdown is
    # cached under the versions it was computed from, so it is never stale.
    versions = ",".join(f"{plan.pk}.{plan.version}" for plan in plans)
    summary = cache.get_or_set(f"budget-summary:{versions}", lambda: _budget_summary(plans), 3600)
    return {**summary, "versions": versions}


def _budget_summary(plans: list[BudgetPlan]) -> dict:
    latest, previous = plans[0], (plans[1] if len(plans) > 1 else None)
    shown = [plan.pk for plan in (latest, previous) if plan]
    by_programme, by_category = {}, {}
    for plan_id, programme_id, category_id, total in (
        BudgetLine.objects.filter(plan_id__in=shown)
        .values_list("plan_id", "programme_id", "expense_type__category_id")
        .annotate(total=Sum("amount"))
        .values_list("plan_id", "programme_id", "expense_type__category_id", "total")
    ):
        key = "latest" if plan_id == latest.pk else "previous"
        by_programme.setdefault(programme_id, {}).setdefault(key, 0)
        by_programme[programme_id][key] += total
        by_category.setdefault(category_id, {}).setdefault(key, 0)
        by_category[category_id][key] += total

    def rows(items, totals):
        return [
            {
                "item": item,
                "amount": totals[item.pk].get("latest", 0),
                "previous": totals[item.pk].get("previous") if previous else None,
            }
            for item in items
            if item.pk in totals
        ]

    years = [
        {"plan": plan, "change": plan.total_expenditure - older.total_expenditure}
        for plan, older in zip(plans, [*plans[1:], None], strict=True)
        if older
    ] + [{"plan": plans[-1], "change": None}]
    return {
        "plans": plans,
        "latest": latest,
        "previous": previous,
        "years": years,
        "programmes": rows(Programme.objects.order_by("sort_order"), by_programme),
        "categories": rows(ExpenseCategory.objects.order_by("sort_order"), by_category),
    }


def lao_enacted_lines(*, lao: LAO) -> QuerySet[BudgetLine]:
    """Every line of an LAO's enacted plans, for its public download."""
    return (
        BudgetLine.objects.filter(plan__lao=lao, plan__status=PlanStatus.ENACTED)
        .select_related(
            "plan",
            "programme",
            "programme__sector",
            "work",
            "expense_type",
            "expense_type__category",
        )
        .order_by("-plan__fiscal_year", "position", "pk")
    )


def classification_tree() -> dict:
    """The whole classification for its public page: sectors with their programmes and works,
    expense categories with their types, revenue groups with their sources. Seven small queries,
    one per level."""
    works: dict[int, list] = {}
    for work in Work.objects.order_by("sort_order"):
        works.setdefault(work.programme_id, []).append(work)
    programmes: dict[int, list] = {}
    for programme in Programme.objects.order_by("sort_order"):
        programme.work_list = works.get(programme.pk, [])
        programmes.setdefault(programme.sector_id, []).append(programme)
    sectors = list(Sector.objects.order_by("sort_order"))
    for sector in sectors:
        sector.programme_list = programmes.get(sector.pk, [])
    types: dict[int, list] = {}
    for expense_type in ExpenseType.objects.order_by("sort_order"):
        types.setdefault(expense_type.category_id, []).append(expense_type)
    categories = list(ExpenseCategory.objects.order_by("sort_order"))
    for category in categories:
        category.type_list = types.get(category.pk, [])
    sources: dict[int, list] = {}
    for source in RevenueSource.objects.order_by("sort_order"):
        sources.setdefault(source.group_id, []).append(source)
    groups = list(RevenueGroup.objects.order_by("sort_order"))
    for group in groups:
        group.source_list = sources.get(group.pk, [])
    return {"sectors": sectors, "categories": categories, "revenue_groups": groups}


def plan_years(*, lao) -> frozenset[int]:
    """The fiscal years the LAO has a budget plan for, whatever its status (one query)."""
    return frozenset(BudgetPlan.objects.filter(lao=lao).values_list("fiscal_year", flat=True))
