"""Indicators and their values per LAO and fiscal year (DESIGN.md §3, benchmarks).

Computed indicators are declared in code (benchmarks/indicators.py) and copied into `Indicator`
by `benchmarks_sync_indicators`; imported ones (LPA, ITA, an admin's own) will be rows made in
the admin. Texts shown to readers (name, meaning, formula, norm) are data in both languages,
as the budget classification is: the methodology page is generated from these rows.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import LAO, LAOKind
from units.slices import in_language

# The page-cache stamp of every stored result (units.stamps): values, ranks, medians, the
# composite, completeness, indicators. A write of any of them moves it in its transaction.
STAMP = "benchmarks"

# The rank columns, the same in IndicatorValue and CompositeScore.
RANK_FIELDS = (
    "national_rank",
    "province_rank",
    "province_count",
    "peer_rank",
    "peer_count",
    "peer_percentile",
    "peer_quartile",
    "previous_national_rank",
)


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
    # Composite scores only: fewer indicators with a value than the method requires.
    TOO_FEW = "too_few", _("Too few indicators with a value")


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
    Reason.TOO_FEW: _(
        "Composite score only: the LAO has a value for fewer indicators than the method needs, "
        "so no score is made rather than one resting on one or two figures."
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
    # Generated by seed_demo (imported indicators, which the portal cannot compute): shown with a
    # "demo data" mark until an upload replaces it. A database default, so the set-based
    # INSERTs of the recompute need not name it.
    is_demo = models.BooleanField(_("demo data"), default=False, db_default=False)

    # Ranks among the LAOs with a value of the same indicator and year (ties share a rank, 1 is
    # best in the indicator's direction); null for a value with a reason, or before ranking.
    # Written by the rank step of the recompute (benchmarks/ranking.py).
    national_rank = models.PositiveIntegerField(_("national rank"), null=True, blank=True)
    province_rank = models.PositiveIntegerField(_("rank in province"), null=True, blank=True)
    province_count = models.PositiveIntegerField(_("ranked in province"), null=True, blank=True)
    peer_rank = models.PositiveIntegerField(_("rank in peer group"), null=True, blank=True)
    peer_count = models.PositiveIntegerField(_("ranked in peer group"), null=True, blank=True)
    # 100 = best in the peer group, 0 = last.
    peer_percentile = models.DecimalField(
        _("percentile in peer group"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # 1 = the best quarter of the peer group.
    peer_quartile = models.PositiveSmallIntegerField(
        _("quartile in peer group"), null=True, blank=True
    )
    # The national rank of the same indicator the year before (movement = previous - rank).
    previous_national_rank = models.PositiveIntegerField(
        _("national rank the year before"), null=True, blank=True
    )

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
            # The ranking table: one indicator and year in rank order.
            models.Index(
                fields=["indicator", "fiscal_year", "national_rank"],
                name="indicatorvalue_year_rank",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.lao_id} {self.fiscal_year}: {self.value}"

    @property
    def movement(self) -> int | None:
        """Places gained since the year before (negative: lost); None without both ranks."""
        if self.national_rank is None or self.previous_national_rank is None:
            return None
        return self.previous_national_rank - self.national_rank


class IndicatorYear(models.Model):
    """What one indicator looks like across all LAOs in one fiscal year: how many have a value,
    the national median, the histogram, and the saturation check (an indicator on which nearly
    every LAO scores the maximum cannot tell LAOs apart: shown as pass/fail, left out of the
    composite)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="years", verbose_name=_("indicator")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    laos_total = models.PositiveIntegerField(_("LAOs"), default=0)
    ranked_count = models.PositiveIntegerField(_("LAOs with a value"), default=0)
    distinct_values = models.PositiveIntegerField(_("distinct values"), default=0)
    at_best_count = models.PositiveIntegerField(_("LAOs at the best value"), default=0)
    # Share (0–100) of the LAOs with a value that are at the best value.
    share_at_best = models.DecimalField(
        _("share at the best value (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    saturated = models.BooleanField(_("saturated"), default=False)
    median = models.DecimalField(
        _("national median"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    minimum = models.DecimalField(_("minimum"), max_digits=18, decimal_places=4, null=True)
    maximum = models.DecimalField(_("maximum"), max_digits=18, decimal_places=4, null=True)
    # [{"from": "0", "to": "10", "count": 12}, ...] over the values; empty without values.
    histogram = models.JSONField(_("histogram"), default=list, blank=True)
    # {"not_submitted": 120, "late": 3, ...}: the LAOs without a value, by reason.
    reasons = models.JSONField(_("missing values by reason"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["indicator", "-fiscal_year"]
        verbose_name = _("indicator year")
        verbose_name_plural = _("indicator years")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"], name="indicatoryear_one_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.fiscal_year}"


class PeerMembership(models.Model):
    """The peer group of an LAO in a fiscal year: its kind and population band
    (benchmarks/peers.py documents the bands)."""

    lao = models.ForeignKey(
        LAO, on_delete=models.CASCADE, related_name="peer_memberships", verbose_name=_("LAO")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    # "<kind>-<band>", e.g. "sao-2"; the band alone for the table's filter.
    peer_group = models.CharField(_("peer group"), max_length=32)
    population_band = models.PositiveSmallIntegerField(_("population band"))

    class Meta:
        verbose_name = _("peer group membership")
        verbose_name_plural = _("peer group memberships")
        constraints = [
            models.UniqueConstraint(fields=["lao", "fiscal_year"], name="peermembership_one"),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "peer_group"], name="peermembership_group"),
        ]

    def __str__(self):
        return f"{self.lao_id} {self.fiscal_year}: {self.peer_group}"


class PeerStatistic(models.Model):
    """One indicator's median and count in one peer group and year: the peer median an LAO's
    page compares it with."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    peer_group = models.CharField(_("peer group"), max_length=32)
    ranked_count = models.PositiveIntegerField(_("LAOs with a value"), default=0)
    median = models.DecimalField(
        _("peer median"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("peer group statistic")
        verbose_name_plural = _("peer group statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "peer_group"], name="peerstatistic_one"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.fiscal_year} {self.peer_group}: {self.median}"


class Neighbour(models.Model):
    """One of the 15 LAOs most similar to an LAO in a fiscal year, by standardized population,
    area, budget per capita and own-source revenue share (benchmarks/neighbours.py), with a
    published similarity score (100 = identical on every measure)."""

    lao = models.ForeignKey(
        LAO,
        on_delete=models.CASCADE,
        related_name="neighbours",
        verbose_name=_("LAO"),
        db_index=False,  # (lao, fiscal_year, position) leads with it
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    neighbour = models.ForeignKey(
        LAO, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar LAO")
    )
    position = models.PositiveSmallIntegerField(_("position"))  # 1 = most similar
    similarity = models.DecimalField(_("similarity"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["lao", "-fiscal_year", "position"]
        verbose_name = _("nearest neighbour")
        verbose_name_plural = _("nearest neighbours")
        constraints = [
            models.UniqueConstraint(
                fields=["lao", "fiscal_year", "position"], name="neighbour_one_per_position"
            ),
        ]

    def __str__(self):
        return f"{self.lao_id} {self.fiscal_year} #{self.position}: {self.neighbour_id}"


class CompositeVersion(models.Model):
    """One version of the composite scores: made when the method changes or a recompute changes
    any score (a corrected figure), with a note saying why. Scores of the newest versions (and
    those they carry) are kept, so a page can say which version it shows and an old version can
    still be read.

    A version stores the scores of the years it scored (and of the year after each, whose rank
    the year before follows them); the other years it carries from the version that holds them,
    by reference: `year_sources` maps each fiscal year (a string key) to the id of the version
    whose rows are this version's scores of that year. A year not in the map is the version's
    own, if it has any (`source_id`)."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    # The method as data: {"weights": {"code": "1", ...}, "normalization": "...",
    # "minimum_indicators": 3, ...}; written by benchmarks/composite.py.
    method = models.JSONField(_("method"), default=dict)
    note_th = models.TextField(_("note (Thai)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    # {"2569": version id, ...}: written by benchmarks/composite.py; read with source_id().
    year_sources = models.JSONField(_("scores of each year held by"), default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("composite version")
        verbose_name_plural = _("composite versions")

    def __str__(self):
        return str(self.number)

    @property
    def note(self) -> str:
        return in_language(self, "note")

    def source_id(self, fiscal_year: int) -> int:
        """The id of the version whose CompositeScore rows are this version's of the year."""
        return int(self.year_sources.get(str(fiscal_year), self.pk))


class CompositeScore(models.Model):
    """An LAO's composite score in one fiscal year, in one version, with its ranks; or the
    reason it has none."""

    version = models.ForeignKey(
        CompositeVersion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("version"),
        db_index=False,  # the constraint and index below lead with it
    )
    lao = models.ForeignKey(
        LAO, on_delete=models.CASCADE, related_name="composite_scores", verbose_name=_("LAO")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.CharField(
        _("reason for no score"), max_length=32, choices=Reason.choices, blank=True
    )
    indicators_used = models.PositiveSmallIntegerField(_("indicators counted"), default=0)
    national_rank = models.PositiveIntegerField(_("national rank"), null=True, blank=True)
    province_rank = models.PositiveIntegerField(_("rank in province"), null=True, blank=True)
    province_count = models.PositiveIntegerField(_("ranked in province"), null=True, blank=True)
    peer_rank = models.PositiveIntegerField(_("rank in peer group"), null=True, blank=True)
    peer_count = models.PositiveIntegerField(_("ranked in peer group"), null=True, blank=True)
    peer_percentile = models.DecimalField(
        _("percentile in peer group"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    peer_quartile = models.PositiveSmallIntegerField(
        _("quartile in peer group"), null=True, blank=True
    )
    previous_national_rank = models.PositiveIntegerField(
        _("national rank the year before"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("composite score")
        verbose_name_plural = _("composite scores")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "lao", "fiscal_year"], name="compositescore_one"
            ),
            models.CheckConstraint(
                condition=(Q(score__isnull=True) & ~Q(reason=""))
                | (Q(score__isnull=False) & Q(reason="")),
                name="compositescore_score_xor_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["version", "fiscal_year", "national_rank"], name="compositescore_rank"
            ),
        ]

    def __str__(self):
        return f"v{self.version_id} {self.lao_id} {self.fiscal_year}: {self.score}"

    @property
    def movement(self) -> int | None:
        if self.national_rank is None or self.previous_national_rank is None:
            return None
        return self.previous_national_rank - self.national_rank


class Completeness(models.Model):
    """Which of the data an LAO owes for a fiscal year is present, how recent each item is, and
    a score (0–100): the root problem the portal exists to fix, shown on the profile and to the
    provincial staff who chase it (benchmarks/completeness.py)."""

    lao = models.ForeignKey(
        LAO,
        on_delete=models.CASCADE,
        related_name="completeness",
        verbose_name=_("LAO"),
        db_index=False,  # the constraint leads with it
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    # [{"code": "budget", "present": true, "as_of": "2026-09-14", "due": true}, ...] in the
    # order of benchmarks.completeness.ITEMS.
    items = models.JSONField(_("items"), default=list)
    missing_count = models.PositiveSmallIntegerField(_("items missing"), default=0)
    # The newest date of any item: how fresh the LAO's data of the year is.
    as_of = models.DateField(_("as of"), null=True, blank=True)
    overdue_questions = models.PositiveIntegerField(_("overdue questions"), default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("data completeness")
        verbose_name_plural = _("data completeness")
        constraints = [
            models.UniqueConstraint(fields=["lao", "fiscal_year"], name="completeness_one"),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "score"], name="completeness_year_score"),
        ]

    def __str__(self):
        return f"{self.lao_id} {self.fiscal_year}: {self.score}"


class ReminderSent(models.Model):
    """An e-mail reminder about missing data sent to an LAO's officers: kept so that an LAO is
    reminded at most once a day and the provincial staff see when it last was."""

    lao = models.ForeignKey(
        LAO, on_delete=models.CASCADE, related_name="+", verbose_name=_("LAO"), db_index=False
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        indexes = [
            models.Index(fields=["lao", "fiscal_year", "sent_at"], name="reminder_lao_year"),
        ]

    def __str__(self):
        return f"{self.lao_id} {self.fiscal_year} {self.sent_at:%Y-%m-%d}"


class ExplanationReason(models.TextChoices):
    DISASTER = "disaster", _("Flood or disaster")
    BUDGET_TRANSFER = "budget_transfer", _("Budget transfer")
    FAILED_TENDER = "failed_tender", _("Failed tender")
    NEW_LAO = "new_lao", _("New LAO")
    OTHER = "other", _("Other")


class ExplanationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Published")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Explanation(models.Model):
    """ "The LAO says": an LAO officer's explanation of one of its indicator values, shown beside
    it once the LAO's provincial staff approve it."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator")
    )
    lao = models.ForeignKey(
        LAO,
        on_delete=models.CASCADE,
        related_name="explanations",
        verbose_name=_("LAO"),
        db_index=False,  # the index below leads with it
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    reason = models.CharField(_("reason"), max_length=32, choices=ExplanationReason.choices)
    text = models.TextField(_("explanation"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExplanationStatus.choices,
        default=ExplanationStatus.PENDING,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=2000)
    # Bumped by every step, so a step posted from a stale page is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        indexes = [
            models.Index(fields=["lao", "fiscal_year", "status"], name="explanation_lao_year"),
            models.Index(fields=["status", "created_at"], name="explanation_status"),
            models.Index(
                fields=["indicator", "fiscal_year", "status", "reason"],
                name="explanation_reasons",
            ),
        ]

    def __str__(self):
        return f"{self.lao_id} {self.indicator_id} {self.fiscal_year}"


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CORRECTED = "corrected", _("Corrected")
    CLOSED = "closed", _("Closed without change")
    # Taken off the public pages by the LAO's provincial office (or DLA): the text and the
    # figure named in words are no longer shown, only the category of reason (HideReason).
    HIDDEN = "hidden", _("Hidden")


class HideReason(models.TextChoices):
    """Why a question was taken off the public pages: a category only, so that hiding publishes
    nothing of what was hidden."""

    PERSONAL_DATA = "personal_data", _("It contained personal data")
    ABUSIVE = "abusive", _("It was abusive or threatening")
    MISLEADING = "misleading", _("It could mislead readers (a fake contact, link or notice)")
    SPAM = "spam", _("Advertising or spam")
    OFF_TOPIC = "off_topic", _("It was not about the LAO's figures")


class FigureQuestion(models.Model):
    """ "Question this figure": anyone's report of a problem with one of an LAO's public figures.
    It goes to the LAO's officers and its provincial staff, must be answered by its deadline and
    has a public status and history; the contact is never shown publicly."""

    lao = models.ForeignKey(
        LAO,
        on_delete=models.CASCADE,
        related_name="figure_questions",
        verbose_name=_("LAO"),
        db_index=False,  # the index below leads with it
    )
    # The figure: an indicator value (indicator and year), or another figure of the LAO's pages
    # named by `figure` (e.g. "budget 2569").
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    figure = models.CharField(_("figure"), max_length=200, blank=True)
    text = models.TextField(_("problem"), max_length=1000)
    contact = models.CharField(_("contact (not shown)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    deadline = models.DateField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Set with the status "hidden" and only then (see the constraint).
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=16, choices=HideReason.choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question about a figure")
        verbose_name_plural = _("questions about figures")
        indexes = [
            models.Index(fields=["lao", "status", "deadline"], name="figurequestion_lao"),
            models.Index(fields=["status", "deadline"], name="figurequestion_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="hidden") & ~Q(hidden_reason=""))
                | (~Q(status="hidden") & Q(hidden_reason="")),
                name="figurequestion_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.lao_id}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status == QuestionStatus.OPEN

    @property
    def is_hidden(self) -> bool:
        return self.status == QuestionStatus.HIDDEN


class QuestionEvent(models.Model):
    """One step in a question's public history: asked, answered, corrected, closed, hidden."""

    question = models.ForeignKey(
        FigureQuestion, on_delete=models.CASCADE, related_name="events", verbose_name=_("question")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=QuestionStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["question", "at"]
        verbose_name = _("question history entry")
        verbose_name_plural = _("question history")

    def __str__(self):
        return f"{self.question_id} {self.status}"
