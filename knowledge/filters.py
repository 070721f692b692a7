"""The FilterSet of the document search (STYLE.md rule 9: no hand-parsed request.GET)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from knowledge.models import Document, DocumentKind, Topic
from knowledge.search import QUERY_MAX_LENGTH
from units.filters import NameChoiceFilter, _provinces


def _concerning(**lookups):
    """Documents that concern an LAO matching `lookups` (through `laos`), without duplicates."""
    return Exists(Document.laos.through.objects.filter(document_id=OuterRef("pk"), **lookups))


class DocumentFilter(django_filters.FilterSet):
    """Published documents by kind, topic, year (BE), LAO (DLA code) and province; `q` is the
    Thai text searched (ranked by `search.search_page`, not filtered here)."""

    q = django_filters.CharFilter(
        label=_("Search"), method="keep", max_length=QUERY_MAX_LENGTH, widget=forms.SearchInput
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=Topic.choices, method="filter_topic"
    )
    year = django_filters.NumberFilter(label=_("Year (BE)"), min_value=2400, max_value=2700)
    province = NameChoiceFilter(
        label=_("Province"), queryset=_provinces(), to_field_name="code", method="filter_province"
    )
    lao = django_filters.CharFilter(
        label=_("DLA code of the LAO"), method="filter_lao", max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{7}"}),
    )  # fmt: skip

    class Meta:
        model = Document
        fields = ["q", "kind", "topic", "year", "province", "lao"]

    def keep(self, queryset, name, value):
        return queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__contains=[value])

    def filter_province(self, queryset, name, value):
        return queryset.filter(_concerning(lao__province=value))

    def filter_lao(self, queryset, name, value):
        return queryset.filter(_concerning(lao__dla_code=value))
