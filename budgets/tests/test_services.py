from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets import services
from budgets.models import BudgetRollup, PlanStatus
from budgets.services import LineData, StalePlanError

pytestmark = pytest.mark.django_db
YEAR = 2570


def lines(world, *amounts):
    return [
        LineData(world.education.pk, world.materials.pk, f"item {n}", Decimal(amount))
        for n, amount in enumerate(amounts)
    ]


def draft(world, *amounts):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    return services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=lines(world, *amounts),
        revenues={world.grant.pk: Decimal("1000.00")},
    )


def test_saving_totals_the_lines_and_bumps_the_version(world):
    plan = draft(world, "250000.50", "749999.50")
    assert plan.total_expenditure == Decimal("1000000.00")
    assert plan.total_revenue == Decimal("1000.00")
    assert plan.version == 2
    assert plan.lines.count() == 2


def test_a_save_based_on_an_old_version_is_refused_and_changes_nothing(world):
    plan = draft(world, "100")
    services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=lines(world, "200"),
        revenues={},
    )
    with pytest.raises(StalePlanError):
        services.budget_plan_save(
            plan=plan,
            user=world.officer,
            version=plan.version,
            lines=lines(world, "999"),
            revenues={},
        )
    plan.refresh_from_db()
    assert plan.total_expenditure == Decimal("200")


def test_an_officer_of_another_lao_cannot_create_or_save(world):
    with pytest.raises(PermissionDenied):
        services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.far_officer)
    plan = draft(world, "100")
    with pytest.raises(PermissionDenied):
        services.budget_plan_save(
            plan=plan, user=world.far_officer, version=plan.version, lines=[], revenues={}
        )


def test_submit_enact_puts_the_plan_in_the_rollups(world):
    plan = draft(world, "300", "700")
    plan = services.budget_plan_submit(plan=plan, user=world.officer, version=plan.version)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_by == world.officer
    with pytest.raises(ValidationError):  # submitted plans are frozen for the LAO
        services.budget_plan_save(
            plan=plan, user=world.officer, version=plan.version, lines=[], revenues={}
        )
    with pytest.raises(PermissionDenied):
        services.budget_plan_enact(plan=plan, user=world.far_staff, version=plan.version)
    plan = services.budget_plan_enact(plan=plan, user=world.staff, version=plan.version)
    assert plan.status == PlanStatus.ENACTED and plan.enacted_at is not None
    national = BudgetRollup.objects.get(
        fiscal_year=YEAR, province=None, kind="", programme=None, category=None
    )
    assert national.amount == Decimal("1000")


def test_return_needs_a_comment_then_the_officer_revises_and_resubmits(world):
    plan = draft(world, "100")
    plan = services.budget_plan_submit(plan=plan, user=world.officer, version=plan.version)
    with pytest.raises(ValidationError):
        services.budget_plan_return(plan=plan, user=world.staff, version=plan.version, comment="  ")
    plan = services.budget_plan_return(
        plan=plan, user=world.staff, version=plan.version, comment="แก้ยอดแผนงานการศึกษา"
    )
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "แก้ยอดแผนงานการศึกษา"
    plan = services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=lines(world, "150"),
        revenues={},
    )
    plan = services.budget_plan_submit(
        plan=plan, user=world.officer, version=plan.version, imbalance_reason="ใช้เงินสะสม"
    )
    assert plan.status == PlanStatus.SUBMITTED
    assert not BudgetRollup.objects.exists()
    steps = list(
        plan.events.order_by("at", "id").values_list("action", "user__username", "comment")
    )
    assert [action for action, _user, _comment in steps] == [
        "created",
        "saved",
        "submitted",
        "returned",
        "saved",
        "submitted",
    ]
    assert steps[3] == ("returned", world.staff.username, "แก้ยอดแผนงานการศึกษา")


def test_an_empty_plan_cannot_be_submitted(world):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    with pytest.raises(ValidationError):
        services.budget_plan_submit(plan=plan, user=world.officer, version=plan.version)


def test_copying_last_year_starts_from_its_lines(world):
    previous = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR - 1, user=world.officer)
    services.budget_plan_save(
        plan=previous,
        user=world.officer,
        version=previous.version,
        lines=lines(world, "10", "20"),
        revenues={world.grant.pk: Decimal("30")},
    )
    plan = services.budget_plan_create(
        lao=world.lao, fiscal_year=YEAR, user=world.officer, copy_previous=True
    )
    assert plan.lines.count() == 2
    assert plan.total_expenditure == Decimal("30") and plan.total_revenue == Decimal("30")
    with pytest.raises(ValidationError):
        services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
