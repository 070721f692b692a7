"""The composite score: method, missing values, saturation, ranks and versions."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from benchmarks.composite import MINIMUM_INDICATORS, composite_method, composite_recompute
from benchmarks.models import CompositeScore, CompositeVersion, Direction, IndicatorValue, Reason
from benchmarks.peers import peer_memberships_recompute
from benchmarks.ranking import indicator_ranks_recompute
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from units.tests.factories import ProvinceFactory, lao_in


@pytest.fixture
def setting(db):
    """Six SAOs of one peer group (sao-2) and three indicators: `up` (higher better), `down`
    (lower better) and `heavy` (higher better, weight 2)."""
    province = ProvinceFactory(code="30")
    laos = [lao_in(province, population=4_000) for _ in range(6)]
    up = IndicatorFactory(code="up")
    down = IndicatorFactory(code="down", direction=Direction.LOWER)
    heavy = IndicatorFactory(code="heavy", weight=Decimal("2"))
    return {"laos": laos, "up": up, "down": down, "heavy": heavy}


def put(indicator, laos, numbers, year=2569):
    for lao, number in zip(laos, numbers, strict=True):
        if number is None:
            IndicatorValueFactory(
                indicator=indicator, lao=lao, fiscal_year=year, value=None, reason=Reason.LATE
            )
        else:
            IndicatorValueFactory(
                indicator=indicator, lao=lao, fiscal_year=year, value=Decimal(number)
            )


def recompute(years=(2569,)):
    peer_memberships_recompute(fiscal_years=years)
    indicator_ranks_recompute(fiscal_years=years)
    return composite_recompute(fiscal_years=years)


def scores(laos, version=None, field="score", year=2569):
    version = version or CompositeVersion.objects.order_by("-number").first()
    by_lao = dict(
        CompositeScore.objects.filter(
            version_id=version.source_id(year), fiscal_year=year
        ).values_list("lao_id", field)
    )
    return [by_lao.get(lao.pk) for lao in laos]


def test_weighted_mean_of_peer_percentiles(setting):
    laos = setting["laos"]
    put(setting["up"], laos, [60, 50, 40, 30, 20, 10])  # percentiles 100, 80, ..., 0
    put(setting["down"], laos, [60, 50, 40, 30, 20, 10])  # 0, 20, ..., 100
    put(setting["heavy"], laos, [60, 50, 40, 30, 20, None])  # 100, 75, 50, 25, 0; one late
    result = recompute()
    assert result["created"] and result["version"] == 1
    # (100 + 0 + 2×100) / 4 = 75; (80 + 20 + 2×75) / 4 = 62.5; ...; the last has 2 of 3.
    assert scores(laos) == [
        Decimal("75.00"),
        Decimal("62.50"),
        Decimal("50.00"),
        Decimal("37.50"),
        Decimal("25.00"),
        None,
    ]
    assert scores(laos, field="reason")[-1] == Reason.TOO_FEW
    assert scores(laos, field="indicators_used") == [3, 3, 3, 3, 3, 2]
    assert scores(laos, field="national_rank") == [1, 2, 3, 4, 5, None]
    assert scores(laos, field="peer_percentile") == [
        Decimal("100.00"),
        Decimal("75.00"),
        Decimal("50.00"),
        Decimal("25.00"),
        Decimal("0.00"),
        None,
    ]
    assert scores(laos, field="peer_quartile") == [1, 1, 2, 3, 4, None]
    version = CompositeVersion.objects.get()
    assert version.method == composite_method()
    assert version.method["weights"] == {"down": "1", "heavy": "2", "up": "1"}
    assert version.method["minimum_indicators"] == MINIMUM_INDICATORS
    assert version.note_en == "First version of the composite scores."
    assert version.note_th


def test_an_unchanged_rerun_makes_no_version(setting):
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    recompute()
    result = recompute()
    assert (result["created"], result["version"], result["ranks"]) == (False, 1, 0)
    assert CompositeVersion.objects.count() == 1
    assert CompositeScore.objects.count() == 6


def test_a_corrected_figure_makes_a_new_version_and_keeps_the_old(setting):
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    put(setting["up"], laos, [60, 50, 40, 30, 20, 10], year=2568)
    put(setting["down"], laos, [60, 50, 40, 30, 20, 10], year=2568)
    put(setting["heavy"], laos, [60, 50, 40, 30, 20, 10], year=2568)
    recompute(years=(2568, 2569))
    first = CompositeVersion.objects.get()
    old = scores(laos, first)
    # The last LAO's "up" of 2569 is corrected from 10 to 65: it jumps, the others slip.
    IndicatorValue.objects.filter(indicator=setting["up"], lao=laos[5], fiscal_year=2569).update(
        value=Decimal("65")
    )
    result = recompute()
    assert result["created"] and result["version"] == 2
    assert result["changed"] == {2569: 6}
    second = CompositeVersion.objects.get(number=2)
    assert second.note_en == (
        "Corrected figures: the scores of 6 LAOs changed since version 1 (fiscal years 2569)."
    )
    assert "6" in second.note_th and "2569" in second.note_th
    assert scores(laos, first) == old  # the old version is kept as it was
    assert scores(laos, second) != old
    # The year not recomputed is carried over, ranks and all, with last year's rank known.
    assert scores(laos, second, year=2568) == scores(laos, first, year=2568)
    assert scores(laos, second, field="national_rank", year=2568) == [1, 2, 3, 4, 5, 6]
    assert scores(laos, second, field="previous_national_rank")[5] == 6
    # Only the year scored again is stored; 2568 is read from version 1.
    assert second.year_sources == {"2568": first.pk, "2569": second.pk}
    assert CompositeScore.objects.filter(version=second).count() == 6


def test_a_new_version_writes_only_the_ranks_a_correction_moved(setting):
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    recompute()
    # The first LAO's "down" improves: a higher score, still first.
    IndicatorValue.objects.filter(indicator=setting["down"], lao=laos[0], fiscal_year=2569).update(
        value=Decimal("5")
    )
    result = recompute()
    assert result["created"] and result["version"] == 2
    assert result["changed"] == {2569: 6}  # every "down" percentile in the group moved
    assert scores(laos, field="national_rank") == [1, 2, 3, 4, 5, 6]
    assert scores(laos, field="peer_quartile") == [1, 1, 2, 3, 4, 4]
    assert result["ranks"] == 0  # the new version's rows start from the ranks they had
    # The last two swap places: only their ranks are written.
    IndicatorValue.objects.filter(indicator=setting["heavy"], lao=laos[5], fiscal_year=2569).update(
        value=Decimal("25")
    )
    result = recompute()
    assert scores(laos, field="national_rank") == [1, 2, 3, 4, 6, 5]
    assert scores(laos, field="previous_national_rank") == [None] * 6
    assert result["ranks"] == 2


def test_only_the_newest_versions_keep_their_scores(setting, settings):
    settings.BENCHMARKS_COMPOSITE_VERSIONS_KEPT = 2
    settings.BENCHMARKS_COMPOSITE_COALESCE_MINUTES = 0  # a version per correction
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    recompute()
    for corrected in (65, 10, 65):  # each moves the last LAO, so each changes scores
        IndicatorValue.objects.filter(
            indicator=setting["up"], lao=laos[5], fiscal_year=2569
        ).update(value=Decimal(corrected))
        recompute()
    assert list(CompositeVersion.objects.values_list("number", flat=True)) == [4, 3, 2, 1]
    kept = CompositeScore.objects.values_list("version__number", flat=True).distinct()
    assert sorted(kept) == [3, 4]
    # The old versions still say what they were and why.
    assert CompositeVersion.objects.get(number=2).note_en.startswith("Corrected figures")


def correct(setting, value, lao=5, code="up"):
    IndicatorValue.objects.filter(
        indicator=setting[code], lao=setting["laos"][lao], fiscal_year=2569
    ).update(value=Decimal(value))
    return recompute()


def test_corrections_in_a_row_go_into_the_open_version(setting, settings):
    settings.BENCHMARKS_COMPOSITE_COALESCE_MINUTES = 15
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    recompute()
    first = scores(laos)
    # The first correction after the first version makes version 2 (the first is never amended).
    assert correct(setting, 65)["created"]
    second = CompositeVersion.objects.get(number=2)
    # A second correction minutes later is written into version 2: no third version, version 1
    # as it was, and version 2's note said again against version 1.
    result = correct(setting, 55, lao=4, code="down")
    assert (result["created"], result["amended"], result["version"]) == (False, True, 2)
    assert result["changed"] == {2569: 4}  # "down" of LAOs 1–4 moved
    assert CompositeVersion.objects.count() == 2
    assert scores(laos, CompositeVersion.objects.get(number=1)) == first
    # up 0, down 20, heavy 20: (0 + 20 + 2×20) / 4; from 5th to last, and its ranks follow.
    assert scores(laos, second)[4] == Decimal("15.00")
    assert scores(laos, second, field="national_rank")[4] == 6
    second.refresh_from_db()
    assert second.note_en == (
        "Corrected figures: the scores of 3 LAOs changed since version 1 (fiscal years 2569)."
    )
    assert CompositeScore.objects.filter(version=second).count() == 6
    # Both corrections undone: the open version says so.
    correct(setting, 10)
    correct(setting, 20, lao=4, code="down")
    second.refresh_from_db()
    assert scores(laos, second) == first
    assert (
        second.note_en
        == "Corrected figures, then corrected back: the scores are those of version 1."
    )
    # Once the version is older than the window, a correction makes a new version.
    CompositeVersion.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert correct(setting, 65)["version"] == 3
    assert CompositeVersion.objects.get(number=2).note_en == second.note_en


def test_a_method_change_version_is_never_amended(setting, settings):
    settings.BENCHMARKS_COMPOSITE_COALESCE_MINUTES = 15
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], setting["laos"], [60, 50, 40, 30, 20, 10])
    recompute()
    setting["heavy"].weight = Decimal("1")
    setting["heavy"].save(update_fields=["weight"])
    assert recompute()["version"] == 2
    result = correct(setting, 65)
    assert (result["created"], result["version"]) == (True, 3)


def test_a_method_change_makes_a_new_version(setting):
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    recompute()
    setting["heavy"].weight = Decimal("1")
    setting["heavy"].save(update_fields=["weight"])
    result = recompute()
    assert result["created"] and result["version"] == 2
    version = CompositeVersion.objects.get(number=2)
    assert version.method["weights"]["heavy"] == "1"
    assert version.note_en.startswith("Method changed since version 1")
    # Hiding an indicator changes the method too.
    setting["down"].is_active = False
    setting["down"].save(update_fields=["is_active"])
    assert recompute()["version"] == 3
    assert scores(laos, field="indicators_used") == [2] * 6
    assert set(scores(laos, field="reason")) == {Reason.TOO_FEW}


def test_a_saturated_indicator_is_left_out(setting):
    laos = setting["laos"]
    for indicator in ("up", "down", "heavy"):
        put(setting[indicator], laos, [60, 50, 40, 30, 20, 10])
    passed = IndicatorFactory(code="passed", weight=Decimal("5"))
    put(passed, laos, [100, 100, 100, 100, 100, 100])
    recompute()
    assert scores(laos, field="indicators_used") == [3] * 6
    # Same scores as without it: (100 + 0 + 200) / 4 = 75 for the first.
    assert scores(laos)[0] == Decimal("75.00")


def test_a_group_too_small_is_normalized_nationally(db):
    """Bangkok is a peer group of one: its percentile comes from all LAOs."""
    province = ProvinceFactory(code="10")
    laos = [lao_in(province, population=4_000) for _ in range(4)]
    laos.append(lao_in(province, kind="bangkok", population=5_500_000))
    indicators = [IndicatorFactory(code=f"i{n}") for n in range(3)]
    for indicator in indicators:
        put(indicator, laos, [10, 20, 30, 40, 50])
    recompute()
    # Bangkok: best of five nationally on each = 100; the SAOs (a group of four < 5) too are
    # normalized nationally: 0, 25, 50, 75.
    assert scores(laos) == [
        Decimal("0.00"),
        Decimal("25.00"),
        Decimal("50.00"),
        Decimal("75.00"),
        Decimal("100.00"),
    ]
