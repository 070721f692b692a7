"""Peer groups: LAOs of the same kind and population band (Scotland's LGBF "family groups").

An LAO's peer group in a fiscal year is `f"{kind}-{band}"` (e.g. "sao-3": SAOs of 5,000–9,999
residents). The bands are the same for every kind, so a label reads the same everywhere; at
national scale each kind falls into the bands its sizes span:

| band | population      | national demo (7,850 LAOs)                                       |
|------|-----------------|------------------------------------------------------------------|
| 1    | under 2,500     | the smallest SAOs                                                |
| 2    | 2,500–4,999     | SAOs and subdistrict municipalities, about a thousand each       |
| 3    | 5,000–9,999     | the bulk of SAOs and subdistrict municipalities                  |
| 4    | 10,000–24,999   | large SAOs, subdistrict and town municipalities                  |
| 5    | 25,000–49,999   | town municipalities                                              |
| 6    | 50,000 and more | large towns, every city municipality and PAO                     |

So the 76 PAOs form one group ("pao-6"), as do the ~30 city municipalities; Bangkok and Pattaya
are kinds of their own and therefore one-LAO groups: their peer rank is 1 of 1, which says
nothing, and the composite normalizes them nationally instead (benchmarks/composite.py). An LAO
without a population has no band and no peer group (its peer ranks stay empty). The registry
keeps one population per LAO, not one per year, so every year's group follows today's population.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from units.models import LAOKind


@dataclass(frozen=True)
class PopulationBand:
    number: int
    low: int  # residents, included
    high: int | None  # residents, included; None: no upper end


POPULATION_BANDS: tuple[PopulationBand, ...] = (
    PopulationBand(1, 0, 2_499),
    PopulationBand(2, 2_500, 4_999),
    PopulationBand(3, 5_000, 9_999),
    PopulationBand(4, 10_000, 24_999),
    PopulationBand(5, 25_000, 49_999),
    PopulationBand(6, 50_000, None),
)


def _kind_short(kind: str) -> str:
    """The short name Thai readers use for a kind (อบต., ทต., ...)."""
    names = {
        LAOKind.PAO: pgettext("kind of LAO, short", "PAO"),
        LAOKind.CITY_MUNICIPALITY: pgettext("kind of LAO, short", "City mun."),
        LAOKind.TOWN_MUNICIPALITY: pgettext("kind of LAO, short", "Town mun."),
        LAOKind.SUBDISTRICT_MUNICIPALITY: pgettext("kind of LAO, short", "Subdistrict mun."),
        LAOKind.SAO: pgettext("kind of LAO, short", "SAO"),
        LAOKind.BANGKOK: pgettext("kind of LAO, short", "Bangkok"),
        LAOKind.PATTAYA: pgettext("kind of LAO, short", "Pattaya"),
    }
    return names.get(kind, kind)


def band_label(number: int) -> str:
    """A band's population range as readers see it: "5,000–9,999", "under 2,500"."""
    band = next(band for band in POPULATION_BANDS if band.number == number)
    if band.low == 0:
        return _("under %(high)s") % {"high": f"{band.high + 1:,}"}
    if band.high is None:
        return _("%(low)s and more") % {"low": f"{band.low:,}"}
    return f"{band.low:,}–{band.high:,}"


def peer_group_label(code: str) -> str:
    """The readable label of a peer group code ("sao-3" → "อบต. ประชากร 5,000–9,999"), in the
    active language; the code itself when it is not one."""
    kind, _sep, number = code.rpartition("-")
    if not kind or not number.isdigit() or int(number) not in {b.number for b in POPULATION_BANDS}:
        return code
    return _("%(kind)s, population %(band)s") % {
        "kind": _kind_short(kind),
        "band": band_label(int(number)),
    }


def band_sql(column: str) -> str:
    """The SQL CASE giving the band number of a population column (NULL without one)."""
    whens = " ".join(
        f"WHEN {column} <= {band.high} THEN {band.number}"
        for band in POPULATION_BANDS
        if band.high is not None
    )
    return f"CASE WHEN {column} IS NULL THEN NULL {whens} ELSE {POPULATION_BANDS[-1].number} END"


_UPSERT = """
    INSERT INTO benchmarks_peermembership (lao_id, fiscal_year, peer_group, population_band)
    SELECT l.id, y.fiscal_year, l.kind || '-' || b.band, b.band
    FROM units_lao l
    CROSS JOIN LATERAL (SELECT {band} AS band) b
    CROSS JOIN unnest(%(years)s::integer[]) AS y(fiscal_year)
    -- Only the memberships that differ reach the upsert: ON CONFLICT locks every row it meets,
    -- even one its WHERE then leaves alone.
    LEFT JOIN benchmarks_peermembership m ON m.lao_id = l.id AND m.fiscal_year = y.fiscal_year
    WHERE l.is_active AND b.band IS NOT NULL
      AND (%(all_laos)s OR l.id = ANY(%(lao_ids)s::bigint[]))
      AND (m.id IS NULL OR (m.peer_group, m.population_band)
                           IS DISTINCT FROM (l.kind || '-' || b.band, b.band))
    ON CONFLICT (lao_id, fiscal_year) DO UPDATE
    SET peer_group = EXCLUDED.peer_group, population_band = EXCLUDED.population_band
    WHERE (benchmarks_peermembership.peer_group, benchmarks_peermembership.population_band)
          IS DISTINCT FROM (EXCLUDED.peer_group, EXCLUDED.population_band)
"""

# Memberships of LAOs in scope that no longer have a group (left the registry, lost their
# population): removed, so their peer ranks go too.
_PRUNE = """
    DELETE FROM benchmarks_peermembership m
    USING units_lao l
    WHERE l.id = m.lao_id AND m.fiscal_year = ANY(%(years)s::integer[])
      AND (%(all_laos)s OR m.lao_id = ANY(%(lao_ids)s::bigint[]))
      AND (NOT l.is_active OR l.population IS NULL)
"""


@transaction.atomic
def peer_memberships_recompute(
    *, fiscal_years: Iterable[int], lao_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Put every active LAO (or those of `lao_ids`) with a population into its peer group for
    each of `fiscal_years`: one upsert that leaves unchanged rows alone, and one delete of the
    LAOs that no longer have a group. Returns {"written": n, "removed": n}."""
    years = sorted(set(fiscal_years))
    params = {
        "years": years,
        "all_laos": lao_ids is None,
        "lao_ids": sorted(set(lao_ids or [])),
    }
    if not years:
        return {"written": 0, "removed": 0}
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(band=band_sql("l.population")), params)
        written = cursor.rowcount
        cursor.execute(_PRUNE, params)
        removed = cursor.rowcount
    return {"written": written, "removed": removed}
