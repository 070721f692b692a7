"""FilterSets of the units app's public lists (STYLE.md rule 9: no hand-parsed request.GET)."""

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Collate
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from units.models import LAO, ChangeSource, District, LAOChange, LAOKind, Province
from units.search import search_laos
from units.slices import display_name
from units.widgets import FastSelect

# Thai dictionary order (leading vowels such as เ แ โ are not sorted first); ICU ships with
# PostgreSQL here. 7,850 names sort in a few milliseconds.
THAI_COLLATION = "th-TH-x-icu"


def valid_filters(filterset) -> dict:
    """The cleaned values of the fields that validated (an invalid value is left out, as the
    non-strict lists ignore it); {} for an unbound filterset."""
    if not filterset.is_bound:
        return {}
    filterset.is_valid()
    return dict(getattr(filterset.form, "cleaned_data", {}))


def filter_query(filterset) -> QueryDict:
    """The validated filters as a canonical query string (fields in name order, empty values
    and unknown parameters left out, objects by the code their field uses): what cached
    fragments are keyed by and what their links keep, so that no raw input reaches either."""
    query = QueryDict(mutable=True)
    for name, value in sorted(valid_filters(filterset).items()):
        if value in (None, "", [], ()):
            continue
        prepared = filterset.form.fields[name].prepare_value(value)
        values = prepared if isinstance(prepared, list | tuple) else [prepared]
        query.setlist(name, [str(item) for item in values])
    return query


class NameChoiceField(forms.ModelChoiceField):
    """Options labelled by the object's name in the active language."""

    def label_from_instance(self, obj):
        return display_name(obj)


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NameChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)


def _provinces():
    # `.only()`: the boundary GeoJSON is heavy and a select box needs only code and names.
    return Province.objects.only("code", "name_th", "name_en").order_by("code")


class LAOFilter(django_filters.FilterSet):
    """The public LAO list and its exports: province, district (within the chosen province),
    kind, name search `q` and `sort`."""

    SORTS = {
        "name": [Collate("name_th", THAI_COLLATION).asc(), "dla_code"],
        "-name": [Collate("name_th", THAI_COLLATION).desc(), "dla_code"],
        "code": [F("dla_code").asc(nulls_first=True)],
        "-code": [F("dla_code").desc(nulls_last=True)],
        "province": ["province__code", "dla_code"],
        "-province": ["-province__code", "dla_code"],
        "-population": [F("population").desc(nulls_last=True), "dla_code"],
        "population": [F("population").asc(nulls_last=True), "dla_code"],
    }

    q = django_filters.CharFilter(
        label=_("Name"), method="filter_name", max_length=100, widget=forms.SearchInput
    )
    province = NameChoiceFilter(
        label=_("Province"), queryset=_provinces(), to_field_name="code", empty_label=_("All")
    )
    district = NameChoiceFilter(
        label=_("District"),
        queryset=District.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=LAOKind.choices, empty_label=_("All"), widget=FastSelect
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        widget=FastSelect,
        choices=[
            ("province", _("Province")),
            ("name", _("Name, A to Z")),
            ("-name", _("Name, Z to A")),
            ("code", _("DLA code")),
            ("-population", _("Population (largest first)")),
            ("population", _("Population (smallest first)")),
        ],
    )

    class Meta:
        model = LAO
        fields = ["q", "province", "district", "kind", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        province_code = (data or {}).get("province")
        # Districts are offered within the chosen province only (there are 928 in all).
        if province_code:
            self.filters["district"].queryset = District.objects.filter(
                province__code=province_code
            ).only("code", "name_th", "name_en")

    def filter_name(self, queryset, name, value):
        return search_laos(queryset, value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, self.SORTS["province"]))


class LinkFilter(django_filters.FilterSet):
    """The directory of LAO websites: province and kind."""

    province = NameChoiceFilter(
        label=_("Province"), queryset=_provinces(), to_field_name="code", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=LAOKind.choices, empty_label=_("All")
    )

    class Meta:
        model = LAO
        fields = ["province", "kind"]


# --- profile, edit, history (units/views/profile.py) ---


class LAOChangeFilter(django_filters.FilterSet):
    """An LAO's change history: by source (portal form, upload, registry import, admin)."""

    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=ChangeSource.choices, empty_label=_("All")
    )

    class Meta:
        model = LAOChange
        fields = ["source"]
