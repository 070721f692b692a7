"""Cell widgets shared by the upload types of several apps (django-import-export widgets).

Each `clean` returns None for a blank cell (a blank cell changes nothing) and raises ValueError
with a translated message the uploader reads beside the cell.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

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
