"""Each declared indicator's formula on a small tree, with every reason for a missing value."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from benchmarks.indicators import BUDGET_PER_CAPITA, ComputedIndicator, computed_indicators
from benchmarks.models import Indicator, IndicatorValue, Reason, ValueStatus
from benchmarks.services import indicator_values_recompute, indicators_sync
from benchmarks.tests.conftest import TODAY
from budgets.models import ExpenseType, PlanStatus, RevenueSource
from budgets.tests.factories import BudgetLineFactory, BudgetPlanFactory, RevenueEstimateFactory
from projects.models import ReportStatus, Stage
from projects.tests.factories import ProgressReportFactory, ProjectFactory

pytestmark = pytest.mark.usefixtures("indicators", "classification")

YEARS = [2569, 2570, 2571]
BANGKOK = ZoneInfo("Asia/Bangkok")
ENACTED_AT = datetime.datetime(2025, 9, 20, 10, 0, tzinfo=BANGKOK)


def aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=BANGKOK)


def values(code: str) -> dict:
    """(LAO DLA code, fiscal year) → (value, reason, status) of one indicator."""
    return {
        (row.lao.dla_code, row.fiscal_year): (row.value, row.reason, row.status)
        for row in IndicatorValue.objects.filter(indicator__code=code).select_related("lao")
    }


def enacted_plan(lao, fiscal_year, *, lines, revenue, enacted_at=ENACTED_AT):
    """An enacted plan with lines {expense type key: amount} and revenue {source key: amount},
    its totals set as the services keep them."""
    plan = BudgetPlanFactory(
        lao=lao,
        fiscal_year=fiscal_year,
        status=PlanStatus.ENACTED,
        enacted_at=enacted_at,
        total_expenditure=sum(map(Decimal, lines.values()), Decimal(0)),
        total_revenue=sum(map(Decimal, revenue.values()), Decimal(0)),
    )
    for key, amount in lines.items():
        BudgetLineFactory(
            plan=plan, expense_type=ExpenseType.objects.get(key=key), amount=Decimal(amount)
        )
    for key, amount in revenue.items():
        RevenueEstimateFactory(
            plan=plan, source=RevenueSource.objects.get(key=key), amount=Decimal(amount)
        )
    return plan


@pytest.fixture
def budgets(tree):
    """lao: 1,000 people, enacted plans of 2569 (final) and 2570 (provisional); neighbour: a
    submitted plan of 2569, nothing for 2570 (begun: late) and 2571 (not begun); far: no
    population, an enacted plan of 2569 with nothing in it."""
    tree.lao.population = 1000
    tree.lao.save(update_fields=["population"])
    tree.far.population = None
    tree.far.save(update_fields=["population"])
    enacted_plan(
        tree.lao,
        2569,
        lines={"LAND_BUILDINGS": "300000", "SALARY_PERMANENT": "350000", "MATERIALS": "350000"},
        revenue={"TAXES": "200000", "GENERAL_GRANT": "600000"},
    )
    enacted_plan(
        tree.lao,
        2570,
        lines={"EQUIPMENT": "100000", "SALARY_POLITICAL": "100000"},
        revenue={"FEES_FINES_LICENSES": "50000", "SHARED_TAXES": "150000"},
        enacted_at=aware(datetime.date(2026, 9, 25)),
    )
    BudgetPlanFactory(lao=tree.neighbour, fiscal_year=2569, status=PlanStatus.SUBMITTED)
    enacted_plan(tree.far, 2569, lines={}, revenue={})
    indicator_values_recompute(fiscal_years=YEARS, today=TODAY)
    return tree


def test_budget_per_capita(budgets):
    got = values("budget-per-capita")
    assert got[("6300001", 2569)] == (Decimal("1000.0000"), "", ValueStatus.FINAL)
    assert got[("6300001", 2570)] == (Decimal("200.0000"), "", ValueStatus.PROVISIONAL)
    assert got[("6300002", 2569)][:2] == (None, Reason.NOT_FINAL)
    assert got[("6300002", 2570)][:2] == (None, Reason.LATE)
    assert got[("6300002", 2571)][:2] == (None, Reason.NOT_SUBMITTED)
    # No population: the denominator was never entered.
    assert got[("6310001", 2569)][:2] == (None, Reason.NOT_SUBMITTED)


def test_capital_share(budgets):
    got = values("capital-share")
    assert got[("6300001", 2569)][:2] == (Decimal("30.0000"), "")
    assert got[("6300001", 2570)][:2] == (Decimal("50.0000"), "")
    assert got[("6310001", 2569)][:2] == (None, Reason.ZERO_DENOMINATOR)
    assert got[("6300002", 2569)][:2] == (None, Reason.NOT_FINAL)


def test_personnel_share_and_its_rating(budgets):
    got = values("personnel-share")
    assert got[("6300001", 2569)][:2] == (Decimal("35.0000"), "")
    # Political salaries are personnel too.
    assert got[("6300001", 2570)][:2] == (Decimal("50.0000"), "")
    assert got[("6310001", 2569)][:2] == (None, Reason.ZERO_DENOMINATOR)
    indicator = Indicator.objects.get(code="personnel-share")
    assert indicator.rating_of(Decimal("35")) == "good"
    assert indicator.rating_of(Decimal("40")) == "good"  # the law allows up to 40 %
    assert indicator.rating_of(Decimal("40.01")) == "weak"
    assert indicator.rating_of(None) is None


def test_own_source_revenue_share(budgets):
    got = values("own-source-revenue-share")
    assert got[("6300001", 2569)][:2] == (Decimal("25.0000"), "")
    assert got[("6300001", 2570)][:2] == (Decimal("25.0000"), "")
    assert got[("6310001", 2569)][:2] == (None, Reason.ZERO_DENOMINATOR)


def test_budget_values_keep_the_enactment_date(budgets):
    row = IndicatorValue.objects.get(
        indicator__code="capital-share", lao=budgets.lao, fiscal_year=2569
    )
    assert row.as_of == datetime.date(2025, 9, 20)
    assert row.source == "computed"
    late = IndicatorValue.objects.get(
        indicator__code="capital-share", lao=budgets.neighbour, fiscal_year=2570
    )
    assert late.as_of == TODAY


def completed(lao, *, planned_end, completed_on, budget="100000", disbursed="100000"):
    return ProjectFactory(
        lao=lao,
        stage=Stage.COMPLETED,
        planned_end=planned_end,
        stage_changed_at=aware(completed_on),
        budget_amount=Decimal(budget),
        disbursed_total=Decimal(disbursed),
    )


@pytest.fixture
def projects(tree):
    """lao 2569: completed on time; completed late; in progress past its end; cancelled;
    in progress with its end still to come. far 2569: only a cancelled project."""
    end = datetime.date(2026, 3, 31)
    completed(tree.lao, planned_end=end, completed_on=datetime.date(2026, 3, 15))
    completed(tree.lao, planned_end=end, completed_on=datetime.date(2026, 5, 1), disbursed="50000")
    ProjectFactory(lao=tree.lao, stage=Stage.IN_PROGRESS, planned_end=datetime.date(2026, 6, 30))
    ProjectFactory(lao=tree.lao, stage=Stage.CANCELLED, planned_end=end)
    ProjectFactory(
        lao=tree.lao,
        stage=Stage.IN_PROGRESS,
        planned_end=datetime.date(2027, 1, 31),
        disbursed_total=Decimal("30000"),
    )
    ProjectFactory(lao=tree.far, stage=Stage.CANCELLED, planned_end=end)
    return tree


def test_disbursement_rate(projects):
    indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    got = values("disbursement-rate")
    # (100,000 + 50,000 + 0 + 30,000) ÷ 400,000: the cancelled project is left out.
    assert got[("6300001", 2569)] == (Decimal("45.0000"), "", ValueStatus.PROVISIONAL)
    assert got[("6300002", 2569)][:2] == (None, Reason.NOT_SUBMITTED)
    assert got[("6310001", 2569)][:2] == (None, Reason.ZERO_DENOMINATOR)


def test_projects_completed_on_time(projects):
    indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    got = values("projects-on-time")
    # One of three due projects finished by its planned end; the one still to end is not due.
    assert got[("6300001", 2569)][:2] == (Decimal("33.3333"), "")
    assert got[("6300002", 2569)][:2] == (None, Reason.NOT_SUBMITTED)
    assert got[("6310001", 2569)][:2] == (None, Reason.ZERO_DENOMINATOR)


def test_project_values_are_final_once_the_last_quarter_is_accepted(projects):
    ProgressReportFactory(
        lao=projects.lao, fiscal_year=2569, quarter=4, status=ReportStatus.ACCEPTED
    )
    indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    assert values("disbursement-rate")[("6300001", 2569)][2] == ValueStatus.FINAL
    # The same year seen before it was over stays provisional.
    indicator_values_recompute(fiscal_years=[2569], today=datetime.date(2026, 9, 1))
    assert values("disbursement-rate")[("6300001", 2569)][2] == ValueStatus.PROVISIONAL


def report(lao, quarter, status, submitted_on, fiscal_year=2569):
    return ProgressReportFactory(
        lao=lao,
        fiscal_year=fiscal_year,
        quarter=quarter,
        status=status,
        submitted_at=aware(submitted_on),
    )


def test_progress_reports_on_time(tree):
    accepted = ReportStatus.ACCEPTED
    report(tree.lao, 1, accepted, datetime.date(2026, 1, 15))  # on its due date
    report(tree.lao, 2, accepted, datetime.date(2026, 4, 20))  # late (due 15 April)
    report(tree.lao, 4, accepted, datetime.date(2026, 10, 1))  # quarter 3: never sent
    report(tree.neighbour, 1, ReportStatus.SUBMITTED, datetime.date(2026, 1, 10))
    indicator_values_recompute(fiscal_years=[2569, 2570], today=TODAY)
    got = values("reports-on-time")
    assert got[("6300001", 2569)] == (Decimal("50.0000"), "", ValueStatus.FINAL)
    # Still waiting for the province: provisional.
    assert got[("6300002", 2569)] == (Decimal("25.0000"), "", ValueStatus.PROVISIONAL)
    assert got[("6310001", 2569)] == (Decimal("0.0000"), "", ValueStatus.FINAL)
    # No quarter of 2570 is due yet.
    assert got[("6300001", 2570)][:2] == (None, Reason.ZERO_DENOMINATOR)
    rating = Indicator.objects.get(code="reports-on-time").rating_of
    assert (rating(Decimal("100")), rating(Decimal("75"))) == ("good", "weak")


def test_an_indicator_of_other_kinds_is_not_applicable(budgets):
    provincial_only = ComputedIndicator(
        **{**vars(BUDGET_PER_CAPITA), "code": "pao-budget-per-capita", "kinds": ("pao",)}
    )
    indicators_sync(declarations=[*computed_indicators(), provincial_only])
    indicator_values_recompute(fiscal_years=[2569], today=TODAY, declarations=[provincial_only])
    got = values("pao-budget-per-capita")
    # The tree's LAOs are SAOs: not applicable, whatever their data.
    assert {reason for _, reason, _ in got.values()} == {Reason.NOT_APPLICABLE}
    assert len(got) == 3


def test_every_declaration_is_synced_and_computed(budgets):
    codes = {declaration.code for declaration in computed_indicators()}
    assert set(Indicator.objects.values_list("code", flat=True)) == codes
    assert set(IndicatorValue.objects.values_list("indicator__code", flat=True)) == codes
    # Three LAOs × three years for each indicator, with a value or a reason, never both.
    assert IndicatorValue.objects.count() == len(codes) * 9
    assert not IndicatorValue.objects.filter(value__isnull=True, reason="").exists()
