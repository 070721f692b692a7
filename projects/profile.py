"""What projects adds to the LAO profile (registered with units.profile in ProjectsConfig): the
projects section, and the actions "follow this LAO" and "lagging projects on the dashboard"."""

from django.urls import reverse

from projects.selectors import is_following, lao_projects_summary
from units import access
from units.caching import fragment_key
from units.stamps import lao_stamp
from units.thai import current_fiscal_year


def projects_section_context(lao, request) -> dict:
    """Counts by stage and budget vs disbursed of the fiscal year the LAO's project list shows
    first (`rules.shown_fiscal_year`): two index-backed queries (about a hundred projects per
    LAO-year). `digest` sums up every number shown: the section's rendering is cached under
    it."""
    current = current_fiscal_year()
    summary = lao_projects_summary(lao=lao, current=current)
    shown = (
        summary.get("year"),
        summary.get("is_current"),
        summary.get("count"),
        summary.get("budget"),
        summary.get("disbursed"),
        [(row["stage"], row["count"]) for row in summary.get("stages", [])],
    )
    summary["digest"] = fragment_key(shown)
    summary["current_year"] = current
    return summary


def projects_section_stamps(code: str) -> list[str]:
    """Every write to the LAO's projects moves its stamp (`projects.services`). The year shown
    also follows the calendar: the page cache's timeout bounds that."""
    return [lao_stamp("projects", code)]


def follow_action_context(lao, request) -> dict:
    """The follow button of the profile: one query for a signed-in visitor, none otherwise."""
    return {
        "action": reverse("projects:lao-follow", args=[lao.url_code]),
        "following": is_following(user=request.user, lao=lao),
    }


def dashboard_action_context(lao, request) -> dict | None:
    """The link to the LAO's lagging projects on the project dashboard, for those who may open
    the dashboard (back-office roles); the dashboard finds an LAO by its DLA code."""
    if not lao.dla_code or not access.can_view_back_office(request.user):
        return None
    return {"url": reverse("projects:dashboard-lagging") + f"?lao={lao.dla_code}"}
