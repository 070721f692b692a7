"""FilterSets of the project lists (officer and public) and of the progress-report pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from projects.models import ProgressReport, Project, ReportStatus, Stage
from units.widgets import FastSelect

# The year choice that shows every year of an LAO's projects.
ALL_YEARS = "all"


class PublicProjectFilter(django_filters.FilterSet):
    """Fiscal year, stage and programme (the citizen list). The caller passes the year and
    programme choices it has already loaded (no query from the form).

    Without a year in the query the list shows `default_year` (`rules.shown_fiscal_year`, the
    year the LAO's profile shows too); "all" shows every year, and stays in the links the
    page keeps (`units.filters.filter_query` leaves empty values out)."""

    fiscal_year = django_filters.ChoiceFilter(
        label=_("Fiscal year"), method="filter_year", empty_label=None, widget=FastSelect
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All"), widget=FastSelect
    )
    programme = django_filters.TypedChoiceFilter(
        label=_("Programme"),
        coerce=int,
        empty_value=None,
        field_name="programme_id",
        widget=FastSelect,
    )

    class Meta:
        model = Project
        fields = ["fiscal_year", "stage", "programme"]

    def __init__(self, data=None, *args, years, programmes, default_year=None, **kwargs):
        # The default year applies when the query names no year it has (a first visit, a
        # profile link, an old link to a year without projects any more).
        known = {ALL_YEARS, *(str(year) for year in years)}
        self.shows_default_year = bool(
            data is not None and default_year is not None and data.get("fiscal_year") not in known
        )
        self.default_year = default_year
        if self.shows_default_year:
            data = data.copy()
            data["fiscal_year"] = str(default_year)
        super().__init__(data, *args, **kwargs)
        everything = [("", _("All"))]
        self.filters["fiscal_year"].extra["choices"] = self.year_choices(years)
        self.filters["programme"].extra["choices"] = everything + [
            (p.pk, p.name_th) for p in programmes
        ]

    def year_choices(self, years):
        return [(ALL_YEARS, _("All years"))] + [(str(y), y) for y in years]

    def filter_year(self, queryset, name, value):
        if value == ALL_YEARS:
            return queryset
        return queryset.filter(fiscal_year=int(value))


# Shorter fragments match most of the ~3M projects and cannot use the trigram indexes.
MIN_SEARCH_LENGTH = 3


def search_too_short(value: str | None) -> bool:
    """Is a typed search too short to run (and so ignored)?"""
    value = (value or "").strip()
    return bool(value) and len(value) < MIN_SEARCH_LENGTH


class ProjectFilter(PublicProjectFilter):
    """The officer list: the public filters and a search of name or code (at least
    MIN_SEARCH_LENGTH characters; shorter is ignored, the page says so)."""

    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), coerce=int, empty_value=None, widget=FastSelect
    )
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text", max_length=100)

    class Meta(PublicProjectFilter.Meta):
        fields = ["fiscal_year", "stage", "programme"]

    def year_choices(self, years):
        return [("", _("All"))] + [(y, y) for y in years]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value or search_too_short(value):
            return queryset
        # `__contains`, not `icontains`: UPPER() would skip the trigram index (STACK.md).
        return queryset.filter(code__startswith=value) | queryset.filter(name__contains=value)


# --- Progress reports -------------------------------------------------------------------------

QUARTER_CHOICES = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class FiscalYearFilter(django_filters.FilterSet):
    """The fiscal year of the officer's quarter table (default: the current one)."""

    fiscal_year = django_filters.NumberFilter(
        label=_("Fiscal year"), min_value=2500, max_value=2700
    )

    class Meta:
        model = ProgressReport
        fields = ["fiscal_year"]

    def fiscal_year_or(self, default: int) -> int:
        """The chosen fiscal year; `default` when none or an invalid one is chosen."""
        chosen = self.form.cleaned_data.get("fiscal_year") if self.is_valid() else None
        return int(chosen or default)


class ReportFilter(django_filters.FilterSet):
    """Reports in the user's scope by fiscal year, quarter, status and LAO."""

    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    quarter = django_filters.TypedChoiceFilter(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    q = django_filters.CharFilter(label=_("LAO name or code"), method="filter_lao", max_length=100)

    class Meta:
        model = ProgressReport
        fields = ["fiscal_year", "quarter", "status"]

    def filter_lao(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(lao__dla_code__startswith=value)
        return queryset.filter(lao__full_name_th__contains=value)


class MissingFilter(django_filters.FilterSet):
    """The quarter (and, for users who read several provinces, the province) of the missing
    list. The selector takes the cleaned values: the quarter is a parameter of its subquery."""

    fiscal_year = django_filters.NumberFilter(
        label=_("Fiscal year"), method="keep", min_value=2500, max_value=2700
    )
    quarter = django_filters.TypedChoiceFilter(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int, method="keep", widget=FastSelect
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=None,
        to_field_name="code",
        method="keep",
        empty_label=_("All"),
        widget=FastSelect,
    )

    def __init__(self, data=None, *, provinces, **kwargs):
        super().__init__(data, queryset=ProgressReport.objects.none(), **kwargs)
        # `.only()`: the options show the Thai name; each province's boundary is heavy GeoJSON.
        self.filters["province"].queryset = provinces.only("code", "name_th").order_by("code")

    def keep(self, queryset, name, value):
        return queryset
