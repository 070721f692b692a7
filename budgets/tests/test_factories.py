"""The test factories make rows the database accepts and reuse the imported classification."""

import pytest

from budgets.models import PlanStatus, Programme
from budgets.tests.factories import (
    BudgetLineFactory,
    BudgetPlanFactory,
    ProgrammeFactory,
    RevenueEstimateFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_make_valid_plans_lines_and_revenue(classification):
    line = BudgetLineFactory(programme=classification.education)
    revenue = RevenueEstimateFactory(plan=line.plan, source=classification.grant)
    assert revenue.plan == line.plan
    assert line.plan.status == PlanStatus.DRAFT and line.plan.enacted_at is None
    assert BudgetPlanFactory(status=PlanStatus.ENACTED).enacted_at is not None
    work = WorkFactory(programme=classification.education)
    assert work.key.startswith("EDUCATION.")
    # A key of the imported classification is that item, not a second one.
    assert ProgrammeFactory(key="EDUCATION") == classification.education
    assert Programme.objects.filter(key="EDUCATION").count() == 1
