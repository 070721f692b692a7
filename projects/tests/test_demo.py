"""The demo seed of development plans and projects."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Min, Sum

from budgets.importers import classification_import
from projects.demo import development_plans_seed, projects_seed, seed_projects
from projects.models import (
    DevelopmentPlan,
    Disbursement,
    Project,
    ProjectRollup,
    Stage,
    StageChange,
    Strategy,
)
from units.models import LAOKind
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def laos():
    classification_import()
    province = ProvinceFactory(code="50")
    return [
        LAOFactory(subdistrict__district=DistrictFactory(province=province)),
        LAOFactory(
            subdistrict__district=DistrictFactory(province=province),
            kind=LAOKind.TOWN_MUNICIPALITY,
            latitude=Decimal("18.79"),
            longitude=Decimal("98.98"),
        ),
    ]


def test_plans_cover_the_demo_years_with_three_to_six_strategies(laos):
    assert development_plans_seed(lao_ids=[lao.pk for lao in laos]) == 2
    current = current_fiscal_year()
    for plan in DevelopmentPlan.objects.all():
        assert (plan.start_year, plan.end_year) == (current - 4, current)
        assert plan.is_demo
        assert 3 <= plan.strategies.count() <= 6
    assert development_plans_seed(lao_ids=[lao.pk for lao in laos]) == 0


def test_projects_are_consistent_deterministic_and_idempotent(laos):
    ids = [lao.pk for lao in laos]
    development_plans_seed(lao_ids=ids)
    created = projects_seed(lao_ids=ids, years=2)
    assert created == Project.objects.count() > 100
    assert projects_seed(lao_ids=ids, years=2) == 0
    assert not Project.objects.filter(is_demo=False).exists()

    paid = dict(
        Disbursement.objects.values_list("project_id").annotate(total=Sum("amount")).order_by()
    )
    changes = StageChange.objects.order_by("project_id", "at", "id")
    last_change = dict(changes.values_list("project_id", "to_stage"))
    for project in Project.objects.all():
        assert project.disbursed_total == paid.get(project.pk, Decimal(0))
        if project.contract_amount is not None:
            assert project.disbursed_total <= project.contract_amount <= project.budget_amount
        else:
            assert project.disbursed_total == 0
        assert last_change[project.pk] == project.stage
        assert project.planned_start <= project.planned_end
        assert project.strategy.plan_id == project.plan_id
        assert project.programme_id is not None
    # Past years mostly completed; the current year spread over the stages.
    current = current_fiscal_year()
    stages = defaultdict(dict)
    for year, stage, number in (
        Project.objects.values_list("fiscal_year", "stage").annotate(number=Count("pk")).order_by()
    ):
        stages[year][stage] = number
    past = stages[current - 1]
    assert past.get(Stage.COMPLETED, 0) > sum(past.values()) / 2
    assert len(stages[current]) >= 5
    # Some points near the LAO with a location.
    points = Project.objects.filter(latitude__isnull=False).aggregate(
        low=Min("latitude"), high=Max("latitude")
    )
    assert Decimal("18.7") < points["low"] <= points["high"] < Decimal("18.9")
    # The same LAO and year give the same projects.
    first = list(Project.objects.order_by("lao", "code").values_list("name", "budget_amount"))
    Project.objects.all().delete()
    projects_seed(lao_ids=ids, years=2)
    assert list(Project.objects.order_by("lao", "code").values_list("name", "budget_amount")) == (
        first
    )


def test_seeder_builds_the_rollup(laos):
    lines = seed_projects(scale="small", stdout=type("Out", (), {"write": lambda *a: None})())
    assert lines == []
    national = ProjectRollup.objects.get(
        fiscal_year=current_fiscal_year(), province=None, kind="", programme=None
    )
    assert national.projects == Project.objects.filter(fiscal_year=current_fiscal_year()).count()
    assert Strategy.objects.exists()
