"""Cell widgets shared by the upload types of several apps (django-import-export widgets).

Each `clean` returns None for a blank cell (a blank cell changes nothing) and raises ValueError
with a translated message the uploader reads beside the cell.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import widgets

from units.thai import BE_OFFSET

MAX_AMOUNT = Decimal("999999999999.99")  # the money columns: 14 digits, 2 decimals
CENT = Decimal("0.01")
# Float noise from spreadsheet arithmetic (0.1 + 0.2 → 0.30000000000000004) is rounded away;
# a real third decimal is an error.
FLOAT_NOISE = Decimal("0.000001")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+")
_EXPONENT_NUMBER = re.compile(r"-?[0-9.]+[eE][-+]?[0-9]+")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})")
_SERIAL = re.compile(r"[0-9]{5}(?:\.0+)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def stripped(value) -> str | None:
    """A cell's text without surrounding spaces; None for a blank cell."""
    if value is None:
        return None
    return str(value).strip() or None


def whole_number_text(value) -> str | None:
    """A cell meant as a whole number or a code, as text: 6400100.0 (a number cell) is
    "6400100"; None for a blank cell."""
    text = stripped(value)
    if text is not None and text.endswith(".0"):
        text = text[:-2]
    return text or None


class FiscalYearWidget(widgets.IntegerWidget):
    """A Buddhist Era fiscal year among those an upload may fill (2570, "2570", 2570.0). `years`
    gives them; it is called on first use and kept for the rest of the upload (each Resource
    instance deep-copies its widgets)."""

    def __init__(self, years: Callable[[], range], **kwargs):
        super().__init__(**kwargs)
        self.years = years

    def clean(self, value, row=None, **kwargs):
        text = whole_number_text(value)
        if text is None:
            return None
        years = getattr(self, "_years", None)
        if years is None:
            years = self._years = self.years()
        if not text.isdigit() or int(text) not in years:
            raise ValueError(
                _(
                    "“%(value)s” is not a fiscal year you can upload: write a Buddhist Era year "
                    "from %(first)s to %(last)s."
                )
                % {"value": value, "first": years[0], "last": years[-1]}
            )
        return int(text)


class LabelChoiceWidget(widgets.Widget):
    """One of `choices` (a TextChoices) by its key or its label in Thai or English, in any case
    and spacing; the lookup is built on first use and kept for the rest of the upload. A
    subclass says what an unknown value is (`unknown`)."""

    choices = None

    def _build(self) -> dict[str, str]:
        lookup = {}
        for choice in self.choices:
            lookup[choice.value.casefold()] = choice.value
            for language in ("th", "en"):
                with translation.override(language):
                    lookup[str(choice.label).strip().casefold()] = choice.value
        return lookup

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = " ".join(str(value).split()).casefold()
        if not text:
            return None
        lookup = getattr(self, "_lookup", None)
        if lookup is None:
            lookup = self._lookup = self._build()
        try:
            return lookup[text]
        except KeyError:
            labels = ", ".join(str(choice.label) for choice in self.choices)
            raise ValueError(self.unknown(value, labels)) from None

    def unknown(self, value, labels: str) -> str:
        """The message for a value that is none of the choices (`labels`: all of them)."""
        raise NotImplementedError


class CodeWidget(widgets.CharWidget):
    """A DLA code: 7 digits, given as text or as a number; leading zeros Excel dropped are put
    back."""

    def clean(self, value, row=None, **kwargs):
        text = whole_number_text(value)
        if text is None:
            return None
        if not text.isdigit() or len(text) > 7:
            raise ValueError(_("“%(value)s” is not an LAO code (7 digits).") % {"value": value})
        return text.zfill(7)


class TextWidget(widgets.CharWidget):
    """Plain text up to `max_length` characters, surrounding spaces removed."""

    def __init__(self, max_length: int, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = stripped(value)
        if text is None:
            return None
        if len(text) > self.max_length:
            raise ValueError(
                _("The text is too long: at most %(limit)s characters.")
                % {"limit": self.max_length}
            )
        return text


class AmountWidget(widgets.DecimalWidget):
    """Baht with at most two decimals, 0 or more: 1250000.5, "1,250,000.50" are accepted."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip()
        for mark in (",", " ", "\u00a0", "฿"):
            text = text.replace(mark, "")
        if not text:
            return None
        if not (_PLAIN_NUMBER.fullmatch(text) or _EXPONENT_NUMBER.fullmatch(text)):
            raise ValueError(
                _("“%(value)s” is not an amount in baht (write it like 1,250,000.50).")
                % {"value": value}
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not an amount in baht (write it like 1,250,000.50).")
                % {"value": value}
            ) from None
        if amount < 0:
            raise ValueError(_("The amount cannot be negative (%(value)s).") % {"value": value})
        rounded = amount.quantize(CENT)
        if abs(amount - rounded) > FLOAT_NOISE:
            raise ValueError(
                _("“%(value)s” has more than two decimals: amounts are in baht and satang.")
                % {"value": value}
            )
        if rounded > MAX_AMOUNT:
            raise ValueError(
                _("%(value)s is too large: at most 999,999,999,999.99 baht per line.")
                % {"value": value}
            )
        return rounded


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    if year > 2400:  # a Buddhist Era year
        year -= BE_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class DateWidget(widgets.Widget):
    """A date cell of Excel, 2026-01-31, or the Thai way 31/01/2569 (Buddhist Era; a Christian
    Era year is accepted too). Not before 2000."""

    def clean(self, value, row=None, **kwargs):
        text = stripped(value)
        if text is None:
            return None
        date = None
        if match := _ISO_DATE.fullmatch(text):
            date = _date_or_none(int(match[1]), int(match[2]), int(match[3]))
        elif match := _DMY_DATE.fullmatch(text):
            date = _date_or_none(int(match[3]), int(match[2]), int(match[1]))
        elif _SERIAL.fullmatch(text):  # a date cell read as its serial number
            date = _EXCEL_EPOCH + datetime.timedelta(days=int(text.split(".")[0]))
        if date is None or date.year < 2000:
            raise ValueError(
                _("“%(value)s” is not a date: write it like 31/01/2569 or 2026-01-31.")
                % {"value": value}
            )
        return date


class PastDateWidget(DateWidget):
    """A date (DateWidget) not after today; `future_message` (with `%(value)s`) says why."""

    future_message = ""

    def clean(self, value, row=None, **kwargs):
        date = super().clean(value, row=row, **kwargs)
        if date is None:
            return None
        today = getattr(self, "_today", None)
        if today is None:
            today = self._today = timezone.localdate()  # once per upload
        if date > today:
            raise ValueError(self.future_message % {"value": value})
        return date
