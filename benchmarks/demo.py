"""Demo step of `seed_demo`: the declared indicators; generated values of the imported ones (LPA
and ITA, which the portal cannot compute), marked as demo data; then the recompute of every
computed value from the demo budgets and projects.

The imported values are generated in one INSERT … SELECT over LAOs × years × indicators (235k
rows nationally in a few seconds), their randomness drawn from md5 of the LAO's code, the year and
the indicator, so the same database always gets the same values whatever the order of the rows:

- LPA, per area: as in the real assessment (LPA 2564: 98.80 % of LAOs passed), nearly every LAO
  scores the maximum; about 1.2 % of the LAO-years score from 50 to 99.5 in every area. The
  saturation check should show these as pass/fail.
- ITA: mean about 85, standard deviation about 10 (an LAO's level plus a yearly swing), capped
  at 100 and rounded to two decimals.

Past years are final; the current year is provisional. A value someone uploaded (not demo) is
never overwritten, and a re-run writes nothing.
"""

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.imported import ITA, LPA_CODES, imported_indicators_sync
from benchmarks.models import Indicator, Source, ValueStatus
from units.demo import YEARS
from units.thai import BE_OFFSET, current_fiscal_year

# Share of LAO-years whose LPA areas are all at the maximum.
LPA_AT_MAXIMUM = 0.988
ITA_MEAN, ITA_LAO_SD, ITA_YEAR_SD = 85, 7, 7

# u(salt): a deterministic uniform number in (0, 1) per LAO, year and salt.
_UNIFORM = (
    "((('x' || substr(md5(l.seed || ':' || {year} || ':' || {salt}), 1, 8))::bit(32)::bigint"
    " + 1) / 4294967297.0)"
)


def _uniform(salt: str, *, year: str = "y.year") -> str:
    """`salt` and `year` are SQL expressions (constants of this module, never user input)."""
    return _UNIFORM.format(year=year, salt=salt)


def _normal(salt: str, *, year: str = "y.year") -> str:
    """A standard normal draw (Box–Muller) from two uniforms."""
    return (
        f"(sqrt(-2 * ln({_uniform(salt + " || '-a'", year=year)})) "
        f"* cos(2 * pi() * {_uniform(salt + " || '-b'", year=year)}))"
    )


_SEED = f"""
    INSERT INTO benchmarks_indicatorvalue
        (indicator_id, lao_id, fiscal_year, value, reason, source, as_of, status, computed_at,
         is_demo)
    SELECT i.id, l.id, y.year,
           CASE WHEN i.code = %(ita)s
                THEN LEAST(100, GREATEST(0, ROUND((%(ita_mean)s
                     + %(ita_lao_sd)s * {_normal("'ita-lao'", year="0")}
                     + %(ita_year_sd)s * {_normal("'ita-year'")})::numeric, 2)))
                WHEN {_uniform("'lpa-pass'")} <= %(lpa_at_maximum)s THEN 100
                ELSE ROUND((50 + 49.5 * {_uniform("i.code")})::numeric, 2)
           END,
           '', %(source)s,
           LEAST(make_date(y.year - %(be_offset)s, 9, 30), %(today)s::date),
           CASE WHEN y.year < %(current)s THEN %(final)s ELSE %(provisional)s END,
           now(), true
    FROM (
        SELECT id, COALESCE(dla_code, kind) AS seed
        FROM units_lao WHERE is_active
    ) l
    CROSS JOIN unnest(%(years)s::integer[]) AS y(year)
    CROSS JOIN (SELECT id, code FROM benchmarks_indicator WHERE code = ANY(%(codes)s)) i
    ON CONFLICT (indicator_id, lao_id, fiscal_year) DO UPDATE
    SET value = EXCLUDED.value, reason = '', source = EXCLUDED.source,
        status = EXCLUDED.status, computed_at = EXCLUDED.computed_at
    WHERE benchmarks_indicatorvalue.is_demo
      AND (benchmarks_indicatorvalue.value, benchmarks_indicatorvalue.reason,
           benchmarks_indicatorvalue.status)
          IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.reason, EXCLUDED.status)
"""


def demo_fiscal_years() -> list[int]:
    """The fiscal years of the demo data, up to the current one (units.demo.YEARS)."""
    current = current_fiscal_year()
    return list(range(current - YEARS + 1, current + 1))


@transaction.atomic
def imported_values_seed(*, fiscal_years: list[int] | None = None, today=None) -> int:
    """Generate the demo values of the declared imported indicators for every active LAO and
    demo year; returns the rows written (0 on a re-run). Values not marked demo are kept."""
    imported_indicators_sync()
    codes = [*LPA_CODES, ITA.code]
    missing = set(codes) - set(
        Indicator.objects.filter(code__in=codes, source=Source.IMPORTED).values_list(
            "code", flat=True
        )
    )
    if missing:
        raise ValueError(f"Imported indicators missing: {sorted(missing)}")
    with connection.cursor() as cursor:
        cursor.execute(
            _SEED,
            {
                "ita": ITA.code,
                "ita_mean": ITA_MEAN,
                "ita_lao_sd": ITA_LAO_SD,
                "ita_year_sd": ITA_YEAR_SD,
                "lpa_at_maximum": LPA_AT_MAXIMUM,
                "source": Source.IMPORTED.value,
                "be_offset": BE_OFFSET,
                "today": today or timezone.localdate(),
                "current": current_fiscal_year(),
                "final": ValueStatus.FINAL.value,
                "provisional": ValueStatus.PROVISIONAL.value,
                "years": fiscal_years or demo_fiscal_years(),
                "codes": codes,
            },
        )
        return cursor.rowcount


def seed_indicators(*, scale: str, stdout) -> list[str]:
    """Sync the indicator definitions, generate the imported demo values, then run the whole
    pipeline once (values, peers, neighbours, ranks, composite, completeness; idempotent)."""
    from benchmarks.services import benchmarks_recompute, indicators_sync

    synced = indicators_sync()
    imported = imported_values_seed()
    result = benchmarks_recompute()
    timings = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result["timings"].items())
    stdout.write(
        f"benchmarks: indicators {synced['created']} created, {synced['updated']} updated; "
        f"{imported} imported demo values; recomputed ({timings})"
    )
    return []
