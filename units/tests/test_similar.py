"""The "similar LAOs" provider: the fallback (same kind and population band, same province first)
and a registered provider replacing it."""

import pytest

from units.models import LAO, LAOKind
from units.similar import register_similar_laos_provider, similar_laos
from units.tests.factories import ProvinceFactory, lao_in

pytestmark = pytest.mark.django_db


def test_fallback_same_kind_and_population_band_same_province_first():
    home, other = ProvinceFactory(code="40"), ProvinceFactory(code="41")
    lao = lao_in(home, population=10_000)
    far_close = lao_in(other, population=10_100)
    home_less_close = lao_in(home, population=14_000)
    lao_in(home, population=30_000)  # beyond twice
    lao_in(home, population=10_000, kind=LAOKind.TOWN_MUNICIPALITY)  # another kind
    lao_in(home, population=10_000, is_active=False)  # no longer in the registry
    assert list(similar_laos(lao, limit=10)) == [home_less_close, far_close]
    assert list(similar_laos(lao, limit=1)) == [home_less_close]


def test_a_registered_provider_answers_instead():
    home = ProvinceFactory(code="40")
    lao, other = lao_in(home), lao_in(home, kind=LAOKind.PAO)
    previous = register_similar_laos_provider(
        lambda lao, limit: LAO.objects.filter(pk=other.pk)[:limit]
    )
    try:
        assert list(similar_laos(lao)) == [other]
    finally:
        register_similar_laos_provider(previous)
    assert list(similar_laos(lao)) == []
