"""`{% error_summary form formset ... %}`: every error of a page's forms in one list at the top
of the form, each linked to its field (units/templates/includes/form_errors.html).

Forms rendered with `{{ form }}` get it from the portal's form template
(units/templates/includes/form.html, units.rendering.PortalFormRenderer); a page that lays out its
fields itself, or has several forms in one `<form>` (the plan editor), calls the tag once."""

from dataclasses import dataclass

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    message: str
    label: str = ""
    target: str = ""  # the id of the field's input


def _form_items(form: forms.BaseForm, *, line: int | None = None) -> list[SummaryItem]:
    if not form.is_bound or not form.errors:
        return []

    def named(label: str) -> str:
        if line is None:
            return label
        return _("Line %(number)s: %(field)s") % {"number": line, "field": label}

    row = _("Line %(number)s") % {"number": line} if line else ""
    items = [SummaryItem(str(message), row) for message in form.non_field_errors()]
    for bound_field in form:
        for message in bound_field.errors:
            if bound_field.is_hidden:  # nothing to go to: said like a form's own error
                items.append(SummaryItem(str(message), row))
            else:
                target = bound_field.id_for_label or bound_field.auto_id
                items.append(SummaryItem(str(message), named(str(bound_field.label)), target))
    return items


def summary_items(*forms_and_formsets) -> list[SummaryItem]:
    """The errors of bound forms and formsets, in page order; rows of a formset are numbered
    ("Line 2: Amount"), rows being deleted are left out (their errors do not count)."""
    items: list[SummaryItem] = []
    for part in forms_and_formsets:
        if part is None:
            continue
        if isinstance(part, forms.BaseFormSet):
            if not part.is_bound:
                continue
            items += [SummaryItem(str(message)) for message in part.non_form_errors()]
            for number, form in enumerate(part.forms, start=1):
                if part.can_delete and part._should_delete_form(form):
                    continue
                items += _form_items(form, line=number)
        else:
            items += _form_items(part)
    return items


@register.inclusion_tag("includes/form_errors.html")
def error_summary(*forms_and_formsets):
    return {"errors": summary_items(*forms_and_formsets)}
