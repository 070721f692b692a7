"""The LAO profile's `ranking` section (registered with units.profile in BenchmarksConfig): the
composite score's ranks and a few headline indicators against their peer medians, linked to the
LAO's benchmark page."""

from benchmarks.selectors import profile_ranking
from units.caching import fragment_key

# Headline indicators shown on the profile: the first weighted ones in the indicators' order.
HEADLINE_INDICATORS = 4


def ranking_section_context(lao, request) -> dict:
    """Two queries (`selectors.profile_ranking`); `digest` sums up every figure shown, so the
    section's rendering is cached under it."""
    context = profile_ranking(lao=lao, headline=HEADLINE_INDICATORS)
    score = context["score"]
    context["digest"] = fragment_key(
        score
        and (
            score.version.number,
            score.fiscal_year,
            score.score,
            score.reason,
            score.national_rank,
            score.province_rank,
            score.province_count,
            score.peer_rank,
            score.peer_count,
        ),
        [
            # The names too: an indicator renamed shows at once, not when the entry expires.
            (
                v.indicator_id,
                v.indicator.name_th,
                v.indicator.name_en,
                v.fiscal_year,
                v.value,
                v.reason,
                v.peer_median,
            )
            for v in context["values"]
        ],
    )
    context["year"] = (
        score.fiscal_year
        if score
        else (context["values"][0].fiscal_year if context["values"] else None)
    )
    return context
