"""The projects section of the LAO profile (registered with units.profile in ProjectsConfig)."""

from projects.selectors import lao_projects_summary
from units.caching import fragment_key


def projects_section_context(lao, request) -> dict:
    """Counts by stage and budget vs disbursed of the LAO's latest fiscal year with projects:
    two index-backed queries (about a hundred projects per LAO-year). `digest` sums up every
    number shown: the section's rendering is cached under it."""
    summary = lao_projects_summary(lao=lao)
    shown = (
        summary.get("latest_year"),
        summary.get("count"),
        summary.get("budget"),
        summary.get("disbursed"),
        [(row["stage"], row["count"]) for row in summary.get("stages", [])],
    )
    summary["digest"] = fragment_key(shown)
    return summary
