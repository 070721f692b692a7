"""The projects section of the LAO profile (registered with units.profile in ProjectsConfig)."""

from projects.selectors import lao_projects_summary


def projects_section_context(lao, request) -> dict:
    """Counts by stage and budget vs disbursed of the LAO's latest fiscal year with projects:
    two index-backed queries (about a hundred projects per LAO-year)."""
    return lao_projects_summary(lao=lao)
