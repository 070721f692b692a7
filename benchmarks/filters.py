"""FilterSets of the benchmarks pages (STYLE.md rule 9: no hand-parsed request.GET)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from benchmarks.models import IndicatorValue
from units.filters import NameChoiceFilter
from units.models import LAOKind, Province
from units.thai import fiscal_year_label_lazy
from units.widgets import FastSelect


class IndicatorValueFilter(django_filters.FilterSet):
    """One indicator's values: fiscal year (among the years it has values for; the newest when
    none or an unknown one is asked for), LAO kind and province."""

    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), coerce=int, empty_value=None, widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(
        label=_("LAO kind"),
        field_name="lao__kind",
        choices=LAOKind.choices,
        empty_label=_("All"),
        widget=FastSelect,
    )
    province = NameChoiceFilter(
        label=_("Province"),
        field_name="lao__province",
        queryset=Province.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )

    class Meta:
        model = IndicatorValue
        fields = ["fiscal_year", "kind", "province"]

    def __init__(self, data=None, *args, years: list[int], **kwargs):
        self.default_year = years[0] if years else None
        data = data.copy() if data is not None else {}
        if data.get("fiscal_year") not in {str(year) for year in years}:
            data["fiscal_year"] = self.default_year
        super().__init__(data, *args, **kwargs)
        self.filters["fiscal_year"].extra["choices"] = [
            (year, fiscal_year_label_lazy(year)) for year in years
        ]
        self.filters["province"].queryset = Province.objects.only(
            "code", "name_th", "name_en"
        ).order_by("code")

    @property
    def shown_year(self) -> int | None:
        """The year shown (a valid choice, or the newest)."""
        # The year the rows are filtered by, even when another field (say a bogus kind) failed.
        self.is_valid()
        return self.form.cleaned_data.get("fiscal_year") or self.default_year
