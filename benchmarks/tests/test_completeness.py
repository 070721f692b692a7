"""The completeness recompute over hand-made LAOs: each item present, missing or not yet due,
the score, a re-run that writes nothing, scoping and pruning; and the freshness thresholds."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from benchmarks import completeness
from benchmarks.completeness import (
    Freshness,
    completeness_recompute,
    freshness_of,
    item_statuses,
    missing_text,
)
from benchmarks.models import Completeness, FigureQuestion, QuestionStatus, Source
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from budgets.models import PlanStatus
from budgets.tests.factories import BudgetPlanFactory
from projects.models import ReportStatus
from projects.tests.factories import ProgressReportFactory, ProjectFactory
from units.tests.factories import LAOFactory

pytestmark = pytest.mark.django_db

# Fiscal year 2569 is over (every quarter's report is due), 2570 has begun (none due yet).
TODAY = datetime.date(2026, 12, 1)
FULL_PROFILE = {
    "population": 5000,
    "households": 1500,
    "area_km2": Decimal("40.00"),
    "address": "1 หมู่ 1",
    "phone": "02 000 0000",
    "email": "saraban@lao.example.org",
    "chief_executive": "นายก ทดสอบ",
}


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def row_of(lao, year=2569) -> Completeness:
    return Completeness.objects.get(lao=lao, fiscal_year=year)


def items_of(lao, year=2569) -> dict:
    return {item["code"]: item for item in row_of(lao, year).items}


def complete_lao(**fields):
    """An LAO with every item of 2569 present."""
    lao = LAOFactory(**{**FULL_PROFILE, **fields})
    BudgetPlanFactory(
        lao=lao,
        fiscal_year=2569,
        status=PlanStatus.ENACTED,
        enacted_at=aware(datetime.date(2025, 9, 20)),
    )
    ProjectFactory(lao=lao, fiscal_year=2569)
    for quarter in (1, 2, 3):
        ProgressReportFactory(
            lao=lao,
            fiscal_year=2569,
            quarter=quarter,
            status=ReportStatus.ACCEPTED,
            submitted_at=aware(datetime.date(2026, 3 * quarter, 1)),
            reviewed_at=aware(datetime.date(2026, 3 * quarter, 5)),
        )
    ProgressReportFactory(
        lao=lao,
        fiscal_year=2569,
        quarter=4,
        status=ReportStatus.SUBMITTED,
        submitted_at=aware(datetime.date(2026, 10, 10)),
    )
    return lao


def test_every_item_present_scores_100_with_the_newest_date():
    lao = complete_lao()
    completeness_recompute(fiscal_years=[2569], today=TODAY)
    row = row_of(lao)
    assert row.score == Decimal("100.00")
    assert row.missing_count == 0
    items = items_of(lao)
    assert [item["code"] for item in row.items] == [item.code for item in completeness.ITEMS]
    assert items["budget"] == {
        "code": "budget",
        "present": True,
        "as_of": "2025-09-20",
        "due": True,
    }
    assert items["report_q1"]["as_of"] == "2026-03-05"  # accepted: the day of acceptance
    assert items["report_q4"]["as_of"] == "2026-10-10"  # submitted: the day it was sent
    assert items["imported"]["due"] is False  # no imported indicator exists
    # The LAO was saved today by the factory: its profile is the newest item.
    assert row.as_of == timezone.localdate()


def test_an_empty_lao_misses_everything_due_and_names_its_demo_fields():
    lao = LAOFactory(**FULL_PROFILE, demo_fields=["population", "email"])
    lao.phone = ""
    lao.save()
    completeness_recompute(fiscal_years=[2569], today=TODAY)
    row = row_of(lao)
    items = items_of(lao)
    assert items["profile"]["present"] is False
    assert items["profile"]["detail"] == ["population", "phone", "email"]
    assert all(
        items[code]["due"] and not items[code]["present"]
        for code in ["budget", "projects", "report_q1", "report_q2", "report_q3", "report_q4"]
    )
    assert items["questions"]["present"] is True
    # Due weights: profile 2 + budget 3 + projects 2 + reports 4 + questions 1 = 12; present 1.
    assert row.score == Decimal("8.33")
    assert row.missing_count == 7
    assert row.as_of is None  # nothing present has a date
    text = missing_text(row)
    assert text.count("; ") == 6
    assert str(completeness.ITEMS_BY_CODE["budget"].missing) in text


def test_items_not_yet_due_count_neither_way():
    lao = LAOFactory(**FULL_PROFILE)
    completeness_recompute(fiscal_years=[2570, 2571], today=TODAY)
    items = items_of(lao, 2570)
    assert items["budget"]["due"] and items["projects"]["due"]  # the year has begun
    assert not any(items[f"report_q{q}"]["due"] for q in (1, 2, 3, 4))
    # Profile 2 + questions 1 present, budget 3 + projects 2 missing.
    assert row_of(lao, 2570).score == Decimal("37.50")
    future = items_of(lao, 2571)
    assert not future["budget"]["due"] and not future["projects"]["due"]
    assert row_of(lao, 2571).score == Decimal("100.00")


def test_a_report_becomes_due_the_day_after_its_due_date():
    lao = LAOFactory(**FULL_PROFILE)
    due = datetime.date(2027, 1, 15)  # Q1 of 2570: 31 Dec + 15 days
    completeness_recompute(fiscal_years=[2570], today=due)
    assert items_of(lao, 2570)["report_q1"]["due"] is False
    completeness_recompute(fiscal_years=[2570], today=due + datetime.timedelta(days=1))
    assert items_of(lao, 2570)["report_q1"]["due"] is True


def test_unsent_and_unenacted_do_not_count():
    lao = complete_lao()
    lao.budget_plans.update(status=PlanStatus.SUBMITTED, enacted_at=None)
    lao.progress_reports.filter(quarter=2).update(status=ReportStatus.RETURNED)
    lao.progress_reports.filter(quarter=3).update(status=ReportStatus.DRAFT)
    completeness_recompute(fiscal_years=[2569], today=TODAY)
    items = items_of(lao)
    assert not items["budget"]["present"]
    assert not items["report_q2"]["present"] and not items["report_q3"]["present"]
    assert items["report_q1"]["present"] and items["report_q4"]["present"]
    assert row_of(lao).score == Decimal("58.33")  # 12 - 3 - 1 - 1 = 7 of 12


def test_imported_values_are_due_once_the_year_is_over_for_the_kinds_they_apply_to():
    lpa = IndicatorFactory(code="lpa-finance", source=Source.IMPORTED)
    IndicatorFactory(code="ita", source=Source.IMPORTED, kinds=["city"])  # not for SAOs
    IndicatorFactory(code="hidden", source=Source.IMPORTED, is_active=False)
    with_value = complete_lao()
    without = complete_lao()
    IndicatorValueFactory(
        indicator=lpa,
        lao=with_value,
        fiscal_year=2569,
        source=Source.IMPORTED,
        as_of=datetime.date(2026, 11, 20),
    )
    IndicatorValueFactory(
        indicator=lpa,
        lao=without,
        fiscal_year=2569,
        source=Source.IMPORTED,
        value=None,
        reason="not_submitted",
    )
    completeness_recompute(fiscal_years=[2569, 2570], today=TODAY)
    assert items_of(with_value)["imported"] == {
        "code": "imported",
        "present": True,
        "as_of": "2026-11-20",
        "due": True,
        "detail": [],
    }
    assert items_of(without)["imported"]["present"] is False
    assert items_of(without)["imported"]["detail"] == ["lpa-finance"]
    assert row_of(without).score == Decimal("92.31")  # 12 of 13
    assert items_of(without, 2570)["imported"]["due"] is False  # 2570 is not over


def test_open_overdue_questions_count_against_their_year():
    lao = complete_lao()
    FigureQuestion.objects.create(
        lao=lao, fiscal_year=2569, text="ตัวเลขผิด", deadline=datetime.date(2026, 11, 30)
    )
    FigureQuestion.objects.create(  # not yet overdue
        lao=lao, fiscal_year=2569, text="ตัวเลขผิด", deadline=datetime.date(2026, 12, 1)
    )
    FigureQuestion.objects.create(  # answered
        lao=lao,
        fiscal_year=2569,
        text="x",
        deadline=datetime.date(2026, 1, 1),
        status=QuestionStatus.ANSWERED,
    )
    completeness_recompute(fiscal_years=[2569, 2570], today=TODAY)
    row = row_of(lao)
    assert row.overdue_questions == 1
    assert items_of(lao)["questions"]["present"] is False
    assert row.score == Decimal("91.67")  # 11 of 12
    assert row_of(lao, 2570).overdue_questions == 0


def test_a_rerun_writes_nothing_and_a_change_rewrites_only_its_row():
    first, second = complete_lao(), LAOFactory()
    assert completeness_recompute(fiscal_years=[2569, 2570], today=TODAY)["written"] == 4
    assert completeness_recompute(fiscal_years=[2569, 2570], today=TODAY)["written"] == 0
    BudgetPlanFactory(lao=second, fiscal_year=2569, status=PlanStatus.ENACTED)
    assert completeness_recompute(fiscal_years=[2569, 2570], today=TODAY)["written"] == 1
    assert items_of(second)["budget"]["present"] is True
    assert items_of(first)["budget"]["present"] is True


def test_one_lao_is_recomputed_alone_and_inactive_laos_are_removed():
    one, other = LAOFactory(), LAOFactory()
    completeness_recompute(fiscal_years=[2569], lao_ids=[one.pk], today=TODAY)
    assert list(Completeness.objects.values_list("lao_id", flat=True)) == [one.pk]
    completeness_recompute(fiscal_years=[2569], today=TODAY)
    one.is_active = False
    one.save()
    assert completeness_recompute(fiscal_years=[2569], today=TODAY)["removed"] == 1
    assert list(Completeness.objects.values_list("lao_id", flat=True)) == [other.pk]


def test_item_statuses_read_the_json_in_order_with_labels():
    lao = LAOFactory(demo_fields=["population"])
    completeness_recompute(fiscal_years=[2569], today=TODAY)
    statuses = item_statuses(row_of(lao))
    assert [status.code for status in statuses][:3] == ["profile", "budget", "projects"]
    profile = statuses[0]
    assert profile.is_missing and "ประชากร" in profile.detail_text


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, Freshness.FRESH),
        (92, Freshness.FRESH),
        (93, Freshness.AGEING),
        (366, Freshness.AGEING),
        (367, Freshness.STALE),
        (None, Freshness.STALE),
    ],
)
def test_freshness_thresholds(age, expected):
    as_of = None if age is None else TODAY - datetime.timedelta(days=age)
    assert freshness_of(as_of, today=TODAY) == expected
