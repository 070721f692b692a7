"""Form fields every app's forms share."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
