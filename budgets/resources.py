"""Spreadsheet columns of budget lines (django-import-export) and their widgets: the Resource of
the upload type "budgets.lines" (budgets/uploads.py).

Widgets raise ValueError with translated messages; the classification lookups are loaded once per
upload (each Resource instance deep-copies its fields, so each upload gets fresh caches).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from budgets.models import ExpenseType, Programme, Work
from units.thai import current_fiscal_year
from units.uploads.widgets import (
    AmountWidget,
    CodeWidget,
    FiscalYearWidget,
    TextWidget,
    whole_number_text,
)

# Fiscal years an upload may fill, around the current one: last year's (late entry), this
# year's and next year's (plans are drafted before the year starts).
YEARS_BEFORE, YEARS_AFTER = 1, 1

COLUMN_CODE = "รหัส อปท."
COLUMN_YEAR = "ปีงบประมาณ"
COLUMN_PROGRAMME = "รหัสแผนงาน"
COLUMN_WORK = "รหัสงาน"
COLUMN_TYPE = "รหัสหมวดรายจ่าย"
COLUMN_ITEM = "รายการ"
COLUMN_AMOUNT = "จำนวนเงิน"


def uploadable_fiscal_years() -> range:
    current = current_fiscal_year()
    return range(current - YEARS_BEFORE, current + YEARS_AFTER + 1)


def _key(value) -> str:
    """A cell compared with the classification: spaces collapsed, Latin letters in capitals
    (Thai has no case)."""
    return " ".join(str(value).split()).upper()


class ClassificationWidget(widgets.Widget):
    """A classification item named by its Thai name (`แผนงานการศึกษา`, `ค่าวัสดุ`: what the
    template writes, as budget documents name them), its account code where it has one
    (`533000`), or its portal code (`EDUCATION`, `MATERIALS`: templates downloaded before the
    Thai names) → the item's id.

    The items are read in one query on first use and kept for the rest of the upload.
    """

    model = None
    unknown_message = ""

    def _lookup(self) -> dict:
        lookup = getattr(self, "_cache", None)
        if lookup is None:
            lookup = self._cache = self._build()
        return lookup

    def _build(self) -> dict:
        has_code = any(field.name == "account_code" for field in self.model._meta.fields)
        columns = ["pk", "key", "name_th", "account_code" if has_code else "key"]
        items = list(self.model.objects.values_list(*columns))
        codes = [code for *_rest, code in items] if has_code else []
        # An account code that two items share names neither of them.
        lookup = {code: pk for pk, *_rest, code in items if code and codes.count(code) == 1}
        lookup |= {_key(name): pk for pk, _code, name, _account in items}
        return lookup | {_key(key): pk for pk, key, _name, _account in items}

    def clean(self, value, row=None, **kwargs):
        text = whole_number_text(value)
        if text is None:
            return None
        try:
            return self._lookup()[_key(text)]
        except KeyError:
            raise ValueError(self._unknown(value)) from None

    def _unknown(self, value) -> str:
        return self.unknown_message % {"value": value, "url": reverse("budgets:classification")}

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ProgrammeWidget(ClassificationWidget):
    model = Programme
    unknown_message = gettext_lazy(
        "No programme is named “%(value)s”: the programmes and their names are listed at %(url)s."
    )


class ExpenseTypeWidget(ClassificationWidget):
    model = ExpenseType
    unknown_message = gettext_lazy(
        "No expense type is named or coded “%(value)s”: the expense types, their names and "
        "account codes are listed at %(url)s."
    )


class WorkWidget(ClassificationWidget):
    """A work (งาน) of the row's programme, by its Thai name (`งานระดับมัธยมศึกษา`) or its
    portal code (`EDUCATION.03`). A name is looked up among the works of the row's programme
    first, so two programmes may have works of the same name."""

    model = Work
    unknown_message = gettext_lazy(
        "No work is named “%(value)s”: the works of each programme are listed at %(url)s."
    )

    def _build(self) -> dict:
        # The programmes come with their works (one query): a row's programme without works
        # has no work to offer anyway.
        works = list(
            Work.objects.values_list(
                "pk", "key", "name_th", "programme_id", "programme__key", "programme__name_th"
            )
        )
        self._names = {pk: name for pk, _code, name, *_programme in works}
        self._programme_of = {pk: programme for pk, _code, _name, programme, *_ in works}
        self._in_programme = {(work[3], _key(work[2])): work[0] for work in works}
        self._programme_names = {work[3]: work[5] for work in works}
        self._programmes = {_key(work[5]): work[3] for work in works} | {
            _key(work[4]): work[3] for work in works
        }
        lookup = {}
        for pk, _code, name, *_programme in works:
            lookup.setdefault(_key(name), pk)
        return lookup | {_key(work[1]): work[0] for work in works}

    def clean(self, value, row=None, **kwargs):
        text = whole_number_text(value)
        if text is None:
            return None
        lookup = self._lookup()
        given = whole_number_text((row or {}).get(COLUMN_PROGRAMME))
        # None when blank or unknown (the programme's own cell has that error).
        programme = self._programmes.get(_key(given)) if given else None
        pk = self._in_programme.get((programme, _key(text))) or lookup.get(_key(text))
        if pk is None:
            raise ValueError(self._unknown(value))
        if given and self._programme_of[pk] != programme:
            raise ValueError(
                _("Work %(work)s belongs to programme %(programme)s, not to %(given)s.")
                % {
                    "work": self._names[pk],
                    "programme": self._programme_names[self._programme_of[pk]],
                    "given": self._programme_names.get(programme, given),
                }
            )
        return pk


class BudgetLineResource(resources.Resource):
    """One budget line per row: LAO, fiscal year, programme (and work), expense type, item and
    amount. The rows of one LAO and year make that year's plan."""

    dla_code = fields.Field(attribute="dla_code", column_name=COLUMN_CODE, widget=CodeWidget())
    fiscal_year = fields.Field(
        attribute="fiscal_year",
        column_name=COLUMN_YEAR,
        widget=FiscalYearWidget(uploadable_fiscal_years),
    )
    programme = fields.Field(
        attribute="programme_id", column_name=COLUMN_PROGRAMME, widget=ProgrammeWidget()
    )
    work = fields.Field(attribute="work_id", column_name=COLUMN_WORK, widget=WorkWidget())
    expense_type = fields.Field(
        attribute="expense_type_id", column_name=COLUMN_TYPE, widget=ExpenseTypeWidget()
    )
    item = fields.Field(attribute="item", column_name=COLUMN_ITEM, widget=TextWidget(500))
    amount = fields.Field(attribute="amount", column_name=COLUMN_AMOUNT, widget=AmountWidget())

    class Meta:
        fields = ("dla_code", "fiscal_year", "programme", "work", "expense_type", "item", "amount")
