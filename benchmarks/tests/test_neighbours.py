"""Nearest neighbours on a small hand-made set: the order, the similarity formula, missing
measures, who is compared with whom, and the scope of a one-LAO run."""

from decimal import Decimal

import numpy as np
import pytest

from benchmarks.indicators import BUDGET_PER_CAPITA, OWN_SOURCE_REVENUE_SHARE
from benchmarks.models import Indicator, Neighbour
from benchmarks.neighbours import (
    NEIGHBOURS,
    neighbours_recompute,
    similarity,
    standardized_features,
)
from benchmarks.tests.factories import IndicatorValueFactory
from units.models import LAOKind
from units.tests.factories import LAOFactory

pytestmark = pytest.mark.usefixtures("indicators")


def listed(lao, year=2569):
    return list(
        Neighbour.objects.filter(lao=lao, fiscal_year=year)
        .order_by("position")
        .values_list("neighbour_id", "similarity")
    )


def test_similarity_formula():
    assert similarity(0) == Decimal("100.00")
    assert similarity(1) == Decimal("50.00")
    assert similarity(3) == Decimal("25.00")


def test_a_missing_measure_takes_the_median_of_the_kind():
    kinds = np.array(["sao", "sao", "sao", "town"])
    raw = np.array([[1.0, 5.0], [3.0, np.nan], [5.0, 7.0], [100.0, np.nan]])
    points = standardized_features(kinds, raw)
    # The SAO without the second measure sits at the SAOs' median (6); the town, the only one
    # of its kind, at the median of all (6) too: both at the mean, z = 0.
    assert points[1, 1] == pytest.approx(0.0)
    assert points[3, 1] == pytest.approx(0.0)
    assert points[:, 0].mean() == pytest.approx(0.0)
    assert points[:, 0].std() == pytest.approx(1.0)


def test_the_nearest_come_first_with_their_similarity(db):
    # Twenty SAOs of equal area and no budget figures: only population separates them.
    populations = [1_000 * (index + 1) for index in range(20)]
    laos = [LAOFactory(population=people, area_km2=Decimal("50")) for people in populations]
    written = neighbours_recompute(fiscal_years=[2569])
    assert written == {"written": 20 * NEIGHBOURS, "removed": 0}
    logs = np.log1p(np.array(populations, dtype=float))
    z = (logs - logs.mean()) / logs.std()
    # The 10,000-person SAO: its nearest on the log scale are 11,000 then 9,000.
    subject = 9
    expected = sorted(
        (abs(z[other] - z[subject]), laos[other].pk) for other in range(20) if other != subject
    )[:NEIGHBOURS]
    found = listed(laos[subject])
    assert [lao_id for lao_id, _ in found] == [lao_id for _, lao_id in expected]
    assert [score for _, score in found] == [similarity(distance) for distance, _ in expected]
    assert found[0][0] == laos[10].pk
    assert found[1][0] == laos[8].pk
    # Never itself; similarity falls down the list.
    assert laos[subject].pk not in {lao_id for lao_id, _ in found}
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)


def test_budget_figures_count_and_paos_are_compared_among_themselves(db):
    laos = [LAOFactory(population=5_000, area_km2=Decimal("40")) for _ in range(4)]
    pao = LAOFactory(kind=LAOKind.PAO, population=5_000, area_km2=Decimal("40"))
    other_pao = LAOFactory(kind=LAOKind.PAO, population=900_000, area_km2=Decimal("9000"))
    per_capita = Indicator.objects.get(code=BUDGET_PER_CAPITA.code)
    own_source = Indicator.objects.get(code=OWN_SOURCE_REVENUE_SHARE.code)
    # Equal in population and area: the budget figures decide. laos[1] is like laos[0].
    for lao, baht, share in zip(laos, [5000, 5100, 9000, 9000], [10, 11, 40, 40], strict=True):
        IndicatorValueFactory(indicator=per_capita, lao=lao, value=Decimal(baht))
        IndicatorValueFactory(indicator=own_source, lao=lao, value=Decimal(share))
    neighbours_recompute(fiscal_years=[2569])
    assert listed(laos[0])[0][0] == laos[1].pk
    # The PAO, identical to the SAOs in size, is listed only with the other PAO.
    assert [lao_id for lao_id, _ in listed(pao)] == [other_pao.pk]
    assert pao.pk not in {lao_id for lao_id, _ in listed(laos[0])}
    assert len(listed(laos[0])) == 3


def test_one_lao_refreshes_only_its_own_list(db):
    laos = [
        LAOFactory(population=1_000 * (index + 1), area_km2=Decimal("50")) for index in range(5)
    ]
    neighbours_recompute(fiscal_years=[2569])
    before = {lao.pk: listed(lao) for lao in laos}
    laos[0].population = 4_900
    laos[0].save(update_fields=["population"])
    written = neighbours_recompute(fiscal_years=[2569], lao_ids=[laos[0].pk])
    assert written["written"] > 0
    assert listed(laos[0])[0][0] == laos[4].pk  # now nearest to the 5,000
    for lao in laos[1:]:
        assert listed(lao) == before[lao.pk]
    # A rerun writes nothing; the national run then refreshes the others.
    assert neighbours_recompute(fiscal_years=[2569], lao_ids=[laos[0].pk]) == {
        "written": 0,
        "removed": 0,
    }
    assert neighbours_recompute(fiscal_years=[2569])["written"] > 0
    assert listed(laos[4])[0][0] == laos[0].pk


def test_an_lao_that_left_the_registry_loses_its_list(db):
    laos = [LAOFactory(population=1_000 * (index + 1)) for index in range(3)]
    neighbours_recompute(fiscal_years=[2569])
    laos[2].is_active = False
    laos[2].save(update_fields=["is_active"])
    # Its own two positions and the second position of each other go; the others' first
    # positions are rewritten (a new neighbour or a new similarity).
    assert neighbours_recompute(fiscal_years=[2569]) == {"written": 2, "removed": 4}
    assert not Neighbour.objects.filter(lao=laos[2]).exists()
    assert listed(laos[0]) == [(laos[1].pk, listed(laos[0])[0][1])]


def test_similar_laos_are_the_nearest_neighbours_of_the_newest_year(django_assert_num_queries):
    from units.similar import similar_laos

    lao, first, second, old = (LAOFactory(kind=LAOKind.SAO) for _ in range(4))
    # Without neighbours yet: the same-kind-and-size fallback.
    assert set(similar_laos(lao)) == {first, second, old}
    Neighbour.objects.create(
        lao=lao, fiscal_year=2568, neighbour=old, position=1, similarity=Decimal("90")
    )
    for position, other in enumerate((second, first), start=1):
        Neighbour.objects.create(
            lao=lao, fiscal_year=2569, neighbour=other, position=position, similarity=Decimal(80)
        )
    with django_assert_num_queries(2):  # the newest year, then the LAOs
        assert list(similar_laos(lao, limit=5)) == [second, first]
    assert list(similar_laos(lao, limit=1)) == [second]
