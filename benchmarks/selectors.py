"""Page-level reads of benchmarks: the indicators, one indicator's values in a year, the ranking
tables, an LAO's benchmark page, the comparison of LAOs and the profile's ranking section."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Count, F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Abs, Cast, Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from benchmarks.models import (
    RANK_FIELDS,
    STAMP,
    CompositeScore,
    CompositeVersion,
    Direction,
    Explanation,
    ExplanationStatus,
    FigureQuestion,
    Indicator,
    IndicatorValue,
    IndicatorYear,
    Neighbour,
    PeerMembership,
    PeerStatistic,
    QuestionStatus,
)
from units import stamps as data_stamps
from units.caching import fragment_key
from units.models import LAO, LAOKind, Province
from units.search import search_laos

# The stamp of every stored result of the area (a recompute, an indicator's edit).
# How long lists kept under the stamps stay cached: a bound on memory, not on staleness.
LISTS_SECONDS = 3600


def indicators_listed():
    """The indicators shown to the public, in their order (the index and methodology pages)."""
    return Indicator.objects.active()


def indicator_by_code(*, code: str) -> Indicator:
    """A shown indicator by its code; 404 for an unknown or hidden one."""
    try:
        return Indicator.objects.active().get(code=code)
    except Indicator.DoesNotExist:
        raise Http404("No indicator has this code.") from None


# A DISTINCT reads every value of the indicator from the index (40,000 entries, 13 ms on the
# national data); hopping from one year to the one below reads one entry a year (0.1 ms).
INDICATOR_YEARS_SQL = """
WITH RECURSIVE years AS (
    (SELECT fiscal_year FROM benchmarks_indicatorvalue
     WHERE indicator_id = %(indicator)s ORDER BY fiscal_year DESC LIMIT 1)
    UNION ALL
    SELECT (SELECT v.fiscal_year FROM benchmarks_indicatorvalue v
            WHERE v.indicator_id = %(indicator)s AND v.fiscal_year < years.fiscal_year
            ORDER BY v.fiscal_year DESC LIMIT 1)
    FROM years WHERE years.fiscal_year IS NOT NULL
)
SELECT fiscal_year FROM years WHERE fiscal_year IS NOT NULL
"""


def indicator_years(*, indicator: Indicator) -> list[int]:
    """The fiscal years the indicator has values for, newest first: one query that reads one
    entry a year of the (indicator, fiscal_year, value) index."""
    with connection.cursor() as cursor:
        cursor.execute(INDICATOR_YEARS_SQL, {"indicator": indicator.pk})
        return [year for (year,) in cursor.fetchall()]


def indicator_values(*, indicator: Indicator):
    """The values of one indicator (IndicatorValueFilter picks the year), best first by its
    direction, those without a value (with their reason) last; each row with its LAO and the
    LAO's province. `.only()`: the LAO table is wide and the list shows its code, names, kind
    and province."""
    value = F("value")
    best_first = (
        value.asc(nulls_last=True)
        if indicator.direction == Direction.LOWER
        else (value.desc(nulls_last=True))
    )
    return (
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("lao", "lao__province")
        .only(
            "fiscal_year",
            "value",
            "reason",
            "source",
            "as_of",
            "status",
            "lao__dla_code",
            "lao__kind",
            "lao__name_th",
            "lao__full_name_th",
            "lao__name_en",
            "lao__province__code",
            "lao__province__name_th",
            "lao__province__name_en",
        )
        .order_by(best_first, "lao__dla_code")
    )


# --- ranking tables, the LAO benchmark page, compare, profile section --------------------------
#
# Every read below is of stored results (ranks, medians, neighbours, composite scores written by
# the recompute): no page computes a rank or a median per request.

LAO_FIELDS = (
    "lao__dla_code",
    "lao__kind",
    "lao__name_th",
    "lao__full_name_th",
    "lao__name_en",
    "lao__province__code",
    "lao__province__name_th",
    "lao__province__name_en",
)
# An LAO's trend covers this many fiscal years up to the one shown.
TREND_YEARS = 5
# Neighbours listed under "learn from better peers" for one indicator.
BETTER_PEERS_SHOWN = 3
# Open questions listed on an LAO's page (the count is of all of them).
OPEN_QUESTIONS_SHOWN = 20


def ranked_years() -> list[int]:
    """Fiscal years with ranked indicators (an IndicatorYear row), newest first: the small
    per-indicator-year table, not the values."""
    return list(
        IndicatorYear.objects.order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def peer_groups_of_year(*, fiscal_year: int | None) -> list[str]:
    """The peer group codes of a year, in order (read from the (fiscal_year, peer_group) index
    alone)."""
    if fiscal_year is None:
        return []
    return list(
        PeerMembership.objects.filter(fiscal_year=fiscal_year)
        .order_by("peer_group")
        .values_list("peer_group", flat=True)
        .distinct()
    )


def peer_group_label(code: str) -> str:
    """A readable peer group: `benchmarks.peers.peer_group_label` where the peers module
    provides it, else the kind and band number of the `<kind>-<band>` code."""
    try:
        from benchmarks.peers import peer_group_label as label_of
    except ImportError:
        label_of = None
    if label_of is not None:
        return str(label_of(code))
    kind, _sep, band = code.rpartition("-")
    try:
        kind_label = LAOKind(kind).label
    except ValueError:
        return code
    return _("%(kind)s, population band %(band)s") % {"kind": kind_label, "band": band}


def current_composite_version() -> CompositeVersion | None:
    """The newest composite version (the one pages show unless asked for an older one)."""
    return CompositeVersion.objects.order_by("-number").first()


def composite_version(*, number: int | None) -> CompositeVersion | None:
    """Version `number`, or the current one when None; None when there is no such version."""
    if number is None:
        return current_composite_version()
    return CompositeVersion.objects.filter(number=number).first()


def composite_versions():
    """Every composite version, newest first, with its note (the methodology page)."""
    return CompositeVersion.objects.order_by("-number")


def _newest_source(fiscal_year):
    """Subquery: the id of the version holding the current version's scores of `fiscal_year`
    (an expression; CompositeVersion.source_id in SQL)."""
    held_by = Func(
        F("year_sources"), Cast(fiscal_year, TextField()), function="", arg_joiner=" ->> "
    )
    return Subquery(
        CompositeVersion.objects.order_by("-number")
        .annotate(
            source=Coalesce(
                Cast(held_by, BigIntegerField()), F("pk"), output_field=BigIntegerField()
            )
        )
        .values("source")[:1]
    )


# The current version's fields a score read through `_newest_source` shows as its `version`.
_SHOWN_VERSION = ("id", "number", "created_at")


def _with_shown_version(queryset):
    newest = CompositeVersion.objects.order_by("-number")
    return queryset.annotate(
        **{f"shown_version_{name}": Subquery(newest.values(name)[:1]) for name in _SHOWN_VERSION}
    )


def _shown(score: CompositeScore | None) -> CompositeScore | None:
    """The score with `version` the current version it was read through (the row itself may be
    held by an older version the current one carries it from); its other fields load when
    read."""
    if score is not None:
        score.version = CompositeVersion.from_db(
            score._state.db,
            _SHOWN_VERSION,
            [getattr(score, f"shown_version_{name}") for name in _SHOWN_VERSION],
        )
    return score


def indicator_year(*, indicator: Indicator, fiscal_year: int | None) -> IndicatorYear | None:
    """The national figures of one indicator in one year (median, histogram, saturation)."""
    if fiscal_year is None:
        return None
    return IndicatorYear.objects.filter(indicator=indicator, fiscal_year=fiscal_year).first()


def _narrowed(queryset, *, fiscal_year, kind="", province=None, peer_group=""):
    queryset = queryset.filter(fiscal_year=fiscal_year)
    if kind:
        queryset = queryset.filter(lao__kind=kind)
    if province is not None:
        queryset = queryset.filter(lao__province=province)
    if peer_group:
        # (fiscal_year, peer_group) index of PeerMembership, then its (lao, fiscal_year) key.
        queryset = queryset.filter(
            lao__peer_memberships__fiscal_year=fiscal_year,
            lao__peer_memberships__peer_group=peer_group,
        )
    return queryset


def _best_first(indicator: Indicator):
    value = F("value")
    if indicator.direction == Direction.LOWER:
        return value.asc(nulls_last=True)
    if indicator.direction == Direction.TARGET:
        return Abs(value - indicator.target).asc(nulls_last=True)
    return value.desc(nulls_last=True)


def ranking_values(
    *, indicator: Indicator, fiscal_year: int, kind="", province=None, peer_group=""
):
    """One indicator's values of a year in rank order (ties share a rank; a saturated
    indicator, which has no ranks, best value first), the values with a reason last; each row
    with its LAO and province. `.only()`: the LAO table is wide."""
    queryset = _narrowed(
        IndicatorValue.objects.all(),
        fiscal_year=fiscal_year,
        kind=kind,
        province=province,
        peer_group=peer_group,
    )
    return (
        queryset.select_related("lao", "lao__province")
        .only("fiscal_year", "value", "reason", "as_of", "status", *RANK_FIELDS, *LAO_FIELDS)
        .filter(indicator=indicator)
        .order_by(F("national_rank").asc(nulls_last=True), _best_first(indicator), "lao__dla_code")
    )


def ranking_composite(
    *, version: CompositeVersion, fiscal_year: int, kind="", province=None, peer_group=""
):
    """The composite scores of a year in one version in rank order, those without a score
    (with their reason) last; each row with its LAO and province."""
    queryset = _narrowed(
        CompositeScore.objects.filter(version_id=version.source_id(fiscal_year)),
        fiscal_year=fiscal_year,
        kind=kind,
        province=province,
        peer_group=peer_group,
    )
    return (
        queryset.select_related("lao", "lao__province")
        .only("fiscal_year", "score", "reason", "indicators_used", *RANK_FIELDS, *LAO_FIELDS)
        .order_by(
            F("national_rank").asc(nulls_last=True),
            F("score").desc(nulls_last=True),
            "lao__dla_code",
        )
    )


def composite_ranked_count(*, version: CompositeVersion, fiscal_year: int) -> int:
    """How many LAOs have a composite rank in the year and version (the "of N" of a national
    rank; read from the (version, fiscal_year, national_rank) index)."""
    return CompositeScore.objects.filter(
        version_id=version.source_id(fiscal_year),
        fiscal_year=fiscal_year,
        national_rank__isnull=False,
    ).count()


def page_stamps() -> tuple[int, int]:
    """The values of the registry's stamp and the area's (`units.stamps`, one query): what the
    lists a page offers are kept under, and the key of what they decide."""
    return data_stamps.read([data_stamps.UNITS, STAMP])


def _ranking_lists() -> dict:
    years = ranked_years()
    return {
        "indicators": list(indicators_listed()),
        "years": years,
        "provinces": list(provinces()),
        "groups": peer_groups_of_year(fiscal_year=years[0] if years else None),
    }


def ranking_choices(*, stamps: tuple[int, int]) -> dict:
    """What the ranking form offers (`RankingForm`'s keyword arguments): the listed
    `indicators`, the ranked `years`, the `provinces` and the newest ranked year's
    `peer_groups` as (code, label). Four queries, kept in the cache under `stamps`
    (`page_stamps`): none until the registry or a recompute moves them."""
    lists = cache.get_or_set(
        "benchmarks:ranking-lists:" + fragment_key(stamps), _ranking_lists, LISTS_SECONDS
    )
    return {
        "indicators": lists["indicators"],
        "years": lists["years"],
        "provinces": lists["provinces"],
        "peer_groups": [(code, peer_group_label(code)) for code in lists["groups"]],
    }


def ranking_table(*, indicator, fiscal_year, kind, province, peer_group, version) -> dict:
    """What a ranking selection (`RankingForm.selection`) shows: the selection itself, `rows`
    (None when nothing is ranked) and, for an indicator, its `national` figures (`ranked_count`
    None); for the composite, the `version` shown (the current one when `version` is None or
    does not exist: `version_missing` then says so), whether it `is_current`, and its
    `ranked_count`."""
    narrowing = {"kind": kind, "province": province, "peer_group": peer_group}
    table = {"fiscal_year": fiscal_year, "indicator": indicator, **narrowing}
    if fiscal_year is None:
        return {**table, "rows": None}
    if indicator is not None:
        national = indicator_year(indicator=indicator, fiscal_year=fiscal_year)
        if national is not None:
            national.indicator = indicator  # pass/fail reads it: no query per row
        rows = ranking_values(indicator=indicator, fiscal_year=fiscal_year, **narrowing)
        return {**table, "rows": rows, "national": national, "ranked_count": None}
    shown = composite_version(number=version)
    table["version_missing"] = shown is None and version is not None
    if table["version_missing"]:
        shown = current_composite_version()
    if shown is None:
        return {**table, "rows": None, "version": None}
    return {
        **table,
        "rows": ranking_composite(version=shown, fiscal_year=fiscal_year, **narrowing),
        "version": shown,
        "is_current": version is None,
        "ranked_count": composite_ranked_count(version=shown, fiscal_year=fiscal_year),
    }


# What the benchmark pages show of an LAO itself (its name, kind, population and province).
LAO_PAGE_FIELDS = (
    "dla_code",
    "kind",
    "name_th",
    "full_name_th",
    "name_en",
    "population",
    "province__code",
    "province__name_th",
    "province__name_en",
)


def lao_for_benchmarks(*, code: str) -> LAO:
    """An active LAO by its URL code (DLA code, or `bangkok`) with its province; 404 otherwise."""
    lao = (
        LAO.objects.active()
        .by_url_code(code)
        .select_related("province")
        .only(*LAO_PAGE_FIELDS)
        .first()
    )
    if lao is None:
        raise Http404("No active LAO has this code.")
    return lao


# The indicator's long texts, which the LAO's page does not show: each indicator comes once per
# year with the LAO's values, so they would be read five times over.
INDICATOR_TEXTS = tuple(
    f"indicator__{name}_{language}"
    for name in ("meaning", "formula", "norm")
    for language in ("th", "en")
)


def lao_values_all_years(*, lao: LAO) -> list[IndicatorValue]:
    """Every value of the LAO's shown indicators, every year, with its indicator (without its
    long texts): the page's figures, its years and its trends in one read of the
    (lao, fiscal_year) index (a few dozen rows)."""
    return list(
        IndicatorValue.objects.filter(lao=lao, indicator__is_active=True)
        .select_related("indicator")
        .defer(*INDICATOR_TEXTS)
        .order_by("indicator__sort_order", "indicator__code", "fiscal_year")
    )


def peer_membership(*, lao: LAO, fiscal_year: int) -> PeerMembership | None:
    """The LAO's peer group in a year (None before the peers step ran)."""
    return PeerMembership.objects.filter(lao=lao, fiscal_year=fiscal_year).first()


def peer_medians(*, fiscal_year: int, peer_group: str | None) -> dict[int, PeerStatistic]:
    """{indicator id: the peer group's statistic} of a year."""
    if not peer_group:
        return {}
    return {
        row.indicator_id: row
        for row in PeerStatistic.objects.filter(fiscal_year=fiscal_year, peer_group=peer_group)
    }


def indicator_years_of(*, fiscal_year: int) -> dict[int, IndicatorYear]:
    """{indicator id: its national figures} of a year, without the histograms (not shown
    here)."""
    return {
        row.indicator_id: row
        for row in IndicatorYear.objects.filter(fiscal_year=fiscal_year).defer("histogram")
    }


def neighbours_of(*, lao: LAO, fiscal_year: int) -> list[Neighbour]:
    """The LAO's nearest neighbours of a year, most similar first, each with its LAO and
    province."""
    return list(
        Neighbour.objects.filter(lao=lao, fiscal_year=fiscal_year)
        .select_related("neighbour", "neighbour__province")
        .only(
            "position",
            "similarity",
            "lao_id",
            "fiscal_year",
            "neighbour__dla_code",
            "neighbour__kind",
            "neighbour__name_th",
            "neighbour__full_name_th",
            "neighbour__name_en",
            "neighbour__province__code",
            "neighbour__province__name_th",
            "neighbour__province__name_en",
        )
        .order_by("position")
    )


def values_of_laos(*, lao_ids, fiscal_year: int) -> list[IndicatorValue]:
    """The values of several LAOs in a year (neighbours, a comparison), without their LAOs:
    the caller has them."""
    return list(
        IndicatorValue.objects.filter(lao_id__in=list(lao_ids), fiscal_year=fiscal_year).only(
            "indicator_id", "lao_id", "fiscal_year", "value", "reason", "status", "as_of",
            *RANK_FIELDS,
        )
    )  # fmt: skip


def neighbour_values(*, lao_ids, indicator_ids, fiscal_year: int) -> dict:
    """{(lao id, indicator id): value} of several LAOs in a year for some indicators, values
    only (no model rows): what "learn from better peers" compares. No query without
    indicators."""
    if not indicator_ids:
        return {}
    rows = IndicatorValue.objects.filter(
        lao_id__in=list(lao_ids), indicator_id__in=list(indicator_ids), fiscal_year=fiscal_year
    ).values_list("lao_id", "indicator_id", "value")
    return {(lao_id, indicator_id): value for lao_id, indicator_id, value in rows}


def composite_score_of(*, version: CompositeVersion | None, lao: LAO, fiscal_year: int):
    """The LAO's composite score of the year in a version (None without one)."""
    if version is None:
        return None
    return CompositeScore.objects.filter(
        version_id=version.source_id(fiscal_year), lao=lao, fiscal_year=fiscal_year
    ).first()


def composite_scores_of(*, version: CompositeVersion | None, lao_ids, fiscal_year: int) -> dict:
    """{lao id: composite score} of several LAOs in a year and version."""
    if version is None:
        return {}
    return {
        row.lao_id: row
        for row in CompositeScore.objects.filter(
            version_id=version.source_id(fiscal_year),
            lao_id__in=list(lao_ids),
            fiscal_year=fiscal_year,
        )
    }


def published_explanations(*, lao: LAO, fiscal_year: int) -> list[Explanation]:
    """ "The LAO says": the approved explanations of the LAO's values of a year, newest first."""
    return list(
        Explanation.objects.filter(
            lao=lao, fiscal_year=fiscal_year, status=ExplanationStatus.APPROVED
        )
        .only("indicator_id", "fiscal_year", "reason", "text", "reviewed_at", "created_at")
        .order_by("-created_at")
    )


def open_questions(*, lao: LAO) -> list[FigureQuestion]:
    """The LAO's open questions about figures, oldest deadline first, with the indicator's
    code and names. The public part only: neither the asker's contact nor their words (the text,
    and the figure named in words), which the LAO's page never shows."""
    return list(
        FigureQuestion.objects.filter(lao=lao, status=QuestionStatus.OPEN)
        .select_related("indicator")
        .only(
            "indicator__code",
            "indicator__name_th",
            "indicator__name_en",
            "fiscal_year",
            "created_at",
            "deadline",
            "status",
        )
        .order_by("deadline", "pk")[: OPEN_QUESTIONS_SHOWN + 1]
    )


def laos_by_codes(*, codes) -> list[LAO]:
    """Active LAOs among `codes` (DLA codes), with their provinces."""
    return list(
        LAO.objects.active()
        .filter(dla_code__in=list(codes))
        .select_related("province")
        .only(*LAO_PAGE_FIELDS)
    )


def peer_memberships_of(*, lao_ids, fiscal_year: int) -> dict[int, str]:
    """{lao id: peer group} of several LAOs in a year."""
    return dict(
        PeerMembership.objects.filter(
            lao_id__in=list(lao_ids), fiscal_year=fiscal_year
        ).values_list("lao_id", "peer_group")
    )


def peer_medians_of_groups(*, fiscal_year: int, groups) -> dict[tuple[int, str], PeerStatistic]:
    """{(indicator id, peer group): statistic} of several peer groups in a year."""
    return {
        (row.indicator_id, row.peer_group): row
        for row in PeerStatistic.objects.filter(
            fiscal_year=fiscal_year, peer_group__in=list(groups)
        )
    }


def profile_ranking(*, lao: LAO, headline: int) -> dict:
    """The profile's ranking section in two queries: the LAO's composite score of its newest
    year in the current version (with the version), and its values of that year (or of its
    newest year with values) of the first `headline` weighted indicators, each with its peer
    median (subqueries through the LAO's peer group of the year)."""
    score = _shown(
        _with_shown_version(
            # Each year from the version holding it for the current one.
            CompositeScore.objects.filter(
                lao=lao, version_id=_newest_source(OuterRef("fiscal_year"))
            )
        )
        .order_by("-fiscal_year")
        .first()
    )
    if score is not None:
        year = score.fiscal_year
    else:
        year = Subquery(
            IndicatorValue.objects.filter(lao=lao)
            .order_by("-fiscal_year")
            .values("fiscal_year")[:1]
        )
    group = PeerMembership.objects.filter(
        lao=OuterRef(OuterRef("lao")), fiscal_year=OuterRef(OuterRef("fiscal_year"))
    ).values("peer_group")[:1]
    median = PeerStatistic.objects.filter(
        indicator=OuterRef("indicator"),
        fiscal_year=OuterRef("fiscal_year"),
        peer_group=Subquery(group),
    ).values("median")[:1]
    values = list(
        IndicatorValue.objects.filter(
            lao=lao, fiscal_year=year, indicator__is_active=True, indicator__weight__gt=0
        )
        .select_related("indicator")
        .annotate(peer_median=Subquery(median))
        .order_by("indicator__sort_order", "indicator__code")[:headline]
    )
    return {"score": score, "values": values}


# --- figures as the pages show them ------------------------------------------------------------


def distance(indicator: Indicator, value):
    """How far a value is from the best, in the indicator's direction (smaller is better)."""
    if indicator.direction == Direction.LOWER:
        return value
    if indicator.direction == Direction.TARGET:
        gap = abs(value - indicator.target)
        return 0 if gap <= indicator.tolerance else gap
    return -value


def is_better(indicator: Indicator, value, than) -> bool:
    """Is `value` strictly better than `than` in the indicator's direction?"""
    return distance(indicator, value) < distance(indicator, than)


def passes(indicator: Indicator, value, year: IndicatorYear | None) -> bool | None:
    """For a saturated indicator, shown as pass/fail: is the value the best one of the year?"""
    if value is None or year is None:
        return None
    if indicator.direction == Direction.TARGET:
        return distance(indicator, value) == 0
    best = year.minimum if indicator.direction == Direction.LOWER else year.maximum
    return best is not None and value == best


@dataclass
class Figure:
    """One indicator of one LAO in a year, with everything its benchmark page shows beside it."""

    indicator: Indicator
    value: IndicatorValue | None
    national: IndicatorYear | None = None
    peer: PeerStatistic | None = None
    trend: list = field(default_factory=list)
    explanations: list = field(default_factory=list)
    questions: int = 0
    better_peers: list = field(default_factory=list)

    @property
    def saturated(self) -> bool:
        return bool(self.national and self.national.saturated)

    @property
    def passes(self) -> bool | None:
        if not self.saturated or self.value is None:
            return None
        return passes(self.indicator, self.value.value, self.national)

    @property
    def rating(self) -> str | None:
        return self.indicator.rating_of(self.value.value) if self.value else None

    @property
    def trails_peers(self) -> bool:
        """Is the value worse than the peer median (never for a saturated indicator)?"""
        if self.saturated or self.value is None or self.value.value is None:
            return False
        if self.peer is None or self.peer.median is None:
            return False
        return is_better(self.indicator, self.peer.median, self.value.value)


def lao_figures(*, lao: LAO, fiscal_year: int, values, neighbours) -> dict:
    """The LAO benchmark page's figures of a year: each shown indicator's value with its
    national and peer figures, its trend over TREND_YEARS years, approved explanations, the
    count of open questions, and, where the LAO trails its peer median, the most similar
    neighbours that do better (`better_peers`: (neighbour, its value)). `values` are the LAO's
    values of every year (`lao_values_all_years`) and `neighbours` its neighbours of the year.
    The neighbours' values are read for the trailing indicators only (none: no query)."""
    membership = peer_membership(lao=lao, fiscal_year=fiscal_year)
    peer_group = membership.peer_group if membership else None
    medians = peer_medians(fiscal_year=fiscal_year, peer_group=peer_group)
    nationals = indicator_years_of(fiscal_year=fiscal_year)
    explanations = published_explanations(lao=lao, fiscal_year=fiscal_year)
    questions = open_questions(lao=lao)

    figures: dict[int, Figure] = {}
    for value in values:
        indicator = value.indicator
        figure = figures.get(indicator.pk)
        if figure is None:
            figure = figures[indicator.pk] = Figure(indicator=indicator, value=None)
        if fiscal_year - TREND_YEARS < value.fiscal_year <= fiscal_year:
            figure.trend.append((value.fiscal_year, value.value))
        if value.fiscal_year == fiscal_year:
            figure.value = value
    shown = [figure for figure in figures.values() if figure.value is not None]
    for figure in shown:
        figure.national = nationals.get(figure.indicator.pk)
        figure.peer = medians.get(figure.indicator.pk)
        figure.explanations = [e for e in explanations if e.indicator_id == figure.indicator.pk]
        figure.questions = sum(
            1
            for q in questions
            if q.indicator_id == figure.indicator.pk and q.fiscal_year == fiscal_year
        )
    trailing = [figure for figure in shown if figure.trails_peers]
    by_neighbour = neighbour_values(
        lao_ids=[n.neighbour_id for n in neighbours] if trailing else [],
        indicator_ids=[figure.indicator.pk for figure in trailing],
        fiscal_year=fiscal_year,
    )
    for figure in trailing:
        for neighbour in neighbours:
            other = by_neighbour.get((neighbour.neighbour_id, figure.indicator.pk))
            if other is not None and is_better(figure.indicator, other, figure.value.value):
                figure.better_peers.append((neighbour, other))
                if len(figure.better_peers) == BETTER_PEERS_SHOWN:
                    break
    return {
        "figures": shown,
        "peer_group": peer_group,
        "explanations": explanations,
        "questions": questions[:OPEN_QUESTIONS_SHOWN],
        "questions_more": len(questions) > OPEN_QUESTIONS_SHOWN,
    }


def lao_composite(*, lao: LAO, fiscal_year: int):
    """The LAO's composite score of the year in the current version, with the version and
    `national_count` (LAOs ranked nationally in that version and year), in one query; None
    without one."""
    ranked = (
        CompositeScore.objects.filter(
            version=OuterRef("version"),
            fiscal_year=OuterRef("fiscal_year"),
            national_rank__isnull=False,
        )
        .order_by()
        .values("version")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return _shown(
        _with_shown_version(
            CompositeScore.objects.filter(
                lao=lao, fiscal_year=fiscal_year, version_id=_newest_source(Value(fiscal_year))
            )
        )
        .annotate(national_count=Subquery(ranked))
        .first()
    )


def provinces():
    """Provinces for a filter's choices, by code (`.only()`: the boundaries are heavy)."""
    return Province.objects.only("code", "name_th", "name_en").order_by("code")


def search_to_add(*, query: str, exclude) -> list[LAO]:
    """Up to 10 active LAOs whose name matches `query` (the registry's trigram search), to add
    to a comparison; those already in it left out."""
    return list(
        search_laos(LAO.objects.active(), query)
        .exclude(dla_code__in=list(exclude))
        .exclude(dla_code=None)
        .select_related("province")
        .only(
            "dla_code",
            "kind",
            "name_th",
            "full_name_th",
            "name_en",
            "province__code",
            "province__name_th",
            "province__name_en",
        )[:10]
    )


def comparison(*, laos: list[LAO], fiscal_year: int) -> dict:
    """Several LAOs side by side in a year: for each shown indicator, each LAO's value (or
    reason) with its ranks and its peer group's median, and the national median; each LAO's
    peer group and composite score of the current version."""
    lao_ids = [lao.pk for lao in laos]
    values = {
        (v.lao_id, v.indicator_id): v
        for v in values_of_laos(lao_ids=lao_ids, fiscal_year=fiscal_year)
    }
    groups = peer_memberships_of(lao_ids=lao_ids, fiscal_year=fiscal_year)
    medians = peer_medians_of_groups(fiscal_year=fiscal_year, groups=set(groups.values()))
    nationals = indicator_years_of(fiscal_year=fiscal_year)
    version = current_composite_version()
    scores = composite_scores_of(version=version, lao_ids=lao_ids, fiscal_year=fiscal_year)
    rows = []
    for indicator in indicators_listed():
        cells = [
            {
                "value": values.get((lao.pk, indicator.pk)),
                "peer": medians.get((indicator.pk, groups.get(lao.pk))),
            }
            for lao in laos
        ]
        if any(cell["value"] for cell in cells):
            national = nationals.get(indicator.pk)
            for cell in cells:
                figure = Figure(indicator=indicator, value=cell["value"], national=national)
                cell["passes"] = figure.passes
                cell["rating"] = figure.rating
            rows.append({"indicator": indicator, "national": national, "cells": cells})
    return {
        "rows": rows,
        "groups": [groups.get(lao.pk) for lao in laos],
        "version": version,
        "scores": [scores.get(lao.pk) for lao in laos],
    }


def saturated_in_newest_year() -> list[IndicatorYear]:
    """The indicators saturated in the newest ranked year, with their figures and indicator."""
    newest = IndicatorYear.objects.order_by("-fiscal_year").values("fiscal_year")[:1]
    return list(
        IndicatorYear.objects.filter(fiscal_year=Subquery(newest), saturated=True)
        .select_related("indicator")
        .defer("histogram")
        .order_by("indicator__sort_order", "indicator__code")
    )
