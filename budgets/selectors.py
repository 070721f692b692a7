"""Page-level reads of budgets: keyword-only functions returning optimized querysets or shaped
data; views, exports and the profile section share them."""

from django.db.models import QuerySet, Sum
from django.http import Http404

from budgets.models import BudgetLine, BudgetPlan, ExpenseCategory, PlanStatus, Programme
from units import access
from units.models import LAO, Role, User


def plans_visible_to(*, user: User) -> QuerySet[BudgetPlan]:
    """Plans a back-office user may open: those of the LAOs they manage; every plan for
    executives and administrators (who read everything)."""
    plans = BudgetPlan.objects.select_related("lao", "lao__province")
    if access.is_admin(user) or (user.is_authenticated and user.role == Role.EXECUTIVE):
        return plans
    return plans.filter(lao__in=access.laos_managed_by(user))


def plan_for_user(*, user: User, pk: int) -> BudgetPlan:
    """A plan the user may open; 404 for a missing plan and for one out of scope alike."""
    try:
        return plans_visible_to(user=user).get(pk=pk)
    except BudgetPlan.DoesNotExist:
        raise Http404("No plan in your scope has this number.") from None


def plans_of_lao(*, lao: LAO) -> QuerySet[BudgetPlan]:
    """All plans of an LAO, newest year first (for its officers' list)."""
    return BudgetPlan.objects.filter(lao=lao).order_by("-fiscal_year")


def review_queue(*, user: User) -> QuerySet[BudgetPlan]:
    """Submitted plans waiting for the user's review: their province's (all for admins),
    oldest submission first."""
    plans = BudgetPlan.objects.filter(status=PlanStatus.SUBMITTED).select_related(
        "lao", "lao__province", "submitted_by"
    )
    if not access.is_admin(user):
        plans = plans.filter(lao__province_id=user.province_id)
    return plans.order_by("submitted_at", "pk")


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
