"""The composite score of every LAO and fiscal year, its ranks, and its versions.

Method (stored as data in each CompositeVersion.method, see `composite_method()`):

1. Indicators counted: shown (`is_active`), weight > 0, and not saturated that year
   (benchmarks/ranking.py). Budget per capita has weight 0: it is context, not performance.
2. Normalization: each value becomes its percentile (0–100, 100 = best in the indicator's
   direction, ties equal) within the LAO's peer group (kind and population band); where fewer
   than MINIMUM_PEERS LAOs of the group have a value (Bangkok and Pattaya are groups of one),
   within all LAOs nationally instead.
3. Aggregation: the weighted mean of those percentiles, weights from the Indicator rows, rounded
   to 2 decimals (0–100).
4. Missing values: a value with a reason is left out (never counted as zero, never imputed) and
   the mean is taken over the indicators the LAO has. An LAO with fewer than MINIMUM_INDICATORS
   counted indicators gets no score but the reason "too few indicators with a value".

Ranks of the score are those of an indicator (benchmarks/ranking.py): national, in the province,
in the peer group with percentile and quartile, and last year's national rank, within the version.

Versions: the current version is the highest number. A recompute compares the scores it makes
with the current version's; a new version (with a note in Thai and English) is made when

- the method differs from the current version's (first version, a weight changed, an indicator
  shown, hidden or added): every year is scored again under it;
- or any score, reason or count of indicators in the years recomputed differs (a corrected or
  new figure, a changed saturation): the note says how many LAOs changed in which years; the
  years not recomputed are carried over unchanged.

Otherwise nothing is written but the ranks (which follow the scores and the geography). Old
versions keep their scores, so a page can say which version it showed and still show it.

What a version stores. A new version writes the rows of the years it scored, and a copy of the
year right after each of them (its "rank the year before" follows them); every other year it
carries by reference: CompositeVersion.year_sources maps each year to the version holding its
rows, and readers take a year from there (`source_id`). A one-year correction thus writes
7,850 rows nationally and a copy of the next year, not the ~39,000 of every year. Only the
newest BENCHMARKS_COMPOSITE_VERSIONS_KEPT versions keep their rows, and older rows that one of
them still carries.

Corrections in a row. Even so, an officer
correcting five projects one after the other would make five versions in as many minutes, and
push last month's versions out of that window. So a version made by corrected figures stays
open for BENCHMARKS_COMPOSITE_COALESCE_MINUTES after it was made: further corrections in that
time are written into it (only the scores that change, then their ranks; a year it carried by
reference is first copied into it, with the year after), and its note is rewritten against the
version before it (which LAOs and years now differ from it). A version
made by a method change, the first version, and any version older than that are never changed;
0 minutes turns this off (a new version per correction).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from benchmarks.models import (
    RANK_FIELDS,
    CompositeScore,
    CompositeVersion,
    Indicator,
    IndicatorValue,
    Reason,
)
from benchmarks.ranking import ranks_update, scope_stage

MINIMUM_INDICATORS = 3
MINIMUM_PEERS = 5

METHOD = {
    "normalization": "peer_percentile",
    "minimum_peers": MINIMUM_PEERS,
    "fallback": "national_percentile",
    "aggregation": "weighted_mean",
    "minimum_indicators": MINIMUM_INDICATORS,
    "missing": "left_out",
    "saturated": "left_out",
}

# A lock of its own, so that two recomputes (the worker's tasks) never make the same version
# number or score the same year at once.
LOCK_KEY = 7_000_001

_SCORES = """
    CREATE TEMPORARY TABLE bm_composite ON COMMIT DROP AS
    WITH used AS (
        SELECT v.lao_id, v.fiscal_year, i.weight,
               CASE WHEN v.peer_count >= %(minimum_peers)s THEN v.peer_percentile
                    WHEN iy.ranked_count > 1
                        THEN ROUND(100.0 * (iy.ranked_count - v.national_rank)
                                   / (iy.ranked_count - 1), 2)
                    ELSE 100 END AS percentile
        FROM benchmarks_indicatorvalue v
        JOIN benchmarks_indicator i ON i.id = v.indicator_id
        JOIN benchmarks_indicatoryear iy
            ON iy.indicator_id = v.indicator_id AND iy.fiscal_year = v.fiscal_year
        WHERE v.fiscal_year = ANY(%(years)s::integer[]) AND i.code = ANY(%(codes)s::text[])
          AND NOT iy.saturated AND v.value IS NOT NULL AND v.national_rank IS NOT NULL
    ),
    laos AS (
        SELECT DISTINCT v.lao_id, v.fiscal_year
        FROM benchmarks_indicatorvalue v
        JOIN units_lao l ON l.id = v.lao_id
        WHERE l.is_active AND v.fiscal_year = ANY(%(years)s::integer[])
    )
    SELECT a.lao_id, a.fiscal_year,
           CASE WHEN COUNT(u.percentile) >= %(minimum)s AND SUM(u.weight) > 0
                THEN ROUND(SUM(u.weight * u.percentile) / SUM(u.weight), 2) END AS score,
           CASE WHEN COUNT(u.percentile) >= %(minimum)s AND SUM(u.weight) > 0
                THEN '' ELSE %(too_few)s END AS reason,
           COUNT(u.percentile) AS indicators_used
    FROM laos a
    LEFT JOIN used u ON u.lao_id = a.lao_id AND u.fiscal_year = a.fiscal_year
    GROUP BY a.lao_id, a.fiscal_year
"""

# The rows of (source version, fiscal year) pairs: a version's scores of some years, each year
# taken from the version that holds it (CompositeVersion.year_sources).
_HELD = """
    SELECT s.lao_id, s.fiscal_year, s.score, s.reason, s.indicators_used
    FROM unnest(%({sources})s::bigint[], %({years})s::integer[]) AS m(version_id, fiscal_year)
    JOIN benchmarks_compositescore s
        ON s.version_id = m.version_id AND s.fiscal_year = m.fiscal_year
"""

# LAOs whose score, reason or count differs between the new scores and the current version's.
_CHANGED = f"""
    WITH shown AS MATERIALIZED ({_HELD.format(sources="sources", years="years")})
    SELECT fiscal_year, COUNT(DISTINCT lao_id)
    FROM (
        (SELECT lao_id, fiscal_year, score, reason, indicators_used FROM bm_composite
         EXCEPT
         SELECT lao_id, fiscal_year, score, reason, indicators_used FROM shown)
        UNION ALL
        (SELECT lao_id, fiscal_year, score, reason, indicators_used FROM shown
         EXCEPT
         SELECT lao_id, fiscal_year, score, reason, indicators_used FROM bm_composite)
    ) differences
    GROUP BY fiscal_year
    ORDER BY fiscal_year
"""

# The rank columns of an insert, and those of a held row `s` (_INSERT, _CARRY).
_RANK_COLUMNS = ", ".join(RANK_FIELDS)
_HELD_RANKS = ", ".join(f"s.{field}" for field in RANK_FIELDS)

# The new scores of the years recomputed, with the ranks the current version holds for the same
# LAO and year as a start: the rank step then writes only the ranks that moved (after a
# correction, those of a few LAOs instead of the whole year).
_INSERT = f"""
    INSERT INTO benchmarks_compositescore
        (version_id, lao_id, fiscal_year, score, reason, indicators_used, {_RANK_COLUMNS})
    SELECT %(new)s, b.lao_id, b.fiscal_year, b.score, b.reason, b.indicators_used, {_HELD_RANKS}
    FROM bm_composite b
    LEFT JOIN (
        unnest(%(sources)s::bigint[], %(years)s::integer[]) AS m(version_id, fiscal_year)
        JOIN benchmarks_compositescore s
            ON s.version_id = m.version_id AND s.fiscal_year = m.fiscal_year
    ) ON s.lao_id = b.lao_id AND s.fiscal_year = b.fiscal_year
"""

# A year copied, ranks and all, from the version holding it into `into`: the year after a
# recomputed one (only its "rank the year before" may move, which the rank step refreshes), and
# a year the open version carried by reference before a correction is written into it.
_CARRY = f"""
    INSERT INTO benchmarks_compositescore
        (version_id, lao_id, fiscal_year, score, reason, indicators_used, {_RANK_COLUMNS})
    SELECT %(into)s, s.lao_id, s.fiscal_year, s.score, s.reason, s.indicators_used, {_HELD_RANKS}
    FROM unnest(%(sources)s::bigint[], %(years)s::integer[]) AS m(version_id, fiscal_year)
    JOIN benchmarks_compositescore s
        ON s.version_id = m.version_id AND s.fiscal_year = m.fiscal_year
"""


# Corrections written into the open version: only the scores that differ, rows of LAOs new in
# the recomputed years added, rows of LAOs gone from them removed (their ranks follow).
_AMEND = """
    WITH updated AS (
        UPDATE benchmarks_compositescore s
        SET score = b.score, reason = b.reason, indicators_used = b.indicators_used
        FROM bm_composite b
        WHERE s.version_id = %(version)s AND s.lao_id = b.lao_id
          AND s.fiscal_year = b.fiscal_year
          AND (s.score, s.reason, s.indicators_used)
              IS DISTINCT FROM (b.score, b.reason, b.indicators_used)
        RETURNING 1
    ),
    inserted AS (
        INSERT INTO benchmarks_compositescore
            (version_id, lao_id, fiscal_year, score, reason, indicators_used)
        SELECT %(version)s, b.lao_id, b.fiscal_year, b.score, b.reason, b.indicators_used
        FROM bm_composite b
        WHERE NOT EXISTS (
            SELECT 1 FROM benchmarks_compositescore s
            WHERE s.version_id = %(version)s AND s.lao_id = b.lao_id
              AND s.fiscal_year = b.fiscal_year
        )
        RETURNING 1
    ),
    deleted AS (
        DELETE FROM benchmarks_compositescore s
        WHERE s.version_id = %(version)s AND s.fiscal_year = ANY(%(years)s::integer[])
          AND NOT EXISTS (
              SELECT 1 FROM bm_composite b
              WHERE b.lao_id = s.lao_id AND b.fiscal_year = s.fiscal_year
          )
        RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM updated) + (SELECT COUNT(*) FROM inserted)
           + (SELECT COUNT(*) FROM deleted)
"""

# LAOs whose score, reason or count differs between two versions, per year: the note of an
# amended version, against the version before it. Only the years the two take from different
# versions are compared (the others are the same rows).
_BETWEEN = f"""
    WITH newer AS MATERIALIZED ({_HELD.format(sources="new", years="years")}),
    older AS MATERIALIZED ({_HELD.format(sources="old", years="years")})
    SELECT fiscal_year, COUNT(DISTINCT lao_id)
    FROM (
        (SELECT * FROM newer EXCEPT SELECT * FROM older)
        UNION ALL
        (SELECT * FROM older EXCEPT SELECT * FROM newer)
    ) differences
    GROUP BY fiscal_year
    ORDER BY fiscal_year
"""

# The rows no kept version reads any more: of versions older than the newest `kept`, the years
# they hold themselves (a version without a map, made before maps, holds all its rows), less
# those a kept version carries from them. By (version, year), on the unique index.
_PRUNE = """
    WITH kept AS (
        SELECT e.value::bigint AS version_id, e.key::integer AS fiscal_year
        FROM benchmarks_compositeversion k, jsonb_each_text(k.year_sources) e
        WHERE k.number > %(oldest)s
    ),
    dropped AS (
        (SELECT v.id AS version_id, e.key::integer AS fiscal_year
         FROM benchmarks_compositeversion v, jsonb_each_text(v.year_sources) e
         WHERE v.number <= %(oldest)s AND e.value::bigint = v.id
         UNION
         SELECT DISTINCT s.version_id, s.fiscal_year
         FROM benchmarks_compositeversion v
         JOIN benchmarks_compositescore s ON s.version_id = v.id
         WHERE v.number <= %(oldest)s AND v.year_sources = '{}'::jsonb)
        EXCEPT
        SELECT version_id, fiscal_year FROM kept
    )
    DELETE FROM benchmarks_compositescore s
    USING dropped d
    WHERE s.version_id = d.version_id AND s.fiscal_year = d.fiscal_year
"""


def composite_method() -> dict:
    """The method as it stands: METHOD and the weight of every indicator counted (shown,
    weight > 0), by code."""
    weights = {
        code: str(weight.normalize())
        for code, weight in Indicator.objects.active()
        .filter(weight__gt=0)
        .order_by("code")
        .values_list("code", "weight")
    }
    return {**METHOD, "weights": weights}


def _years_note(years: list[int]) -> str:
    return ", ".join(str(year) for year in years)


def version_notes(*, previous: CompositeVersion | None, method_changed: bool, changed: dict):
    """The Thai and English notes of a new version: why it was made."""
    if previous is None:
        return ("คะแนนรวมฉบับแรก", "First version of the composite scores.")
    if method_changed:
        return (
            f"เปลี่ยนวิธีคำนวณจากฉบับที่ {previous.number} (น้ำหนักหรือตัวชี้วัดที่นับ) คำนวณคะแนนทุกปีใหม่",
            f"Method changed since version {previous.number} (weights or indicators counted); "
            "every year scored again.",
        )
    if not changed:  # an open version whose corrections were all undone
        return (
            f"แก้ไขตัวเลขแล้วแก้กลับ: คะแนนเท่ากับฉบับที่ {previous.number}",
            f"Corrected figures, then corrected back: the scores are those of version "
            f"{previous.number}.",
        )
    count = sum(changed.values())
    years = _years_note(sorted(changed))
    return (
        f"แก้ไขตัวเลข: คะแนนของ อปท. {count:,} แห่งเปลี่ยนไปจากฉบับที่ {previous.number} "
        f"(ปีงบประมาณ {years})",
        f"Corrected figures: the scores of {count:,} LAOs changed since version "
        f"{previous.number} (fiscal years {years}).",
    )


@transaction.atomic
def _prune_old_scores(cursor, *, newest: int) -> int:
    """Delete the rows no version among the newest BENCHMARKS_COMPOSITE_VERSIONS_KEPT reads
    (`_PRUNE`): keeping every version's rows would grow without end. The versions themselves
    (number, date, method, note) stay, so an old page can still say which version it showed and
    why the next one was made."""
    cursor.execute(_PRUNE, {"oldest": newest - settings.BENCHMARKS_COMPOSITE_VERSIONS_KEPT})
    return cursor.rowcount


def _year_sources(cursor, version: CompositeVersion | None) -> dict[int, int]:
    """{fiscal year: id of the version holding it} of `version`'s years with scores. A version
    without a map (none is made so) holds its years itself."""
    if version is None:
        return {}
    if version.year_sources:
        return {int(year): int(source) for year, source in version.year_sources.items()}
    cursor.execute(
        "SELECT DISTINCT fiscal_year FROM benchmarks_compositescore WHERE version_id = %s",
        [version.pk],
    )
    return {year: version.pk for (year,) in cursor.fetchall()}


def _carry(cursor, *, into: int, sources: dict[int, int], years) -> None:
    """Copy `years` (those of them in `sources`, held elsewhere) into version `into`."""
    pairs = [(sources[year], year) for year in sorted(years) if sources.get(year, into) != into]
    if pairs:
        cursor.execute(
            _CARRY,
            {
                "into": into,
                "sources": [source for source, _year in pairs],
                "years": [year for _source, year in pairs],
            },
        )


def _before_key(sources: dict[int, int]) -> str:
    """SQL of the version holding the year before a ranked pair's (ranking.ranks_update)."""
    whens = " ".join(
        f"WHEN {int(year) + 1} THEN {int(source)}" for year, source in sorted(sources.items())
    )
    return f"CASE {{pair}}.fiscal_year {whens} ELSE {{pair}}.key END" if whens else "{pair}.key"


def open_version_base(current: CompositeVersion | None) -> CompositeVersion | None:
    """The version before `current` when corrections still go into `current` (module
    docstring): `current` was made by corrected figures (same method as the version before it,
    whose scores are still kept) less than BENCHMARKS_COMPOSITE_COALESCE_MINUTES ago. None: a
    correction makes a new version."""
    minutes = settings.BENCHMARKS_COMPOSITE_COALESCE_MINUTES
    if not minutes or current is None:
        return None
    if current.created_at < timezone.now() - datetime.timedelta(minutes=minutes):
        return None
    # Outside the kept window the version before loses the rows `current` scored again.
    if settings.BENCHMARKS_COMPOSITE_VERSIONS_KEPT < 2:
        return None
    previous = CompositeVersion.objects.filter(number=current.number - 1).first()
    if previous is None or previous.method != current.method:
        return None
    held = {previous.pk, *(int(source) for source in previous.year_sources.values())}
    if not CompositeScore.objects.filter(version_id__in=held).exists():
        return None  # its note could not be said against it
    return previous


def composite_recompute(*, fiscal_years: Iterable[int] | None = None) -> dict:
    """Score every active LAO in `fiscal_years` (None: every year with indicator values) from
    the ranks already written (run benchmarks.ranking first), and make a new version when the
    method or any score changed, or write corrections into the version still open for them
    (module docstring). Returns {"version": number or None, "created": bool, "amended": bool,
    "changed": {year: LAOs changed}, "ranks": rows ranked}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    method = composite_method()
    current = CompositeVersion.objects.order_by("-number").first()
    method_changed = current is None or current.method != method
    if fiscal_years is None or method_changed:
        years = sorted(
            IndicatorValue.objects.order_by().values_list("fiscal_year", flat=True).distinct()
        )
    else:
        years = sorted(set(fiscal_years))
    result = {
        "version": current and current.number,
        "created": False,
        "amended": False,
        "changed": {},
        "ranks": 0,
    }
    if not years:
        return result
    params = {
        "years": years,
        "codes": sorted(method["weights"]),
        "minimum": MINIMUM_INDICATORS,
        "minimum_peers": MINIMUM_PEERS,
        "too_few": Reason.TOO_FEW.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SCORES, params)
        sources = _year_sources(cursor, current)
        # The years after those scored, with scores and not scored themselves: their rank the
        # year before follows the scored years, so the version that scores them holds them too.
        following = sorted({year + 1 for year in years} & set(sources) - set(years))
        changed = {}
        if not method_changed:
            cursor.execute(
                _CHANGED,
                {"sources": [sources.get(year, current.pk) for year in years], "years": years},
            )
            changed = dict(cursor.fetchall())
        version = current
        base = None if method_changed or not changed else open_version_base(current)
        if base is not None:
            _carry(cursor, into=current.pk, sources=sources, years=[*years, *following])
            sources.update({year: current.pk for year in [*years, *following]})
            cursor.execute(_AMEND, {"version": current.pk, "years": years})
            base_sources = _year_sources(cursor, base)
            differing = sorted(
                year
                for year in set(sources) | set(base_sources)
                if sources.get(year, current.pk) != base_sources.get(year, base.pk)
            )
            cursor.execute(
                _BETWEEN,
                {
                    "new": [sources.get(year, current.pk) for year in differing],
                    "old": [base_sources.get(year, base.pk) for year in differing],
                    "years": differing,
                },
            )
            note_th, note_en = version_notes(
                previous=base, method_changed=False, changed=dict(cursor.fetchall())
            )
            CompositeVersion.objects.filter(pk=current.pk).update(
                note_th=note_th, note_en=note_en, year_sources=_as_map(sources)
            )
            result.update(amended=True, changed=changed)
        elif method_changed or changed:
            note_th, note_en = version_notes(
                previous=current, method_changed=method_changed, changed=changed
            )
            version = CompositeVersion.objects.create(
                number=(current.number + 1) if current else 1,
                method=method,
                note_th=note_th,
                note_en=note_en,
            )
            held_before = [(sources[year], year) for year in years if year in sources]
            cursor.execute(
                _INSERT,
                {
                    "new": version.pk,
                    "sources": [source for source, _year in held_before],
                    "years": [year for _source, year in held_before],
                },
            )
            _carry(cursor, into=version.pk, sources=sources, years=following)
            sources.update({year: version.pk for year in [*years, *following]})
            CompositeVersion.objects.filter(pk=version.pk).update(year_sources=_as_map(sources))
            result.update(created=True, changed=changed)
            result["pruned"] = _prune_old_scores(cursor, newest=version.number)
        result["version"] = version.number
        # Ranks follow the scores and the geography. Unchanged scores are ranked where they are
        # held (a year carried by reference is ranked in the version holding it).
        scope_stage(cursor, [(sources.get(year, version.pk), year) for year in years])
        held = sorted({version.pk, *sources.values()})
        ranked, following_ranked = ranks_update(
            cursor,
            table="benchmarks_compositescore",
            key="version_id",
            badness="-t.score",
            joins="",
            where=f"t.version_id IN ({', '.join(str(int(pk)) for pk in held)})",
            rankable="t.score IS NOT NULL",
            before_key=_before_key(sources),
        )
        result["ranks"] = sum(ranked.values()) + following_ranked
        cursor.execute("DROP TABLE bm_composite, bm_scope")
    return result


def _as_map(sources: dict[int, int]) -> dict[str, int]:
    return {str(year): int(source) for year, source in sorted(sources.items())}
