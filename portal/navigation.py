"""The nine areas of the portal, in the order of the mission, and the main menu."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from units import access
from units.models import Role


@dataclass(frozen=True)
class Area:
    number: int
    title: Promise
    summary: Promise
    url_name: str


AREAS = (
    Area(
        1,
        _("LAO data and key indicators"),
        _("Profiles of every LAO: population, contacts, budget, projects."),
        "units:index",
    ),
    Area(
        2,
        _("e-Local Government"),
        _("Plans, budgets and progress reports that LAOs send to DLA."),
        "portal:e-government",
    ),
    Area(
        3,
        _("e-Services"),
        _("Online services of LAOs for citizens."),
        "portal:e-services",
    ),
    Area(
        4,
        _("Knowledge"),
        _("Research, reports and good practices of LAOs."),
        "knowledge:index",
    ),
    Area(
        5,
        _("Learning community"),
        _("Webboard, lesson exchange and wiki."),
        "forums:index",
    ),
    Area(
        6,
        _("Academic documents"),
        _("Academic papers, manuals and articles on local government."),
        "knowledge:academic",
    ),
    Area(
        7,
        _("Statistics and rankings"),
        _("Compare and rank LAOs on shared indicators."),
        "benchmarks:index",
    ),
    Area(
        8,
        _("Links"),
        _("Websites of LAOs and government agencies."),
        "units:links",
    ),
    Area(
        9,
        _("News and contacts"),
        _("News, hot issues, downloads, hotline, maps and contacts."),
        "portal:news",
    ),
)

# The header menu: the places people go most, each once.
MAIN_MENU = (
    (_("LAOs"), "units:index"),
    (_("Budgets"), "budgets:index"),
    (_("Projects"), "projects:index"),
    (_("Rankings"), "benchmarks:index"),
    (_("Knowledge"), "knowledge:index"),
    (_("Community"), "forums:index"),
    (_("News"), "portal:news"),
    (_("Contact"), "portal:contact"),
)


def landing_url_name(user) -> str:
    """Where a user lands after logging in (without a `next`): officers and provincial staff
    on their work page, executives on the disbursement dashboard, everyone else (citizens,
    editors, administrators) on the home page."""
    if access.has_work_page(user) and user.role in (Role.OFFICER, Role.PROVINCIAL):
        return "portal:work"
    if user.role == Role.EXECUTIVE and access.reads_all(user):
        return "projects:dashboard"
    return "portal:home"
