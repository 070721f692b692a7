"""Writes of benchmarks: the Indicator rows from the declarations, the recompute of the computed
values, and the whole recompute pipeline (values, peers, neighbours, ranks, composite,
completeness)."""

import datetime
import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.composite import composite_recompute
from benchmarks.figures import figures_stage, fiscal_years_with_data
from benchmarks.indicators import ComputedIndicator, computed_indicators
from benchmarks.models import STAMP, Indicator, IndicatorValue, Reason, Source
from benchmarks.neighbours import neighbours_recompute
from benchmarks.peers import peer_memberships_recompute
from benchmarks.ranking import indicator_ranks_recompute
from units import stamps
from units.bulk import analyze_if_outgrown

# What the public benchmarks pages are cached by (units.pagecache): every stored result.


@transaction.atomic
def indicators_sync(*, declarations: Iterable[ComputedIndicator] | None = None) -> dict[str, int]:
    """Create or update the Indicator row of every declared (computed) indicator; a computed row
    no longer declared is hidden (its values stay for the record). Returns {"created": n,
    "updated": n, "hidden": n}. An admin's `is_active` choice for a declared indicator is kept."""
    declarations = list(computed_indicators() if declarations is None else declarations)
    existing = {indicator.code: indicator for indicator in Indicator.objects.computed()}
    created = updated = 0
    for order, declaration in enumerate(declarations, start=1):
        fields = declaration.indicator_fields(sort_order=order)
        indicator = existing.get(declaration.code)
        if indicator is None:
            Indicator.objects.create(code=declaration.code, source=Source.COMPUTED, **fields)
            created += 1
        elif any(getattr(indicator, name) != value for name, value in fields.items()):
            Indicator.objects.filter(pk=indicator.pk).update(**fields, updated_at=timezone.now())
            updated += 1
    declared = {declaration.code for declaration in declarations}
    hidden = (
        Indicator.objects.computed()
        .exclude(code__in=declared)
        .filter(is_active=True)
        .update(is_active=False)
    )
    if updated or hidden:
        # `update()` sends no signal: the pages showing indicators are renewed here.
        stamps.bump(STAMP)
    return {"created": created, "updated": updated, "hidden": hidden}


# Returns the fiscal years of the rows written (created or changed), counted: the pipeline ranks
# again only the indicator-years whose values moved.
_UPSERT = """
    WITH computed AS (
        SELECT g.lao_id, g.fiscal_year,
               CASE WHEN r.reason IS NULL
                    THEN ROUND(({numerator})::numeric * {scale} / ({denominator}), 4) END
                   AS value,
               COALESCE(r.reason, '') AS reason, f.as_of, f.status
        FROM bm_grid g
        JOIN bm_{figures} f ON f.lao_id = g.lao_id AND f.fiscal_year = g.fiscal_year
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN cardinality(%(kinds)s::varchar[]) > 0
                     AND NOT g.kind = ANY(%(kinds)s::varchar[])
                    THEN %(not_applicable)s
                WHEN f.reason IS NOT NULL THEN f.reason
                WHEN ({denominator}) IS NULL THEN %(not_submitted)s
                WHEN ({denominator}) = 0 THEN %(zero_denominator)s
                WHEN ({numerator}) IS NULL THEN %(not_submitted)s
            END AS reason
        ) r
    ),
    written AS (
    INSERT INTO benchmarks_indicatorvalue
        (indicator_id, lao_id, fiscal_year, value, reason, source, as_of, status, computed_at)
    -- Only the rows that differ reach the upsert: ON CONFLICT locks every row it meets, even
    -- one its WHERE then leaves alone (a page write and WAL for each of 39,000 rows a rerun).
    SELECT %(indicator)s, c.lao_id, c.fiscal_year, c.value, c.reason, %(source)s, c.as_of,
           c.status, now()
    FROM computed c
    LEFT JOIN benchmarks_indicatorvalue v
        ON v.indicator_id = %(indicator)s AND v.lao_id = c.lao_id
       AND v.fiscal_year = c.fiscal_year
    WHERE v.id IS NULL
       OR (v.value, v.reason, v.source, v.as_of, v.status)
          IS DISTINCT FROM (c.value, c.reason, %(source)s, c.as_of, c.status)
    ON CONFLICT (indicator_id, lao_id, fiscal_year) DO UPDATE
    SET value = EXCLUDED.value, reason = EXCLUDED.reason, source = EXCLUDED.source,
        as_of = EXCLUDED.as_of, status = EXCLUDED.status, computed_at = EXCLUDED.computed_at
    WHERE (benchmarks_indicatorvalue.value, benchmarks_indicatorvalue.reason,
           benchmarks_indicatorvalue.source, benchmarks_indicatorvalue.as_of,
           benchmarks_indicatorvalue.status)
          IS DISTINCT FROM
          (EXCLUDED.value, EXCLUDED.reason, EXCLUDED.source, EXCLUDED.as_of, EXCLUDED.status)
    RETURNING fiscal_year
    )
    SELECT fiscal_year, COUNT(*) FROM written GROUP BY fiscal_year
"""

# Values of LAOs in scope that left the grid (no longer active): removed, not kept stale.
_PRUNE = """
    DELETE FROM benchmarks_indicatorvalue v
    WHERE v.indicator_id = ANY(%(indicators)s::bigint[])
      AND v.fiscal_year = ANY(%(years)s::integer[])
      AND (%(all_laos)s OR v.lao_id = ANY(%(lao_ids)s::bigint[]))
      AND NOT EXISTS (
          SELECT 1 FROM bm_grid g WHERE g.lao_id = v.lao_id AND g.fiscal_year = v.fiscal_year
      )
    RETURNING v.indicator_id, v.fiscal_year
"""


@transaction.atomic
def indicator_values_recompute(
    *,
    fiscal_years: Iterable[int] | None = None,
    lao_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
    declarations: Iterable[ComputedIndicator] | None = None,
) -> dict[str, int]:
    """Recompute the computed indicators of the given fiscal years (None: every year with data)
    and LAOs (None: every active LAO), all LAOs at once: a few statements per figure set and one
    upsert per indicator, whatever the number of LAOs. Rows whose value, reason, status and date
    are unchanged are not written again, so a second run writes nothing. Returns the number of
    rows written (created or changed) per indicator code, and "removed"."""
    written = _indicator_values_write(
        fiscal_years=fiscal_years, lao_ids=lao_ids, today=today, declarations=declarations
    )[0]
    stamps.bump(STAMP)
    return written


def _indicator_values_write(
    *,
    fiscal_years: Iterable[int] | None,
    lao_ids: Iterable[int] | None,
    today: datetime.date | None,
    declarations: Iterable[ComputedIndicator] | None = None,
) -> tuple[dict[str, int], set[tuple[int, int]]]:
    """indicator_values_recompute, also returning the (indicator id, fiscal year) pairs whose
    values were written or removed: the only ones whose ranks can have moved."""
    declarations = list(computed_indicators() if declarations is None else declarations)
    years = sorted(set(fiscal_years_with_data() if fiscal_years is None else fiscal_years))
    lao_ids = None if lao_ids is None else sorted(set(lao_ids))
    today = today or timezone.localdate()
    written: dict[str, int] = {}
    changed: set[tuple[int, int]] = set()
    if not years or not declarations:
        return written, changed
    indicator_ids = dict(
        Indicator.objects.filter(code__in=[d.code for d in declarations]).values_list("code", "pk")
    )
    missing = [d.code for d in declarations if d.code not in indicator_ids]
    if missing:
        raise ValueError(f"Indicators not synced yet (run benchmarks_sync_indicators): {missing}")
    figures_stage(
        fiscal_years=years,
        lao_ids=lao_ids,
        today=today,
        needed={declaration.figures for declaration in declarations},
    )
    with connection.cursor() as cursor:
        for declaration in declarations:
            cursor.execute(
                _UPSERT.format(
                    numerator=declaration.numerator,
                    denominator=declaration.denominator,
                    scale=int(declaration.scale),
                    figures=declaration.figures,
                ),
                {
                    "indicator": indicator_ids[declaration.code],
                    "source": Source.COMPUTED.value,
                    "kinds": [str(kind) for kind in declaration.kinds],
                    "not_applicable": Reason.NOT_APPLICABLE.value,
                    "not_submitted": Reason.NOT_SUBMITTED.value,
                    "zero_denominator": Reason.ZERO_DENOMINATOR.value,
                },
            )
            counts = cursor.fetchall()
            written[declaration.code] = sum(count for _year, count in counts)
            changed.update((indicator_ids[declaration.code], year) for year, _count in counts)
        cursor.execute(
            _PRUNE,
            {
                "indicators": list(indicator_ids.values()),
                "years": years,
                "all_laos": lao_ids is None,
                "lao_ids": lao_ids or [],
            },
        )
        removed = cursor.fetchall()
        written["removed"] = len(removed)
        changed.update(removed)
        # The temporary tables would otherwise live until the end of an outer transaction
        # (a test, a seed) and collide with the next recompute in it.
        cursor.execute("DROP TABLE IF EXISTS bm_grid, bm_budget, bm_projects, bm_reports")
    return written, changed


# One recompute at a time: the worker may run several tasks at once, and two pipelines ranking
# the same year would each see the other's half-written state.
PIPELINE_LOCK_KEY = 7_000_002


def _completeness_step():
    """The completeness recompute (benchmarks.completeness), or None while that module is not
    there yet."""
    try:
        from benchmarks.completeness import completeness_recompute
    except ModuleNotFoundError as error:
        if error.name != "benchmarks.completeness":
            raise  # the module is there but broken: say so
        return None
    return completeness_recompute


@transaction.atomic
def benchmarks_recompute(
    *,
    fiscal_years: Iterable[int] | None = None,
    lao_ids: Iterable[int] | None = None,
    indicator_years: Iterable[tuple[int, int]] | None = None,
    today: datetime.date | None = None,
) -> dict:
    """Everything benchmarks computes, in order, in one transaction (readers never see ranks of
    half-updated values): indicator values → peer groups → nearest neighbours → statistics,
    saturation and ranks → composite → completeness.

    `fiscal_years` None: every year with data or values. `lao_ids` None: every LAO, every
    indicator of those years ranked and the composite of every year scored (the national run,
    which also picks up what no value change shows: a weight, a direction, a province).

    With `lao_ids` (one LAO's data changed) the values, peer groups, neighbour lists and
    completeness of those LAOs only are recomputed; then only the indicator-years whose values
    that wrote (or removed), plus `indicator_years` ((indicator id, fiscal year) pairs whose
    values the caller wrote itself: an upload of imported values), are ranked again, for
    everyone, since one value moves everyone's rank in it; the composite is scored again only
    for the years whose ranks or statistics changed. Nothing moved: nothing is ranked. A changed
    peer group ranks every indicator of its years. `indicator_years` None (not known) with
    `lao_ids`: every indicator of the years is ranked, as safe as the national run.

    Returns {"years": [...], "timings": {step: seconds}, "written": {step: what it returned}}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PIPELINE_LOCK_KEY])
    today = today or timezone.localdate()
    lao_ids = None if lao_ids is None else sorted(set(lao_ids))
    if fiscal_years is None:
        years = sorted(
            set(fiscal_years_with_data())
            | set(
                IndicatorValue.objects.order_by().values_list("fiscal_year", flat=True).distinct()
            )
        )
    else:
        years = sorted(set(fiscal_years))
    given = None if indicator_years is None else {(int(i), int(y)) for i, y in indicator_years}
    timings: dict[str, float] = {}
    written: dict[str, object] = {}
    state: dict[str, object] = {}

    def indicators():
        values, state["changed"] = _indicator_values_write(
            fiscal_years=years, lao_ids=lao_ids, today=today
        )
        analyze_if_outgrown("benchmarks_indicatorvalue", sum(values.values()))
        return values

    def peers():
        result = peer_memberships_recompute(fiscal_years=years, lao_ids=lao_ids)
        state["peers_moved"] = bool(result["written"] or result["removed"])
        analyze_if_outgrown("benchmarks_peermembership", result["written"])
        return result

    def ranks():
        if lao_ids is None or given is None or state["peers_moved"]:
            state["everything"] = True
            return indicator_ranks_recompute(fiscal_years=years)
        state["everything"] = False
        return indicator_ranks_recompute(indicator_years=state["changed"] | given)

    def composite():
        if state["everything"]:
            return composite_recompute(fiscal_years=years)
        # Scores follow ranks and saturation only: years where neither moved keep theirs (a
        # method change still rescores every year: composite_recompute sees it).
        return composite_recompute(fiscal_years=written["ranks"]["changed_years"])

    steps = [
        ("indicators", indicators),
        ("peers", peers),
        ("neighbours", lambda: neighbours_recompute(fiscal_years=years, lao_ids=lao_ids)),
        ("ranks", ranks),
        ("composite", composite),
    ]
    completeness = _completeness_step()
    if completeness is not None:
        steps.append(
            (
                "completeness",
                lambda: completeness(fiscal_years=years, lao_ids=lao_ids, today=today),
            )
        )
    with connection.cursor() as cursor:
        restore = _settings_for_bulk(cursor)
    for name, step in steps:
        started = time.perf_counter()
        written[name] = step()
        timings[name] = round(time.perf_counter() - started, 3)
    with connection.cursor() as cursor:
        restore(cursor)
    # Last, so the stamp's row stays locked only for the commit (units.stamps).
    stamps.bump(STAMP)
    return {"years": years, "timings": timings, "written": written}


# The pipeline's statements each read up to half a million rows once: compiling them (JIT)
# cost more than it saved (3 s of one 14 s rank statement), and the default work_mem sent the
# rank sorts to disk (at 64MB the national rank statement's first sort still spilled 53 MB; one
# pipeline runs at a time, under its lock). With the default random_page_cost (4, for spinning
# disks) one LAO's re-ranking of a few indicator-years read all 510,000 values in a sequential
# scan (130 ms) instead of their 39,000 by index (30 ms). Set for this transaction only.
BULK_SETTINGS = {"jit": "off", "random_page_cost": "1.1", "work_mem": "256MB"}


def _settings_for_bulk(cursor):
    """Apply BULK_SETTINGS to the current transaction; returns the function that puts the
    previous values back (for a caller's outer transaction: a seed, a test)."""
    names = sorted(BULK_SETTINGS)
    cursor.execute("SELECT current_setting(name) FROM unnest(%s::text[]) AS name", [names])
    previous = [value for (value,) in cursor.fetchall()]
    _set_local(cursor, names, [BULK_SETTINGS[name] for name in names])
    return lambda cursor: _set_local(cursor, names, previous)


def _set_local(cursor, names: list[str], values: list[str]) -> None:
    cursor.execute(
        "SELECT set_config(name, value, true) "
        "FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
        [names, values],
    )
