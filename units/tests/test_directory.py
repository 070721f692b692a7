"""The public registry pages: the LAO list, province pages, the national map and the links."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from units.models import LAOKind
from units.selectors import provinces_geojson_clear
from units.tests.factories import (
    DistrictFactory,
    LAOFactory,
    ProvinceFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100.5, 13.5], [100.9, 13.5], [100.9, 13.9], [100.5, 13.9], [100.5, 13.5]]],
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    provinces_geojson_clear()
    yield
    cache.clear()


@pytest.fixture
def samut_prakan():
    """Samut Prakan with two districts, a PAO and LAOs of several kinds."""
    province = ProvinceFactory(
        code="11", name_th="สมุทรปราการ", name_en="Samut Prakan", region="central", boundary=SQUARE
    )
    bang_phli = DistrictFactory(
        province=province, code="1103", name_th="บางพลี", name_en="Bang Phli", boundary=SQUARE
    )
    bang_bo = DistrictFactory(province=province, code="1102", name_th="บางบ่อ", name_en="Bang Bo")
    return {
        "province": province,
        "bang_phli": bang_phli,
        "bang_bo": bang_bo,
        "pao": LAOFactory(
            kind=LAOKind.PAO,
            dla_code="2110101",
            name_th="สมุทรปราการ",
            full_name_th="องค์การบริหารส่วนจังหวัดสมุทรปราการ",
            subdistrict=None,
            district=None,
            province=province,
            population=1_300_000,
        ),
        "sao": LAOFactory(
            kind=LAOKind.SAO,
            dla_code="6110305",
            name_th="บางพลีใหญ่",
            full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
            name_en="Bang Phli Yai SAO",
            subdistrict=SubdistrictFactory(district=bang_phli, code="110301"),
            population=52_000,
            demo_fields=["population"],
            latitude="13.609837",
            longitude="100.702786",
        ),
        "municipality": LAOFactory(
            kind=LAOKind.SUBDISTRICT_MUNICIPALITY,
            dla_code="5110201",
            name_th="บางพลีน้อย",
            full_name_th="เทศบาลตำบลบางพลีน้อย",
            name_en="Bang Phli Noi Subdistrict Municipality",
            subdistrict=SubdistrictFactory(district=bang_bo, code="110203"),
            population=None,
        ),
    }


@pytest.fixture
def elsewhere():
    """An LAO of another province, and an inactive one."""
    other = LAOFactory(
        kind=LAOKind.SAO,
        dla_code="6500101",
        name_th="ดอนแก้ว",
        full_name_th="องค์การบริหารส่วนตำบลดอนแก้ว",
        subdistrict__district__province=ProvinceFactory(code="50", name_th="เชียงใหม่"),
        population=9_000,
    )
    LAOFactory(name_th="ยุบแล้ว", full_name_th="องค์การบริหารส่วนตำบลยุบแล้ว", is_active=False)
    return other


def codes_on(response):
    return [lao.dla_code for lao in response.context["page_obj"].object_list]


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_active_laos_in_registry_order(
    client, samut_prakan, elsewhere, django_assert_num_queries
):
    with django_assert_num_queries(4):  # the stamps (twice), count, the page
        response = client.get(reverse("units:index"))
    assert response.status_code == 200
    assert codes_on(response) == ["2110101", "5110201", "6110305", "6500101"]
    assert response.context["paginator"].count == 4
    html = response.content.decode()
    assert f'href="{samut_prakan["sao"].get_absolute_url()}"' in html
    assert "องค์การบริหารส่วนตำบลบางพลีใหญ่" in html
    assert "ยุบแล้ว" not in html
    assert f'href="{reverse("units:province", args=["11"])}"' in html
    assert "<caption>" in html and 'scope="col"' in html


def test_english_mode_shows_english_names_in_the_same_queries(
    english_client, samut_prakan, django_assert_num_queries
):
    with django_assert_num_queries(4):
        html = english_client.get(reverse("units:index")).content.decode()
    assert ">Bang Phli Yai SAO</a>" in html
    assert '<span class="directory-name-en" lang="th">องค์การบริหารส่วนตำบลบางพลีใหญ่</span>' in html
    assert ">Samut Prakan</a>" in html and "<td>Bang Phli</td>" in html
    province = english_client.get(reverse("units:province", args=["11"])).content.decode()
    assert "<h1>Samut Prakan province</h1>" in province
    assert ">Bang Phli Yai SAO</a>" in province
    profile = english_client.get(samut_prakan["sao"].get_absolute_url()).content.decode()
    assert "<h1>Bang Phli Yai SAO</h1>" in profile
    assert '<p class="lead" lang="th">องค์การบริหารส่วนตำบลบางพลีใหญ่</p>' in profile


def test_search_finds_an_english_name_spelled_another_way(client, samut_prakan):
    response = client.get(reverse("units:index"), {"q": "Bang Pli Yai"})
    assert codes_on(response)[0] == "6110305"


def test_list_marks_demo_population(client, samut_prakan):
    html = client.get(reverse("units:index"), {"q": "บางพลีใหญ่"}).content.decode()
    assert "52,000" in html
    assert 'class="demo-mark"' in html
    html = client.get(reverse("units:index"), {"q": "อบจ."}).content.decode()
    assert "1,300,000" in html
    assert 'class="demo-mark"' not in html


def test_list_searches_thai_names_in_a_bounded_number_of_queries(
    client, samut_prakan, elsewhere, django_assert_num_queries
):
    with django_assert_num_queries(5):
        response = client.get(reverse("units:index"), {"q": "บางพลี"})
    assert codes_on(response) == ["5110201", "6110305"]
    response = client.get(reverse("units:index"), {"q": "อบต. บางพลี"})
    assert codes_on(response) == ["6110305"]


def test_list_filters_by_province_and_narrows_districts_to_it(
    client, samut_prakan, elsewhere, django_assert_num_queries
):
    # the stamps (twice), validate the province, list provinces and districts for the form,
    # count, the page
    with django_assert_num_queries(7):
        response = client.get(reverse("units:index"), {"province": "11"})
    assert codes_on(response) == ["2110101", "5110201", "6110305"]
    districts = response.context["filter"].form.fields["district"].queryset
    assert sorted(district.code for district in districts) == ["1102", "1103"]
    html = response.content.decode()
    assert '<option value="1103">บางพลี</option>' in html


def test_list_filters_by_district_and_kind(client, samut_prakan, elsewhere):
    response = client.get(reverse("units:index"), {"province": "11", "district": "1103"})
    assert codes_on(response) == ["6110305"]
    response = client.get(reverse("units:index"), {"kind": LAOKind.SUBDISTRICT_MUNICIPALITY})
    assert codes_on(response) == ["5110201"]


def test_a_district_of_another_province_is_an_error_not_a_crash(client, samut_prakan, elsewhere):
    response = client.get(reverse("units:index"), {"province": "50", "district": "1103"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["district"]
    assert codes_on(response) == ["6500101"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["6500101", "5110201", "6110305", "2110101"]),
        ("-name", ["2110101", "6110305", "5110201", "6500101"]),
        ("code", ["2110101", "5110201", "6110305", "6500101"]),
        ("-population", ["2110101", "6110305", "6500101", "5110201"]),
        ("population", ["6500101", "6110305", "2110101", "5110201"]),
        ("province", ["2110101", "5110201", "6110305", "6500101"]),
    ],
)
def test_list_sorts(client, samut_prakan, elsewhere, sort, expected):
    response = client.get(reverse("units:index"), {"sort": sort})
    assert codes_on(response) == expected


def test_list_sorts_thai_names_in_dictionary_order(client):
    # Code-point order would put เกาะ (leading vowel เ) after ขาม; Thai order files it under ก.
    for dla_code, name in [("6000001", "ขาม"), ("6000002", "เกาะ"), ("6000003", "กลาง")]:
        LAOFactory(dla_code=dla_code, name_th=name, full_name_th=f"องค์การบริหารส่วนตำบล{name}")
    response = client.get(reverse("units:index"), {"sort": "name"})
    assert codes_on(response) == ["6000003", "6000002", "6000001"]


def test_list_paginates_fifty_a_page(client, django_assert_num_queries):
    province = ProvinceFactory(code="30")
    district = DistrictFactory(province=province, code="3001")
    LAOFactory.create_batch(51, subdistrict=None, district=district, province=province)
    response = client.get(reverse("units:index"), {"province": "30"})
    assert len(response.context["page_obj"].object_list) == 50
    html = response.content.decode()
    assert 'href="?province=30&amp;page=2"' in html
    with django_assert_num_queries(7):
        response = client.get(reverse("units:index"), {"province": "30", "page": "2"})
    assert len(response.context["page_obj"].object_list) == 1
    assert 'rel="prev"' in response.content.decode()


def test_list_offers_downloads_of_the_filtered_list(client, samut_prakan):
    html = client.get(reverse("units:index"), {"q": "บางพลี", "page": "1"}).content.decode()
    assert f'href="{reverse("units:export-csv")}?q=%E0%B8%9A' in html
    assert f'href="{reverse("units:export-xlsx")}?q=' in html
    assert "page=1" not in html.split("export.xlsx")[1].split('"')[0]


def test_list_empty_state(client, samut_prakan):
    response = client.get(reverse("units:index"), {"q": "ไม่มีชื่อนี้"})
    html = response.content.decode()
    assert response.context["paginator"].count == 0
    assert 'class="empty-state"' in html
    assert "export.csv" not in html


def test_a_query_too_short_gets_an_honest_message(client, samut_prakan):
    with translation.override("en"):
        response = client.get(reverse("units:index"), {"q": "บ"}, headers={"accept-language": "en"})
    assert response.context["query_too_short"] is True
    assert "Type at least 2 characters" in response.content.decode()
    # Nothing is filtered by a useless query: the whole list stays.
    assert response.context["paginator"].count == 3
    response = client.get(reverse("units:index"), {"q": "บางพลี"})
    assert response.context["query_too_short"] is False


def test_list_of_an_empty_registry(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(reverse("units:index"))
    assert 'class="empty-state"' in response.content.decode()


# --- province page -------------------------------------------------------------------------------


def test_province_page(client, samut_prakan, elsewhere, django_assert_num_queries):
    url = reverse("units:province", args=["11"])
    # province, counts by kind, districts and points for the map, count, the page
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "สมุทรปราการ" in html
    counts = {row["kind"]: row["count"] for row in response.context["counts"]}
    assert counts == {LAOKind.PAO: 1, LAOKind.SUBDISTRICT_MUNICIPALITY: 1, LAOKind.SAO: 1}
    assert codes_on(response) == ["2110101", "5110201", "6110305"]
    assert f'href="{samut_prakan["sao"].get_absolute_url()}"' in html
    assert "ดอนแก้ว" not in html
    assert "OCHA / กรมแผนที่ทหาร, CC BY-IGO" in html
    assert 'src="/static/js/map.js"' in html and "leaflet.js" in html


def test_province_page_map_data(client, samut_prakan):
    response = client.get(reverse("units:province", args=["11"]))
    data = response.context["map_data"]
    assert data["province"]["geometry"] == SQUARE
    assert [feature["properties"]["code"] for feature in data["districts"]] == ["1103"]
    assert data["districts"][0]["properties"]["url"] == "/units/?province=11&district=1103"
    assert data["points"] == [
        {
            "lat": 13.609837,
            "lon": 100.702786,
            "name": "องค์การบริหารส่วนตำบลบางพลีใหญ่",
            "url": samut_prakan["sao"].get_absolute_url(),
        }
    ]
    html = response.content.decode()
    payload = html.split('<script id="province-map-data" type="application/json">')[1]
    assert json.loads(payload.split("</script>")[0]) == data


def test_province_page_paginates(client):
    province = ProvinceFactory(code="30")
    LAOFactory.create_batch(
        51, subdistrict=None, district=DistrictFactory(province=province), province=province
    )
    response = client.get(reverse("units:province", args=["30"]), {"page": 2})
    assert len(response.context["page_obj"].object_list) == 1


def test_province_page_without_boundary_or_laos(client):
    ProvinceFactory(code="96", boundary=None)
    response = client.get(reverse("units:province", args=["96"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "leaflet.js" not in html
    assert 'class="empty-state"' in html


def test_unknown_province_is_404(client):
    assert client.get(reverse("units:province", args=["99"])).status_code == 404


# --- national map --------------------------------------------------------------------------------


def test_national_map_page(client, samut_prakan, elsewhere, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(reverse("units:map"))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["11"], counts["50"], sum(counts.values())) == (3, 1, 4)
    html = response.content.decode()
    assert f'data-geojson-url="{reverse("units:map-provinces")}"' in html
    assert '<script id="province-lao-counts" type="application/json">' in html
    assert f'href="{reverse("units:province", args=["11"])}"' in html
    assert "OCHA / กรมแผนที่ทหาร, CC BY-IGO" in html
    assert "<script>" not in html  # CSP: no inline script


def test_provinces_geojson_is_cached(client, samut_prakan, elsewhere, django_assert_num_queries):
    url = reverse("units:map-provinces")
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=3600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    body = response.content.decode()
    assert "สมุทรปราการ" in body  # Thai as UTF-8, not \\u escapes
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    # Only provinces with a boundary (Chiang Mai has none in this test).
    assert [feature["id"] for feature in data["features"]] == ["11"]
    feature = data["features"][0]
    assert feature["geometry"] == SQUARE
    assert feature["properties"] == {
        "code": "11",
        "name_th": "สมุทรปราการ",
        "name_en": "Samut Prakan",
        "url": reverse("units:province", args=["11"]),
    }
    with django_assert_num_queries(0):
        assert client.get(url).content == response.content


# --- links ---------------------------------------------------------------------------------------


@pytest.fixture
def websites(samut_prakan, elsewhere):
    samut_prakan["sao"].website = "https://www.bangpleeyai.go.th/"
    samut_prakan["sao"].demo_fields = ["population", "website"]
    samut_prakan["sao"].save()
    samut_prakan["pao"].website = "http://www.spko.go.th/"
    samut_prakan["pao"].save()
    elsewhere.website = "javascript:alert(1)"
    elsewhere.save()
    return samut_prakan


def test_links_lists_lao_websites(client, websites, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = client.get(reverse("units:links"))
    assert response.status_code == 200
    assert codes_on(response) == ["2110101", "6110305"]
    html = response.content.decode()
    assert (
        '<a href="http://www.spko.go.th/" rel="noopener nofollow ugc" class="external-link">'
        in html
    )
    # A demo address is shown, marked, and not linked.
    assert "https://www.bangpleeyai.go.th/" in html
    assert 'href="https://www.bangpleeyai.go.th/"' not in html
    assert html.count('class="demo-mark"') == 2  # the note, and the one demo website
    assert "javascript:" not in html
    assert f'href="{websites["sao"].get_absolute_url()}"' in html


def test_links_filter_by_province_and_kind(client, websites, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get(reverse("units:links"), {"province": "11", "kind": LAOKind.PAO})
    assert codes_on(response) == ["2110101"]
    assert 'class="demo-mark"' not in response.content.decode()
    response = client.get(reverse("units:links"), {"province": "50"})
    assert codes_on(response) == []
    assert 'class="empty-state"' in response.content.decode()


# --- cached fragments are keyed by validated values, not by raw query strings -------------------


def cache_entries() -> int:
    return len(cache._cache)  # LocMemCache, the cache of the tests


def test_list_cache_ignores_junk_parameters_and_their_order(client, samut_prakan, elsewhere):
    client.force_login(UserFactory())  # visitors get whole pages (units.pagecache)
    first = client.get(
        reverse("units:index"), {"province": "11", "kind": LAOKind.SAO, "junk": "<b>"}
    )
    entries = cache_entries()
    # Same filters in another order, other junk, an explicit first page: the same entry.
    second = client.get(
        f"{reverse('units:index')}?kind={LAOKind.SAO}&other=1&province=11&page=1&q="
    )
    assert cache_entries() == entries

    def fragment(response):
        return response.content.decode().split('role="search"')[1].split("</section>")[0]

    assert fragment(second) == fragment(first)
    # Links in the shared fragment keep the validated filters only.
    html = fragment(second)
    assert "junk" not in html and "other=" not in html
    assert f'{reverse("units:export-csv")}?kind={LAOKind.SAO}&amp;province=11"' in html
    # Another filter value is another entry.
    client.get(reverse("units:index"), {"province": "11"})
    assert cache_entries() == entries + 1


def test_list_with_an_invalid_value_is_not_cached(client, samut_prakan, elsewhere):
    client.force_login(UserFactory())  # visitors get whole pages (units.pagecache)
    client.get(reverse("units:index"))
    entries = cache_entries()
    for value in ("99", "x1", "x2"):
        response = client.get(reverse("units:index"), {"province": value})
        assert response.context["list_key"] is None
    assert cache_entries() == entries
    # ... and its error never reaches the valid page's cached fragment.
    assert "errorlist" not in client.get(reverse("units:index")).content.decode()


def test_province_page_cache_ignores_junk_parameters(client, samut_prakan):
    client.force_login(UserFactory())  # visitors get whole pages (units.pagecache)
    url = reverse("units:province", args=["11"])
    client.get(url)
    entries = cache_entries()
    for query in ({"junk": "1"}, {"page": "1", "x": "y"}, {"page": "abc"}):
        client.get(url, query)
    assert cache_entries() == entries


# --- the page cache of visitors (units.pagecache) ---


def test_visitors_get_the_directory_pages_from_the_cache(
    client, samut_prakan, elsewhere, websites, django_assert_num_queries
):
    urls = [
        reverse("units:index"),
        reverse("units:index") + "?q=บางพลี&kind=sao&sort=name",
        reverse("units:province", args=["11"]),
        reverse("units:map"),
        reverse("units:links"),
        reverse("units:links") + "?province=11",
    ]
    pages = [client.get(url).content for url in urls]
    for url, page in zip(urls, pages, strict=True):
        with django_assert_num_queries(1):
            assert client.get(url).content == page
    # Each declared parameter makes its own page.
    assert pages[0] != pages[1] and pages[4] != pages[5]


def test_a_registry_edit_shows_at_once_on_the_directory(client, samut_prakan, tree):
    from units.services import lao_update

    urls = [
        reverse("units:index"),
        reverse("units:province", args=[tree.province.code]),
        reverse("units:links"),
    ]
    for url in urls:
        client.get(url)
    lao_update(
        lao=tree.lao,
        user=tree.officer,
        data={
            "full_name_th": "องค์การบริหารส่วนตำบลเปลี่ยนชื่อ",
            "population": 123456,
            "website": "https://renamed.example.org/",
        },
    )
    pages = [client.get(url).content.decode() for url in urls]
    assert "123,456" in pages[0]
    assert "องค์การบริหารส่วนตำบลเปลี่ยนชื่อ" in pages[1]
    assert "renamed.example.org" in pages[2]
