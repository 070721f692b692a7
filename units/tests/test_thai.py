import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from units import thai


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 5), "5 ม.ค. 2569"),
        (datetime.date(2025, 12, 31), "31 ธ.ค. 2568"),
        (datetime.date(2024, 2, 29), "29 ก.พ. 2567"),
    ],
)
def test_format_date_be_short(day, expected):
    assert thai.format_date_be(day) == expected


def test_format_date_be_long():
    assert thai.format_date_be(datetime.date(2026, 10, 1), long=True) == "1 ตุลาคม 2569"


def test_aware_datetime_is_taken_in_bangkok_time():
    # 17:30 UTC on 31 Dec is already 1 Jan 00:30 in Bangkok: a new BE year and date.
    moment = datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC)
    assert thai.format_date_be(moment) == "1 ม.ค. 2569"
    assert thai.be_year(moment) == 2569


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (datetime.date(2025, 9, 30), 2568),
        (datetime.date(2025, 10, 1), 2569),
        (datetime.date(2026, 1, 5), 2569),
        (datetime.date(2026, 9, 30), 2569),
        (datetime.date(2026, 10, 1), 2570),
    ],
)
def test_fiscal_year_of_turns_on_the_first_of_october(day, fiscal_year):
    assert thai.fiscal_year_of(day) == fiscal_year


def test_fiscal_year_range_is_first_october_to_thirtieth_september():
    assert thai.fiscal_year_range(2569) == (datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))


def test_fiscal_year_range_round_trips():
    start, end = thai.fiscal_year_range(2570)
    assert thai.fiscal_year_of(start) == thai.fiscal_year_of(end) == 2570
    assert thai.fiscal_year_of(start - datetime.timedelta(days=1)) == 2569


@pytest.mark.parametrize(
    ("month", "quarter"), [(10, 1), (12, 1), (1, 2), (3, 2), (4, 3), (6, 3), (7, 4), (9, 4)]
)
def test_fiscal_quarter(month, quarter):
    assert thai.fiscal_quarter_of(datetime.date(2026, month, 15)) == quarter


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1250000"), "1,250,000.00"),
        (1250000, "1,250,000.00"),
        (Decimal("0.005"), "0.01"),
        (Decimal("-1234.5"), "-1,234.50"),
        ("999999999999.99", "999,999,999,999.99"),
        (0, "0.00"),
        (None, ""),
    ],
)
def test_format_baht(amount, expected):
    assert thai.format_baht(amount) == expected


def test_template_filters_follow_the_language():
    template = Template(
        "{% load thai %}{{ day|be_date }} | {{ amount|baht }} | {{ day|fiscal_year }}"
    )
    context = Context({"day": datetime.date(2026, 1, 5), "amount": Decimal("1250000")})
    with translation.override("th"):
        assert template.render(context) == "5 ม.ค. 2569 | 1,250,000.00 | 2569"
    with translation.override("en"):
        assert template.render(context) == "5 Jan 2026 | 1,250,000.00 | 2569"
