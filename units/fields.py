"""Form fields every app's forms share."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from units import thai


class BahtInput(forms.TextInput):
    """An amount shown with thousands separators (`1,250,000.00`); what the user typed is shown
    back as typed. static/js/forms.js groups the digits while typing."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "class": "amount", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return thai.format_baht(value)
        return super().format_value(value)


class BahtField(forms.DecimalField):
    """An amount in baht that also accepts thousands separators: `1,250,000.50`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        self.widget = BahtInput()

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(_("Enter an amount in baht, e.g. 1,250,000.00.")) from None


class ThaiDateInput(forms.TextInput):
    """A date as day/month/year: `31/01/2569` (Buddhist Era) in Thai, `31/01/2026` (CE) in
    English, whatever the browser's locale (a `type=date` input shows the browser's format, and
    a Thai officer's browser is often set to English). A typed value that is not a date is shown
    back as typed, with its error."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "date-input", "autocomplete": "off", "size": 12, **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return thai.format_date_numeric(value, buddhist_era=translation.get_language() == "th")
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault(
            "placeholder",
            _("dd/mm/yyyy (BE)") if translation.get_language() == "th" else _("dd/mm/yyyy"),
        )
        return context


class ThaiDateField(forms.DateField):
    """A date typed the Thai way: `31/1/2569`, `31 ม.ค. 2569`, `31/01/2026` or ISO
    (units.thai.parse_date: a year from 2400 on is BE)."""

    widget = ThaiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        day = thai.parse_date(str(value))
        if day is None:
            raise ValidationError(
                _("Enter a date as day/month/year, e.g. 31/01/2569 or 31 ม.ค. 2569."),
                code="invalid",
            )
        return day


class WebsiteInput(forms.TextInput):
    """A text input: the browser's own check of a `type=url` input refuses "www.example.go.th"."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "url", "autocomplete": "url", **(attrs or {})})


class WebsiteField(forms.URLField):
    """A web address as people type it: `www.example.go.th` becomes
    `https://www.example.go.th`; the scheme and host are stored in lower case."""

    widget = WebsiteInput

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        url = super().to_python(value)
        if not url:
            return url
        parts = urlsplit(url)
        return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))
