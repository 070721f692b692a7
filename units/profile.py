"""The LAO profile's sections: a registry that apps above `units` fill (DESIGN.md §2).

An app that shows its data on the profile (budget, projects, ranking, ...) registers a section in
its `AppConfig.ready()`:

    register_profile_section(
        "budget",
        title=_("Budget"),
        template="budgets/_profile_section.html",
        context=lambda lao, request: {"plan": latest_enacted_plan(lao=lao)},
        order=10,
        stamps=lambda code: [lao_stamp("budgets", code)],
    )

`stamps(code)` names the data stamps (`units.stamps`) of everything the section shows, from the
LAO's URL code alone: the profile is cached for visitors under them (`profile_stamps`). A
section that names none leaves the whole profile uncached, since nothing would tell its entry
that the section's data changed. A section's context must be the same for every visitor (what
depends on the visitor belongs in a profile action, rendered for signed-in users only).

`units` never imports those apps. Until a section is registered for one of the keys of
`PLACEHOLDERS`, the profile shows a card with an honest empty state in its place.

An app that offers something to do from the profile's heading (follow the LAO, open it in a
back-office page) registers a profile action the same way, `register_profile_action`; its
context function returns None where the action is not for this visitor. Visitors who are not
signed in get the cached profile: an action must render the same for all of them (e.g. a "log in
to follow" link) and no POST form for them (its CSRF token would keep the page out of the cache).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SectionContext = Callable[[Any, Any], dict]
SectionStamps = Callable[[str], list[str]]


@dataclass(frozen=True)
class ProfileSection:
    key: str
    title: str
    template: str
    context: SectionContext
    order: int
    stamps: SectionStamps | None = None


PLACEHOLDER_TEMPLATE = "units/profile/_placeholder.html"

# Sections later areas fill: (title, empty-state text, order). Shown as an empty card until an app
# registers the key.
PLACEHOLDERS = {
    "budget": (
        _("Budget"),
        _("This LAO's budget has not been published on the portal yet."),
        10,
    ),
    "projects": (
        _("Development projects"),
        _("This LAO's development projects have not been published on the portal yet."),
        20,
    ),
    "ranking": (
        _("Ranking"),
        _("Rankings have not been computed yet."),
        30,
    ),
    "completeness": (
        _("Data completeness"),
        _("The completeness of this LAO's data has not been assessed yet."),
        40,
    ),
}

_sections: dict[str, ProfileSection] = {}


def _no_context(lao, request) -> dict:
    return {}


def register_profile_section(
    key: str,
    *,
    title: str,
    template: str,
    context: SectionContext = _no_context,
    order: int = 100,
    stamps: SectionStamps | None = None,
) -> None:
    """Show `template` on every LAO profile under `title`, rendered with `context(lao, request)`
    (plus `lao`); `stamps(url_code)` names the data stamps of what it shows (None: the profile
    is not cached). Registering a key again replaces the earlier section."""
    _sections[key] = ProfileSection(key, title, template, context, order, stamps)


def unregister_profile_section(key: str) -> None:
    """Remove a section (tests, and apps that switch a section off)."""
    _sections.pop(key, None)


def _no_stamps(code: str) -> list[str]:
    return []


def _placeholder(key: str, title, text, order: int) -> ProfileSection:
    return ProfileSection(
        key,
        title,
        PLACEHOLDER_TEMPLATE,
        lambda lao, request: {"title": _("Not available yet"), "text": text},
        order,
        _no_stamps,  # the same text for every LAO, whatever changes
    )


def profile_sections() -> list[ProfileSection]:
    """Registered sections, and placeholders for the unregistered keys, in display order."""
    sections = {key: _placeholder(key, *args) for key, args in PLACEHOLDERS.items()}
    sections.update(_sections)
    return sorted(sections.values(), key=lambda section: (section.order, section.key))


def profile_stamps(code: str) -> list[str] | None:
    """The data stamps of every section of the profile of the LAO whose URL code is `code`
    (no query; the registry's own stamp is added by the page cache), or None when a registered
    section names none: that profile cannot be cached."""
    names = []
    for section in profile_sections():
        if section.stamps is None:
            return None
        names.extend(section.stamps(code))
    return names


def render_profile_sections(lao, request) -> list[dict]:
    """The profile's cards as {"key", "title", "html", "placeholder"}: each section's template
    rendered with `lao` and its context (a placeholder's with its empty-state text)."""
    cards = []
    for section in profile_sections():
        placeholder = section.template == PLACEHOLDER_TEMPLATE
        if placeholder:
            html = _placeholder_html(section, lao, request)
        else:
            context = {"lao": lao, **section.context(lao, request)}
            html = render_to_string(section.template, context, request)
        cards.append(
            {"key": section.key, "title": section.title, "html": html, "placeholder": placeholder}
        )
    return cards


# A placeholder card is the same for every LAO: rendered once per section and language.
_placeholder_cache: dict[tuple[str, str], str] = {}


def _placeholder_html(section: ProfileSection, lao, request) -> str:
    key = (section.key, get_language())
    if key not in _placeholder_cache:
        context = {"lao": lao, **section.context(lao, request)}
        _placeholder_cache[key] = render_to_string(section.template, context)
    return _placeholder_cache[key]


@dataclass(frozen=True)
class ProfileAction:
    key: str
    template: str
    context: Callable[[Any, Any], dict | None]
    order: int


_actions: dict[str, ProfileAction] = {}


def register_profile_action(
    key: str, *, template: str, context: Callable[[Any, Any], dict | None], order: int = 100
) -> None:
    """Show `template` among the profile's actions, rendered with `context(lao, request)` (plus
    `lao`); a context of None leaves the action out for that visitor. Registering a key again
    replaces the earlier action."""
    _actions[key] = ProfileAction(key, template, context, order)


def unregister_profile_action(key: str) -> None:
    """Remove an action (tests, and apps that switch an action off)."""
    _actions.pop(key, None)


def profile_actions() -> list[ProfileAction]:
    """Registered actions in display order."""
    return sorted(_actions.values(), key=lambda action: (action.order, action.key))


def render_profile_actions(lao, request) -> list[str]:
    """The HTML of the actions offered to this visitor, in display order. Rendered per request
    (they depend on who looks), outside the profile's cached fragments."""
    rendered = []
    for action in profile_actions():
        context = action.context(lao, request)
        if context is not None:
            rendered.append(render_to_string(action.template, {"lao": lao, **context}, request))
    return rendered


def _point(latitude, longitude) -> list[float] | None:
    if latitude is None or longitude is None:
        return None
    return [float(latitude), float(longitude)]


def lao_map_data(lao) -> dict:
    """What the profile map draws (no query: the caller has joined the geography).

    The LAO's own point if recorded, else its subdistrict's point, else its district's area
    (its province's for a PAO); the province boundary is drawn as context.
    """
    province_boundary = lao.province.boundary if lao.province_id else None
    point = _point(lao.latitude, lao.longitude)
    shows = "lao" if point else None
    if point is None and lao.subdistrict_id:
        point = _point(lao.subdistrict.latitude, lao.subdistrict.longitude)
        shows = "subdistrict" if point else None
    area = None
    if point is None:
        if lao.district_id and lao.district.boundary:
            area, shows = lao.district.boundary, "district"
        elif province_boundary:
            area, shows = province_boundary, "province"
            province_boundary = None
    return {"point": point, "area": area, "context": province_boundary, "shows": shows}
