"""The shared dashboard selection: a Form that validates the query string into a Slice."""

from dataclasses import dataclass

import pytest

from units.models import LAOKind
from units.slices import Slice, SliceForm, display_name
from units.thai import current_fiscal_year


@dataclass
class Item:
    pk: int
    code: str
    name_th: str
    name_en: str = ""


PROVINCES = [Item(1, "10", "กรุงเทพมหานคร", "Bangkok"), Item(2, "11", "สมุทรปราการ")]


def form(data):
    return SliceForm(data, years=[2568, 2567], default_year=2568, provinces=PROVINCES)


def test_the_valid_fields_make_the_slice_and_a_bad_value_shows_its_error_and_is_ignored():
    bad = form({"fiscal_year": "2567", "province": "99", "kind": LAOKind.SAO})
    assert bad.slice() == Slice(fiscal_year=2567, kind=LAOKind.SAO)
    assert "province" in bad.errors
    good = form({"province": "11"})
    assert good.slice() == Slice(fiscal_year=2568, province=PROVINCES[1])
    assert good.slice().scope_code == "11" and Slice(fiscal_year=2568).scope_code == "th"


def test_years_offered_are_those_with_data_and_the_current_one():
    offered = [value for value, _label in form({}).fields["fiscal_year"].choices if value]
    assert offered == sorted({2568, 2567, current_fiscal_year()}, reverse=True)
    assert form({"fiscal_year": "2400"}).slice().fiscal_year == 2568


@pytest.mark.parametrize(("language", "expected"), [("th", "กรุงเทพมหานคร"), ("en", "Bangkok")])
def test_display_name_follows_the_language_and_falls_back_to_thai(settings, language, expected):
    from django.utils import translation

    with translation.override(language):
        assert display_name(PROVINCES[0]) == expected
        assert display_name(PROVINCES[1]) == "สมุทรปราการ"
