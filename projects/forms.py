"""Forms of the officer pages: they validate input; the services write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.filters import QUARTER_CHOICES
from projects.models import Stage
from projects.services import ProjectData
from units.fields import BahtField, ThaiDateField
from units.slices import ItemChoiceField, SliceForm
from units.thai import current_fiscal_year, fiscal_year_label_lazy
from units.views.workflow import StepForm
from units.widgets import FastSelect


def fiscal_year_choices(current: int) -> list[tuple[int, str]]:
    """Two years back to two years ahead of the current fiscal year (BE), labelled in the
    page's language (`FY 2570 (Oct 2026 – Sep 2027)` in English)."""
    return [(year, fiscal_year_label_lazy(year)) for year in range(current + 2, current - 3, -1)]


class ProjectForm(forms.Form):
    """A project's entered fields. Strategy and programme choices come from the caller (one
    query each per page)."""

    name = forms.CharField(label=_("Name"), max_length=500)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    strategy = forms.TypedChoiceField(
        label=_("Strategy"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    programme = forms.TypedChoiceField(
        label=_("Budget programme"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=FastSelect,
    )
    budget_amount = BahtField(label=_("Budget (baht)"))
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
    )
    planned_start = ThaiDateField(label=_("Planned start"), required=False)
    planned_end = ThaiDateField(label=_("Planned end"), required=False)
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200, required=False)
    targets = forms.CharField(
        label=_("Targets"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # The fields that are the project's own (strategy and programme are chosen by id).
    MODEL_FIELDS = (
        "name",
        "fiscal_year",
        "budget_amount",
        "location",
        "latitude",
        "longitude",
        "planned_start",
        "planned_end",
        "responsible_unit",
        "targets",
    )

    def __init__(self, *args, strategies, programmes, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategies = {strategy.pk: strategy for strategy in strategies}
        self.programmes = {programme.pk: programme for programme in programmes}
        self.fields["fiscal_year"].choices = years
        self.fields["strategy"].choices = [("", "—")] + [
            (s.pk, f"{s.plan.start_year}–{s.plan.end_year} · {s}") for s in strategies
        ]
        self.fields["programme"].choices = [("", "—")] + [(p.pk, p.name_th) for p in programmes]

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end is before the planned start."))
        return cleaned

    @staticmethod
    def initial_of(project) -> dict:
        """The form's values of a saved project (to edit it)."""
        return {name: getattr(project, name) for name in ProjectForm.MODEL_FIELDS} | {
            "strategy": project.strategy_id,
            "programme": project.programme_id,
        }

    def project_data(self) -> ProjectData:
        data = self.cleaned_data
        return ProjectData(
            name=data["name"],
            fiscal_year=data["fiscal_year"],
            budget_amount=data["budget_amount"],
            strategy=self.strategies.get(data["strategy"]),
            programme=self.programmes.get(data["programme"]),
            location=data["location"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            responsible_unit=data["responsible_unit"],
            targets=data["targets"],
        )


class StageForm(forms.Form):
    """Move a project to one of its allowed next stages (the contract fields are required by
    the service when the move is to contracted)."""

    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    contract_amount = BahtField(label=_("Contract amount (baht)"), required=False)
    contractor = forms.CharField(label=_("Contractor"), max_length=300, required=False)
    contract_date = ThaiDateField(label=_("Contract date"), required=False)


class DisbursementForm(forms.Form):
    date = ThaiDateField(label=_("Date"))
    amount = BahtField(label=_("Amount (baht)"))
    reference = forms.CharField(
        label=_("Reference (voucher number)"), max_length=64, required=False
    )


class ProgressForm(forms.Form):
    progress_percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)


class DevelopmentPlanForm(forms.Form):
    """A plan's span, vision and strategies (one per line, numbered in order)."""

    start_year = forms.IntegerField(
        label=_("First fiscal year"),
        min_value=2500,
        max_value=2700,
        help_text=_("The plan covers five fiscal years from this one."),
    )
    vision = forms.CharField(
        label=_("Vision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    strategies = forms.CharField(
        label=_("Strategies"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One strategy per line, in order."),
    )

    def __init__(self, *args, plan=None, strategies=(), **kwargs):
        """A new plan; or, given `plan` and its `strategies`, that plan with its span fixed."""
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "start_year": plan.start_year,
                    "vision": plan.vision,
                    "strategies": "\n".join(strategy.name for strategy in strategies),
                },
            )
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["start_year"].disabled = True

    def strategy_names(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["strategies"].splitlines() if line.strip()
        ]

    def plan_data(self) -> dict:
        """The vision and strategies, as the plan services take them."""
        return {"vision": self.cleaned_data["vision"], "strategies": self.strategy_names()}


# --- Progress reports (projects/views_reports.py) --------------------------------------------


class PrepareForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=2500, max_value=2700)
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)
    lao = forms.CharField(required=False, max_length=20)
    version = forms.IntegerField(required=False, min_value=1)


class ReturnForm(StepForm):
    comment = forms.CharField(
        label=_("What should the LAO fix?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class NarrativeForm(forms.Form):
    """The LAO's account of the quarter, written while preparing the report."""

    narrative = forms.CharField(
        label=_("Problems, obstacles and help needed"),
        help_text=_(
            "What held the projects back this quarter, and what help the LAO needs. The "
            "provincial office reads it with the figures."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- The executive dashboard (projects/views_dashboard.py) ----------------------------------


class DashboardForm(SliceForm):
    """The dashboard's slice: fiscal year, province, LAO kind and programme (key). The fiscal
    year defaults to the current one when it has projects, else the latest year with
    projects."""

    programme = ItemChoiceField(label=_("Programme"), key="key")

    def __init__(self, data=None, *, reference, years: list[int], **kwargs):
        current = current_fiscal_year()
        default_year = current if current in years or not years else years[0]
        super().__init__(
            data, years=years, default_year=default_year, provinces=reference.provinces, **kwargs
        )
        self.reference = reference
        self.fields["programme"].offer(reference.programmes)

    def cuts(self, data: dict) -> dict:
        return {"programme": data.get("programme")}


class LaggingForm(DashboardForm):
    """The dashboard's slice and, for the lagging list of one LAO, its DLA code."""

    lao = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    @property
    def lao_code(self) -> str:
        return self.valid_data.get("lao") or ""
