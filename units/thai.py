"""Thai conventions in one place: Buddhist Era dates, the Thai fiscal year and baht amounts.

The fiscal year runs 1 October – 30 September and is numbered by the Buddhist Era year in which it
ends: FY 2569 is 1 Oct 2025 – 30 Sep 2026. Years are stored as BE integers.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

BE_OFFSET = 543
FISCAL_YEAR_START_MONTH = 10

THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
THAI_MONTHS_LONG = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """Aware datetimes are taken in the portal's time zone (Asia/Bangkok) before their date."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def be_year(value: datetime.date | datetime.datetime) -> int:
    """The Buddhist Era year of a date (CE + 543)."""
    return _as_date(value).year + BE_OFFSET


def format_date_be(value: datetime.date | datetime.datetime, *, long: bool = False) -> str:
    """A date in Thai with its BE year: `5 ม.ค. 2569`, or `5 มกราคม 2569` with long=True."""
    day = _as_date(value)
    months = THAI_MONTHS_LONG if long else THAI_MONTHS_SHORT
    return f"{day.day} {months[day.month - 1]} {day.year + BE_OFFSET}"


def fiscal_year_of(value: datetime.date | datetime.datetime) -> int:
    """The Thai fiscal year (BE) a date falls in: 1 Oct 2025 → 2569, 30 Sep 2026 → 2569."""
    day = _as_date(value)
    year = day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year
    return year + BE_OFFSET


def current_fiscal_year() -> int:
    """The Thai fiscal year (BE) of today in the portal's time zone."""
    return fiscal_year_of(timezone.localdate())


def fiscal_year_range(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a Thai fiscal year given in BE: 2569 → (2025-10-01, 2026-09-30)."""
    ce_end_year = fiscal_year - BE_OFFSET
    return (
        datetime.date(ce_end_year - 1, FISCAL_YEAR_START_MONTH, 1),
        datetime.date(ce_end_year, FISCAL_YEAR_START_MONTH - 1, 30),
    )


def fiscal_quarter_of(value: datetime.date | datetime.datetime) -> int:
    """The quarter (1–4) of the Thai fiscal year a date falls in: Oct–Dec is quarter 1."""
    month = _as_date(value).month
    return (month - FISCAL_YEAR_START_MONTH) % 12 // 3 + 1


def format_baht(amount: Decimal | int | float | str | None) -> str:
    """Baht with thousands separators and two decimals: 1250000 → `1,250,000.00`.

    Rounds half up to the satang, as Thai budget documents do; None gives an empty string.
    """
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"
