"""Thai name search: substrings through trigram indexes, kind prefixes stripped and used."""

import pytest

from units.models import LAO, LAOKind
from units.search import normalize_query, parse_name_query, search_laos
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Bang Phli and neighbours: one LAO of every kind, several sharing the fragment บางพลี."""
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ", name_en="Samut Prakan")
    district = DistrictFactory(province=province, code="1103", name_th="บางพลี")
    laos = {
        "sao": LAOFactory(
            kind=LAOKind.SAO,
            dla_code="6110305",
            name_th="บางพลีใหญ่",
            full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
            name_en="Bang Phli Yai SAO",
            subdistrict__district=district,
        ),
        "subdistrict": LAOFactory(
            kind=LAOKind.SUBDISTRICT_MUNICIPALITY,
            dla_code="5110301",
            name_th="บางพลี",
            full_name_th="เทศบาลตำบลบางพลี",
            name_en="Bang Phli Subdistrict Municipality",
            subdistrict__district=district,
        ),
        "town": LAOFactory(
            kind=LAOKind.TOWN_MUNICIPALITY,
            dla_code="4110302",
            name_th="บางแก้ว",
            full_name_th="เทศบาลเมืองบางแก้ว",
            name_en="Bang Kaeo Town Municipality",
            subdistrict__district=district,
        ),
        "city": LAOFactory(
            kind=LAOKind.CITY_MUNICIPALITY,
            dla_code="3110101",
            name_th="สมุทรปราการ",
            full_name_th="เทศบาลนครสมุทรปราการ",
            name_en="Samut Prakan City Municipality",
            subdistrict__district=district,
        ),
        "pao": LAOFactory(
            kind=LAOKind.PAO,
            dla_code="2110101",
            name_th="สมุทรปราการ",
            full_name_th="องค์การบริหารส่วนจังหวัดสมุทรปราการ",
            name_en="Samut Prakan PAO",
            subdistrict=None,
            district=None,
            province=province,
        ),
        "bangkok": LAOFactory(
            kind=LAOKind.BANGKOK,
            dla_code=None,
            name_th="กรุงเทพมหานคร",
            full_name_th="กรุงเทพมหานคร",
            name_en="Bangkok Metropolitan Administration",
            subdistrict=None,
            district=None,
            province=ProvinceFactory(code="10", name_th="กรุงเทพมหานคร"),
        ),
    }
    return laos


def found(query):
    return set(search_laos(LAO.objects.all(), query).values_list("dla_code", flat=True))


def test_a_thai_fragment_finds_names_that_contain_it(registry):
    assert found("บางพลี") == {"6110305", "5110301"}
    assert found("พลีใหญ่") == {"6110305"}


@pytest.mark.parametrize(
    "query", ["อบต.บางพลี", "อบต. บางพลี", "อบต บางพลี", "องค์การบริหารส่วนตำบลบางพลี"]
)
def test_an_sao_prefix_is_stripped_and_narrows_to_saos(registry, query):
    assert found(query) == {"6110305"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ทต.บางพลี", {"5110301"}),
        ("เทศบาลตำบลบางพลี", {"5110301"}),
        ("ทม.บางแก้ว", {"4110302"}),
        ("เทศบาลเมือง บางแก้ว", {"4110302"}),
        ("ทน.สมุทรปราการ", {"3110101"}),
        ("เทศบาลนครสมุทรปราการ", {"3110101"}),
        ("อบจ.สมุทรปราการ", {"2110101"}),
        ("องค์การบริหารส่วนจังหวัดสมุทรปราการ", {"2110101"}),
        ("กทม.", {None}),
        ("ทต.บางแก้ว", set()),
    ],
)
def test_every_kind_prefix_narrows_to_its_kind(registry, query, expected):
    assert found(query) == expected


def test_without_a_prefix_every_kind_matches(registry):
    assert found("สมุทรปราการ") == {"3110101", "2110101"}


def test_english_names_match_whatever_the_case(registry):
    assert found("bang phli") == {"6110305", "5110301"}
    assert found("PHLI YAI") == {"6110305"}


def test_an_english_name_spelled_another_way_is_found_first(registry):
    # The registry romanises บางพลีใหญ่ as "Blang Phli Yai"; people type "Bang Phli Yai".
    LAO.objects.filter(dla_code="6110305").update(
        name_en="Blang Phli Yai Subdistrict Administrative Organization"
    )
    results = list(
        search_laos(LAO.objects.all(), "Bang Phli Yai").values_list("dla_code", flat=True)
    )
    assert results[0] == "6110305"
    assert "4110302" not in results  # Bang Kaeo is not like Bang Phli Yai
    assert found("bang phli yai") == set(results)


def test_a_short_english_query_is_matched_as_a_substring_only(registry):
    assert found("pao") == {"2110101"}


def test_a_dla_code_prefix_matches(registry):
    assert found("611030") == {"6110305"}


def test_spaces_typed_inside_thai_are_ignored(registry):
    assert normalize_query("  บาง  พลี ") == "บางพลี"
    assert found("บาง พลี") == {"6110305", "5110301"}


def test_decomposed_sara_am_is_joined():
    # นิคหิต + สระอา, as some keyboards type it, is the same as สระอำ.
    assert normalize_query("ต\u0e4d\u0e32บล") == "ตำบล"


def test_a_query_too_short_is_reported_and_changes_nothing(registry):
    assert parse_name_query("บ").is_too_short
    assert parse_name_query(" a ").is_too_short
    assert not parse_name_query("อบต.").is_too_short
    assert not parse_name_query("บา").is_too_short
    assert found("บ") == set(LAO.objects.values_list("dla_code", flat=True))


def test_a_bare_prefix_lists_that_kind(registry):
    assert found("อบต.") == {"6110305"}


def test_search_sql_can_use_the_trigram_indexes():
    """`__contains` on the bare columns (and on UPPER(name_en), as indexed) reaches the pg_trgm
    indexes; `icontains` would wrap the Thai columns in UPPER() and skip them (STACK.md)."""
    thai_sql = str(search_laos(LAO.objects.all(), "บางพลี").query)
    english_sql = str(search_laos(LAO.objects.all(), "phli").query)
    assert '"units_lao"."full_name_th"::text LIKE' in thai_sql
    assert '"units_lao"."name_th"::text LIKE' in thai_sql
    assert 'UPPER("units_lao"."name_th"' not in thai_sql
    assert 'UPPER("units_lao"."name_en")::text LIKE %PHLI%' in english_sql
    assert 'UPPER("units_lao"."name_en") %> PHLI YAI' in str(
        search_laos(LAO.objects.all(), "phli yai").query
    )
