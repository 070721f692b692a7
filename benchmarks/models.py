"""Indicators and their values per LAO and fiscal year (DESIGN.md §3, benchmarks).

Computed indicators are declared in code (benchmarks/indicators.py) and copied into `Indicator`
by `benchmarks_sync_indicators`; imported ones (LPA, ITA, an admin's own) will be rows made in
the admin. Texts shown to readers (name, meaning, formula, norm) are data in both languages,
as the budget classification is: the methodology page is generated from these rows.
"""

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import LAO, LAOKind
from units.slices import in_language


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    TARGET = "target", _("Closest to a target is best")


class Area(models.TextChoices):
    """The five areas of DLA's Local Performance Assessment (LPA)."""

    MANAGEMENT = "management", _("Management")
    PERSONNEL = "personnel", _("Personnel and council")
    FINANCE = "finance", _("Finance")
    SERVICES = "services", _("Public services")
    GOVERNANCE = "governance", _("Good governance")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from the portal's data")
    IMPORTED = "imported", _("Imported")


class Unit(models.TextChoices):
    PERCENT = "percent", _("percent")
    BAHT_PER_PERSON = "baht_per_person", _("baht per person")
    SCORE = "score", _("score")


class Rating(models.TextChoices):
    GOOD = "good", _("Good")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class Reason(models.TextChoices):
    """Why an LAO has no value for an indicator in a year. Such a value is shown with its reason
    and never ranked; it is never stored as a zero."""

    NOT_APPLICABLE = "not_applicable", _("Not applicable to this kind of LAO")
    NOT_SUBMITTED = "not_submitted", _("Not submitted")
    LATE = "late", _("Late")
    NOT_FINAL = "not_final", _("Not yet final")
    ZERO_DENOMINATOR = "zero_denominator", _("Nothing to divide by")


# What each reason means, for the methodology page.
REASON_EXPLANATIONS = {
    Reason.NOT_APPLICABLE: _(
        "The indicator does not apply to this kind of LAO, so it is not computed for it."
    ),
    Reason.NOT_SUBMITTED: _(
        "The LAO has not entered the data the indicator needs (for example no projects for the "
        "year, or no population), and it was not yet due."
    ),
    Reason.LATE: _(
        "The data was due and has not arrived: for example no budget has been entered although "
        "the fiscal year has begun."
    ),
    Reason.NOT_FINAL: _(
        "The data exists but is not yet enacted or accepted, so it is not public and not counted."
    ),
    Reason.ZERO_DENOMINATOR: _(
        "The figure the indicator divides by is zero (for example a budget of zero baht), so "
        "there is no share to show."
    ),
}


class ValueStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        """Indicators shown on the public pages."""
        return self.filter(is_active=True)

    def computed(self):
        """Indicators the portal computes from its own data (declared in code)."""
        return self.filter(source=Source.COMPUTED)


class Indicator(models.Model):
    """What is measured, how, which way is better and against which norm."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    meaning_th = models.TextField(_("meaning (Thai)"), blank=True)
    meaning_en = models.TextField(_("meaning (English)"), blank=True)
    formula_th = models.TextField(_("formula (Thai)"), blank=True)
    formula_en = models.TextField(_("formula (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=32, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    # Only for direction "target": the best value, and how far from it still counts as on target.
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # [{"rating": "good", "from": null, "to": "40"}, ...]: a band covers from ≤ value ≤ to (an
    # open end is null); the first band that covers a value rates it. Empty where no norm
    # exists: such an indicator is not rated.
    bands = models.JSONField(_("rating bands"), default=list, blank=True)
    norm_th = models.TextField(_("norm (Thai)"), blank=True)
    norm_en = models.TextField(_("norm (English)"), blank=True)
    weight = models.DecimalField(
        _("weight in the composite"), max_digits=6, decimal_places=3, default=Decimal("1")
    )
    # The LAO kinds the indicator applies to; empty: every kind. Other kinds get the reason
    # "not applicable".
    kinds = ArrayField(
        models.CharField(max_length=16, choices=LAOKind.choices),
        default=list,
        blank=True,
        verbose_name=_("applies to kinds"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(direction="target")
                | (Q(target__isnull=False) & Q(tolerance__isnull=False)),
                name="indicator_target_has_value_and_tolerance",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="indicator_weight_not_negative"
            ),
        ]

    def __str__(self):
        return self.name_th

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def meaning(self) -> str:
        return in_language(self, "meaning")

    @property
    def formula(self) -> str:
        return in_language(self, "formula")

    @property
    def norm(self) -> str:
        return in_language(self, "norm")

    @property
    def kind_labels(self) -> list[str]:
        """The names of the kinds it applies to (empty: every kind)."""
        return [LAOKind(kind).label for kind in self.kinds]

    def rating_of(self, value: Decimal | None) -> str | None:
        """The rating (good / average / weak) of the first band covering a value; None without
        bands or value."""
        if value is None:
            return None
        for band in self.bands:
            low, high = band.get("from"), band.get("to")
            if (low is None or value >= Decimal(low)) and (high is None or value <= Decimal(high)):
                return band["rating"]
        return None


class IndicatorValueQuerySet(models.QuerySet):
    def of_year(self, fiscal_year: int):
        return self.filter(fiscal_year=fiscal_year)

    def with_value(self):
        """Values that were computed (those with a reason are left out: they are never ranked)."""
        return self.filter(value__isnull=False)


class IndicatorValue(models.Model):
    """One LAO's value of one indicator in one fiscal year, or the reason it has none."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    lao = models.ForeignKey(
        LAO,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("LAO"),
        # (lao, fiscal_year) below leads with it.
        db_index=False,
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    reason = models.CharField(
        _("reason for no value"), max_length=32, choices=Reason.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The date of the newest data the value was made from (a plan's enactment, the last project
    # update, the day it was computed or imported).
    as_of = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=16, choices=ValueStatus.choices)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-fiscal_year", "lao"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "lao", "fiscal_year"], name="indicatorvalue_one_per_year"
            ),
            # A value, or a reason it has none: never both, never neither.
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & ~Q(reason=""))
                | (Q(value__isnull=False) & Q(reason="")),
                name="indicatorvalue_value_xor_reason",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="indicatorvalue_fiscal_year_be",
            ),
        ]
        indexes = [
            # The indicator page: one indicator and year, sorted by value.
            models.Index(
                fields=["indicator", "fiscal_year", "value"], name="indicatorvalue_year_value"
            ),
            # An LAO's values over the years (its benchmark page, one LAO's recompute).
            models.Index(fields=["lao", "fiscal_year"], name="indicatorvalue_lao_year"),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.lao_id} {self.fiscal_year}: {self.value}"
