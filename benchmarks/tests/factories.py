"""Factories for indicators and their values.

Computed indicators come from their declarations (`indicators_sync`); these factories make rows
directly for pages and admin tests."""

import datetime
from decimal import Decimal

import factory

from benchmarks.models import (
    Area,
    Direction,
    Indicator,
    IndicatorValue,
    Source,
    Unit,
    ValueStatus,
)
from units.tests.factories import LAOFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A shown, computed percentage, higher better, without bands."""

    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-indicator-{n}")
    name_th = factory.Sequence(lambda n: f"ตัวชี้วัดทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    meaning_th = "ความหมายของตัวชี้วัด"
    meaning_en = "What the indicator means"
    formula_th = "ก ÷ ข × 100"
    formula_en = "a ÷ b × 100"
    unit = Unit.PERCENT
    direction = Direction.HIGHER
    area = Area.FINANCE
    source = Source.COMPUTED


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """A provisional value of 2569 computed today; pass `value=None, reason=...` for none."""

    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    lao = factory.SubFactory(LAOFactory)
    fiscal_year = 2569
    value = Decimal("50.0000")
    reason = ""
    source = Source.COMPUTED
    as_of = datetime.date(2026, 11, 1)
    status = ValueStatus.PROVISIONAL


class IndicatorYearFactory(factory.django.DjangoModelFactory):
    """The national figures of an indicator in 2569 (not saturated)."""

    class Meta:
        model = "benchmarks.IndicatorYear"

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2569
    laos_total = 3
    ranked_count = 2
    distinct_values = 2
    at_best_count = 1
    share_at_best = Decimal("50")
    median = Decimal("30")
    minimum = Decimal("10")
    maximum = Decimal("50")


class CompositeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarks.CompositeVersion"

    number = factory.Sequence(lambda n: n + 1)
    method = factory.LazyFunction(
        lambda: {"normalization": "peer_percentile", "minimum_indicators": 3, "weights": {}}
    )
    note_th = "ฉบับแรก"
    note_en = "First version"


class CompositeScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "benchmarks.CompositeScore"

    version = factory.SubFactory(CompositeVersionFactory)
    lao = factory.SubFactory(LAOFactory)
    fiscal_year = 2569
    score = Decimal("61.25")
    reason = ""
