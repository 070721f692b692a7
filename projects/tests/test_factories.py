"""The test factories make rows the database constraints accept."""

from decimal import Decimal

import pytest

from projects.models import ReportStatus, Stage
from projects.reports import quarter_due_date
from projects.tests.factories import (
    DisbursementFactory,
    FollowFactory,
    ProgressReportFactory,
    ProjectFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_make_valid_plans_projects_money_reports_and_follows():
    strategy = StrategyFactory()
    assert strategy.plan.end_year == strategy.plan.start_year + 4
    project = ProjectFactory(
        lao=strategy.plan.lao,
        plan=strategy.plan,
        strategy=strategy,
        stage=Stage.CONTRACTED,
        contract_amount=Decimal("90000"),
        disbursed_total=Decimal("10000"),
    )
    assert ProjectFactory(lao=project.lao).code != project.code
    assert DisbursementFactory(project=project).amount == Decimal("10000")
    report = ProgressReportFactory(lao=project.lao)
    assert report.status == ReportStatus.DRAFT
    assert report.due_date == quarter_due_date(report.fiscal_year, report.quarter)
    assert FollowFactory(project=project).lao is None
    assert FollowFactory(project=None, lao=project.lao).project is None
