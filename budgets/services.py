"""Writes of budget plans: keyword-only, atomic, named `budget_plan_<action>`.

The workflow: draft → submitted → enacted, or submitted → returned → (revised) → submitted.
Every write that changes a plan takes the version the writer saw and refuses the save when the
plan has moved on since (optimistic locking): nothing is overwritten silently.

Only enacted plans are public: the enactment moves the LAO's budget stamp
(`units.stamps.lao_stamp("budgets", code)`), which renews its cached profile for visitors. The
other steps touch drafts, submitted and returned plans only, which no public page shows, so they
leave the stamp alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import rules
from budgets.models import (
    BudgetLine,
    BudgetPlan,
    BudgetPlanEvent,
    PlanAction,
    PlanStatus,
    RevenueEstimate,
)
from budgets.rollups import rollup_add_plan
from units import access, stamps
from units.bulk import copy_rows
from units.changes import data_changed
from units.models import LAO, User

EDITABLE = {PlanStatus.DRAFT, PlanStatus.RETURNED}


class StalePlanError(ValidationError):
    """The plan was changed by someone else after the writer loaded it."""


@dataclass(frozen=True)
class LineData:
    programme_id: int
    expense_type_id: int
    item: str
    amount: Decimal
    work_id: int | None = None


def _lock(plan: BudgetPlan, *, version: int) -> BudgetPlan:
    """Re-read the plan FOR UPDATE and check the writer's version."""
    current = BudgetPlan.objects.select_for_update().get(pk=plan.pk)
    if current.version != version:
        raise StalePlanError(
            _(
                "Someone else saved this plan after you opened it. Reload the page to see "
                "their changes, then make yours again."
            ),
            code="stale",
        )
    return current


def _check_can_edit(user: User, lao: LAO) -> None:
    if not access.can_edit_lao(user, lao):
        raise PermissionDenied


def _refresh_totals(plan: BudgetPlan) -> None:
    plan.total_expenditure = plan.lines.aggregate(total=Sum("amount"))["total"] or 0
    plan.total_revenue = plan.revenues.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def budget_plan_create(
    *, lao: LAO, fiscal_year: int, user: User, copy_previous: bool = False
) -> BudgetPlan:
    """A new draft plan for an LAO's fiscal year, optionally starting from the previous year's
    lines and revenue estimates."""
    _check_can_edit(user, lao)
    if BudgetPlan.objects.filter(lao=lao, fiscal_year=fiscal_year).exists():
        raise ValidationError(_("This LAO already has a plan for that fiscal year."))
    plan = BudgetPlan.objects.create(lao=lao, fiscal_year=fiscal_year)
    BudgetPlanEvent.objects.create(plan=plan, action=PlanAction.CREATED, user=user)
    previous = BudgetPlan.objects.filter(lao=lao, fiscal_year=fiscal_year - 1).first()
    if copy_previous and previous:
        BudgetLine.objects.bulk_create(
            BudgetLine(
                plan=plan,
                programme_id=line.programme_id,
                work_id=line.work_id,
                expense_type_id=line.expense_type_id,
                item=line.item,
                amount=line.amount,
                position=line.position,
            )
            for line in previous.lines.all()
        )
        RevenueEstimate.objects.bulk_create(
            RevenueEstimate(plan=plan, source_id=rev.source_id, amount=rev.amount)
            for rev in previous.revenues.all()
        )
        _refresh_totals(plan)
        plan.save(update_fields=["total_expenditure", "total_revenue"])
    return plan


@transaction.atomic
def budget_plan_save(
    *,
    plan: BudgetPlan,
    user: User,
    version: int,
    lines: list[LineData],
    revenues: dict[int, Decimal],
) -> BudgetPlan:
    """Replace a draft or returned plan's lines and revenue estimates (by source id)."""
    _check_can_edit(user, plan.lao)
    plan = _lock(plan, version=version)
    if plan.status not in EDITABLE:
        raise ValidationError(_("Only a draft or returned plan can be changed."))
    plan.lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            plan=plan,
            position=position,
            programme_id=line.programme_id,
            work_id=line.work_id,
            expense_type_id=line.expense_type_id,
            item=line.item,
            amount=line.amount,
        )
        for position, line in enumerate(lines)
    )
    plan.revenues.all().delete()
    RevenueEstimate.objects.bulk_create(
        RevenueEstimate(plan=plan, source_id=source_id, amount=amount)
        for source_id, amount in revenues.items()
        if amount
    )
    _refresh_totals(plan)
    plan.version = F("version") + 1
    plan.save(update_fields=["total_expenditure", "total_revenue", "version", "updated_at"])
    plan.refresh_from_db()
    BudgetPlanEvent.objects.create(plan=plan, action=PlanAction.SAVED, user=user)
    return plan


@transaction.atomic
def budget_plan_submit(
    *, plan: BudgetPlan, user: User, version: int, imbalance_reason: str = ""
) -> BudgetPlan:
    """Send a draft or returned plan to the provincial office for review. A plan flagged by
    `rules.revenue_flag` (more expenditure than revenue, or no revenue) needs
    `imbalance_reason`, kept on the plan and in the step's comment for the reviewer."""
    _check_can_edit(user, plan.lao)
    plan = _lock(plan, version=version)
    if plan.status not in EDITABLE:
        raise ValidationError(_("Only a draft or returned plan can be submitted."))
    if not plan.lines.exists():
        raise ValidationError(_("A plan needs at least one line before it is submitted."))
    flag = rules.plan_revenue_flag(plan)
    reason = imbalance_reason.strip() if flag else ""
    if flag and not reason:
        raise ValidationError(
            {
                "imbalance_reason": ValidationError(
                    _("%(flag)s Say why before you submit the plan.") % {"flag": flag.message},
                    code="reason_required",
                )
            }
        )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at, plan.submitted_by = timezone.now(), user
    plan.imbalance_reason = reason
    plan.version = F("version") + 1
    plan.save()
    plan.refresh_from_db()
    BudgetPlanEvent.objects.create(
        plan=plan, action=PlanAction.SUBMITTED, user=user, comment=reason
    )
    return plan


@transaction.atomic
def budget_plan_withdraw(*, plan: BudgetPlan, user: User, version: int) -> BudgetPlan:
    """The LAO takes a submitted plan back before the provincial office has reviewed it: it is a
    draft again (the step is logged), to be changed and submitted anew."""
    _check_can_edit(user, plan.lao)
    plan = _lock(plan, version=version)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted plan that has not been reviewed yet can be withdrawn."),
            code="reviewed",
        )
    plan.status = PlanStatus.DRAFT
    plan.submitted_at = plan.submitted_by = None
    plan.version = F("version") + 1
    plan.save()
    plan.refresh_from_db()
    BudgetPlanEvent.objects.create(plan=plan, action=PlanAction.WITHDRAWN, user=user)
    return plan


def _check_can_review(user: User, plan: BudgetPlan) -> None:
    if not access.can_review(user, plan.lao):
        raise PermissionDenied


def _check_not_submitter(user: User, plan: BudgetPlan) -> None:
    if access.is_submitter(user, plan):
        raise ValidationError(
            _("You submitted this plan: another reviewer of the province must enact or return it."),
            code="submitter",
        )


@transaction.atomic
def budget_plan_enact(*, plan: BudgetPlan, user: User, version: int) -> BudgetPlan:
    """Provincial staff enact a submitted plan: it becomes public and enters the rollups. Its
    submitter may not (`access.is_submitter`)."""
    _check_can_review(user, plan)
    lao = plan.lao  # loaded by the check: the locked copy (and the stamps' signal) reuse it
    plan = _lock(plan, version=version)
    plan.lao = lao
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be enacted."))
    _check_not_submitter(user, plan)
    now = timezone.now()
    plan.status = PlanStatus.ENACTED
    plan.reviewed_at = plan.enacted_at = now
    plan.reviewed_by = user
    plan.return_comment = ""
    plan.version = F("version") + 1
    plan.save()
    plan.refresh_from_db()
    rollup_add_plan(plan=plan)
    BudgetPlanEvent.objects.create(plan=plan, action=PlanAction.ENACTED, user=user)
    data_changed(what="budget_plan_enacted", lao_id=plan.lao_id, fiscal_year=plan.fiscal_year)
    stamps.bump(stamps.lao_stamp("budgets", lao.url_code))
    return plan


@transaction.atomic
def budget_plan_return(*, plan: BudgetPlan, user: User, version: int, comment: str) -> BudgetPlan:
    """Provincial staff send a submitted plan back to the LAO with a comment. Its submitter may
    not (`access.is_submitter`)."""
    _check_can_review(user, plan)
    if not comment.strip():
        raise ValidationError(_("Say what the LAO should revise."))
    plan = _lock(plan, version=version)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be returned."))
    _check_not_submitter(user, plan)
    plan.status = PlanStatus.RETURNED
    plan.reviewed_at, plan.reviewed_by = timezone.now(), user
    plan.return_comment = comment.strip()
    plan.version = F("version") + 1
    plan.save()
    plan.refresh_from_db()
    BudgetPlanEvent.objects.create(
        plan=plan, action=PlanAction.RETURNED, user=user, comment=plan.return_comment
    )
    return plan


# --- replacing plans' lines in bulk (the provincial upload, budgets/resources.py) -------------


@dataclass
class PlanLines:
    """The new lines of one LAO's plan for a fiscal year; `plan` is the existing plan (locked by
    the caller), None when the plan is to be created."""

    lao_id: int
    fiscal_year: int
    plan: BudgetPlan | None
    lines: list[LineData]


@transaction.atomic
def budget_plans_replace_lines(*, items: list[PlanLines], user: User) -> dict:
    """Replace the lines of many plans at once: plans that are missing are created as drafts,
    draft or returned plans lose their old lines, get the new ones (in the given order), their
    total expenditure and a new version (an editor open on the old version is then refused, not
    overwritten). Estimated revenue is left as it is.

    The caller has locked the existing plans (SELECT ... FOR UPDATE). A handful of queries
    whatever the number of lines: the lines are written with COPY.
    """
    if not items:
        return {"plans_created": 0, "plans_replaced": 0, "lines": 0}
    lao_ids = {item.lao_id for item in items}
    if access.laos_managed_by(user).filter(pk__in=lao_ids).count() != len(lao_ids):
        raise PermissionDenied
    if any(item.plan is not None and item.plan.status not in EDITABLE for item in items):
        raise ValidationError(_("Only a draft or returned plan can be changed."))

    def total(lines: list[LineData]) -> Decimal:
        return sum((line.amount for line in lines), Decimal(0))

    new_items = [item for item in items if item.plan is None]
    replaced_ids = [item.plan.pk for item in items if item.plan is not None]
    created = BudgetPlan.objects.bulk_create(
        BudgetPlan(
            lao_id=item.lao_id,
            fiscal_year=item.fiscal_year,
            status=PlanStatus.DRAFT,
            total_expenditure=total(item.lines),
        )
        for item in new_items
    )
    for item, plan in zip(new_items, created, strict=True):
        item.plan = plan
    if replaced_ids:
        BudgetLine.objects.filter(plan_id__in=replaced_ids).delete()
    copy_rows(
        BudgetLine._meta.db_table,
        ["plan_id", "programme_id", "work_id", "expense_type_id", "item", "amount", "position"],
        (
            (
                item.plan.pk,
                line.programme_id,
                line.work_id,
                line.expense_type_id,
                line.item,
                line.amount,
                position,
            )
            for item in items
            for position, line in enumerate(item.lines)
        ),
    )
    if replaced_ids:
        line_totals = (
            BudgetLine.objects.filter(plan_id=OuterRef("pk"))
            .order_by()  # the default ordering would join plans and LAOs
            .values("plan_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        BudgetPlan.objects.filter(pk__in=replaced_ids).update(
            total_expenditure=Coalesce(Subquery(line_totals), Value(Decimal(0))),
            version=F("version") + 1,
            updated_at=timezone.now(),
            is_demo=False,  # the lines are real now
        )
    BudgetPlanEvent.objects.bulk_create(
        BudgetPlanEvent(plan=item.plan, action=PlanAction.UPLOADED, user=user) for item in items
    )
    return {
        "plans_created": len(created),
        "plans_replaced": len(replaced_ids),
        "lines": sum(len(item.lines) for item in items),
    }
