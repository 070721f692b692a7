"""Forms of the units app: what officers and provincial staff may change on an LAO."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from units.fields import WebsiteField
from units.models import LAO

# Thailand's extent with a margin: a point outside it is a typing slip (swapped lat/lon, a
# missing digit), not a place.
LATITUDE_RANGE = (Decimal("5"), Decimal("21"))
LONGITUDE_RANGE = (Decimal("97"), Decimal("106"))

# Lenient phone numbers: digits with the usual separators, several numbers, extensions.
PHONE_CHARACTERS = re.compile(r"^[0-9+()\-/,.#\s]*$")
PHONE_EXTENSION = re.compile(r"(ต่อ|ext\.?|x)", re.IGNORECASE)
PHONE_MIN_DIGITS = 9  # Thai landlines have 9 digits with the area code, mobiles 10


class LAOEditForm(forms.ModelForm):
    """The LAO data its officers and provincial staff keep current (lao_update records it)."""

    class Meta:
        model = LAO
        fields = [
            "address",
            "phone",
            "email",
            "website",
            "chief_executive",
            "population",
            "households",
            "latitude",
            "longitude",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        # "www.example.go.th" as people type it, stored as https://www.example.go.th.
        field_classes = {"website": WebsiteField}
        help_texts = {
            "phone": _("Several numbers may be separated by commas, e.g. 02 123 4567 ext. 12"),
            "website": _("For example www.example.go.th (https:// is added when left out)"),
            "latitude": _("Decimal degrees, e.g. 13.609837 (leave blank if unknown)"),
            "longitude": _("Decimal degrees, e.g. 100.702786 (leave blank if unknown)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.instance.demo_fields:
            if name in self.fields:
                field = self.fields[name]
                note = _("The current value is demo data: enter the real one.")
                field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
                field.widget.attrs["class"] = "demo-value"

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return phone
        digits = sum(character.isdigit() for character in phone)
        if not PHONE_CHARACTERS.match(PHONE_EXTENSION.sub(" ", phone)) or (
            digits < PHONE_MIN_DIGITS
        ):
            raise forms.ValidationError(
                _("Enter a phone number of at least 9 digits, e.g. 02 123 4567."),
                code="invalid_phone",
            )
        return phone

    def clean_latitude(self):
        return self._clean_degrees("latitude", LATITUDE_RANGE)

    def clean_longitude(self):
        return self._clean_degrees("longitude", LONGITUDE_RANGE)

    def _clean_degrees(self, field, bounds):
        value = self.cleaned_data[field]
        low, high = bounds
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(
                _("Enter a value between %(low)s and %(high)s (within Thailand)."),
                code="outside_thailand",
                params={"low": low, "high": high},
            )
        return value

    def clean(self):
        cleaned = super().clean()
        population, households = cleaned.get("population"), cleaned.get("households")
        if population is not None and households is not None and households > population:
            self.add_error(
                "households",
                forms.ValidationError(
                    _("The number of households cannot be larger than the population."),
                    code="households_above_population",
                ),
            )
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise forms.ValidationError(
                _("Enter both the latitude and the longitude, or neither."),
                code="half_a_point",
            )
        return cleaned
