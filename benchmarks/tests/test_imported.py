"""The declarations of the imported indicators (LPA per area, ITA) and their sync."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks.imported import (
    ITA,
    LPA_CODES,
    imported_indicators,
    imported_indicators_sync,
)
from benchmarks.models import Area, Indicator, Rating, Source, Unit
from benchmarks.tests.factories import IndicatorFactory
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODES = {
    "lpa-management": Area.MANAGEMENT,
    "lpa-personnel": Area.PERSONNEL,
    "lpa-finance": Area.FINANCE,
    "lpa-services": Area.SERVICES,
    "lpa-governance": Area.GOVERNANCE,
    "ita": Area.GOVERNANCE,
}


def test_sync_creates_one_imported_indicator_per_lpa_area_and_ita():
    assert imported_indicators_sync() == {"created": 6, "updated": 0}
    rows = {indicator.code: indicator for indicator in Indicator.objects.all()}
    assert {code: rows[code].area for code in CODES} == CODES
    assert set(LPA_CODES) == set(CODES) - {"ita"}
    for indicator in rows.values():
        assert indicator.source == Source.IMPORTED
        assert indicator.is_active
        assert indicator.name_th and indicator.name_en
        assert indicator.meaning_th and indicator.meaning_en
        assert indicator.formula_th and indicator.formula_en
        assert indicator.norm_th and indicator.norm_en  # a norm, or why there is none
        assert indicator.sort_order >= 100  # after the computed ones
    assert rows["lpa-finance"].unit == Unit.PERCENT
    assert rows["ita"].unit == Unit.SCORE
    # The LPA pass mark is an average over the five areas: no band per area is invented.
    assert all(rows[code].bands == [] for code in LPA_CODES)
    assert "70" in rows["lpa-finance"].norm_en and "98.80" in rows["lpa-finance"].norm_en
    # ITA: NACC's pass mark of 85.
    ita = rows["ita"]
    assert ita.rating_of(Decimal("85")) == Rating.GOOD
    assert ita.rating_of(Decimal("84.99")) == Rating.WEAK
    assert "85" in ita.norm_en


def test_sync_is_idempotent_restores_texts_and_keeps_the_admins_choices():
    imported_indicators_sync()
    before = {indicator.code: indicator.updated_at for indicator in Indicator.objects.all()}
    assert imported_indicators_sync() == {"created": 0, "updated": 0}
    assert {i.code: i.updated_at for i in Indicator.objects.all()} == before

    Indicator.objects.filter(code="ita").update(name_en="Edited", is_active=False)
    # An admin's own imported indicator is not the sync's business.
    own = IndicatorFactory(code="water-quality", source=Source.IMPORTED, unit=Unit.SCORE)
    assert imported_indicators_sync() == {"created": 0, "updated": 1}
    ita = Indicator.objects.get(code="ita")
    assert ita.name_en == ITA.name_en
    assert not ita.is_active  # hidden by an admin stays hidden
    own.refresh_from_db()
    assert own.source == Source.IMPORTED and own.is_active


def test_a_computed_indicator_with_a_declared_code_is_refused():
    IndicatorFactory(code="ita", source=Source.COMPUTED)
    with pytest.raises(ValueError, match="ita"):
        imported_indicators_sync()


def test_the_sync_command_syncs_computed_and_imported_indicators():
    out = io.StringIO()
    call_command("benchmarks_sync_indicators", stdout=out)
    assert "imported indicators: 6 created" in out.getvalue()
    assert Indicator.objects.filter(source=Source.IMPORTED).count() == len(imported_indicators())
    assert Indicator.objects.filter(source=Source.COMPUTED).exists()


def test_admin_keeps_declared_imported_texts_read_only_but_not_an_admins_own(client):
    imported_indicators_sync()
    own = IndicatorFactory(code="water-quality", source=Source.IMPORTED)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    ita = Indicator.objects.get(code="ita")
    page = client.get(reverse("admin:benchmarks_indicator_change", args=[ita.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_en"' not in html and 'name="is_active"' in html
    assert (
        client.get(reverse("admin:benchmarks_indicator_delete", args=[ita.pk])).status_code == 403
    )
    html = client.get(reverse("admin:benchmarks_indicator_change", args=[own.pk])).content.decode()
    assert 'name="name_en"' in html
