"""FilterSets of the benchmarks pages (STYLE.md rule 9: no hand-parsed request.GET)."""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from benchmarks.models import IndicatorValue
from units.filters import NameChoiceFilter
from units.models import LAOKind, Province
from units.slices import ItemChoiceField, KeptQuery
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


COMPOSITE = "composite"


class RankingForm(KeptQuery, forms.Form):
    """The ranking table's selection: an indicator or the composite score, a fiscal year (among
    the ranked years; the newest by default), LAO kind, province, peer group, and for the
    composite an older `version`. Choices come from lists the view has loaded; a bad value
    shows its error and is ignored (`selection()` reads the fields that validated)."""

    indicator = forms.ChoiceField(label=_("Indicator"), required=False, widget=FastSelect)
    year = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )
    kind = forms.ChoiceField(
        label=_("LAO kind"),
        choices=[("", _("All")), *LAOKind.choices],
        required=False,
        widget=FastSelect,
    )
    province = ItemChoiceField(label=_("Province"), key="code")
    peer_group = forms.ChoiceField(label=_("Peer group"), required=False, widget=FastSelect)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data=None, *, indicators, years, provinces, peer_groups, **kwargs):
        super().__init__(data, **kwargs)
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.years = years
        self.fields["indicator"].choices = [
            (COMPOSITE, _("Composite score")),
            *((code, indicator.name) for code, indicator in self.indicators.items()),
        ]
        self.fields["year"].choices = [(year, fiscal_year_label_lazy(year)) for year in years]
        self.fields["province"].offer(provinces)
        self.fields["peer_group"].choices = [("", _("All")), *peer_groups]

    def selection(self) -> dict:
        """The validated selection: `indicator` (None for the composite), `fiscal_year`,
        `kind`, `province`, `peer_group`, `version` (a number or None)."""
        data = self.valid_data
        code = data.get("indicator") or COMPOSITE
        return {
            "indicator": self.indicators.get(code),
            "fiscal_year": data.get("year") or (self.years[0] if self.years else None),
            "kind": data.get("kind") or "",
            "province": data.get("province"),
            "peer_group": data.get("peer_group") or "",
            "version": data.get("version") if code == COMPOSITE else None,
        }

    def canonical_query(self) -> QueryDict:
        """The validated selection as a query string (what links, downloads and the cached
        table are keyed by; no raw input)."""
        return self.keep_query({**self.valid_data, "year": self.selection()["fiscal_year"]})


# How many LAOs a comparison shows side by side.
COMPARE_MIN, COMPARE_MAX = 2, 5


class LAOCodesField(forms.Field):
    """Repeated `lao=<DLA code>` parameters: 2 to 5 distinct codes, in the order given."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        codes = []
        for code in (str(item).strip() for item in values):
            if code and code not in codes:
                codes.append(code)
        return codes

    def validate(self, value):
        super().validate(value)
        for code in value:
            if not (code.isdigit() and len(code) == 7):
                raise forms.ValidationError(
                    _("“%(code)s” is not a DLA code (seven digits)."),
                    code="invalid_code",
                    params={"code": code},
                )
        if len(value) > COMPARE_MAX:
            raise forms.ValidationError(
                _("Compare at most %(max)s LAOs at a time."),
                code="too_many",
                params={"max": COMPARE_MAX},
            )


class CompareForm(forms.Form):
    """The comparison's LAOs (`lao`, repeated), the fiscal year and a name search `q` to find
    more LAOs to add."""

    lao = LAOCodesField(label=_("LAOs"), required=False)
    year = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )
    q = forms.CharField(
        label=_("Add an LAO by name"), required=False, max_length=100, widget=forms.SearchInput
    )

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.years = years
        self.fields["year"].choices = [(year, fiscal_year_label_lazy(year)) for year in years]

    def codes(self) -> list[str]:
        if not self.is_bound:
            return []
        self.is_valid()
        return self.cleaned_data.get("lao") or []

    def shown_year(self) -> int | None:
        if self.is_bound:
            self.is_valid()
            year = self.cleaned_data.get("year")
            if year:
                return year
        return self.years[0] if self.years else None

    def check_found(self, laos) -> None:
        """Add the errors the database decides: unknown codes, and fewer than two LAOs."""
        codes = self.codes()
        found = {lao.dla_code for lao in laos}
        unknown = [code for code in codes if code not in found]
        if unknown:
            self.add_error(
                "lao",
                _("No active LAO has the DLA code %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        if codes and len(found) < COMPARE_MIN and "lao" not in self.errors:
            self.add_error(
                "lao", _("Choose at least %(min)s LAOs to compare.") % {"min": COMPARE_MIN}
            )


class YearForm(forms.Form):
    """A page's fiscal year among the years it has figures for (the newest by default)."""

    year = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.years = years
        self.fields["year"].choices = [(year, fiscal_year_label_lazy(year)) for year in years]

    def shown_year(self) -> int | None:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return self.years[0] if self.years else None
