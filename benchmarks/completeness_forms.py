"""Input of the completeness pages: the list's filters and the reminder's selection."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarks.completeness import ITEMS, MISSING_ANY, MISSING_REPORT
from benchmarks.models import Completeness
from units.models import LAOKind
from units.thai import current_fiscal_year, fiscal_year_label_lazy

# Years offered: the last five and the next (plans are made a year ahead).
YEARS_BACK = 4


def year_choices() -> list[tuple[int, str]]:
    current = current_fiscal_year()
    return [
        (year, fiscal_year_label_lazy(year))
        for year in range(current + 1, current - YEARS_BACK - 1, -1)
    ]


MISSING_CHOICES = [
    (MISSING_ANY, _("Anything")),
    (MISSING_REPORT, _("The last quarter's progress report")),
    *((item.code, item.label) for item in ITEMS if not item.code.startswith("report_q")),
]


class CompletenessFilter(django_filters.FilterSet):
    """Year (this fiscal year by default), LAO kind and what is missing. The selector takes the
    cleaned values (`values`)."""

    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), coerce=int, empty_value=None, method="keep"
    )
    kind = django_filters.ChoiceFilter(
        label=_("LAO kind"), choices=LAOKind.choices, empty_label=_("All"), method="keep"
    )
    missing = django_filters.ChoiceFilter(
        label=_("Missing"), choices=MISSING_CHOICES, empty_label=_("Show all"), method="keep"
    )

    class Meta:
        model = Completeness
        fields = ["fiscal_year", "kind", "missing"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, queryset=Completeness.objects.none(), **kwargs)
        self.filters["fiscal_year"].extra["choices"] = year_choices()

    def keep(self, queryset, name, value):
        return queryset

    def values(self) -> dict:
        """{"fiscal_year", "kind", "missing"}: the valid values, this fiscal year by default."""
        cleaned = self.form.cleaned_data if self.is_valid() else {}
        return {
            "fiscal_year": cleaned.get("fiscal_year") or current_fiscal_year(),
            "kind": cleaned.get("kind") or None,
            "missing": cleaned.get("missing") or None,
        }


class YearFilter(CompletenessFilter):
    """The national rollup: the year only."""

    class Meta:
        model = Completeness
        fields = ["fiscal_year"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        del self.filters["kind"], self.filters["missing"]


class ReminderForm(forms.Form):
    """Which LAOs to remind about which year: the ticked ones (`lao`, repeated), or on the
    confirmation page the same as one comma-separated `laos`."""

    fiscal_year = forms.IntegerField(min_value=2500, max_value=2700)
    lao = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=())
    laos = forms.CharField(required=False)
    everyone = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids are checked against the province by the view and the service, not as choices.
        self.fields["lao"].valid_value = lambda value: True

    def clean_laos(self) -> list[int]:
        text = self.cleaned_data.get("laos") or ""
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Choose LAOs from the list.")) from None

    def lao_ids(self) -> list[int]:
        return sorted(set(self.cleaned_data["lao"]) | set(self.cleaned_data["laos"]))

    def list_filters(self) -> dict:
        """The filters of the list the form was sent from (`CompletenessFilter.values`): whom
        "everyone" means."""
        return CompletenessFilter(self.data).values()

    def hidden(self, lao_ids: list[int]) -> dict:
        """What the confirmation page posts back: the year and the chosen LAOs."""
        return {
            "fiscal_year": self.cleaned_data["fiscal_year"],
            "laos": ",".join(str(pk) for pk in lao_ids),
        }
