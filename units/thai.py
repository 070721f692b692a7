"""Thai conventions in one place: Buddhist Era dates, the Thai fiscal year and baht amounts.

The fiscal year runs 1 October – 30 September and is numbered by the Buddhist Era year in which it
ends: FY 2569 is 1 Oct 2025 – 30 Sep 2026. Years are stored as BE integers.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone, translation
from django.utils.functional import lazy

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


def format_date(value: datetime.date | datetime.datetime, *, long: bool = False) -> str:
    """A date in the active language: `5 ม.ค. 2569` in Thai (BE), `5 Jan 2026` in English
    (`5 January 2026` with long=True); what the `be_date` filter shows, for messages built in
    Python."""
    if translation.get_language() == "th":
        return format_date_be(value, long=long)
    return formats.date_format(value, "j F Y" if long else "j M Y")


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


# --- Dates typed into forms ---------------------------------------------------------------------

ENGLISH_MONTHS_SHORT = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
# Years from here on are Buddhist Era: BE 2400 is CE 1857, far before any date the portal keeps,
# and no CE date it keeps reaches 2400. So "31/1/2569" and "31/1/2026" are the same day.
BE_YEAR_FROM = 2400
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NAMES = {
    name.replace(".", "").replace(" ", "").lower(): number
    for names in (THAI_MONTHS_SHORT, THAI_MONTHS_LONG, ENGLISH_MONTHS_SHORT)
    for number, name in enumerate(names, start=1)
} | {
    name.lower(): number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2}|[0-9]{4})")
_WORDS = re.compile(r"([0-9]{1,2})\s*([^\s0-9]+(?:\s+[^\s0-9]+)*)\s*([0-9]{2}|[0-9]{4})")
_ERA_WORDS = re.compile(
    r"\s*(?<![A-Za-z])(พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|B\.?E\.?|A\.?D\.?|C\.?E\.?)(?![A-Za-z])\s*", re.I
)


def _ce_year(year_text: str) -> int:
    """A typed year as CE: 2569 (BE) → 2026; 2026 → 2026; two digits are BE, as Thai people
    abbreviate them: 69 → 2569 → 2026."""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2500
    return year - BE_OFFSET if year >= BE_YEAR_FROM else year


def parse_date(text: str) -> datetime.date | None:
    """A date typed the Thai way, or None when the text is not one.

    Accepts day/month/year with `/`, `.` or `-` ("31/1/2569", "31-01-69"), day, month name and
    year ("31 ม.ค. 2569", "31 มกราคม 2569", "31 Jan 2026", "พ.ศ." or "B.E." may follow the day),
    Thai digits, and ISO ("2026-01-31", what a date picker sends). The year is BE from 2400 on,
    CE below (see BE_YEAR_FROM).
    """
    text = " ".join(str(text).translate(_THAI_DIGITS).split())
    text = _ERA_WORDS.sub(" ", text).strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
        year_text = year
    elif match := _NUMERIC.fullmatch(text):
        day, month, year_text = match.groups()
    elif match := _WORDS.fullmatch(text):
        day, month_name, year_text = match.groups()
        month = _MONTH_NAMES.get(month_name.replace(".", "").replace(" ", "").lower())
        if month is None:
            return None
    else:
        return None
    try:
        return datetime.date(_ce_year(year_text), int(month), int(day))
    except ValueError:
        return None


def format_date_numeric(value: datetime.date | datetime.datetime, *, buddhist_era: bool) -> str:
    """`31/01/2569` (BE) or `31/01/2026` (CE): day/month/year, as forms show a date."""
    day = _as_date(value)
    year = day.year + BE_OFFSET if buddhist_era else day.year
    return f"{day.day:02d}/{day.month:02d}/{year}"


def fiscal_year_span_en(fiscal_year: int) -> str:
    """The Gregorian months of a fiscal year (BE), in English: 2570 → `Oct 2026 – Sep 2027`."""
    first, last = fiscal_year_range(fiscal_year)
    return (
        f"{ENGLISH_MONTHS_SHORT[first.month - 1]} {first.year} – "
        f"{ENGLISH_MONTHS_SHORT[last.month - 1]} {last.year}"
    )


def fiscal_year_label(fiscal_year: int) -> str:
    """A fiscal year as a choice or a title shows it: `2570` in Thai (the Thai reader counts
    in BE fiscal years), `FY 2570 (Oct 2026 – Sep 2027)` in English."""
    if translation.get_language() == "th":
        return str(fiscal_year)
    return f"FY {fiscal_year} ({fiscal_year_span_en(fiscal_year)})"


# For form choices, labelled in the language of the page that renders them.
fiscal_year_label_lazy = lazy(fiscal_year_label, str)
