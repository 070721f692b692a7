"""Template filters of the LAO change history page."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from units.models import LAO
from units.notes import note_text

register = template.Library()
register.filter("note_text", note_text)


def _shown(field, value: str) -> str:
    """A recorded value in the reader's language where the field names it by a code: a kind's
    label, yes / no for a flag (histories keep the code, "sao" or "True")."""
    if field is None or not value:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return {"True": _("Yes"), "False": _("No")}.get(value, value)
    return value


@register.filter
def change_rows(changes: dict) -> list[dict]:
    """{"field": [old, new]} of a LAOChange as rows {"label", "old", "new"}, labelled with the
    field's verbose name (the raw name for a field that no longer exists), coded values worded."""
    rows = []
    for name, values in (changes or {}).items():
        try:
            field = LAO._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        old, new = (list(values) + ["", ""])[:2] if isinstance(values, list | tuple) else ("", "")
        rows.append(
            {
                "label": field.verbose_name if field is not None else name,
                "old": _shown(field, old),
                "new": _shown(field, new),
            }
        )
    return rows
