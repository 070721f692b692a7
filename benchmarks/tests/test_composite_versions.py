"""Composite versions store only the years they scored and carry the others by reference."""

from decimal import Decimal

import pytest
from django.db.models import Count
from django.urls import reverse

from benchmarks import selectors
from benchmarks.composite import composite_recompute
from benchmarks.models import CompositeScore, CompositeVersion, Direction, IndicatorValue
from benchmarks.peers import peer_memberships_recompute
from benchmarks.profile_ranking import ranking_section_context
from benchmarks.ranking import indicator_ranks_recompute
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from units.tests.factories import ProvinceFactory, lao_in

YEARS = (2567, 2568, 2569)


@pytest.fixture
def three_years(db, settings):
    """Six SAOs of one peer group, three indicators, three years of values, scored: version 1
    holds every year."""
    settings.BENCHMARKS_COMPOSITE_COALESCE_MINUTES = 0  # a version per correction
    province = ProvinceFactory(code="30")
    laos = [lao_in(province, population=4_000) for _ in range(6)]
    indicators = {
        "up": IndicatorFactory(code="up"),
        "down": IndicatorFactory(code="down", direction=Direction.LOWER),
        "heavy": IndicatorFactory(code="heavy", weight=Decimal("2")),
    }
    for year in YEARS:
        for indicator in indicators.values():
            for lao, number in zip(laos, [60, 50, 40, 30, 20, 10], strict=True):
                IndicatorValueFactory(
                    indicator=indicator, lao=lao, fiscal_year=year, value=Decimal(number)
                )
    recompute(YEARS)
    return {"laos": laos, **indicators}


def recompute(years):
    peer_memberships_recompute(fiscal_years=years)
    indicator_ranks_recompute(fiscal_years=years)
    return composite_recompute(fiscal_years=years)


def correct(setting, year, value, lao=5):
    """The last LAO's "up" of `year` corrected: it jumps from last to first (or back)."""
    IndicatorValue.objects.filter(
        indicator=setting["up"], lao=setting["laos"][lao], fiscal_year=year
    ).update(value=Decimal(value))
    return recompute([year])


def stored(version):
    """{fiscal year: rows} the version stores itself."""
    return dict(
        CompositeScore.objects.filter(version=version)
        .values_list("fiscal_year")
        .annotate(rows=Count("pk"))
        .order_by("fiscal_year")
    )


def view(version, year, field="score"):
    """The version's `field` of every LAO in `year`, read as the pages read it."""
    rows = selectors.ranking_composite(version=version, fiscal_year=year)
    return {row.lao_id: getattr(row, field) for row in rows}


def test_a_one_year_correction_stores_that_year_and_reads_the_others_from_the_older_version(
    three_years,
):
    first = CompositeVersion.objects.get()
    before = {year: view(first, year) for year in YEARS}
    result = correct(three_years, 2569, 65)
    assert result["created"] and result["changed"] == {2569: 6}
    second = CompositeVersion.objects.get(number=2)
    # Only 2569 is stored: the newest year has no year after it.
    assert stored(second) == {2569: 6}
    assert second.year_sources == {"2567": first.pk, "2568": first.pk, "2569": second.pk}
    assert (second.source_id(2568), second.source_id(2569)) == (first.pk, second.pk)
    # The older years read through version 2 are those of version 1, ranks and all.
    for year in (2567, 2568):
        assert view(second, year) == before[year]
        assert view(second, year, "national_rank") == view(first, year, "national_rank")
        assert selectors.composite_ranked_count(version=second, fiscal_year=year) == 6
    assert view(second, 2569) != before[2569]
    assert view(first, 2569) == before[2569]  # the old version as it was
    # 2569's rank the year before is read from version 1's 2568.
    last = three_years["laos"][5]
    assert view(second, 2569, "national_rank")[last.pk] == 3
    assert view(second, 2569, "previous_national_rank")[last.pk] == 6


def test_a_correction_of_an_older_year_also_refreshes_the_year_after(three_years):
    first = CompositeVersion.objects.get()
    last = three_years["laos"][5]
    assert view(first, 2568, "previous_national_rank")[last.pk] == 6
    correct(three_years, 2567, 65)
    second = CompositeVersion.objects.get(number=2)
    # 2567 scored again, 2568 copied for its rank the year before; 2569 carried.
    assert stored(second) == {2567: 6, 2568: 6}
    assert second.year_sources == {"2567": second.pk, "2568": second.pk, "2569": first.pk}
    assert view(second, 2567, "national_rank")[last.pk] == 3
    assert view(second, 2568, "previous_national_rank")[last.pk] == 3
    assert view(second, 2568) == view(first, 2568)  # the scores of 2568 did not change
    assert view(first, 2568, "previous_national_rank")[last.pk] == 6  # version 1 untouched
    assert view(second, 2569, "previous_national_rank") == view(
        first, 2569, "previous_national_rank"
    )


def test_the_pages_show_the_carried_years_of_the_current_version(
    three_years, english_client, django_assert_num_queries
):
    first = CompositeVersion.objects.get()
    lao = three_years["laos"][5]
    old_2568 = CompositeScore.objects.get(version=first, lao=lao, fiscal_year=2568)
    correct(three_years, 2569, 65)
    second = CompositeVersion.objects.get(number=2)
    # The LAO page's composite of a carried year: version 1's row, shown as version 2.
    with django_assert_num_queries(1):
        score = selectors.lao_composite(lao=lao, fiscal_year=2568)
    assert (score.score, score.national_rank, score.national_count) == (
        old_2568.score,
        old_2568.national_rank,
        6,
    )
    assert score.version.number == 2 and score.version.created_at == second.created_at
    newest = selectors.lao_composite(lao=lao, fiscal_year=2569)
    assert (newest.national_rank, newest.version.number) == (3, 2)
    # The profile's section takes the newest year, from the version holding it.
    with django_assert_num_queries(2):
        context = ranking_section_context(lao, None)
    assert (context["score"].fiscal_year, context["score"].national_rank) == (2569, 3)
    assert context["score"].version.number == 2
    # Compare and the scores of several LAOs read the carried year too.
    scores = selectors.composite_scores_of(version=second, lao_ids=[lao.pk], fiscal_year=2568)
    assert scores[lao.pk].pk == old_2568.pk
    assert selectors.composite_score_of(version=second, lao=lao, fiscal_year=2568).pk == (
        old_2568.pk
    )
    # The ranking page of a carried year, current and by ?version=.
    url = reverse("benchmarks:ranking")
    html = english_client.get(url, {"indicator": "composite", "year": 2568}).content.decode()
    assert f"{old_2568.score:.2f}" in html and "Version 2 of" in html
    response = english_client.get(url, {"indicator": "composite", "year": 2569, "version": 1})
    rows = list(response.context["rows"])
    assert response.context["version"] == first
    assert [row.national_rank for row in rows if row.lao_id == lao.pk] == [6]


def test_pruning_keeps_the_rows_a_kept_version_carries(three_years, settings):
    settings.BENCHMARKS_COMPOSITE_VERSIONS_KEPT = 2
    first = CompositeVersion.objects.get()
    old_2567 = view(first, 2567)
    for value in (65, 10, 65):  # versions 2, 3, 4, each scoring 2569 only
        correct(three_years, 2569, value)
    fourth = CompositeVersion.objects.get(number=4)
    assert fourth.year_sources == {"2567": first.pk, "2568": first.pk, "2569": fourth.pk}
    # Version 1 is out of the window, but 2567 and 2568 are still read from it; its 2569 and
    # the whole of version 2 are gone.
    assert stored(first) == {2567: 6, 2568: 6}
    assert stored(CompositeVersion.objects.get(number=2)) == {}
    assert stored(CompositeVersion.objects.get(number=3)) == {2569: 6}
    assert view(fourth, 2567) == old_2567
    # Once no kept version carries them, they go too.
    correct(three_years, 2567, 65)  # version 5: 2567 and 2568 its own
    assert CompositeVersion.objects.get(number=5).source_id(2568) != first.pk
    correct(three_years, 2567, 10)  # version 6: version 4 leaves the window
    assert stored(first) == {}
    assert view(CompositeVersion.objects.get(number=6), 2567) == old_2567


def test_an_open_version_first_takes_in_the_years_it_carried(three_years, settings):
    settings.BENCHMARKS_COMPOSITE_COALESCE_MINUTES = 15
    first = CompositeVersion.objects.get()
    correct(three_years, 2569, 65)
    second = CompositeVersion.objects.get(number=2)
    assert stored(second) == {2569: 6}
    # A correction of 2567 minutes later goes into version 2: 2567 and 2568 copied into it.
    result = correct(three_years, 2567, 65)
    assert (result["created"], result["amended"], result["version"]) == (False, True, 2)
    second.refresh_from_db()
    assert second.year_sources == {"2567": second.pk, "2568": second.pk, "2569": second.pk}
    assert stored(second) == {2567: 6, 2568: 6, 2569: 6}
    last = three_years["laos"][5]
    assert view(second, 2567, "national_rank")[last.pk] == 3
    assert view(second, 2568, "previous_national_rank")[last.pk] == 3
    # The note compares every year against version 1, which is as it was.
    assert second.note_en == (
        "Corrected figures: the scores of 12 LAOs changed since version 1 "
        "(fiscal years 2567, 2569)."
    )
    assert stored(first) == {2567: 6, 2568: 6, 2569: 6}
    assert view(first, 2567, "national_rank")[last.pk] == 6
