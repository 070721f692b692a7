"""The shared form fields (units/fields.py) and the Thai calendar helpers behind them: dates
typed the Thai way, amounts with separators, web addresses without https://, fiscal year
labels."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from units import thai
from units.fields import BahtField, ThaiDateField, WebsiteField

DAY = datetime.date(2026, 1, 31)


@pytest.mark.parametrize(
    "text",
    [
        "31/1/2569",
        "31/01/2569",
        "31-01-2569",
        "31.1.2569",
        "31/1/69",  # two digits: BE, as Thai people abbreviate years
        "31 ม.ค. 2569",
        "31 ม.ค.2569",
        "31 มกราคม 2569",
        "31 มกราคม พ.ศ. 2569",
        "๓๑/๑/๒๕๖๙",  # Thai digits
        "2026-01-31",  # ISO, as a date picker sends it
        "31/01/2026",  # CE: a year below 2400 is Gregorian
        "31 Jan 2026",
        "31 January 2026",
        "  31 / 1 / 2569 ",
    ],
)
def test_dates_typed_the_thai_way(text):
    assert thai.parse_date(text) == DAY


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1 ต.ค. 2569", datetime.date(2026, 10, 1)),
        ("30 September 2026", datetime.date(2026, 9, 30)),
        ("1 December 2026", datetime.date(2026, 12, 1)),  # "ce" inside a month is no era
        ("29/2/2567", datetime.date(2024, 2, 29)),
    ],
)
def test_more_dates(text, day):
    assert thai.parse_date(text) == day


@pytest.mark.parametrize(
    "text", ["", "abc", "31/13/2569", "30/2/2569", "31 Foo 2569", "2569", "31/1", "1/1/123"]
)
def test_what_is_not_a_date(text):
    assert thai.parse_date(text) is None


class DateForm(forms.Form):
    day = ThaiDateField(label="Day")


def test_the_date_field_renders_be_in_thai_and_ce_in_english():
    form = DateForm(initial={"day": DAY})
    with translation.override("th"):
        html = str(form["day"])
        assert 'value="31/01/2569"' in html and 'type="text"' in html
    with translation.override("en"):
        assert 'value="31/01/2026"' in str(form["day"])


def test_the_date_field_round_trip():
    # What the form shows is what it reads back, in either language.
    for language in ("th", "en"):
        with translation.override(language):
            shown = DateForm(initial={"day": DAY})["day"].value()
            text = ThaiDateField().widget.format_value(shown)
            form = DateForm({"day": text})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == DAY
            assert not DateForm({"day": text}, initial={"day": DAY}).has_changed()


def test_a_wrong_date_is_shown_back_as_typed_with_its_error():
    form = DateForm({"day": "31/02/2569"})
    assert not form.is_valid()
    assert form.errors.as_data()["day"][0].code == "invalid"
    assert 'value="31/02/2569"' in str(form["day"])


class AmountForm(forms.Form):
    amount = BahtField(label="Amount")


def test_amounts_are_shown_with_separators_and_read_with_them():
    assert 'value="1,250,000.50"' in str(AmountForm(initial={"amount": Decimal("1250000.5")}))
    form = AmountForm({"amount": "1,250,000.50"})
    assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1250000.50")
    # What was typed stays as typed when it is wrong.
    assert 'value="12a"' in str(AmountForm({"amount": "12a"})["amount"])


class SiteForm(forms.Form):
    website = WebsiteField(label="Website", required=False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.nongprue.go.th", "https://www.nongprue.go.th"),
        ("WWW.NongPrue.go.th/about", "https://www.nongprue.go.th/about"),
        ("http://www.example.go.th", "http://www.example.go.th"),
        ("", ""),
    ],
)
def test_websites_as_people_type_them(typed, stored):
    form = SiteForm({"website": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == stored


def test_the_website_input_is_not_a_browser_checked_url_input():
    assert 'type="text"' in str(SiteForm()["website"])


def test_fiscal_year_labels_and_spans():
    assert thai.fiscal_year_span_en(2570) == "Oct 2026 – Sep 2027"
    template = Template("{% load thai %}{{ year|fiscal_year_label }}|{{ year|fiscal_year_span }}")
    with translation.override("en"):
        assert thai.fiscal_year_label(2570) == "FY 2570 (Oct 2026 – Sep 2027)"
        assert template.render(Context({"year": 2570})) == (
            "FY 2570 (Oct 2026 – Sep 2027)|(Oct 2026 – Sep 2027)"
        )
    with translation.override("th"):
        assert thai.fiscal_year_label(2570) == "2570"
        assert template.render(Context({"year": 2570})) == "2570|"
