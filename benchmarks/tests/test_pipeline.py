"""The whole recompute: every step in order, for all LAOs and for one LAO after its change,
through the task that follows a data change, and the command."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.models import (
    Completeness,
    CompositeScore,
    CompositeVersion,
    IndicatorValue,
    IndicatorYear,
    Neighbour,
    PeerMembership,
    Source,
)
from benchmarks.services import benchmarks_recompute
from benchmarks.tasks import benchmarks_recompute_task
from benchmarks.tests.conftest import TODAY
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from projects.tests.factories import ProjectFactory
from units.changes import data_changed
from units.models import LAO
from units.tests.factories import ProvinceFactory, lao_in

pytestmark = pytest.mark.usefixtures("indicators")

STEPS = ["indicators", "peers", "neighbours", "ranks", "composite"]


@pytest.fixture
def laos(db):
    """Six SAOs of one province and peer group, each with a project of 2569 disbursed 10 %, 20 %,
    ... 60 %, and two imported indicators with spread values (so each has a composite)."""
    province = ProvinceFactory(code="30")
    laos = [lao_in(province, population=4_000) for _ in range(6)]
    for index, lao in enumerate(laos):
        ProjectFactory(lao=lao, disbursed_total=Decimal(10_000 * (index + 1)))
    for code in ("lpa", "ita"):
        indicator = IndicatorFactory(code=code, source=Source.IMPORTED)
        for index, lao in enumerate(laos):
            IndicatorValueFactory(
                indicator=indicator, lao=lao, value=Decimal(50 + index), source=Source.IMPORTED
            )
    return laos


def rates(laos, field="national_rank"):
    by_lao = dict(
        IndicatorValue.objects.filter(indicator__code="disbursement-rate").values_list(
            "lao_id", field
        )
    )
    return [by_lao.get(lao.pk) for lao in laos]


def test_the_national_run_computes_every_step(laos):
    result = benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    assert list(result["timings"])[: len(STEPS)] == STEPS
    assert rates(laos, "value") == [Decimal(f"{10 * n}.0000") for n in range(1, 7)]
    assert rates(laos) == [6, 5, 4, 3, 2, 1]
    assert PeerMembership.objects.filter(peer_group="sao-2").count() == 6
    assert Neighbour.objects.filter(lao=laos[0]).count() == 5
    # Reports: nobody sent any, all at 0 %: saturated, not ranked, out of the composite.
    assert IndicatorYear.objects.get(indicator__code="reports-on-time").saturated
    version = CompositeVersion.objects.get()
    assert set(
        CompositeScore.objects.filter(version=version).values_list("indicators_used", flat=True)
    ) == {3}
    assert CompositeScore.objects.get(version=version, lao=laos[5]).national_rank == 1
    # A second run changes nothing and makes no version.
    again = benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    assert again["written"]["composite"]["created"] is False
    assert again["written"]["ranks"] == {
        "years": 0,
        "ranks": 0,
        "peer_statistics": 0,
        "changed_years": [],
    }


def test_one_lao_s_change_reranks_its_year(laos):
    benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    neighbours_of_others = list(Neighbour.objects.exclude(lao=laos[0]).values_list())
    project = laos[0].projects.get()
    project.disbursed_total = Decimal("95000")
    project.save(update_fields=["disbursed_total"])
    result = benchmarks_recompute(fiscal_years=[2569], lao_ids=[laos[0].pk], today=TODAY)
    assert result["written"]["indicators"]["disbursement-rate"] == 1
    # Everyone's rank moved with the one value.
    assert rates(laos) == [1, 6, 5, 4, 3, 2]
    composite = result["written"]["composite"]
    assert composite["created"] and composite["version"] == 2
    assert composite["changed"] == {2569: 6}
    assert "fiscal years 2569" in CompositeVersion.objects.get(number=2).note_en
    # Only the changed LAO's own neighbour list was looked at.
    assert list(Neighbour.objects.exclude(lao=laos[0]).values_list()) == neighbours_of_others


def test_a_data_change_runs_the_pipeline_after_commit(laos, django_capture_on_commit_callbacks):
    benchmarks_recompute(fiscal_years=[2569])
    project = laos[0].projects.get()
    project.disbursed_total = Decimal("95000")
    project.save(update_fields=["disbursed_total"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        data_changed(what="test", lao_id=laos[0].pk, fiscal_year=2569)
    assert rates(laos)[0] == 6  # nothing before the commit
    for callback in callbacks:
        callback()
    # The listener's task (run at once in tests) recomputed the value and reranked the year.
    assert rates(laos) == [1, 6, 5, 4, 3, 2]
    assert CompositeVersion.objects.count() == 2


def lpa_ranks(laos):
    by_lao = dict(
        IndicatorValue.objects.filter(indicator__code="lpa").values_list("lao_id", "national_rank")
    )
    return [by_lao.get(lao.pk) for lao in laos]


def test_a_changed_value_reranks_only_its_indicator_year(laos):
    benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    # A stale rank planted behind the pipeline's back shows whether an indicator is ranked again.
    IndicatorValue.objects.filter(indicator__code="lpa").update(national_rank=99)
    project = laos[0].projects.get()
    project.disbursed_total = Decimal("95000")
    project.save(update_fields=["disbursed_total"])
    result = benchmarks_recompute(
        fiscal_years=[2569], lao_ids=[laos[0].pk], indicator_years=[], today=TODAY
    )
    assert rates(laos) == [1, 6, 5, 4, 3, 2]
    assert lpa_ranks(laos) == [99] * 6  # not ranked again
    assert result["written"]["ranks"]["changed_years"] == [2569]
    assert result["written"]["composite"]["changed"] == {2569: 6}
    # The national run ranks everything, and repairs it.
    benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    assert lpa_ranks(laos) == [6, 5, 4, 3, 2, 1]


def test_an_unchanged_lao_reranks_nothing(laos):
    benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        result = benchmarks_recompute(
            fiscal_years=[2569], lao_ids=[laos[0].pk], indicator_years=[], today=TODAY
        )
    statements = " ".join(query["sql"] for query in queries)
    assert "bm_ranked" not in statements and "bm_composite" not in statements
    assert result["written"]["ranks"]["changed_years"] == []
    assert result["written"]["composite"]["created"] is False


def test_the_indicator_years_of_an_upload_are_ranked(laos):
    benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    lpa = IndicatorValue.objects.get(indicator__code="lpa", lao=laos[0]).indicator
    # An upload writes imported values itself: the pipeline does not see them change.
    IndicatorValue.objects.filter(indicator=lpa, lao=laos[0]).update(value=Decimal("99"))
    benchmarks_recompute_task.enqueue(
        fiscal_years=[2569], lao_ids=[laos[0].pk], indicator_years=[[lpa.pk, 2569]]
    )
    assert lpa_ranks(laos) == [1, 6, 5, 4, 3, 2]
    assert CompositeVersion.objects.count() == 2
    # Without saying which (None), every indicator of the year is ranked, as uploads did.
    IndicatorValue.objects.filter(indicator=lpa, lao=laos[0]).update(value=Decimal("1"))
    benchmarks_recompute_task.enqueue(fiscal_years=[2569], lao_ids=[laos[0].pk])
    assert lpa_ranks(laos) == [6, 5, 4, 3, 2, 1]


def test_a_changed_peer_group_reranks_its_year(laos):
    benchmarks_recompute(fiscal_years=[2569], today=TODAY)
    IndicatorValue.objects.filter(indicator__code="lpa").update(peer_rank=99)
    LAO.objects.filter(pk=laos[0].pk).update(population=8_000)  # sao-2 → sao-3
    benchmarks_recompute(fiscal_years=[2569], lao_ids=[laos[0].pk], indicator_years=[], today=TODAY)
    ranks = dict(
        IndicatorValue.objects.filter(indicator__code="lpa").values_list("lao_id", "peer_rank")
    )
    assert [ranks[lao.pk] for lao in laos] == [1, 5, 4, 3, 2, 1]


def test_the_daily_completeness_command(laos, capsys):
    call_command("benchmarks_recompute", "--completeness")
    out = capsys.readouterr().out
    assert out.startswith("completeness: ")
    assert Completeness.objects.filter(lao=laos[0]).exists()
    assert not IndicatorYear.objects.exists()  # nothing else was computed
    call_command("benchmarks_recompute", "--completeness")
    assert "completeness: 0 written" in capsys.readouterr().out


def test_the_command_prints_each_step(laos, capsys):
    call_command("benchmarks_recompute", "--year", "2569")
    out = capsys.readouterr().out
    for step in STEPS:
        assert f"{step}: " in out
    assert "disbursement-rate: 6" in out
    assert "recomputed in" in out
