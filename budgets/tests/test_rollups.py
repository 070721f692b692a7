from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from budgets.demo import budgets_seed
from budgets.importers import classification_import
from budgets.models import BudgetLine, BudgetPlan, BudgetRollup, PlanStatus
from budgets.rollups import rollup_add_plan, rollups_rebuild
from units.models import LAOKind
from units.tests.factories import TwoProvinces, two_provinces
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db


@dataclass
class Seeded(TwoProvinces):
    created: int  # plans the demo seed made


@pytest.fixture
def seeded() -> Seeded:
    classification_import()
    provinces = two_provinces(
        [LAOKind.SAO, LAOKind.SUBDISTRICT_MUNICIPALITY], [LAOKind.SAO], codes=("50", "90")
    )
    created = budgets_seed(lao_ids=[lao.pk for lao in provinces.laos], years=2)
    rollups_rebuild()
    return Seeded(**vars(provinces), created=created)


def enacted_sum(**filters):
    lines = BudgetLine.objects.filter(plan__status=PlanStatus.ENACTED, **filters)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def cell(**dimensions):
    values = {"province": None, "kind": "", "programme": None, "category": None, **dimensions}
    row = BudgetRollup.objects.filter(**values).first()
    return row.amount if row else Decimal(0)


def test_seed_is_deterministic_and_idempotent(seeded):
    assert seeded.created >= 3
    plan = BudgetPlan.objects.order_by("pk").first()
    assert plan.lines.count() >= 28
    assert plan.lines.aggregate(total=Sum("amount"))["total"] == plan.total_expenditure
    assert budgets_seed(lao_ids=[lao.pk for lao in seeded.laos], years=2) == 0


def test_rollup_cells_equal_sums_of_enacted_lines(seeded):
    year = current_fiscal_year() - 1  # past years are all enacted
    assert cell(fiscal_year=year) == enacted_sum(plan__fiscal_year=year)
    north = seeded.north
    assert cell(fiscal_year=year, province=north) == enacted_sum(
        plan__fiscal_year=year, plan__lao__province=north
    )
    assert cell(fiscal_year=year, kind=LAOKind.SAO) == enacted_sum(
        plan__fiscal_year=year, plan__lao__kind=LAOKind.SAO
    )
    line = BudgetLine.objects.filter(plan__fiscal_year=year).first()
    category = line.expense_type.category
    assert cell(
        fiscal_year=year, province=north, programme=line.programme, category=category
    ) == enacted_sum(
        plan__fiscal_year=year,
        plan__lao__province=north,
        programme=line.programme,
        expense_type__category=category,
    )


def test_moving_one_plan_matches_a_rebuild(seeded):
    year = current_fiscal_year() - 1
    plan = BudgetPlan.objects.filter(fiscal_year=year).first()
    before = cell(fiscal_year=year)
    rollup_add_plan(plan=plan, sign=-1)
    plan.status = PlanStatus.DRAFT
    plan.enacted_at = None
    plan.save()
    assert cell(fiscal_year=year) == before - plan.total_expenditure
    plan.status, plan.enacted_at = PlanStatus.ENACTED, timezone.now()
    plan.save()
    rollup_add_plan(plan=plan)
    incremental = set(
        BudgetRollup.objects.values_list(
            "fiscal_year", "province", "kind", "programme", "category", "amount"
        )
    )
    rollups_rebuild()
    rebuilt = set(
        BudgetRollup.objects.values_list(
            "fiscal_year", "province", "kind", "programme", "category", "amount"
        )
    )
    assert incremental == rebuilt
