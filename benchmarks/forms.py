"""Forms of benchmarks: the LAO's explanations, questions about figures and their steps, and the
query strings that name the figure a page is about."""

from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarks.models import ExplanationReason, HideReason, Indicator
from benchmarks.voice import EXPLANATION_MAX_CHARS, QUESTION_MAX_CHARS
from units.models import LAO
from units.views.workflow import StepForm

YEAR_BOUNDS = {"min_value": 2500, "max_value": 2700}


class FigureForm(forms.Form):
    """The figure a page is about, from the query string (GET) or the form's hidden fields
    (POST): an LAO by DLA code, and an indicator with a fiscal year or a figure named in words.
    Cleaned: `lao` and `indicator` are the rows (two queries); a missing or hidden one is an
    error."""

    lao = forms.CharField(max_length=16, widget=forms.HiddenInput)
    indicator = forms.SlugField(max_length=64, required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(required=False, widget=forms.HiddenInput, **YEAR_BOUNDS)
    figure = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)

    def clean_lao(self):
        lao = (
            LAO.objects.active()
            .select_related("province")
            .by_url_code(self.cleaned_data["lao"])
            .first()
        )
        if lao is None:
            raise forms.ValidationError(_("No LAO has this code."))
        return lao

    def clean_indicator(self):
        code = self.cleaned_data["indicator"]
        if not code:
            return None
        indicator = Indicator.objects.active().filter(code=code).first()
        if indicator is None:
            raise forms.ValidationError(_("No indicator has this code."))
        return indicator

    def clean(self):
        data = super().clean()
        if data.get("indicator") and not data.get("year"):
            self.add_error("year", _("Say which fiscal year."))
        return data

    @classmethod
    def named_by(cls, query) -> dict | None:
        """The figure a link names (cleaned: the LAO and indicator rows), or None when it names
        none (an indicator, or a figure in words, is needed beside the LAO)."""
        target = cls(query)
        if not target.is_valid():
            return None
        data = target.cleaned_data
        return data if data["indicator"] or data["figure"].strip() else None

    @property
    def names_no_figure(self) -> bool:
        """Is a field naming the figure (from the page's link, not typed) invalid?"""
        return any(name in self.errors for name in FigureForm.base_fields)


class ExplanationTargetForm(FigureForm):
    """The value an explanation is about: LAO, indicator and year are all required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].required = True
        self.fields["year"].required = True

    def value_key(self) -> dict:
        """The value's `lao`, `indicator` and `fiscal_year`, as services and selectors take them."""
        data = self.cleaned_data
        return {"lao": data["lao"], "indicator": data["indicator"], "fiscal_year": data["year"]}


class ExplanationForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=ExplanationReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Explanation"),
        help_text=_(
            "Plain text, at most 2,000 characters. It is published beside the value once the "
            "provincial office approves it."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=EXPLANATION_MAX_CHARS,
    )


class ExplanationReturnForm(StepForm):
    comment = forms.CharField(
        label=_("What should the LAO change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class HoneypotBoundField(forms.BoundField):
    """A field people never see: its row in the form is visually hidden (the portal's
    `visually-hidden` class), so it takes no room either."""

    def css_classes(self, extra_classes=None):
        return super().css_classes(extra_classes=["visually-hidden", *(extra_classes or [])])


class QuestionForm(FigureForm):
    """A question about a figure: the figure (hidden), what looks wrong, an optional contact
    shown only to those who answer, and a honeypot (HONEYPOT) that only robots fill in."""

    # Named like a field a spam robot fills in; an unusual name keeps browsers from autofilling it.
    HONEYPOT = "homepage"

    text = forms.CharField(
        label=_("What looks wrong?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=QUESTION_MAX_CHARS,
        help_text=_("At most 1,000 characters. Shown publicly: do not write personal data."),
    )
    # Hidden from sight (the row's class), from assistive technology (aria-hidden around it) and
    # from the keyboard (tabindex -1); the label tells anyone who still meets it to leave it.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        template_name="benchmarks/_honeypot_field.html",
        bound_field_class=HoneypotBoundField,
    )
    contact = forms.CharField(
        label=_("Your e-mail or phone (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "Only the LAO's officers and its provincial office see it, to ask you more; it is "
            "never shown publicly."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("indicator") and not (data.get("figure") or "").strip():
            # The hidden fields come from the figure's page; without them there is no figure.
            raise forms.ValidationError(_("Say which figure you question."))
        return data

    @classmethod
    def from_link(cls, query) -> "QuestionForm":
        """The empty question about the figure a link names. Only the figure comes from the
        link: a link must not fill in the question, the contact or the honeypot (which would
        silently drop the question of whoever follows it)."""
        return cls(initial={name: query[name] for name in FigureForm.base_fields if name in query})

    def question(self) -> dict:
        """The cleaned question as `voice.question_ask` takes it."""
        data = self.cleaned_data
        return {
            "lao": data["lao"],
            "indicator": data["indicator"],
            "fiscal_year": data["year"],
            "figure": data["figure"],
            "text": data["text"],
            "contact": data["contact"],
        }

    @property
    def caught(self) -> bool:
        """Did the sender fill in the honeypot (a robot, since people never see it)?"""
        return self.is_bound and bool(self.data.get(self.add_prefix(self.HONEYPOT), "").strip())


class QuestionAnswerForm(StepForm):
    answer = forms.CharField(
        label=_("Answer"),
        help_text=_("Shown publicly under the LAO's name."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class QuestionCorrectForm(StepForm):
    note = forms.CharField(
        label=_("What was corrected?"),
        help_text=_("Shown publicly in the question's history."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class QuestionCloseForm(StepForm):
    reason = forms.CharField(
        label=_("Why does the figure stand?"),
        help_text=_("Shown publicly in the question's history."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class QuestionHideForm(StepForm):
    reason = forms.ChoiceField(
        label=_("Why hide it?"),
        help_text=_(
            "Only this category is shown publicly, not the question's text nor the figure named "
            "in words."
        ),
        choices=HideReason.choices,
        widget=forms.RadioSelect,
    )


class ReasonsForm(forms.Form):
    """The fiscal year of the national rollup of reasons (empty: every year), one of `years`
    (those the rollup has rows for): any other year is an error, so that no query string makes
    the rollup compute, or the cache hold, anything but what the page offers."""

    year = forms.TypedChoiceField(
        label=_("Fiscal year"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]
