"""Ranks, the saturation check and the statistics of every indicator and fiscal year, all LAOs at
once with SQL window functions (a handful of statements whatever the number of LAOs).

Order. Rank 1 is best in the indicator's direction: the highest value (higher is better), the
lowest (lower is better), or for a target the smallest distance to it, a value within the
tolerance counting as on target (distance 0, best). Ties share a rank (`RANK()`: 1, 1, 3). Only
values are ranked: a row with a reason keeps empty ranks, and so does every row of a saturated
indicator-year.

Ranks written to each IndicatorValue: national, in the province (with the number ranked there),
in the peer group (with the number ranked there; benchmarks/peers.py), and:

- `peer_percentile` = 100 × (n − rank) ÷ (n − 1) in a peer group of n ranked LAOs (100 = best,
  0 = last; the complement of PERCENT_RANK, so ties share it); empty in a group of one, where it
  would say nothing (Bangkok, Pattaya);
- `peer_quartile` from the percentile: 75–100 → 1 (the best quarter), 50–75 → 2, 25–50 → 3,
  below 25 → 4; ties share it, as they do not with NTILE;
- `previous_national_rank`: the national rank of the same indicator the fiscal year before.

Saturation (IndicatorYear), checked before ranking: among the LAOs with a value, how many are at
the best value and how many distinct values there are. An indicator-year is **saturated** when at
least SATURATION_SHARE % of them are at the best value or it has at most SATURATION_DISTINCT
distinct values: it cannot tell LAOs apart (LPA 2564: 98.8 % passed). A saturated indicator-year
gets no ranks (pages show pass/fail: at the best value or not) and stays out of the composite.

IndicatorYear also keeps the national median, minimum, maximum, a histogram of HISTOGRAM_BINS
equal-width bins between the minimum and maximum (the maximum falls in the last bin) and the
missing values by reason; PeerStatistic the median and count per peer group.

Every write is an upsert or update guarded by IS DISTINCT FROM: a rerun over unchanged values
writes nothing.

Scope. A national run ranks every indicator of the years given. After one LAO's change the
pipeline (benchmarks/services.py) passes only the indicator-years whose values were written
(`indicator_years`): one changed value moves the ranks of its own indicator and year only, so the
others are not read again, and nothing is ranked when nothing changed.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from benchmarks.models import RANK_FIELDS, Indicator

SATURATION_SHARE = 90  # % of the LAOs with a value at the best value
SATURATION_DISTINCT = 2  # this many distinct values or fewer: a pass/fail indicator already
HISTOGRAM_BINS = 10

# How far a value is from the best, per indicator direction (smaller is better). Only for rows
# with a value: GREATEST ignores NULLs, so a missing value would read as on target.
BADNESS = """
    CASE i.direction
        WHEN 'higher' THEN -{value}
        WHEN 'lower' THEN {value}
        ELSE GREATEST(ABS({value} - i.target) - i.tolerance, 0)
    END
"""

_YEARS = """
    INSERT INTO benchmarks_indicatoryear
        (indicator_id, fiscal_year, laos_total, ranked_count, distinct_values, at_best_count,
         share_at_best, saturated, median, minimum, maximum, histogram, reasons, computed_at)
    WITH vals AS (
        SELECT v.indicator_id, v.fiscal_year, v.value, v.reason,
               {badness} AS badness
        FROM benchmarks_indicatorvalue v
        JOIN benchmarks_indicator i ON i.id = v.indicator_id
        JOIN bm_scope sc ON sc.key = v.indicator_id AND sc.fiscal_year = v.fiscal_year
    ),
    best AS (
        SELECT indicator_id, fiscal_year, MIN(badness) AS best
        FROM vals WHERE value IS NOT NULL GROUP BY 1, 2
    ),
    stats AS (
        SELECT x.indicator_id, x.fiscal_year, COUNT(*) AS laos_total,
               COUNT(x.value) AS ranked_count, COUNT(DISTINCT x.value) AS distinct_values,
               COUNT(*) FILTER (WHERE x.value IS NOT NULL AND x.badness = b.best)
                   AS at_best_count,
               ROUND((percentile_cont(0.5) WITHIN GROUP (ORDER BY x.value))::numeric, 4)
                   AS median,
               MIN(x.value) AS minimum, MAX(x.value) AS maximum
        FROM vals x
        LEFT JOIN best b ON b.indicator_id = x.indicator_id AND b.fiscal_year = x.fiscal_year
        GROUP BY 1, 2
    ),
    binned AS (
        SELECT x.indicator_id, x.fiscal_year,
               CASE WHEN s.maximum > s.minimum
                    THEN LEAST(width_bucket(x.value, s.minimum, s.maximum, %(bins)s), %(bins)s)
                    ELSE 1 END AS bin,
               COUNT(*) AS n
        FROM vals x
        JOIN stats s ON s.indicator_id = x.indicator_id AND s.fiscal_year = x.fiscal_year
        WHERE x.value IS NOT NULL
        GROUP BY 1, 2, 3
    ),
    histograms AS (
        SELECT s.indicator_id, s.fiscal_year,
               jsonb_agg(jsonb_build_object(
                   'from', trim_scale(ROUND(s.minimum + (g.bin - 1) * w.width, 4))::text,
                   'to', trim_scale(ROUND(
                       CASE WHEN g.bin = w.bins THEN s.maximum ELSE s.minimum + g.bin * w.width END,
                       4))::text,
                   'count', COALESCE(b.n, 0)
               ) ORDER BY g.bin) AS histogram
        FROM stats s
        CROSS JOIN LATERAL (
            SELECT CASE WHEN s.maximum > s.minimum THEN %(bins)s ELSE 1 END AS bins,
                   (s.maximum - s.minimum) / %(bins)s AS width
        ) w
        CROSS JOIN LATERAL generate_series(1, w.bins) AS g(bin)
        LEFT JOIN binned b
            ON b.indicator_id = s.indicator_id AND b.fiscal_year = s.fiscal_year AND b.bin = g.bin
        WHERE s.ranked_count > 0
        GROUP BY 1, 2
    ),
    reasons AS (
        SELECT indicator_id, fiscal_year, jsonb_object_agg(reason, n) AS reasons
        FROM (
            SELECT indicator_id, fiscal_year, reason, COUNT(*) AS n
            FROM vals WHERE reason <> '' GROUP BY 1, 2, 3
        ) counted
        GROUP BY 1, 2
    )
    SELECT s.indicator_id, s.fiscal_year, s.laos_total, s.ranked_count, s.distinct_values,
           s.at_best_count,
           CASE WHEN s.ranked_count > 0
                THEN ROUND(100.0 * s.at_best_count / s.ranked_count, 2) ELSE 0 END,
           s.ranked_count > 0 AND (
               100.0 * s.at_best_count >= %(share)s * s.ranked_count
               OR s.distinct_values <= %(distinct)s
           ),
           s.median, s.minimum, s.maximum,
           COALESCE(h.histogram, '[]'::jsonb), COALESCE(r.reasons, '{{}}'::jsonb), now()
    FROM stats s
    LEFT JOIN histograms h ON h.indicator_id = s.indicator_id AND h.fiscal_year = s.fiscal_year
    LEFT JOIN reasons r ON r.indicator_id = s.indicator_id AND r.fiscal_year = s.fiscal_year
    ON CONFLICT (indicator_id, fiscal_year) DO UPDATE
    SET laos_total = EXCLUDED.laos_total, ranked_count = EXCLUDED.ranked_count,
        distinct_values = EXCLUDED.distinct_values, at_best_count = EXCLUDED.at_best_count,
        share_at_best = EXCLUDED.share_at_best, saturated = EXCLUDED.saturated,
        median = EXCLUDED.median, minimum = EXCLUDED.minimum, maximum = EXCLUDED.maximum,
        histogram = EXCLUDED.histogram, reasons = EXCLUDED.reasons,
        computed_at = EXCLUDED.computed_at
    WHERE (benchmarks_indicatoryear.laos_total, benchmarks_indicatoryear.ranked_count,
           benchmarks_indicatoryear.distinct_values, benchmarks_indicatoryear.at_best_count,
           benchmarks_indicatoryear.share_at_best, benchmarks_indicatoryear.saturated,
           benchmarks_indicatoryear.median, benchmarks_indicatoryear.minimum,
           benchmarks_indicatoryear.maximum, benchmarks_indicatoryear.histogram::jsonb,
           benchmarks_indicatoryear.reasons::jsonb)
          IS DISTINCT FROM
          (EXCLUDED.laos_total, EXCLUDED.ranked_count, EXCLUDED.distinct_values,
           EXCLUDED.at_best_count, EXCLUDED.share_at_best, EXCLUDED.saturated, EXCLUDED.median,
           EXCLUDED.minimum, EXCLUDED.maximum, EXCLUDED.histogram::jsonb,
           EXCLUDED.reasons::jsonb)
    RETURNING fiscal_year
"""

_YEARS_PRUNE = """
    DELETE FROM benchmarks_indicatoryear y
    USING bm_scope sc
    WHERE sc.key = y.indicator_id AND sc.fiscal_year = y.fiscal_year
      AND NOT EXISTS (
          SELECT 1 FROM benchmarks_indicatorvalue v
          WHERE v.indicator_id = y.indicator_id AND v.fiscal_year = y.fiscal_year
      )
    RETURNING y.fiscal_year
"""


# The rank update, shared by indicator values and composite scores: `{key}` is the column that
# splits the rows into separate rankings besides the year (indicator_id, version_id); bm_scope
# holds the (key, fiscal year) pairs to rank. Every row of those pairs is ranked in one statement
# and compared with the ranks it holds; only the rows that moved are kept, in an analysed
# temporary table (bm_ranked), and then updated by id. (After one LAO's change a few dozen of
# the ~40,000 rows ranked move: staging them all cost more than ranking them.) The
# previous-year ranks are found in the same statement, by a window over the ranked rows where
# the year before is ranked too, instead of index probes per row (half a million at national
# scale), and the table is never read whole to find the rows that changed.
SCOPE = """
    CREATE TEMPORARY TABLE bm_scope ON COMMIT DROP AS
    SELECT DISTINCT key, fiscal_year
    FROM unnest(%(scope_keys)s::bigint[], %(scope_years)s::integer[]) AS s(key, fiscal_year)
"""

# A row not rankable (no value, a saturated year) is staged too, with empty ranks: it is
# ranked in a partition of its own, whose ranks are dropped. The rank of the year before is the
# staged one when that year is ranked now, else the one the table holds (that year is not
# touched by this run). Only rows whose ranks differ from those they hold are kept;
# `national_moved`: the national rank does (the year after follows it).
RANKED = """
    CREATE TEMPORARY TABLE bm_ranked ON COMMIT DROP AS
    WITH scoped AS (
        -- Peer groups are only told apart, never ordered: compared bytewise, not by locale.
        SELECT t.id, t.lao_id, t.fiscal_year, t.{key} AS key, l.province_id,
               pm.peer_group COLLATE "C" AS peer_group,
               COALESCE({rankable}, false) AS rankable, {badness} AS badness,
               t.national_rank AS was_national_rank, t.province_rank AS was_province_rank,
               t.province_count AS was_province_count, t.peer_rank AS was_peer_rank,
               t.peer_count AS was_peer_count, t.peer_percentile AS was_peer_percentile,
               t.peer_quartile AS was_peer_quartile,
               t.previous_national_rank AS was_previous_national_rank,
               last_year.key IS NOT NULL AS last_year_ranked,
               next_year.key IS NOT NULL AS next_year_ranked
        FROM bm_scope sc
        JOIN {table} t ON t.{key} = sc.key AND t.fiscal_year = sc.fiscal_year
        JOIN units_lao l ON l.id = t.lao_id
        {joins}
        LEFT JOIN benchmarks_peermembership pm
            ON pm.lao_id = t.lao_id AND pm.fiscal_year = t.fiscal_year
        LEFT JOIN bm_scope last_year
            ON last_year.key = sc.key AND last_year.fiscal_year = sc.fiscal_year - 1
        LEFT JOIN bm_scope next_year
            ON next_year.key = sc.key AND next_year.fiscal_year = sc.fiscal_year + 1
        WHERE {where}
    ),
    ranked AS (
        SELECT id, lao_id, fiscal_year, key, peer_group, rankable, {was}, last_year_ranked,
               next_year_ranked,
               RANK() OVER (PARTITION BY key, fiscal_year, rankable ORDER BY badness)
                   AS national_rank,
               RANK() OVER (PARTITION BY key, fiscal_year, rankable, province_id
                            ORDER BY badness) AS province_rank,
               COUNT(*) OVER (PARTITION BY key, fiscal_year, rankable, province_id)
                   AS province_count,
               RANK() OVER (PARTITION BY key, fiscal_year, rankable, peer_group
                            ORDER BY badness) AS peer_rank,
               COUNT(*) OVER (PARTITION BY key, fiscal_year, rankable, peer_group)
                   AS peer_count
        FROM scoped
    ),
    kept AS (
        SELECT id, lao_id, fiscal_year, key, {was}, last_year_ranked, next_year_ranked,
               CASE WHEN rankable THEN national_rank END AS national_rank,
               CASE WHEN rankable THEN province_rank END AS province_rank,
               CASE WHEN rankable THEN province_count END AS province_count,
               CASE WHEN rankable AND peer_group IS NOT NULL THEN peer_rank END AS peer_rank,
               CASE WHEN rankable AND peer_group IS NOT NULL THEN peer_count END AS peer_count,
               CASE WHEN rankable AND peer_group IS NOT NULL AND peer_count > 1
                    THEN ROUND(100.0 * (peer_count - peer_rank) / (peer_count - 1), 2)
               END AS peer_percentile
        FROM ranked
    ),
    linked AS (
        SELECT kept.*, {staged_before}
    ),
    -- Materialized: the outer SELECT names previous_national_rank twice, and an inlined
    -- subquery would look the stored rank up twice per row.
    new AS MATERIALIZED (
        SELECT id, lao_id, fiscal_year, key, {was}, next_year_ranked, national_rank,
               province_rank, province_count, peer_rank, peer_count, peer_percentile,
               CASE WHEN peer_percentile >= 75 THEN 1
                    WHEN peer_percentile >= 50 THEN 2
                    WHEN peer_percentile >= 25 THEN 3
                    WHEN peer_percentile IS NOT NULL THEN 4 END AS peer_quartile,
               CASE WHEN last_year_ranked
                    THEN CASE WHEN staged_year_before = fiscal_year - 1
                              THEN staged_rank_before END
                    ELSE {stored_before}
               END AS previous_national_rank
        FROM linked
    )
    SELECT id, lao_id, fiscal_year, key, next_year_ranked, national_rank, province_rank,
           province_count, peer_rank, peer_count, peer_percentile, peer_quartile,
           previous_national_rank,
           national_rank IS DISTINCT FROM was_national_rank AS national_moved
    FROM new
    WHERE (national_rank, province_rank, province_count, peer_rank, peer_count,
           peer_percentile, peer_quartile, previous_national_rank)
          IS DISTINCT FROM
          (was_national_rank, was_province_rank, was_province_count, was_peer_rank,
           was_peer_count, was_peer_percentile, was_peer_quartile, was_previous_national_rank)
"""

# The staged rank of the year before (when some pair's year before is ranked too: the window
# is one more sort of every staged row, left out when no pair needs it), and the stored one.
STAGED_BEFORE = """
    LAG(fiscal_year) OVER lao_years AS staged_year_before,
    LAG(national_rank) OVER lao_years AS staged_rank_before
    FROM kept
    WINDOW lao_years AS (PARTITION BY key, lao_id ORDER BY fiscal_year)
"""
NO_STAGED_BEFORE = """
    NULL::integer AS staged_year_before, NULL::bigint AS staged_rank_before FROM kept
"""
# Per row, by the unique index: a join here let the planner, misled by a new composite
# version's rows it has no statistics for yet, scan the whole version once per row.
# `{before_linked}`: the key whose rows hold the year before (a composite version may carry
# that year from an older version).
STORED_BEFORE = """(
    SELECT stored.national_rank FROM {table} stored
    WHERE stored.{key} = {before_linked} AND stored.lao_id = linked.lao_id
      AND stored.fiscal_year = linked.fiscal_year - 1
)"""

# Which of the two a scope needs: some pair's year before ranked too; some pair's year before
# not ranked but stored.
BEFORE_NEEDED = """
    SELECT COALESCE(bool_or(last_year.key IS NOT NULL), false),
           COALESCE(bool_or(last_year.key IS NULL AND EXISTS (
               SELECT 1 FROM {table} t
               WHERE t.{key} = {before_sc} AND t.fiscal_year = sc.fiscal_year - 1 AND {where}
           )), false)
    FROM bm_scope sc
    LEFT JOIN bm_scope last_year
        ON last_year.key = sc.key AND last_year.fiscal_year = sc.fiscal_year - 1
"""

# The rows whose ranks moved (bm_ranked, against the ranks they had when ranked) are written:
# joined by id, not by reading the whole table. Returns the years of the rows written.
RANKS = """
    WITH written AS (
        UPDATE {table} u
        SET national_rank = p.national_rank, province_rank = p.province_rank,
            province_count = p.province_count, peer_rank = p.peer_rank,
            peer_count = p.peer_count, peer_percentile = p.peer_percentile,
            peer_quartile = p.peer_quartile,
            previous_national_rank = p.previous_national_rank
        FROM bm_ranked p
        WHERE u.id = p.id
        RETURNING u.fiscal_year
    )
    SELECT fiscal_year, COUNT(*) FROM written GROUP BY fiscal_year
"""

# The year after a ranked pair, when not ranked itself, keeps the rank of its year before:
# refreshed where that moved. (Where it did not move, the year after already holds it: a
# national run ranks every year with the one before, and every scoped run keeps it so.)
FOLLOWING_YEAR = """
    UPDATE {table} t
    SET previous_national_rank = p.national_rank
    FROM bm_ranked p
    WHERE p.national_moved AND NOT p.next_year_ranked
      AND t.{key} = p.key AND t.lao_id = p.lao_id AND t.fiscal_year = p.fiscal_year + 1
      AND {where}
      AND t.previous_national_rank IS DISTINCT FROM p.national_rank
"""

# The peer medians of the pairs in scope, written where they changed, and those of groups no
# LAO of the pair is in any more removed: one grouping of the values, read by both (NOT IN over
# a few hundred groups is one hashed set; a correlated NOT EXISTS took seconds). The two writes
# never touch the same row: a row updated is in `stats`, a row removed is not.
_PEER_STATISTICS = """
    WITH stats AS MATERIALIZED (
        SELECT v.indicator_id, v.fiscal_year, pm.peer_group, COUNT(v.value) AS ranked_count,
               ROUND((percentile_cont(0.5) WITHIN GROUP (ORDER BY v.value))::numeric, 4)
                   AS median
        FROM bm_scope sc
        JOIN benchmarks_indicatorvalue v
            ON v.indicator_id = sc.key AND v.fiscal_year = sc.fiscal_year
        JOIN benchmarks_peermembership pm
            ON pm.lao_id = v.lao_id AND pm.fiscal_year = v.fiscal_year
        GROUP BY 1, 2, 3
    ),
    upserted AS (
        INSERT INTO benchmarks_peerstatistic
            (indicator_id, fiscal_year, peer_group, ranked_count, median)
        SELECT indicator_id, fiscal_year, peer_group, ranked_count, median FROM stats
        ON CONFLICT (indicator_id, fiscal_year, peer_group) DO UPDATE
        SET ranked_count = EXCLUDED.ranked_count, median = EXCLUDED.median
        WHERE (benchmarks_peerstatistic.ranked_count, benchmarks_peerstatistic.median)
              IS DISTINCT FROM (EXCLUDED.ranked_count, EXCLUDED.median)
        RETURNING 1
    ),
    pruned AS (
        DELETE FROM benchmarks_peerstatistic s
        USING bm_scope sc
        WHERE sc.key = s.indicator_id AND sc.fiscal_year = s.fiscal_year
          AND (s.indicator_id, s.fiscal_year, s.peer_group) NOT IN (
              SELECT indicator_id, fiscal_year, peer_group FROM stats
          )
        RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM upserted) + (SELECT COUNT(*) FROM pruned)
"""


def scope_stage(cursor, pairs: Iterable[tuple[int, int]]) -> None:
    """Write bm_scope, the (key, fiscal year) pairs the next statements rank; drop it after."""
    pairs = sorted(set(pairs))
    cursor.execute(
        SCOPE,
        {
            "scope_keys": [key for key, _year in pairs],
            "scope_years": [year for _key, year in pairs],
        },
    )
    cursor.execute("ANALYZE bm_scope")


def ranks_update(
    cursor,
    *,
    table: str,
    key: str,
    badness: str,
    joins: str,
    where: str,
    rankable: str,
    params=None,
    before_key: str = "{pair}.key",
) -> tuple[dict[int, int], int]:
    """Rank the rows of `table` in the (key, fiscal year) pairs of bm_scope (see RANKED), then
    refresh the previous-year rank of the year after them. `joins` must be LEFT JOINs: every
    row of the pairs is staged, ranked or not. `before_key`: SQL of the key whose rows hold a
    pair's year before, `{pair}` standing for the pair's alias (its `key` and `fiscal_year`);
    `where` must hold for those rows too. Returns the rows ranked per fiscal year of the
    pairs, and the rows of the years after whose previous-year rank was refreshed (apart: no
    score depends on it)."""
    parts = {
        "table": table,
        "key": key,
        "badness": badness,
        "joins": joins,
        "where": where,
        "before_sc": before_key.format(pair="sc"),
        "before_linked": before_key.format(pair="linked"),
    }
    params = params or {}
    cursor.execute(BEFORE_NEEDED.format(**parts), params)
    staged, stored = cursor.fetchone()
    cursor.execute(
        RANKED.format(
            rankable=rankable,
            staged_before=STAGED_BEFORE if staged else NO_STAGED_BEFORE,
            was=", ".join(f"was_{column}" for column in RANK_FIELDS),
            stored_before=STORED_BEFORE.format(**parts) if stored else "NULL::bigint",
            **parts,
        ),
        params,
    )
    cursor.execute("CREATE INDEX ON bm_ranked (key, lao_id, fiscal_year)")
    cursor.execute("ANALYZE bm_ranked")
    cursor.execute(RANKS.format(**parts), params)
    written = dict(cursor.fetchall())
    cursor.execute(FOLLOWING_YEAR.format(**parts), params)
    following = cursor.rowcount
    # Dropped now, not at the commit: the pipeline ranks indicators, then the composite.
    cursor.execute("DROP TABLE bm_ranked")
    return written, following


@transaction.atomic
def indicator_ranks_recompute(
    *,
    fiscal_years: Iterable[int] | None = None,
    indicator_years: Iterable[tuple[int, int]] | None = None,
) -> dict:
    """The saturation check and statistics (IndicatorYear), the ranks of every IndicatorValue
    and the peer medians (PeerStatistic) of every indicator in `fiscal_years`, or of the
    (indicator id, fiscal year) pairs of `indicator_years` only, over all LAOs: when one LAO's
    value changes, everyone's rank in that indicator-year may. Returns the rows written per
    table and `changed_years`, the years whose ranks or statistics changed (the composite of
    those only needs scoring again)."""
    if indicator_years is None:
        years = sorted(set(fiscal_years or []))
        indicator_ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
        pairs = [(indicator, year) for indicator in indicator_ids for year in years]
    else:
        pairs = sorted({(int(indicator), int(year)) for indicator, year in indicator_years})
    result = {"years": 0, "ranks": 0, "peer_statistics": 0, "changed_years": []}
    if not pairs:
        return result
    params = {"bins": HISTOGRAM_BINS, "share": SATURATION_SHARE, "distinct": SATURATION_DISTINCT}
    with connection.cursor() as cursor:
        scope_stage(cursor, pairs)
        cursor.execute(_YEARS.format(badness=BADNESS.format(value="v.value")), params)
        changed = [year for (year,) in cursor.fetchall()]
        cursor.execute(_YEARS_PRUNE)
        changed += [year for (year,) in cursor.fetchall()]
        ranks, following = ranks_update(
            cursor,
            table="benchmarks_indicatorvalue",
            key="indicator_id",
            badness=BADNESS.format(value="t.value"),
            joins="""
                LEFT JOIN benchmarks_indicator i ON i.id = t.indicator_id
                LEFT JOIN benchmarks_indicatoryear iy
                    ON iy.indicator_id = t.indicator_id AND iy.fiscal_year = t.fiscal_year
            """,
            where="TRUE",
            rankable="t.value IS NOT NULL AND NOT iy.saturated",
        )
        cursor.execute(_PEER_STATISTICS)
        (peer_statistics,) = cursor.fetchone()
        cursor.execute("DROP TABLE bm_scope")
    result.update(
        years=len(changed),
        ranks=sum(ranks.values()) + following,
        peer_statistics=peer_statistics,
        changed_years=sorted(set(changed) | set(ranks)),
    )
    return result
