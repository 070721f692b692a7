"""The recompute's shortcuts keep its results: one LAO's recompute stores the ranks a national
run would, and every recompute moves the page cache's stamp. (Timings: bench/recompute.py.)"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks.models import (
    CompositeScore,
    CompositeVersion,
    IndicatorValue,
    IndicatorYear,
    PeerStatistic,
    Source,
)
from benchmarks.services import STAMP, benchmarks_recompute, indicator_values_recompute
from benchmarks.tests.conftest import TODAY
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from budgets.models import BudgetLine, BudgetPlan, ExpenseType, PlanStatus, RevenueSource
from budgets.tests.factories import BudgetLineFactory, BudgetPlanFactory, RevenueEstimateFactory
from projects.tests.factories import ProjectFactory
from units import stamps
from units.tests.factories import ProvinceFactory, lao_in

pytestmark = pytest.mark.usefixtures("indicators", "classification")

YEARS = [2568, 2569, 2570]


def enacted_plan(lao, fiscal_year, *, capital, personnel, materials, own_source, grant):
    plan = BudgetPlanFactory(
        lao=lao,
        fiscal_year=fiscal_year,
        status=PlanStatus.ENACTED,
        total_expenditure=Decimal(capital + personnel + materials),
        total_revenue=Decimal(own_source + grant),
    )
    for key, amount in (
        ("LAND_BUILDINGS", capital),
        ("SALARY_PERMANENT", personnel),
        ("MATERIALS", materials),
    ):
        BudgetLineFactory(
            plan=plan, expense_type=ExpenseType.objects.get(key=key), amount=Decimal(amount)
        )
    for key, amount in (("TAXES", own_source), ("GENERAL_GRANT", grant)):
        RevenueEstimateFactory(
            plan=plan, source=RevenueSource.objects.get(key=key), amount=Decimal(amount)
        )
    return plan


@pytest.fixture
def laos(db):
    """Eight LAOs of two provinces and two peer groups, with enacted plans, projects and two
    imported indicators in three years, every figure spread so that every indicator ranks."""
    provinces = [ProvinceFactory(code="30"), ProvinceFactory(code="31")]
    laos = [
        lao_in(provinces[index % 2], population=3_000 if index < 4 else 7_000) for index in range(8)
    ]
    lpa = IndicatorFactory(code="lpa", source=Source.IMPORTED)
    ita = IndicatorFactory(code="ita", source=Source.IMPORTED)
    for index, lao in enumerate(laos):
        for offset, year in enumerate(YEARS):
            spread = (index * 7 + offset * 3) % 8 + 1
            enacted_plan(
                lao,
                year,
                capital=10_000 * spread,
                personnel=5_000 * (9 - spread),
                materials=20_000 + 1_000 * index,
                own_source=2_000 * spread,
                grant=100_000,
            )
            ProjectFactory(
                lao=lao, fiscal_year=year, disbursed_total=Decimal(5_000 * (index + offset + 1))
            )
            for indicator, base in ((lpa, 40), (ita, 60)):
                IndicatorValueFactory(
                    indicator=indicator,
                    lao=lao,
                    fiscal_year=year,
                    value=Decimal(base + (spread * 5 + index) % 37),
                    source=Source.IMPORTED,
                )
    return laos


def stored_results():
    """Every stored result a page shows, ranks included (neighbour lists aside: a one-LAO run
    refreshes only the LAO's own list, by design)."""
    version = CompositeVersion.objects.order_by("-number").first()
    return {
        "values": sorted(
            IndicatorValue.objects.values_list(
                "indicator__code", "lao_id", "fiscal_year", "value", "reason", "national_rank",
                "province_rank", "province_count", "peer_rank", "peer_count", "peer_percentile",
                "peer_quartile", "previous_national_rank",
            )
        ),
        "years": sorted(
            IndicatorYear.objects.values_list(
                "indicator__code", "fiscal_year", "laos_total", "ranked_count",
                "distinct_values", "at_best_count", "saturated", "median", "minimum", "maximum",
            )
        ),
        "peers": sorted(
            PeerStatistic.objects.values_list(
                "indicator__code", "fiscal_year", "peer_group", "ranked_count", "median"
            )
        ),
        "composite": sorted(
            CompositeScore.objects.filter(version=version).values_list(
                "lao_id", "fiscal_year", "score", "reason", "indicators_used", "national_rank",
                "province_rank", "province_count", "peer_rank", "peer_count", "peer_percentile",
                "peer_quartile", "previous_national_rank",
            )
        ),
    }  # fmt: skip


def test_one_lao_s_recompute_stores_what_a_national_run_would(laos):
    benchmarks_recompute(fiscal_years=YEARS, today=TODAY)
    before = stored_results()
    # The plan of 2569 changes (a capital line added to the enacted plan): its capital share
    # and budget per capita move, and with them everyone's ranks of 2569 and the "rank the
    # year before" of 2570.
    plan = BudgetPlan.objects.get(lao=laos[0], fiscal_year=2569)
    BudgetLineFactory(
        plan=plan, expense_type=ExpenseType.objects.get(key="LAND_BUILDINGS"), amount=900_000
    )
    BudgetPlan.objects.filter(pk=plan.pk).update(
        total_expenditure=sum(BudgetLine.objects.filter(plan=plan).values_list("amount", flat=True))
    )
    # What the data-change task runs (benchmarks.tasks.recompute_after_change).
    result = benchmarks_recompute(
        fiscal_years=[2569], lao_ids=[laos[0].pk], indicator_years=[], today=TODAY
    )
    assert result["written"]["ranks"]["ranks"] > 0
    after_one = stored_results()
    assert after_one["values"] != before["values"]
    moved_in_2570 = [
        row
        for row, old in zip(after_one["values"], before["values"], strict=True)
        if row[2] == 2570 and row[-1] != old[-1]
    ]
    assert moved_in_2570, "the year after follows the moved national ranks"

    national = benchmarks_recompute(fiscal_years=YEARS, today=TODAY)
    assert stored_results() == after_one
    assert national["written"]["ranks"]["ranks"] == 0
    assert national["written"]["composite"]["created"] is False


def test_every_recompute_moves_the_benchmarks_stamp(laos):
    def moved(run) -> bool:
        (before,) = stamps.read([STAMP])
        run()
        (after,) = stamps.read([STAMP])
        return after > before

    assert moved(lambda: benchmarks_recompute(fiscal_years=YEARS, today=TODAY))
    assert moved(
        lambda: benchmarks_recompute(
            fiscal_years=[2569], lao_ids=[laos[0].pk], indicator_years=[], today=TODAY
        )
    )
    assert moved(lambda: indicator_values_recompute(fiscal_years=[2569], today=TODAY))
    assert moved(lambda: call_command("benchmarks_recompute", "--year", "2569"))


def test_the_daily_completeness_run_moves_the_stamp_only_when_it_wrote(laos):
    (first,) = stamps.read([STAMP])
    call_command("benchmarks_recompute", "--completeness")
    (second,) = stamps.read([STAMP])
    assert second > first
    call_command("benchmarks_recompute", "--completeness")  # nothing changed
    assert stamps.read([STAMP]) == (second,)


def test_the_bulk_settings_stay_inside_the_recompute(laos):
    """The recompute turns JIT off and raises work_mem for itself only: a caller's transaction
    (a seed, a test, a shell) gets its own settings back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
        before = cursor.fetchone()
        benchmarks_recompute(fiscal_years=[2569], today=TODAY)
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
        assert cursor.fetchone() == before
