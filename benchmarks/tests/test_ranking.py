"""Ranks (ties, each direction, target tolerance, province, peer group, percentile, quartile,
movement), the saturation check and the statistics of an indicator-year."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.models import Direction, IndicatorValue, IndicatorYear, PeerStatistic, Reason
from benchmarks.peers import peer_memberships_recompute
from benchmarks.ranking import indicator_ranks_recompute
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from units.tests.factories import ProvinceFactory, lao_in


@pytest.fixture
def laos(db):
    """Six SAOs: four in province 30 (population 4,000: peer group sao-2), two in province 31
    (population 8,000: sao-3)."""
    north, south = ProvinceFactory(code="30"), ProvinceFactory(code="31")
    laos = [lao_in(north, population=4_000) for _ in range(4)]
    laos += [lao_in(south, population=8_000) for _ in range(2)]
    peer_memberships_recompute(fiscal_years=[2568, 2569])
    return laos


def values(indicator, laos, numbers, year=2569):
    for lao, number in zip(laos, numbers, strict=True):
        if isinstance(number, str):
            IndicatorValueFactory(
                indicator=indicator, lao=lao, fiscal_year=year, value=None, reason=number
            )
        else:
            IndicatorValueFactory(
                indicator=indicator, lao=lao, fiscal_year=year, value=Decimal(number)
            )


def ranks(indicator, laos, field="national_rank", year=2569):
    by_lao = dict(
        IndicatorValue.objects.filter(indicator=indicator, fiscal_year=year).values_list(
            "lao_id", field
        )
    )
    return [by_lao.get(lao.pk) for lao in laos]


def test_higher_is_better_ties_share_a_rank_and_reasons_are_not_ranked(laos):
    indicator = IndicatorFactory(direction=Direction.HIGHER)
    values(indicator, laos, [30, 20, 20, 10, Reason.NOT_SUBMITTED, 40])
    indicator_ranks_recompute(fiscal_years=[2569])
    assert ranks(indicator, laos) == [2, 3, 3, 5, None, 1]
    # Province 30 ranks its four, province 31 only the one with a value.
    assert ranks(indicator, laos, "province_rank") == [1, 2, 2, 4, None, 1]
    assert ranks(indicator, laos, "province_count") == [4, 4, 4, 4, None, 1]
    # Peer group sao-2 = the first four; sao-3 has one value: rank 1 of 1, no percentile.
    assert ranks(indicator, laos, "peer_rank") == [1, 2, 2, 4, None, 1]
    assert ranks(indicator, laos, "peer_count") == [4, 4, 4, 4, None, 1]
    assert ranks(indicator, laos, "peer_percentile") == [
        Decimal("100.00"),
        Decimal("66.67"),
        Decimal("66.67"),
        Decimal("0.00"),
        None,
        None,
    ]
    assert ranks(indicator, laos, "peer_quartile") == [1, 2, 2, 4, None, None]


def test_lower_is_better(laos):
    indicator = IndicatorFactory(direction=Direction.LOWER)
    values(indicator, laos, [30, 20, 20, 10, 50, 40])
    indicator_ranks_recompute(fiscal_years=[2569])
    assert ranks(indicator, laos) == [4, 2, 2, 1, 6, 5]


def test_a_target_ranks_by_distance_and_the_tolerance_counts_as_best(laos):
    indicator = IndicatorFactory(
        direction=Direction.TARGET, target=Decimal("50"), tolerance=Decimal("5")
    )
    # 52 and 46 are on target; 60 and 40 are 5 beyond the band; 10 is 35 beyond.
    values(indicator, laos, [52, 46, 60, 10, 40, "not_final"])
    indicator_ranks_recompute(fiscal_years=[2569])
    assert ranks(indicator, laos) == [1, 1, 3, 5, 3, None]
    year = IndicatorYear.objects.get(indicator=indicator, fiscal_year=2569)
    assert (year.at_best_count, year.share_at_best, year.saturated) == (2, Decimal("40.00"), False)


def test_statistics_histogram_and_reasons(laos):
    indicator = IndicatorFactory()
    values(indicator, laos, [0, 10, 55, 100, Reason.LATE, Reason.LATE])
    indicator_ranks_recompute(fiscal_years=[2569])
    year = IndicatorYear.objects.get(indicator=indicator, fiscal_year=2569)
    assert (year.laos_total, year.ranked_count, year.distinct_values) == (6, 4, 4)
    assert (year.median, year.minimum, year.maximum) == (
        Decimal("32.5000"),
        Decimal("0.0000"),
        Decimal("100.0000"),
    )
    assert year.reasons == {"late": 2}
    assert len(year.histogram) == 10
    assert year.histogram[0] == {"from": "0", "to": "10", "count": 1}
    assert year.histogram[1] == {"from": "10", "to": "20", "count": 1}
    assert year.histogram[5] == {"from": "50", "to": "60", "count": 1}
    assert year.histogram[9] == {"from": "90", "to": "100", "count": 1}  # the maximum is in
    assert sum(b["count"] for b in year.histogram) == 4
    medians = dict(
        PeerStatistic.objects.filter(indicator=indicator).values_list("peer_group", "median")
    )
    assert medians == {"sao-2": Decimal("32.5000"), "sao-3": None}


def test_peer_medians_are_rewritten_only_when_they_change_and_dropped_with_their_group(laos):
    indicator = IndicatorFactory()
    values(indicator, laos, [0, 10, 55, 100, 20, 40])
    indicator_ranks_recompute(fiscal_years=[2569])
    assert indicator_ranks_recompute(fiscal_years=[2569])["peer_statistics"] == 0
    # Both LAOs of sao-3 shrink into sao-2: that group's median moves, sao-3's is dropped.
    for lao in laos[4:]:
        lao.population = 4_000
        lao.save()
    peer_memberships_recompute(fiscal_years=[2569])
    assert indicator_ranks_recompute(fiscal_years=[2569])["peer_statistics"] == 2
    medians = dict(
        PeerStatistic.objects.filter(indicator=indicator).values_list("peer_group", "median")
    )
    assert medians == {"sao-2": Decimal("30.0000")}


def test_a_saturated_indicator_gets_no_ranks(db):
    province = ProvinceFactory(code="30")
    laos = [lao_in(province, population=4_000) for _ in range(10)]
    peer_memberships_recompute(fiscal_years=[2569])
    passed = IndicatorFactory()
    # 9 of 10 at the best value: 90 % ≥ the threshold.
    values(passed, laos, [100] * 9 + [50])
    spread = IndicatorFactory()
    values(spread, laos, [100] * 8 + [50, 20])
    indicator_ranks_recompute(fiscal_years=[2569])
    saturated = IndicatorYear.objects.get(indicator=passed)
    assert (saturated.at_best_count, saturated.share_at_best, saturated.saturated) == (
        9,
        Decimal("90.00"),
        True,
    )
    assert set(ranks(passed, laos)) == {None}
    assert set(ranks(passed, laos, "peer_percentile")) == {None}
    # 80 % at the best and 3 distinct values: still ranked.
    assert not IndicatorYear.objects.get(indicator=spread).saturated
    assert ranks(spread, laos) == [1] * 8 + [9, 10]


def test_two_distinct_values_are_a_pass_fail_indicator(laos):
    indicator = IndicatorFactory()
    values(indicator, laos, [1, 0, 0, 1, 0, 1])
    indicator_ranks_recompute(fiscal_years=[2569])
    year = IndicatorYear.objects.get(indicator=indicator)
    assert (year.distinct_values, year.share_at_best, year.saturated) == (2, Decimal("50.00"), True)
    assert set(ranks(indicator, laos)) == {None}


def test_movement_since_last_year_and_a_corrected_last_year(laos):
    indicator = IndicatorFactory()
    values(indicator, laos, [10, 20, 30, 40, 50, 60], year=2568)
    values(indicator, laos, [60, 50, 40, 30, 20, 10], year=2569)
    indicator_ranks_recompute(fiscal_years=[2568, 2569])
    assert ranks(indicator, laos, "previous_national_rank") == [6, 5, 4, 3, 2, 1]
    first = IndicatorValue.objects.get(indicator=indicator, lao=laos[0], fiscal_year=2569)
    assert (first.national_rank, first.movement) == (1, 5)
    # Last year's figure of the first LAO is corrected; ranking that year alone also moves
    # this year's "rank the year before".
    IndicatorValue.objects.filter(indicator=indicator, lao=laos[0], fiscal_year=2568).update(
        value=Decimal("99")
    )
    indicator_ranks_recompute(fiscal_years=[2568])
    assert ranks(indicator, laos, "previous_national_rank") == [1, 6, 5, 4, 3, 2]


def test_a_rerun_writes_nothing_and_one_changed_value_reranks_everyone(laos):
    indicator = IndicatorFactory()
    values(indicator, laos, [10, 20, 30, 40, 50, 60])
    indicator_ranks_recompute(fiscal_years=[2569])
    assert indicator_ranks_recompute(fiscal_years=[2569]) == {
        "years": 0,
        "ranks": 0,
        "peer_statistics": 0,
        "changed_years": [],
    }
    IndicatorValue.objects.filter(indicator=indicator, lao=laos[0]).update(value=Decimal("70"))
    written = indicator_ranks_recompute(fiscal_years=[2569])
    assert ranks(indicator, laos) == [1, 6, 5, 4, 3, 2]
    assert written["ranks"] == 6  # every rank moved
    assert written["years"] == 1  # maximum and histogram
    assert written["changed_years"] == [2569]


def test_only_the_indicator_years_given_are_ranked(laos):
    moved, other = IndicatorFactory(), IndicatorFactory()
    values(moved, laos, [10, 20, 30, 40, 50, 60])
    values(other, laos, [10, 20, 30, 40, 50, 60])
    values(moved, laos, [10, 20, 30, 40, 50, 60], year=2570)
    indicator_ranks_recompute(fiscal_years=[2569, 2570])
    # Every value of the first LAO is edited behind the pipeline's back; only `moved` of 2569 is
    # said to have changed, so only it is ranked again: the others keep their ranks and
    # statistics until they are named (or the national run).
    IndicatorValue.objects.filter(lao=laos[0]).update(value=Decimal("70"))
    written = indicator_ranks_recompute(indicator_years=[(moved.pk, 2569)])
    # 6 ranks moved, and the 6 "ranks the year before" of 2570 with them.
    assert written == {"years": 1, "ranks": 12, "peer_statistics": 1, "changed_years": [2569]}
    assert ranks(moved, laos) == [1, 6, 5, 4, 3, 2]
    assert ranks(other, laos) == [6, 5, 4, 3, 2, 1]
    assert IndicatorYear.objects.get(indicator=other).maximum == Decimal("60")
    assert ranks(moved, laos, year=2570) == [6, 5, 4, 3, 2, 1]
    # The year after, not ranked, still follows the rank the year before.
    assert ranks(moved, laos, "previous_national_rank", year=2570) == [1, 6, 5, 4, 3, 2]


def test_no_indicator_year_given_ranks_nothing(laos):
    with CaptureQueriesContext(connection) as queries:
        assert indicator_ranks_recompute(indicator_years=[]) == {
            "years": 0,
            "ranks": 0,
            "peer_statistics": 0,
            "changed_years": [],
        }
    assert [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]] == []
