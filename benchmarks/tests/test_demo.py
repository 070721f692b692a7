"""The demo seed of the imported indicators (LPA per area, ITA): every active LAO × demo year,
marked as demo data, deterministic and idempotent, with LPA saturated and ITA spread."""

import datetime
import io
import statistics
from decimal import Decimal

import pytest
from django.db.models import Count

from benchmarks.demo import demo_fiscal_years, imported_values_seed, seed_indicators
from benchmarks.imported import LPA_CODES
from benchmarks.models import Indicator, IndicatorValue, Source, ValueStatus
from units.models import LAO, LAOKind
from units.tests.factories import LAOFactory, SubdistrictFactory
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db

LAOS = 400
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def laos():
    """400 SAOs in one subdistrict (written at once: the seed is what is measured here)."""
    subdistrict = SubdistrictFactory()
    LAO.objects.bulk_create(
        LAO(
            subdistrict=subdistrict,
            district=subdistrict.district,
            province=subdistrict.district.province,
            kind=LAOKind.SAO,
            dla_code=f"65{n:05d}",
            name_th=f"ทดสอบ{n}",
            full_name_th=f"องค์การบริหารส่วนตำบลทดสอบ{n}",
            name_en=f"Thotsop {n}",
        )
        for n in range(LAOS)
    )
    return list(LAO.objects.order_by("dla_code"))


def values(code):
    return IndicatorValue.objects.filter(indicator__code=code)


def test_every_active_lao_gets_every_imported_indicator_for_every_demo_year(laos):
    inactive = LAOFactory(is_active=False)
    years = demo_fiscal_years()
    assert years == list(range(current_fiscal_year() - 4, current_fiscal_year() + 1))
    written = imported_values_seed(today=TODAY)
    assert written == LAOS * len(years) * 6
    counts = {
        (code, year): count
        for code, year, count in IndicatorValue.objects.values_list(
            "indicator__code", "fiscal_year"
        )
        .order_by()
        .annotate(count=Count("id"))
    }
    assert counts == {(code, year): LAOS for code in [*LPA_CODES, "ita"] for year in years}
    assert not IndicatorValue.objects.filter(lao=inactive).exists()
    assert set(IndicatorValue.objects.values_list("is_demo", "source", "reason").distinct()) == {
        (True, Source.IMPORTED, "")
    }
    current = current_fiscal_year()
    assert set(
        IndicatorValue.objects.filter(fiscal_year__lt=current).values_list("status", flat=True)
    ) == {ValueStatus.FINAL}
    assert set(
        IndicatorValue.objects.filter(fiscal_year=current).values_list("status", flat=True)
    ) == {ValueStatus.PROVISIONAL}
    # Dated at the end of the fiscal year, never after the day of the seed.
    past = values("ita").get(lao=laos[0], fiscal_year=current - 1)
    assert past.as_of == datetime.date(current - 1 - 543, 9, 30)
    assert values("ita").get(lao=laos[0], fiscal_year=current).as_of <= TODAY


def test_lpa_is_saturated_and_ita_is_spread(laos):
    imported_values_seed(today=TODAY)
    for code in LPA_CODES:
        scores = list(values(code).values_list("value", flat=True))
        at_maximum = sum(1 for score in scores if score == 100) / len(scores)
        # Saturated as the real assessment (98.8 % passed in 2564), yet not all identical.
        assert 0.97 <= at_maximum < 1, (code, at_maximum)
        assert min(scores) >= 50
    ita = [float(score) for score in values("ita").values_list("value", flat=True)]
    assert 82 <= statistics.mean(ita) <= 88
    assert 7 <= statistics.stdev(ita) <= 12
    assert max(ita) == 100 and min(ita) >= 0
    share_at_maximum = sum(1 for score in ita if score == 100) / len(ita)
    assert share_at_maximum < 0.15  # ITA tells LAOs apart
    assert len(set(ita)) > len(ita) / 2
    # An LAO's ITA moves from year to year around its own level.
    one = list(values("ita").filter(lao=laos[0]).values_list("value", flat=True))
    assert len(set(one)) > 1


def test_the_seed_is_deterministic_idempotent_and_keeps_uploaded_values(laos):
    imported_values_seed(today=TODAY)
    first = sorted(
        IndicatorValue.objects.values_list("indicator__code", "lao_id", "fiscal_year", "value")
    )
    assert imported_values_seed(today=TODAY + datetime.timedelta(days=1)) == 0

    # A real (uploaded) value survives a new seed; a demo value someone tampered with does not.
    year = current_fiscal_year() - 1
    real = values("ita").get(lao=laos[0], fiscal_year=year)
    IndicatorValue.objects.filter(pk=real.pk).update(value=Decimal("12.5"), is_demo=False)
    IndicatorValue.objects.filter(indicator__code="ita", lao=laos[1], fiscal_year=year).update(
        value=Decimal("1")
    )
    IndicatorValue.objects.filter(indicator__code="ita", lao=laos[2], fiscal_year=year).delete()
    assert imported_values_seed(today=TODAY) == 2
    assert values("ita").get(pk=real.pk).value == Decimal("12.5")
    IndicatorValue.objects.filter(pk=real.pk).update(value=first_value(first, real), is_demo=True)
    after = sorted(
        IndicatorValue.objects.values_list("indicator__code", "lao_id", "fiscal_year", "value")
    )
    assert after == first


def first_value(rows, value):
    return next(
        row[3] for row in rows if row[1:3] == (value.lao_id, value.fiscal_year) and row[0] == "ita"
    )


def test_the_seeder_syncs_seeds_and_recomputes(laos):
    out = io.StringIO()
    assert seed_indicators(scale="small", stdout=out) == []
    assert f"{LAOS * 5 * 6} imported demo values" in out.getvalue()
    assert Indicator.objects.filter(source=Source.COMPUTED).exists()
    out = io.StringIO()
    seed_indicators(scale="small", stdout=out)
    assert " 0 imported demo values" in out.getvalue()
