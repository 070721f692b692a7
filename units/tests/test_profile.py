"""The public LAO profile: data, demo marks, map data, links by role, sections registry."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from units import profile as profile_registry
from units.models import LAO, LAOKind, Role
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
    "coordinates": [[[100.0, 13.0], [101.0, 13.0], [101.0, 14.0], [100.0, 14.0], [100.0, 13.0]]],
}
SMALL_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100.5, 13.5], [100.7, 13.5], [100.7, 13.7], [100.5, 13.7], [100.5, 13.5]]],
}


@pytest.fixture
def bang_phli_yai():
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ", boundary=SQUARE)
    district = DistrictFactory(
        province=province, code="1103", name_th="บางพลี", boundary=SMALL_SQUARE
    )
    subdistrict = SubdistrictFactory(
        district=district,
        code="110301",
        name_th="บางพลีใหญ่",
        latitude=Decimal("13.600000"),
        longitude=Decimal("100.700000"),
    )
    return LAOFactory(
        subdistrict=subdistrict,
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
        name_en="Bang Phli Yai SAO",
        latitude=Decimal("13.609837"),
        longitude=Decimal("100.702786"),
        area_km2=Decimal("39.36"),
        population=45210,
        households=15102,
        phone="02 123 4567",
        email="contact@bangphliyai.example.org",
        website="https://www.bangphliyai.example.org/",
        chief_executive="นายสมชาย ใจดี",
        address="99 หมู่ 1 ตำบลบางพลีใหญ่",
        demo_fields=["population", "households", "phone", "email", "chief_executive"],
    )


def profile_url(lao):
    return reverse("units:detail", args=[lao.url_code])


def field_html(html, field):
    """The <dd data-field="..."> element's inner HTML."""
    start = html.index(f'data-field="{field}"')
    return html[start : html.index("</dd>", start)]


def test_profile_shows_basic_data_and_contacts_in_one_query(
    client, bang_phli_yai, django_assert_num_queries, clean_registry
):
    with django_assert_num_queries(2):  # the page cache's stamps, the LAO with its geography
        response = client.get(profile_url(bang_phli_yai))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "องค์การบริหารส่วนตำบลบางพลีใหญ่",
        "Bang Phli Yai SAO",
        "6110305",
        "สมุทรปราการ",
        "บางพลี",
        "39.36",
        "45,210",
        "15,102",
        "02 123 4567",
        "นายสมชาย ใจดี",
        "99 หมู่ 1 ตำบลบางพลีใหญ่",
        str(LAOKind.SAO.label),
    ]:
        assert text in html, text
    assert '<a href="https://www.bangphliyai.example.org/" rel="noopener nofollow"' in html, (
        "website is an external link"
    )


def test_profile_marks_demo_values_and_only_those(client, bang_phli_yai):
    html = client.get(profile_url(bang_phli_yai)).content.decode()
    for field in ["population", "households", "phone", "email", "chief_executive"]:
        assert 'class="demo-mark"' in field_html(html, field), field
    for field in ["website", "address"]:
        assert 'class="demo-mark"' not in field_html(html, field), field
    assert 'class="demo-note"' in html
    # a demo e-mail address is not offered as a working mailto link
    assert "mailto:contact@bangphliyai" not in html


def test_demo_mark_explains_itself_in_english(client, bang_phli_yai):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(profile_url(bang_phli_yai)).content.decode()
    assert "Demo data" in html
    assert "the real value has not been entered yet" in html


def test_profile_without_demo_values_has_no_demo_marks(client):
    lao = LAOFactory(population=100, households=10, phone="021234567", demo_fields=[])
    html = client.get(profile_url(lao)).content.decode()
    assert "demo-mark" not in html
    assert "demo-note" not in html


def test_profile_never_links_a_non_http_website(client):
    lao = LAOFactory(website="javascript:alert(1)")
    html = client.get(profile_url(lao)).content.decode()
    assert 'href="javascript:' not in html


def test_unknown_code_is_404(client):
    assert client.get(reverse("units:detail", args=["9999999"])).status_code == 404


def test_bangkok_profile_by_its_url_code(client):
    bangkok = LAOFactory(
        kind=LAOKind.BANGKOK,
        dla_code=None,
        name_th="กรุงเทพมหานคร",
        full_name_th="กรุงเทพมหานคร",
        subdistrict=None,
        district=None,
        province=ProvinceFactory(code="10", name_th="กรุงเทพมหานคร"),
    )
    response = client.get("/units/bangkok/")
    assert response.status_code == 200
    assert response.context["lao"] == bangkok


def test_profile_links_to_its_province_page_when_there_is_one(client, bang_phli_yai):
    html = client.get(profile_url(bang_phli_yai)).content.decode()
    try:
        province_url = reverse("units:province", args=["11"])
    except NoReverseMatch:
        assert "สมุทรปราการ" in html
    else:
        assert f'href="{province_url}"' in html


# --- the map ---


def map_data(response):
    html = response.content.decode()
    start = html.index('<script id="lao-map-data" type="application/json">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(payload)


def test_map_draws_the_lao_point_with_its_province_as_context(client, bang_phli_yai):
    response = client.get(profile_url(bang_phli_yai))
    data = map_data(response)
    assert data["shows"] == "lao"
    assert data["point"] == [13.609837, 100.702786]
    assert data["context"] == SQUARE
    assert data["area"] is None
    html = response.content.decode()
    assert 'id="lao-map"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "js/profile_map.js" in html
    # strict CSP: no inline style attributes, and only the JSON data script is inline
    assert "style=" not in html.split('<main id="main"', 1)[1]


def test_map_falls_back_to_the_subdistrict_point(client, bang_phli_yai):
    LAO.objects.filter(pk=bang_phli_yai.pk).update(latitude=None, longitude=None)
    data = map_data(client.get(profile_url(bang_phli_yai)))
    assert data["shows"] == "subdistrict"
    assert data["point"] == [13.6, 100.7]


def test_map_falls_back_to_the_district_area(client, bang_phli_yai):
    LAO.objects.filter(pk=bang_phli_yai.pk).update(latitude=None, longitude=None)
    bang_phli_yai.subdistrict.__class__.objects.filter(pk=bang_phli_yai.subdistrict_id).update(
        latitude=None, longitude=None
    )
    data = map_data(client.get(profile_url(bang_phli_yai)))
    assert data["shows"] == "district"
    assert data["point"] is None
    assert data["area"] == SMALL_SQUARE
    assert data["context"] == SQUARE


def test_map_of_a_pao_without_a_point_shows_its_province(client):
    province = ProvinceFactory(code="12", boundary=SQUARE)
    pao = LAOFactory(kind=LAOKind.PAO, province=province, district=None, subdistrict=None)
    data = map_data(client.get(profile_url(pao)))
    assert data == {"point": None, "area": SQUARE, "context": None, "shows": "province"}


def test_no_location_at_all_shows_an_empty_state_and_no_map_script(client):
    lao = LAOFactory(subdistrict__latitude=None, subdistrict__longitude=None)
    html = client.get(profile_url(lao)).content.decode()
    assert 'id="lao-map"' not in html
    assert "leaflet.js" not in html
    assert 'class="empty-state"' in html


# --- links by role ---


@pytest.mark.parametrize(
    ("role", "own", "sees_edit", "sees_history"),
    [
        (None, False, False, False),
        (Role.CITIZEN, False, False, False),
        (Role.OFFICER, True, True, True),
        (Role.OFFICER, False, False, True),
        (Role.PROVINCIAL, True, True, True),
        (Role.PROVINCIAL, False, False, True),
        (Role.EXECUTIVE, False, False, True),
        (Role.EDITOR, False, False, True),
        (Role.ADMIN, False, True, True),
    ],
)
def test_edit_and_history_links_by_role(client, role, own, sees_edit, sees_history):
    lao = LAOFactory()
    if role is not None:
        scope = {}
        if role == Role.OFFICER:
            scope["lao"] = lao if own else LAOFactory()
        if role == Role.PROVINCIAL:
            scope["province"] = lao.province if own else ProvinceFactory(code="77")
        client.force_login(UserFactory(role=role, is_superuser=role == Role.ADMIN, **scope))
    html = client.get(profile_url(lao)).content.decode()
    assert (f'href="{reverse("units:edit", args=[lao.url_code])}"' in html) is sees_edit
    assert (f'href="{reverse("units:history", args=[lao.url_code])}"' in html) is sees_history


def test_profile_query_count_for_a_logged_in_officer(
    client, django_assert_num_queries, clean_registry
):
    lao = LAOFactory()
    client.force_login(UserFactory(role=Role.OFFICER, lao=lao))
    with django_assert_num_queries(3):  # session, user, the LAO with its geography
        response = client.get(profile_url(lao))
    assert response.status_code == 200


# --- sections registry ---


@pytest.fixture
def clean_registry():
    """The registry without the sections and actions other apps registered (budgets, ...)."""
    saved = registered_sections()
    for section in saved:
        profile_registry.unregister_profile_section(section.key)
    saved_actions = profile_registry.profile_actions()
    for action in saved_actions:
        profile_registry.unregister_profile_action(action.key)
    yield profile_registry
    for action in profile_registry.profile_actions():
        profile_registry.unregister_profile_action(action.key)
    for action in saved_actions:
        profile_registry.register_profile_action(
            action.key, template=action.template, context=action.context, order=action.order
        )
    for section in registered_sections():
        profile_registry.unregister_profile_section(section.key)
    for section in saved:
        profile_registry.register_profile_section(
            section.key,
            title=section.title,
            template=section.template,
            context=section.context,
            order=section.order,
            stamps=section.stamps,
        )


def registered_sections():
    """The sections apps registered (the others are the placeholders of unregistered keys)."""
    return [
        section
        for section in profile_registry.profile_sections()
        if section.template != profile_registry.PLACEHOLDER_TEMPLATE
    ]


def test_placeholders_fill_the_four_later_sections(client, clean_registry):
    lao = LAOFactory()
    response = client.get(profile_url(lao))
    cards = response.context["sections"]
    assert [card["key"] for card in cards] == ["budget", "projects", "ranking", "completeness"]
    assert all(card["placeholder"] for card in cards)
    html = response.content.decode()
    for key in ["budget", "projects", "ranking", "completeness"]:
        assert f'id="section-{key}"' in html
    assert html.count('class="empty-state"') >= 4


def test_a_registered_section_replaces_its_placeholder(
    client, clean_registry, django_assert_num_queries
):
    lao = LAOFactory(name_th="ทดสอบงบ")
    seen = []

    def budget_context(lao, request):
        seen.append((lao.pk, request.path))
        return {"title": f"งบประมาณของ {lao.name_th}", "text": "ปีงบประมาณ 2569"}

    clean_registry.register_profile_section(
        "budget",
        title="Budget (registered)",
        template="components/empty_state.html",
        context=budget_context,
        order=5,
    )
    clean_registry.register_profile_section(
        "good-practices",
        title="Good practices",
        template="components/empty_state.html",
        context=lambda lao, request: {"title": "แนวปฏิบัติที่ดี", "text": ""},
        order=50,
    )
    with django_assert_num_queries(1):
        response = client.get(profile_url(lao))
    cards = response.context["sections"]
    assert [card["key"] for card in cards] == [
        "budget",
        "projects",
        "ranking",
        "completeness",
        "good-practices",
    ]
    assert cards[0]["placeholder"] is False
    assert cards[0]["title"] == "Budget (registered)"
    html = response.content.decode()
    assert "งบประมาณของ ทดสอบงบ" in html
    assert "แนวปฏิบัติที่ดี" in html
    assert seen == [(lao.pk, profile_url(lao))]

    clean_registry.unregister_profile_section("budget")
    cards = client.get(profile_url(lao)).context["sections"]
    assert cards[0]["key"] == "budget"
    assert cards[0]["placeholder"] is True


def test_a_demo_website_is_shown_but_not_linked(client):
    lao = LAOFactory(website="https://www.6000001.demo.example.org/", demo_fields=["website"])
    html = client.get(profile_url(lao)).content.decode()
    website = field_html(html, "website")
    assert "https://www.6000001.demo.example.org/" in website
    assert "<a " not in website
    assert 'class="demo-mark"' in website
