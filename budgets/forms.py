"""Forms of the plan editor. Choices are built once per request (not one query per row)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from budgets.explorer import NO_PLAN
from budgets.models import ExpenseType, PlanStatus, Programme, RevenueSource, Work
from budgets.selectors import revenue_flag
from budgets.services import LineData
from units.fields import BahtField
from units.slices import ItemChoiceField, SliceForm
from units.thai import current_fiscal_year, fiscal_year_label_lazy, fiscal_year_of
from units.views.workflow import StepForm
from units.widgets import FastSelect


def classification_choices() -> dict[str, list]:
    """Select options for the editor: three small queries per page, not per row. Also the
    expense category of each type, for the editor's running totals by category, and the
    programme of each work (the editor offers the works of the line's programme)."""
    types = list(
        ExpenseType.objects.select_related("category").order_by(
            "category__sort_order", "sort_order"
        )
    )
    works = list(
        Work.objects.select_related("programme").order_by("programme__sort_order", "sort_order")
    )
    work_groups: dict[str, list] = {}
    for work in works:
        work_groups.setdefault(work.programme.name_th, []).append((work.pk, work.name_th))
    return {
        "type_categories": {t.pk: t.category.name_th for t in types},
        "programme": [("", "—")]
        + [(p.pk, p.name_th) for p in Programme.objects.order_by("sort_order")],
        "work": [("", "—"), *work_groups.items()],
        "work_programme": {work.pk: work.programme_id for work in works},
        "expense_type": [("", "—")]
        + [(t.pk, f"{t.category.name_th} · {t.name_th}") for t in types],
    }


class WorkSelect(forms.Select):
    """The work (งาน) of a line, grouped by programme; each option names its programme
    (`data-programme`), so static/js/budget-plan.js offers only the works of the line's
    programme. Written in Python like units.widgets.FastSelect: a plan has many lines."""

    def __init__(self, attrs=None, programme_of=None):
        super().__init__(attrs)
        self.programme_of = programme_of or {}

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}{}>{}</option>',
                (
                    (
                        option["value"],
                        format_html(' data-programme="{}"', self.programme_of[option["value"]])
                        if option["value"] in self.programme_of
                        else "",
                        " selected" if option["selected"] else "",
                        option["label"],
                    )
                    for option in options
                ),
            )
            if group:
                html = format_html('<optgroup label="{}">{}</optgroup>', group, html)
            parts.append(html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


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
        self.work_programme = choices["work_programme"]
        self.fields["work"].widget = WorkSelect(programme_of=self.work_programme)
        self.fields["work"].widget.choices = self.fields["work"].choices

    def clean(self):
        cleaned = super().clean()
        programme, work = cleaned.get("programme"), cleaned.get("work")
        if programme is not None and work is not None and self.work_programme[work] != programme:
            self.add_error(
                "work", _("This work is not part of the chosen programme: choose one of its works.")
            )
        return cleaned


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

    # Its errors are in the editor's one summary, at the top (budgets/plan_edit.html).
    template_name = "includes/form_fields.html"

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
    """The fiscal year of a new plan: last year's (late entry), this year's or next year's,
    without the years the LAO has a plan for; the first year from this one on that has none is
    chosen (in the last months of a year, officers prepare the next year's plan)."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    copy_previous = forms.BooleanField(
        label=_("Start from the previous year's plan"), required=False, initial=True
    )

    def __init__(self, *args, today, taken_years=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        current = fiscal_year_of(today)
        years = [y for y in (current + 1, current, current - 1) if y not in taken_years]
        self.fields["fiscal_year"].choices = [(y, fiscal_year_label_lazy(y)) for y in years]
        self.fields["fiscal_year"].initial = next(
            (y for y in sorted(years) if y >= current), years[0] if years else None
        )


class ReturnForm(StepForm):
    comment = forms.CharField(
        label=_("What should the LAO revise?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SubmitForm(StepForm):
    """Submitting a plan: the reason for a deficit, asked only of a plan that
    `selectors.revenue_flag` flags (the service requires it then)."""

    imbalance_reason = forms.CharField(
        label=_("Why does expenditure exceed the estimated revenue?"),
        help_text=_(
            "For example: the accumulated reserve that covers the gap. The reviewer reads it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": _(
                "Expenditure exceeds the estimated revenue: say why before submitting, for "
                "example the reserve that covers the gap."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.subject is None or revenue_flag(plan=self.subject) is None:
            del self.fields["imbalance_reason"]
        else:
            self.fields["imbalance_reason"].initial = self.subject.imbalance_reason


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
