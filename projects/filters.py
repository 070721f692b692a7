"""FilterSets of the project lists (officer and public)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from projects.models import Project, Stage
from units.widgets import FastSelect


class PublicProjectFilter(django_filters.FilterSet):
    """Fiscal year, stage and programme (the citizen list). The caller passes the year and
    programme choices it has already loaded (no query from the form)."""

    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), coerce=int, empty_value=None, widget=FastSelect
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All"), widget=FastSelect
    )
    programme = django_filters.TypedChoiceFilter(
        label=_("Programme"), coerce=int, empty_value=None, field_name="programme_id",
        widget=FastSelect,
    )  # fmt: skip

    class Meta:
        model = Project
        fields = ["fiscal_year", "stage", "programme"]

    def __init__(self, *args, years, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.filters["fiscal_year"].extra["choices"] = everything + [(y, y) for y in years]
        self.filters["programme"].extra["choices"] = everything + [
            (p.pk, p.name_th) for p in programmes
        ]


# Shorter fragments match most of the ~3M projects and cannot use the trigram indexes.
MIN_SEARCH_LENGTH = 3


def search_too_short(value: str | None) -> bool:
    """Is a typed search too short to run (and so ignored)?"""
    value = (value or "").strip()
    return bool(value) and len(value) < MIN_SEARCH_LENGTH


class ProjectFilter(PublicProjectFilter):
    """The officer list: the public filters and a search of name or code (at least
    MIN_SEARCH_LENGTH characters; shorter is ignored, the page says so)."""

    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text", max_length=100)

    class Meta(PublicProjectFilter.Meta):
        fields = ["fiscal_year", "stage", "programme"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value or search_too_short(value):
            return queryset
        # `__contains`, not `icontains`: UPPER() would skip the trigram index (STACK.md).
        return queryset.filter(code__startswith=value) | queryset.filter(name__contains=value)
