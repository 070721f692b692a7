"""The benchmarks pages in a browser: a citizen opens the ranking of SAOs in a province, opens an
LAO's benchmark page, compares it with its nearest neighbours; axe-core finds no serious or
critical WCAG 2.1 AA violation on any of them (Thai, the default language)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from benchmarks.models import Indicator, Neighbour, PeerMembership, PeerStatistic
from benchmarks.services import indicators_sync
from benchmarks.tests.factories import (
    CompositeScoreFactory,
    CompositeVersionFactory,
    IndicatorValueFactory,
    IndicatorYearFactory,
)
from tests.e2e.test_accessibility import assert_accessible
from units.tests.factories import build_tree

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ranked():
    tree = build_tree()
    indicators_sync()
    share = Indicator.objects.get(code="personnel-share")
    laos = [tree.lao, tree.neighbour, tree.far]
    version = CompositeVersionFactory(number=1)
    for rank, (lao, value) in enumerate(zip(laos, ("22.5", "30", "45.5"), strict=True), 1):
        IndicatorValueFactory(
            indicator=share, lao=lao, value=Decimal(value), national_rank=rank,
            peer_rank=rank, peer_count=3, peer_percentile=Decimal(100 - 50 * (rank - 1)),
            peer_quartile=rank, previous_national_rank=2,
        )  # fmt: skip
        IndicatorValueFactory(indicator=share, lao=lao, fiscal_year=2568, value=Decimal("35"))
        PeerMembership.objects.create(
            lao=lao, fiscal_year=2569, peer_group="sao-3", population_band=3
        )
        CompositeScoreFactory(
            version=version,
            lao=lao, score=Decimal(90 - rank), national_rank=rank,
        )  # fmt: skip
    IndicatorYearFactory(
        indicator=share,
        histogram=[{"from": "20", "to": "35", "count": 2}, {"from": "35", "to": "50", "count": 1}],
    )
    PeerStatistic.objects.create(
        indicator=share, fiscal_year=2569, peer_group="sao-3", ranked_count=3, median=Decimal("30")
    )
    for position, other in enumerate((tree.neighbour, tree.far), 1):
        Neighbour.objects.create(
            lao=tree.lao, fiscal_year=2569, neighbour=other, position=position,
            similarity=Decimal("80") - position,
        )  # fmt: skip
    return tree


def test_citizen_ranks_opens_and_compares_accessibly(live_server, page: Page, ranked):
    page.goto(
        f"{live_server.url}/benchmarks/ranking/?indicator=personnel-share&kind=sao&province=30"
    )
    expect(page.locator("table.ranking-table tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.locator("table.ranking-table tbody tr").first.locator("a").click()
    expect(page).to_have_url(f"{live_server.url}/benchmarks/lao/6300001/?year=2569")
    expect(page.locator("svg.sparkline")).to_have_count(1)
    assert_accessible(page)
    page.locator("a[href*='/benchmarks/compare/']").click()
    expect(page.locator("table.compare-table thead th")).to_have_count(
        5
    )  # indicator, 3 LAOs, median
    assert_accessible(page)
    for path in (
        "/benchmarks/methodology/",
        "/benchmarks/indicators/personnel-share/",
        "/units/6300001/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
