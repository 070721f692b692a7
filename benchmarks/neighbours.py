"""Nearest neighbours: for every LAO and fiscal year, the 15 LAOs most like it (the CIPFA /
mySociety nearest-neighbour model), each with a published similarity score.

Measures, each standardized to a z-score over the LAOs compared in that year:

- population and area (km²), as logarithms: both span three orders of magnitude (a 2,000-person
  SAO to Bangkok's 5.5 million), and without the log the few largest LAOs would set the scale
  and every small LAO would look alike;
- budget per capita, also as a logarithm, and own-source revenue share (%), from the
  IndicatorValue rows of those computed indicators in the same year.

A missing measure (no population or area in the registry, no enacted budget yet) takes the
median of the LAO's kind in that year (of all LAOs when the kind has none), so an LAO is placed
by what is known of it rather than left out; a measure no LAO has that year standardizes to 0 and
does not separate anyone.

Who is compared with whom: PAOs among PAOs (they cover a whole province and do other work); all
other kinds together, so that an SAO of 12,000 people can find the subdistrict municipality of
12,000 next door (peer groups, benchmarks/peers.py, already keep kinds apart). Bangkok and
Pattaya are compared with the municipalities.

Distance d is the Euclidean distance between the four z-scores; the similarity published is
`100 / (1 + d)`, rounded to 2 decimals: 100 = identical on every measure, 50 = one standard
deviation apart on one measure (or about 0.7 on two), falling towards 0 as LAOs differ. Equal
distances are ordered by LAO id, so reruns give the same list.

Scope: the national run refreshes every LAO's list; a run for some LAOs (after one LAO's data
changed) refreshes only their own lists, measured against everyone's current figures. The LAO
may also belong in others' lists; those follow at the next national run (benchmarks_recompute).
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import numpy as np
from django.db import connection, transaction
from scipy.spatial import KDTree

from benchmarks.indicators import BUDGET_PER_CAPITA, OWN_SOURCE_REVENUE_SHARE
from units.bulk import copy_text
from units.models import LAOKind

NEIGHBOURS = 15
# Kinds compared only among themselves; every other kind is compared with every other.
SEPARATE_KINDS = (LAOKind.PAO,)

_FEATURES = """
    SELECT l.id, y.fiscal_year, l.kind, l.population, l.area_km2, bpc.value, own.value
    FROM units_lao l
    CROSS JOIN unnest(%(years)s::integer[]) AS y(fiscal_year)
    -- The indicator ids as scalar subqueries: joined as rows, the planner read all values of
    -- every indicator twice (0.6 s for one year) instead of probing the unique index.
    LEFT JOIN benchmarks_indicatorvalue bpc
        ON bpc.indicator_id = (
               SELECT id FROM benchmarks_indicator WHERE code = %(budget_per_capita)s
           )
       AND bpc.lao_id = l.id AND bpc.fiscal_year = y.fiscal_year
    LEFT JOIN benchmarks_indicatorvalue own
        ON own.indicator_id = (SELECT id FROM benchmarks_indicator WHERE code = %(own_source)s)
       AND own.lao_id = l.id AND own.fiscal_year = y.fiscal_year
    WHERE l.is_active
    ORDER BY y.fiscal_year, l.id
"""


def _log(values: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log1p(np.where(values >= 0, values, np.nan))


def standardized_features(kinds: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """The z-scores of the measures (columns of `raw`, NaN where missing, already on their
    log scale), with each missing value replaced by the median of its kind first."""
    features = raw.copy()
    for column in range(features.shape[1]):
        values = features[:, column]
        missing = np.isnan(values)
        if not missing.any():
            continue
        overall = np.nanmedian(values) if not missing.all() else 0.0
        for kind in np.unique(kinds[missing]):
            of_kind = kinds == kind
            known = values[of_kind & ~missing]
            values[of_kind & missing] = np.median(known) if known.size else overall
    mean = features.mean(axis=0)
    spread = features.std(axis=0)
    spread[spread == 0] = 1.0  # a measure nobody differs on separates nobody
    return (features - mean) / spread


def similarity(distance: float) -> Decimal:
    """The published similarity of two LAOs `distance` apart in z-space (100 = identical),
    rounded as the recompute rounds it."""
    return Decimal(f"{np.round(100 / (1 + distance), 2):.2f}")


def nearest(ids: np.ndarray, points: np.ndarray, wanted: Iterable[int] | None = None):
    """For each LAO of `ids` (or of `wanted` only): its NEIGHBOURS nearest others, nearest
    first, ties by id. Returns three arrays of the same shape (LAOs × up to NEIGHBOURS): the
    LAO's id, the neighbour's id and the distance."""
    count = len(ids)
    empty = (np.empty((0, 0), dtype=np.int64),) * 2 + (np.empty((0, 0)),)
    if count < 2:
        return empty
    positions = np.arange(count) if wanted is None else np.flatnonzero(np.isin(ids, list(wanted)))
    if len(positions) == 0:
        return empty
    # A few more than needed, so that equal distances at the edge can be ordered by id.
    k = min(NEIGHBOURS + 4, count)
    distances, indexes = KDTree(points).query(points[positions], k=k)
    distances, indexes = distances.reshape(len(positions), k), indexes.reshape(len(positions), k)
    # Itself goes last (it may not come first when another LAO has the very same figures).
    itself = indexes == positions[:, None]
    distances = np.where(itself, np.inf, distances)
    found = ids[indexes]
    order = np.lexsort((found, np.round(distances, 9)), axis=1)[:, : min(NEIGHBOURS, count - 1)]
    found = np.take_along_axis(found, order, axis=1)
    distances = np.take_along_axis(distances, order, axis=1)
    owners = np.broadcast_to(ids[positions][:, None], found.shape)
    return owners, found, distances


_APPLY = """
    WITH upserted AS (
        INSERT INTO benchmarks_neighbour (lao_id, fiscal_year, position, neighbour_id, similarity)
        -- Only the positions that differ reach the upsert: one hash join instead of an
        -- index probe per row (589,000 at national scale).
        SELECT b.lao_id, b.fiscal_year, b.position, b.neighbour_id, b.similarity
        FROM bm_neighbours b
        LEFT JOIN benchmarks_neighbour n
            ON n.lao_id = b.lao_id AND n.fiscal_year = b.fiscal_year AND n.position = b.position
        WHERE n.id IS NULL
           OR (n.neighbour_id, n.similarity) IS DISTINCT FROM (b.neighbour_id, b.similarity)
        ON CONFLICT (lao_id, fiscal_year, position) DO UPDATE
        SET neighbour_id = EXCLUDED.neighbour_id, similarity = EXCLUDED.similarity
        WHERE (benchmarks_neighbour.neighbour_id, benchmarks_neighbour.similarity)
              IS DISTINCT FROM (EXCLUDED.neighbour_id, EXCLUDED.similarity)
        RETURNING 1
    )
    SELECT COUNT(*) FROM upserted
"""

_PRUNE = """
    DELETE FROM benchmarks_neighbour n
    WHERE n.fiscal_year = ANY(%(years)s::integer[])
      AND (%(all_laos)s OR n.lao_id = ANY(%(lao_ids)s::bigint[]))
      AND NOT EXISTS (
          SELECT 1 FROM bm_neighbours b
          WHERE b.lao_id = n.lao_id AND b.fiscal_year = n.fiscal_year
            AND b.position = n.position
      )
"""


@transaction.atomic
def neighbours_recompute(
    *, fiscal_years: Iterable[int], lao_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Find the nearest neighbours of every active LAO (or of `lao_ids` only, measured against
    all) in each of `fiscal_years`, and store them: staged by COPY, then one upsert that leaves
    unchanged positions alone and one delete of positions no longer there. Returns
    {"written": n, "removed": n}."""
    years = sorted(set(fiscal_years))
    wanted = None if lao_ids is None else sorted(set(lao_ids))
    if not years:
        return {"written": 0, "removed": 0}
    with connection.cursor() as cursor:
        cursor.execute(
            _FEATURES,
            {
                "years": years,
                "budget_per_capita": BUDGET_PER_CAPITA.code,
                "own_source": OWN_SOURCE_REVENUE_SHARE.code,
            },
        )
        rows = cursor.fetchall()
    by_group: dict[tuple[int, bool], list[tuple]] = defaultdict(list)
    for row in rows:
        by_group[(row[1], row[2] in SEPARATE_KINDS)].append(row)
    staged: list[str] = []
    for (year, _separate), members in by_group.items():
        ids = np.array([row[0] for row in members], dtype=np.int64)
        kinds = np.array([row[2] for row in members])
        raw = np.array(
            [[np.nan if value is None else float(value) for value in row[3:]] for row in members],
            dtype=float,
        )
        raw[:, 0:3] = _log(raw[:, 0:3])  # population, area, budget per capita
        points = standardized_features(kinds, raw)
        owners, found, distances = nearest(ids, points, wanted)
        if not owners.size:
            continue
        scores = np.round(100 / (1 + distances), 2)
        positions = np.broadcast_to(np.arange(1, found.shape[1] + 1), found.shape)
        staged.extend(
            f"{owner}\t{year}\t{position}\t{neighbour}\t{score:.2f}\n"
            for owner, position, neighbour, score in zip(
                owners.ravel().tolist(),
                positions.ravel().tolist(),
                found.ravel().tolist(),
                scores.ravel().tolist(),
                strict=True,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bm_neighbours (lao_id bigint, fiscal_year integer, "
            "position integer, neighbour_id bigint, similarity numeric(5, 2)) ON COMMIT DROP"
        )
        copy_text(
            "bm_neighbours",
            ("lao_id", "fiscal_year", "position", "neighbour_id", "similarity"),
            ("".join(staged[i : i + 20_000]) for i in range(0, len(staged), 20_000)),
        )
        cursor.execute("CREATE INDEX ON bm_neighbours (lao_id, fiscal_year, position)")
        cursor.execute("ANALYZE bm_neighbours")
        cursor.execute(_APPLY)
        written = cursor.fetchone()[0]
        cursor.execute(
            _PRUNE, {"years": years, "all_laos": wanted is None, "lao_ids": wanted or []}
        )
        removed = cursor.rowcount
        # Dropped now, not at the commit: a caller's outer transaction may run this again.
        cursor.execute("DROP TABLE bm_neighbours")
    return {"written": written, "removed": removed}


def nearest_neighbours(lao, limit: int):
    """The `units.similar` provider: `lao`'s nearest neighbours of the newest year they were
    computed for, most similar first, as a lazy QuerySet of LAOs; the same-kind-and-size fallback
    when none were computed yet (one query to find out)."""
    from django.db.models import OuterRef, Subquery

    from benchmarks.models import Neighbour
    from units.models import LAO
    from units.similar import same_kind_and_size

    newest = (
        Neighbour.objects.filter(lao=lao).order_by("-fiscal_year").values_list("fiscal_year")[:1]
    )
    year = newest.first()
    if year is None:
        return same_kind_and_size(lao, limit=limit)
    # Driven by the LAO's 15 neighbour rows (not by a subquery per LAO of the registry);
    # order_by() drops Neighbour's default ordering, which would join the LAO and its province.
    listed = Neighbour.objects.filter(lao=lao, fiscal_year=year[0]).order_by()
    position = listed.filter(neighbour=OuterRef("pk")).values("position")[:1]
    return (
        LAO.objects.active()
        .filter(pk__in=listed.values("neighbour_id"))
        .annotate(similar_position=Subquery(position))
        .order_by("similar_position")[:limit]
    )
