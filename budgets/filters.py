import django_filters
from django.utils.translation import gettext_lazy as _

from budgets.explorer import display_name
from budgets.models import BudgetPlan, BudgetRollup, PlanStatus
from units.models import LAOKind
from units.widgets import FastSelect


class PlanFilter(django_filters.FilterSet):
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    q = django_filters.CharFilter(label=_("LAO name or code"), method="filter_lao", max_length=100)

    class Meta:
        model = BudgetPlan
        fields = ["fiscal_year", "status"]

    def filter_lao(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(lao__dla_code__startswith=value)
        return queryset.filter(lao__full_name_th__contains=value)


# --- The national budget explorer (budgets/views_explorer.py) ---------------------------------


class ExplorerFilter(django_filters.FilterSet):
    """The slice of the budget explorer: fiscal year, province (code), LAO kind, sector,
    programme and expense category (keys), and the plan status of the province's LAO table.

    The explorer reads precomputed rollup cells rather than filtering one queryset, so this
    FilterSet validates the query string (its form) and `budgets.explorer.explorer_slice` turns
    the cleaned data into the cells to read. Choices come from lists the page has already
    loaded (`classification`, `years`): validating and rendering the form costs no query.
    """

    # FastSelect everywhere: Django's option templates would cost more than the page's queries.
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
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), empty_label=_("All"), method="keep", widget=FastSelect
    )
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), empty_label=_("All"), method="keep", widget=FastSelect
    )
    category = django_filters.ChoiceFilter(
        label=_("Expense category"), empty_label=_("All"), method="keep", widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Plan status"),
        choices=[*PlanStatus.choices, ("none", _("No plan yet"))],
        empty_label=_("All"),
        method="keep",
        widget=FastSelect,
    )

    def __init__(self, data=None, *, classification, years, **kwargs):
        super().__init__(data, queryset=BudgetRollup.objects.none(), **kwargs)
        choices = {
            "fiscal_year": [(year, str(year)) for year in years],
            "province": [(p.code, display_name(p)) for p in classification.provinces],
            "sector": [(s.key, display_name(s)) for s in classification.sectors],
            "programme": [(p.key, display_name(p)) for p in classification.programmes],
            "category": [(c.key, display_name(c)) for c in classification.categories],
        }
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    def keep(self, queryset, name, value):
        """The slice is applied to rollup cells by the explorer's selectors, not here."""
        return queryset
