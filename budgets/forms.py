"""Forms of the plan editor. Choices are built once per request (not one query per row)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from budgets.explorer import NO_PLAN
from budgets.models import ExpenseType, PlanStatus, Programme, RevenueSource, Work
from budgets.services import LineData
from units.fields import BahtField
from units.slices import ItemChoiceField, SliceForm
from units.thai import current_fiscal_year, fiscal_year_of
from units.widgets import FastSelect


def classification_choices() -> dict[str, list]:
    """Select options for the editor: three small queries per page, not per row. Also the
    expense category of each type, for the editor's running totals by category."""
    types = list(
        ExpenseType.objects.select_related("category").order_by(
            "category__sort_order", "sort_order"
        )
    )
    return {
        "type_categories": {t.pk: t.category.name_th for t in types},
        "programme": [("", "—")]
        + [(p.pk, p.name_th) for p in Programme.objects.order_by("sort_order")],
        "work": [("", "—")]
        + [
            (w.pk, f"{w.programme.name_th} · {w.name_th}")
            for w in Work.objects.select_related("programme").order_by(
                "programme__sort_order", "sort_order"
            )
        ],
        "expense_type": [("", "—")]
        + [
            (t.pk, f"{t.category.name_th} · {t.name_th}")
            for t in ExpenseType.objects.select_related("category").order_by(
                "category__sort_order", "sort_order"
            )
        ],
    }


class BudgetLineForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    work = forms.TypedChoiceField(label=_("Work"), coerce=int, required=False, empty_value=None)
    expense_type = forms.TypedChoiceField(label=_("Expense type"), coerce=int)
    item = forms.CharField(label=_("Item"), max_length=500)
    amount = BahtField(label=_("Amount (baht)"))

    def __init__(self, *args, choices: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("programme", "work", "expense_type"):
            self.fields[name].choices = choices[name]


class BaseLineFormSet(forms.BaseFormSet):
    @property
    def kept_forms(self) -> list[BudgetLineForm]:
        """The filled-in line forms not marked for deletion (blank extra rows are ignored)."""
        return [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.kept_forms:
            raise ValidationError(_("Add at least one line."))

    def line_data(self) -> list[LineData]:
        """The kept lines, for `services.budget_plan_save` (after validation)."""
        return [
            LineData(
                programme_id=f.cleaned_data["programme"],
                work_id=f.cleaned_data["work"],
                expense_type_id=f.cleaned_data["expense_type"],
                item=f.cleaned_data["item"],
                amount=f.cleaned_data["amount"],
            )
            for f in self.kept_forms
        ]


LineFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseLineFormSet, extra=3, can_delete=True, max_num=2000
)


class RevenueForm(forms.Form):
    """One estimated amount per revenue source."""

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources if sources is not None else RevenueSource.objects.all())
        for source in self.sources:
            self.fields[f"source_{source.pk}"] = BahtField(label=source.name_th, required=False)

    def amounts(self) -> dict[int, Decimal]:
        return {
            source.pk: self.cleaned_data.get(f"source_{source.pk}") or Decimal(0)
            for source in self.sources
        }


class PlanEditor:
    """The plan editor's forms: its lines (a formset) and its estimated revenue, bound to the
    posted `data`, or filled from the plan when `data` is None. `version` is the plan version
    the form was opened on (lost updates are refused by the service)."""

    def __init__(self, *, plan, version: int, data=None):
        self.plan, self.version, self.is_bound = plan, version, data is not None
        self.choices = classification_choices()
        kwargs = {"form_kwargs": {"choices": self.choices}, "prefix": "line"}
        if self.is_bound:
            self.formset = LineFormSet(data, **kwargs)
            self.revenue_form = RevenueForm(data, prefix="rev")
            return
        self.formset = LineFormSet(
            initial=[
                {
                    "programme": line.programme_id,
                    "work": line.work_id,
                    "expense_type": line.expense_type_id,
                    "item": line.item,
                    "amount": line.amount,
                }
                for line in plan.lines.all()
            ],
            **kwargs,
        )
        self.revenue_form = RevenueForm(
            initial={
                f"source_{revenue.source_id}": revenue.amount
                for revenue in plan.revenues.select_related("source")
            },
            prefix="rev",
        )

    def is_valid(self) -> bool:
        return self.is_bound and self.formset.is_valid() and self.revenue_form.is_valid()

    def changes(self) -> dict:
        """The keyword arguments of `services.budget_plan_save` (after validation)."""
        return {
            "version": self.version,
            "lines": self.formset.line_data(),
            "revenues": self.revenue_form.amounts(),
        }

    def context(self) -> dict:
        return {
            "formset": self.formset,
            "revenue_form": self.revenue_form,
            "version": self.version,
            "type_categories": self.choices["type_categories"],
        }


class NewPlanForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    copy_previous = forms.BooleanField(
        label=_("Start from the previous year's plan"), required=False, initial=True
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        current = fiscal_year_of(today)
        self.fields["fiscal_year"].choices = [(y, y) for y in (current + 1, current, current - 1)]
        self.fields["fiscal_year"].initial = current


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the LAO revise?"), widget=forms.Textarea(attrs={"rows": 3})
    )


# --- The national budget explorer (budgets/views_explorer.py) ---------------------------------


class ExplorerForm(SliceForm):
    """The explorer's slice: fiscal year, province, LAO kind, sector, programme and expense
    category (keys), and the plan status of the province's LAO table. The fiscal year defaults
    to the latest year with an enacted budget (the current fiscal year when there is none)."""

    sector = ItemChoiceField(label=_("Sector"), key="key")
    programme = ItemChoiceField(label=_("Programme"), key="key")
    category = ItemChoiceField(label=_("Expense category"), key="key")
    status = forms.ChoiceField(
        label=_("Plan status"),
        choices=[("", _("All")), *PlanStatus.choices, (NO_PLAN, _("No plan yet"))],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, data=None, *, classification, years: list[int], **kwargs):
        default_year = years[0] if years else current_fiscal_year()
        super().__init__(
            data,
            years=years,
            default_year=default_year,
            provinces=classification.provinces,
            **kwargs,
        )
        self.classification = classification
        self.fields["sector"].offer(classification.sectors)
        self.fields["programme"].offer(classification.programmes)
        self.fields["category"].offer(classification.categories)

    @property
    def plan_status(self) -> str:
        """The plan status kept in the province's LAO table ("" for every LAO)."""
        return self.valid_data.get("status") or ""

    def cuts(self, data: dict) -> dict:
        sector = data.get("sector")
        return {
            "sector": sector,
            "programme": data.get("programme"),
            "category": data.get("category"),
            "sector_programme_ids": frozenset(
                programme.pk
                for programme in self.classification.programmes
                if sector is not None and programme.sector_id == sector.pk
            ),
        }
