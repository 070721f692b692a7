"""Journeys of a citizen, who browses without logging in."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, SubdistrictFactory

pytestmark = pytest.mark.django_db(transaction=True)

THAI_FONT_LOADED = """async () => {
    await document.fonts.ready;
    const heading = document.querySelector('h1');
    return {
        family: getComputedStyle(heading).fontFamily,
        thaiFaceLoaded: document.fonts.check('700 16px Sarabun', 'ก'),
        loadedFaces: [...document.fonts].filter(
            (face) => face.family.replaceAll('"', '') === 'Sarabun' && face.status === 'loaded'
        ).length,
    };
}"""


def test_home_in_thai_switches_to_english_and_back(live_server, page: Page, artefacts):
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ข้อมูลองค์กรปกครองส่วนท้องถิ่นทั่วประเทศ ในที่เดียว"
    )
    expect(page.get_by_role("navigation", name="เมนูหลัก")).to_be_visible()

    fonts = page.evaluate(THAI_FONT_LOADED)
    assert fonts["family"].startswith("Sarabun") or fonts["family"].startswith('"Sarabun"')
    assert fonts["thaiFaceLoaded"]
    assert fonts["loadedFaces"] >= 1
    page.screenshot(path=artefacts / "home-th.png", full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Local government data of all Thailand, in one place"
    )
    page.screenshot(path=artefacts / "home-en.png", full_page=True)

    page.get_by_role("button", name="ไทย").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")


def test_skip_link_moves_focus_to_the_content(live_server, page: Page):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหาหลัก")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_citizen_finds_an_lao_by_a_thai_fragment_and_sees_its_profile_and_map(
    live_server, page: Page, artefacts
):
    province = ProvinceFactory(
        code="11",
        name_th="สมุทรปราการ",
        name_en="Samut Prakan",
        boundary={
            "type": "Polygon",
            "coordinates": [
                [[100.4, 13.4], [101.0, 13.4], [101.0, 13.8], [100.4, 13.8], [100.4, 13.4]]
            ],
        },
    )
    district = DistrictFactory(province=province, code="1103", name_th="บางพลี")
    LAOFactory(
        subdistrict=SubdistrictFactory(district=district, code="110301", name_th="บางพลีใหญ่"),
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
        name_en="Bang Phli Yai SAO",
        latitude=Decimal("13.609837"),
        longitude=Decimal("100.702786"),
        population=45210,
        phone="02 123 4567",
        demo_fields=["population", "phone"],
    )
    LAOFactory(
        subdistrict=SubdistrictFactory(district=district, code="110302", name_th="บางแก้ว"),
        name_th="บางแก้ว",
        full_name_th="เทศบาลตำบลบางแก้ว",
    )
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    page.goto(f"{live_server.url}/units/")
    page.locator("input[name=q]").fill("บางพลี")
    page.locator("input[name=q]").press("Enter")
    result = page.get_by_role("link", name="องค์การบริหารส่วนตำบลบางพลีใหญ่")
    expect(result).to_be_visible()
    expect(page.get_by_role("link", name="เทศบาลตำบลบางแก้ว")).to_have_count(0)
    result.click()

    expect(page).to_have_url(f"{live_server.url}/units/6110305/")
    expect(page.get_by_role("heading", level=1)).to_have_text("องค์การบริหารส่วนตำบลบางพลีใหญ่")
    expect(page.locator('[data-field="phone"]')).to_contain_text("02 123 4567")
    expect(page.locator('[data-field="phone"] .demo-mark')).to_be_visible()
    expect(page.locator('[data-field="population"]')).to_contain_text("45,210")
    # the map drew without tiles: a Leaflet container with the LAO's point (an SVG path)
    expect(page.locator("#lao-map.leaflet-container")).to_be_visible()
    expect(page.locator("#lao-map path.lao-map-point")).to_have_count(1)
    expect(page.locator("#lao-map .leaflet-tile")).to_have_count(0)
    page.screenshot(path=artefacts / "lao-profile.png", full_page=True)
    assert csp_violations == []
