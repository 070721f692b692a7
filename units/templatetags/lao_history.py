"""Template filters of the LAO change history page."""

from django import template
from django.core.exceptions import FieldDoesNotExist

from units.models import LAO

register = template.Library()


@register.filter
def change_rows(changes: dict) -> list[dict]:
    """{"field": [old, new]} of a LAOChange as rows {"label", "old", "new"}, labelled with the
    field's verbose name (the raw name for a field that no longer exists)."""
    rows = []
    for name, values in (changes or {}).items():
        try:
            label = LAO._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        old, new = (list(values) + ["", ""])[:2] if isinstance(values, list | tuple) else ("", "")
        rows.append({"label": label, "old": old, "new": new})
    return rows
