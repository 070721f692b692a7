"""The FilterSet of the executive project dashboard (projects/views_dashboard.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from projects.dashboard import display_name
from projects.models import ProjectRollup
from units.models import LAOKind
from units.widgets import FastSelect


class DashboardFilter(django_filters.FilterSet):
    """The slice of the dashboard: fiscal year, province (code), LAO kind, programme (key), and
    an LAO (DLA code) for the lagging list.

    The dashboard reads rollup cells rather than filtering one queryset, so this FilterSet
    validates the query string and `projects.dashboard.dashboard_slice` turns the cleaned data
    into the cells to read. Choices come from lists the page has already loaded: validating
    and rendering the form costs no query.
    """

    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), coerce=int, empty_value=None, method="keep", widget=FastSelect
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"), empty_label=_("All"), method="keep", widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(
        label=_("LAO kind"),
        choices=LAOKind.choices,
        empty_label=_("All"),
        method="keep",
        widget=FastSelect,
    )
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), empty_label=_("All"), method="keep", widget=FastSelect
    )

    def __init__(self, data=None, *, reference, years, **kwargs):
        super().__init__(data, queryset=ProjectRollup.objects.none(), **kwargs)
        choices = {
            "fiscal_year": [(year, str(year)) for year in years],
            "province": [(p.code, display_name(p)) for p in reference.provinces],
            "programme": [(p.key, display_name(p)) for p in reference.programmes],
        }
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    def keep(self, queryset, name, value):
        """The slice is applied to rollup cells by the dashboard's selectors, not here."""
        return queryset
