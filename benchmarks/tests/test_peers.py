"""Peer groups: kind and population band, the labels, and the set-based recompute."""

import pytest
from django.utils import translation

from benchmarks.models import PeerMembership
from benchmarks.peers import (
    POPULATION_BANDS,
    band_label,
    peer_group_label,
    peer_memberships_recompute,
)
from units.models import LAOKind
from units.tests.factories import LAOFactory


def groups():
    return dict(
        PeerMembership.objects.filter(fiscal_year=2569).values_list("lao__dla_code", "peer_group")
    )


def test_the_bands_cover_every_population_once():
    assert POPULATION_BANDS[0].low == 0
    assert POPULATION_BANDS[-1].high is None
    for lower, upper in zip(POPULATION_BANDS, POPULATION_BANDS[1:], strict=False):
        assert upper.low == lower.high + 1
        assert upper.number == lower.number + 1


def test_each_lao_joins_its_kind_and_band_at_the_edges(db):
    for code, kind, population in [
        ("1000001", LAOKind.SAO, 2_499),
        ("1000002", LAOKind.SAO, 2_500),
        ("1000003", LAOKind.SAO, 9_999),
        ("1000004", LAOKind.SUBDISTRICT_MUNICIPALITY, 10_000),
        ("1000005", LAOKind.TOWN_MUNICIPALITY, 49_999),
        ("1000006", LAOKind.PAO, 1_200_000),
    ]:
        LAOFactory(dla_code=code, kind=kind, population=population)
    LAOFactory(dla_code="1000007", population=None)  # no population: no group
    LAOFactory(dla_code="1000008", population=5_000, is_active=False)
    written = peer_memberships_recompute(fiscal_years=[2568, 2569])
    assert written == {"written": 12, "removed": 0}
    assert groups() == {
        "1000001": "sao-1",
        "1000002": "sao-2",
        "1000003": "sao-3",
        "1000004": "subdistrict-4",
        "1000005": "town-5",
        "1000006": "pao-6",
    }
    assert (
        PeerMembership.objects.get(lao__dla_code="1000002", fiscal_year=2568).population_band == 2
    )


def test_a_rerun_writes_nothing_and_a_new_population_moves_the_lao(db):
    lao = LAOFactory(population=4_000)
    other = LAOFactory(population=4_000)
    peer_memberships_recompute(fiscal_years=[2569])
    assert peer_memberships_recompute(fiscal_years=[2569]) == {"written": 0, "removed": 0}
    lao.population = 12_000
    lao.save(update_fields=["population"])
    other.population = None
    other.save(update_fields=["population"])
    # Scoped to one LAO: the other keeps its (now stale) group until its own turn.
    assert peer_memberships_recompute(fiscal_years=[2569], lao_ids=[lao.pk]) == {
        "written": 1,
        "removed": 0,
    }
    assert groups() == {lao.dla_code: "sao-4", other.dla_code: "sao-2"}
    assert peer_memberships_recompute(fiscal_years=[2569]) == {"written": 0, "removed": 1}
    assert groups() == {lao.dla_code: "sao-4"}


@pytest.mark.parametrize(
    ("language", "code", "label"),
    [
        ("th", "sao-3", "อบต. ประชากร 5,000–9,999"),
        ("en", "sao-3", "SAO, population 5,000–9,999"),
        ("th", "town-1", "ทม. ประชากร ต่ำกว่า 2,500"),
        ("en", "pao-6", "PAO, population 50,000 and more"),
        ("en", "nonsense", "nonsense"),
        ("en", "sao-9", "sao-9"),
    ],
)
def test_peer_group_labels(language, code, label):
    with translation.override(language):
        assert peer_group_label(code) == label


def test_band_labels_in_english():
    with translation.override("en"):
        assert [band_label(band.number) for band in POPULATION_BANDS] == [
            "under 2,500",
            "2,500–4,999",
            "5,000–9,999",
            "10,000–24,999",
            "25,000–49,999",
            "50,000 and more",
        ]
