"""Factories for development plans, projects, their money, reports and follows.

They write rows directly, without the services' checks, stage history or rollups: use them to
set a scene, and the services (projects.services) where the test is about the workflow. A
project's stage can be any; give `contract_amount` (within the budget) and keep
`disbursed_total` within it, as the model's constraints ask."""

import datetime
from decimal import Decimal

import factory

from projects.models import (
    DevelopmentPlan,
    Disbursement,
    Follow,
    ProgressReport,
    Project,
    Stage,
    Strategy,
)
from projects.reports import quarter_due_date
from units.tests.factories import LAOFactory, UserFactory


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    """A five-year plan from 2566 to 2570."""

    class Meta:
        model = DevelopmentPlan

    lao = factory.SubFactory(LAOFactory)
    start_year = 2566
    end_year = factory.LazyAttribute(lambda o: o.start_year + 4)
    vision = "ตำบลน่าอยู่"


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    plan = factory.SubFactory(DevelopmentPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"ยุทธศาสตร์ที่ {n + 1}")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A planned project of 2569 with a budget of 100,000 baht, coded "<year>-<n>"."""

    class Meta:
        model = Project

    lao = factory.SubFactory(LAOFactory)
    fiscal_year = 2569
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.fiscal_year}-{n + 1:03d}")
    name = factory.LazyAttribute(lambda o: f"โครงการ {o.code}")
    budget_amount = Decimal("100000")
    stage = Stage.PLANNED


class DisbursementFactory(factory.django.DjangoModelFactory):
    """A payment; the project's `disbursed_total` is not updated (the services do that)."""

    class Meta:
        model = Disbursement

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 1, 15)
    amount = Decimal("10000")
    reference = factory.Sequence(lambda n: f"V-{n}")


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A draft report of the second quarter of 2568, due when the rules say."""

    class Meta:
        model = ProgressReport

    lao = factory.SubFactory(LAOFactory)
    fiscal_year = 2568
    quarter = 2
    due_date = factory.LazyAttribute(lambda o: quarter_due_date(o.fiscal_year, o.quarter))


class FollowFactory(factory.django.DjangoModelFactory):
    """A citizen following a project (or, with `project=None, lao=…`, an LAO)."""

    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    lao = None
