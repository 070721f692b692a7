"""The selection a dashboard shows (a fiscal year, optionally a province, an LAO kind and a cut
of the budget classification) and the form that parses it from the query string.

Shared by the budget explorer (budgets/explorer.py) and the project dashboard
(projects/dashboard.py): both read precomputed rollup cells rather than filtering one queryset,
so their query strings are validated by a Form whose cleaned value is a `Slice`. Choices come
from lists the page has already loaded: validating and rendering the form costs no query.
Classification items (sector, programme, expense category) belong to `budgets`; here they are
only objects with a `pk`, a code and names, so `units` imports no app above it.
"""

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from units.models import LAOKind, Province
from units.tables import table_response
from units.thai import current_fiscal_year, fiscal_year_label_lazy
from units.widgets import FastSelect


def display_name(item) -> str:
    """The name of a province, district, LAO or classification item in the active language: in
    English its English name where the data has one, otherwise the Thai name (an LAO's full
    Thai name). With `in_language`, the one place that picks a text by language; templates use
    the `display_name` filter of `{% load names %}`."""
    if get_language() == "en" and getattr(item, "name_en", ""):
        return item.name_en
    return getattr(item, "full_name_th", "") or item.name_th


def in_language(item, field: str) -> str:
    """A text kept in both languages (`<field>_th`, `<field>_en`) in the active one: in English
    the English text where the data has one, otherwise the Thai."""
    if get_language() == "en" and getattr(item, f"{field}_en", ""):
        return getattr(item, f"{field}_en")
    return getattr(item, f"{field}_th")


@dataclass(frozen=True)
class Slice:
    """A fiscal year, optionally one province, an LAO kind and a cut of the classification
    (sector, programme, expense category: `budgets` items). None or "" means "all"."""

    fiscal_year: int
    province: Province | None = None
    kind: str = ""
    sector: object | None = None
    programme: object | None = None
    category: object | None = None
    # The programmes of `sector` (from the classification already loaded by the page).
    sector_programme_ids: frozenset[int] = frozenset()

    @property
    def province_id(self) -> int | None:
        return self.province.pk if self.province else None

    @property
    def programme_id(self) -> int | None:
        return self.programme.pk if self.programme else None

    @property
    def programme_ids(self) -> frozenset[int] | None:
        """The programmes summed for a sector or programme cut (None: every programme, read
        from the rollups' "all programmes" cells). A programme outside the chosen sector leaves
        nothing to show."""
        if self.programme is not None:
            if self.sector is not None and self.programme.sector_id != self.sector.pk:
                return frozenset()
            return frozenset({self.programme.pk})
        if self.sector is not None:
            return self.sector_programme_ids
        return None

    @property
    def is_sliced(self) -> bool:
        """Does a classification cut apply?"""
        return bool(self.sector or self.programme or self.category)

    @property
    def scope_code(self) -> str:
        """The province code, or "th" for the nation (download file names)."""
        return self.province.code if self.province else "th"


class ItemChoiceField(forms.ChoiceField):
    """A choice among loaded objects by their code or key (`key`); cleans to the object, or
    None for "all"."""

    def __init__(self, *, key: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", FastSelect)
        super().__init__(**kwargs)
        self.key = key
        self.items: dict = {}

    def offer(self, items) -> None:
        self.items = {getattr(item, self.key): item for item in items}
        self.choices = [("", _("All")), *((k, display_name(i)) for k, i in self.items.items())]

    def clean(self, value):
        return self.items.get(super().clean(value))


class KeptQuery:
    """For a form whose bad values show their errors and are ignored: the values that validated
    (`valid_data`) and the query string of them (`keep_query`)."""

    @property
    def valid_data(self) -> dict:
        """The cleaned values of the fields that validated ({} when unbound)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def keep_query(self, data: dict | None = None) -> QueryDict:
        """The valid values (or `data`, values of the form's fields) as a query string (fields
        in name order, objects by their key): what cached tables are keyed by and what their
        links keep, so junk parameters or another order of the same values reuse one entry."""
        query = QueryDict(mutable=True)
        for name, value in sorted((self.valid_data if data is None else data).items()):
            if value in (None, ""):
                continue
            field = self.fields[name]
            query[name] = str(
                getattr(value, field.key) if isinstance(field, ItemChoiceField) else value
            )
        return query


class SliceForm(KeptQuery, forms.Form):
    """Fiscal year (among `years` and the current one), province (code) and LAO kind; apps add
    their cuts. A bad value shows its error and is ignored: `slice()` reads the fields that
    validated."""

    # FastSelect everywhere: Django's option templates would cost more than the page's queries.
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )
    province = ItemChoiceField(label=_("Province"), key="code")
    kind = forms.ChoiceField(
        label=_("LAO kind"),
        choices=[("", _("All")), *LAOKind.choices],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, data=None, *, years: list[int], default_year: int, provinces, **kwargs):
        super().__init__(data, **kwargs)
        self.years = years
        self.default_year = default_year
        choices = sorted({*years, current_fiscal_year()}, reverse=True)
        self.fields["fiscal_year"].choices = [
            ("", "---------"),
            *((y, fiscal_year_label_lazy(y)) for y in choices),
        ]
        self.fields["province"].offer(provinces)

    def cuts(self, data: dict) -> dict:
        """The Slice's classification fields of the valid data (none here)."""
        return {}

    def slice(self) -> Slice:
        data = self.valid_data
        return Slice(
            fiscal_year=data.get("fiscal_year") or self.default_year,
            province=data.get("province"),
            kind=data.get("kind") or "",
            **self.cuts(data),
        )


def slice_table_response(columns, rows, *, name: str, table: str, slice: Slice, format: str):
    """One table of a dashboard as CSV or XLSX, named after what it holds:
    `<name>-<table>-<fiscal year>-<province code or th>.<format>`."""
    return table_response(
        columns,
        rows,
        filename=f"{name}-{table}-{slice.fiscal_year}-{slice.scope_code}.{format}",
        format=format,
        sheet_title=f"{table} {slice.fiscal_year}",
    )
