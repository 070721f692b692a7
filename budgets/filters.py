import django_filters
from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetPlan, PlanStatus


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
