"""The recompute (idempotent, scoped, pruned), the sync of declarations, and the recompute
enqueued after a plan is enacted or a report accepted."""

import datetime
import pathlib
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from benchmarks.indicators import CAPITAL_SHARE, computed_indicators
from benchmarks.models import Indicator, IndicatorValue
from benchmarks.services import indicator_values_recompute, indicators_sync
from benchmarks.tests.conftest import TODAY
from budgets import services as budget_services
from budgets.models import PlanStatus
from budgets.services import LineData
from budgets.tests.factories import BudgetPlanFactory
from projects import reports
from projects.models import ReportStatus
from projects.tests.factories import ProgressReportFactory, ProjectFactory
from units.changes import data_changed

pytestmark = pytest.mark.usefixtures("indicators")


def snapshot():
    return sorted(
        IndicatorValue.objects.values_list(
            "indicator__code", "lao_id", "fiscal_year", "value", "reason", "status", "as_of"
        )
    )


def test_recompute_is_idempotent(tree):
    BudgetPlanFactory(lao=tree.lao, fiscal_year=2569, status=PlanStatus.ENACTED)
    ProjectFactory(lao=tree.neighbour, fiscal_year=2569, disbursed_total=Decimal("5000"))
    first = indicator_values_recompute(today=TODAY)
    before = snapshot()
    computed_at = set(IndicatorValue.objects.values_list("computed_at", flat=True))
    second = indicator_values_recompute(today=TODAY)
    assert sum(first.values()) == len(computed_indicators()) * 3  # 3 LAOs × the one year
    # Nothing changed, so nothing is written again.
    assert set(second.values()) == {0}
    assert snapshot() == before
    assert set(IndicatorValue.objects.values_list("computed_at", flat=True)) == computed_at


def test_recompute_of_one_lao_leaves_the_others(tree):
    ProjectFactory(lao=tree.lao, fiscal_year=2569, disbursed_total=Decimal("5000"))
    written = indicator_values_recompute(fiscal_years=[2569], lao_ids=[tree.lao.pk], today=TODAY)
    assert written["disbursement-rate"] == 1
    assert set(IndicatorValue.objects.values_list("lao_id", flat=True)) == {tree.lao.pk}
    rate = IndicatorValue.objects.get(indicator__code="disbursement-rate", lao=tree.lao)
    assert rate.value == Decimal("5.0000")


def test_a_changed_figure_is_written_again(tree):
    project = ProjectFactory(lao=tree.lao, fiscal_year=2569)
    indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    project.disbursed_total = Decimal("25000")
    project.save(update_fields=["disbursed_total"])
    written = indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    assert written["disbursement-rate"] == 1
    assert written["capital-share"] == 0
    rate = IndicatorValue.objects.get(indicator__code="disbursement-rate", lao=tree.lao)
    assert rate.value == Decimal("25.0000")


def test_values_of_an_lao_that_left_the_registry_are_removed(tree):
    indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    tree.far.is_active = False
    tree.far.save(update_fields=["is_active"])
    written = indicator_values_recompute(fiscal_years=[2569], today=TODAY)
    assert written["removed"] == len(computed_indicators())
    assert not IndicatorValue.objects.filter(lao=tree.far).exists()


def test_recompute_refuses_indicators_not_synced(tree):
    Indicator.objects.filter(code="capital-share").delete()
    with pytest.raises(ValueError, match="capital-share"):
        indicator_values_recompute(fiscal_years=[2569], today=TODAY)


def test_sync_creates_updates_and_hides(db):
    assert indicators_sync() == {"created": 0, "updated": 0, "hidden": 0}
    assert Indicator.objects.computed().count() == len(computed_indicators())
    renamed = CAPITAL_SHARE.__class__(**{**vars(CAPITAL_SHARE), "name_en": "Investment share"})
    others = [d for d in computed_indicators() if d.code != "capital-share"]
    assert indicators_sync(declarations=[renamed, *others[1:]]) == {
        "created": 0,
        "updated": 1 + len(others) - 1,  # the renamed one, and the order of the others moved
        "hidden": 1,
    }
    assert Indicator.objects.get(code="capital-share").name_en == "Investment share"
    assert not Indicator.objects.get(code=others[0].code).is_active


def test_commands_sync_and_recompute(tree, capsys):
    ProjectFactory(lao=tree.lao, fiscal_year=2569)
    call_command("benchmarks_sync_indicators")
    call_command("benchmarks_recompute", "--year", "2569", "--lao", tree.lao.dla_code)
    out = capsys.readouterr().out
    assert "disbursement-rate: 1" in out
    assert "recomputed in" in out
    assert set(IndicatorValue.objects.values_list("lao_id", flat=True)) == {tree.lao.pk}


# --- The recompute after a change (units.changes → benchmarks.tasks) ---------------------------


def submitted_plan(tree, classification):
    plan = budget_services.budget_plan_create(lao=tree.lao, fiscal_year=2570, user=tree.officer)
    plan = budget_services.budget_plan_save(
        plan=plan,
        user=tree.officer,
        version=plan.version,
        lines=[
            LineData(classification.education.pk, classification.materials.pk, "วัสดุ", Decimal(1))
        ],
        revenues={classification.grant.pk: Decimal(1)},
    )
    return budget_services.budget_plan_submit(plan=plan, user=tree.officer, version=plan.version)


def test_enacting_a_plan_recomputes_its_lao_after_commit(
    tree, classification, django_capture_on_commit_callbacks
):
    plan = submitted_plan(tree, classification)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        budget_services.budget_plan_enact(plan=plan, user=tree.staff, version=plan.version)
    # Nothing is computed before the enactment commits.
    assert not IndicatorValue.objects.exists()
    for callback in callbacks:
        callback()
    # The task (run at once by the tests' backend) computed the LAO's year, and only that.
    assert set(IndicatorValue.objects.values_list("lao_id", "fiscal_year")) == {(tree.lao.pk, 2570)}
    share = IndicatorValue.objects.get(indicator__code="capital-share")
    assert (share.value, share.reason) == (Decimal("0.0000"), "")


def test_a_returned_plan_recomputes_nothing(
    tree, classification, django_capture_on_commit_callbacks
):
    plan = submitted_plan(tree, classification)
    with django_capture_on_commit_callbacks(execute=True):
        budget_services.budget_plan_return(
            plan=plan, user=tree.staff, version=plan.version, comment="แก้ไข"
        )
    assert not IndicatorValue.objects.exists()


def test_accepting_a_report_recomputes_its_lao_after_commit(
    tree, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(
        lao=tree.lao,
        fiscal_year=2569,
        quarter=1,
        status=ReportStatus.SUBMITTED,
        submitted_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
        submitted_by=tree.officer,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_accept(report=report, user=tree.staff, version=report.version)
    on_time = IndicatorValue.objects.get(indicator__code="reports-on-time", lao=tree.lao)
    assert on_time.fiscal_year == 2569
    assert on_time.value is not None
    assert not IndicatorValue.objects.exclude(lao=tree.lao).exists()


def test_a_change_is_told_only_after_the_commit(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        data_changed(what="test", lao_id=tree.lao.pk, fiscal_year=2569)
    # Exactly one listener (benchmarks), and it waits for the commit.
    assert len(callbacks) == 1
    assert not IndicatorValue.objects.exists()


def test_lower_apps_never_import_benchmarks():
    """The design's arrows: budgets, projects and units learn nothing of benchmarks (they call
    units.changes, which benchmarks listens to)."""
    pattern = re.compile(r"^\s*(from|import)\s+benchmarks\b", re.MULTILINE)
    offenders = [
        str(path)
        for app in ("units", "budgets", "projects")
        for path in (pathlib.Path(settings.BASE_DIR) / app).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
