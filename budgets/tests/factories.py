"""Factories for budget plans, their lines and revenue, and the classification they use.

The classification factories get-or-create by key, so `ProgrammeFactory(key="EDUCATION")` after
`classification_import()` is the imported programme. A plan made here skips the workflow
(services.budget_plan_*): use it where the test is about something else than the workflow."""

from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from budgets.importers import classification_import
from budgets.models import (
    BudgetLine,
    BudgetPlan,
    ExpenseCategory,
    ExpenseType,
    PlanStatus,
    Programme,
    RevenueEstimate,
    RevenueGroup,
    RevenueSource,
    Sector,
    Work,
)
from units.tests.factories import LAOFactory


@dataclass
class Classification:
    """The items of the imported classification most tests write lines with."""

    education: Programme
    materials: ExpenseType
    grant: RevenueSource


def imported_classification() -> Classification:
    """Import the real classification (data/budget/); the items most tests use."""
    classification_import()
    return Classification(
        education=Programme.objects.get(key="EDUCATION"),
        materials=ExpenseType.objects.get(key="MATERIALS"),
        grant=RevenueSource.objects.get(key="GENERAL_GRANT"),
    )


class ClassificationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"TEST_{n}")
    name_th = factory.Sequence(lambda n: f"รายการทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test item {n}")


class SectorFactory(ClassificationItemFactory):
    class Meta:
        model = Sector


class ProgrammeFactory(ClassificationItemFactory):
    class Meta:
        model = Programme

    sector = factory.SubFactory(SectorFactory)


class WorkFactory(ClassificationItemFactory):
    class Meta:
        model = Work

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.LazyAttributeSequence(lambda o, n: f"{o.programme.key}.{n % 100:02d}")


class ExpenseCategoryFactory(ClassificationItemFactory):
    class Meta:
        model = ExpenseCategory


class ExpenseTypeFactory(ClassificationItemFactory):
    class Meta:
        model = ExpenseType

    category = factory.SubFactory(ExpenseCategoryFactory)


class RevenueGroupFactory(ClassificationItemFactory):
    class Meta:
        model = RevenueGroup


class RevenueSourceFactory(ClassificationItemFactory):
    class Meta:
        model = RevenueSource

    group = factory.SubFactory(RevenueGroupFactory)


class BudgetPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan without lines (totals 0); `status=PlanStatus.ENACTED` sets `enacted_at`."""

    class Meta:
        model = BudgetPlan

    lao = factory.SubFactory(LAOFactory)
    fiscal_year = 2569
    status = PlanStatus.DRAFT
    enacted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == PlanStatus.ENACTED else None
    )


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A line; the plan's totals are not updated (services.budget_plan_save does that)."""

    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(BudgetPlanFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    expense_type = factory.SubFactory(ExpenseTypeFactory)
    item = factory.Sequence(lambda n: f"รายการ {n}")
    amount = Decimal("1000.00")
    position = factory.Sequence(lambda n: n)


class RevenueEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevenueEstimate

    plan = factory.SubFactory(BudgetPlanFactory)
    source = factory.SubFactory(RevenueSourceFactory)
    amount = Decimal("1000.00")
