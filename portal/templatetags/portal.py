"""Menus of the portal's shell, as inclusion tags (no queries)."""

from django import template
from django.urls import reverse

from portal.navigation import AREAS, MAIN_MENU
from units import access

register = template.Library()


@register.inclusion_tag("includes/_main_menu.html", takes_context=True)
def main_menu(context):
    """The header menu, with the entry of the current section marked."""
    path = context["request"].path if "request" in context else ""
    items = []
    for label, url_name in MAIN_MENU:
        url = reverse(url_name)
        items.append({"label": label, "url": url, "current": path.startswith(url)})
    return {"items": items}


@register.inclusion_tag("includes/_area_grid.html")
def area_grid():
    """The nine areas of the portal as cards."""
    return {"areas": AREAS}


@register.filter
def has_work_page(user) -> bool:
    """`units.access.has_work_page` for the header (no query)."""
    return access.has_work_page(user)
