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
from units.uploads.widgets import AmountWidget, CodeWidget, TextWidget, whole_number_text

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
    return str(value).strip().upper()


class FiscalYearWidget(widgets.IntegerWidget):
    """A Buddhist Era fiscal year within the years an upload may fill (2570, "2570", 2570.0)."""

    def clean(self, value, row=None, **kwargs):
        text = whole_number_text(value)
        if text is None:
            return None
        years = getattr(self, "_years", None)
        if years is None:
            years = self._years = uploadable_fiscal_years()
        if not text.isdigit() or int(text) not in years:
            raise ValueError(
                _(
                    "“%(value)s” is not a fiscal year you can upload: write a Buddhist Era year "
                    "from %(first)s to %(last)s."
                )
                % {"value": value, "first": years[0], "last": years[-1]}
            )
        return int(text)


class ClassificationWidget(widgets.Widget):
    """A classification code (Programme.key, ExpenseType.key) → the item's id.

    The codes are read in one query on first use and kept for the rest of the upload.
    """

    model = None
    unknown_message = ""

    def _lookup(self) -> dict:
        lookup = getattr(self, "_cache", None)
        if lookup is None:
            lookup = self._cache = dict(self.model.objects.values_list("key", "pk"))
        return lookup

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        key = _key(value)
        if not key:
            return None
        try:
            return self._lookup()[key]
        except KeyError:
            raise ValueError(self._unknown(value)) from None

    def _unknown(self, value) -> str:
        return self.unknown_message % {"value": value, "url": reverse("budgets:classification")}

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ProgrammeWidget(ClassificationWidget):
    model = Programme
    unknown_message = gettext_lazy(
        "No programme has the code “%(value)s”: the codes are listed at %(url)s."
    )


class ExpenseTypeWidget(ClassificationWidget):
    model = ExpenseType
    unknown_message = gettext_lazy(
        "No expense type has the code “%(value)s”: the codes are listed at %(url)s."
    )


class WorkWidget(ClassificationWidget):
    """A work code (e.g. EDUCATION.02) that must belong to the row's programme."""

    model = Work
    unknown_message = gettext_lazy(
        "No work has the code “%(value)s”: the codes are listed at %(url)s."
    )

    def _lookup(self) -> dict:
        lookup = getattr(self, "_cache", None)
        if lookup is None:
            lookup = self._cache = {
                key: (pk, programme_key)
                for key, pk, programme_key in Work.objects.values_list(
                    "key", "pk", "programme__key"
                )
            }
        return lookup

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        key = _key(value)
        if not key:
            return None
        try:
            pk, programme_key = self._lookup()[key]
        except KeyError:
            raise ValueError(self._unknown(value)) from None
        given = (row or {}).get(COLUMN_PROGRAMME)
        if given is not None and _key(given) and _key(given) != programme_key:
            raise ValueError(
                _("Work %(work)s belongs to programme %(programme)s, not to %(given)s.")
                % {"work": key, "programme": programme_key, "given": _key(given)}
            )
        return pk


class BudgetLineResource(resources.Resource):
    """One budget line per row: LAO, fiscal year, programme (and work), expense type, item and
    amount. The rows of one LAO and year make that year's plan."""

    dla_code = fields.Field(attribute="dla_code", column_name=COLUMN_CODE, widget=CodeWidget())
    fiscal_year = fields.Field(
        attribute="fiscal_year", column_name=COLUMN_YEAR, widget=FiscalYearWidget()
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
