"""Forms of the plan editor. Choices are built once per request (not one query per row)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from budgets.models import ExpenseType, Programme, RevenueSource, Work
from units.thai import fiscal_year_of


class BahtField(forms.DecimalField):
    """An amount in baht that also accepts thousands separators: `1,250,000.50`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "amount"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(_("Enter an amount in baht, e.g. 1,250,000.00.")) from None


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
        ],  # fmt: skip
        "expense_type": [("", "—")]
        + [
            (t.pk, f"{t.category.name_th} · {t.name_th}")
            for t in ExpenseType.objects.select_related("category").order_by(
                "category__sort_order", "sort_order"
            )
        ],  # fmt: skip
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
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not kept:
            raise ValidationError(_("Add at least one line."))


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
